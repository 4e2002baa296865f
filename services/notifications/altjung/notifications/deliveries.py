"""Webhook deliveries: queued in the consuming transaction (attempts.py makes and logs the attempts)."""

from __future__ import annotations

import uuid
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.notifications import schedule
from altjung.notifications.models import ContactDisclosure, Delivery, Endpoint

#: Event types an endpoint can subscribe to (the test event comes with the "send test event" call).
WEBHOOK_EVENT_TYPES = ("mentor.registered", "mentor.applied", "mentee.registered", "mentee.applied",
                       "patenschaft.started", "patenschaft.ended", "checkin.overdue", "person.erased")
#: The events an e-mail tool acts on: with opt-in they carry these people's contact fields.
CONTACT_EVENT_TYPES = frozenset({"mentor.registered", "mentor.applied", "mentee.registered", "mentee.applied",
                                 "patenschaft.started", "patenschaft.ended"})
TEST_EVENT_TYPE = "webhook.test"


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
        schedule.add(session, "delivery", delivery.id, tenant_id)
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
