"""Schemas of the public interest form and of the contact lookup for deliveries."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from altjung.matching.api.schemas import LANGUAGE_CODE, TARGET_GROUPS, birth_year
from altjung.matching.domain.labels import LEVEL_ORDER


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
    birth_year = fields.Integer(load_default=None, allow_none=True, validate=birth_year)
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
