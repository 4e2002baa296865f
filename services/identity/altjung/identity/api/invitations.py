"""Invitations: coordinators invite staff, a platform admin invites BaS colleagues; notifications
fetches address and link at the moment it sends."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.identity import invitations
from altjung.identity.models import Invitation, PlatformInvitation, SiteState
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import NotFound
from altjung.kit.runtime import current_runtime, unit_of_work

blp = Blueprint("invitations", __name__, url_prefix="/api/v1/invitations",
                description="Einladungen / Invitations")
platform_blp = Blueprint("platform_invitations", __name__, url_prefix="/api/v1/platform-invitations",
                         description="Einladungen der BaS / Platform invitations")


class InvitationIn(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["coordinator", "staff"]))


class PlatformInvitationIn(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True, validate=validate.OneOf(["platform_admin", "federation_viewer"]))


class InvitationOut(Schema):
    id = fields.UUID(required=True)
    email = fields.Email(required=True)
    role = fields.String(required=True)
    expires_at = fields.AwareDateTime(required=True)
    accepted_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime(required=True)


class InvitationDeliveryOut(Schema):
    email = fields.Email(required=True)
    role = fields.String(required=True)
    site_name = fields.String(required=True)
    accept_url = fields.Url(required=True)
    expires_at = fields.AwareDateTime(required=True)


@blp.route("")
class Invitations(MethodView):
    @require("coordinator")
    @blp.arguments(InvitationIn)
    @blp.response(201, InvitationOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Invite a person to the caller's partner site (staff or another coordinator)."""
        with unit_of_work() as session:
            invitation = invitations.invite(session, email=body["email"], role=body["role"],
                                            invited_by=current_principal().subject)
            session.commit()
            session.refresh(invitation)
            return invitation

    @require("coordinator")
    @blp.response(200, InvitationOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """The caller's partner site's invitations, newest first."""
        with unit_of_work() as session:
            return list(session.scalars(select(Invitation).order_by(Invitation.created_at.desc()).limit(200)))


@platform_blp.route("")
class PlatformInvitations(MethodView):
    @require("platform_admin", tenant=False)
    @platform_blp.arguments(PlatformInvitationIn)
    @platform_blp.response(201, InvitationOut)
    @platform_blp.doc(security=[{"bearer": []}])
    def post(self, body):
        """Invite a BaS colleague to a platform role."""
        with unit_of_work() as session:
            invitation = invitations.invite_to_platform(session, email=body["email"], role=body["role"],
                                                        invited_by=current_principal().subject)
            session.commit()
            session.refresh(invitation)
            return invitation


@blp.route("/<uuid:invitation_id>/delivery")
class InvitationDelivery(MethodView):
    @require(scopes=("invitations:deliver",), tenant=False)
    @blp.response(200, InvitationDeliveryOut)
    @blp.doc(security=[{"bearer": []}])
    def post(self, invitation_id: UUID):
        """The invitation link (the same for every delivery) for notifications to send now.

        A token for a partner site finds that site's invitations; a token without one, the BaS's."""
        settings = current_runtime().settings
        tenant = current_principal().tenant_id
        with unit_of_work() as session:
            model = Invitation if tenant is not None else PlatformInvitation
            invitation = session.scalars(select(model).where(model.id == invitation_id)).first()
            if invitation is None or invitation.accepted_at is not None:
                raise NotFound("invitation", invitation_id)
            secret = invitations.mint_link_secret(settings, invitation)
            site = session.get(SiteState, tenant) if tenant else None
            session.commit()
            site_name = site.name if site else "Bundesarbeitsgemeinschaft Seniorenbüros (BaS)"
            return {"email": invitation.email, "role": invitation.role, "site_name": site_name,
                    "accept_url": invitations.accept_url(settings.issuer, invitation, secret),
                    "expires_at": invitation.expires_at}
