"""Every event type of the platform, with its version and a sample payload."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import Any
from uuid import UUID

from altjung.events.base import Event, UnknownEventType
from altjung.events.envelope import Envelope

_ID = "0b7c6a52-4a0e-4f43-9a55-1b2a7f0c9e11"
_ID2 = "5d2f3e1a-8c9b-4d6e-a1f0-2b3c4d5e6f70"
_ID3 = "9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"


def _event(type_: str, version: int, sample: dict[str, Any]) -> Callable[[type], type]:
    def decorate(cls: type) -> type:
        cls = dataclasses.dataclass(frozen=True, kw_only=True)(cls)
        cls.TYPE, cls.VERSION, cls.SAMPLE = type_, version, sample
        CATALOGUE[type_] = cls
        return cls

    return decorate


#: type -> current event class. One class per type; a breaking change is a new type.
CATALOGUE: dict[str, type[Event]] = {}

# --- platform and tenants -------------------------------------------------------------------------


@_event("tenant.created", 1, {"tenant_id": _ID, "slug": "koeln", "name": "Seniorenbüro Köln",
                              "bundesland": "DE-NW", "first_coordinator_email": "koordination@example.org"})
class TenantCreated(Event):
    """A partner site was created. The first coordinator's work e-mail travels to identity only."""

    tenant_id: UUID
    slug: str
    name: str
    bundesland: str
    first_coordinator_email: str | None = None


@_event("tenant.updated", 1, {"tenant_id": _ID, "slug": "koeln", "name": "Seniorenbüro Köln",
                              "bundesland": "DE-NW", "status": "active"})
class TenantUpdated(Event):
    """A partner site's registry entry changed."""

    tenant_id: UUID
    slug: str
    name: str
    bundesland: str
    status: str


@_event("tenant.suspended", 1, {"tenant_id": _ID, "reason": "contract_paused"})
class TenantSuspended(Event):
    """A partner site was suspended: no logins, tokens, webhooks or public form."""

    tenant_id: UUID
    reason: str


@_event("tenant.reactivated", 1, {"tenant_id": _ID})
class TenantReactivated(Event):
    """A suspended partner site is active again."""

    tenant_id: UUID


@_event("tenant.archived", 1, {"tenant_id": _ID})
class TenantArchived(Event):
    """A partner site was archived and is read-only from now on."""

    tenant_id: UUID


@_event("settings.changed", 1, {"tenant_id": _ID, "version": 2, "settings": {"checkin_interval_days": 28}})
class SettingsChanged(Event):
    """A partner site's settings changed; carries the whole new settings document (no person in it)."""

    tenant_id: UUID
    version: int
    settings: dict


# --- identity -------------------------------------------------------------------------------------


@_event("user.invited", 1, {"invitation_id": _ID, "tenant_id": _ID2, "role": "coordinator",
                            "expires_at": "2026-12-03T10:00:00+00:00"})
class UserInvited(Event):
    """Somebody was invited; notifications fetches address and link from identity when it sends."""

    invitation_id: UUID
    tenant_id: UUID | None = None
    role: str
    expires_at: dt.datetime


@_event("user.activated", 1, {"user_id": _ID, "tenant_id": _ID2, "role": "coordinator"})
class UserActivated(Event):
    """An invited person accepted and set their password."""

    user_id: UUID
    tenant_id: UUID | None = None
    role: str


@_event("user.password_reset_requested", 1, {"reset_id": _ID, "user_id": _ID2})
class UserPasswordResetRequested(Event):
    """Somebody asked for a password reset; notifications fetches address and link from identity."""

    reset_id: UUID
    user_id: UUID


# --- matching -------------------------------------------------------------------------------------


@_event("mentor.registered", 1, {"mentor_id": _ID, "birth_year": 1956, "registered_on": "2026-03-01"})
class MentorRegistered(Event):
    """A Pate/Patin was registered by staff."""

    mentor_id: UUID
    birth_year: int | None = None
    registered_on: dt.date


@_event("mentor.applied", 1, {"mentor_id": _ID, "birth_year": 1956, "registered_on": "2026-03-01"})
class MentorApplied(Event):
    """A prospective Pate/Patin registered interest through the public form."""

    mentor_id: UUID
    birth_year: int | None = None
    registered_on: dt.date


@_event("mentor.status_changed", 1, {"mentor_id": _ID, "status": "screened", "changed_on": "2026-03-10"})
class MentorStatusChanged(Event):
    """A mentor moved to another status (screened, active, paused, left)."""

    mentor_id: UUID
    status: str
    changed_on: dt.date


@_event("mentee.registered", 1, {"mentee_id": _ID, "target_group": "refugee", "birth_year": 2008,
                                 "registered_on": "2026-03-01"})
class MenteeRegistered(Event):
    """A mentee was registered by staff and waits for a Pate/Patin."""

    mentee_id: UUID
    target_group: str
    birth_year: int | None = None
    registered_on: dt.date


@_event("mentee.applied", 1, {"mentee_id": _ID, "target_group": "single_parent", "birth_year": 1999,
                              "registered_on": "2026-03-01"})
class MenteeApplied(Event):
    """A prospective mentee registered interest through the public form."""

    mentee_id: UUID
    target_group: str
    birth_year: int | None = None
    registered_on: dt.date


@_event("mentee.status_changed", 1, {"mentee_id": _ID, "status": "waiting", "changed_on": "2026-03-10"})
class MenteeStatusChanged(Event):
    """A mentee moved to another status."""

    mentee_id: UUID
    status: str
    changed_on: dt.date


@_event("patenschaft.proposed", 1, {"patenschaft_id": _ID, "mentor_id": _ID2, "mentee_id": _ID3,
                                    "proposed_on": "2026-04-01"})
class PatenschaftProposed(Event):
    """A Tandem was proposed to both sides."""

    patenschaft_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    proposed_on: dt.date


@_event("patenschaft.declined", 1, {"patenschaft_id": _ID, "reason": "no_time", "declined_on": "2026-04-03"})
class PatenschaftDeclined(Event):
    """A proposed Tandem was declined or withdrawn."""

    patenschaft_id: UUID
    reason: str
    declined_on: dt.date


@_event("patenschaft.started", 1, {"patenschaft_id": _ID, "mentor_id": _ID2, "mentee_id": _ID3,
                                   "started_on": "2026-04-10", "target_group": "refugee"})
class PatenschaftStarted(Event):
    """A Tandem was formed and its Patenschaft began."""

    patenschaft_id: UUID
    mentor_id: UUID
    mentee_id: UUID
    started_on: dt.date
    target_group: str  # a category code, never free text


@_event("patenschaft.ended", 1, {"patenschaft_id": _ID, "ended_on": "2027-04-10", "reason": "goal_reached",
                                 "planned": True, "goals_reached": "yes"})
class PatenschaftEnded(Event):
    """A Patenschaft ended, with a reason category and a closure assessment."""

    patenschaft_id: UUID
    ended_on: dt.date
    reason: str
    planned: bool
    goals_reached: str | None = None


@_event("checkin.logged", 1, {"patenschaft_id": _ID, "checkin_id": _ID2, "on": "2026-05-01", "kind": "quick"})
class CheckinLogged(Event):
    """Staff logged a contact with a Tandem. The note stays with the site."""

    patenschaft_id: UUID
    checkin_id: UUID
    on: dt.date
    kind: str


@_event("checkin.overdue", 1, {"patenschaft_id": _ID, "due_since": "2026-06-01", "period": "2026-06"})
class CheckinOverdue(Event):
    """A Tandem fell behind the check-in cadence; announced once per period."""

    patenschaft_id: UUID
    due_since: dt.date
    period: str


@_event("screening.stalled", 1, {"person_kind": "mentor", "person_id": _ID, "status": "applicant",
                                 "since": "2026-03-01", "days": 7})
class ScreeningStalled(Event):
    """An applicant has waited this many days (7, then 14) in one screening step; announced once each."""

    person_kind: str  # "mentor" | "mentee"
    person_id: UUID
    status: str  # the status it is stuck in (applicant, screened)
    since: dt.date
    days: int


@_event("person.erased", 1, {"person_kind": "mentor", "person_id": _ID})
class PersonErased(Event):
    """A mentor's or mentee's personal data was erased (GDPR Art. 17)."""

    person_kind: str
    person_id: UUID


# --- helpers --------------------------------------------------------------------------------------

#: (type, from_version) -> function that turns that version's payload into the next one.
UPCASTERS: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


def event_class(type_: str) -> type[Event]:
    """The class of an event type; unknown types fail loudly."""
    try:
        return CATALOGUE[type_]
    except KeyError:
        raise UnknownEventType(f"unknown event type {type_!r}") from None


def sample_of(type_: str) -> dict[str, Any]:
    """The documented sample payload of a type."""
    return dict(event_class(type_).SAMPLE)


def upcast(envelope: Envelope) -> Envelope:
    """Bring an envelope to the current version of its type, one step at a time, and validate it."""
    cls = event_class(envelope.type)
    payload, version = envelope.payload, envelope.version
    while version < cls.VERSION:
        step = UPCASTERS.get((envelope.type, version))
        if step is None:
            raise UnknownEventType(f"no upcaster for {envelope.type} v{version}")
        payload, version = step(payload), version + 1
    if version != cls.VERSION:
        raise UnknownEventType(f"{envelope.type} v{version} is newer than this code (v{cls.VERSION})")
    cls.from_payload(payload)  # validates, raising EventInvalid
    return dataclasses.replace(envelope, version=version, payload=payload)


