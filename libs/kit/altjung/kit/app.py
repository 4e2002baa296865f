"""The app factory every service uses: smorest API, problem+json, health, request ids, runtime."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterable

from flask import Flask, Response, g, jsonify, request
from flask_smorest import Api, Blueprint
from werkzeug.middleware.proxy_fix import ProxyFix

from altjung.kit import site_status, tenancy
from altjung.kit.logs import configure_logging, request_id_var, service_var
from altjung.kit.problems import init_problems, problem_response
from altjung.kit.runtime import Runtime, runtime_for
from altjung.kit.settings import Settings

_TITLES = {
    "identity": "Alt & Jung – Identität / Identity",
    "tenants": "Alt & Jung – Partnerstandorte / Partner sites",
    "matching": "Alt & Jung – Patenschaften / Matching",
    "notifications": "Alt & Jung – Benachrichtigungen / Notifications",
    "federation": "Alt & Jung – BaS-Übersicht / Federation",
    "portal": "Alt & Jung – Portal",
}


def make_app(name: str, settings: Settings, *, blueprints: Iterable[Blueprint] = (),
             plain_blueprints: Iterable = (), setup: Callable[[Flask, Runtime], None] | None = None,
             ready_checks: Iterable[Callable[[], None]] = ()) -> Flask:
    """Build one service's Flask app. A fresh smorest Api per app (it keeps its app)."""
    configure_logging()
    app = Flask(f"altjung.{name}", instance_path=os.path.abspath(os.path.join(settings.var_dir, "instance")))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        API_TITLE=_TITLES.get(name, name),
        API_VERSION="v1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        JSON_SORT_KEYS=False,
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    runtime = runtime_for(settings)
    app.extensions["altjung"] = runtime
    api = Api(app, spec_kwargs={"info": {"description": f"{_TITLES.get(name, name)} — API v1"}})
    api.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"})
    for blueprint in blueprints:
        api.register_blueprint(blueprint)
    for blueprint in plain_blueprints:
        app.register_blueprint(blueprint)
    app.extensions["altjung_api"] = api
    if settings.behind_proxy:  # never in embedded mode: there the headers would come from the client
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1, x_prefix=1)  # type: ignore[method-assign]
    init_problems(app)
    _init_request_ids(app, name)
    _init_health(app, runtime, list(ready_checks))
    if setup is not None:
        setup(app, runtime)
    tenancy.init_app(app)  # no request inherits the tenant of the one before it
    site_status.init_app(app, runtime)  # tokens of a suspended site refused, an archived one read-only
    return app


def _init_request_ids(app: Flask, name: str) -> None:
    @app.before_request
    def _bind_request_id() -> None:
        rid = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        g.request_id = rid[:64]
        request_id_var.set(g.request_id)
        service_var.set(name)

    @app.after_request
    def _echo_request_id(response: Response) -> Response:
        if "request_id" in g:
            response.headers["X-Request-Id"] = g.request_id
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Cache-Control", "no-store")
        return response


def _init_health(app: Flask, runtime: Runtime, checks: list[Callable[[], None]]) -> None:
    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok", service=runtime.service)

    @app.get("/readyz")
    def readyz() -> Response:
        results: dict[str, str] = {}
        try:
            runtime.db.ping()
            results["database"] = "ok"
        except Exception as err:  # noqa: BLE001
            results["database"] = f"down: {type(err).__name__}"
        try:
            client = getattr(runtime.broker, "client", None)
            if client is not None:
                client.ping()
            results["broker"] = "ok"
        except Exception as err:  # noqa: BLE001
            results["broker"] = f"down: {type(err).__name__}"
        for check in checks:
            try:
                check()
                results[check.__name__] = "ok"
            except Exception as err:  # noqa: BLE001
                results[check.__name__] = f"down: {type(err).__name__}"
        if all(v == "ok" for v in results.values()):
            return jsonify(status="ready", checks=results)
        return problem_response(503, "Eine Abhängigkeit ist nicht erreichbar. / A dependency is down.",
                                checks=results)
