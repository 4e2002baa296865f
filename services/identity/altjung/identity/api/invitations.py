"""Invitations: the data notifications needs to send one, fetched at the moment of sending."""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from altjung.identity.models import Invitation, SiteState
from altjung.kit.auth import require
from altjung.kit.problems import NotFound
from altjung.kit.runtime import current_runtime, unit_of_work

blp = Blueprint("invitations", __name__, url_prefix="/api/v1/invitations",
                description="Einladungen / Invitations")


class InvitationDeliveryOut(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True)
    site_name = fields.String(required=True)
    accept_url = fields.Url(required=True)
    expires_at = fields.AwareDateTime(required=True)


@blp.route("/<uuid:invitation_id>/delivery")
class InvitationDelivery(MethodView):
    @require(scopes=("invitations:deliver",))
    @blp.response(200, InvitationDeliveryOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, invitation_id: UUID):
        """Mint the invitation link now (a new one replaces the last) and hand it to notifications."""
        settings = current_runtime().settings
        with unit_of_work() as session:
            invitation = session.scalars(select(Invitation).where(Invitation.id == invitation_id)).first()
            if invitation is None or invitation.accepted_at is not None:
                raise NotFound("invitation", invitation_id)
            secret = secrets.token_urlsafe(32)
            invitation.token_hash = hashlib.sha256(secret.encode()).hexdigest()
            site = session.get(SiteState, invitation.tenant_id)
            session.commit()
        return {
            "email": invitation.email, "role": invitation.role,
            "site_name": site.name if site else "",
            "accept_url": f"{settings.public_base_url}/identity/invitations/{invitation.id}?token={secret}",
            "expires_at": invitation.expires_at,
        }
