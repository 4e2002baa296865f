"""Standard Webhooks signing: the body serialised once, its signature and the headers."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from standardwebhooks import Webhook

#: Content type of every webhook body.
CONTENT_TYPE = "application/json"


def _json_default(value: Any) -> str:
    if isinstance(value, UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise TypeError("naive datetimes are not sent in webhooks")
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def serialise_envelope(envelope: Mapping[str, Any]) -> str:
    """The JSON body of an event envelope: compact, UTF-8, keys in the order given."""
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False, default=_json_default)


def _whole_seconds_utc(timestamp: datetime) -> datetime:
    # standardwebhooks replaces (not converts) the zone with UTC, so hand it UTC already.
    if timestamp.tzinfo is None:
        raise ValueError("the signing timestamp must be timezone-aware")
    return datetime.fromtimestamp(int(timestamp.timestamp()), tz=UTC)


def sign(msg_id: str, timestamp: datetime, body: str, secrets: Sequence[str]) -> str:
    """The `webhook-signature` value: one `v1,<base64>` per secret, space separated."""
    if not secrets:
        raise ValueError("a webhook is never sent unsigned: no secret given")
    signed_at = _whole_seconds_utc(timestamp)
    return " ".join(Webhook(secret).sign(msg_id, signed_at, body) for secret in secrets)


def webhook_headers(msg_id: str, timestamp: datetime, body: str,
                    secrets: Sequence[str]) -> dict[str, str]:
    """The Standard Webhooks headers for one attempt at sending `body`."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(_whole_seconds_utc(timestamp).timestamp())),
        "webhook-signature": sign(msg_id, timestamp, body, secrets),
        "content-type": CONTENT_TYPE,
    }
