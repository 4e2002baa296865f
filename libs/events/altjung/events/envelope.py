"""The envelope every event travels in: id, type, version, occurred_at (UTC), tenant_id, payload."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from typing import Any
from uuid import UUID

from altjung.events.base import Event, EventInvalid


@dataclasses.dataclass(frozen=True, kw_only=True)
class Envelope:
    """One event on the wire. The payload has been validated against its type's schema."""

    id: UUID
    type: str
    version: int
    occurred_at: dt.datetime
    tenant_id: UUID | None
    payload: dict[str, Any]

    @classmethod
    def wrap(cls, event: Event, *, tenant_id: UUID | None, occurred_at: dt.datetime | None = None,
             event_id: UUID | None = None) -> Envelope:
        """Put a domain event into a new envelope (validates the payload)."""
        return cls(
            id=event_id or uuid.uuid4(),
            type=event.TYPE,
            version=event.VERSION,
            occurred_at=occurred_at or dt.datetime.now(dt.UTC),
            tenant_id=tenant_id,
            payload=event.to_payload(),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as it travels on a queue or in a webhook body."""
        return {
            "id": str(self.id),
            "type": self.type,
            "version": self.version,
            "occurred_at": self.occurred_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
            "tenant_id": str(self.tenant_id) if self.tenant_id else None,
            "payload": self.payload,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Envelope:
        """Parse and validate an envelope, upcasting its payload to the current version."""
        from altjung.events.catalogue import upcast

        try:
            occurred_at = dt.datetime.fromisoformat(str(data["occurred_at"]).replace("Z", "+00:00"))
            if occurred_at.tzinfo is None:
                raise EventInvalid("occurred_at must carry a time zone (UTC)")
            tenant = data.get("tenant_id")
            envelope = cls(
                id=UUID(str(data["id"])),
                type=str(data["type"]),
                version=int(data["version"]),
                occurred_at=occurred_at,
                tenant_id=UUID(str(tenant)) if tenant else None,
                payload=dict(data["payload"]),
            )
        except (KeyError, TypeError, ValueError) as err:
            if isinstance(err, EventInvalid):
                raise
            raise EventInvalid(f"malformed envelope: {err!r}") from err
        return upcast(envelope)

    def event(self) -> Event:
        """The typed, validated event inside."""
        from altjung.events.catalogue import event_class

        return event_class(self.type).from_payload(self.payload)
