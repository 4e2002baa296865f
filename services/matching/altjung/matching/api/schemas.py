"""Request and response schemas of mentors and mentees. Unknown fields are refused (422): nothing
invites special-category data (religion, health, ethnicity) into a profile."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate

from altjung.matching.domain import TargetGroup
from altjung.matching.domain.labels import AREAS, INTEREST_LABELS, LEVEL_ORDER, SLOTS
from altjung.matching.domain.profiles import GENDERS

LANGUAGE_CODE = validate.Regexp(r"^[a-z]{2,3}$")
TARGET_GROUPS = [g.value for g in TargetGroup]
#: Who referred a mentee (categories of organisations).
REFERRERS = ("", "self", "youth_welfare_office", "job_centre", "school", "refugee_counselling", "shelter",
             "migration_service", "family_centre", "other")


def birth_year(value: int) -> None:
    if not 1900 <= value <= dt.date.today().year:
        raise ValidationError("not a plausible birth year")


def _slot() -> fields.Field:
    return fields.Tuple((fields.Integer(validate=validate.Range(min=0, max=6)),
                         fields.String(validate=validate.OneOf(SLOTS))))


class PersonIn(Schema):
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(max=100))
    email = fields.String(validate=lambda v: v == "" or validate.Email()(v))
    phone = fields.String(validate=validate.Regexp(r"^[0-9 +()/-]{0,40}$"))
    contact_language = fields.String(validate=LANGUAGE_CODE)
    birth_year = fields.Integer(validate=birth_year, allow_none=True)
    languages = fields.Dict(keys=fields.String(validate=LANGUAGE_CODE),
                            values=fields.String(validate=validate.OneOf(LEVEL_ORDER)))
    interests = fields.List(fields.String(validate=validate.OneOf(sorted(INTEREST_LABELS))))
    availability = fields.List(_slot())
    postcode = fields.String(validate=validate.Regexp(r"^\d{5}$|^$"))
    lat = fields.Float(allow_none=True, validate=validate.Range(min=-90, max=90))
    lon = fields.Float(allow_none=True, validate=validate.Range(min=-180, max=180))
    max_distance_km = fields.Float(allow_none=True, validate=validate.Range(min=0, max=300))
    consent_on = fields.Date(allow_none=True)
    consent_text_version = fields.String(validate=validate.Length(max=40))
    consent_language = fields.String(validate=validate.Regexp(r"^([a-z]{2,3})?$"))
    version = fields.Integer()


class MentorIn(PersonIn):
    gender = fields.String(allow_none=True, validate=validate.OneOf(GENDERS))
    areas = fields.List(fields.String(validate=validate.OneOf(sorted(AREAS))))
    capacity = fields.Integer(validate=validate.Range(min=0, max=5))


class MentorCreate(MentorIn):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class MenteeIn(PersonIn):
    target_group = fields.String(validate=validate.OneOf(TARGET_GROUPS))
    needs = fields.List(fields.String(validate=validate.OneOf(sorted(AREAS))))
    preferred_mentor_gender = fields.String(allow_none=True, validate=validate.OneOf(GENDERS))
    referred_by = fields.String(validate=validate.OneOf(REFERRERS))
    waiting_since = fields.Date(allow_none=True)


class MenteeCreate(MenteeIn):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    target_group = fields.String(required=True, validate=validate.OneOf(TARGET_GROUPS))


class StatusIn(Schema):
    status = fields.String(required=True)
    #: Why (visible to the site only).
    reason = fields.String(load_default="", validate=validate.Length(max=1000))
    version = fields.Integer()


class ScreeningIn(Schema):
    interview_on = fields.Date(allow_none=True)
    training_on = fields.Date(allow_none=True)
    training_hours = fields.Float(allow_none=True, validate=validate.Range(min=0, max=500))
    agreement_on = fields.Date(allow_none=True)
    consent_on = fields.Date(allow_none=True)
    consent_text_version = fields.String(validate=validate.Length(max=40))
    consent_language = fields.String(validate=validate.Regexp(r"^([a-z]{2,3})?$"))
    version = fields.Integer()


class CertificateIn(Schema):
    """That the certificate was seen; the document itself is never stored."""

    issued_on = fields.Date(required=True)
    seen_on = fields.Date(required=True)
    has_relevant_entry = fields.Boolean(load_default=False)
    version = fields.Integer()


class VersionIn(Schema):
    version = fields.Integer()


class StatusChangeOut(Schema):
    from_status = fields.String(allow_none=True)
    to_status = fields.String()
    changed_at = fields.AwareDateTime()
    changed_by = fields.String()
    reason = fields.String()


class CertificateOut(Schema):
    seen = fields.Boolean()
    issued_on = fields.Date(allow_none=True)
    seen_on = fields.Date(allow_none=True)
    has_relevant_entry = fields.Boolean(allow_none=True)
    #: Valid today for a Tandem with a minor.
    valid = fields.Boolean()
    #: When a new certificate is needed (five years after issue).
    due_on = fields.Date(allow_none=True)


class ScreeningOut(Schema):
    interview_on = fields.Date(allow_none=True)
    training_on = fields.Date(allow_none=True)
    training_hours = fields.Float(allow_none=True)
    agreement_on = fields.Date(allow_none=True)
    consent_on = fields.Date(allow_none=True)
    missing = fields.List(fields.String())


class PersonOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    email = fields.String()
    phone = fields.String()
    contact_language = fields.String()
    birth_year = fields.Integer(allow_none=True)
    languages = fields.Dict()
    interests = fields.List(fields.String())
    availability = fields.List(fields.List(fields.Raw()))
    postcode = fields.String()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)
    max_distance_km = fields.Float(allow_none=True)
    status = fields.String()
    status_since = fields.AwareDateTime()
    source = fields.String()
    registered_on = fields.Date()
    consent_on = fields.Date(allow_none=True)
    consent_text_version = fields.String()
    consent_language = fields.String()
    erased = fields.Boolean()
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class MentorOut(PersonOut):
    gender = fields.String(allow_none=True)
    areas = fields.List(fields.String())
    capacity = fields.Integer()
    active_tandems = fields.Integer()
    screening = fields.Nested(ScreeningOut)
    police_certificate = fields.Nested(CertificateOut)


class MenteeOut(PersonOut):
    target_group = fields.String()
    needs = fields.List(fields.String())
    preferred_mentor_gender = fields.String(allow_none=True)
    referred_by = fields.String()
    waiting_since = fields.Date(allow_none=True)
    minor = fields.Boolean()
    waiting_days = fields.Integer(allow_none=True)


class PersonQuery(Schema):
    status = fields.String()
    language = fields.String(validate=LANGUAGE_CODE)
    #: Free text on the name.
    q = fields.String(validate=validate.Length(max=100))
    #: In the current status for at least this many days (e.g. applicants stuck in screening: 7, 14).
    in_status_min_days = fields.Integer(validate=validate.Range(min=0))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String()


class MenteeQuery(PersonQuery):
    target_group = fields.String(validate=validate.OneOf(TARGET_GROUPS))
    #: Waiting at least / at most this many days.
    waiting_min_days = fields.Integer(validate=validate.Range(min=0))
    waiting_max_days = fields.Integer(validate=validate.Range(min=0))


class MentorPage(Schema):
    items = fields.List(fields.Nested(MentorOut))
    next_cursor = fields.String(allow_none=True)


class MenteePage(Schema):
    items = fields.List(fields.Nested(MenteeOut))
    next_cursor = fields.String(allow_none=True)
