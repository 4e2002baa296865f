"""Standard Webhooks delivery: secrets, signing, outbound address safety and one attempt."""

from __future__ import annotations

from altjung.notifications.delivery.webhooks.addresses import (
    AddressPolicy,
    Resolver,
    classify,
    system_resolve,
)
from altjung.notifications.delivery.webhooks.attempt import (
    DEFAULT_TIMEOUTS,
    AttemptResult,
    ErrorKind,
    Timeouts,
    deliver,
)
from altjung.notifications.delivery.webhooks.secret_ring import (
    SecretRing,
    decrypt_secret,
    encrypt_secret,
    generate_encryption_key,
    generate_secret,
    reencrypt_secret,
)
from altjung.notifications.delivery.webhooks.signing import (
    serialise_envelope,
    sign,
    webhook_headers,
)
from altjung.notifications.delivery.webhooks.transport import (
    GuardedAdapter,
    make_session,
)
from altjung.notifications.delivery.webhooks.urls import check_url_shape, validate_url

__all__ = [
    "DEFAULT_TIMEOUTS",
    "AddressPolicy",
    "AttemptResult",
    "ErrorKind",
    "GuardedAdapter",
    "Resolver",
    "SecretRing",
    "Timeouts",
    "check_url_shape",
    "classify",
    "decrypt_secret",
    "deliver",
    "encrypt_secret",
    "generate_encryption_key",
    "generate_secret",
    "make_session",
    "reencrypt_secret",
    "serialise_envelope",
    "sign",
    "system_resolve",
    "validate_url",
    "webhook_headers",
]
