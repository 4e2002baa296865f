"""argon2id hashing parameters and the policy for new passwords."""

from __future__ import annotations

import pytest

from altjung.identity.security.errors import PasswordRejected
from altjung.identity.security.passwords import (
    OWASP_MIN_MEMORY_COST_KIB,
    OWASP_MIN_TIME_COST,
    PasswordHashing,
    check_password,
    password_violations,
)


def codes(password: str, **kwargs) -> list[str]:
    return [v.code for v in password_violations(password, **kwargs)]


def test_default_parameters_meet_the_owasp_minimum():
    # Given the hashing as the service builds it
    hashing = PasswordHashing()
    # When it hashes a password
    stored = hashing.hash("eine lange Passphrase")
    # Then it is argon2id with at least OWASP's memory and passes
    assert stored.startswith("$argon2id$v=19$")
    params = dict(pair.split("=") for pair in stored.split("$")[3].split(","))
    assert int(params["m"]) >= OWASP_MIN_MEMORY_COST_KIB == 19456
    assert int(params["t"]) >= OWASP_MIN_TIME_COST == 2
    assert int(params["p"]) >= 1
    assert hashing.verify(stored, "eine lange Passphrase")


def test_verify_and_rehash(fast_hashing):
    # Given a hash made with weaker parameters than today's
    stored = fast_hashing.hash("Tandem-Nachmittag im Park")
    # Then it verifies, a wrong password does not, and today's hashing wants a rehash
    assert fast_hashing.verify(stored, "Tandem-Nachmittag im Park")
    assert not fast_hashing.verify(stored, "Tandem-Nachmittag im park")
    assert not fast_hashing.verify("not a hash", "x")
    assert PasswordHashing().needs_rehash(stored)
    assert not fast_hashing.needs_rehash(stored)


def test_unicode_forms_of_the_same_password_match(fast_hashing):
    composed, decomposed = "Grüße aus Köln 2025", "Gru\u0308ße aus Ko\u0308ln 2025"
    assert fast_hashing.verify(fast_hashing.hash(composed), decomposed)


def test_an_unknown_account_costs_a_verification_too(fast_hashing):
    # Given no stored hash (no such account); Then the dummy verification answers no
    assert fast_hashing.verify_or_dummy(None, "irgendein Passwort") is False
    assert fast_hashing.verify_or_dummy(fast_hashing.hash("richtig gut!"), "richtig gut!") is True


def test_a_good_passphrase_is_accepted():
    assert codes("mein-hund-heisst-bello", email="anna.schmidt@example.org") == []
    check_password("Kx9#mPq2vL7!wQ")


@pytest.mark.parametrize(("password", "code"), [
    ("Kx9#mPq2vL7", "too_short"),
    ("x" * 257, "too_long"),
    ("LeaveMeAlone", "common"),
    ("Password1234", "common"),
    ("123456789012", "too_guessable"),
    ("qwertyuiopasdf", "too_guessable"),
])
def test_weak_passwords_are_refused(password, code):
    assert code in codes(password)


def test_a_password_containing_the_email_local_part_is_refused():
    # Given the e-mail anna.schmidt@example.org
    # When the password contains its local part
    # Then it is refused for that reason
    assert "contains_email" in codes("XyAnna.Schmidt#42!", email="anna.schmidt@example.org")


def test_errors_speak_german_and_english():
    # Given a short password; When checked
    with pytest.raises(PasswordRejected) as caught:
        check_password("kurz")
    # Then every violation says why in both languages
    (violation,) = caught.value.violations
    assert violation.code == "too_short"
    assert "mindestens 12 Zeichen" in violation.de and "at least 12 characters" in violation.en
