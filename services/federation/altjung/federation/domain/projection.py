"""Applies event envelopes to the read model's facts: idempotent by event id, order-tolerant."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from altjung.federation.domain import categories
from altjung.federation.domain.months import parse_date, parse_instant
from altjung.federation.domain.state import (
    DEFAULT_CHECKIN_INTERVAL_DAYS,
    Checkin,
    MenteeFact,
    MentorFact,
    PatenschaftFact,
    SiteFact,
    Stamp,
    State,
    StatusChange,
    earliest,
    newer,
)

Handler = Callable[[State, dict[str, Any], str | None, Stamp], None]


def apply(state: State, envelope: Mapping[str, Any] | Any) -> bool:
    """Fold one envelope ({id, type, occurred_at, tenant_id, payload}, or an object with
    to_dict() giving that) into the state.

    Returns False when the event id was applied before or the type is not one the read
    model uses; the id is recorded either way, as the DB layer records it with the effect."""
    if not isinstance(envelope, Mapping):
        envelope = envelope.to_dict()
    event_id = str(envelope["id"])
    if event_id in state.seen:
        return False
    state.seen.add(event_id)
    occurred_at = parse_instant(envelope["occurred_at"])
    if state.data_as_of is None or occurred_at > state.data_as_of:
        state.data_as_of = occurred_at
    handler = HANDLERS.get(str(envelope["type"]))
    if handler is None:
        return False
    tenant = envelope.get("tenant_id")
    handler(state, dict(envelope["payload"]), str(tenant) if tenant else None, (occurred_at, event_id))
    return True


def _id(payload: dict[str, Any], key: str) -> str:
    return str(payload[key])


def _year(value: Any) -> int | None:
    return None if value is None else int(value)


def when_tenant_created(state: State, payload: dict[str, Any], _tenant: str | None, stamp: Stamp) -> None:
    """tenant.created and tenant.updated: the site's registry entry, the latest one wins."""
    site = _site(state, _id(payload, "tenant_id"))
    if newer(stamp, site.stamp):
        site.slug, site.name, site.stamp = payload.get("slug"), payload.get("name"), stamp
        site.bundesland = categories.bundesland(payload.get("bundesland"))


def when_settings_changed(state: State, payload: dict[str, Any], _tenant: str | None, stamp: Stamp) -> None:
    """The whole settings document; the highest document version wins."""
    site = _site(state, _id(payload, "tenant_id"))
    version = (int(payload.get("version") or 0), stamp)
    if site.settings_stamp is None or version > site.settings_stamp:
        interval = (payload.get("settings") or {}).get("checkin_interval_days")
        site.checkin_interval_days = int(interval) if interval else DEFAULT_CHECKIN_INTERVAL_DAYS
        site.settings_stamp = version


def when_mentor_registered(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    mentor = _mentor(state, _id(payload, "mentor_id"), tenant)
    mentor.registered_on = earliest(mentor.registered_on, parse_date(payload.get("registered_on")))
    if newer(stamp, mentor.registration_stamp):
        mentor.birth_year, mentor.registration_stamp = _year(payload.get("birth_year")), stamp


def when_mentor_status_changed(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    mentor = _mentor(state, _id(payload, "mentor_id"), tenant)
    mentor.statuses[stamp[1]] = _status_change(payload, stamp)


def when_mentee_status_changed(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    mentee = _mentee(state, _id(payload, "mentee_id"), tenant)
    mentee.statuses[stamp[1]] = _status_change(payload, stamp)


def _status_change(payload: dict[str, Any], stamp: Stamp) -> StatusChange:
    changed_on = parse_date(payload.get("changed_on")) or stamp[0].date()
    return StatusChange(changed_on=changed_on, status=str(payload["status"]), stamp=stamp)


def when_mentee_registered(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    mentee = _mentee(state, _id(payload, "mentee_id"), tenant)
    mentee.registered_on = earliest(mentee.registered_on, parse_date(payload.get("registered_on")))
    if newer(stamp, mentee.registration_stamp):
        mentee.birth_year = _year(payload.get("birth_year"))
        mentee.target_group = categories.target_group(payload.get("target_group"))
        mentee.registration_stamp = stamp


def when_patenschaft_proposed(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    patenschaft = _patenschaft(state, _id(payload, "patenschaft_id"), tenant)
    if newer(stamp, patenschaft.proposal_stamp):
        patenschaft.proposed_on = parse_date(payload.get("proposed_on"))
        patenschaft.proposal_stamp = stamp
        if patenschaft.start_stamp is None:  # the start names the Tandem that actually began
            patenschaft.mentor_id, patenschaft.mentee_id = _pair(payload)


def when_patenschaft_started(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    patenschaft = _patenschaft(state, _id(payload, "patenschaft_id"), tenant)
    if newer(stamp, patenschaft.start_stamp):
        patenschaft.started_on = parse_date(payload.get("started_on"))
        patenschaft.target_group = categories.target_group(payload.get("target_group"))
        patenschaft.mentor_id, patenschaft.mentee_id = _pair(payload)
        patenschaft.start_stamp = stamp


def when_patenschaft_ended(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    patenschaft = _patenschaft(state, _id(payload, "patenschaft_id"), tenant)
    if newer(stamp, patenschaft.end_stamp):
        patenschaft.ended_on = parse_date(payload.get("ended_on"))
        patenschaft.end_reason = categories.end_reason(payload.get("reason"))
        planned, goals = payload.get("planned"), payload.get("goals_reached")
        patenschaft.planned = None if planned is None else bool(planned)
        patenschaft.goals_reached = None if goals is None else str(goals)
        patenschaft.end_stamp = stamp


def when_checkin_logged(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    patenschaft = _patenschaft(state, _id(payload, "patenschaft_id"), tenant)
    on, checkin_id = parse_date(payload.get("on")), _id(payload, "checkin_id")
    known = patenschaft.checkins.get(checkin_id)
    if on is not None and (known is None or newer(stamp, known.stamp)):
        patenschaft.checkins[checkin_id] = Checkin(on=on, stamp=stamp)


def when_person_erased(state: State, payload: dict[str, Any], tenant: str | None, stamp: Stamp) -> None:
    """Nothing personal is held here, so nothing is removed; the date ends the person's
    time in the waiting and active counts from then on, past months keep their figures."""
    kind, person_id, on = payload.get("person_kind"), _id(payload, "person_id"), stamp[0].date()
    if kind == "mentor":
        person: MentorFact | MenteeFact = _mentor(state, person_id, tenant)
    elif kind == "mentee":
        person = _mentee(state, person_id, tenant)
    else:
        return
    person.erased_on = earliest(person.erased_on, on)


def _pair(payload: dict[str, Any]) -> tuple[str | None, str | None]:
    mentor, mentee = payload.get("mentor_id"), payload.get("mentee_id")
    return (str(mentor) if mentor else None), (str(mentee) if mentee else None)


def _site(state: State, tenant_id: str) -> SiteFact:
    return state.sites.setdefault(tenant_id, SiteFact(tenant_id=tenant_id))


# Facts are keyed by (site, id): an id names a person or Patenschaft of the site whose event names
# it. Taking the site from whichever event arrived first made the outcome depend on arrival order
# when two sites' events named the same id (a partner's integration reusing ids, a replayed import).

def _mentor(state: State, mentor_id: str, tenant: str | None) -> MentorFact:
    key = (tenant or "", mentor_id)
    return state.mentors.setdefault(key, MentorFact(mentor_id=mentor_id, tenant_id=tenant))


def _mentee(state: State, mentee_id: str, tenant: str | None) -> MenteeFact:
    key = (tenant or "", mentee_id)
    return state.mentees.setdefault(key, MenteeFact(mentee_id=mentee_id, tenant_id=tenant))


def _patenschaft(state: State, patenschaft_id: str, tenant: str | None) -> PatenschaftFact:
    key = (tenant or "", patenschaft_id)
    return state.patenschaften.setdefault(key, PatenschaftFact(patenschaft_id=patenschaft_id, tenant_id=tenant))


#: The event types the read model folds in; every other type (tenant.suspended, patenschaft.declined,
#: checkin.overdue …) is acknowledged and skipped.
HANDLERS: dict[str, Handler] = {
    "tenant.created": when_tenant_created,
    "tenant.updated": when_tenant_created,
    "settings.changed": when_settings_changed,
    "mentor.registered": when_mentor_registered,
    "mentor.applied": when_mentor_registered,
    "mentor.status_changed": when_mentor_status_changed,
    "mentee.registered": when_mentee_registered,
    "mentee.applied": when_mentee_registered,
    "mentee.status_changed": when_mentee_status_changed,
    "patenschaft.proposed": when_patenschaft_proposed,
    "patenschaft.started": when_patenschaft_started,
    "patenschaft.ended": when_patenschaft_ended,
    "checkin.logged": when_checkin_logged,
    "person.erased": when_person_erased,
}


def apply_all(state: State, envelopes: Iterable[Mapping[str, Any] | Any]) -> int:
    """Apply many envelopes; returns how many changed the state."""
    return sum(apply(state, envelope) for envelope in envelopes)

