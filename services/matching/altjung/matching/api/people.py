"""Mentors (Patinnen und Paten) and mentees of the caller's partner site: register, list, read, edit,
status with history, screening and police certificate (mentors), suggestions, erasure."""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema
from sqlalchemy import select

from altjung.kit.auth import BEARER, current_principal, require
from altjung.kit.concurrency import IF_MATCH, etag, expected_version
from altjung.kit.runtime import unit_of_work
from altjung.matching import people, suggestions
from altjung.matching.api import match_schemas as ms
from altjung.matching.api import present
from altjung.matching.api import schemas as s
from altjung.matching.api.common import STAFF, page
from altjung.matching.common import get_or_404, today, utcnow
from altjung.matching.models import Mentee

mentors_blp = Blueprint("mentors", __name__, url_prefix="/api/v1/mentors",
                        description="Patinnen und Paten / Mentors")
mentees_blp = Blueprint("mentees", __name__, url_prefix="/api/v1/mentees", description="Mentees")

#: Partner integrations (client credentials of a site) may read with these scopes.
READ_SCOPES = {"mentor": ("mentors:read",), "mentee": ("mentees:read",)}


def _out(session, kind: str, rows: list) -> list[dict]:
    return present.mentors(session, rows) if kind == "mentor" else present.mentees(rows)


def _one(session, kind: str, row) -> tuple[dict, dict]:
    return _out(session, kind, [row])[0], etag(row.version)


def _filtered(kind: str, query: dict):
    model = people.MODELS[kind]
    stmt = select(model).where(model.erased_at.is_(None))
    if query.get("status"):
        stmt = stmt.where(model.status.in_(query["status"].split(",")))
    if query.get("language"):
        stmt = stmt.where(model.language_codes.contains(f",{query['language']},", autoescape=True))
    if query.get("q"):
        stmt = stmt.where(model.sort_name.contains(query["q"].strip().lower(), autoescape=True))
    if query.get("in_status_min_days") is not None:
        stmt = stmt.where(model.status_since <= utcnow() - timedelta(days=query["in_status_min_days"]))
    if kind == "mentee":
        if query.get("target_group"):
            stmt = stmt.where(Mentee.target_group == query["target_group"])
        if query.get("waiting_min_days") is not None:
            stmt = stmt.where(Mentee.waiting_since <= today() - timedelta(days=query["waiting_min_days"]))
        if query.get("waiting_max_days") is not None:
            stmt = stmt.where(Mentee.waiting_since >= today() - timedelta(days=query["waiting_max_days"]))
    return stmt, model


def _routes(kind: str, blp: Blueprint, create: type[Schema], patch_in: type[Schema], out: type[Schema],
            page_out: type[Schema], list_query: type[Schema]) -> None:
    param = f"<uuid:{kind}_id>"
    title = kind.title()

    class Collection(MethodView):
        @require(*STAFF, scopes=READ_SCOPES[kind])
        @blp.doc(**BEARER)
        @blp.arguments(list_query, location="query")
        @blp.response(200, page_out)
        def get(self, query: dict):
            """Filtered by status (comma-separated), language, name (``q``), days in the status (applicants
            stuck in screening) — mentees also by target group and waiting time — ordered by name,
            cursor-paginated."""
            stmt, model = _filtered(kind, query)
            with unit_of_work() as session:
                result = page(stmt, model, cursor=query.get("cursor"), limit=query["limit"], session=session)
                result["items"] = _out(session, kind, result["items"])
                return result

        @require(*STAFF)
        @blp.doc(**BEARER)
        @blp.arguments(create)
        @blp.response(201, out)
        def post(self, data: dict):
            """Register a person (status applicant)."""
            data.pop("version", None)
            with unit_of_work() as session:
                person = people.register(session, kind, data, actor=current_principal().subject)
                session.commit()
                return _one(session, kind, person)

    class Item(MethodView):
        @require(*STAFF, scopes=READ_SCOPES[kind])
        @blp.doc(**BEARER)
        @blp.response(200, out)
        def get(self, **ids: UUID):
            """One person of the caller's site (ETag: its version)."""
            with unit_of_work() as session:
                return _one(session, kind, get_or_404(session, people.MODELS[kind], ids[f"{kind}_id"], kind))

        @require(*STAFF)
        @blp.doc(**IF_MATCH)
        @blp.arguments(patch_in)
        @blp.response(200, out)
        def patch(self, data: dict, **ids: UUID):
            """Change profile fields (If-Match or version required: stale 412, missing 428)."""
            version = expected_version(data.pop("version", None))
            with unit_of_work() as session:
                person = people.edit(session, kind, ids[f"{kind}_id"], data, expected_version=version)
                session.commit()
                return _one(session, kind, person)

    class Status(MethodView):
        @require(*STAFF)
        @blp.doc(**IF_MATCH)
        @blp.arguments(s.StatusIn)
        @blp.response(200, out)
        def post(self, data: dict, **ids: UUID):
            """Move to another status, with the reason (kept in the history: who, when, why)."""
            version = expected_version(data.get("version"))
            with unit_of_work() as session:
                person = people.change_status(session, kind, ids[f"{kind}_id"], data["status"], reason=data["reason"],
                                              actor=current_principal().subject, expected_version=version)
                session.commit()
                return _one(session, kind, person)

    class History(MethodView):
        @require(*STAFF)
        @blp.doc(**BEARER)
        @blp.response(200, s.StatusChangeOut(many=True))
        def get(self, **ids: UUID):
            """Every status change, oldest first."""
            with unit_of_work() as session:
                return people.history(session, kind, ids[f"{kind}_id"])

    class Erasure(MethodView):
        @require("coordinator")
        @blp.doc(**IF_MATCH)
        @blp.arguments(s.VersionIn)
        @blp.response(200, out)
        def post(self, data: dict, **ids: UUID):
            """Erase the person's personal data (GDPR Art. 17): name, contact, place and notes are wiped,
            ids and categories stay for the statistics (person.erased). Coordinators only."""
            version = expected_version(data.get("version"))
            with unit_of_work() as session:
                person = people.erase(session, kind, ids[f"{kind}_id"], expected_version=version,
                                      actor=current_principal().subject)
                session.commit()
                return _one(session, kind, person)

    class Suggest(MethodView):
        @require(*STAFF)
        @blp.doc(**BEARER)
        @blp.arguments(ms.SuggestionQuery, location="query")
        @blp.response(200, ms.SuggestionsOut)
        def get(self, query: dict, **ids: UUID):
            """The k best possible counterparts with reasons (de/en) and each criterion's contribution;
            and which hard constraint excluded how many of the others."""
            ident = ids[f"{kind}_id"]
            with unit_of_work() as session:
                result = (suggestions.for_mentee(session, ident, k=query["k"]) if kind == "mentee"
                          else suggestions.for_mentor(session, ident, k=query["k"]))
                return present.suggestions(session, result)

    for view, path in ((Collection, ""), (Item, f"/{param}"), (Status, f"/{param}/status"),
                       (History, f"/{param}/history"), (Erasure, f"/{param}/erasure"),
                       (Suggest, f"/{param}/suggestions")):
        view.__name__ = f"{title}{view.__name__}"
        blp.route(path)(view)


_routes("mentor", mentors_blp, s.MentorCreate, s.MentorIn, s.MentorOut, s.MentorPage, s.PersonQuery)
_routes("mentee", mentees_blp, s.MenteeCreate, s.MenteeIn, s.MenteeOut, s.MenteePage, s.MenteeQuery)


@mentors_blp.route("/<uuid:mentor_id>/screening")
class MentorScreening(MethodView):
    @require(*STAFF)
    @mentors_blp.doc(**IF_MATCH)
    @mentors_blp.arguments(s.ScreeningIn)
    @mentors_blp.response(200, s.MentorOut)
    def patch(self, data: dict, mentor_id: UUID):
        """The screening checklist: first interview, training (date, hours), written agreement, consent."""
        version = expected_version(data.pop("version", None))
        with unit_of_work() as session:
            mentor = people.update_screening(session, mentor_id, data, expected_version=version)
            session.commit()
            return _one(session, "mentor", mentor)


@mentors_blp.route("/<uuid:mentor_id>/police-certificate")
class MentorPoliceCertificate(MethodView):
    @require(*STAFF)
    @mentors_blp.doc(**IF_MATCH)
    @mentors_blp.arguments(s.CertificateIn)
    @mentors_blp.response(200, s.MentorOut)
    def put(self, data: dict, mentor_id: UUID):
        """Record that the extended police certificate was seen (never the document): date of issue, date
        seen (at most three months after issue), relevant entry. If-Match of the mentor required."""
        version = expected_version(data.pop("version", None))
        with unit_of_work() as session:
            mentor = people.record_certificate(session, mentor_id, data, actor=current_principal().subject,
                                               expected_version=version)
            session.commit()
            return _one(session, "mentor", mentor)

