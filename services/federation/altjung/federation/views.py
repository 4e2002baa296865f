"""What the BaS sees: period tables, totals and time series, every count protected by suppression.

All figures of a period come out of one set of suppressed tables (the funder report's, plus the
lists for the measures the report does not carry), so a number hidden in one answer is hidden in
every answer. A sum the tables do not publish (a Land's total) is shown only when every part of it
is shown; it then gives nothing away that the parts did not."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy.orm import Session

from altjung.federation.domain import categories as cat
from altjung.federation.domain.figures import Counts
from altjung.federation.domain.report import Period
from altjung.federation.domain.report_tables import Protected, SiteTotals, mean_cell, protect, share_cell
from altjung.federation.domain.suppression import Cell, SuppressedList, SuppressedTable, suppress_list, suppress_table
from altjung.federation.periods import SiteInfo, period_totals, site_infos

#: Measures with a target-group (or reason) breakdown: a site × category table each.
TABLE_MEASURES = ("started", "active", "ended", "mentees_waiting")
#: Measures published per site without a breakdown: a list with its total each.
LIST_MEASURES = ("proposed", "mentors_applied", "mentors_screened", "mentors_active", "mentees_applied")
#: Means and shares, each from a numerator and a denominator of the period's flows or stocks.
INDICATORS = ("mean_duration_days", "share_ended_early_percent", "mean_registration_to_start_days",
              "share_checkins_on_schedule_percent", "mean_waiting_days", "share_waiting_matched_percent")
#: Measures that exist per target group.
BY_TARGET_GROUP = {"started": "started_by_target_group", "active": "active_by_target_group",
                   "mentees_waiting": "waiting_by_target_group"}


@dataclasses.dataclass(frozen=True)
class PeriodView:
    period: Period
    threshold: int
    sites: list[SiteTotals]
    infos: list[SiteInfo]  # aligned with sites
    protected: Protected
    waiting: SuppressedTable
    waiting_groups: list[str]
    lists: dict[str, SuppressedList]
    mentee_ages: list[str]
    started_mentee_ages: SuppressedList

    def table(self, measure: str) -> SuppressedTable:
        return {"started": self.protected.started, "active": self.protected.active, "ended": self.protected.ended,
                "mentees_waiting": self.waiting}[measure]

    def columns(self, measure: str) -> list[str]:
        return {"started": self.protected.groups, "active": self.protected.groups, "ended": self.protected.reasons,
                "mentees_waiting": self.waiting_groups}[measure]


def period_view(session: Session, period: Period, *, threshold: int,
                infos: dict[uuid.UUID, SiteInfo] | None = None, sites: list[SiteTotals] | None = None) -> PeriodView:
    """The period's protected tables (`sites`: the period's totals, when the caller has them already)."""
    infos = infos if infos is not None else site_infos(session)
    sites = sites if sites is not None else period_totals(session, period, infos)
    by_id = {str(i): info for i, info in infos.items()}
    groups = [*cat.TARGET_GROUPS, *([cat.UNKNOWN] if any(s.stocks.waiting_by_target_group.get(cat.UNKNOWN)
                                                          for s in sites) else [])]
    waiting = suppress_table([[s.stocks.waiting_by_target_group.get(g, 0) for g in groups] for s in sites],
                             threshold=threshold) if sites else _empty_table(len(groups))
    lists = {m: suppress_list([_count(s, m) for s in sites], threshold=threshold) for m in LIST_MEASURES}
    protected = protect(sites, threshold=threshold)
    ages = [*cat.MENTEE_AGE_BANDS, cat.UNKNOWN]
    mentee_ages = suppress_list([sum(s.flows.started_by_mentee_age.get(a, 0) for s in sites) for a in ages],
                                threshold=threshold, suppress_total=protected.started.total["suppressed"])
    return PeriodView(period=period, threshold=threshold, sites=sites, infos=[by_id[s.tenant_id] for s in sites],
                      protected=protected, waiting=waiting, waiting_groups=groups, lists=lists, mentee_ages=ages,
                      started_mentee_ages=mentee_ages)


def _empty_table(width: int) -> SuppressedTable:
    zero = Cell(value=0, suppressed=False)
    return SuppressedTable(cells=[], row_totals=[], column_totals=[zero] * width, total=zero)


def _count(site: SiteTotals, measure: str) -> int:
    counts = site.stocks if measure in ("mentors_active",) else site.flows
    return int(getattr(counts, measure))


def combined(cells: Iterable[Cell]) -> Cell:
    """A sum the tables do not publish: shown only when every part is shown."""
    cells = list(cells)
    if any(c["suppressed"] for c in cells):
        return Cell(value=None, suppressed=True)
    return Cell(value=sum(c["value"] or 0 for c in cells), suppressed=False)


def indicators(flows: Counts, stocks: Counts, threshold: int) -> dict[str, Cell]:
    return {
        "mean_duration_days": mean_cell(flows.ended_duration_days_sum, flows.ended_known_start, threshold),
        "share_ended_early_percent": share_cell(flows.ended_early, flows.ended_known_start, threshold),
        "mean_registration_to_start_days": mean_cell(flows.registration_to_start_days_sum,
                                                     flows.started_known_registration, threshold),
        "share_checkins_on_schedule_percent": share_cell(stocks.checkins_on_schedule, stocks.active, threshold),
        "mean_waiting_days": mean_cell(stocks.waiting_days_sum, stocks.mentees_waiting, threshold),
        "share_waiting_matched_percent": share_cell(flows.waiting_matched, flows.waiting_pool, threshold),
    }


def site_cells(view: PeriodView, i: int, target_group: str | None = None) -> dict[str, Cell | None]:
    """One site's published figures (None: not available for this filter)."""
    out: dict[str, Cell | None] = {}
    for measure in TABLE_MEASURES:
        table = view.table(measure)
        if target_group is None:
            out[measure] = table.row_totals[i]
        elif measure in BY_TARGET_GROUP:
            out[measure] = _column_cell(table.cells[i], view.columns(measure), target_group)
        else:
            out[measure] = None
    for measure in LIST_MEASURES:
        out[measure] = view.lists[measure].cells[i] if target_group is None else None
    site = view.sites[i]
    for name, cell in indicators(site.flows, site.stocks, view.threshold).items():
        out[name] = cell if target_group is None else None
    return out


def _column_cell(row: Sequence[Cell], columns: list[str], code: str) -> Cell:
    return row[columns.index(code)] if code in columns else Cell(value=0, suppressed=False)


def rows_in(view: PeriodView, bundesland: str | None) -> list[int]:
    return [i for i, info in enumerate(view.infos) if bundesland is None or info.bundesland == bundesland]


def totals(view: PeriodView, *, bundesland: str | None = None, target_group: str | None = None) -> dict:
    """The period's figures for the federation or one Land, overall or for one target group."""
    rows = rows_in(view, bundesland)
    flows = sum((view.sites[i].flows for i in rows), Counts())
    stocks = sum((view.sites[i].stocks for i in rows), Counts())
    figures: dict[str, Cell | None] = {}
    breakdowns: dict[str, dict[str, Cell] | None] = {}
    for measure in TABLE_MEASURES:
        table, columns = view.table(measure), view.columns(measure)
        if target_group is not None and measure not in BY_TARGET_GROUP:
            figures[measure] = None
        elif bundesland is None:
            figures[measure] = (table.total if target_group is None
                                else _column_cell(table.column_totals, columns, target_group))
        else:
            figures[measure] = combined(table.row_totals[i] if target_group is None
                                        else _column_cell(table.cells[i], columns, target_group) for i in rows)
        if target_group is None:
            key = "ended_by_reason" if measure == "ended" else f"{measure}_by_target_group"
            breakdowns[key] = {code: (table.column_totals[j] if bundesland is None
                                      else combined(table.cells[i][j] for i in rows))
                               for j, code in enumerate(columns)}
    for measure in LIST_MEASURES:
        if target_group is not None:
            figures[measure] = None
        elif bundesland is None:
            figures[measure] = view.lists[measure].total
        else:
            figures[measure] = combined(view.lists[measure].cells[i] for i in rows)
    for name, cell in indicators(flows, stocks, view.threshold).items():
        figures[name] = cell if target_group is None else None
    federation_only = bundesland is None and target_group is None
    p = view.protected
    breakdowns["started_by_mentor_age"] = dict(zip(p.ages, p.started_ages.cells, strict=True)) if federation_only \
        else None
    breakdowns["active_by_mentor_age"] = dict(zip(p.ages, p.active_ages.cells, strict=True)) if federation_only \
        else None
    breakdowns["started_by_mentee_age"] = dict(zip(view.mentee_ages, view.started_mentee_ages.cells, strict=True)) \
        if federation_only else None
    return {"figures": figures, "breakdowns": breakdowns}


def site_table(view: PeriodView, *, bundesland: str | None = None, target_group: str | None = None) -> list[dict]:
    return [{"site_id": view.infos[i].site_id, "name": view.infos[i].label, "slug": view.infos[i].slug,
             "bundesland": view.infos[i].bundesland, "status": view.infos[i].status,
             "figures": site_cells(view, i, target_group)} for i in rows_in(view, bundesland)]


def raw_figures(flows: Counts, stocks: Counts) -> dict:
    """Unsuppressed figures of one site (its own coordinator's view)."""
    cell = lambda v: Cell(value=int(v), suppressed=False)
    figures: dict[str, Cell | None] = {
        "started": cell(flows.started), "active": cell(stocks.active), "ended": cell(flows.ended),
        "mentees_waiting": cell(stocks.mentees_waiting), "proposed": cell(flows.proposed),
        "mentors_applied": cell(flows.mentors_applied), "mentors_screened": cell(flows.mentors_screened),
        "mentors_active": cell(stocks.mentors_active), "mentees_applied": cell(flows.mentees_applied)}
    figures.update(indicators(flows, stocks, threshold=1))
    breakdowns = {"started_by_target_group": flows.started_by_target_group,
                  "active_by_target_group": stocks.active_by_target_group, "ended_by_reason": flows.ended_by_reason,
                  "mentees_waiting_by_target_group": stocks.waiting_by_target_group,
                  "started_by_mentor_age": flows.started_by_mentor_age,
                  "active_by_mentor_age": stocks.active_by_mentor_age,
                  "started_by_mentee_age": flows.started_by_mentee_age}
    return {"figures": figures, "breakdowns": {k: {c: cell(v) for c, v in b.items()} for k, b in breakdowns.items()}}
