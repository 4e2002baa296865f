"""Request and response schemas of the matching API. Unknown fields are refused (422): nothing
invites special-category data (religion, health, ethnicity) into a profile."""

from __future__ import annotations

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from altjung.matching.domain import TargetGroup
from altjung.matching.domain.labels import AREAS, INTEREST_LABELS, LEVEL_ORDER, SLOTS
from altjung.matching.domain.lifecycle import (
    CHECKIN_KINDS,
    CHECKIN_WITH,
    DECLINE_REASONS,
    END_REASONS,
    GOALS_REACHED,
)
from altjung.matching.domain.profiles import GENDERS

LANGUAGE_CODE = validate.Regexp(r"^[a-z]{2,3}$")
TARGET_GROUPS = [g.value for g in TargetGroup]
#: Who referred a mentee (categories of organisations).
REFERRERS = ("", "self", "youth_welfare_office", "job_centre", "school", "refugee_counselling", "shelter",
             "migration_service", "family_centre", "other")


def _year(value: int) -> None:
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
    birth_year = fields.Integer(validate=_year, allow_none=True)
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


# --- suggestions ----------------------------------------------------------------------------------


class BilingualOut(Schema):
    de = fields.String()
    en = fields.String()


class ReasonOut(Schema):
    topic = fields.String()
    de = fields.String()
    en = fields.String()


class ContributionOut(Schema):
    criterion = fields.String()
    label = fields.Nested(BilingualOut)
    fit = fields.Float()
    weight = fields.Float()
    points = fields.Float()


class SuggestionOut(Schema):
    mentor_id = fields.UUID()
    mentee_id = fields.UUID()
    mentor_name = fields.String()
    mentee_name = fields.String()
    score = fields.Float()
    contributions = fields.List(fields.Nested(ContributionOut))
    reasons = fields.List(fields.Nested(ReasonOut))


class ExclusionOut(Schema):
    constraint = fields.String()
    label = fields.Nested(BilingualOut)
    excluded = fields.Integer()
    #: Excluded by this constraint alone: relaxing it would admit them.
    decisive = fields.Integer()


class ExclusionsOut(Schema):
    pool_size = fields.Integer()
    possible = fields.Integer()
    by_constraint = fields.List(fields.Nested(ExclusionOut))
    summary = fields.Nested(BilingualOut)


class SuggestionsOut(Schema):
    for_id = fields.UUID()
    items = fields.List(fields.Nested(SuggestionOut))
    exclusions = fields.Nested(ExclusionsOut)


class SuggestionQuery(Schema):
    k = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class BatchIn(Schema):
    #: Only these waiting mentees (default: all waiting).
    mentee_ids = fields.List(fields.UUID(), load_default=None)
    #: Also create a proposal (patenschaft.proposed) for every Tandem of the result.
    propose = fields.Boolean(load_default=False)


class UnmatchedOut(Schema):
    mentee_id = fields.UUID()
    mentee_name = fields.String()
    possible_mentors = fields.Integer()
    reason = fields.Nested(BilingualOut)
    exclusions = fields.Nested(ExclusionsOut)


class BatchOut(Schema):
    tandems = fields.List(fields.Nested(SuggestionOut))
    unmatched = fields.List(fields.Nested(UnmatchedOut))
    total_score = fields.Float()
    matched = fields.Integer()
    #: Ids of the proposals created (``propose: true``).
    proposed = fields.List(fields.UUID())


# --- Patenschaften --------------------------------------------------------------------------------


class ProposeIn(Schema):
    mentor_id = fields.UUID(required=True)
    mentee_id = fields.UUID(required=True)


class StartIn(Schema):
    started_on = fields.Date(load_default=None)
    version = fields.Integer()


class DeclineIn(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(DECLINE_REASONS))
    declined_by = fields.String(load_default="site", validate=validate.OneOf(("mentor", "mentee", "site")))
    version = fields.Integer()


class EndIn(Schema):
    ended_on = fields.Date(load_default=None)
    reason = fields.String(required=True, validate=validate.OneOf(END_REASONS))
    planned = fields.Boolean(required=True)
    goals_reached = fields.String(required=True, validate=validate.OneOf(GOALS_REACHED))
    closure_note = fields.String(load_default="", validate=validate.Length(max=4000))
    #: What the mentee does next: leave the programme (default) or wait for another Pate.
    mentee_status = fields.String(load_default="left", validate=validate.OneOf(("left", "waiting")))
    version = fields.Integer()


class CheckinIn(Schema):
    on = fields.Date(load_default=None)
    kind = fields.String(required=True, validate=validate.OneOf(CHECKIN_KINDS))
    with_whom = fields.String(required=True, validate=validate.OneOf(CHECKIN_WITH))
    #: Short note, visible to the site only.
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class CheckinOut(Schema):
    id = fields.UUID()
    patenschaft_id = fields.UUID()
    on = fields.Date()
    kind = fields.String()
    with_whom = fields.String()
    note = fields.String()
    created_by = fields.String()
    created_at = fields.AwareDateTime()


class PatenschaftOut(Schema):
    id = fields.UUID()
    version = fields.Integer()
    mentor_id = fields.UUID()
    mentee_id = fields.UUID()
    status = fields.String()
    score = fields.Float(allow_none=True)
    proposed_on = fields.Date()
    started_on = fields.Date(allow_none=True)
    declined_on = fields.Date(allow_none=True)
    decline_reason = fields.String()
    declined_by = fields.String()
    ended_on = fields.Date(allow_none=True)
    end_reason = fields.String()
    end_planned = fields.Boolean(allow_none=True)
    goals_reached = fields.String()
    closure_note = fields.String()
    last_checkin_on = fields.Date(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class PatenschaftQuery(Schema):
    status = fields.String()
    mentor_id = fields.UUID()
    mentee_id = fields.UUID()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String()


class PatenschaftPage(Schema):
    items = fields.List(fields.Nested(PatenschaftOut))
    next_cursor = fields.String(allow_none=True)


class OverdueOut(Schema):
    patenschaft = fields.Nested(PatenschaftOut)
    due_since = fields.Date()
    days_overdue = fields.Integer()
    checkins = fields.Integer()


# --- public form and contacts --------------------------------------------------------------------


class ConsentIn(Schema):
    accepted = fields.Boolean(required=True)
    #: The version of the consent text the person saw (e.g. "2026-01").
    text_version = fields.String(required=True, validate=validate.Length(min=1, max=40))
    language = fields.String(required=True, validate=validate.Regexp(r"^[a-z]{2,3}$"))

    @validates_schema
    def _accepted(self, data: dict, **_: object) -> None:
        if not data.get("accepted"):
            raise ValidationError("consent must be given", "accepted")


class InterestIn(Schema):
    """A prospective mentor's or mentee's interest. ``website`` is a trap: people leave it empty."""

    kind = fields.String(required=True, validate=validate.OneOf(("mentor", "mentee")))
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(load_default="", validate=validate.Length(max=100))
    email = fields.Email(required=True)
    phone = fields.String(load_default="", validate=validate.Regexp(r"^[0-9 +()/-]{0,40}$"))
    contact_language = fields.String(load_default="de", validate=LANGUAGE_CODE)
    birth_year = fields.Integer(load_default=None, allow_none=True, validate=_year)
    postcode = fields.String(required=True, validate=validate.Regexp(r"^\d{5}$"))
    languages = fields.Dict(keys=fields.String(validate=LANGUAGE_CODE),
                            values=fields.String(validate=validate.OneOf(LEVEL_ORDER)), load_default=dict)
    target_group = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(TARGET_GROUPS))
    consent = fields.Nested(ConsentIn, required=True)
    website = fields.String(load_default="")

    @validates_schema
    def _mentee_group(self, data: dict, **_: object) -> None:
        if data.get("kind") == "mentee" and not data.get("target_group"):
            raise ValidationError("a mentee names a target group", "target_group")


class InterestFormOut(Schema):
    open = fields.Boolean()
    intro_text = fields.String()
    target_groups = fields.List(fields.String())


class ReceivedOut(Schema):
    status = fields.String()


class ContactOut(Schema):
    email = fields.String()
    first_name = fields.String()
    language = fields.String()
