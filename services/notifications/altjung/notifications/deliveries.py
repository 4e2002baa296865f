"""Webhook deliveries: queued in the consuming transaction, attempted by the scheduler, every attempt logged."""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from altjung.kit import site_status
from altjung.kit.bus.models import utcnow
from altjung.kit.tenancy import tenant_context
from altjung.notifications import mails, schedule
from altjung.notifications.delivery import (
    AttemptResult,
    SecretRing,
    decrypt_secret,
    deliver,
    encrypt_secret,
    next_attempt_delay,
)
from altjung.notifications.directory import Unavailable
from altjung.notifications.models import Attempt, ContactDisclosure, Delivery, Endpoint, Tandem

if TYPE_CHECKING:
    from altjung.notifications.notifier import Notifier

log = logging.getLogger("altjung.notifications.deliveries")

#: Event types an endpoint can subscribe to (the test event comes with the "send test event" call).
WEBHOOK_EVENT_TYPES = ("mentor.registered", "mentor.applied", "mentee.registered", "mentee.applied",
                       "patenschaft.started", "patenschaft.ended", "checkin.overdue", "person.erased")
#: The events an e-mail tool acts on: with opt-in they carry these people's contact fields.
CONTACT_EVENT_TYPES = frozenset({"mentor.registered", "mentor.applied", "mentee.registered", "mentee.applied",
                                 "patenschaft.started", "patenschaft.ended"})
TEST_EVENT_TYPE = "webhook.test"
#: A suspended site's due work is looked at again after this (reactivation makes it due at once).
PAUSE_RECHECK = dt.timedelta(minutes=5)
_rng = random.SystemRandom()


# --- queueing (inside the consuming transaction) -----------------------------------------------


def queue(session: Session, tenant_id: UUID, envelope: dict, *, endpoints: list[Endpoint] | None = None,
          kind: str = "event") -> list[Delivery]:
    """One delivery per endpoint of the site that wants this type; each is due now."""
    if endpoints is None:
        endpoints = [e for e in session.scalars(select(Endpoint).where(Endpoint.enabled.is_(True)))
                     if e.wants(envelope["type"])]
    made = []
    for endpoint in endpoints:
        delivery = Delivery(id=uuid.uuid4(), tenant_id=tenant_id, endpoint_id=endpoint.id,
                            event_id=UUID(str(envelope["id"])), event_type=envelope["type"], kind=kind,
                            envelope=envelope, next_attempt_at=utcnow())
        session.add(delivery)
        schedule.plan(session, "delivery", delivery.id, tenant_id)
        made.append(delivery)
    return made


def queue_erasure_notices(session: Session, tenant_id: UUID, envelope: dict, person_id: UUID) -> set[UUID]:
    """Every endpoint that was sent this person's contact gets a notice; returns those endpoints."""
    disclosed = session.scalars(select(ContactDisclosure).where(ContactDisclosure.person_id == person_id)).all()
    endpoints = [session.get(Endpoint, d.endpoint_id) for d in disclosed]
    queue(session, tenant_id, envelope, endpoints=[e for e in endpoints if e is not None], kind="erasure")
    return {d.endpoint_id for d in disclosed}


def replay(session: Session, delivery: Delivery) -> None:
    """Send a delivery again (same webhook-id), with a fresh round of retries."""
    delivery.status, delivery.next_attempt_at = "pending", utcnow()
    delivery.round_start = delivery.attempts  # the retry schedule counts from the replay on
    schedule.plan(session, "delivery", delivery.id, delivery.tenant_id)


# --- one attempt (the scheduler) ----------------------------------------------------------------


@dataclass
class _Prepared:
    delivery_id: UUID
    endpoint_id: UUID
    url: str
    ring: SecretRing
    envelope: dict
    kind: str
    include_contacts: bool
    people: list[tuple[str, UUID]] = field(default_factory=list)
    erased_email: str | None = None
    erased_person: UUID | None = None


def _people(session: Session, envelope: dict) -> list[tuple[str, UUID]]:
    """(kind, id) of the people an event is about, for their contact fields."""
    payload, type_ = envelope.get("payload", {}), envelope["type"]
    if type_.startswith("mentor."):
        return [("mentor", UUID(payload["mentor_id"]))]
    if type_.startswith("mentee."):
        return [("mentee", UUID(payload["mentee_id"]))]
    if type_ == "patenschaft.started":
        return [("mentor", UUID(payload["mentor_id"])), ("mentee", UUID(payload["mentee_id"]))]
    if type_ == "patenschaft.ended":
        tandem = session.scalars(select(Tandem).where(Tandem.patenschaft_id == UUID(payload["patenschaft_id"]))).first()
        return [] if tandem is None else [("mentor", tandem.mentor_id), ("mentee", tandem.mentee_id)]
    return []


def _prepare(notifier: Notifier, session: Session, delivery: Delivery, endpoint: Endpoint) -> _Prepared:
    keys = notifier.config.secret_keys
    prepared = _Prepared(delivery.id, endpoint.id, endpoint.url,
                         SecretRing.decrypt(current=endpoint.secret, previous=endpoint.previous_secret,
                                            previous_valid_until=endpoint.previous_valid_until, keys=keys),
                         dict(delivery.envelope), delivery.kind, endpoint.include_contacts)
    if delivery.kind == "event" and endpoint.include_contacts and delivery.event_type in CONTACT_EVENT_TYPES:
        prepared.people = _people(session, delivery.envelope)
    if delivery.kind == "erasure":
        person = UUID(delivery.envelope["payload"]["person_id"])
        disclosure = session.scalars(select(ContactDisclosure).where(
            ContactDisclosure.endpoint_id == endpoint.id, ContactDisclosure.person_id == person)).first()
        prepared.erased_person = person
        prepared.erased_email = decrypt_secret(disclosure.email, keys=keys) if disclosure else None
    return prepared


def body_of(prepared: _Prepared, contacts: dict[str, dict | None] | None) -> dict[str, Any]:
    """The JSON body: the envelope, plus contact fields when opted in, plus the erased contact."""
    body = dict(prepared.envelope)
    if contacts is not None:
        body["contacts"] = contacts
    if prepared.kind == "erasure":
        body["erased_contact"] = {"email": prepared.erased_email}
    return body


def attempt(notifier: Notifier, delivery_id: UUID, site_id: UUID) -> AttemptResult | None:
    """Make the next attempt of one delivery (a scheduler job) and record what came of it."""
    with tenant_context(site_id):
        with notifier.db.session() as session:
            delivery = session.get(Delivery, delivery_id)
            if delivery is None or delivery.status != "pending":
                schedule.done(session, "delivery", delivery_id)
                session.commit()
                return None
            if not site_status.is_active(session, site_id):
                schedule.plan(session, "delivery", delivery_id, site_id, utcnow() + PAUSE_RECHECK)
                session.commit()
                return None
            endpoint = session.get(Endpoint, delivery.endpoint_id)
            if endpoint is None or not endpoint.enabled:
                delivery.status = "failed"
                schedule.done(session, "delivery", delivery_id)
                session.commit()
                return None
            prepared = _prepare(notifier, session, delivery, endpoint)
        contacts: dict[str, dict | None] | None = None
        result: AttemptResult | None = None
        if prepared.people:
            try:
                contacts = {kind: notifier.directory.contact(site_id, kind, pid) for kind, pid in prepared.people}
            except Unavailable as err:
                result = AttemptResult(attempted_at=utcnow(), status_code=None, latency_ms=0.0,
                                       error_kind=None, error_detail=f"contact lookup failed: {err}")
        if result is None:
            result = deliver(prepared.url, body_of(prepared, contacts), prepared.delivery_id, prepared.ring,
                             session=notifier.http, policy=notifier.config.policy, timeouts=notifier.config.timeouts)
        with notifier.db.session() as session:
            _record(notifier, session, prepared, result, contacts, site_id)
            session.commit()
        notifier.wake()  # a disabled-endpoint mail may be due
        return result


def _record(notifier: Notifier, session: Session, prepared: _Prepared, result: AttemptResult,
            contacts: dict[str, dict | None] | None, site_id: UUID) -> None:
    delivery = session.get(Delivery, prepared.delivery_id)
    endpoint = session.get(Endpoint, prepared.endpoint_id)
    if delivery is None or endpoint is None:
        schedule.done(session, "delivery", prepared.delivery_id)
        return
    now = result.attempted_at
    delivery.attempts += 1
    delivery.last_attempt_at = now
    session.add(Attempt(delivery_id=delivery.id, number=delivery.attempts, attempted_at=now,
                        status_code=result.status_code, latency_ms=round(result.latency_ms, 2),
                        response_head=result.response_head.decode("utf-8", "replace"),
                        error_kind=(str(result.error_kind) if result.error_kind else
                                    ("contact_lookup" if result.status_code is None else None)),
                        error_detail=result.error_detail))
    if result.succeeded:
        delivery.status, delivery.succeeded_at, delivery.next_attempt_at = "succeeded", now, None
        endpoint.last_success_at, endpoint.failing_since = now, None
        schedule.done(session, "delivery", delivery.id)
        _remember_disclosures(notifier, session, prepared, contacts)
        if prepared.kind == "erasure" and prepared.erased_person is not None:
            session.execute(delete(ContactDisclosure).where(ContactDisclosure.endpoint_id == endpoint.id,
                                                            ContactDisclosure.person_id == prepared.erased_person))
        return
    endpoint.failing_since = endpoint.failing_since or now
    if result.gone:
        _disable(notifier, session, endpoint, "gone", now, site_id)
    elif now - endpoint.failing_since >= notifier.config.disable_after:
        _disable(notifier, session, endpoint, "failing", now, site_id)
    if not endpoint.enabled:
        delivery.status, delivery.next_attempt_at = "failed", None
        schedule.done(session, "delivery", delivery.id)
        return
    round_attempts = delivery.attempts - (delivery.round_start or 0)
    delay = next_attempt_delay(max(round_attempts, 1), _rng, schedule=notifier.config.schedule)
    if delay is None:
        delivery.status, delivery.next_attempt_at = "failed", None
        schedule.done(session, "delivery", delivery.id)
        return
    delivery.next_attempt_at = now + delay
    schedule.plan(session, "delivery", delivery.id, site_id, now + delay)


def _remember_disclosures(notifier: Notifier, session: Session, prepared: _Prepared,
                          contacts: dict[str, dict | None] | None) -> None:
    for kind, person_id in prepared.people:
        contact = (contacts or {}).get(kind)
        if not contact or not contact.get("email"):
            continue
        known = session.scalars(select(ContactDisclosure).where(ContactDisclosure.endpoint_id == prepared.endpoint_id,
                                                                ContactDisclosure.person_id == person_id)).first()
        email = encrypt_secret(contact["email"], keys=notifier.config.secret_keys)
        if known is None:
            session.add(ContactDisclosure(endpoint_id=prepared.endpoint_id, person_id=person_id, person_kind=kind,
                                          email=email))
        else:
            known.email = email


def _disable(notifier: Notifier, session: Session, endpoint: Endpoint, reason: str, now: dt.datetime,
             site_id: UUID) -> None:
    """Switch an endpoint off and tell the site's coordinators by e-mail (once per switch-off)."""
    endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason
    endpoint.version += 1
    mails.queue_site_mail(session, site_id, "endpoint_disabled",
                          f"endpoint_disabled:{endpoint.id}:{int(now.timestamp())}",
                          {"endpoint_url": endpoint.url, "reason": reason,
                           "failing_since": endpoint.failing_since.isoformat() if endpoint.failing_since else None,
                           "disabled_at": now.isoformat()})
    log.warning("webhook endpoint disabled", extra={"endpoint_id": str(endpoint.id), "reason": reason})
