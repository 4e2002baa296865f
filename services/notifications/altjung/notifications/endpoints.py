"""Use cases on webhook endpoints: register, change, rotate the secret, send a test event, replay."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.kit.problems import NotFound, PreconditionFailed, Problem, Unprocessable
from altjung.notifications import deliveries
from altjung.notifications.delivery import (
    InvalidEndpointUrl,
    decrypt_secret,
    encrypt_secret,
    generate_secret,
    validate_url,
)
from altjung.notifications.models import Delivery, Endpoint
from altjung.notifications.notifier import Notifier


@dataclass(frozen=True)
class WithSecret:
    """An endpoint and its signing secret in clear, shown to the caller exactly once."""

    endpoint: Endpoint
    secret: str
    previous_valid_until: dt.datetime | None = None


def _checked_url(notifier: Notifier, url: str) -> str:
    try:
        return validate_url(url, notifier.config.allow_loopback, resolve=notifier.resolve)
    except InvalidEndpointUrl as err:
        raise Unprocessable(f"Diese Adresse ist nicht erlaubt. / This URL is not allowed: {err.reason}.",
                            errors={"json": {"url": [err.reason]}}) from None


def _checked_types(types: list[str] | None) -> list[str] | None:
    if types is None:
        return None
    unknown = sorted(set(types) - set(deliveries.WEBHOOK_EVENT_TYPES))
    if unknown:
        raise Unprocessable("Unbekannte Ereignisarten. / Unknown event types.",
                            errors={"json": {"event_types": [f"unknown: {', '.join(unknown)}"]}})
    return sorted(set(types))


def get(session: Session, endpoint_id: UUID) -> Endpoint:
    endpoint = session.get(Endpoint, endpoint_id)  # another site's: None (tenant-scoped)
    if endpoint is None:
        raise NotFound("webhook-endpoint", endpoint_id)
    return endpoint


def create(notifier: Notifier, session: Session, data: dict) -> WithSecret:
    secret = generate_secret()
    endpoint = Endpoint(id=uuid.uuid4(), url=_checked_url(notifier, data["url"]),
                        description=data.get("description", ""), event_types=_checked_types(data.get("event_types")),
                        enabled=data.get("enabled", True), include_contacts=data.get("include_contacts", False),
                        secret=encrypt_secret(secret, keys=notifier.config.secret_keys))
    session.add(endpoint)
    return WithSecret(endpoint, secret)


def change(notifier: Notifier, session: Session, endpoint_id: UUID, data: dict, expected: int | None) -> Endpoint:
    endpoint = get(session, endpoint_id)
    if expected is None:
        raise Problem("Bitte die gelesene Version mitsenden (If-Match oder version). / "
                      "Send the version you read (If-Match or version).", status=428)
    if expected != endpoint.version:
        raise PreconditionFailed("Der Eintrag wurde inzwischen geändert. / The endpoint changed meanwhile.")
    if "url" in data:
        endpoint.url = _checked_url(notifier, data["url"])
    if "event_types" in data:
        endpoint.event_types = _checked_types(data["event_types"])
    for name in ("description", "include_contacts"):
        if name in data:
            setattr(endpoint, name, data[name])
    if "enabled" in data and data["enabled"] != endpoint.enabled:
        endpoint.enabled = data["enabled"]
        if endpoint.enabled:  # a fresh start: five days counted from now
            endpoint.disabled_at = endpoint.disabled_reason = endpoint.failing_since = None
    endpoint.version += 1
    endpoint.updated_at = utcnow()
    return endpoint


def rotate(notifier: Notifier, session: Session, endpoint_id: UUID) -> WithSecret:
    """A new secret; the current one keeps signing (a second signature) for the overlap."""
    endpoint = get(session, endpoint_id)
    keys = notifier.config.secret_keys
    secret, now = generate_secret(), utcnow()
    endpoint.previous_secret = encrypt_secret(decrypt_secret(endpoint.secret, keys=keys), keys=keys)
    endpoint.previous_valid_until = now + notifier.config.rotation_overlap
    endpoint.secret = encrypt_secret(secret, keys=keys)
    endpoint.version += 1
    endpoint.updated_at = now
    return WithSecret(endpoint, secret, endpoint.previous_valid_until)


def send_test(session: Session, endpoint_id: UUID, tenant_id: UUID) -> Delivery:
    """Queue a `webhook.test` event for this endpoint alone (even when it subscribes to nothing else)."""
    endpoint = get(session, endpoint_id)
    envelope = {"id": str(uuid.uuid4()), "type": deliveries.TEST_EVENT_TYPE, "version": 1,
                "occurred_at": utcnow().isoformat().replace("+00:00", "Z"), "tenant_id": str(tenant_id),
                "payload": {"endpoint_id": str(endpoint.id),
                            "message": "Testereignis von Alt & Jung / Test event from Alt & Jung"}}
    return deliveries.queue(session, tenant_id, envelope, endpoints=[endpoint], kind="test")[0]


def replay_failed(session: Session, endpoint_id: UUID, since: dt.datetime) -> int:
    """Send every failed delivery of the endpoint created since ``since`` again; returns how many."""
    endpoint = get(session, endpoint_id)
    failed = session.scalars(select(Delivery).where(Delivery.endpoint_id == endpoint.id, Delivery.status == "failed",
                                                    Delivery.created_at >= since)).all()
    for delivery in failed:
        deliveries.replay(session, delivery)
    return len(failed)
