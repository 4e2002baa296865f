"""Use cases of the Patenschaft lifecycle: propose, start, decline, end, check-ins, overdue Tandems.

Starting is the one step two coordinators may race on: a mentor's free places and a mentee's
"waiting" are claimed with conditional UPDATEs inside the transaction (a row lock on PostgreSQL), so a
mentor's capacity is never exceeded and a mentee never gets two Tandems, whatever runs concurrently.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from altjung.events.catalogue import (
    CheckinLogged,
    MenteeStatusChanged,
    PatenschaftDeclined,
    PatenschaftEnded,
    PatenschaftProposed,
    PatenschaftStarted,
)
from altjung.kit.bus import record
from altjung.kit.problems import Conflict, Unprocessable
from altjung.kit.tenancy import current_tenant_id
from altjung.matching.common import check_version, get_or_404, site_settings, stale, today, utcnow
from altjung.matching.domain import Constraint
from altjung.matching.domain.lifecycle import PatenschaftStatus, is_overdue, next_checkin_due
from altjung.matching.models import Checkin, Mentee, Mentor, Patenschaft, StatusChange
from altjung.matching.people import certificate_of, set_status, withdraw_proposals
from altjung.matching.profiles import check_pair, weights_of

#: Default interval of staff contacts, when the site has not said (tenants' default).
DEFAULT_CHECKIN_INTERVAL_DAYS = 28
OPEN = (PatenschaftStatus.PROPOSED, PatenschaftStatus.STARTED)


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise stale() from None


def _not_in(p: Patenschaft, *statuses: str) -> Conflict:
    return Conflict(f"Im Zustand {p.status} nicht möglich. / Not possible while {p.status}.",
                    code="wrong_state", current_status=p.status, needed=list(statuses))


def _pair(session: Session, p_or_ids: Any) -> tuple[Mentor, Mentee]:
    mentor = get_or_404(session, Mentor, p_or_ids.mentor_id, "mentor")
    mentee = get_or_404(session, Mentee, p_or_ids.mentee_id, "mentee")
    return mentor, mentee


@dataclass(frozen=True)
class _Ids:
    mentor_id: UUID
    mentee_id: UUID


def propose(session: Session, *, mentor_id: UUID, mentee_id: UUID, actor: str) -> Patenschaft:
    """Propose a Tandem the engine allows (every hard constraint), once per open pair."""
    mentor, mentee = _pair(session, _Ids(mentor_id, mentee_id))
    if mentor.erased_at or mentee.erased_at:
        raise Conflict("Gelöschte Person. / Erased person.", code="erased")
    on = today()
    weights = weights_of(site_settings(session, current_tenant_id()))
    suggestion = check_pair(mentor, certificate_of(session, mentor.id), mentee, weights=weights, on=on)
    clash = session.scalars(select(Patenschaft.id).where(
        Patenschaft.mentor_id == mentor.id, Patenschaft.mentee_id == mentee.id,
        Patenschaft.status.in_(OPEN))).first()
    if clash is not None:
        raise Conflict("Dieses Tandem ist schon vorgeschlagen. / This Tandem is already proposed.",
                       code="already_proposed", patenschaft_id=str(clash))
    p = Patenschaft(mentor_id=mentor.id, mentee_id=mentee.id, status=PatenschaftStatus.PROPOSED, score=suggestion.score,
                    proposed_on=on, proposed_by=actor)
    session.add(p)
    session.flush()
    record(session, PatenschaftProposed(patenschaft_id=p.id, mentor_id=mentor.id, mentee_id=mentee.id,
                                        proposed_on=on))
    return p


def start(session: Session, ident: UUID, *, started_on: date | None, expected_version: int,
          actor: str) -> Patenschaft:
    """After the first meeting: the Patenschaft starts (patenschaft.started); the mentee's other open
    proposals are withdrawn; the mentor's free place and the mentee are claimed atomically."""
    p = get_or_404(session, Patenschaft, ident, "patenschaft")
    check_version(p, expected_version)
    if p.status != PatenschaftStatus.PROPOSED:
        raise _not_in(p, PatenschaftStatus.PROPOSED)
    on = started_on or today()
    if on > today() or on < p.proposed_on:
        raise Unprocessable("Das Startdatum liegt vor dem Vorschlag oder in der Zukunft. / "
                            "The start date is before the proposal or in the future.")
    mentor, mentee = _pair(session, p)
    weights = weights_of(site_settings(session, current_tenant_id()))
    # Hard constraints again (a certificate may have expired, a profile changed); capacity and the
    # mentee's waiting are claimed below, where a concurrent start cannot slip between check and write.
    check_pair(mentor, certificate_of(session, mentor.id), mentee, weights=weights, on=on,
               ignore=frozenset({Constraint.NO_CAPACITY}))
    now = utcnow()
    claimed = session.execute(
        update(Mentor)
        .where(Mentor.id == mentor.id, Mentor.status == "active", Mentor.erased_at.is_(None),
               Mentor.active_tandems < Mentor.capacity)
        .values(active_tandems=Mentor.active_tandems + 1, version=Mentor.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise Conflict("Die Patin/der Pate hat keinen freien Platz mehr. / The mentor has no free place left.",
                       code="no_capacity")
    taken = session.execute(
        update(Mentee)
        .where(Mentee.id == mentee.id, Mentee.status == "waiting", Mentee.erased_at.is_(None))
        .values(status="matched", status_since=now, version=Mentee.version + 1, updated_at=now)
        .execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Conflict("Der Mentee wartet nicht mehr (schon in einem Tandem?). / "
                       "The mentee is no longer waiting (already in a Tandem?).", code="mentee_not_waiting")
    session.expire(mentor)
    session.expire(mentee)
    p.status, p.started_on = PatenschaftStatus.STARTED, on
    _flush(session)
    session.add(StatusChange(person_kind="mentee", person_id=mentee.id, from_status="waiting", to_status="matched",
                             changed_by=actor, reason=""))
    record(session, PatenschaftStarted(patenschaft_id=p.id, mentor_id=p.mentor_id, mentee_id=p.mentee_id,
                                       started_on=on, target_group=mentee.target_group))
    record(session, MenteeStatusChanged(mentee_id=p.mentee_id, status="matched", changed_on=on))
    withdraw_proposals(session, "mentee", p.mentee_id, except_id=p.id)
    _flush(session)
    return p


def decline(session: Session, ident: UUID, *, reason: str, declined_by: str, expected_version: int) -> Patenschaft:
    p = get_or_404(session, Patenschaft, ident, "patenschaft")
    check_version(p, expected_version)
    if p.status != PatenschaftStatus.PROPOSED:
        raise _not_in(p, PatenschaftStatus.PROPOSED)
    on = today()
    p.status, p.declined_on, p.decline_reason, p.declined_by = PatenschaftStatus.DECLINED, on, reason, declined_by
    _flush(session)
    record(session, PatenschaftDeclined(patenschaft_id=p.id, reason=reason, declined_on=on))
    return p


def end(session: Session, ident: UUID, *, data: dict[str, Any], expected_version: int, actor: str) -> Patenschaft:
    """Close a Tandem with a reason, planned or early, and the closure assessment (patenschaft.ended)."""
    p = get_or_404(session, Patenschaft, ident, "patenschaft")
    check_version(p, expected_version)
    if p.status != PatenschaftStatus.STARTED:
        raise _not_in(p, PatenschaftStatus.STARTED)
    on = data.get("ended_on") or today()
    if on < p.started_on or on > today():
        raise Unprocessable("Das Enddatum liegt vor dem Start oder in der Zukunft. / "
                            "The end date is before the start or in the future.")
    p.status, p.ended_on, p.end_reason = PatenschaftStatus.ENDED, on, data["reason"]
    p.end_planned, p.goals_reached = data["planned"], data["goals_reached"]
    p.closure_note = data.get("closure_note", "")
    _flush(session)
    session.execute(update(Mentor).where(Mentor.id == p.mentor_id, Mentor.active_tandems > 0)
                    .values(active_tandems=Mentor.active_tandems - 1, version=Mentor.version + 1,
                            updated_at=utcnow()).execution_options(synchronize_session=False))
    mentee = session.get(Mentee, p.mentee_id)
    if mentee is not None:
        session.refresh(mentee)
        if mentee.status == "matched" and mentee.erased_at is None:
            next_status = data.get("mentee_status", "left")
            set_status(session, "mentee", mentee, next_status, actor=actor, reason="", on=on)
            if next_status == "waiting":
                mentee.waiting_since = on
    record(session, PatenschaftEnded(patenschaft_id=p.id, ended_on=on, reason=p.end_reason, planned=p.end_planned,
                                     goals_reached=p.goals_reached))
    _flush(session)
    return p


def log_checkin(session: Session, ident: UUID, data: dict[str, Any], *, actor: str) -> Checkin:
    p = get_or_404(session, Patenschaft, ident, "patenschaft")
    if p.status != PatenschaftStatus.STARTED:
        raise _not_in(p, PatenschaftStatus.STARTED)
    on = data.get("on") or today()
    if on < p.started_on or on > today():
        raise Unprocessable("Das Datum liegt vor dem Start oder in der Zukunft. / "
                            "The date is before the start or in the future.")
    checkin = Checkin(patenschaft_id=p.id, on=on, kind=data["kind"], with_whom=data["with_whom"],
                      note=data.get("note", ""), created_by=actor)
    session.add(checkin)
    session.flush()
    # a conditional UPDATE, not the ORM: two check-ins at once must not fail each other's version
    session.execute(update(Patenschaft).where(Patenschaft.id == p.id)
                    .where((Patenschaft.last_checkin_on.is_(None)) | (Patenschaft.last_checkin_on < on))
                    .values(last_checkin_on=on).execution_options(synchronize_session=False))
    session.expire(p)
    record(session, CheckinLogged(patenschaft_id=p.id, checkin_id=checkin.id, on=on, kind=checkin.kind))
    return checkin


def checkins_of(session: Session, ident: UUID) -> list[Checkin]:
    get_or_404(session, Patenschaft, ident, "patenschaft")
    return list(session.scalars(select(Checkin).where(Checkin.patenschaft_id == ident)
                                .order_by(Checkin.on, Checkin.created_at)))


def interval_days(session: Session) -> int:
    return int(site_settings(session, current_tenant_id()).get("checkin_interval_days")
               or DEFAULT_CHECKIN_INTERVAL_DAYS)


@dataclass(frozen=True)
class Overdue:
    patenschaft: Patenschaft
    due_since: date
    days_overdue: int
    checkins: int


def overdue(session: Session, *, on: date | None = None) -> list[Overdue]:
    """Running Tandems behind the check-in cadence of the site, longest overdue first."""
    on = on or today()
    interval = interval_days(session)
    running = session.scalars(select(Patenschaft).where(Patenschaft.status == PatenschaftStatus.STARTED)).all()
    dates: dict[UUID, list[date]] = {}
    if running:
        for pid, day in session.execute(select(Checkin.patenschaft_id, Checkin.on).where(
                Checkin.patenschaft_id.in_([p.id for p in running]))):
            dates.setdefault(pid, []).append(day)
    out = []
    for p in running:
        due = next_checkin_due(p.started_on, dates.get(p.id, []), interval_days=interval)
        if is_overdue(due, on):
            out.append(Overdue(p, due, (on - due).days, len(dates.get(p.id, []))))
    return sorted(out, key=lambda o: (o.due_since, str(o.patenschaft.id)))
