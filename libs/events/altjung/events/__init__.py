"""The Alt & Jung event catalogue: every domain event, its schema and its version."""

from __future__ import annotations

from altjung.events.base import Event, EventInvalid, UnknownEventType
from altjung.events.catalogue import CATALOGUE, event_class, sample_of
from altjung.events.envelope import Envelope
from altjung.events.routing import SUBSCRIPTIONS, Subscription, subscribers_of

__all__ = [
    "CATALOGUE",
    "SUBSCRIPTIONS",
    "Envelope",
    "Event",
    "EventInvalid",
    "Subscription",
    "UnknownEventType",
    "event_class",
    "sample_of",
    "subscribers_of",
]
