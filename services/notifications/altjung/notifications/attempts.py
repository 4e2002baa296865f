"""Attempts at webhook deliveries, in batches: load a site's due deliveries in one transaction, POST
them in parallel, log every attempt and plan the next in one more transaction.

What an attempt comes to: 2xx succeeds; 410 Gone disables the endpoint at once; anything else
(network error, timeout, a redirect, another status) is retried on the schedule, until the endpoint
has failed without a single success for ``disable_after`` (5 days), which disables it too. The
coordinators are told by e-mail when their endpoint is disabled.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.kit.tenancy import tenant_context
from altjung.notifications import deliveries, mails, schedule
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

log = logging.getLogger("altjung.notifications.attempts")

#: A suspended site's due work is looked at again after this (reactivation makes it due at once).
PAUSE_RECHECK = dt.timedelta(minutes=5)
#: How stale an endpoint's last_success_at may get while it keeps succeeding (saves a row lock each).
SUCCESS_PRECISION = dt.timedelta(seconds=1)
_rng = random.SystemRandom()


@dataclass
class Prepared:
    """Everything one attempt needs, read before the network part (no session is held open)."""

    delivery_id: UUID
    endpoint_id: UUID
    url: str
    ring: SecretRing
    envelope: dict
    kind: str
    attempts: int = 0
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


def _prepare(notifier: Notifier, session: Session, delivery: Any, endpoint: Endpoint) -> Prepared:
    keys = notifier.config.secret_keys
    prepared = Prepared(delivery.id, endpoint.id, endpoint.url,
                        SecretRing.decrypt(current=endpoint.secret, previous=endpoint.previous_secret,
                                           previous_valid_until=endpoint.previous_valid_until, keys=keys),
                        dict(delivery.envelope), delivery.kind, delivery.attempts)
    if delivery.kind == "event" and endpoint.include_contacts and \
            delivery.event_type in deliveries.CONTACT_EVENT_TYPES:
        prepared.people = _people(session, delivery.envelope)
    if delivery.kind == "erasure":
        person = UUID(delivery.envelope["payload"]["person_id"])
        disclosure = session.scalars(select(ContactDisclosure).where(
            ContactDisclosure.endpoint_id == endpoint.id, ContactDisclosure.person_id == person)).first()
        prepared.erased_person = person
        prepared.erased_email = decrypt_secret(disclosure.email, keys=keys) if disclosure else None
    return prepared


def body_of(prepared: Prepared, contacts: dict[str, dict | None] | None) -> dict[str, Any]:
    """The JSON body: the envelope, plus contact fields when opted in, plus the erased contact."""
    body = dict(prepared.envelope)
    if contacts is not None:
        body["contacts"] = contacts
    if prepared.kind == "erasure":
        body["erased_contact"] = {"email": prepared.erased_email}
    return body


# --- the three phases -----------------------------------------------------------------------------


def _load(notifier: Notifier, site_id: UUID, ids: list[UUID]) -> list[Prepared]:
    """The site's due deliveries, ready to send; what cannot be sent is settled here."""
    with tenant_context(site_id), notifier.db.session() as session:
        if not notifier.site_active(session, site_id):  # paused: kept, looked at again later
            for delivery_id in ids:
                schedule.plan(session, "delivery", delivery_id, site_id, utcnow() + PAUSE_RECHECK)
            session.commit()
            return []
        # columns, not entities: a batch of hundreds is read often, and nothing here changes them
        rows = session.execute(select(Delivery.id, Delivery.endpoint_id, Delivery.envelope, Delivery.kind,
                                      Delivery.event_type, Delivery.status, Delivery.attempts)
                               .where(Delivery.id.in_(ids))).all()
        endpoints = {e.id: e for e in session.scalars(
            select(Endpoint).where(Endpoint.id.in_({d.endpoint_id for d in rows})))}
        prepared, settled = [], set(ids) - {d.id for d in rows if d.status == "pending"}
        cancelled = []
        for delivery in rows:
            if delivery.status != "pending":
                continue
            endpoint = endpoints.get(delivery.endpoint_id)
            if endpoint is None or not endpoint.enabled:
                cancelled.append(delivery.id)
                continue
            prepared.append(_prepare(notifier, session, delivery, endpoint))
        if cancelled:
            session.execute(update(Delivery).where(Delivery.id.in_(cancelled))
                            .values(status="failed", next_attempt_at=None)
                            .execution_options(synchronize_session=False))
        schedule.done_many(session, "delivery", settled | set(cancelled))
        session.commit()
        return prepared


def _send(notifier: Notifier, site_id: UUID, prepared: Prepared) -> tuple[AttemptResult, dict | None]:
    """Fetch the contact fields (opt-in) and POST once. No database here."""
    contacts: dict[str, dict | None] | None = None
    if prepared.people:
        try:
            contacts = {kind: notifier.directory.contact(site_id, kind, pid) for kind, pid in prepared.people}
        except Unavailable as err:
            return AttemptResult(attempted_at=utcnow(), status_code=None, latency_ms=0.0,
                                 error_detail=f"contact lookup failed: {err}"), None
    result = deliver(prepared.url, body_of(prepared, contacts), prepared.delivery_id, prepared.ring,
                     session=notifier.http, policy=notifier.config.policy, timeouts=notifier.config.timeouts)
    return result, contacts


def _save(notifier: Notifier, site_id: UUID, outcomes: list[tuple[Prepared, AttemptResult, dict | None]]) -> None:
    """Log every attempt and settle or reschedule each delivery, in one transaction for the site.

    Plain successes (the usual case) are written with two set-wise statements; everything else goes
    through _record one by one."""
    with tenant_context(site_id), notifier.db.session() as session:
        endpoints = {e.id: e for e in session.scalars(
            select(Endpoint).where(Endpoint.id.in_({p.endpoint_id for p, _, _ in outcomes})))}
        plain = [(p, r) for p, r, _ in outcomes
                 if r.succeeded and not p.people and p.kind != "erasure" and p.endpoint_id in endpoints]
        if plain:
            _save_successes(session, plain, endpoints)
        others = [o for o in outcomes if not (o[1].succeeded and not o[0].people and o[0].kind != "erasure"
                                              and o[0].endpoint_id in endpoints)]
        rows = {d.id: d for d in session.scalars(
            select(Delivery).where(Delivery.id.in_([p.delivery_id for p, _, _ in others])))} if others else {}
        finished: set[UUID] = {p.delivery_id for p, _ in plain}
        for prepared, result, contacts in others:
            delivery, endpoint = rows.get(prepared.delivery_id), endpoints.get(prepared.endpoint_id)
            if delivery is None or endpoint is None:  # removed meanwhile
                finished.add(prepared.delivery_id)
                continue
            if _record(notifier, session, prepared, result, contacts, site_id, delivery, endpoint):
                finished.add(delivery.id)
        schedule.done_many(session, "delivery", finished)
        session.commit()


def _save_successes(session: Session, plain: list[tuple[Prepared, AttemptResult]],
                    endpoints: dict[UUID, Endpoint]) -> None:
    session.execute(insert(Attempt), [
        {"id": uuid.uuid4(), "delivery_id": p.delivery_id, "number": p.attempts + 1,
         "attempted_at": r.attempted_at, "status_code": r.status_code, "latency_ms": round(r.latency_ms, 2),
         "response_head": r.response_head.decode("utf-8", "replace"), "error_kind": None, "error_detail": None}
        for p, r in plain])
    now = max(r.attempted_at for _, r in plain)
    session.execute(update(Delivery).where(Delivery.id.in_([p.delivery_id for p, _ in plain]))
                    .values(attempts=Delivery.attempts + 1, status="succeeded", succeeded_at=now,
                            last_attempt_at=now, next_attempt_at=None)
                    .execution_options(synchronize_session=False))
    for endpoint_id in {p.endpoint_id for p, _ in plain}:
        endpoint = endpoints[endpoint_id]
        if endpoint.failing_since is not None or endpoint.last_success_at is None or \
                now - endpoint.last_success_at > SUCCESS_PRECISION:
            endpoint.last_success_at, endpoint.failing_since = now, None


def work(notifier: Notifier, jobs: list[tuple[UUID, UUID]]) -> list[AttemptResult]:
    """Attempt these (site, delivery) jobs: load per site, send all in parallel, save per site."""
    by_site: dict[UUID, list[UUID]] = defaultdict(list)
    for site_id, delivery_id in jobs:
        by_site[site_id].append(delivery_id)
    loaded = [(site_id, p) for site_id, ids in by_site.items() for p in _load(notifier, site_id, ids)]
    sent = notifier.map(lambda item: _send(notifier, *item), loaded)
    outcomes: dict[UUID, list[tuple[Prepared, AttemptResult, dict | None]]] = defaultdict(list)
    for (site_id, prepared), (result, contacts) in zip(loaded, sent, strict=True):
        outcomes[site_id].append((prepared, result, contacts))
    for site_id, site_outcomes in outcomes.items():
        _save(notifier, site_id, site_outcomes)
    notifier.wake()  # a disabled-endpoint mail may be due
    return [result for _, result in sent]


# --- what one attempt came to ------------------------------------------------------------------------


def _record(notifier: Notifier, session: Session, prepared: Prepared, result: AttemptResult,
            contacts: dict[str, dict | None] | None, site_id: UUID, delivery: Delivery, endpoint: Endpoint) -> bool:
    """Log the attempt; returns True when the delivery is settled (its job can go)."""
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
        if endpoint.failing_since is not None or endpoint.last_success_at is None or \
                now - endpoint.last_success_at > SUCCESS_PRECISION:
            endpoint.last_success_at, endpoint.failing_since = now, None
        _remember_disclosures(notifier, session, prepared, contacts)
        if prepared.kind == "erasure" and prepared.erased_person is not None:
            session.execute(delete(ContactDisclosure).where(ContactDisclosure.endpoint_id == endpoint.id,
                                                            ContactDisclosure.person_id == prepared.erased_person))
        return True
    endpoint.failing_since = endpoint.failing_since or now
    if endpoint.enabled and result.gone:
        _disable(session, endpoint, "gone", now, site_id)
    elif endpoint.enabled and now - endpoint.failing_since >= notifier.config.disable_after:
        _disable(session, endpoint, "failing", now, site_id)
    delay = None
    if endpoint.enabled:
        round_attempts = delivery.attempts - (delivery.round_start or 0)
        delay = next_attempt_delay(max(round_attempts, 1), _rng, schedule=notifier.config.schedule)
    if delay is None:
        delivery.status, delivery.next_attempt_at = "failed", None
        return True
    delivery.next_attempt_at = now + delay
    schedule.plan(session, "delivery", delivery.id, site_id, now + delay)
    return False


def _remember_disclosures(notifier: Notifier, session: Session, prepared: Prepared,
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


def _disable(session: Session, endpoint: Endpoint, reason: str, now: dt.datetime, site_id: UUID) -> None:
    """Switch an endpoint off and tell the site's coordinators by e-mail (once per switch-off)."""
    endpoint.enabled, endpoint.disabled_at, endpoint.disabled_reason = False, now, reason
    endpoint.version += 1
    mails.queue_site_mail(session, site_id, "endpoint_disabled",
                          f"endpoint_disabled:{endpoint.id}:{int(now.timestamp())}",
                          {"endpoint_url": endpoint.url, "reason": reason,
                           "failing_since": endpoint.failing_since.isoformat() if endpoint.failing_since else None,
                           "disabled_at": now.isoformat()})
    log.warning("webhook endpoint disabled", extra={"endpoint_id": str(endpoint.id), "reason": reason})
