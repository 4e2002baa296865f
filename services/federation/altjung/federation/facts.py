"""The facts tables as the domain's State: load one site's facts, write back what changed."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from altjung.federation.domain.state import (
    Checkin,
    MenteeFact,
    MentorFact,
    PatenschaftFact,
    SiteFact,
    Stamp,
    State,
    StatusChange,
)
from altjung.federation.models import CheckinRow, MenteeRow, MentorRow, PatenschaftRow, StatusChangeRow

Row = dict[str, Any]


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _str(value: uuid.UUID | None) -> str | None:
    return str(value) if value else None


def _stamp(at: dt.datetime | None, event_id: str | None) -> Stamp | None:
    return None if at is None or event_id is None else (at.astimezone(dt.UTC), event_id)


def _split(stamp: Stamp | None) -> tuple[dt.datetime | None, str | None]:
    return (None, None) if stamp is None else stamp


# --- fact → rows ----------------------------------------------------------------------------------

def mentor_row(site: uuid.UUID, m: MentorFact) -> Row:
    at, sid = _split(m.registration_stamp)
    return {"site_id": site, "mentor_id": uuid.UUID(m.mentor_id), "birth_year": m.birth_year,
            "registered_on": m.registered_on, "registration_stamp_at": at, "registration_stamp_id": sid,
            "erased_on": m.erased_on}


def mentee_row(site: uuid.UUID, m: MenteeFact) -> Row:
    at, sid = _split(m.registration_stamp)
    return {"site_id": site, "mentee_id": uuid.UUID(m.mentee_id), "target_group": m.target_group,
            "birth_year": m.birth_year, "registered_on": m.registered_on, "registration_stamp_at": at,
            "registration_stamp_id": sid, "erased_on": m.erased_on}


def status_rows(site: uuid.UUID, kind: str, person_id: str, statuses: dict[str, StatusChange]) -> list[Row]:
    return [{"site_id": site, "event_id": event_id, "person_kind": kind, "person_id": uuid.UUID(person_id),
             "changed_on": change.changed_on, "status": change.status, "stamp_at": change.stamp[0]}
            for event_id, change in statuses.items()]


def patenschaft_row(site: uuid.UUID, p: PatenschaftFact) -> Row:
    (pa, pi), (sa, si), (ea, ei) = _split(p.proposal_stamp), _split(p.start_stamp), _split(p.end_stamp)
    return {"site_id": site, "patenschaft_id": uuid.UUID(p.patenschaft_id), "mentor_id": _uuid(p.mentor_id),
            "mentee_id": _uuid(p.mentee_id), "proposed_on": p.proposed_on, "proposal_stamp_at": pa,
            "proposal_stamp_id": pi, "started_on": p.started_on, "target_group": p.target_group,
            "start_stamp_at": sa, "start_stamp_id": si, "ended_on": p.ended_on, "end_reason": p.end_reason,
            "planned": p.planned, "goals_reached": p.goals_reached, "end_stamp_at": ea, "end_stamp_id": ei}


def checkin_rows(site: uuid.UUID, p: PatenschaftFact) -> list[Row]:
    return [{"site_id": site, "patenschaft_id": uuid.UUID(p.patenschaft_id), "checkin_id": uuid.UUID(cid),
             "on": c.on, "stamp_at": c.stamp[0], "stamp_id": c.stamp[1]} for cid, c in p.checkins.items()]


# --- rows → facts ---------------------------------------------------------------------------------

def load_site(session: Session, site_id: uuid.UUID, site: SiteFact) -> State:
    """One site's facts as a State (the site's registry and settings come from the caller)."""
    tenant = str(site_id)
    state = State(sites={tenant: site})
    for r in session.scalars(select(MentorRow).where(MentorRow.site_id == site_id)):
        state.mentors[(tenant, str(r.mentor_id))] = MentorFact(
            mentor_id=str(r.mentor_id), tenant_id=tenant, birth_year=r.birth_year, registered_on=r.registered_on,
            registration_stamp=_stamp(r.registration_stamp_at, r.registration_stamp_id), erased_on=r.erased_on)
    for r in session.scalars(select(MenteeRow).where(MenteeRow.site_id == site_id)):
        state.mentees[(tenant, str(r.mentee_id))] = MenteeFact(
            mentee_id=str(r.mentee_id), tenant_id=tenant, target_group=r.target_group, birth_year=r.birth_year,
            registered_on=r.registered_on, registration_stamp=_stamp(r.registration_stamp_at, r.registration_stamp_id),
            erased_on=r.erased_on)
    for r in session.scalars(select(StatusChangeRow).where(StatusChangeRow.site_id == site_id)):
        key = (tenant, str(r.person_id))
        person: MentorFact | MenteeFact
        if r.person_kind == "mentor":
            person = state.mentors.setdefault(key, MentorFact(mentor_id=key[1], tenant_id=tenant))
        else:
            person = state.mentees.setdefault(key, MenteeFact(mentee_id=key[1], tenant_id=tenant))
        person.statuses[r.event_id] = StatusChange(changed_on=r.changed_on, status=r.status,
                                                   stamp=(r.stamp_at.astimezone(dt.UTC), r.event_id))
    for r in session.scalars(select(PatenschaftRow).where(PatenschaftRow.site_id == site_id)):
        state.patenschaften[(tenant, str(r.patenschaft_id))] = PatenschaftFact(
            patenschaft_id=str(r.patenschaft_id), tenant_id=tenant, mentor_id=_str(r.mentor_id),
            mentee_id=_str(r.mentee_id), proposed_on=r.proposed_on,
            proposal_stamp=_stamp(r.proposal_stamp_at, r.proposal_stamp_id), started_on=r.started_on,
            target_group=r.target_group, start_stamp=_stamp(r.start_stamp_at, r.start_stamp_id),
            ended_on=r.ended_on, end_reason=r.end_reason, planned=r.planned, goals_reached=r.goals_reached,
            end_stamp=_stamp(r.end_stamp_at, r.end_stamp_id))
    for r in session.scalars(select(CheckinRow).where(CheckinRow.site_id == site_id)):
        key = (tenant, str(r.patenschaft_id))
        p = state.patenschaften.setdefault(key, PatenschaftFact(patenschaft_id=key[1], tenant_id=tenant))
        p.checkins[str(r.checkin_id)] = Checkin(on=r.on, stamp=(r.stamp_at.astimezone(dt.UTC), r.stamp_id))
    return state


# --- writing --------------------------------------------------------------------------------------

@dataclasses.dataclass
class Snapshot:
    """The rows a site had when it was loaded, by table and primary key."""

    rows: dict[str, dict[tuple, Row]] = dataclasses.field(default_factory=dict)


_TABLES = {"mentors": (MentorRow, ("site_id", "mentor_id")), "mentees": (MenteeRow, ("site_id", "mentee_id")),
           "statuses": (StatusChangeRow, ("site_id", "event_id")),
           "patenschaften": (PatenschaftRow, ("site_id", "patenschaft_id")),
           "checkins": (CheckinRow, ("site_id", "patenschaft_id", "checkin_id"))}


def rows_of(site_id: uuid.UUID, state: State) -> dict[str, dict[tuple, Row]]:
    """Every row the site's facts make, by table and primary key."""
    out: dict[str, list[Row]] = {name: [] for name in _TABLES}
    for m in state.mentors.values():
        out["mentors"].append(mentor_row(site_id, m))
        out["statuses"] += status_rows(site_id, "mentor", m.mentor_id, m.statuses)
    for m in state.mentees.values():
        out["mentees"].append(mentee_row(site_id, m))
        out["statuses"] += status_rows(site_id, "mentee", m.mentee_id, m.statuses)
    for p in state.patenschaften.values():
        out["patenschaften"].append(patenschaft_row(site_id, p))
        out["checkins"] += checkin_rows(site_id, p)
    return {name: {tuple(r[k] for k in _TABLES[name][1]): r for r in rows} for name, rows in out.items()}


def save(session: Session, site_id: uuid.UUID, state: State, before: Snapshot | None) -> None:
    """Insert new rows and update changed ones (facts are never removed: erasure keeps them)."""
    for name, rows in rows_of(site_id, state).items():
        model, keys = _TABLES[name]
        old = before.rows.get(name, {}) if before else {}
        new_rows = [row for key, row in rows.items() if key not in old]
        _insert(session, model, new_rows)
        for key, row in rows.items():
            if key in old and old[key] != row:
                where = [getattr(model, k) == v for k, v in zip(keys, key, strict=True)]
                session.execute(update(model).where(*where).values(
                    **{k: v for k, v in row.items() if k not in keys}))


def _insert(session: Session, model: type, rows: Iterable[Row], chunk: int = 2000) -> None:
    rows = list(rows)
    for start in range(0, len(rows), chunk):
        session.execute(insert(model), rows[start:start + chunk])


def clear(session: Session) -> None:
    """Every fact of every site (the rebuild starts from nothing)."""
    for model, _keys in _TABLES.values():
        session.execute(delete(model))
