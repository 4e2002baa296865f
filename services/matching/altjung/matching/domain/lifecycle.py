"""Rules of the Patenschaft lifecycle and of people's statuses: transitions, check-in cadence,
screening stalls and how long a police certificate record may be kept. Pure functions of dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from enum import StrEnum

from altjung.matching.domain.profiles import MenteeStatus, MentorStatus, add_months


class PatenschaftStatus(StrEnum):
    PROPOSED = "proposed"
    DECLINED = "declined"  # one side (or the site) said no
    WITHDRAWN = "withdrawn"  # another proposal for the same mentee started
    STARTED = "started"
    ENDED = "ended"


#: Why a proposal was declined (categories only; events carry them).
DECLINE_REASONS = ("mentor_declined", "mentee_declined", "no_time", "did_not_fit", "unreachable", "other")
#: Why a Patenschaft ended.
END_REASONS = ("goal_reached", "moved_away", "no_time", "did_not_fit", "other")
#: The closure assessment: were the Tandem's goals reached?
GOALS_REACHED = ("yes", "mostly", "partly", "no")
CHECKIN_KINDS = ("quick", "in_depth")
CHECKIN_WITH = ("mentor", "mentee", "both")

#: Status changes staff may make by hand; "matched" is set only by starting a Patenschaft.
MENTOR_TRANSITIONS: dict[str, frozenset[str]] = {
    MentorStatus.APPLICANT: frozenset({MentorStatus.SCREENED, MentorStatus.LEFT}),
    MentorStatus.SCREENED: frozenset({MentorStatus.ACTIVE, MentorStatus.LEFT}),
    MentorStatus.ACTIVE: frozenset({MentorStatus.PAUSED, MentorStatus.LEFT}),
    MentorStatus.PAUSED: frozenset({MentorStatus.ACTIVE, MentorStatus.LEFT}),
    MentorStatus.LEFT: frozenset(),
}
MENTEE_TRANSITIONS: dict[str, frozenset[str]] = {
    MenteeStatus.APPLICANT: frozenset({MenteeStatus.WAITING, MenteeStatus.LEFT}),
    MenteeStatus.WAITING: frozenset({MenteeStatus.PAUSED, MenteeStatus.LEFT}),
    MenteeStatus.MATCHED: frozenset(),  # through the Patenschaft's end only
    MenteeStatus.PAUSED: frozenset({MenteeStatus.WAITING, MenteeStatus.LEFT}),
    MenteeStatus.LEFT: frozenset(),
}

#: Days in a screening step after which the site is reminded (once each).
STALL_THRESHOLDS = (7, 14)
#: Statuses in which an applicant waits for the site (screening or intake).
SCREENING_STATUSES = {"mentor": (MentorStatus.APPLICANT, MentorStatus.SCREENED),
                      "mentee": (MenteeStatus.APPLICANT,)}
#: Months a police certificate record is kept after the mentor's last Tandem ended.
CERTIFICATE_KEPT_MONTHS = 3
#: Years after its issue a police certificate is due again.
CERTIFICATE_VALID_YEARS = 5


def missing_screening_steps(*, interview_on: date | None, training_on: date | None, agreement_on: date | None,
                            consent_on: date | None) -> list[str]:
    """Checklist items still open before a mentor may become active."""
    steps = {"interview": interview_on, "training": training_on, "agreement": agreement_on, "consent": consent_on}
    return [name for name, done in steps.items() if done is None]


def next_checkin_due(started_on: date, checkins: Iterable[date], *, interval_days: int) -> date:
    """When the next staff contact is due: two in the first interval (by its middle and its end),
    then one per interval after the last contact."""
    month_end = started_on + timedelta(days=interval_days)
    done = sorted(d for d in checkins if d >= started_on)
    if not done:
        return started_on + timedelta(days=interval_days // 2)
    if len(done) == 1 and done[0] < month_end:
        return month_end
    return done[-1] + timedelta(days=interval_days)


def is_overdue(due: date, on: date) -> bool:
    return on > due


def stall_threshold(since: date, on: date) -> int | None:
    """The highest reminder threshold (7, 14 days) an applicant waiting since ``since`` has reached."""
    waited = (on - since).days
    reached = [days for days in STALL_THRESHOLDS if waited >= days]
    return reached[-1] if reached else None


def certificate_due_on(issued_on: date) -> date:
    """When a new certificate is needed (five years after issue)."""
    return add_months(issued_on, 12 * CERTIFICATE_VALID_YEARS)


def certificate_must_be_deleted(*, on: date, mentor_left: bool, ever_started: bool, running: int,
                                last_ended_on: date | None) -> bool:
    """§72a (5) SGB VIII: delete when the person never starts, or three months after the last Tandem ended."""
    if running:
        return False
    if not ever_started:
        return mentor_left
    return last_ended_on is not None and on >= add_months(last_ended_on, CERTIFICATE_KEPT_MONTHS)
