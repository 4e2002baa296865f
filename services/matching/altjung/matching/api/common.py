"""What every matching endpoint shares: roles, ETags and If-Match, cursors, OpenAPI snippets."""

from __future__ import annotations

import base64
import binascii
import json
from uuid import UUID

from flask import request

from altjung.kit.problems import Problem, Unprocessable

#: Day-to-day work of a partner site.
STAFF = ("coordinator", "staff")
#: Sites per page unless ``limit`` says otherwise.
DEFAULT_PAGE = 50

BEARER = {"security": [{"bearer": []}]}
IF_MATCH = {"security": [{"bearer": []}],
            "parameters": [{"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                            "description": 'The ETag last read, e.g. "3" (or send "version" in the body)'}]}


def etag(version: int) -> dict[str, str]:
    return {"ETag": f'"{version}"'}


def expected_version(body_version: int | None) -> int:
    """The version the caller last saw: If-Match (an ETag of ours) or ``version`` in the body; 428 if neither."""
    header = request.headers.get("If-Match", "").strip()
    if header:
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            raise Problem("If-Match ist keine Version dieses Eintrags. / If-Match is not a version.",
                          status=412) from None
    if body_version is not None:
        return body_version
    raise Problem("Bitte senden Sie If-Match oder version. / Send If-Match or version.", status=428)


def cursor_of(key: str, ident: UUID) -> str:
    return base64.urlsafe_b64encode(json.dumps([key, str(ident)]).encode()).decode().rstrip("=")


def after(cursor: str | None) -> tuple[str, UUID] | None:
    if not cursor:
        return None
    try:
        key, ident = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        return str(key), UUID(str(ident))
    except (ValueError, TypeError, binascii.Error):
        raise Unprocessable("Ungültiger Cursor. / Invalid cursor.") from None


def page(query, model, *, cursor: str | None, limit: int, session) -> dict:
    """Rows ordered by (sort_name, id) after the cursor, and the cursor of the next page."""
    last = after(cursor)
    query = query.order_by(model.sort_name, model.id).limit(limit + 1)
    if last is not None:
        query = query.where((model.sort_name > last[0]) | ((model.sort_name == last[0]) & (model.id > last[1])))
    rows = list(session.scalars(query))
    items = rows[:limit]
    return {"items": items,
            "next_cursor": cursor_of(items[-1].sort_name, items[-1].id) if len(rows) > limit else None}
