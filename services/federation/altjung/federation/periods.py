"""Period totals out of the rollup: flows summed over the months, stocks at the period's end."""

from __future__ import annotations

import dataclasses
import uuid
from collections import defaultdict

from sqlalchemy import BigInteger, Integer, and_, case, cast, func, select
from sqlalchemy.orm import Session

from altjung.federation.domain import categories as cat
from altjung.federation.domain.figures import Counts
from altjung.federation.domain.report import Period, sort_sites
from altjung.federation.domain.report_tables import SiteTotals
from altjung.federation.models import RollupRow, Site

#: Counts fields that are month-end stocks: a period takes its last month's value.
STOCKS = frozenset({"mentors_active", "mentees_waiting", "waiting_days_sum", "waiting_by_target_group", "active",
                    "active_by_target_group", "active_by_mentor_age", "active_by_mentee_age",
                    "checkins_on_schedule"})


def is_stock(metric: str) -> bool:
    return metric.partition(".")[0] in STOCKS


@dataclasses.dataclass(frozen=True)
class SiteInfo:
    site_id: uuid.UUID
    slug: str
    name: str
    bundesland: str
    status: str
    first_month: str | None
    last_month: str | None

    @property
    def label(self) -> str:
        return self.name or self.slug or f"Standort {str(self.site_id)[:8]}"


def site_infos(session: Session) -> dict[uuid.UUID, SiteInfo]:
    rows = session.execute(select(Site.site_id, Site.slug, Site.name, Site.bundesland, Site.status,
                                  Site.first_month, Site.last_month))
    return {r.site_id: SiteInfo(*r) for r in rows}


def _flow_filter():
    """Only the flow metrics (a stock summed over months means nothing)."""
    scalars = [f for f in STOCKS if f not in ("waiting_by_target_group", "active_by_target_group",
                                              "active_by_mentor_age", "active_by_mentee_age")]
    return and_(RollupRow.metric.not_in(scalars), RollupRow.metric.not_like("active\\_by\\_%", escape="\\"),
                RollupRow.metric.not_like("waiting\\_by\\_%", escape="\\"))


def _stocks_query(last: str):
    at = case((Site.last_month < last, Site.last_month), else_=last)
    return (select(RollupRow.site_id, RollupRow.metric, RollupRow.value)
            .join(Site, and_(Site.site_id == RollupRow.site_id, RollupRow.month == at)))


def _totals(infos: dict[uuid.UUID, SiteInfo], flows: dict, stocks: dict) -> list[SiteTotals]:
    return sort_sites(SiteTotals(tenant_id=str(site_id), label=info.label,
                                 bundesland=cat.label(cat.BUNDESLAENDER, info.bundesland),
                                 flows=Counts.from_metrics(flows.get(site_id, {})),
                                 stocks=Counts.from_metrics({k: v for k, v in stocks.get(site_id, {}).items()
                                                             if is_stock(k)}))
                      for site_id, info in infos.items())


def period_totals(session: Session, period: Period, infos: dict[uuid.UUID, SiteInfo]) -> list[SiteTotals]:
    """Every known site's totals for the period, in report order. A site with no fact after some
    month keeps that month's stocks (its last known state) in later periods."""
    first, last = period.first_month, period.last_month
    flows_query = (select(RollupRow.site_id, RollupRow.metric, cast(func.sum(RollupRow.value), BigInteger))
                   .where(RollupRow.month >= first, RollupRow.month <= last, _flow_filter())
                   .group_by(RollupRow.site_id, RollupRow.metric))
    flows = {k[0]: v for k, v in _per_key(session, flows_query).items()}
    stocks = {k[0]: v for k, v in _per_key(session, _stocks_query(last)).items()}
    return _totals(infos, flows, stocks)


def year_totals(session: Session, year: int, infos: dict[uuid.UUID, SiteInfo]) -> dict[tuple, list[SiteTotals]]:
    """The totals of a year's four quarters, ("q", year, q), and of the year, ("y", year), in one pass
    over the rollup: what period_totals gives for each of them."""
    quarter = (cast(func.substr(RollupRow.month, 6, 2), Integer) + 2) // 3
    flows_query = (select(RollupRow.site_id, quarter, RollupRow.metric, cast(func.sum(RollupRow.value), BigInteger))
                   .where(RollupRow.month >= f"{year:04d}-01", RollupRow.month <= f"{year:04d}-12", _flow_filter())
                   .group_by(RollupRow.site_id, quarter, RollupRow.metric))
    flows = _per_key(session, flows_query)
    out: dict[tuple, list[SiteTotals]] = {}
    for q in range(1, 5):
        stocks = {k[0]: v for k, v in _per_key(session, _stocks_query(f"{year:04d}-{3 * q:02d}")).items()}
        out[("q", year, q)] = _totals(infos, {site: v for (site, qq), v in flows.items() if int(qq) == q}, stocks)
    sites = out[("q", year, 4)]
    quarters = [{s.tenant_id: s for s in out[("q", year, q)]} for q in range(1, 5)]
    out[("y", year)] = [dataclasses.replace(s, flows=sum((qs[s.tenant_id].flows for qs in quarters), Counts()))
                        for s in sites]
    return out


def _per_key(session: Session, query) -> dict[tuple, dict[str, int]]:
    """(key…, metric, value) rows as metrics per key. On PostgreSQL each key's metrics come as one
    JSON object: a few hundred rows to decode instead of ten thousands."""
    out: dict[tuple, dict[str, int]] = defaultdict(dict)
    if session.get_bind().dialect.name == "postgresql":
        *keys, metric, value = query.subquery().c
        for *key, metrics in session.execute(select(*keys, func.json_object_agg(metric, value)).group_by(*keys)):
            out[tuple(key)] = {k: int(v) for k, v in metrics.items()}
        return out
    for *key, metric, value in session.execute(query):
        out[tuple(key)][metric] = int(value)
    return out


def monthly(session: Session, first: str, last: str, *, sites: set[uuid.UUID] | None,
            infos: dict[uuid.UUID, SiteInfo], metrics: set[str]) -> dict[str, Counts]:
    """The sum over `sites` (None: all) of each month's figures, stocks of quiet sites carried forward."""
    query = (select(RollupRow.month, RollupRow.metric, func.sum(RollupRow.value))
             .where(RollupRow.month >= first, RollupRow.month <= last, RollupRow.metric.in_(sorted(metrics)))
             .group_by(RollupRow.month, RollupRow.metric))
    if sites is not None:
        query = query.where(RollupRow.site_id.in_(sorted(sites)))
    values: dict[str, dict[str, int]] = defaultdict(dict)
    for month, metric, value in session.execute(query):
        values[month][metric] = int(value)
    quiet = {i.site_id: i.last_month for i in infos.values()
             if i.last_month and i.last_month < last and (sites is None or i.site_id in sites)}
    if quiet:
        stock_metrics = sorted(m for m in metrics if is_stock(m))
        carried = session.execute(select(RollupRow.site_id, RollupRow.month, RollupRow.metric, RollupRow.value)
                                  .join(Site, and_(Site.site_id == RollupRow.site_id,
                                                   RollupRow.month == Site.last_month))
                                  .where(RollupRow.site_id.in_(sorted(quiet)), RollupRow.month < last,
                                         RollupRow.metric.in_(stock_metrics)))
        from altjung.federation.domain.months import months_between

        for _site, since, metric, value in carried:
            for month in months_between(max(since, first), last):
                if month > since:
                    values[month][metric] = values[month].get(metric, 0) + int(value)
    return {month: Counts.from_metrics(v) for month, v in values.items()}
