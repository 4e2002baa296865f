"""The BaS figures: totals, the per-site table and time series, suppressed below the whole federation;
a coordinator's own site unsuppressed."""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from altjung.federation.domain import categories as cat
from altjung.federation.domain.report import Period
from altjung.federation.models import RollupRow, Site, StoredEvent
from altjung.federation.periods import period_totals, site_infos
from altjung.federation.series import series
from altjung.federation.views import period_view, raw_figures, site_cells, site_table, totals
from altjung.kit.auth import current_principal, require
from altjung.kit.problems import NotFound
from altjung.kit.runtime import unit_of_work

blp = Blueprint("fed_figures", __name__, url_prefix="/api/v1/figures",
                description="Kennzahlen über alle Partnerstandorte / Figures across partner sites")
own = Blueprint("fed_site_figures", __name__, url_prefix="/api/v1/partner-sites",
                description="Kennzahlen eines Standorts / One site's figures")

BAS = ("federation_viewer", "platform_admin")
#: Years a series may span at most.
MAX_SERIES_YEARS = 10


def threshold() -> int:
    return current_app.config["FEDERATION_SUPPRESSION_THRESHOLD"]


class PeriodQuery(Schema):
    year = fields.Integer(load_default=lambda: dt.datetime.now(dt.UTC).year,
                          validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(validate=validate.Range(min=1, max=4))


class FilterQuery(PeriodQuery):
    bundesland = fields.String(validate=validate.OneOf(sorted(cat.BUNDESLAENDER)))
    target_group = fields.String(validate=validate.OneOf(sorted(cat.TARGET_GROUPS)))


class SeriesQuery(Schema):
    year = fields.Integer(validate=validate.Range(min=2000, max=2100),
                          metadata={"description": "one year; without it, every year with figures"})
    bundesland = fields.String(validate=validate.OneOf(sorted(cat.BUNDESLAENDER)))
    target_group = fields.String(validate=validate.OneOf(sorted(cat.TARGET_GROUPS)))
    interval = fields.String(load_default="month", validate=validate.OneOf(["month", "quarter"]))


class CellOut(Schema):
    value = fields.Integer(allow_none=True)
    suppressed = fields.Boolean()


class PeriodOut(Schema):
    first_month = fields.String()
    last_month = fields.String()
    label = fields.String()


class Meta(Schema):
    period = fields.Nested(PeriodOut)
    filters = fields.Dict()
    threshold = fields.Integer()
    data_as_of = fields.AwareDateTime(allow_none=True)


class TotalsOut(Meta):
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(CellOut, allow_none=True))
    breakdowns = fields.Dict(keys=fields.String(), values=fields.Dict(allow_none=True))


class SiteRowOut(Schema):
    site_id = fields.UUID()
    name = fields.String()
    slug = fields.String()
    bundesland = fields.String()
    status = fields.String()
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(CellOut, allow_none=True))


class SitesOut(Meta):
    sites = fields.List(fields.Nested(SiteRowOut))


class SeriesOut(Schema):
    interval = fields.String()
    filters = fields.Dict()
    threshold = fields.Integer()
    data_as_of = fields.AwareDateTime(allow_none=True)
    points = fields.List(fields.Dict())


class SiteFiguresOut(Meta):
    site = fields.Dict()
    suppressed = fields.Boolean(metadata={"description": "false only for the site's own coordinators"})
    figures = fields.Dict(keys=fields.String(), values=fields.Nested(CellOut, allow_none=True))
    breakdowns = fields.Dict(allow_none=True)
    months = fields.List(fields.Dict(), allow_none=True)


def period_of(args: dict) -> Period:
    year, quarter = args["year"], args.get("quarter")
    if quarter:
        return Period(f"{year:04d}-{3 * quarter - 2:02d}", f"{year:04d}-{3 * quarter:02d}")
    return Period(f"{year:04d}-01", f"{year:04d}-12")


def _meta(session, period: Period, args: dict) -> dict:
    return {"period": {"first_month": period.first_month, "last_month": period.last_month, "label": period.label},
            "filters": {k: args[k] for k in ("bundesland", "target_group") if args.get(k)},
            "threshold": threshold(), "data_as_of": data_as_of(session)}


def data_as_of(session) -> dt.datetime | None:
    return session.scalar(select(func.max(StoredEvent.occurred_at)))


@blp.route("/totals")
class Totals(MethodView):
    @require(*BAS, tenant=False)
    @blp.arguments(FilterQuery, location="query")
    @blp.response(200, TotalsOut)
    def get(self, args: dict):
        """The period's figures of the whole federation, or of one Land / one target group (suppressed)."""
        period = period_of(args)
        with unit_of_work() as session:
            view = period_view(session, period, threshold=threshold())
            return {**_meta(session, period, args), **totals(view, bundesland=args.get("bundesland"),
                                                              target_group=args.get("target_group"))}


@blp.route("/sites")
class SiteTable(MethodView):
    @require(*BAS, tenant=False)
    @blp.arguments(FilterQuery, location="query")
    @blp.response(200, SitesOut)
    def get(self, args: dict):
        """Every partner site's figures for the period, suppressed (one row per site)."""
        period = period_of(args)
        with unit_of_work() as session:
            view = period_view(session, period, threshold=threshold())
            return {**_meta(session, period, args),
                    "sites": site_table(view, bundesland=args.get("bundesland"), target_group=args.get("target_group"))}


@blp.route("/series")
class Series(MethodView):
    @require(*BAS, tenant=False)
    @blp.arguments(SeriesQuery, location="query")
    @blp.response(200, SeriesOut)
    def get(self, args: dict):
        """Figures per month or quarter, for one year or every year with figures (suppressed)."""
        with unit_of_work() as session:
            if args.get("year"):
                first = last = args["year"]
            else:
                low, high = session.execute(select(func.min(RollupRow.month), func.max(RollupRow.month))).one()
                now = dt.datetime.now(dt.UTC).year
                first, last = (int(low[:4]), int(high[:4])) if low else (now, now)
                first = max(first, last - MAX_SERIES_YEARS + 1)
            result = series(session, first_year=first, last_year=last, threshold=threshold(),
                            bundesland=args.get("bundesland"), target_group=args.get("target_group"))
            points = result["months"] if args["interval"] == "month" else result["quarters"]
            return {"interval": args["interval"], "threshold": threshold(), "data_as_of": data_as_of(session),
                    "filters": {k: args[k] for k in ("bundesland", "target_group") if args.get(k)},
                    "points": points}


@own.route("/<uuid:site_id>/figures")
class SiteFigures(MethodView):
    @require("coordinator", *BAS, tenant=False)
    @own.arguments(PeriodQuery, location="query")
    @own.response(200, SiteFiguresOut)
    def get(self, args: dict, site_id: uuid.UUID):
        """One site's figures: unsuppressed for its own coordinators (the site from the token; any other
        site answers 404), suppressed as in the per-site table for the BaS."""
        principal = current_principal()
        bas = bool(principal.roles & set(BAS))
        if not bas and principal.tenant_id != site_id:
            raise NotFound("partner-site", site_id)
        period = period_of(args)
        with unit_of_work() as session:
            if session.get(Site, site_id) is None:
                raise NotFound("partner-site", site_id)
            meta = _meta(session, period, args)
            infos = site_infos(session)
            info = infos[site_id]
            site = {"site_id": str(site_id), "name": info.label, "slug": info.slug, "bundesland": info.bundesland,
                    "status": info.status}
            if bas:
                view = period_view(session, period, threshold=threshold(), infos=infos)
                i = [n for n, s in enumerate(view.infos) if s.site_id == site_id][0]
                return {**meta, "site": site, "suppressed": True, "figures": site_cells(view, i),
                        "breakdowns": None, "months": None}
            own_infos = {site_id: info}
            (mine,) = period_totals(session, period, own_infos)
            months = []
            for month in period.months():
                (one,) = period_totals(session, Period(month, month), own_infos)
                months.append({"month": month, **raw_figures(one.flows, one.stocks)})
            return {**meta, "site": site, "suppressed": False, **raw_figures(mine.flows, mine.stocks),
                    "months": months}
