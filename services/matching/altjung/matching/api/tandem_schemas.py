"""Schemas of the Patenschaft lifecycle: proposals, start, decline, end, check-ins."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from altjung.matching.domain.lifecycle import CHECKIN_KINDS, CHECKIN_WITH, DECLINE_REASONS, END_REASONS, GOALS_REACHED


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
