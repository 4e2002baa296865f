"""The delivery core's errors: one shallow hierarchy under DeliveryError."""

from __future__ import annotations


class DeliveryError(Exception):
    """Root of every error raised by the delivery core."""


class InvalidEndpointUrl(DeliveryError, ValueError):
    """A webhook URL a partner may not register; `reason` says why in one phrase."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RefusedAddress(DeliveryError):
    """An outbound connection to an address the policy forbids was stopped before connecting."""

    def __init__(self, host: str, address: str, category: str) -> None:
        super().__init__(f"{host} resolves to {address} ({category}), which webhooks may not reach")
        self.host = host
        self.address = address
        self.category = category


class SecretUnreadable(DeliveryError):
    """A stored webhook secret could not be decrypted with any configured key."""


class MailContextIncomplete(DeliveryError, KeyError):
    """An e-mail was rendered without a value its template needs."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class UnknownMailKind(DeliveryError, ValueError):
    """An e-mail kind that has no templates."""


class MailSendFailed(DeliveryError):
    """The mail server did not take a message; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent
