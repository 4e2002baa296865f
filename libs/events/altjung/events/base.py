"""The event base class: a frozen dataclass whose marshmallow schema is derived from its fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from typing import Any, ClassVar
from uuid import UUID

from marshmallow import Schema, ValidationError, fields


class EventInvalid(ValueError):
    """An event or envelope does not validate against the catalogue."""


class UnknownEventType(EventInvalid):
    """The envelope names a type/version the catalogue does not know."""


_SCALARS: dict[Any, type[fields.Field]] = {
    UUID: fields.UUID,
    str: fields.String,
    int: fields.Integer,
    bool: fields.Boolean,
    float: fields.Float,
    dt.date: fields.Date,
    dt.datetime: fields.AwareDateTime,
    dict: fields.Dict,
}


def _field_for(annotation: Any, *, required: bool) -> fields.Field:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType) and type(None) in args:
        (inner,) = [a for a in args if a is not type(None)]
        return _field_for(inner, required=False)
    if origin in (list, tuple, frozenset, set):
        return fields.List(_field_for(args[0], required=True), required=required)
    if annotation in _SCALARS:
        kwargs: dict[str, Any] = {"required": required, "allow_none": not required}
        if annotation is dt.datetime:
            kwargs["default_timezone"] = dt.UTC
        return _SCALARS[annotation](**kwargs)
    raise TypeError(f"no schema field for {annotation!r}")


@dataclasses.dataclass(frozen=True, kw_only=True)
class Event:
    """A domain event: past tense, ids and categories only, never a person's data."""

    TYPE: ClassVar[str]
    VERSION: ClassVar[int]
    #: A payload that round-trips; the contract test proves it for every type.
    SAMPLE: ClassVar[dict[str, Any]]
    _schema: ClassVar[Schema | None] = None

    @classmethod
    def schema(cls) -> Schema:
        """The marshmallow schema of this event's payload, built once from its fields."""
        if cls.__dict__.get("_schema") is None:
            hints = typing.get_type_hints(cls)
            declared = {
                f.name: _field_for(hints[f.name], required=f.default is dataclasses.MISSING)
                for f in dataclasses.fields(cls)
            }
            schema_cls = Schema.from_dict(declared, name=f"{cls.__name__}Schema")
            cls._schema = schema_cls()
        return cls._schema  # type: ignore[return-value]

    def to_payload(self) -> dict[str, Any]:
        """The JSON-ready payload, validated."""
        data = self.schema().dump(dataclasses.asdict(self))
        errors = self.schema().validate(data)
        if errors:
            raise EventInvalid(f"{self.TYPE}: {errors}")
        return data

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Event:
        """Decode and validate a payload; fails loudly on anything the schema refuses."""
        try:
            loaded = cls.schema().load(payload)
        except ValidationError as err:
            raise EventInvalid(f"{cls.TYPE} v{cls.VERSION}: {err.messages}") from err
        return cls(**loaded)
