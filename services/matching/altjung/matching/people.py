"""Use cases for mentors and mentees: register, edit, change status (with history), screening,
the police certificate record, and erasure."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from altjung.events.catalogue import (
    MenteeApplied,
    MenteeRegistered,
    MenteeStatusChanged,
    MentorApplied,
    MentorRegistered,
    MentorStatusChanged,
    PatenschaftDeclined,
    PersonErased,
)
from altjung.kit.bus import record
from altjung.kit.problems import Conflict, Unprocessable
from altjung.matching.common import check_version, get_or_404, language_codes, name_key, stale, today, utcnow
from altjung.matching.domain import InvalidProfile
from altjung.matching.domain.lifecycle import (
    MENTEE_TRANSITIONS,
    MENTOR_TRANSITIONS,
    PatenschaftStatus,
    missing_screening_steps,
)
from altjung.matching.domain.profiles import add_months
from altjung.matching.models import Checkin, Mentee, Mentor, Patenschaft, PoliceCertificate, StatusChange
from altjung.matching.places import coordinates_of
from altjung.matching.profiles import mentee_profile, mentor_profile

MODELS: dict[str, type[Mentor] | type[Mentee]] = {"mentor": Mentor, "mentee": Mentee}
#: Fields staff may set on both kinds.
COMMON_FIELDS = ("first_name", "last_name", "email", "phone", "contact_language", "birth_year", "languages",
                 "interests", "availability", "postcode", "lat", "lon", "max_distance_km", "consent_on",
                 "consent_text_version", "consent_language")
FIELDS = {"mentor": (*COMMON_FIELDS, "gender", "areas", "capacity"),
          "mentee": (*COMMON_FIELDS, "target_group", "needs", "preferred_mentor_gender", "referred_by",
                     "waiting_since")}
#: What erasure blanks (and the coordinates: where someone lives is personal).
PERSONAL_FIELDS = {"first_name": "", "last_name": "", "sort_name": "", "email": "", "phone": "", "postcode": "",
                   "lat": None, "lon": None}


def _apply(person: Mentor | Mentee, kind: str, data: dict[str, Any]) -> None:
    for name in FIELDS[kind]:
        if name in data:
            value = data[name]
            if name == "availability":
                value = sorted([int(day), part] for day, part in value)
            elif name in ("interests", "areas", "needs"):
                value = sorted(set(value))
            setattr(person, name, value)
    if "postcode" in data and "lat" not in data and "lon" not in data:
        person.lat, person.lon = coordinates_of(person.postcode) or (None, None)
    person.sort_name = name_key(person.first_name, person.last_name)
    person.language_codes = language_codes(person.languages)
    _validate(person, kind)


def _validate(person: Mentor | Mentee, kind: str) -> None:
    """The engine's own profile checks (codes, levels, slots, coordinates) on the stored values."""
    try:
        if kind == "mentor":
            if person.capacity is not None and person.capacity < person.active_tandems:
                raise Conflict("Die Kapazität ist kleiner als die laufenden Patenschaften. / "
                               "Capacity below the running Tandems.", code="capacity_below_running")
            mentor_profile(person, None)  # type: ignore[arg-type]
        else:
            mentee_profile(person)  # type: ignore[arg-type]
    except (InvalidProfile, ValueError) as err:
        raise Unprocessable(f"Ungültige Angaben: {err} / Invalid profile: {err}") from None


def register(session: Session, kind: str, data: dict[str, Any], *, actor: str,
             source: str = "staff") -> Mentor | Mentee:
    """A new mentor (applicant) or mentee (applicant); mentor/mentee.registered or .applied."""
    model = MODELS[kind]
    on = today()
    person = model(status="applicant", source=source, registered_on=on, status_since=utcnow(), languages={},
                   interests=[], availability=[], first_name="", last_name="", email="", phone="",
                   contact_language="de", postcode="", consent_text_version="", consent_language="")
    if kind == "mentor":
        person.areas, person.capacity, person.active_tandems = [], 1, 0  # type: ignore[union-attr]
    else:
        person.needs, person.referred_by = [], ""  # type: ignore[union-attr]
    _apply(person, kind, data)
    if kind == "mentee" and person.waiting_since is None:  # type: ignore[union-attr]
        person.waiting_since = on  # type: ignore[union-attr]
    session.add(person)
    session.flush()
    session.add(StatusChange(person_kind=kind, person_id=person.id, from_status=None, to_status="applicant",
                             changed_by=actor, reason="Bewerbung über das Interessenformular" if source ==
                             "interest_form" else ""))
    applied = source == "interest_form"
    if kind == "mentor":
        cls = MentorApplied if applied else MentorRegistered
        record(session, cls(mentor_id=person.id, birth_year=person.birth_year, registered_on=on))
    else:
        cls = MenteeApplied if applied else MenteeRegistered
        record(session, cls(mentee_id=person.id, target_group=person.target_group,  # type: ignore[union-attr]
                            birth_year=person.birth_year, registered_on=on))
    return person


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError:
        raise stale() from None


def edit(session: Session, kind: str, ident: UUID, data: dict[str, Any], *, expected_version: int) -> Mentor | Mentee:
    person = get_or_404(session, MODELS[kind], ident, kind)
    _not_erased(person, kind)
    check_version(person, expected_version)
    _apply(person, kind, data)
    _flush(session)
    return person


def _not_erased(person: Mentor | Mentee, kind: str) -> None:
    if person.erased_at is not None:
        raise Conflict("Die Daten dieser Person wurden gelöscht. / This person was erased.", code="erased")


def set_status(session: Session, kind: str, person: Mentor | Mentee, status: str, *, actor: str, reason: str,
               on: date | None = None) -> None:
    """Record a status change with its history row and event (transitions checked by the caller)."""
    session.add(StatusChange(person_kind=kind, person_id=person.id, from_status=person.status, to_status=status,
                             changed_by=actor, reason=reason))
    person.status, person.status_since = status, utcnow()
    on = on or today()
    if kind == "mentor":
        record(session, MentorStatusChanged(mentor_id=person.id, status=status, changed_on=on))
    else:
        if status == "waiting":
            person.waiting_since = person.waiting_since or on  # type: ignore[union-attr]
        record(session, MenteeStatusChanged(mentee_id=person.id, status=status, changed_on=on))


def change_status(session: Session, kind: str, ident: UUID, status: str, *, reason: str, actor: str,
                  expected_version: int) -> Mentor | Mentee:
    """A status change staff make by hand; the rules of the programme decide which ones are allowed."""
    person = get_or_404(session, MODELS[kind], ident, kind)
    _not_erased(person, kind)
    check_version(person, expected_version)
    allowed = (MENTOR_TRANSITIONS if kind == "mentor" else MENTEE_TRANSITIONS)[person.status]
    if status not in allowed:
        raise Conflict(f"Von {person.status} nach {status} ist nicht möglich. / "
                       f"{person.status} → {status} is not allowed.", code="transition_not_allowed",
                       allowed=sorted(allowed))
    if kind == "mentor":
        _mentor_may_become(session, person, status)  # type: ignore[arg-type]
    elif status == "waiting" and person.consent_on is None:
        raise Conflict("Die Einwilligung fehlt noch. / Consent is still missing.", code="screening_incomplete",
                       missing=["consent"])
    if status == "left" and _running(session, kind, person.id):
        raise Conflict("Erst die laufende Patenschaft beenden. / End the running Tandem first.",
                       code="tandem_running")
    set_status(session, kind, person, status, actor=actor, reason=reason)
    _flush(session)
    if status == "left":
        withdraw_proposals(session, kind, person.id)
    if kind == "mentor" and status == "left" and not _ever_started(session, person.id):
        session.execute(delete(PoliceCertificate).where(PoliceCertificate.mentor_id == person.id))
    return person


def withdraw_proposals(session: Session, kind: str, person_id: UUID, *, except_id: UUID | None = None) -> None:
    """Withdraw the person's open proposals (patenschaft.declined, reason ``withdrawn``)."""
    column = Patenschaft.mentor_id if kind == "mentor" else Patenschaft.mentee_id
    query = select(Patenschaft).where(column == person_id, Patenschaft.status == PatenschaftStatus.PROPOSED)
    if except_id is not None:
        query = query.where(Patenschaft.id != except_id)
    on = today()
    for proposal in session.scalars(query).all():
        proposal.status, proposal.declined_on = PatenschaftStatus.WITHDRAWN, on
        proposal.decline_reason, proposal.declined_by = "withdrawn", "site"
        record(session, PatenschaftDeclined(patenschaft_id=proposal.id, reason="withdrawn", declined_on=on))
    _flush(session)


def _mentor_may_become(session: Session, mentor: Mentor, status: str) -> None:
    if status == "screened" and (mentor.interview_on is None or mentor.consent_on is None):
        missing = [s for s in ("interview", "consent") if getattr(mentor, f"{s}_on") is None]
        raise Conflict("Erstgespräch und Einwilligung fehlen noch. / Interview and consent are missing.",
                       code="screening_incomplete", missing=missing)
    if status == "active":
        missing = missing_screening_steps(interview_on=mentor.interview_on, training_on=mentor.training_on,
                                          agreement_on=mentor.agreement_on, consent_on=mentor.consent_on)
        if missing:
            raise Conflict("Die Checkliste ist noch nicht vollständig. / The screening checklist is incomplete.",
                           code="screening_incomplete", missing=missing)


def _running(session: Session, kind: str, person_id: UUID) -> int:
    column = Patenschaft.mentor_id if kind == "mentor" else Patenschaft.mentee_id
    return len(session.scalars(select(Patenschaft.id).where(
        column == person_id, Patenschaft.status == PatenschaftStatus.STARTED)).all())


def _ever_started(session: Session, mentor_id: UUID) -> bool:
    return session.scalars(select(Patenschaft.id).where(
        Patenschaft.mentor_id == mentor_id, Patenschaft.started_on.is_not(None)).limit(1)).first() is not None


def update_screening(session: Session, ident: UUID, data: dict[str, Any], *, expected_version: int) -> Mentor:
    """The mentor's screening checklist: interview, training (date, hours), agreement, consent."""
    mentor = get_or_404(session, Mentor, ident, "mentor")
    _not_erased(mentor, "mentor")
    check_version(mentor, expected_version)
    for name in ("interview_on", "training_on", "training_hours", "agreement_on", "consent_on",
                 "consent_text_version", "consent_language"):
        if name in data:
            setattr(mentor, name, data[name])
    _flush(session)
    return mentor


def certificate_of(session: Session, mentor_id: UUID) -> PoliceCertificate | None:
    return session.scalars(select(PoliceCertificate).where(PoliceCertificate.mentor_id == mentor_id)).first()


def record_certificate(session: Session, ident: UUID, data: dict[str, Any], *, actor: str,
                       expected_version: int) -> Mentor:
    """That the extended police certificate was seen: issue date, date seen, relevant entry. Never the document.

    It must be at most three months old when seen (422 otherwise)."""
    mentor = get_or_404(session, Mentor, ident, "mentor")
    _not_erased(mentor, "mentor")
    check_version(mentor, expected_version)
    issued_on, seen_on = data["issued_on"], data["seen_on"]
    if not issued_on <= seen_on <= add_months(issued_on, 3):
        raise Unprocessable("Das Führungszeugnis muss bei Vorlage höchstens drei Monate alt sein. / "
                            "The certificate must be at most three months old when seen.",
                            code="certificate_too_old")
    if seen_on > today():
        raise Unprocessable("Das Vorlagedatum liegt in der Zukunft. / The date seen is in the future.")
    row = certificate_of(session, mentor.id)
    if row is None:
        row = PoliceCertificate(mentor_id=mentor.id, issued_on=issued_on, seen_on=seen_on)
        session.add(row)
    row.issued_on, row.seen_on = issued_on, seen_on
    row.has_relevant_entry = bool(data.get("has_relevant_entry", False))
    row.recorded_by, row.recorded_at = actor, utcnow()
    mentor.updated_at = utcnow()  # a new version of the mentor: suggestions see the change
    _flush(session)
    return mentor


def erase(session: Session, kind: str, ident: UUID, *, expected_version: int, actor: str) -> Mentor | Mentee:
    """GDPR Art. 17: wipe name, contact, place and free texts; keep ids and categories (person.erased)."""
    person = get_or_404(session, MODELS[kind], ident, kind)
    check_version(person, expected_version)
    _not_erased(person, kind)
    if _running(session, kind, person.id):
        raise Conflict("Erst die laufende Patenschaft beenden. / End the running Tandem first.",
                       code="tandem_running")
    if person.status != "left":
        set_status(session, kind, person, "left", actor=actor, reason="")
    withdraw_proposals(session, kind, person.id)
    for name, blank in PERSONAL_FIELDS.items():
        setattr(person, name, blank)
    person.erased_at = utcnow()
    _flush(session)
    session.execute(update(StatusChange).where(StatusChange.person_id == person.id).values(reason="")
                    .execution_options(synchronize_session=False))
    column = Patenschaft.mentor_id if kind == "mentor" else Patenschaft.mentee_id
    tandems = select(Patenschaft.id).where(column == person.id)
    session.execute(update(Checkin).where(Checkin.patenschaft_id.in_(tandems)).values(note="")
                    .execution_options(synchronize_session=False))
    session.execute(update(Patenschaft).where(column == person.id).values(closure_note="")
                    .execution_options(synchronize_session=False))
    if kind == "mentor":
        session.execute(delete(PoliceCertificate).where(PoliceCertificate.mentor_id == person.id))
    record(session, PersonErased(person_kind=kind, person_id=person.id))
    return person


def history(session: Session, kind: str, ident: UUID) -> list[StatusChange]:
    get_or_404(session, MODELS[kind], ident, kind)
    return list(session.scalars(select(StatusChange).where(
        StatusChange.person_kind == kind, StatusChange.person_id == ident).order_by(StatusChange.changed_at)))

