"""Transactional e-mail templates in German and English."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from altjung.notifications.delivery import MailContextIncomplete, UnknownMailKind, render_mail
from altjung.notifications.delivery.mail import LANGUAGES, MAIL_KINDS

EXPIRES = datetime(2025, 12, 24, 17, 0, tzinfo=UTC)
CONTEXTS = {
    "invitation": {"site_name": "Seniorenbüro Köln", "inviter_name": "Erika Mustermann",
                   "link": "https://portal.example/invite?t=abc&x=1", "role": "coordinator",
                   "expires_at": EXPIRES},
    "password_reset": {"site_name": "Seniorenbüro Köln", "link": "https://portal.example/reset/xyz",
                       "expires_at": EXPIRES},
    "checkins_overdue": {"site_name": "Seniorenbüro Köln",
                         "tandem_ids": [f"T-{n:03d}" for n in range(25)],
                         "period_start": date(2025, 1, 1), "period_end": date(2025, 3, 31),
                         "link": "https://portal.example/checkins"},
    "endpoint_disabled": {"site_name": "Seniorenbüro Köln",
                          "endpoint_url": "https://hooks.partner.example/in", "reason": "gone",
                          "disabled_at": EXPIRES},
}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", sorted(MAIL_KINDS))
def test_every_kind_renders_in_every_language(kind, lang):
    # Given the context a caller passes for this kind
    # When the e-mail is rendered
    subject, text, html = render_mail(kind, lang, CONTEXTS[kind])
    # Then all three parts are there, the subject is one line, and the HTML is a document
    assert subject and "\n" not in subject
    assert "Seniorenbüro Köln" in text and text.endswith("\n")
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in html


def test_german_is_the_default_and_the_fallback():
    german = render_mail("password_reset", None, CONTEXTS["password_reset"])
    assert german.subject.startswith("Passwort zurücksetzen")
    assert render_mail("password_reset", "fr", CONTEXTS["password_reset"]) == german
    assert render_mail("password_reset", "en-GB", CONTEXTS["password_reset"]).subject.startswith(
        "Reset your password")


def test_the_invitation_names_inviter_site_link_and_expiry_in_local_time():
    subject, text, html = render_mail("invitation", "de", CONTEXTS["invitation"])
    assert "Seniorenbüro Köln" in subject
    assert "Erika Mustermann lädt Sie ein" in text
    assert "https://portal.example/invite?t=abc&x=1" in text
    assert "24.12.2025, 18:00 Uhr" in text  # 17:00 UTC is 18:00 in Berlin
    assert 'href="https://portal.example/invite?t=abc&amp;x=1"' in html


def test_overdue_check_ins_count_list_and_period():
    subject, text, _ = render_mail("checkins_overdue", "de", CONTEXTS["checkins_overdue"])
    assert subject.startswith("25 Tandems ohne Check-in (01.01.2025 – 31.03.2025)")
    assert "- T-000" in text and "- T-019" in text and "T-020" not in text
    assert "… und 5 weitere" in text
    one = render_mail("checkins_overdue", "en", {**CONTEXTS["checkins_overdue"], "tandem_ids": ["T-1"]})
    assert one.subject.startswith("1 Tandem without a check-in") and "has no check-in" in one.text


def test_the_disabled_endpoint_warning_explains_the_reason():
    _, text, _ = render_mail("endpoint_disabled", "en", CONTEXTS["endpoint_disabled"])
    assert "https://hooks.partner.example/in" in text and "410 Gone" in text


def test_html_escapes_what_callers_pass_and_text_does_not():
    context = {**CONTEXTS["invitation"], "inviter_name": "<script>alert(1)</script> & Co"}
    _, text, html = render_mail("invitation", "en", context)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<script>alert(1)</script> & Co invites you" in text


def test_a_missing_value_or_unknown_kind_fails_loudly():
    with pytest.raises(MailContextIncomplete, match="link"):
        render_mail("invitation", "de", {"site_name": "S", "inviter_name": "I"})
    with pytest.raises(UnknownMailKind):
        render_mail("newsletter", "de", {})
    with pytest.raises(ValueError):
        render_mail("password_reset", "de", {"link": "x", "expires_at": datetime(2025, 1, 1)})
