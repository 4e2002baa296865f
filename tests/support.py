"""Helpers every test tier shares."""

from __future__ import annotations

import email
import email.policy
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path

import requests


def eventually(check: Callable[[], object], *, timeout: float = 30.0, interval: float = 0.1) -> object:
    """Poll ``check`` until it returns something truthy and return that; fail with its last answer.

    For effects that travel by event or by a scheduler: they happen within seconds, not at once.
    """
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (requests.RequestException, AssertionError) as err:
            last = err
        if last and not isinstance(last, Exception):
            return last
        time.sleep(interval)
    raise AssertionError(f"not true after {timeout}s: {last!r}")


def mails_to(directory: Path, address: str) -> list[EmailMessage]:
    """The .eml files the platform wrote to ``directory`` (embedded or stack mail) for one address."""
    found = []
    for path in Path(directory).glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found
