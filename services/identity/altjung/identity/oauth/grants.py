"""Authlib's grants with the defaults RFC 9700 asks to change.

- PKCE for every client, S256 only (Authlib accepts `plain` and enforces PKCE for public clients only).
- Redirect URIs named in every request and matched exactly.
- Authorization codes: hashed at rest, one minute, single use; a replay revokes what the code gave.
- Refresh tokens rotate on every use; a reused one revokes its whole family (security core).
- Access tokens live ten minutes (Authlib's default is ten days).
"""

from __future__ import annotations

import datetime as dt
import uuid

from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError, grants
from authlib.oauth2.rfc7009 import RevocationEndpoint
from authlib.oauth2.rfc7636 import CodeChallenge
from flask import g
from sqlalchemy import update

from altjung.identity.accounts import Grantee, grantee_for
from altjung.identity.audit import audit
from altjung.identity.config import CODE_SECONDS
from altjung.identity.models import AuthorizationCode, RefreshFamilyRow, RefreshTokenRow
from altjung.identity.oauth.store import SqlRefreshTokenStore
from altjung.identity.security.errors import RefreshTokenRejected
from altjung.identity.security.secrets import RefreshFamily, hash_token, rotate_refresh_token
from altjung.kit.bus.models import utcnow
from altjung.kit.runtime import current_runtime

_CLIENT_AUTH = ["client_secret_basic", "client_secret_post", "none"]


class S256Challenge(CodeChallenge):
    """PKCE required of every client, with S256 only; a missing method is not taken as `plain`."""

    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if not data.get("code_challenge"):
            raise InvalidRequestError("code_challenge is required (PKCE)", redirect_uri=redirect_uri)
        if data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("code_challenge_method must be S256", redirect_uri=redirect_uri)
        return super().validate_code_challenge(grant, redirect_uri)

    def validate_code_verifier(self, grant, result):
        if not grant.request.form.get("code_verifier"):
            raise InvalidRequestError("Missing 'code_verifier'")
        return super().validate_code_verifier(grant, result)


class _Code:
    """An authorization code row as Authlib's AuthorizationCodeMixin."""

    def __init__(self, row: AuthorizationCode) -> None:
        self.row = row
        self.code_challenge, self.code_challenge_method = row.code_challenge, row.code_challenge_method

    def get_redirect_uri(self) -> str:
        return self.row.redirect_uri

    def get_scope(self) -> str:
        return self.row.scope

    def get_auth_time(self) -> int:
        return self.row.auth_time

    def get_nonce(self) -> str | None:
        return self.row.nonce

    def get_acr(self) -> None:
        return None

    def get_amr(self) -> list[str] | None:
        return self.row.amr.split() or None


class _Family:
    """A refresh family as Authlib's TokenMixin (only what the refresh grant and revocation ask)."""

    def __init__(self, family: RefreshFamily) -> None:
        self.family = family

    def check_client(self, client) -> bool:
        return client.get_client_id() == self.family.client_id

    def get_scope(self) -> str:
        return self.family.scope

    def is_revoked(self) -> bool:
        return self.family.revoked_at is not None

    def is_expired(self) -> bool:
        return False


def _db():
    return current_runtime().db


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = _CLIENT_AUTH

    def validate_authorization_request(self):
        if not self.request.payload.redirect_uri:
            raise InvalidRequestError("redirect_uri is required")
        return super().validate_authorization_request()

    def save_authorization_code(self, code: str, request) -> None:
        grantee: Grantee = request.user
        data = request.payload.data
        with _db().session() as session:
            session.add(AuthorizationCode(
                code_hash=hash_token(code), client_id=request.client.get_client_id(),
                redirect_uri=request.payload.redirect_uri, scope=request.scope or "", user_id=grantee.user_id,
                site_id=grantee.site_id, code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"), auth_time=int(g.get("auth_time", 0)),
                nonce=data.get("nonce"), amr=" ".join(g.get("amr", [])),
                expires_at=utcnow() + dt.timedelta(seconds=CODE_SECONDS)))
            session.commit()

    def query_authorization_code(self, code: str, client):
        """Spend the code now (atomically); a second use revokes what the first one gave."""
        code_hash = hash_token(code)
        with _db().session() as session:
            row = session.get(AuthorizationCode, code_hash)
            if row is None or row.client_id != client.get_client_id():
                return None
            spent = session.execute(update(AuthorizationCode).where(
                AuthorizationCode.code_hash == code_hash, AuthorizationCode.used_at.is_(None)).values(used_at=utcnow()))
            if spent.rowcount != 1:
                if row.family_id:
                    session.execute(update(RefreshFamilyRow).where(RefreshFamilyRow.family_id == row.family_id)
                                    .values(revoked_at=utcnow()))
                audit(session, "oauth.code_replayed", actor=row.user_id, site_id=row.site_id,
                      target=row.client_id)
                session.commit()
                return None
            session.commit()
            session.refresh(row)
            session.expunge(row)
        if row.expires_at <= utcnow():
            return None
        return _Code(row)

    def delete_authorization_code(self, authorization_code: _Code) -> None:
        family_id = g.pop("started_family", None)
        if family_id:
            with _db().session() as session:
                session.execute(update(AuthorizationCode).where(
                    AuthorizationCode.code_hash == authorization_code.row.code_hash).values(family_id=family_id))
                session.commit()

    def authenticate_user(self, authorization_code: _Code) -> Grantee | None:
        return grantee_for(_db(), authorization_code.row.user_id, authorization_code.row.site_id)


class RefreshTokenGrant(grants.RefreshTokenGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = _CLIENT_AUTH
    INCLUDE_NEW_REFRESH_TOKEN = True  # rotation: every use gives a new refresh token

    def authenticate_refresh_token(self, refresh_token: str):
        store = SqlRefreshTokenStore(_db())
        try:
            rotated = rotate_refresh_token(store, refresh_token, client_id=self.request.client.get_client_id(),
                                           now=utcnow())
        except RefreshTokenRejected as err:
            if err.reason in ("reused", "wrong_client"):
                record = store.get_token(hash_token(refresh_token))
                family = store.get_family(record.family_id) if record else None
                with _db().session() as session:
                    audit(session, "oauth.refresh_reused", actor=family.subject if family else None,
                          site_id=family.tenant if family else None, reason=err.reason)
                    session.commit()
            return None
        g.rotated_refresh = rotated
        return _Family(rotated.family)

    def authenticate_user(self, refresh_token: _Family) -> Grantee | None:
        family = refresh_token.family
        grantee = grantee_for(_db(), uuid.UUID(family.subject), uuid.UUID(family.tenant) if family.tenant else None)
        with _db().session() as session:
            if grantee is None:  # removed, deactivated or suspended meanwhile: end this login for good
                session.execute(update(RefreshFamilyRow).where(RefreshFamilyRow.family_id == family.family_id)
                                .values(revoked_at=utcnow()))
                session.commit()
                raise InvalidGrantError("access has ended")
            return grantee

    def revoke_old_credential(self, refresh_token: _Family) -> None:
        """Nothing: rotation already spent the old token."""


class ClientCredentialsGrant(grants.ClientCredentialsGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def validate_token_request(self):
        super().validate_token_request()
        self.request.grantee = self.request.client.grantee(self.request.form.get("tenant"))

    def create_token_response(self):
        token = self.generate_token(user=self.request.grantee, scope=self.request.payload.scope,
                                    include_refresh_token=False)
        self.save_token(token)
        return 200, token, self.TOKEN_RESPONSE_HEADER


class RefreshTokenRevocation(RevocationEndpoint):
    """RFC 7009 for refresh tokens: revokes the whole family. Access tokens expire within minutes."""

    CLIENT_AUTH_METHODS = _CLIENT_AUTH
    SUPPORTED_TOKEN_TYPES = ("refresh_token", "access_token")

    def query_token(self, token_string: str, token_type_hint: str | None):
        if token_type_hint == "access_token":
            return None
        with _db().session() as session:
            row = session.get(RefreshTokenRow, hash_token(token_string))
            family = session.get(RefreshFamilyRow, row.family_id) if row else None
            if family is None:
                return None
            return _Family(RefreshFamily(family_id=family.family_id, subject=family.subject,
                                         client_id=family.client_id, tenant=family.site_id, scope=family.scope,
                                         created_at=family.created_at, expires_at=family.expires_at,
                                         revoked_at=family.revoked_at))

    def revoke_token(self, token: _Family, request) -> None:
        with _db().session() as session:
            session.execute(update(RefreshFamilyRow).where(RefreshFamilyRow.family_id == token.family.family_id,
                                                           RefreshFamilyRow.revoked_at.is_(None))
                            .values(revoked_at=utcnow()))
            audit(session, "oauth.refresh_revoked", actor=token.family.subject, site_id=token.family.tenant,
                  target=token.family.client_id)
            session.commit()
