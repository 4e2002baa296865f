"""The lifecycle's date rules on hand-made cases: check-in cadence, screening reminders, how long a police
certificate record may be kept, the screening checklist."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from altjung.matching.domain.lifecycle import (
    MENTEE_TRANSITIONS,
    MENTOR_TRANSITIONS,
    certificate_due_on,
    certificate_must_be_deleted,
    missing_screening_steps,
    next_checkin_due,
    stall_threshold,
)

START = date(2026, 3, 2)


def day(n: int) -> date:
    return START + timedelta(days=n)


@pytest.mark.parametrize(("checkins", "due"), [
    ((), day(14)),  # first contact by the middle of the first interval
    ((day(3),), day(28)),  # the second by its end
    ((day(3), day(20)), day(48)),  # then one per interval after the last
    ((day(3), day(10), day(40)), day(68)),
    ((day(35),), day(63)),  # a first contact only after the first interval: the next one interval later
    ((day(-5),), day(14)),  # a contact before the start does not count
])
def test_the_next_check_in_is_due_two_in_the_first_interval_then_one_per_interval(checkins, due):
    assert next_checkin_due(START, checkins, interval_days=28) == due


def test_the_interval_is_the_sites_setting():
    assert next_checkin_due(START, (), interval_days=14) == day(7)
    assert next_checkin_due(START, (day(2), day(9)), interval_days=14) == day(23)


@pytest.mark.parametrize(("waited", "threshold"), [(0, None), (6, None), (7, 7), (13, 7), (14, 14), (90, 14)])
def test_screening_reminders_at_7_and_14_days(waited, threshold):
    assert stall_threshold(START, START + timedelta(days=waited)) == threshold


def test_a_certificate_is_due_again_five_years_after_issue():
    assert certificate_due_on(date(2024, 2, 29)) == date(2029, 2, 28)
    assert certificate_due_on(date(2026, 3, 2)) == date(2031, 3, 2)


@pytest.mark.parametrize(("kwargs", "delete"), [
    (dict(mentor_left=False, ever_started=False, running=0, last_ended_on=None), False),  # may still start
    (dict(mentor_left=True, ever_started=False, running=0, last_ended_on=None), True),  # never started
    (dict(mentor_left=False, ever_started=True, running=1, last_ended_on=None), False),  # running
    (dict(mentor_left=True, ever_started=True, running=1, last_ended_on=date(2026, 1, 1)), False),
    (dict(mentor_left=False, ever_started=True, running=0, last_ended_on=date(2025, 12, 3)), False),  # < 3 months
    (dict(mentor_left=False, ever_started=True, running=0, last_ended_on=date(2025, 12, 2)), True),  # 3 months
    (dict(mentor_left=True, ever_started=True, running=0, last_ended_on=date(2025, 6, 1)), True),
])
def test_the_certificate_record_is_kept_only_as_long_as_allowed(kwargs, delete):
    assert certificate_must_be_deleted(on=date(2026, 3, 2), **kwargs) is delete


def test_the_screening_checklist_names_what_is_missing():
    d = date(2026, 1, 5)
    assert missing_screening_steps(interview_on=d, training_on=None, agreement_on=d, consent_on=None) == [
        "training", "consent"]
    assert missing_screening_steps(interview_on=d, training_on=d, agreement_on=d, consent_on=d) == []


def test_matched_is_reached_only_through_a_tandem_and_left_is_final():
    assert all("matched" not in allowed for allowed in MENTEE_TRANSITIONS.values())
    assert MENTEE_TRANSITIONS["left"] == MENTOR_TRANSITIONS["left"] == frozenset()
    assert "active" not in MENTOR_TRANSITIONS["applicant"]  # screening first
