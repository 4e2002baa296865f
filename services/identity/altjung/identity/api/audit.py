"""The audit log, read-only: a coordinator sees their site's entries, a platform admin all of them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.identity.models import AuditEvent
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import Forbidden
from altjung.kit.runtime import unit_of_work

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events", description="Protokoll / Audit log")


class AuditQuery(Schema):
    before = fields.AwareDateTime(metadata={"description": "Cursor: entries older than this (the last `at` seen)."})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class AuditEventOut(Schema):
    id = fields.UUID(required=True)
    at = fields.AwareDateTime(required=True)
    action = fields.String(required=True)
    actor = fields.String(allow_none=True)
    site_id = fields.UUID(allow_none=True)
    address = fields.String(allow_none=True)
    target = fields.String(allow_none=True)
    detail = fields.Dict(required=True)


@blp.route("")
class AuditEvents(MethodView):
    @require("coordinator", "platform_admin", tenant=False)
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditEventOut(many=True))
    @blp.doc(security=[{"bearer": []}])
    def get(self, query):
        """Newest first. There is no way to change or delete an entry."""
        principal = current_principal()
        statement = select(AuditEvent).order_by(AuditEvent.at.desc()).limit(query["limit"])
        if principal.tenant_id is not None and "coordinator" in principal.roles:
            statement = statement.where(AuditEvent.site_id == principal.tenant_id)
        elif not (principal.tenant_id is None and "platform_admin" in principal.roles):
            raise Forbidden("Dafür fehlt Ihnen die Berechtigung. / You lack the role for this.")
        if query.get("before"):
            statement = statement.where(AuditEvent.at < query["before"])
        with unit_of_work() as session:
            return list(session.scalars(statement))
