"""The programme's categories and the calendar arithmetic behind the figures."""

from __future__ import annotations

import datetime as dt

import pytest

from altjung.federation.domain import categories as cat
from altjung.federation.domain.months import add_months, last_day, month_of, months_between, parse_instant

ON = dt.date(2025, 6, 30)


@pytest.mark.parametrize(("birth_year", "band"), [
    (1976, "under_50"), (1975, "50_64"), (1961, "50_64"), (1960, "65_74"), (1951, "65_74"), (1950, "75_plus"),
    (None, "unknown"),
])
def test_mentor_age_bands_by_the_age_reached_in_the_reference_year(birth_year, band):
    assert cat.mentor_age_band(birth_year, ON) == band


@pytest.mark.parametrize(("birth_year", "band"), [
    (2008, "minor"), (2007, "18_26"), (1999, "18_26"), (1998, "27_plus"), (None, "unknown"),
])
def test_mentee_age_bands(birth_year, band):
    assert cat.mentee_age_band(birth_year, ON) == band


def test_a_patenschaft_is_early_when_it_ends_before_its_twelve_months():
    assert cat.ending(dt.date(2024, 3, 15), dt.date(2025, 3, 14)) == "early"
    assert cat.ending(dt.date(2024, 3, 15), dt.date(2025, 3, 15)) == "planned"
    assert cat.ending(dt.date(2024, 2, 29), dt.date(2025, 2, 28)) == "planned"  # clamped to the month's end
    assert cat.ending(None, dt.date(2025, 3, 15)) == "unknown"


def test_codes_are_normalised_and_every_land_has_its_german_name():
    assert len(cat.BUNDESLAENDER) == 16
    assert cat.BUNDESLAENDER["DE-TH"] == "Thüringen" and cat.BUNDESLAENDER["DE-NW"] == "Nordrhein-Westfalen"
    assert (cat.bundesland("by"), cat.bundesland("DE-SN"), cat.bundesland("XX"), cat.bundesland(None)) == (
        "DE-BY", "DE-SN", "unknown", "unknown")
    assert cat.target_group("refugee") == "refugee" and cat.target_group("new_code") == "other"
    assert cat.end_reason("no_time") == "no_time" and cat.end_reason(None) == "other"
    assert set(cat.TARGET_GROUPS) == {"refugee", "low_formal_education", "single_parent",
                                      "migration_background", "other"}
    assert set(cat.END_REASONS) == {"goal_reached", "moved_away", "no_time", "did_not_fit", "other"}
    assert cat.label(cat.MENTOR_AGE_BANDS, "unknown") == "unbekannt"


def test_month_arithmetic():
    assert months_between("2024-11", "2025-02") == ["2024-11", "2024-12", "2025-01", "2025-02"]
    assert months_between("2025-02", "2025-01") == []
    assert last_day("2024-02") == dt.date(2024, 2, 29) and month_of(dt.date(2024, 2, 29)) == "2024-02"
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 30), 14) == dt.date(2026, 1, 30)
    assert parse_instant("2024-03-31T23:30:00+02:00") == dt.datetime(2024, 3, 31, 21, 30, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="not a month"):
        months_between("2024-13", "2025-01")
