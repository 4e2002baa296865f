"""Time series per month and quarter, protected against each other and against the period tables."""

from __future__ import annotations

import uuid
from collections.abc import Hashable

from sqlalchemy.orm import Session

from altjung.federation.domain.months import months_between
from altjung.federation.domain.report import Period
from altjung.federation.domain.suppression import Cell
from altjung.federation.periods import monthly, site_infos, year_totals
from altjung.federation.views import BY_TARGET_GROUP, period_view, totals

#: Flows add up over months; stocks are month-end values (a quarter's is its last month's).
FLOWS = ("started", "ended", "proposed", "mentors_applied", "mentors_screened", "mentees_applied")
STOCKS = ("active", "mentors_active", "mentees_waiting")

Key = tuple[Hashable, ...]


def metric_of(measure: str, target_group: str | None) -> str | None:
    if target_group is None:
        return measure
    field = BY_TARGET_GROUP.get(measure)
    return f"{field}.{target_group}" if field else None


def quarter_of(month: str) -> tuple[int, int]:
    year, mon = int(month[:4]), int(month[5:])
    return year, (mon - 1) // 3 + 1


def series(session: Session, *, first_year: int, last_year: int, threshold: int, bundesland: str | None = None,
           target_group: str | None = None) -> dict:
    """Monthly and quarterly values of every measure, with suppression applied."""
    infos = site_infos(session)
    months = months_between(f"{first_year:04d}-01", f"{last_year:04d}-12")
    sites = None if bundesland is None else {i for i, info in infos.items() if info.bundesland == bundesland}
    measures = [m for m in (*FLOWS, *STOCKS) if metric_of(m, target_group)]
    metrics = {metric_of(m, target_group) for m in measures}
    data = monthly(session, months[0], months[-1], sites=sites, infos=infos, metrics=metrics)  # type: ignore[arg-type]
    fixed = _period_status(session, measures, range(first_year, last_year + 1), threshold=threshold,
                           bundesland=bundesland, target_group=target_group, infos=infos)
    out_months: dict[str, dict[str, Cell]] = {m: {} for m in months}
    out_quarters: dict[str, dict[str, Cell]] = {}
    for measure in measures:
        metric = metric_of(measure, target_group)
        values = {("m", m): _value(data.get(m), metric) for m in months}  # type: ignore[arg-type]
        cells = protect_measure(values, months, stock=measure in STOCKS, threshold=threshold,
                                fixed=fixed.get(measure, {}))
        for m in months:
            out_months[m][measure] = cells[("m", m)]
        for year in range(first_year, last_year + 1):
            for q in range(1, 5):
                out_quarters.setdefault(f"{year}-Q{q}", {})[measure] = cells[("q", year, q)]
    return {"months": [{"month": m, "figures": out_months[m]} for m in months],
            "quarters": [{"quarter": q, "figures": f} for q, f in out_quarters.items()]}


def _value(counts, metric: str) -> int:
    if counts is None:
        return 0
    field, _, key = metric.partition(".")
    value = getattr(counts, field)
    return int(value.get(key, 0) if key else value)


def _period_status(session: Session, measures: list[str], years, *, threshold: int, bundesland: str | None,
                   target_group: str | None, infos: dict[uuid.UUID, object]) -> dict[str, dict[Key, bool]]:
    """Whether the period tables hide each quarter's and year's figure (True) or show it (False).
    The whole federation's totals are hidden exactly when they are small, so only a filtered series
    needs the tables themselves."""
    if bundesland is None and target_group is None:
        return {}
    status: dict[str, dict[Key, bool]] = {m: {} for m in measures}
    for year in years:
        periods = {("y", year): Period(f"{year:04d}-01", f"{year:04d}-12")}
        periods.update({("q", year, q): Period(f"{year:04d}-{3 * q - 2:02d}", f"{year:04d}-{3 * q:02d}")
                        for q in range(1, 5)})
        sites = year_totals(session, year, infos)  # type: ignore[arg-type]
        for key, period in periods.items():
            view = period_view(session, period, threshold=threshold, infos=infos,  # type: ignore[arg-type]
                               sites=sites[key])
            figures = totals(view, bundesland=bundesland, target_group=target_group)["figures"]
            for measure in measures:
                cell = figures.get(measure)
                if cell is not None:
                    status[measure][key] = bool(cell["suppressed"])
    return status


def protect_measure(values: dict[Key, int], months: list[str], *, stock: bool, threshold: int,
                    fixed: dict[Key, bool]) -> dict[Key, Cell]:
    """Cells for months, quarters and years. Flows: each quarter is the sum of its months and each
    year of its quarters, and no such line leaves one hidden value or a small hidden sum. Stocks:
    a quarter's (and a year's) value is its last month's, hidden wherever the period tables hide it."""
    years = sorted({int(m[:4]) for m in months})
    lines: list[tuple[list[Key], Key]] = []
    if stock:
        for year in years:
            for q in range(1, 5):
                end = ("m", f"{year:04d}-{3 * q:02d}")
                values[("q", year, q)] = values[end]
                if ("q", year, q) in fixed:
                    fixed[end] = fixed[("q", year, q)]
            values[("y", year)] = values[("m", f"{year:04d}-12")]
    else:
        for year in years:
            for q in range(1, 5):
                members = [("m", f"{year:04d}-{mon:02d}") for mon in range(3 * q - 2, 3 * q + 1)]
                values[("q", year, q)] = sum(values[k] for k in members)
                lines.append((members, ("q", year, q)))
            quarters: list[Key] = [("q", year, q) for q in range(1, 5)]
            values[("y", year)] = sum(values[k] for k in quarters)
            lines.append((quarters, ("y", year)))
    hidden = protect_lines(values, lines, threshold=threshold, fixed=fixed)
    if stock:  # a quarter shows what its last month shows
        for year in years:
            for q in range(1, 5):
                if ("m", f"{year:04d}-{3 * q:02d}") in hidden:
                    hidden.add(("q", year, q))
    return {k: Cell(value=None, suppressed=True) if k in hidden else Cell(value=v, suppressed=False)
            for k, v in values.items()}


def protect_lines(values: dict[Key, int], lines: list[tuple[list[Key], Key]], *, threshold: int,
                  fixed: dict[Key, bool]) -> set[Key]:
    """Primary suppression (1 to threshold - 1), then secondary until every line is protected.
    `fixed` cells are decided elsewhere: True hidden, False shown (never chosen here)."""
    hidden = {k for k, v in values.items() if fixed.get(k) is True or (k not in fixed and 0 < v < threshold)}
    changed = True
    while changed:
        changed = False
        for members, total in lines:
            while not _protected(members, total, values, hidden, threshold):
                open_cells = [k for k in members if k not in hidden and k not in fixed]
                if open_cells:
                    pick = min(open_cells, key=lambda k: (values[k] == 0, values[k], str(k)))
                elif total not in hidden and total not in fixed:
                    pick = total
                else:
                    break
                hidden.add(pick)
                changed = True
    return hidden


def _protected(members: list[Key], total: Key, values: dict[Key, int], hidden: set[Key], threshold: int) -> bool:
    shown_hidden = [k for k in (*members, total) if k in hidden]
    if not shown_hidden:
        return True
    if len(shown_hidden) < 2:
        return False
    return total in hidden or sum(values[k] for k in shown_hidden) >= threshold
