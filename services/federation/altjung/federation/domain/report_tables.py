"""The funder report's tables, built from suppressed tables so linked numbers stay consistent."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from altjung.federation.domain import categories as cat
from altjung.federation.domain.figures import Breakdown, Counts
from altjung.federation.domain.suppression import (
    Cell,
    SuppressedList,
    SuppressedTable,
    suppress_list,
    suppress_table,
)

TOTAL = "Gesamt"
STARTED, ACTIVE, ENDED = "Begonnen", "Aktiv am Periodenende", "Beendet"


@dataclasses.dataclass(frozen=True)
class Section:
    """One table: German column labels, rows of labels (str) and published cells."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str | Cell, ...], ...]


@dataclasses.dataclass
class SiteTotals:
    """One partner site over the report's period."""

    tenant_id: str
    label: str
    bundesland: str
    flows: Counts  # summed over the period's months
    stocks: Counts  # at the end of the period's last month


@dataclasses.dataclass(frozen=True)
class Protected:
    """The suppressed tables of a period: every figure the report (and the API) publishes about
    Patenschaften comes out of these, so a number is suppressed the same way wherever it appears."""

    groups: list[str]
    reasons: list[str]
    ages: list[str]
    started: SuppressedTable  # site × target group
    active: SuppressedTable  # site × target group, at the period's end
    ended: SuppressedTable  # site × end reason
    started_ages: SuppressedList  # federation × mentor age band
    active_ages: SuppressedList


def protect(sites: list[SiteTotals], *, threshold: int) -> Protected:
    """Every site × category table is suppressed once; the per-site, per-category and overall
    figures are its margins. The mentor age bands only share the grand total with them, which is
    forced out when the site tables had to hide it."""
    groups = _codes(cat.TARGET_GROUPS, [s.flows.started_by_target_group for s in sites]
                    + [s.stocks.active_by_target_group for s in sites])
    reasons = _codes(cat.END_REASONS, [s.flows.ended_by_reason for s in sites])
    ages = _codes(cat.MENTOR_AGE_BANDS, [s.flows.started_by_mentor_age for s in sites]
                  + [s.stocks.active_by_mentor_age for s in sites])
    started = _table([s.flows.started_by_target_group for s in sites], groups, threshold)
    active = _table([s.stocks.active_by_target_group for s in sites], groups, threshold)
    ended = _table([s.flows.ended_by_reason for s in sites], reasons, threshold)
    started_ages = suppress_list(_column_sums([s.flows.started_by_mentor_age for s in sites], ages),
                                 threshold=threshold, suppress_total=started.total["suppressed"])
    active_ages = suppress_list(_column_sums([s.stocks.active_by_mentor_age for s in sites], ages),
                                threshold=threshold, suppress_total=active.total["suppressed"])
    return Protected(groups=groups, reasons=reasons, ages=ages, started=started, active=active, ended=ended,
                     started_ages=started_ages, active_ages=active_ages)


def build_sections(sites: list[SiteTotals], *, threshold: int) -> tuple[Section, ...]:
    """The report's tables, all taken from protect()."""
    p = protect(sites, threshold=threshold)
    groups, reasons, ages = p.groups, p.reasons, p.ages
    started, active, ended, started_ages, active_ages = p.started, p.active, p.ended, p.started_ages, p.active_ages
    flows = sum((s.flows for s in sites), Counts())
    stocks = sum((s.stocks for s in sites), Counts())
    group_labels = [cat.label(cat.TARGET_GROUPS, code) for code in groups]
    reason_labels = [cat.label(cat.END_REASONS, code) for code in reasons]
    age_labels = [cat.label(cat.MENTOR_AGE_BANDS, code) for code in ages]
    return (
        Section("Überblick", ("Kennzahl", "Wert"), (
            ("Begonnene Patenschaften", started.total),
            ("Aktive Patenschaften am Periodenende", active.total),
            ("Beendete Patenschaften", ended.total),
            *_indicators(flows, stocks, threshold),
        )),
        Section("Nach Partnerstandort", ("Partnerstandort", "Bundesland", STARTED, ACTIVE, ENDED), (
            *((s.label, s.bundesland, started.row_totals[i], active.row_totals[i], ended.row_totals[i])
              for i, s in enumerate(sites)),
            (TOTAL, "", started.total, active.total, ended.total),
        )),
        Section("Nach Zielgruppe", ("Zielgruppe", STARTED, ACTIVE), (
            *zip(group_labels, started.column_totals, active.column_totals, strict=True),
            (TOTAL, started.total, active.total),
        )),
        Section("Nach Altersgruppe der Patinnen und Paten", ("Altersgruppe", STARTED, ACTIVE), (
            *zip(age_labels, started_ages.cells, active_ages.cells, strict=True),
            (TOTAL, started_ages.total, active_ages.total),
        )),
        Section("Beendete Patenschaften nach Grund", ("Grund", ENDED), (
            *zip(reason_labels, ended.column_totals, strict=True),
            (TOTAL, ended.total),
        )),
        _detail("Begonnene Patenschaften nach Partnerstandort und Zielgruppe", sites, group_labels, started),
        _detail("Aktive Patenschaften am Periodenende nach Partnerstandort und Zielgruppe", sites,
                group_labels, active),
        _detail("Beendete Patenschaften nach Partnerstandort und Grund", sites, reason_labels, ended),
    )


def _codes(categories: dict[str, str], breakdowns: Iterable[Breakdown]) -> list[str]:
    """The programme's categories in their order, plus 'unknown' only when it occurs."""
    unknown = any(breakdown.get(cat.UNKNOWN) for breakdown in breakdowns)
    return [*categories, *([cat.UNKNOWN] if unknown else [])]


def _column_sums(breakdowns: list[Breakdown], codes: list[str]) -> list[int]:
    return [sum(breakdown.get(code, 0) for breakdown in breakdowns) for code in codes]


def _table(breakdowns: list[Breakdown], codes: list[str], threshold: int) -> SuppressedTable:
    table = suppress_table([[b.get(code, 0) for code in codes] for b in breakdowns], threshold=threshold)
    if breakdowns:
        return table
    zero = Cell(value=0, suppressed=False)
    return dataclasses.replace(table, column_totals=[zero for _ in codes])


def _detail(title: str, sites: list[SiteTotals], labels: list[str], table: SuppressedTable) -> Section:
    rows = [(s.label, *table.cells[i], table.row_totals[i]) for i, s in enumerate(sites)]
    rows.append((TOTAL, *table.column_totals, table.total))
    return Section(title, ("Partnerstandort", *labels, TOTAL), tuple(rows))


def _indicators(flows: Counts, stocks: Counts, threshold: int) -> list[tuple[str, Cell]]:
    return [
        ("Mittlere Dauer beendeter Patenschaften (Tage)",
         mean_cell(flows.ended_duration_days_sum, flows.ended_known_start, threshold)),
        ("Anteil vorzeitig beendeter Patenschaften (%)",
         share_cell(flows.ended_early, flows.ended_known_start, threshold)),
        ("Mittlere Zeit von der Anmeldung bis zum Beginn (Tage)",
         mean_cell(flows.registration_to_start_days_sum, flows.started_known_registration, threshold)),
        ("Anteil aktiver Tandems mit Check-ins im vorgesehenen Abstand (%)",
         share_cell(stocks.checkins_on_schedule, stocks.active, threshold)),
    ]


def mean_cell(total: int, count: int, threshold: int) -> Cell:
    """A mean, hidden when it rests on fewer than `threshold` cases."""
    if not count:
        return Cell(value=None, suppressed=False)
    if count < threshold:
        return Cell(value=None, suppressed=True)
    return Cell(value=round(total / count), suppressed=False)


def share_cell(part: int, whole: int, threshold: int) -> Cell:
    """A percentage, hidden when it rests on few cases or would give away a small count."""
    if not whole:
        return Cell(value=None, suppressed=False)
    if whole < threshold or 0 < part < threshold or 0 < whole - part < threshold:
        return Cell(value=None, suppressed=True)
    return Cell(value=round(100 * part / whole), suppressed=False)
