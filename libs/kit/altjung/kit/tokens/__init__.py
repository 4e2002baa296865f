"""Access-token verification shared by every service: the RFC 9068 verifier, JWKS and access status."""

from altjung.kit.tokens.jwks import CachingJwksProvider, JwksProvider, StaticJwksProvider
from altjung.kit.tokens.status import AccessStatus, CachingAccessStatus, StatusUnavailable
from altjung.kit.tokens.verify import ALGORITHM, InvalidToken, VerifiedToken, verify_access_token

__all__ = ["ALGORITHM", "AccessStatus", "CachingAccessStatus", "CachingJwksProvider", "InvalidToken",
           "JwksProvider", "StaticJwksProvider", "StatusUnavailable", "VerifiedToken", "verify_access_token"]
