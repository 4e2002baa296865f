"""The event catalogue: every type has a schema, a version and a sample that round-trips."""

from __future__ import annotations

import dataclasses
from importlib.metadata import entry_points

import pytest

from altjung.events import CATALOGUE, SUBSCRIPTIONS, Envelope, EventInvalid, UnknownEventType, event_class
from altjung.kit.site_status import merge_handlers

REQUIRED_TYPES = {
    "tenant.created", "tenant.updated", "tenant.suspended", "user.invited", "user.activated",
    "mentor.registered", "mentee.registered", "patenschaft.proposed", "patenschaft.started",
    "patenschaft.ended", "checkin.logged", "person.erased",
}
#: Field names that would carry a person's data. Only tenant.created may name the first coordinator's
#: work e-mail (it travels to identity, which sends the invitation).
PERSONAL = ("name", "first_name", "last_name", "email", "phone", "address", "street", "note", "text",
            "comment", "birth_date", "postcode")
ALLOWED = {("tenant.created", "first_coordinator_email"), ("tenant.created", "name"),
           ("tenant.updated", "name")}  # a partner site's name is an organisation, not a person


def test_the_catalogue_has_every_required_type():
    assert REQUIRED_TYPES <= set(CATALOGUE)


@pytest.mark.parametrize("type_", sorted(CATALOGUE))
def test_every_type_has_a_version_and_a_sample_that_round_trips(type_):
    # Given the event class of a type and its documented sample
    cls = event_class(type_)
    assert isinstance(cls.VERSION, int) and cls.VERSION >= 1
    event = cls.from_payload(cls.SAMPLE)
    # When it is wrapped, serialised and parsed again
    wire = Envelope.wrap(event, tenant_id=None).to_dict()
    back = Envelope.from_dict(wire)
    # Then the same event comes out, and the payload equals the sample
    assert back.event() == event
    assert back.type == type_ and back.version == cls.VERSION
    assert wire["occurred_at"].endswith("Z")


@pytest.mark.parametrize("type_", sorted(CATALOGUE))
def test_no_payload_carries_a_persons_data(type_):
    for field in dataclasses.fields(event_class(type_)):
        if (type_, field.name) in ALLOWED:
            continue
        assert not any(field.name == p or field.name.endswith("_" + p) for p in PERSONAL), (type_, field.name)


def test_an_invalid_payload_fails_loudly():
    cls = event_class("patenschaft.started")
    with pytest.raises(EventInvalid):
        cls.from_payload({**cls.SAMPLE, "mentor_id": "not-a-uuid"})
    with pytest.raises(EventInvalid):
        Envelope.from_dict({"id": "x", "type": "patenschaft.started", "version": 1,
                            "occurred_at": "2026-01-01T00:00:00Z", "tenant_id": None, "payload": cls.SAMPLE})


def test_an_unknown_type_or_a_future_version_fails_loudly():
    envelope = Envelope.wrap(event_class("person.erased").from_payload(event_class("person.erased").SAMPLE),
                             tenant_id=None).to_dict()
    with pytest.raises(UnknownEventType):
        Envelope.from_dict({**envelope, "type": "person.vanished"})
    with pytest.raises(UnknownEventType):
        Envelope.from_dict({**envelope, "version": 99})


def test_a_naive_timestamp_is_refused():
    envelope = Envelope.wrap(event_class("person.erased").from_payload(event_class("person.erased").SAMPLE),
                             tenant_id=None).to_dict()
    with pytest.raises(EventInvalid):
        Envelope.from_dict({**envelope, "occurred_at": "2026-01-01T10:00:00"})


def test_routing_and_handlers_agree():
    # Given each service's handler table, discovered like the embedded runner does, with the kit's
    # site-status handlers merged in as the runtime does
    handlers = {ep.name: merge_handlers(ep.name, ep.load()) for ep in entry_points(group="altjung.handlers")}
    # Then every subscription has a handler, and no handler waits for an event nobody sends it
    for type_, subs in SUBSCRIPTIONS.items():
        assert type_ in CATALOGUE
        for sub in subs:
            assert type_ in handlers[sub.service], (type_, sub.service)
    for service, table in handlers.items():
        for type_ in table:
            assert service in {s.service for s in SUBSCRIPTIONS.get(type_, ())}, (service, type_)
