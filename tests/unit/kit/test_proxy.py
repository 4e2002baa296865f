"""Forwarded headers count only behind our proxy."""

from __future__ import annotations

from flask import request

from altjung.kit.app import make_app
from altjung.kit.settings import Settings


def _app(tmp_path, behind_proxy: bool):
    settings = Settings.from_env("proxytest", {}, database_url=f"sqlite:///{tmp_path}/p.db",
                                 var_dir=str(tmp_path), behind_proxy=behind_proxy)
    app = make_app("proxytest", settings)

    @app.get("/whoami")
    def whoami():
        return {"addr": request.remote_addr, "scheme": request.scheme, "root": request.script_root}

    return app


HEADERS = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https", "X-Forwarded-Prefix": "/identity"}


def test_behind_the_proxy_the_client_address_and_prefix_are_the_forwarded_ones(tmp_path):
    body = _app(tmp_path, True).test_client().get("/whoami", headers=HEADERS).get_json()
    assert body == {"addr": "203.0.113.9", "scheme": "https", "root": "/identity"}


def test_without_a_proxy_forwarded_headers_are_ignored(tmp_path):
    body = _app(tmp_path, False).test_client().get("/whoami", headers=HEADERS).get_json()
    assert body["addr"] == "127.0.0.1" and body["scheme"] == "http" and body["root"] == ""
