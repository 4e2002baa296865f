"""The caller's own account, and the access status every service checks tokens against."""

from __future__ import annotations

import uuid

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields

from altjung.identity.accounts import access_status, login_options
from altjung.identity.models import User
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import NotFound
from altjung.kit.runtime import current_runtime, unit_of_work

blp = Blueprint("account", __name__, url_prefix="/api/v1", description="Konto / Account")


class SiteOut(Schema):
    site_id = fields.UUID(allow_none=True)
    name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)


class MeOut(Schema):
    user_id = fields.UUID(required=True)
    email = fields.Email(required=True)
    display_name = fields.String(required=True)
    mfa_enabled = fields.Boolean(required=True)
    tenant_id = fields.UUID(allow_none=True)
    roles = fields.List(fields.String(), required=True)
    sites = fields.List(fields.Nested(SiteOut), required=True)


class RevokedOut(Schema):
    sub = fields.String(required=True)
    tenant = fields.String(allow_none=True)
    before = fields.Float(required=True)


class AccessStatusOut(Schema):
    suspended_sites = fields.List(fields.String(), required=True)
    revoked = fields.List(fields.Nested(RevokedOut), required=True)


@blp.route("/me")
class Me(MethodView):
    @require(tenant=False)
    @blp.response(200, MeOut)
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Who the token belongs to, and where else they may sign in."""
        principal = current_principal()
        try:
            user_id = uuid.UUID(principal.subject)
        except ValueError:
            raise NotFound("account", principal.subject) from None
        with unit_of_work() as session:
            user = session.get(User, user_id)
            if user is None:
                raise NotFound("account", principal.subject)
            session.expunge(user)
        sites = [{"site_id": o.site_id, "name": o.name, "roles": list(o.roles)}
                 for o in login_options(current_runtime().db, user)]
        return {"user_id": user.id, "email": user.email, "display_name": user.display_name,
                "mfa_enabled": user.totp_enabled_at is not None, "tenant_id": principal.tenant_id,
                "roles": sorted(principal.roles), "sites": sites}


@blp.route("/access-status")
class AccessStatus(MethodView):
    @blp.response(200, AccessStatusOut)
    def get(self):
        """Suspended partner sites and withdrawn access (ids only): every service's kit refuses the
        matching tokens. Public, like a certificate revocation list."""
        with current_runtime().db.session() as session:
            return access_status(session)
