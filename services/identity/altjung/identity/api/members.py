"""Members of a partner site: list, change role, reset MFA, remove (access ends at once)."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.identity.accounts import remove_membership, withdraw_access, withdraw_all_access
from altjung.identity.audit import audit
from altjung.identity.models import Membership, RecoveryCode, SiteAccount, User
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import Conflict, NotFound
from altjung.kit.runtime import unit_of_work

blp = Blueprint("members", __name__, url_prefix="/api/v1/members", description="Mitglieder / Members")


class MemberOut(Schema):
    user_id = fields.UUID(required=True)
    email = fields.Email(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)
    mfa_enabled = fields.Boolean(required=True)
    since = fields.AwareDateTime(required=True)


class RoleIn(Schema):
    role = fields.String(required=True, validate=validate.OneOf(["coordinator", "staff"]))


def _out(membership: Membership, user: User) -> dict:
    return {"user_id": user.id, "email": user.email, "display_name": user.display_name, "role": membership.role,
            "mfa_enabled": user.totp_enabled_at is not None, "since": membership.created_at}


def _membership(session, user_id: UUID) -> Membership:
    membership = session.scalars(select(Membership).where(Membership.user_id == user_id)).first()
    if membership is None:
        raise NotFound("member", user_id)
    return membership


@blp.route("")
class Members(MethodView):
    @require("coordinator")
    @blp.response(200, MemberOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """The people of the caller's partner site."""
        with unit_of_work() as session:
            rows = session.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                                   .order_by(User.email)).all()
            return [_out(m, u) for m, u in rows]


@blp.route("/<uuid:user_id>")
class Member(MethodView):
    @require("coordinator")
    @blp.arguments(RoleIn)
    @blp.response(200, MemberOut)
    @blp.doc(security=[{"bearer": []}])
    def patch(self, body, user_id: UUID):
        """Change a member's role; their current tokens stop working (the new role needs a new login)."""
        principal = current_principal()
        with unit_of_work() as session:
            membership = _membership(session, user_id)
            if str(user_id) == principal.subject and body["role"] != "coordinator":
                raise Conflict("Sie können sich nicht selbst herabstufen. / You cannot demote yourself.")
            before, membership.role = membership.role, body["role"]
            withdraw_access(session, user_id=user_id, site_id=principal.tenant_id)
            audit(session, "membership.role_changed", actor=principal.subject, site_id=principal.tenant_id,
                  target=user_id, before=before, after=body["role"])
            session.commit()
            return _out(membership, session.get(User, user_id))

    @require("coordinator")
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, user_id: UUID):
        """Remove a member: refresh tokens revoked and access tokens refused at once."""
        principal = current_principal()
        with unit_of_work() as session:
            membership = _membership(session, user_id)
            if str(user_id) == principal.subject:
                raise Conflict("Sie können sich nicht selbst entfernen. / You cannot remove yourself.")
            remove_membership(session, membership)
            revoked = withdraw_access(session, user_id=user_id, site_id=principal.tenant_id)
            audit(session, "membership.removed", actor=principal.subject, site_id=principal.tenant_id,
                  target=user_id, role=membership.role, refresh_families_revoked=revoked)
            session.commit()


@blp.route("/<uuid:user_id>/mfa")
class MemberMfa(MethodView):
    @require("coordinator")
    @blp.response(204)
    @blp.doc(security=[{"bearer": []}])
    def delete(self, user_id: UUID):
        """Reset a member's second factor (lost phone): they set up a new one at their next login,
        and every current login of theirs ends."""
        principal = current_principal()
        with unit_of_work() as session:
            _membership(session, user_id)
            user = session.get(User, user_id)
            elsewhere = session.scalars(select(SiteAccount).where(SiteAccount.user_id == user_id,
                                                                  SiteAccount.site_id != principal.tenant_id)).first()
            if elsewhere is not None or user.platform_role_set:
                # Their second factor guards other sites too: only the BaS may reset it.
                raise Conflict("Diese Person hat auch anderswo Zugang; bitte wenden Sie sich an die BaS. / "
                               "This person has access elsewhere too; please ask the BaS.")
            user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
            session.query(RecoveryCode).filter(RecoveryCode.user_id == user_id).delete()
            withdraw_all_access(session, user_id)
            audit(session, "mfa.reset", actor=principal.subject, site_id=principal.tenant_id, target=user_id)
            session.commit()
