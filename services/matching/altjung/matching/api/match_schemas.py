"""Schemas of suggestions and batch proposals: reasons, contributions and exclusions in German and English."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


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
