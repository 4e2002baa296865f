"""The token verifier lives in the kit now (every service uses it); re-exported for identity's code."""

from altjung.kit.tokens.verify import *  # noqa: F403
from altjung.kit.tokens.verify import __all__  # noqa: F401
