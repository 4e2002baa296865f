"""The funder report: started, active and ended Patenschaften per site and category, suppressed."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence

from altjung.federation.domain import categories as cat
from altjung.federation.domain.figures import Counts, SiteMonth
from altjung.federation.domain.months import months_between
from altjung.federation.domain.report_tables import Section, SiteTotals, build_sections
from altjung.federation.domain.suppression import DEFAULT_THRESHOLD

#: German month names for the period's label.
MONTHS_DE = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September",
             "Oktober", "November", "Dezember")

#: The report's heading.
TITLE = "Alt & Jung – Chancenpatenschaften: Bericht an den Fördermittelgeber"


@dataclasses.dataclass(frozen=True)
class Period:
    """The months a report covers, both included, as 'YYYY-MM'."""

    first_month: str
    last_month: str

    def __post_init__(self) -> None:
        if not self.months():
            raise ValueError(f"empty period: {self.first_month} to {self.last_month}")

    def months(self) -> list[str]:
        return months_between(self.first_month, self.last_month)

    @property
    def label(self) -> str:
        first, last = (_month_label(month) for month in (self.first_month, self.last_month))
        return first if first == last else f"{first} bis {last}"


@dataclasses.dataclass(frozen=True)
class Report:
    title: str
    period: Period
    generated_at: dt.datetime
    data_as_of: dt.datetime | None  # occurred_at of the latest event the figures include
    threshold: int
    sections: tuple[Section, ...]
    notes: tuple[str, ...]


def build_report(figures: Iterable[SiteMonth], period: Period | Sequence[str], generated_at: dt.datetime,
                 data_as_of: dt.datetime | None, *, threshold: int = DEFAULT_THRESHOLD) -> Report:
    """Sum the flows (started, ended) over the period, take the stocks (active) at its last
    month's end, and suppress every table so that no count below `threshold` can be read
    or recomputed."""
    period = period if isinstance(period, Period) else Period(*period)
    return report_from_totals(_site_totals(figures, period), period, generated_at, data_as_of, threshold=threshold)


def report_from_totals(sites: list[SiteTotals], period: Period, generated_at: dt.datetime,
                       data_as_of: dt.datetime | None, *, threshold: int = DEFAULT_THRESHOLD) -> Report:
    """The report from each site's period totals (sites in report order, see sort_sites)."""
    sections = build_sections(sites, threshold=threshold)
    notes = (
        (f"Werte von 1 bis {threshold - 1} sind geheim gehalten („.“), ebenso weitere Werte, "
         "aus denen sie sich errechnen ließen. „–“: kein Wert vorhanden."),
        "Begonnen und beendet: im Berichtszeitraum; aktiv: am letzten Tag des Berichtszeitraums.",
        "Altersgruppen: Alter im Jahr des Beginns der Patenschaft (nur das Geburtsjahr ist bekannt).",
        f"Vorzeitig beendet: vor Ablauf der zugesagten {cat.COMMITMENT_MONTHS} Monate.",
        (f"Mittelwerte und Anteile erscheinen nur, wenn sie auf mindestens {threshold} "
         "Patenschaften beruhen und keine kleine Zahl verraten."),
    )
    return Report(title=TITLE, period=period, generated_at=generated_at, data_as_of=data_as_of,
                  threshold=threshold, sections=sections, notes=notes)


def _site_totals(figures: Iterable[SiteMonth], period: Period) -> list[SiteTotals]:
    months = set(period.months())
    sites: dict[str, SiteTotals] = {}
    for figure in figures:
        if figure.month not in months:
            continue
        label = figure.site_name or f"Standort {figure.tenant_id[:8]}"
        site = sites.setdefault(figure.tenant_id, SiteTotals(
            tenant_id=figure.tenant_id, label=label, bundesland=cat.label(cat.BUNDESLAENDER, figure.bundesland),
            flows=Counts(), stocks=Counts()))
        site.flows = site.flows + figure.counts
        if figure.month == period.last_month:
            site.stocks = figure.counts
    return sort_sites(sites.values())


def sort_sites(sites: Iterable[SiteTotals]) -> list[SiteTotals]:
    """The order of the report's rows (which cell suppression picks can depend on it)."""
    return sorted(sites, key=lambda site: (site.label.casefold(), site.label, site.tenant_id))


def _month_label(month: str) -> str:
    year, mon = month.split("-")
    return f"{MONTHS_DE[int(mon) - 1]} {year}"
