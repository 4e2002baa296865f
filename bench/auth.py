"""Token verification cost: one protected endpoint against the same endpoint without auth, one run.

Both endpoints live in the same kit app (make_app, so every before/after-request hook runs for both),
served by werkzeug on 127.0.0.1 over one keep-alive connection. The protected one goes through
`kit.auth.require`: RS256 signature (3072-bit key, as identity makes them), at+jwt, iss/aud/exp/nbf,
the access-status check and the site-status guard. Keys and status are cached as in production
(fetched once), so what remains per request is parsing and one RSA verification. Rounds alternate
between the two endpoints so drift on a shared machine hits both alike. Bounded: ROUNDS x BATCH each.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid

import requests
from flask import Blueprint, jsonify
from werkzeug.serving import WSGIRequestHandler, make_server

ROUNDS = int(os.environ.get("BENCH_AUTH_ROUNDS", "40"))
BATCH = int(os.environ.get("BENCH_AUTH_BATCH", "100"))


def build_app(var_dir: str):
    from altjung.kit.app import make_app
    from altjung.kit.auth import install_providers, require
    from altjung.kit.settings import Settings
    from altjung.kit.tokens import CachingAccessStatus, CachingJwksProvider

    settings = Settings.from_env("bench", database_url=f"sqlite:///{var_dir}/bench.db", var_dir=var_dir,
                                 issuer="http://127.0.0.1/identity", audience="altjung-api")
    bp = Blueprint("bench", __name__)

    @bp.get("/open")
    def open_view():
        return jsonify(ok=True, who=None)

    @bp.get("/protected")
    @require("coordinator")
    def protected_view():
        return jsonify(ok=True, who="coordinator")

    app = make_app("bench", settings, plain_blueprints=[bp])
    try:  # the kit's per-service site-status table, when the kit has one
        from altjung.kit import site_status

        site_status.site_status_metadata.create_all(app.extensions["altjung"].db.engine)
    except (ImportError, AttributeError):
        pass
    return app, settings, install_providers, CachingJwksProvider, CachingAccessStatus


def main() -> int:
    from altjung.identity.security.keys import KeySet
    from altjung.identity.security.tokens import issue_access_token

    var_dir = tempfile.mkdtemp(prefix="bench-auth-")
    app, settings, install_providers, caching_jwks, caching_status = build_app(var_dir)
    now = dt.datetime.now(dt.UTC)
    keys = KeySet()  # 3072-bit RSA, as identity generates
    key = keys.rotate(now - dt.timedelta(seconds=5))
    install_providers(app, jwks=caching_jwks(lambda: keys.published(now)),  # fetched once, as from identity
                      status=caching_status(lambda: {"suspended_sites": [], "revoked": []}, ttl=5))
    token = issue_access_token(key, issuer=settings.issuer, audience=settings.audience, subject=str(uuid.uuid4()),
                               client_id="portal", scope="openid", tenant=str(uuid.uuid4()), roles=["coordinator"],
                               now=now, lifetime=dt.timedelta(minutes=10))

    class KeepAlive(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_request(self, *args, **kwargs) -> None:
            pass

    server = make_server("127.0.0.1", 0, app, request_handler=KeepAlive)
    port = server.server_port
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = requests.Session()
    base = f"http://127.0.0.1:{port}"
    auth = {"Authorization": f"Bearer {token}"}

    def run(path: str, headers: dict, n: int) -> float:
        start = time.perf_counter()
        for _ in range(n):
            response = client.get(base + path, headers=headers, timeout=10)
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code} {response.text[:200]}")
        return time.perf_counter() - start

    run("/open", {}, 50)  # warm up both paths (JWKS parsed, status fetched, connections open)
    run("/protected", auth, 50)
    open_batches, protected_batches = [], []
    for _ in range(ROUNDS):
        open_batches.append(run("/open", {}, BATCH))
        protected_batches.append(run("/protected", auth, BATCH))
    server.shutdown()
    # The median batch of each: a burst of other load on the shared machine hits a few batches only.
    open_rate = BATCH / statistics.median(open_batches)
    protected_rate = BATCH / statistics.median(protected_batches)
    per_request_us = (1 / protected_rate - 1 / open_rate) * 1e6
    print(f"requests per endpoint: {ROUNDS * BATCH} in {ROUNDS} alternating batches of {BATCH} "
          "(werkzeug, 127.0.0.1, one keep-alive connection, RS256 3072-bit)")
    print(f"mean over all batches: without auth {ROUNDS * BATCH / sum(open_batches):.0f} req/s, "
          f"protected {ROUNDS * BATCH / sum(protected_batches):.0f} req/s")
    print(f"without auth (median batch):            {open_rate:8.0f} req/s")
    print(f"require('coordinator') (median batch):  {protected_rate:8.0f} req/s  "
          f"(+{per_request_us:.0f} µs per request)")
    print(f"ratio protected/open: {protected_rate / open_rate:.2f} (goal >= 0.8)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
