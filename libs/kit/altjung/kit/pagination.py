"""Cursor pagination: an opaque cursor names the sort key and id of the last row already seen."""

from __future__ import annotations

import base64
import binascii
import json
from uuid import UUID

from altjung.kit.problems import Unprocessable


def encode_cursor(key: str, ident: UUID | str) -> str:
    """The cursor of a page's last row: (its sort key as text, its id)."""
    return base64.urlsafe_b64encode(json.dumps([key, str(ident)]).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, UUID] | None:
    """(sort key, id) of the row to continue after; None for the first page; 422 when it is not ours."""
    if not cursor:
        return None
    try:
        key, ident = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(key), UUID(str(ident))
    except (ValueError, TypeError, binascii.Error):
        raise Unprocessable("Ungültiger Cursor. / Invalid cursor.") from None
