"""The funder report for a year or a quarter, as CSV or XLSX, suppressed like every other figure."""

from __future__ import annotations

import dataclasses
import datetime as dt

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import fields, validate
from sqlalchemy import func, select

from altjung.federation.api.figures import BAS, PeriodQuery, data_as_of, period_of, threshold
from altjung.federation.domain import to_csv, to_xlsx
from altjung.federation.domain.report import report_from_totals
from altjung.federation.models import StoredEvent
from altjung.federation.views import period_view
from altjung.kit.auth import require
from altjung.kit.runtime import unit_of_work

blp = Blueprint("fed_reports", __name__, url_prefix="/api/v1/reports",
                description="Bericht an den Fördermittelgeber / Funder report")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportQuery(PeriodQuery):
    format = fields.String(load_default="csv", validate=validate.OneOf(["csv", "xlsx"]))


@blp.route("/funder")
class FunderReport(MethodView):
    @require(*BAS, tenant=False)
    @blp.arguments(ReportQuery, location="query")
    @blp.response(200, content_type="text/csv",
                  description="CSV (semicolons, UTF-8 with BOM) or XLSX (format=xlsx)")
    def get(self, args: dict):
        """The funder report: Patenschaften started, active and ended, target groups, mentor age bands,
        per partner site; with the period, when it was made and up to which event the data reach."""
        period = period_of(args)
        with unit_of_work() as session:
            view = period_view(session, period, threshold=threshold())
            report = report_from_totals(view.sites, period, dt.datetime.now(dt.UTC), data_as_of(session),
                                        threshold=threshold())
            events = session.scalar(select(func.count()).select_from(StoredEvent)) or 0
        source = (f"Datenquelle: Lesemodell der BaS aus {events} Ereignissen der Partnerstandorte (nur Kennungen, "
                  f"Kategorien und Daten, keine Personen); {len(view.sites)} Partnerstandorte")
        report = dataclasses.replace(report, notes=(source, *report.notes))
        name = f"alt-und-jung-foerderbericht-{period.first_month[:4]}"
        if args.get("quarter"):
            name += f"-Q{args['quarter']}"
        if args["format"] == "xlsx":
            body, mimetype, name = to_xlsx(report), XLSX, name + ".xlsx"
        else:
            body, mimetype, name = to_csv(report).encode("utf-8-sig"), "text/csv; charset=utf-8", name + ".csv"
        return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})
