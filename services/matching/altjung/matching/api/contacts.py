"""For notifications at delivery time: a person's e-mail, first name and language (service token with
scope ``people:contact``, bound to the person's site). An erased person answers 404."""

from __future__ import annotations

from uuid import UUID

from flask.views import MethodView
from flask_smorest import Blueprint

from altjung.kit.auth import BEARER, require
from altjung.kit.problems import NotFound
from altjung.kit.runtime import unit_of_work
from altjung.matching.api import public_schemas as s
from altjung.matching.common import get_or_404
from altjung.matching.people import MODELS

blp = Blueprint("contacts", __name__, url_prefix="/api/v1/contacts",
                description="Kontaktdaten für Zustellungen / Contact details for deliveries")


def _contact(kind: str, ident: UUID) -> dict:
    with unit_of_work() as session:
        person = get_or_404(session, MODELS[kind], ident, kind)
        if person.erased_at is not None:
            raise NotFound(kind, ident)
        return {"email": person.email, "first_name": person.first_name, "language": person.contact_language}


@blp.route("/mentors/<uuid:mentor_id>")
class MentorContact(MethodView):
    @require(scopes=("people:contact",))
    @blp.doc(**BEARER)
    @blp.response(200, s.ContactOut)
    def get(self, mentor_id: UUID):
        """A mentor's e-mail, first name and language, read at the moment of delivery."""
        return _contact("mentor", mentor_id)


@blp.route("/mentees/<uuid:mentee_id>")
class MenteeContact(MethodView):
    @require(scopes=("people:contact",))
    @blp.doc(**BEARER)
    @blp.response(200, s.ContactOut)
    def get(self, mentee_id: UUID):
        """A mentee's e-mail, first name and language, read at the moment of delivery."""
        return _contact("mentee", mentee_id)
