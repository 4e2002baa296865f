"""A site's coordinators' addresses for notifications (overdue check-ins, disabled webhooks)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from altjung.identity.models import Membership, User
from altjung.kit.auth import require
from altjung.kit.runtime import unit_of_work

blp = Blueprint("coordinator_contacts", __name__, url_prefix="/api/v1/coordinator-contacts",
                description="Koordination eines Standorts für Benachrichtigungen / Coordinators to notify")


class CoordinatorContactOut(Schema):
    email = fields.Email(required=True)
    display_name = fields.String(required=True)


@blp.route("")
class CoordinatorContacts(MethodView):
    @require(scopes=("members:contact",))
    @blp.response(200, CoordinatorContactOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self):
        """The coordinators of the token's partner site (a service token of notifications)."""
        with unit_of_work() as session:
            # Membership as an entity: the kit scopes statements by the entities they load (a column-only
            # select joined to Membership would escape the ORM criteria; RLS would still hold on PostgreSQL).
            rows = session.execute(select(Membership, User).join(User, User.id == Membership.user_id)
                                   .where(Membership.role == "coordinator").order_by(User.email)).all()
            return [{"email": user.email, "display_name": user.display_name} for _membership, user in rows]
