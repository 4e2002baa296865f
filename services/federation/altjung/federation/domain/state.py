"""The read model's facts: ids, categories and dates only, never a person's data."""

from __future__ import annotations

import dataclasses
import datetime as dt

from altjung.federation.domain.categories import UNKNOWN

#: Days between check-ins a partner site expects unless it configured its own.
DEFAULT_CHECKIN_INTERVAL_DAYS = 28

#: Orders two writes of the same fact: the later occurred_at wins, the event id breaks ties,
#: so the outcome never depends on the order in which events arrive.
Stamp = tuple[dt.datetime, str]


#: A fact's key in the State: (tenant id or "" when an event named none, the fact's own id).
FactKey = tuple[str, str]


def newer(stamp: Stamp, than: Stamp | None) -> bool:
    return than is None or stamp > than


def earliest(day: dt.date | None, other: dt.date | None) -> dt.date | None:
    if day is None or other is None:
        return day or other
    return min(day, other)


#: Mentee statuses in which a mentee is not waiting for a Pate/Patin (matching's MenteeStatus).
NOT_WAITING = frozenset({"matched", "paused", "left"})


@dataclasses.dataclass
class SiteFact:
    """A partner site (tenant). Its name is an organisation's, not a person's."""

    tenant_id: str
    slug: str | None = None
    name: str | None = None
    bundesland: str = UNKNOWN
    stamp: Stamp | None = None  # of tenant.created / tenant.updated
    checkin_interval_days: int = DEFAULT_CHECKIN_INTERVAL_DAYS
    settings_stamp: tuple[int, Stamp] | None = None  # settings document version first


@dataclasses.dataclass(frozen=True)
class StatusChange:
    changed_on: dt.date
    status: str
    stamp: Stamp


@dataclasses.dataclass(frozen=True)
class Checkin:
    on: dt.date
    stamp: Stamp


@dataclasses.dataclass
class MentorFact:
    mentor_id: str
    tenant_id: str | None = None
    birth_year: int | None = None
    registered_on: dt.date | None = None  # the earliest of mentor.registered / mentor.applied
    registration_stamp: Stamp | None = None  # orders corrections of birth_year
    statuses: dict[str, StatusChange] = dataclasses.field(default_factory=dict)  # by event id
    erased_on: dt.date | None = None

    def status_on(self, day: dt.date) -> str | None:
        return status_on(self.statuses, day)

    @property
    def screened_on(self) -> dt.date | None:
        """When screening was passed; becoming active implies it."""
        days = [c.changed_on for c in self.statuses.values() if c.status in ("screened", "active")]
        return min(days, default=None)


@dataclasses.dataclass
class MenteeFact:
    mentee_id: str
    tenant_id: str | None = None
    target_group: str = UNKNOWN
    birth_year: int | None = None
    registered_on: dt.date | None = None
    registration_stamp: Stamp | None = None
    statuses: dict[str, StatusChange] = dataclasses.field(default_factory=dict)  # by event id
    erased_on: dt.date | None = None

    def waiting_on(self, day: dt.date, first_start: dt.date | None) -> bool:
        """Registered, never started a Patenschaft, not erased, and not in a status out of
        the queue (matched, paused, left) at the end of `day`."""
        return (self.registered_on is not None and self.registered_on <= day
                and (first_start is None or first_start > day)
                and (self.erased_on is None or self.erased_on > day)
                and status_on(self.statuses, day) not in NOT_WAITING)


@dataclasses.dataclass
class PatenschaftFact:
    """One Tandem's Patenschaft; each part is written by one event type, last write wins."""

    patenschaft_id: str
    tenant_id: str | None = None
    mentor_id: str | None = None
    mentee_id: str | None = None
    proposed_on: dt.date | None = None
    proposal_stamp: Stamp | None = None
    started_on: dt.date | None = None
    target_group: str = UNKNOWN
    start_stamp: Stamp | None = None
    ended_on: dt.date | None = None
    end_reason: str | None = None
    planned: bool | None = None
    goals_reached: str | None = None  # the closure assessment's code
    end_stamp: Stamp | None = None
    checkins: dict[str, Checkin] = dataclasses.field(default_factory=dict)  # by check-in id

    def last_checkin(self, on_or_before: dt.date) -> dt.date | None:
        days = [checkin.on for checkin in self.checkins.values() if checkin.on <= on_or_before]
        return max(days, default=None)


def status_on(statuses: dict[str, StatusChange], day: dt.date) -> str | None:
    """The status in force at the end of `day`: the latest change made on or before it."""
    changes = [change for change in statuses.values() if change.changed_on <= day]
    if not changes:
        return None
    return max(changes, key=lambda change: (change.changed_on, change.stamp)).status


@dataclasses.dataclass
class State:
    """Everything the figures are derived from, plus the ids of the events already applied."""

    sites: dict[str, SiteFact] = dataclasses.field(default_factory=dict)
    #: Keyed by (tenant id or "", id): the same id at two sites is two facts.
    mentors: dict[FactKey, MentorFact] = dataclasses.field(default_factory=dict)
    mentees: dict[FactKey, MenteeFact] = dataclasses.field(default_factory=dict)
    patenschaften: dict[FactKey, PatenschaftFact] = dataclasses.field(default_factory=dict)
    seen: set[str] = dataclasses.field(default_factory=set)
    #: The latest occurred_at among the applied events: the report's "Datenstand".
    data_as_of: dt.datetime | None = None
