"""The JWKS providers live in the kit now; re-exported for identity's code."""

from altjung.kit.tokens.jwks import *  # noqa: F403
from altjung.kit.tokens.jwks import (  # noqa: F401
    DEFAULT_JWKS_TTL,
    DEFAULT_MAX_STALE,
    DEFAULT_MIN_REFETCH_INTERVAL,
    CachingJwksProvider,
    JwksProvider,
    StaticJwksProvider,
)
