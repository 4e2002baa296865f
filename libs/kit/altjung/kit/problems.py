"""RFC 9457 problem+json errors: one shallow hierarchy and the handlers that render every error."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import Flask, Response, json, request
from werkzeug.exceptions import HTTPException

PROBLEM_MIMETYPE = "application/problem+json"

_TITLES = {
    400: "Ungültige Anfrage / Bad request",
    401: "Anmeldung erforderlich / Authentication required",
    403: "Keine Berechtigung / Forbidden",
    404: "Nicht gefunden / Not found",
    405: "Methode nicht erlaubt / Method not allowed",
    409: "Konflikt / Conflict",
    412: "Veraltete Version / Precondition failed",
    413: "Zu groß / Payload too large",
    415: "Falsches Format / Unsupported media type",
    422: "Eingabe ungültig / Unprocessable content",
    423: "Gesperrt / Locked",
    428: "Version erforderlich / Precondition required",
    429: "Zu viele Anfragen / Too many requests",
    500: "Interner Fehler / Internal server error",
    503: "Nicht verfügbar / Service unavailable",
}


class Problem(Exception):
    """An error that answers as problem+json. Subclasses fix status and type."""

    status = 400
    type_ = "about:blank"

    def __init__(self, detail: str, *, status: int | None = None, title: str | None = None,
                 type_: str | None = None, **extensions: Any) -> None:
        super().__init__(detail)
        self.detail = detail
        self.status = status or self.status
        self.title = title or _TITLES.get(self.status, "Fehler / Error")
        self.type_ = type_ or self.type_
        self.extensions = extensions

    def to_dict(self) -> dict[str, Any]:
        body = {"type": self.type_, "title": self.title, "status": self.status, "detail": self.detail}
        body.update(self.extensions)
        return body


class NotFound(Problem):
    """Does not exist, or belongs to another tenant: the same answer either way."""

    status = 404

    def __init__(self, kind: str, ident: UUID | str | None = None) -> None:
        super().__init__(f"{kind} nicht gefunden / {kind} not found", kind=kind)


class Conflict(Problem):
    status = 409


class PreconditionFailed(Problem):
    """An update carried a stale version (optimistic concurrency)."""

    status = 412


class Unprocessable(Problem):
    status = 422


class Unauthorized(Problem):
    status = 401


class Forbidden(Problem):
    status = 403


class TooManyRequests(Problem):
    status = 429


def problem_response(status: int, detail: str, **extensions: Any) -> Response:
    return _render(Problem(detail, status=status, **extensions))


def _render(problem: Problem) -> Response:
    body = problem.to_dict()
    body.setdefault("instance", request.path if request else None)
    response = Response(json.dumps(body), status=problem.status, mimetype=PROBLEM_MIMETYPE)
    if problem.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="altjung"'
    return response


def init_problems(app: Flask) -> None:
    """Every error of the app, including 404/405/422/500 from Flask and smorest, as problem+json."""

    @app.errorhandler(Problem)
    def _problem(err: Problem) -> Response:
        return _render(err)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException) -> Response:
        status = err.code or 500
        extensions: dict[str, Any] = {}
        data = getattr(err, "data", None)  # webargs/smorest attach validation messages here
        if isinstance(data, dict) and "messages" in data:
            extensions["errors"] = data["messages"]
        detail = err.description if status != 422 else "Die Eingabe ist ungültig. / The input is invalid."
        response = _render(Problem(str(detail), status=status, **extensions))
        if status == 405 and getattr(err, "valid_methods", None):
            response.headers["Allow"] = ", ".join(err.valid_methods)
        return response

    @app.errorhandler(Exception)
    def _unexpected(err: Exception) -> Response:
        app.logger.exception("unhandled error")
        return _render(Problem("Ein unerwarteter Fehler ist aufgetreten. / An unexpected error occurred.",
                               status=500))
