"""The funder report: known figures, suppression across linked tables, CSV and XLSX read back."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
from federation_stream import EVENTS, MONTHS
from hypothesis import given, settings
from hypothesis import strategies as st

from altjung.federation.domain import Counts, Period, SiteMonth, State, apply_all, build_report, derive_figures
from altjung.federation.domain.export import report_lines, to_csv, to_xlsx
from altjung.federation.domain.report import Report

GENERATED = dt.datetime(2025, 11, 26, 7, 47, tzinfo=dt.UTC)
DATA_AS_OF = dt.datetime(2024, 7, 1, 9, 30, tzinfo=dt.UTC)


def site_month(tenant: str, name: str, land: str, month: str, **counts) -> SiteMonth:
    return SiteMonth(tenant_id=tenant, site_name=name, bundesland=land, month=month, counts=Counts(**counts))


FIGURES = [
    site_month("a", "Ansbach", "DE-BY", "2024-01", started=19,
               started_by_target_group={"refugee": 10, "low_formal_education": 9},
               started_by_mentor_age={"65_74": 12, "50_64": 7},
               active=99, active_by_target_group={"refugee": 99},  # a stock: only the last month counts
               ended=2, ended_by_reason={"no_time": 2}, ended_known_start=20, ended_duration_days_sum=6000,
               ended_early=8),
    site_month("a", "Ansbach", "DE-BY", "2024-02", started=7,
               started_by_target_group={"refugee": 4, "single_parent": 3},
               started_by_mentor_age={"65_74": 4, "75_plus": 3},
               active=36, active_by_target_group={"refugee": 30, "single_parent": 6},
               active_by_mentor_age={"65_74": 36}, checkins_on_schedule=25,
               ended=5, ended_by_reason={"goal_reached": 5}),
    site_month("b", "Bremen", "DE-HB", "2024-02", started=20,
               started_by_target_group={"refugee": 10, "low_formal_education": 2, "single_parent": 8},
               started_by_mentor_age={"65_74": 10, "50_64": 10},
               active=18, active_by_target_group={"refugee": 12, "low_formal_education": 6},
               active_by_mentor_age={"50_64": 18}, checkins_on_schedule=25,
               ended=13, ended_by_reason={"goal_reached": 6, "moved_away": 7},
               started_known_registration=73, registration_to_start_days_sum=73 * 45),
    site_month("c", "Chemnitz", "DE-SN", "2024-02", started=27,
               started_by_target_group={"refugee": 20, "migration_background": 7},
               started_by_mentor_age={"under_50": 2, "65_74": 25},
               active=15, active_by_target_group={"migration_background": 15},
               active_by_mentor_age={"75_plus": 15}),
    site_month("c", "Chemnitz", "DE-SN", "2024-03", started=500),  # outside the period
]


def report() -> Report:
    return build_report(FIGURES, ("2024-01", "2024-02"), GENERATED, DATA_AS_OF)


def rows_of(report: Report, title: str) -> dict[str, tuple]:
    """A section's rows by their label, with '.' for a suppressed cell."""
    (section,) = [s for s in report.sections if s.title == title]
    return {row[0]: tuple(_shown(v) for v in row[1:]) for row in section.rows}


def _shown(value):
    if isinstance(value, str):
        return value
    return "." if value["suppressed"] else value["value"]


def test_flows_add_up_over_the_period_and_stocks_come_from_its_last_month():
    overview = rows_of(report(), "Überblick")
    assert overview["Begonnene Patenschaften"] == (73,)
    assert overview["Aktive Patenschaften am Periodenende"] == (69,)
    assert overview["Beendete Patenschaften"] == (20,)
    assert overview["Mittlere Dauer beendeter Patenschaften (Tage)"] == (300,)
    assert overview["Anteil vorzeitig beendeter Patenschaften (%)"] == (40,)
    assert overview["Mittlere Zeit von der Anmeldung bis zum Beginn (Tage)"] == (45,)
    assert overview["Anteil aktiver Tandems mit Check-ins im vorgesehenen Abstand (%)"] == (72,)


def test_per_site_and_per_category_figures_with_small_counts_hidden():
    result = report()
    assert rows_of(result, "Nach Partnerstandort") == {
        "Ansbach": ("Bayern", 26, 36, 7),
        "Bremen": ("Bremen", 20, 18, 13),
        "Chemnitz": ("Sachsen", 27, 15, 0),
        "Gesamt": ("", 73, 69, 20),
    }
    assert rows_of(result, "Nach Zielgruppe") == {
        "Geflüchtete": (44, 42), "Geringe formale Bildung": (11, 6), "Alleinerziehende": (11, 6),
        "Migrationshintergrund": (7, 15), "Sonstige": (0, 0), "Gesamt": (73, 69),
    }
    # 3 and 2 are hidden together with the smallest cells that keep them from being recomputed
    detail = rows_of(result, "Begonnene Patenschaften nach Partnerstandort und Zielgruppe")
    assert detail["Ansbach"] == (14, ".", ".", 0, 0, 26)
    assert detail["Bremen"] == (10, ".", ".", 0, 0, 20)
    assert rows_of(result, "Nach Altersgruppe der Patinnen und Paten") == {
        "unter 50 Jahre": (".", 0), "50 bis 64 Jahre": (17, 18), "65 bis 74 Jahre": (51, 36),
        "75 Jahre und älter": (".", 15), "Gesamt": (73, 69),
    }
    reasons = rows_of(result, "Beendete Patenschaften nach Grund")
    assert reasons["Ziel erreicht"] == (11,) and reasons["Keine Zeit mehr"] == (".",)
    assert reasons["Gesamt"] == (20,)


def test_the_header_says_when_and_from_which_data():
    lines = [values for _kind, values in report_lines(report())]
    assert lines[0][0].startswith("Alt & Jung")
    assert ["Berichtszeitraum", "Januar 2024 bis Februar 2024"] in lines
    assert ["Erstellt am", "26.11.2025, 08:47 Uhr MEZ (2025-11-26T07:47:00Z)"] in lines
    assert ["Datenstand (Ereignisse bis)", "01.07.2024, 11:30 Uhr MESZ (2024-07-01T09:30:00Z)"] in lines


def test_csv_reads_back_as_the_report_lines():
    text = to_csv(report())
    parsed = list(csv.reader(io.StringIO(text), delimiter=";"))
    expected = [[str(v) for v in values] for _kind, values in report_lines(report())]
    assert parsed == expected
    assert "Partnerstandort;Bundesland;Begonnen;Aktiv am Periodenende;Beendet" in text


def test_xlsx_reads_back_as_the_csv():
    result = report()
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(result)))["Bericht"]
    from_xlsx = [_trim(row) for row in sheet.iter_rows(values_only=True)]
    from_csv = [[int(v) if v.isdigit() else (v or None) for v in row]
                for row in csv.reader(io.StringIO(to_csv(result)), delimiter=";")]
    assert from_xlsx == from_csv
    assert any(isinstance(v, int) for row in from_xlsx for v in row)  # counts stay numbers


def _trim(row: tuple) -> list:
    values = list(row)
    while values and values[-1] is None:
        values.pop()
    return values


def test_a_report_from_events_hides_every_small_count():
    state = State()
    apply_all(state, EVENTS)
    result = build_report(derive_figures(state, MONTHS), Period("2024-01", "2024-07"), GENERATED,
                          state.data_as_of)
    assert _small_counts(result) == []
    assert rows_of(result, "Überblick")["Begonnene Patenschaften"] == (".",)
    assert "30.06.2024, 12:00 Uhr MESZ" in to_csv(result)  # the latest event applied


def _small_counts(report: Report) -> list:
    small = []
    for section in report.sections:
        for row in section.rows:
            if "(Tage)" in str(row[0]) or "(%)" in str(row[0]):
                continue  # means and shares, not counts
            small += [(section.title, row) for v in row[1:]
                      if not isinstance(v, str) and v["value"] is not None and 0 < v["value"] < report.threshold]
    return small


breakdown = st.dictionaries(st.sampled_from(["refugee", "single_parent", "other", "unknown"]),
                            st.one_of(st.integers(0, 5), st.integers(0, 40)), max_size=4)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(breakdown, breakdown, st.dictionaries(
    st.sampled_from(["no_time", "goal_reached"]), st.integers(0, 12))), min_size=1, max_size=5))
def test_random_reports_publish_no_small_count_and_keep_linked_numbers_consistent(sites):
    figures = [site_month(f"t{n}", f"Standort {n}", "DE-BE", "2024-05", started=sum(s.values()),
                          started_by_target_group=s, started_by_mentor_age={"65_74": sum(s.values())},
                          active=sum(a.values()), active_by_target_group=a, ended=sum(e.values()),
                          ended_by_reason=e)
               for n, (s, a, e) in enumerate(sites)]
    result = build_report(figures, ("2024-05", "2024-05"), GENERATED, DATA_AS_OF)
    assert _small_counts(result) == []
    per_site = rows_of(result, "Nach Partnerstandort")
    detail = rows_of(result, "Begonnene Patenschaften nach Partnerstandort und Zielgruppe")
    assert {label: row[1] for label, row in per_site.items()} == {label: row[-1] for label, row in detail.items()}
    started = rows_of(result, "Überblick")["Begonnene Patenschaften"][0]
    assert rows_of(result, "Nach Altersgruppe der Patinnen und Paten")["Gesamt"][0] == started
    assert rows_of(result, "Nach Zielgruppe")["Gesamt"][0] == started
