"""Optimistic concurrency over HTTP: an ETag goes out, If-Match (or a body ``version``) comes back.

A stale version is refused with 412 by the use case that compares it; a missing one with 428 here.
"""

from __future__ import annotations

from flask import request

from altjung.kit.auth import BEARER
from altjung.kit.problems import Problem

#: OpenAPI for every update guarded by a version: a bearer token and the optional If-Match header.
IF_MATCH = {**BEARER,
            "parameters": [{"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                            "description": 'The ETag last read, e.g. "3" (or send "version" in the body)'}]}


def etag(version: int) -> dict[str, str]:
    """The response header that tells a client which version it read."""
    return {"ETag": f'"{version}"'}


def expected_version(body_version: int | None, *, required: bool = True) -> int | None:
    """The version the caller last saw: If-Match (an ETag of ours) or ``version`` in the body.

    Neither: 428 when ``required``, else None (the caller decides). An If-Match that is no version: 412.
    """
    header = request.headers.get("If-Match", "").strip()
    if header:
        try:
            return int(header.removeprefix("W/").strip('"'))
        except ValueError:
            raise Problem("If-Match ist keine Version dieses Eintrags. / If-Match is not a version.",
                          status=412) from None
    if body_version is not None:
        return body_version
    if required:
        raise Problem("Bitte senden Sie If-Match oder version. / Send If-Match or version.", status=428)
    return None
