"""The BaS's own people: who holds platform roles; a platform admin changes or withdraws them."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.identity.accounts import PLATFORM_ROLES, withdraw_access
from altjung.identity.audit import audit
from altjung.identity.models import User
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import Conflict, NotFound
from altjung.kit.runtime import unit_of_work

blp = Blueprint("platform_members", __name__, url_prefix="/api/v1/platform-members",
                description="Mitarbeitende der BaS / Platform members")


class PlatformMemberOut(Schema):
    user_id = fields.UUID(required=True)
    email = fields.Email(required=True)
    display_name = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    mfa_enabled = fields.Boolean(required=True)


class PlatformRolesIn(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf(PLATFORM_ROLES)), required=True)


def _out(user: User) -> dict:
    return {"user_id": user.id, "email": user.email, "display_name": user.display_name,
            "roles": sorted(user.platform_role_set), "mfa_enabled": user.totp_enabled_at is not None}


@blp.route("")
class PlatformMembers(MethodView):
    @require("platform_admin", tenant=False)
    @blp.response(200, PlatformMemberOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """Everybody with a platform role."""
        with unit_of_work() as session:
            users = session.scalars(select(User).where(User.platform_roles != "").order_by(User.email))
            return [_out(u) for u in users if u.platform_role_set]


@blp.route("/<uuid:user_id>")
class PlatformMember(MethodView):
    @require("platform_admin", tenant=False)
    @blp.arguments(PlatformRolesIn)
    @blp.response(200, PlatformMemberOut)
    @blp.doc(security=[{"bearer": []}])
    def put(self, body, user_id: UUID):
        """Set a person's platform roles (an empty list withdraws them); their BaS logins end at once."""
        principal = current_principal()
        if str(user_id) == principal.subject and "platform_admin" not in body["roles"]:
            raise Conflict("Sie können sich nicht selbst herabstufen. / You cannot demote yourself.")
        with unit_of_work() as session:
            user = session.get(User, user_id)
            if user is None or not user.platform_role_set:
                raise NotFound("platform member", user_id)
            before = sorted(user.platform_role_set)
            user.platform_roles = " ".join(sorted(set(body["roles"])))
            withdraw_access(session, user_id=user_id, site_id=None)
            audit(session, "platform_roles.changed", actor=principal.subject, target=user_id, before=before,
                  after=sorted(set(body["roles"])))
            session.commit()
            return _out(user)
