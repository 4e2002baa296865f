"""TOTP codes that work once, and recovery codes that can be spent once."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlparse

import pyotp
import pytest

from altjung.identity.security.errors import CodeRejected
from altjung.identity.security.totp import (
    consume_recovery_code,
    generate_recovery_codes,
    new_totp_secret,
    provisioning_uri,
    time_step,
    verify_totp,
)

from .support import NOW

PEPPER = b"p" * 32


def code_at(secret: str, when) -> str:
    return pyotp.TOTP(secret).at(when)


def test_the_provisioning_uri_names_our_issuer():
    # Given a new secret; When enrolling the app
    secret = new_totp_secret()
    uri = provisioning_uri(secret, account_name="anna@example.org")
    # Then the URI carries issuer, secret and the standard parameters
    parsed = urlparse(uri)
    query = parse_qs(parsed.query)
    assert parsed.scheme == "otpauth" and parsed.netloc == "totp"
    assert unquote(parsed.path) == "/Alt & Jung:anna@example.org"
    assert query["issuer"] == ["Alt & Jung"] and query["secret"] == [secret]
    assert len(secret) == 32


def test_a_code_is_usable_once():
    # Given a fresh code
    secret = new_totp_secret()
    code = code_at(secret, NOW)
    # When it is used
    step = verify_totp(secret, code, last_used_step=None, now=NOW)
    assert step == time_step(NOW)
    # Then the same code is refused a second later
    with pytest.raises(CodeRejected):
        verify_totp(secret, code, last_used_step=step, now=NOW + timedelta(seconds=1))


def test_the_previous_step_is_accepted_for_drift_but_not_after_a_newer_one():
    # Given the code of the previous step and of the current step
    secret = new_totp_secret()
    previous, current = code_at(secret, NOW - timedelta(seconds=30)), code_at(secret, NOW)
    # When the current code was used first
    step = verify_totp(secret, current, last_used_step=None, now=NOW)
    # Then the older code is refused, though it lies within the window
    with pytest.raises(CodeRejected):
        verify_totp(secret, previous, last_used_step=step, now=NOW)
    # But on its own it would have been accepted
    assert verify_totp(secret, previous, last_used_step=None, now=NOW) == step - 1


def test_a_code_two_steps_away_is_refused():
    secret = new_totp_secret()
    with pytest.raises(CodeRejected):
        verify_totp(secret, code_at(secret, NOW - timedelta(seconds=61)), last_used_step=None, now=NOW)


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_are_refused(code):
    with pytest.raises(CodeRejected):
        verify_totp(new_totp_secret(), code, last_used_step=None, now=NOW)


def test_recovery_codes_are_readable_and_stored_only_as_hashes():
    # When ten codes are generated
    codes, hashes = generate_recovery_codes(pepper=PEPPER)
    # Then they are distinct groups of four, and no hash contains its code
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[2-9a-z]{4}-[2-9a-z]{4}-[2-9a-z]{4}", code) for code in codes)
    assert all(code.replace("-", "") not in h for code, h in zip(codes, hashes, strict=True))


def test_a_recovery_code_can_be_spent_once():
    # Given stored recovery code hashes
    codes, hashes = generate_recovery_codes(pepper=PEPPER)
    # When one code is used, typed in upper case with spaces
    remaining = consume_recovery_code(codes[3].upper().replace("-", " "), hashes, pepper=PEPPER)
    # Then nine remain, and the same code is refused next time
    assert len(remaining) == 9
    with pytest.raises(CodeRejected):
        consume_recovery_code(codes[3], remaining, pepper=PEPPER)
    # And another pepper matches nothing
    with pytest.raises(CodeRejected):
        consume_recovery_code(codes[4], remaining, pepper=b"q" * 32)


def test_a_short_pepper_is_refused():
    with pytest.raises(ValueError):
        generate_recovery_codes(pepper=b"short")
