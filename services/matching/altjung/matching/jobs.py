"""Scheduled jobs, per partner site: overdue check-ins (checkin.overdue once per period), applicants
stuck in screening for 7 and 14 days (screening.stalled once each), the deletion of police
certificate records that may no longer be kept (§72a (5) SGB VIII), and the erasure of people who left
longer ago than the site's retention period."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from datetime import date
from uuid import UUID

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from altjung.events.catalogue import CheckinOverdue, ScreeningStalled
from altjung.kit import site_status
from altjung.kit.bus import record
from altjung.kit.db import Database
from altjung.kit.tenancy import current_tenant_id, tenant_context
from altjung.matching import people
from altjung.matching.common import SITE_ZONE, site_settings, today, utcnow
from altjung.matching.domain.lifecycle import SCREENING_STATUSES, certificate_must_be_deleted, stall_threshold
from altjung.matching.models import Announcement, Mentee, Mentor, Patenschaft, PoliceCertificate, SiteConfig
from altjung.matching.tandems import overdue

log = logging.getLogger("altjung.matching.jobs")

JOBS = ("overdue", "stalled", "certificates", "retention")
#: Days after which the personal data of people who left is erased, unless the site says otherwise.
DEFAULT_RETENTION_DAYS = 365
#: Jobs that act for a site toward the outside (events staff act on): only for active sites.
ANNOUNCING = frozenset({"overdue", "stalled"})


def _once(session: Session, kind: str, subject_id: UUID, period: str) -> bool:
    """Mark an announcement; False if it was made before (the unique key also guards concurrent runs)."""
    seen = session.scalars(select(Announcement.id).where(
        Announcement.kind == kind, Announcement.subject_id == subject_id, Announcement.period == period)).first()
    if seen is not None:
        return False
    session.add(Announcement(kind=kind, subject_id=subject_id, period=period))
    return True


def announce_overdue(session: Session, *, on: date) -> int:
    """checkin.overdue for every running Tandem behind its cadence, once per due date."""
    count = 0
    for item in overdue(session, on=on):
        period = item.due_since.isoformat()
        if _once(session, "checkin_overdue", item.patenschaft.id, period):
            record(session, CheckinOverdue(patenschaft_id=item.patenschaft.id, due_since=item.due_since,
                                           period=period))
            count += 1
    return count


def announce_stalled(session: Session, *, on: date) -> int:
    """screening.stalled for applicants waiting 7 (then 14) days in the same screening step."""
    count = 0
    for kind, model in (("mentor", Mentor), ("mentee", Mentee)):
        rows = session.execute(select(model.id, model.status, model.status_since).where(
            model.erased_at.is_(None), model.status.in_(SCREENING_STATUSES[kind]))).all()
        for ident, status, since_at in rows:
            since = since_at.astimezone(SITE_ZONE).date()
            days = stall_threshold(since, on)
            if days is None:
                continue
            if _once(session, "screening_stalled", ident, f"{status}:{since.isoformat()}:{days}"):
                record(session, ScreeningStalled(person_kind=kind, person_id=ident, status=status, since=since,
                                                 days=days))
                count += 1
    return count


def purge_certificates(session: Session, *, on: date) -> int:
    """Delete certificate records of mentors who never started (and left) or whose last Tandem ended
    three months ago or more, with none running."""
    deleted = 0
    for cert in session.scalars(select(PoliceCertificate)).all():
        mentor = session.get(Mentor, cert.mentor_id)
        started = session.execute(select(
            func.count(Patenschaft.id).filter(Patenschaft.status == "started"),
            func.count(Patenschaft.id).filter(Patenschaft.started_on.is_not(None)),
            func.max(Patenschaft.ended_on)).where(Patenschaft.mentor_id == cert.mentor_id)).one()
        running, ever, last_end = started
        if certificate_must_be_deleted(on=on, mentor_left=mentor is None or mentor.status == "left",
                                       ever_started=bool(ever), running=running, last_ended_on=last_end):
            session.execute(delete(PoliceCertificate).where(PoliceCertificate.id == cert.id))
            session.execute(update(Mentor).where(Mentor.id == cert.mentor_id)
                            .values(version=Mentor.version + 1, updated_at=utcnow())
                            .execution_options(synchronize_session=False))
            deleted += 1
    return deleted


def erase_after_retention(session: Session, *, on: date) -> int:
    """Erase people who left ``retention_days_after_end`` (site setting) ago and whose last Tandem ended at
    least as long ago (person.erased for each)."""
    days = int(site_settings(session, current_tenant_id()).get("retention_days_after_end") or DEFAULT_RETENTION_DAYS)
    cutoff = on - dt.timedelta(days=days)
    erased = 0
    for kind, model in (("mentor", Mentor), ("mentee", Mentee)):
        column = Patenschaft.mentor_id if kind == "mentor" else Patenschaft.mentee_id
        recent = select(column).where((Patenschaft.status == "started") | (Patenschaft.ended_on > cutoff))
        rows = session.scalars(select(model).where(
            model.status == "left", model.erased_at.is_(None), model.id.not_in(recent))).all()
        for person in rows:
            if person.status_since.astimezone(SITE_ZONE).date() > cutoff:
                continue
            people.erase(session, kind, person.id, expected_version=person.version, actor="retention")
            erased += 1
    return erased


RUNNERS: dict[str, Callable[..., int]] = {"overdue": announce_overdue, "stalled": announce_stalled,
                                          "certificates": purge_certificates, "retention": erase_after_retention}


def run_site(db: Database, site_id: UUID, *, on: date, jobs: Iterable[str] = JOBS) -> dict[str, int]:
    """Run the jobs for one site, each in its own transaction (a concurrent run's duplicate is skipped)."""
    with db.session() as session:
        active = site_status.is_active(session, site_id)
    done: dict[str, int] = {}
    for job in jobs:
        if job in ANNOUNCING and not active:
            continue  # a suspended or archived site's staff get no reminders; retention still runs
        with tenant_context(site_id), db.session() as session:
            try:
                done[job] = RUNNERS[job](session, on=on)
                session.commit()
            except IntegrityError:
                session.rollback()
                log.info("job %s for site %s raced with another run; skipped", job, site_id)
                done[job] = 0
    return done


def run_all(db: Database, *, on: date | None = None, jobs: Iterable[str] = JOBS) -> dict[UUID, dict[str, int]]:
    """Every site matching knows of. The outbox rows are published by the service's relay."""
    on = on or today()
    with db.session() as session:
        sites = list(session.scalars(select(SiteConfig.site_id)))
    return {site_id: run_site(db, site_id, on=on, jobs=list(jobs)) for site_id in sites}
