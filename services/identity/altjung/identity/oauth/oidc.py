"""OpenID Connect on top of the code grant: an ID token (typ JWT, aud = the client) next to the access token."""

from __future__ import annotations

import time

from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode as _OpenIDCode
from sqlalchemy import select

from altjung.identity.accounts import Grantee
from altjung.identity.config import ACCESS_TOKEN_SECONDS
from altjung.identity.keys import signing_key
from altjung.identity.models import AuthorizationCode, User
from altjung.identity.security.keys import ALGORITHM
from altjung.kit.runtime import current_runtime


class OpenIDCode(_OpenIDCode):
    """ID tokens signed with the access tokens' key, but typed `JWT` and addressed to the client, so
    no service ever takes one for an access token (they want `at+jwt` and our audience)."""

    def _key(self):
        runtime = current_runtime()
        with runtime.db.session() as session:
            return signing_key(session, runtime.settings)

    def resolve_client_private_key(self, client):
        return self._key().key

    def get_client_algorithm(self, client) -> str:
        return ALGORITHM

    def get_encode_header(self, client) -> dict:
        return {"alg": ALGORITHM, "typ": "JWT", "kid": self._key().kid}

    def get_client_claims(self, client) -> dict:
        now = int(time.time())
        return {"iss": current_runtime().settings.issuer, "aud": [client.get_client_id()], "iat": now,
                "exp": now + ACCESS_TOKEN_SECONDS}

    def exists_nonce(self, nonce: str, request) -> bool:
        with current_runtime().db.session() as session:
            found = session.scalars(select(AuthorizationCode.code_hash).where(
                AuthorizationCode.client_id == request.payload.client_id, AuthorizationCode.nonce == nonce)).first()
            return found is not None

    def generate_user_info(self, user: Grantee, scope: str) -> UserInfo:
        scopes = set((scope or "").split())
        info = UserInfo(sub=user.subject, tenant=str(user.site_id) if user.site_id else None, roles=list(user.roles))
        with current_runtime().db.session() as session:
            person = session.get(User, user.user_id)
            if person is not None and "email" in scopes:
                info.update(email=person.email, email_verified=True)
            if person is not None and "profile" in scopes:
                info["name"] = person.display_name
        return info
