"""Demo accounts of the embedded run: ready logins with passwords and MFA secrets, and the portal client."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from altjung.identity.accounts import hashing, set_membership
from altjung.identity.config import seal
from altjung.identity.models import OAuthClient, SiteState, User
from altjung.identity.security.totp import new_totp_secret
from altjung.kit.bus.models import utcnow
from altjung.kit.runtime import Runtime
from altjung.kit.settings import Settings
from altjung.kit.tenancy import tenant_context

KOELN = uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e01")
LEIPZIG = uuid.UUID("6f1d2c3b-0a9e-4e8d-9c7b-1a2b3c4d5e02")
#: Demo only: these passwords are printed and documented. (email, name, platform roles, site memberships)
DEMO_ACCOUNTS = [
    ("admin@bas.example", "Bea Admin (BaS)", "platform_admin", []),
    ("auswertung@bas.example", "Viktor Viewer (BaS)", "federation_viewer", []),
    ("koordination@koeln.example", "Karla Koordination", "", [(KOELN, "coordinator")]),
    ("team@koeln.example", "Sven Staff", "", [(KOELN, "staff")]),
    ("koordination@leipzig.example", "Lena Leipzig", "", [(LEIPZIG, "coordinator"), (KOELN, "staff")]),
]
DEMO_PASSWORD = "Patenschaft-Demo-2026!"
PORTAL_CLIENT_ID = "portal"


def register_portal_client(session, settings: Settings) -> OAuthClient:
    """The portal: a public client (no secret) with PKCE, exact redirect URI, refresh tokens."""
    client = session.get(OAuthClient, PORTAL_CLIENT_ID) or OAuthClient(client_id=PORTAL_CLIENT_ID)
    client.name = "Alt & Jung Portal"
    client.secret_hash = None
    client.redirect_uris = f"{settings.public_base_url.rstrip('/')}/auth/callback"
    client.grant_types = "authorization_code refresh_token"
    client.scope = "openid profile email"
    session.add(client)
    return client


def seed(runtime: Runtime, platform: object = None) -> None:
    """Create the demo accounts unless they exist, and print how to log in."""
    settings, db = runtime.settings, runtime.db
    lines = ["", "Demo-Zugänge / demo accounts (Passwort / password: " + DEMO_PASSWORD + "):"]
    with db.session() as session:
        register_portal_client(session, settings)
        for site_id in (KOELN, LEIPZIG):
            if session.get(SiteState, site_id) is None:
                session.add(SiteState(tenant_id_=site_id))  # the name arrives with tenant.created
        session.commit()
        for email, name, platform_roles, memberships in DEMO_ACCOUNTS:
            user = session.scalars(select(User).where(User.email == email)).first()
            if user is None:
                secret = new_totp_secret()
                user = User(email=email, display_name=name, password_hash=hashing().hash(DEMO_PASSWORD),
                            platform_roles=platform_roles, active=True, totp_secret=seal(settings, secret),
                            totp_enabled_at=utcnow())
                session.add(user)
                session.commit()
            from altjung.identity.accounts import pending_totp_secret

            lines.append(f"  {email:<32} TOTP-Schlüssel / secret: {pending_totp_secret(settings, user)}")
            user_id = user.id
            for site_id, role in memberships:
                with tenant_context(site_id), db.session() as scoped:
                    set_membership(scoped, user_id=user_id, site_id=site_id, role=role)
                    scoped.commit()
    lines += [f"  Anmelden / sign in: {settings.issuer}/login  (Portal-Client 'portal', PKCE S256)",
              "  TOTP-Code z. B. / e.g.: .venv/bin/python -c \"import pyotp; print(pyotp.TOTP('<secret>').now())\""]
    print("\n".join(lines), flush=True)
