"""One webhook delivery attempt: serialise, sign, POST once, classify what happened."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

import requests
from urllib3.exceptions import HTTPError as Urllib3Error

from altjung.notifications.delivery.errors import InvalidEndpointUrl, RefusedAddress
from altjung.notifications.delivery.webhooks.addresses import AddressPolicy
from altjung.notifications.delivery.webhooks.secret_ring import SecretRing
from altjung.notifications.delivery.webhooks.signing import (
    serialise_envelope,
    webhook_headers,
)
from altjung.notifications.delivery.webhooks.transport import GuardedAdapter
from altjung.notifications.delivery.webhooks.urls import check_url_shape

#: Bytes of the response body kept for the delivery log.
DEFAULT_KEEP_BYTES = 512
#: Bytes of the response body read at most; the connection is dropped after that.
DEFAULT_READ_LIMIT = 64 * 1024
_CHUNK = 8192


class ErrorKind(StrEnum):
    """Why an attempt did not succeed."""

    NETWORK = "network"
    TIMEOUT = "timeout"
    REDIRECT = "redirect"
    HTTP_STATUS = "http_status"
    REFUSED_ADDRESS = "refused_address"


@dataclass(frozen=True, kw_only=True)
class Timeouts:
    """Seconds to connect, to wait for each read, and for the body in all."""

    connect: float = 5.0
    read: float = 10.0
    body: float = 10.0


DEFAULT_TIMEOUTS = Timeouts()


@dataclass(frozen=True, kw_only=True)
class AttemptResult:
    """What one attempt to deliver a webhook came to."""

    attempted_at: datetime
    status_code: int | None
    latency_ms: float
    response_head: bytes = b""
    response_truncated: bool = False
    error_kind: ErrorKind | None = None
    error_detail: str | None = None

    @property
    def succeeded(self) -> bool:
        """The endpoint answered 2xx."""
        return self.status_code is not None and 200 <= self.status_code < 300

    @property
    def gone(self) -> bool:
        """The endpoint answered 410 Gone: disable it rather than retry."""
        return self.status_code == 410

    @property
    def should_retry(self) -> bool:
        """Neither success nor 410: try again on the schedule."""
        return not self.succeeded and not self.gone


def _read_head(response: requests.Response, *, keep: int, limit: int,
               deadline: float) -> tuple[bytes, bool]:
    """The first `keep` body bytes and whether reading stopped before the end."""
    kept = bytearray()
    received = 0
    try:
        while received < limit and time.monotonic() < deadline:
            chunk = response.raw.read(min(_CHUNK, limit - received), decode_content=False)
            if not chunk:
                response.raw.release_conn()  # whole body read: the connection goes back to the pool
                return bytes(kept), False
            received += len(chunk)
            if len(kept) < keep:
                kept += chunk[: keep - len(kept)]
    except (Urllib3Error, OSError):
        pass
    response.close()  # body left unread: drop the connection
    return bytes(kept), True


def _classify(status: int) -> ErrorKind | None:
    if 200 <= status < 300:
        return None
    return ErrorKind.REDIRECT if 300 <= status < 400 else ErrorKind.HTTP_STATUS


def _guarded_adapter(session: requests.Session, url: str, policy: AddressPolicy) -> GuardedAdapter:
    adapter = session.get_adapter(url)
    if not isinstance(adapter, GuardedAdapter) or adapter.policy != policy:
        raise ValueError("deliver() needs a session from make_session() with the same policy")
    return adapter


def deliver(endpoint_url: str, envelope: Mapping[str, Any], delivery_id: UUID | str,
            secrets: SecretRing | Sequence[str], *, session: requests.Session,
            policy: AddressPolicy, timeouts: Timeouts = DEFAULT_TIMEOUTS,
            now: datetime | None = None, keep_bytes: int = DEFAULT_KEEP_BYTES,
            read_limit: int = DEFAULT_READ_LIMIT) -> AttemptResult:
    """POST the envelope to the endpoint once, signed, and report the outcome; never retries."""
    attempted_at = now or datetime.now(UTC)
    started = time.perf_counter()

    def result(status: int | None, kind: ErrorKind | None, detail: str | None = None,
               head: bytes = b"", truncated: bool = False) -> AttemptResult:
        return AttemptResult(attempted_at=attempted_at, status_code=status,
                             latency_ms=(time.perf_counter() - started) * 1000,
                             response_head=head, response_truncated=truncated,
                             error_kind=kind, error_detail=detail)

    try:
        check_url_shape(endpoint_url, allow_http=policy.allow_loopback)
    except InvalidEndpointUrl as exc:
        return result(None, ErrorKind.REFUSED_ADDRESS, exc.reason)
    adapter = _guarded_adapter(session, endpoint_url, policy)
    keys = secrets.valid_at(attempted_at) if isinstance(secrets, SecretRing) else secrets
    body = serialise_envelope(envelope)
    headers = webhook_headers(str(delivery_id), attempted_at, body, keys)
    headers["accept-encoding"] = "identity"  # the read limit counts bytes on the wire
    try:
        request = session.prepare_request(
            requests.Request("POST", endpoint_url, data=body.encode("utf-8"), headers=headers))
        # The adapter directly, not session.send: even with allow_redirects=False requests
        # reads a 3xx body in full (unbounded), and it would keep endpoints' cookies.
        response = adapter.send(request, stream=True, timeout=(timeouts.connect, timeouts.read),
                                verify=session.verify, cert=session.cert, proxies={})
    except RefusedAddress as exc:
        return result(None, ErrorKind.REFUSED_ADDRESS, str(exc))
    except requests.exceptions.Timeout as exc:
        return result(None, ErrorKind.TIMEOUT, type(exc).__name__)
    except (requests.exceptions.RequestException, Urllib3Error, OSError) as exc:
        return result(None, ErrorKind.NETWORK, f"{type(exc).__name__}: {exc}"[:300])
    head, truncated = _read_head(response, keep=keep_bytes, limit=read_limit,
                                 deadline=time.monotonic() + timeouts.body)
    kind = _classify(response.status_code)
    detail = None if kind is None else f"HTTP {response.status_code}"
    return result(response.status_code, kind, detail, head, truncated)
