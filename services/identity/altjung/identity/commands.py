"""identity's commands: `altjung dev-token` (development only), `identity-rotate-key`, `identity-purge`,
`identity-register-portal`."""

from __future__ import annotations

import argparse
import uuid

from altjung.identity.keys import mint_access_token, rotate_keys
from altjung.kit.db import Database
from altjung.kit.settings import Settings

_DEMO_SITES = {"koeln": "6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e01", "leipzig": "6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e02"}


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("dev-token", help="print an access token signed with identity's real key "
                                              "(development mode only; people sign in at /identity/login)")
    parser.add_argument("--role", required=True,
                        choices=["platform_admin", "federation_viewer", "coordinator", "staff"])
    parser.add_argument("--site", help="partner-site slug (demo) or tenant UUID, for site roles")
    parser.add_argument("--port", type=int, default=8000)
    parser.set_defaults(func=dev_token)
    rotate = sub.add_parser("identity-rotate-key", help="make a new signing key; the old one stays published "
                                                        "until its tokens have expired")
    rotate.set_defaults(func=rotate_key)
    purge = sub.add_parser("identity-purge", help="delete expired codes, refresh tokens and throttle rows (cron)")
    purge.set_defaults(func=purge_expired)
    portal = sub.add_parser("identity-register-portal", help="register (or update) the portal as a public "
                                                             "PKCE client with its exact redirect URI")
    portal.set_defaults(func=register_portal)


def dev_token(args: argparse.Namespace) -> int:
    base = f"http://127.0.0.1:{args.port}"
    settings = Settings.from_env("identity", issuer=f"{base}/identity")
    if not settings.development:
        raise SystemExit("dev-token is refused outside development mode")
    tenant = uuid.UUID(_DEMO_SITES.get(args.site, args.site)) if args.site else None
    db = Database(settings.database_url)
    with db.session() as session:
        print(mint_access_token(session, settings, subject=f"dev-{args.role}", client_id="dev-cli",
                                tenant_id=tenant, roles=[args.role]))
    return 0


def rotate_key(args: argparse.Namespace) -> int:
    settings = Settings.from_env("identity")
    db = Database(settings.migration_database_url or settings.database_url)
    with db.session() as session:
        key = rotate_keys(session, settings)
    print(f"new signing key {key.kid}, signs from {key.active_from.isoformat()}")
    return 0


def purge_expired(args: argparse.Namespace) -> int:
    from altjung.identity.housekeeping import purge

    settings = Settings.from_env("identity")
    db = Database(settings.database_url)
    with db.session() as session:
        print(" ".join(f"{name}={count}" for name, count in purge(session).items()))
    return 0


def register_portal(args: argparse.Namespace) -> int:
    """Deployments run this after migrating: the portal's redirect URI follows ALTJUNG_PUBLIC_BASE_URL."""
    from altjung.identity.demo import register_portal_client

    settings = Settings.from_env("identity")
    db = Database(settings.database_url)
    with db.session() as session:
        client = register_portal_client(session, settings)
        session.commit()
        print(f"portal client registered: redirect URI {client.redirect_uris}")
    return 0
