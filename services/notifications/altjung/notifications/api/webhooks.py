"""Webhook endpoints and their deliveries, for the coordinators of the token's partner site."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from altjung.kit.auth import BEARER, current_principal, require
from altjung.kit.concurrency import expected_version
from altjung.kit.problems import NotFound, Problem
from altjung.kit.runtime import current_runtime, unit_of_work
from altjung.notifications import deliveries, endpoints
from altjung.notifications.models import Attempt, Delivery, Endpoint
from altjung.notifications.notifier import Notifier, notifier_for

blp = Blueprint("webhook_endpoints", __name__, url_prefix="/api/v1/webhook-endpoints",
                description="Webhook-Empfänger / Webhook endpoints")
deliveries_blp = Blueprint("webhook_deliveries", __name__, url_prefix="/api/v1/webhook-deliveries",
                           description="Zustellungen / Webhook deliveries")

ROLES = ("coordinator",)
SCOPES = ("webhooks:manage",)
EVENT_TYPES = validate.OneOf(deliveries.WEBHOOK_EVENT_TYPES)


class EndpointIn(Schema):
    url = fields.String(required=True, validate=validate.Length(min=8, max=2048))
    description = fields.String(load_default="", validate=validate.Length(max=500))
    #: Omitted or null: every event type.
    event_types = fields.List(fields.String(validate=EVENT_TYPES), load_default=None, allow_none=True)
    enabled = fields.Boolean(load_default=True)
    include_contacts = fields.Boolean(load_default=False)


class EndpointPatch(Schema):
    url = fields.String(validate=validate.Length(min=8, max=2048))
    description = fields.String(validate=validate.Length(max=500))
    event_types = fields.List(fields.String(validate=EVENT_TYPES), allow_none=True)
    enabled = fields.Boolean()
    include_contacts = fields.Boolean()
    version = fields.Integer()


class EndpointOut(Schema):
    id = fields.UUID()
    url = fields.String()
    description = fields.String()
    event_types = fields.List(fields.String(), allow_none=True)
    enabled = fields.Boolean()
    include_contacts = fields.Boolean()
    version = fields.Integer()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()
    last_success_at = fields.AwareDateTime(allow_none=True)
    failing_since = fields.AwareDateTime(allow_none=True)
    disabled_at = fields.AwareDateTime(allow_none=True)
    disabled_reason = fields.String(allow_none=True)
    rotating_until = fields.AwareDateTime(attribute="previous_valid_until", allow_none=True)


class EndpointWithSecretOut(EndpointOut):
    #: The signing secret (whsec_…): shown in this answer only.
    secret = fields.String()


class SecretOut(Schema):
    secret = fields.String()
    previous_valid_until = fields.AwareDateTime()


class AttemptOut(Schema):
    number = fields.Integer()
    attempted_at = fields.AwareDateTime()
    status_code = fields.Integer(allow_none=True)
    latency_ms = fields.Float()
    response_head = fields.String()
    error_kind = fields.String(allow_none=True)
    error_detail = fields.String(allow_none=True)


class DeliveryOut(Schema):
    id = fields.UUID(metadata={"description": "the webhook-id header, the same on every attempt"})
    endpoint_id = fields.UUID()
    event_id = fields.UUID()
    event_type = fields.String()
    kind = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    created_at = fields.AwareDateTime()
    last_attempt_at = fields.AwareDateTime(allow_none=True)
    next_attempt_at = fields.AwareDateTime(allow_none=True)
    succeeded_at = fields.AwareDateTime(allow_none=True)


class DeliveryDetailOut(DeliveryOut):
    attempt_log = fields.List(fields.Nested(AttemptOut))


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(DeliveryOut))
    next_cursor = fields.String(allow_none=True)


class DeliveryQuery(Schema):
    status = fields.String(validate=validate.OneOf(["pending", "succeeded", "failed"]))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String()


class ReplayIn(Schema):
    since = fields.AwareDateTime(required=True)


class ReplayOut(Schema):
    replayed = fields.Integer()


def _notifier() -> Notifier:
    return notifier_for(current_runtime())


class _Shown:
    """The endpoint with its secret in clear, for the one answer that shows it."""

    def __init__(self, made: endpoints.WithSecret) -> None:
        self._endpoint, self.secret = made.endpoint, made.secret

    def __getattr__(self, name: str):
        return getattr(self._endpoint, name)


@blp.route("")
class Endpoints(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.response(200, EndpointOut(many=True))
    def get(self):
        """Your partner site's webhook endpoints."""
        with unit_of_work() as session:
            return session.scalars(select(Endpoint).order_by(Endpoint.created_at)).all()

    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.arguments(EndpointIn)
    @blp.response(201, EndpointWithSecretOut)
    def post(self, data: dict):
        """Register an endpoint. The answer shows its signing secret — the only time it is shown."""
        with unit_of_work() as session:
            made = endpoints.create(_notifier(), session, data)
            session.commit()
            return _Shown(made)


@blp.route("/<uuid:endpoint_id>")
class EndpointById(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.response(200, EndpointOut)
    def get(self, endpoint_id: UUID):
        """One endpoint (never its secret)."""
        with unit_of_work() as session:
            endpoint = endpoints.get(session, endpoint_id)
            return endpoint, {"ETag": f'"{endpoint.version}"'}

    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.arguments(EndpointPatch)
    @blp.response(200, EndpointOut)
    def patch(self, data: dict, endpoint_id: UUID):
        """Change URL, event types, description, contact opt-in; enable or disable.

        Send the version you read (If-Match: "<version>" or ``version``): stale → 412, missing → 428."""
        with unit_of_work() as session:
            expected = expected_version(data.pop("version", None), required=False)
            endpoint = endpoints.change(_notifier(), session, endpoint_id, data, expected)
            session.commit()
            return endpoint, {"ETag": f'"{endpoint.version}"'}

    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.response(204)
    def delete(self, endpoint_id: UUID):
        """Remove an endpoint with its deliveries and its record of sent contacts."""
        with unit_of_work() as session:
            session.delete(endpoints.get(session, endpoint_id))
            session.commit()


@blp.route("/<uuid:endpoint_id>/secret-rotation")
class SecretRotation(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.response(200, SecretOut)
    def post(self, endpoint_id: UUID):
        """A new secret (shown once); until previous_valid_until each webhook carries both signatures."""
        with unit_of_work() as session:
            made = endpoints.rotate(_notifier(), session, endpoint_id)
            session.commit()
            return {"secret": made.secret, "previous_valid_until": made.previous_valid_until}


@blp.route("/<uuid:endpoint_id>/test")
class TestEvent(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.response(202, DeliveryOut)
    def post(self, endpoint_id: UUID):
        """Send a `webhook.test` event to this endpoint now."""
        with unit_of_work() as session:
            delivery = endpoints.send_test(session, endpoint_id, current_principal().tenant_id)
            session.commit()
        _notifier().wake()
        return delivery


@blp.route("/<uuid:endpoint_id>/replay")
class ReplayFailed(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.arguments(ReplayIn)
    @blp.response(202, ReplayOut)
    def post(self, data: dict, endpoint_id: UUID):
        """Send every failed delivery of this endpoint since a time again (same webhook-ids)."""
        with unit_of_work() as session:
            count = endpoints.replay_failed(session, endpoint_id, data["since"])
            session.commit()
        _notifier().wake()
        return {"replayed": count}


@blp.route("/<uuid:endpoint_id>/deliveries")
class EndpointDeliveries(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @blp.doc(**BEARER)
    @blp.arguments(DeliveryQuery, location="query")
    @blp.response(200, DeliveryPage)
    def get(self, query: dict, endpoint_id: UUID):
        """The endpoint's deliveries, newest first (cursor pagination)."""
        with unit_of_work() as session:
            endpoint = endpoints.get(session, endpoint_id)
            statement = select(Delivery).where(Delivery.endpoint_id == endpoint.id)
            if query.get("status"):
                statement = statement.where(Delivery.status == query["status"])
            after = _cursor(query.get("cursor"))
            if after is not None:
                statement = statement.where((Delivery.created_at < after[0]) | (
                    (Delivery.created_at == after[0]) & (Delivery.id < after[1])))
            rows = session.scalars(statement.order_by(Delivery.created_at.desc(), Delivery.id.desc())
                                   .limit(query["limit"] + 1)).all()
        page = rows[:query["limit"]]
        more = len(rows) > query["limit"]
        return {"items": page, "next_cursor": _cursor_of(page[-1]) if more else None}


@deliveries_blp.route("/<uuid:delivery_id>")
class DeliveryById(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @deliveries_blp.doc(**BEARER)
    @deliveries_blp.response(200, DeliveryDetailOut)
    def get(self, delivery_id: UUID):
        """One delivery with every attempt (time, status code, latency, first bytes of the answer)."""
        with unit_of_work() as session:
            delivery = _delivery(session, delivery_id)
            log = session.scalars(select(Attempt).where(Attempt.delivery_id == delivery.id)
                                  .order_by(Attempt.number)).all()
            delivery.attempt_log = log  # type: ignore[attr-defined]  # for the answer only
            return delivery


@deliveries_blp.route("/<uuid:delivery_id>/replay")
class ReplayOne(MethodView):
    @require(*ROLES, scopes=SCOPES)
    @deliveries_blp.doc(**BEARER)
    @deliveries_blp.response(202, DeliveryOut)
    def post(self, delivery_id: UUID):
        """Send this delivery again (the same webhook-id), with a fresh round of retries."""
        with unit_of_work() as session:
            delivery = _delivery(session, delivery_id)
            deliveries.replay(session, delivery)
            session.commit()
        _notifier().wake()
        return delivery


def _delivery(session, delivery_id: UUID) -> Delivery:
    delivery = session.get(Delivery, delivery_id)
    if delivery is None:
        raise NotFound("webhook-delivery", delivery_id)
    return delivery


def _cursor_of(delivery: Delivery) -> str:
    raw = f"{delivery.created_at.isoformat()}|{delivery.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _cursor(value: str | None) -> tuple[dt.datetime, UUID] | None:
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        when, _, ident = raw.partition("|")
        return dt.datetime.fromisoformat(when), UUID(ident)
    except (ValueError, binascii.Error, UnicodeError):
        raise Problem("Ungültiger Cursor. / Invalid cursor.", status=400) from None
