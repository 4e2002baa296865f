"""identity's lifetimes and the secrets it derives from the service's secret key."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken

from altjung.kit.settings import Settings

#: Access tokens live minutes, not days (RFC 9700 section 2.2.2 wants them short-lived).
ACCESS_TOKEN_SECONDS = 600
#: An authorization code is exchanged within seconds; one minute is plenty.
CODE_SECONDS = 60
INVITATION_DAYS = 7
PASSWORD_RESET_MINUTES = 60
#: A started login (password checked, MFA pending) must be finished within this time.
PENDING_LOGIN_SECONDS = 600
#: A browser login at identity lasts this long before the password is asked again.
LOGIN_SESSION_HOURS = 8
#: How long a withdrawal of access is published: longer than any access token lives.
REVOCATION_PUBLISHED = dt.timedelta(seconds=ACCESS_TOKEN_SECONDS + 120)


def _derive(settings: Settings, purpose: str) -> bytes:
    return hmac.new(settings.secret_key.encode(), f"altjung-identity:{purpose}".encode(), hashlib.sha256).digest()


def key_password(settings: Settings) -> bytes:
    """Encrypts signing keys' private parts at rest."""
    return base64.urlsafe_b64encode(_derive(settings, "signing-keys"))


def recovery_pepper(settings: Settings) -> bytes:
    return _derive(settings, "recovery-codes")


def _fernet(settings: Settings) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(settings, "totp")))


def seal(settings: Settings, secret: str) -> str:
    """Encrypt a TOTP secret for the database."""
    return _fernet(settings).encrypt(secret.encode()).decode("ascii")


def unseal(settings: Settings, sealed: str) -> str | None:
    try:
        return _fernet(settings).decrypt(sealed.encode("ascii")).decode()
    except InvalidToken:
        return None


def link_secret(settings: Settings, kind: str, ident: object) -> str:
    """The secret of an e-mailed link (invitation, reset): derived, so that a repeated delivery of the
    same event mails the same working link; only its hash is stored."""
    digest = hmac.new(_derive(settings, "links"), f"{kind}:{ident}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
