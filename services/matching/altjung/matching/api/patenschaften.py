"""Patenschaften of the caller's partner site: propose, start, decline, end, check-ins, overdue Tandems,
and the batch proposal for every waiting mentee."""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from sqlalchemy import select

from altjung.kit.auth import BEARER, current_principal, require
from altjung.kit.concurrency import IF_MATCH, etag, expected_version
from altjung.kit.pagination import decode_cursor, encode_cursor
from altjung.kit.problems import Unprocessable
from altjung.kit.runtime import unit_of_work
from altjung.matching import suggestions, tandems
from altjung.matching.api import match_schemas as ms
from altjung.matching.api import present
from altjung.matching.api import tandem_schemas as s
from altjung.matching.api.common import STAFF
from altjung.matching.common import get_or_404
from altjung.matching.domain.lifecycle import PatenschaftStatus
from altjung.matching.models import Patenschaft

blp = Blueprint("patenschaften", __name__, url_prefix="/api/v1/patenschaften",
                description="Patenschaften (Tandems)")
batch_blp = Blueprint("batch_proposals", __name__, url_prefix="/api/v1/batch-proposals",
                      description="Vorschläge für alle Wartenden / Batch proposals")
READ = ("patenschaften:read",)


@blp.route("")
class Patenschaften(MethodView):
    @require(*STAFF, scopes=READ)
    @blp.doc(**BEARER)
    @blp.arguments(s.PatenschaftQuery, location="query")
    @blp.response(200, s.PatenschaftPage)
    def get(self, query: dict):
        """Newest first, filtered by status (comma-separated), mentor or mentee; cursor-paginated."""
        stmt = select(Patenschaft)
        if query.get("status"):
            statuses = query["status"].split(",")
            if not set(statuses) <= {st.value for st in PatenschaftStatus}:
                raise Unprocessable("Unbekannter Status. / Unknown status.")
            stmt = stmt.where(Patenschaft.status.in_(statuses))
        for name in ("mentor_id", "mentee_id"):
            if query.get(name):
                stmt = stmt.where(getattr(Patenschaft, name) == query[name])
        last = decode_cursor(query.get("cursor"))
        if last is not None:
            try:
                at = dt.datetime.fromisoformat(last[0])
            except ValueError:
                raise Unprocessable("Ungültiger Cursor. / Invalid cursor.") from None
            stmt = stmt.where((Patenschaft.created_at < at) | ((Patenschaft.created_at == at)
                                                               & (Patenschaft.id < last[1])))
        limit = query["limit"]
        stmt = stmt.order_by(Patenschaft.created_at.desc(), Patenschaft.id.desc()).limit(limit + 1)
        with unit_of_work() as session:
            rows = list(session.scalars(stmt))
        items = rows[:limit]
        return {"items": items, "next_cursor": encode_cursor(items[-1].created_at.isoformat(), items[-1].id)
                if len(rows) > limit else None}

    @require(*STAFF)
    @blp.doc(**BEARER)
    @blp.arguments(s.ProposeIn)
    @blp.response(201, s.PatenschaftOut)
    def post(self, data: dict):
        """Propose a Tandem (patenschaft.proposed); the pair must satisfy every hard constraint (409 names
        the ones it breaks)."""
        with unit_of_work() as session:
            p = tandems.propose(session, mentor_id=data["mentor_id"], mentee_id=data["mentee_id"],
                                actor=current_principal().subject)
            session.commit()
            return p, etag(p.version)


@blp.route("/overdue")
class OverdueTandems(MethodView):
    @require(*STAFF)
    @blp.doc(**BEARER)
    @blp.response(200, s.OverdueOut(many=True))
    def get(self):
        """Running Tandems behind the check-in cadence (two staff contacts in the first interval, then one
        per interval; the interval is the site's ``checkin_interval_days``), longest overdue first."""
        with unit_of_work() as session:
            return [{"patenschaft": o.patenschaft, "due_since": o.due_since, "days_overdue": o.days_overdue,
                     "checkins": o.checkins} for o in tandems.overdue(session)]


@blp.route("/<uuid:patenschaft_id>")
class PatenschaftById(MethodView):
    @require(*STAFF, scopes=READ)
    @blp.doc(**BEARER)
    @blp.response(200, s.PatenschaftOut)
    def get(self, patenschaft_id: UUID):
        """One Patenschaft of the caller's site (ETag: its version)."""
        with unit_of_work() as session:
            p = get_or_404(session, Patenschaft, patenschaft_id, "patenschaft")
            return p, etag(p.version)


@blp.route("/<uuid:patenschaft_id>/start")
class StartPatenschaft(MethodView):
    @require(*STAFF)
    @blp.doc(**IF_MATCH)
    @blp.arguments(s.StartIn)
    @blp.response(200, s.PatenschaftOut)
    def post(self, data: dict, patenschaft_id: UUID):
        """After the first meeting: the Tandem starts (patenschaft.started); the mentee's other open
        proposals are withdrawn; 409 when the mentor has no free place or the mentee is taken."""
        version = expected_version(data.get("version"))
        with unit_of_work() as session:
            p = tandems.start(session, patenschaft_id, started_on=data["started_on"], expected_version=version,
                              actor=current_principal().subject)
            session.commit()
            return p, etag(p.version)


@blp.route("/<uuid:patenschaft_id>/decline")
class DeclinePatenschaft(MethodView):
    @require(*STAFF)
    @blp.doc(**IF_MATCH)
    @blp.arguments(s.DeclineIn)
    @blp.response(200, s.PatenschaftOut)
    def post(self, data: dict, patenschaft_id: UUID):
        """A proposal is declined, with a reason (patenschaft.declined)."""
        version = expected_version(data.get("version"))
        with unit_of_work() as session:
            p = tandems.decline(session, patenschaft_id, reason=data["reason"], declined_by=data["declined_by"],
                                expected_version=version)
            session.commit()
            return p, etag(p.version)


@blp.route("/<uuid:patenschaft_id>/end")
class EndPatenschaft(MethodView):
    @require(*STAFF)
    @blp.doc(**IF_MATCH)
    @blp.arguments(s.EndIn)
    @blp.response(200, s.PatenschaftOut)
    def post(self, data: dict, patenschaft_id: UUID):
        """Close a running Tandem: reason, planned or early, closure assessment (patenschaft.ended)."""
        version = expected_version(data.pop("version", None))
        with unit_of_work() as session:
            p = tandems.end(session, patenschaft_id, data=data, expected_version=version,
                            actor=current_principal().subject)
            session.commit()
            return p, etag(p.version)


@blp.route("/<uuid:patenschaft_id>/checkins")
class Checkins(MethodView):
    @require(*STAFF)
    @blp.doc(**BEARER)
    @blp.response(200, s.CheckinOut(many=True))
    def get(self, patenschaft_id: UUID):
        """The Tandem's check-ins, oldest first."""
        with unit_of_work() as session:
            return tandems.checkins_of(session, patenschaft_id)

    @require(*STAFF)
    @blp.doc(**BEARER)
    @blp.arguments(s.CheckinIn)
    @blp.response(201, s.CheckinOut)
    def post(self, data: dict, patenschaft_id: UUID):
        """Log a staff contact: date, quick or in-depth, with whom, a short note for the site (checkin.logged)."""
        with unit_of_work() as session:
            checkin = tandems.log_checkin(session, patenschaft_id, data, actor=current_principal().subject)
            session.commit()
            return checkin


@batch_blp.route("")
class BatchProposals(MethodView):
    @require(*STAFF)
    @batch_blp.doc(**BEARER)
    @batch_blp.arguments(ms.BatchIn)
    @batch_blp.response(200, ms.BatchOut)
    def post(self, data: dict):
        """Tandems for all waiting mentees that maximise the total score under the mentors' free places (an
        optimal assignment), with reasons; every mentee left out with why. ``propose: true`` also creates
        the proposals."""
        with unit_of_work() as session:
            result = suggestions.batch(session, mentee_ids=data["mentee_ids"])
            proposed = []
            if data["propose"]:
                actor = current_principal().subject
                open_pairs = {(row.mentor_id, row.mentee_id) for row in session.execute(
                    select(Patenschaft.mentor_id, Patenschaft.mentee_id).where(Patenschaft.status.in_(tandems.OPEN)))}
                for tandem in result.tandems:
                    if (tandem.mentor_id, tandem.mentee_id) in open_pairs:
                        continue
                    proposed.append(tandems.propose(session, mentor_id=tandem.mentor_id, mentee_id=tandem.mentee_id,
                                                    actor=actor).id)
                session.commit()
            return present.batch(session, result, proposed)
