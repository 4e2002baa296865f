"""The read model's projection: known figures from a hand-made stream, whatever the arrival order."""

from __future__ import annotations

import datetime as dt
import uuid

from federation_stream import EVENTS, MONTHS, SITE_A, SITE_B, random_stream
from hypothesis import given, settings
from hypothesis import strategies as st

from altjung.federation.domain import State, apply, apply_all, combine, derive_figures
from altjung.federation.domain.figures import Counts
from altjung.federation.domain.months import months_between


def figures_of(events) -> dict[tuple[str, str], Counts]:
    state = State()
    apply_all(state, events)
    return {(f.tenant_id, f.month): f.counts for f in derive_figures(state, MONTHS)}


def test_a_hand_made_stream_gives_the_known_monthly_figures():
    figures = figures_of(EVENTS)
    jan, feb, mar, apr, may, jun, jul = (figures[(SITE_A, month)] for month in MONTHS)
    # Mentors: both applied in January; screened in January and February; active by status
    assert [jan.mentors_applied, jan.mentors_screened, jan.mentors_active] == [2, 1, 0]
    assert [feb.mentors_applied, feb.mentors_screened, feb.mentors_active] == [0, 1, 1]
    assert mar.mentors_active == 1  # m2 paused
    # Mentees waiting at month end and for how long
    assert (jan.mentees_waiting, jan.mean_waiting_days) == (1, 26)
    assert (feb.mentees_applied, feb.mentees_waiting, feb.waiting_days_sum) == (2, 2, 28 + 9)
    assert (mar.mentees_waiting, mar.waiting_days_sum, apr.waiting_days_sum) == (1, 40, 70)
    assert feb.waiting_by_target_group == {"single_parent": 1, "other": 1}
    assert (may.mentees_waiting, may.waiting_pool) == (0, 1)  # erased on 10 May, waited in May
    # Share of waiting mentees matched in the month
    # (e5 registered in March and left again: in the pool, never waiting at a month end)
    assert (feb.waiting_pool, feb.waiting_matched, mar.waiting_pool, mar.waiting_matched) == (3, 1, 3, 1)
    assert mar.share_waiting_matched == 1 / 3 and mar.mentees_applied == 1
    # Patenschaften proposed, started with their categories, active at month end
    assert (feb.proposed, feb.started, feb.active) == (2, 1, 1)
    assert feb.started_by_target_group == {"refugee": 1}
    assert feb.started_by_mentor_age == {"65_74": 1} and feb.started_by_mentee_age == {"minor": 1}
    assert mar.started_by_mentor_age == {"under_50": 1} and mar.started_by_mentee_age == {"27_plus": 1}
    assert (feb.mean_registration_to_start_days, mar.mean_registration_to_start_days) == (41, 29)
    assert (mar.active, mar.active_by_target_group) == (2, {"refugee": 1, "single_parent": 1})
    # Check-ins on schedule (28 days): p1 checked in on 10 March, p2 never
    assert (feb.checkins_on_schedule, mar.checkins_on_schedule, apr.checkins_on_schedule) == (1, 1, 0)
    # p1 ended on 30 June after 136 days: early, moved away; no longer active at month end
    assert (jun.ended, jun.ended_by_reason, jun.active, jul.active) == (1, {"moved_away": 1}, 1, 1)
    assert (jun.mean_duration_days, jun.share_ended_early) == (136, 1.0)


def test_a_site_known_only_from_its_patenschaft_events():
    figures = figures_of(EVENTS)
    mar, apr = figures[(SITE_B, "2024-03")], figures[(SITE_B, "2024-04")]
    # Started before the period, mentor and mentee never registered here: unknown bands
    assert mar.active_by_mentor_age == {"unknown": 1} and mar.checkins_on_schedule == 0
    assert (apr.ended, apr.ended_early, apr.mean_duration_days) == (1, 0, 411)
    assert apr.ended_by_reason == {"goal_reached": 1}


def test_sites_and_months_add_up_by_bundesland():
    state = State()
    apply_all(state, EVENTS)
    figures = derive_figures(state, MONTHS)
    assert {f.bundesland for f in figures} == {"DE-BY", "DE-HB"}
    by_land = combine(figures, by=lambda f: f.bundesland)
    assert by_land["DE-BY"].started == 2 and by_land["DE-HB"].ended == 1
    assert figures[0].site_name == "Seniorenbüro Ansbach e. V."  # renamed by tenant.updated


def test_check_in_intervals_come_from_the_latest_settings_or_an_override():
    state = State()
    apply_all(state, EVENTS)
    assert state.sites[SITE_B].checkin_interval_days == 14  # version 2 beats the late version 1
    assert state.sites[SITE_A].checkin_interval_days == 28  # the default
    april = {f.tenant_id: f.counts for f in derive_figures(state, ["2024-04"], checkin_interval_days={SITE_A: 60})}
    assert april[SITE_A].checkins_on_schedule == 2  # 51 and 60 days since the last contact


def test_an_event_applied_twice_changes_nothing_the_second_time():
    state = State()
    assert apply(state, EVENTS[2]) is True
    assert apply(state, EVENTS[2]) is False
    assert apply(state, EVENTS[-1]) is False  # a type the read model does not use
    assert state.data_as_of == dt.datetime(2024, 4, 16, 10, tzinfo=dt.UTC)


def test_the_catalogues_envelopes_are_applied_as_they_are():
    from altjung.events import Envelope, event_class

    (payload,) = [e["payload"] for e in EVENTS if e["type"] == "patenschaft.started" and e["tenant_id"] == SITE_B]
    started = event_class("patenschaft.started").from_payload(payload)
    envelope = Envelope.wrap(started, tenant_id=uuid.UUID(int=7), occurred_at=dt.datetime(2024, 3, 1, tzinfo=dt.UTC))
    state = State()
    assert apply(state, envelope) is True
    (patenschaft,) = state.patenschaften.values()
    assert (patenschaft.tenant_id, patenschaft.started_on) == (str(uuid.UUID(int=7)), dt.date(2023, 3, 1))


def test_metrics_round_trip_for_a_flat_table():
    counts = figures_of(EVENTS)[(SITE_A, "2024-03")]
    assert Counts.from_metrics(counts.to_metrics()) == counts
    assert counts.to_metrics()["active_by_target_group.refugee"] == 1


def test_the_state_holds_ids_categories_and_dates_only():
    state = State()
    apply_all(state, EVENTS)
    scalars = (str, int, bool, dt.date, type(None))
    for fact in [*state.mentors.values(), *state.mentees.values(), *state.patenschaften.values()]:
        for name, value in vars(fact).items():
            assert isinstance(value, (*scalars, dict, tuple)), name


def test_the_same_id_at_two_sites_is_two_facts_whatever_arrives_first():
    # Given two sites whose events name the same mentor id (each site's ids are its own)
    from federation_stream import event, uid

    at_a = event("mentor.registered", "2024-01-10", SITE_A, "same-a", mentor_id=uid("same"), birth_year=1950,
                 registered_on="2024-01-10")
    at_b = event("mentor.registered", "2024-01-11", SITE_B, "same-b", mentor_id=uid("same"), birth_year=1980,
                 registered_on="2024-01-11")
    one, other = State(), State()
    apply_all(one, [at_a, at_b])
    apply_all(other, [at_b, at_a])
    # Then each site keeps its own mentor, in either arrival order
    assert one == other
    assert {(m.tenant_id, m.birth_year) for m in one.mentors.values()} == {(SITE_A, 1950), (SITE_B, 1980)}
    january = {f.tenant_id: f.counts.mentors_applied for f in derive_figures(one, ["2024-01"])}
    assert january == {SITE_A: 1, SITE_B: 1}


@settings(max_examples=60, deadline=None)
@given(st.permutations(EVENTS), st.lists(st.sampled_from(EVENTS), max_size=12), st.randoms())
def test_any_order_with_duplicates_gives_the_same_state_and_figures(shuffled, duplicates, rnd):
    # Given the stream shuffled (an end before its start, a start before its proposal)
    # and some events delivered again at random places
    stream = list(shuffled)
    for duplicate in duplicates:
        stream.insert(rnd.randint(0, len(stream)), duplicate)
    ordered, arrived = State(), State()
    apply_all(ordered, EVENTS)
    apply_all(arrived, stream)
    # Then the facts and the figures are those of the ordered stream
    assert arrived == ordered
    assert derive_figures(arrived, MONTHS) == derive_figures(ordered, MONTHS)


@settings(max_examples=40, deadline=None)
@given(st.randoms(use_true_random=False))
def test_random_streams_with_corrections_do_not_depend_on_arrival_order(rnd):
    stream = random_stream(rnd)
    arrived = stream + rnd.sample(stream, k=len(stream) // 3)
    rnd.shuffle(arrived)
    ordered, shuffled = State(), State()
    apply_all(ordered, stream)
    apply_all(shuffled, arrived)
    assert shuffled == ordered
    months = months_between("2024-01", "2025-03")
    assert derive_figures(shuffled, months) == derive_figures(ordered, months)
