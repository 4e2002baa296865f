"""A partner's own integrations: OAuth clients with client credentials, bound to one partner site."""

from __future__ import annotations

import secrets

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.identity.audit import audit
from altjung.identity.models import OAuthClient
from altjung.identity.oauth.clients import PARTNER_SCOPES, new_client_secret
from altjung.kit.auth import current_principal, require
from altjung.kit.bus.models import utcnow
from altjung.kit.problems import NotFound
from altjung.kit.runtime import unit_of_work

blp = Blueprint("clients", __name__, url_prefix="/api/v1/clients",
                description="Anbindungen (OAuth-Clients) / Integrations (OAuth clients)")


class ClientIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    scopes = fields.List(fields.String(validate=validate.OneOf(sorted(PARTNER_SCOPES))), required=True)


class ClientOut(Schema):
    client_id = fields.String(required=True)
    name = fields.String(required=True)
    scopes = fields.List(fields.String(), required=True)
    created_at = fields.AwareDateTime(required=True)


class ClientCreatedOut(ClientOut):
    client_secret = fields.String(required=True, metadata={"description": "Shown once; stored hashed."})


def _out(row: OAuthClient, **extra) -> dict:
    return {"client_id": row.client_id, "name": row.name, "scopes": row.scope.split(),
            "created_at": row.created_at, **extra}


@blp.route("")
class Clients(MethodView):
    @require("coordinator")
    @blp.arguments(ClientIn)
    @blp.response(201, ClientCreatedOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Register a client-credentials client for the caller's partner site; the secret is shown once."""
        principal = current_principal()
        secret, secret_hash = new_client_secret()
        with unit_of_work() as session:
            row = OAuthClient(client_id=f"site-{secrets.token_hex(8)}", name=body["name"], secret_hash=secret_hash,
                              owner_site_id=principal.tenant_id, grant_types="client_credentials",
                              scope=" ".join(sorted(set(body["scopes"]))), created_by=principal.subject,
                              created_at=utcnow())
            session.add(row)
            audit(session, "client.registered", actor=principal.subject, site_id=principal.tenant_id,
                  target=row.client_id, scopes=row.scope)
            session.commit()
            return _out(row, client_secret=secret)

    @require("coordinator")
    @blp.response(200, ClientOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """The caller's partner site's clients."""
        with unit_of_work() as session:
            rows = session.scalars(select(OAuthClient).where(OAuthClient.owner_site_id == current_principal().tenant_id,
                                                             OAuthClient.revoked_at.is_(None)))
            return [_out(r) for r in rows]


@blp.route("/<client_id>")
class Client(MethodView):
    @require("coordinator")
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, client_id: str):
        """Withdraw a client: it gets no more tokens."""
        principal = current_principal()
        with unit_of_work() as session:
            row = session.get(OAuthClient, client_id)
            if row is None or row.owner_site_id != principal.tenant_id or row.revoked_at is not None:
                raise NotFound("client", client_id)
            row.revoked_at = utcnow()
            audit(session, "client.revoked", actor=principal.subject, site_id=principal.tenant_id, target=client_id)
            session.commit()
