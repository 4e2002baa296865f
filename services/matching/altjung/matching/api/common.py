"""What every matching endpoint shares: roles, cursors and pages (ETags and If-Match are the kit's)."""

from __future__ import annotations

from altjung.kit.pagination import decode_cursor, encode_cursor

#: Day-to-day work of a partner site.
STAFF = ("coordinator", "staff")
#: Sites per page unless ``limit`` says otherwise.
DEFAULT_PAGE = 50


def page(query, model, *, cursor: str | None, limit: int, session) -> dict:
    """Rows ordered by (sort_name, id) after the cursor, and the cursor of the next page."""
    last = decode_cursor(cursor)
    query = query.order_by(model.sort_name, model.id).limit(limit + 1)
    if last is not None:
        query = query.where((model.sort_name > last[0]) | ((model.sort_name == last[0]) & (model.id > last[1])))
    rows = list(session.scalars(query))
    items = rows[:limit]
    return {"items": items,
            "next_cursor": encode_cursor(items[-1].sort_name, items[-1].id) if len(rows) > limit else None}
