"""A partner site's settings: the document, its defaults, validation and partial updates."""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

#: Target groups of the programme a site's public interest form may accept (matching's codes).
TARGET_GROUPS = ("refugee", "low_formal_education", "single_parent", "migration_background", "other")
#: Criteria of the matching score (matching's Criterion values).
CRITERIA = ("needs", "interests", "distance", "availability", "waiting")
#: A Tandem without a check-in for this many days counts as overdue (4 weeks).
DEFAULT_CHECKIN_INTERVAL_DAYS = 28
#: Days a finished Patenschaft's personal data is kept before it is erased.
DEFAULT_RETENTION_DAYS = 365


class WeightsSchema(Schema):
    needs = fields.Float(load_default=0.35, validate=validate.Range(min=0, max=10))
    interests = fields.Float(load_default=0.15, validate=validate.Range(min=0, max=10))
    distance = fields.Float(load_default=0.2, validate=validate.Range(min=0, max=10))
    availability = fields.Float(load_default=0.15, validate=validate.Range(min=0, max=10))
    waiting = fields.Float(load_default=0.15, validate=validate.Range(min=0, max=10))

    @validates_schema
    def _some_weight(self, data: dict, **_: Any) -> None:
        if sum(data.values()) <= 0:
            raise ValidationError("at least one weight must be above 0")


class MatchingSchema(Schema):
    weights = fields.Nested(WeightsSchema, load_default=lambda: WeightsSchema().load({}))
    max_distance_km = fields.Float(load_default=10.0, validate=validate.Range(min=1, max=300))


class InterestFormSchema(Schema):
    open = fields.Boolean(load_default=True)
    intro_text = fields.String(load_default="", validate=validate.Length(max=2000))
    target_groups = fields.List(fields.String(validate=validate.OneOf(TARGET_GROUPS)),
                                load_default=lambda: list(TARGET_GROUPS))

    @validates_schema
    def _groups(self, data: dict, **_: Any) -> None:
        groups = data.get("target_groups", [])
        if len(set(groups)) != len(groups):
            raise ValidationError("each target group once", "target_groups")
        if data.get("open") and not groups:
            raise ValidationError("an open form accepts at least one target group", "target_groups")


class SettingsSchema(Schema):
    """The whole settings document of one partner site. Unknown keys are refused (422)."""

    matching = fields.Nested(MatchingSchema, load_default=lambda: MatchingSchema().load({}))
    checkin_interval_days = fields.Integer(load_default=DEFAULT_CHECKIN_INTERVAL_DAYS,
                                           validate=validate.Range(min=7, max=180))
    retention_days_after_end = fields.Integer(load_default=DEFAULT_RETENTION_DAYS,
                                              validate=validate.Range(min=30, max=3650))
    staff_mfa_required = fields.Boolean(load_default=False)
    interest_form = fields.Nested(InterestFormSchema, load_default=lambda: InterestFormSchema().load({}))
    #: How the site signs its e-mails, and where replies go (an organisation's address).
    display_name = fields.String(load_default="", validate=validate.Length(max=200))
    contact_email = fields.String(load_default="", validate=lambda v: v == "" or validate.Email()(v))


def defaults(*, display_name: str = "", contact_email: str = "") -> dict[str, Any]:
    """A new site's settings."""
    return SettingsSchema().load({"display_name": display_name, "contact_email": contact_email})


def merged(current: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    """``current`` with ``patch`` applied (nested sections merge; lists are replaced), validated whole.

    Raises marshmallow.ValidationError with the messages of every bad field.
    """
    return SettingsSchema().load(_deep_merge(copy.deepcopy(current), patch))


def _deep_merge(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            base[key] = _deep_merge(base[key], value)
        else:
            base[key] = value
    return base
