"""Sending e-mail to a real SMTP server on loopback (aiosmtpd), and to .eml files."""

from __future__ import annotations

import email
from email import policy
from email.headerregistry import Address

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from altjung.notifications.delivery import (
    FileMailer,
    MailSendFailed,
    SmtpMailer,
    compose_mail,
    render_mail,
)
from altjung.notifications.delivery.mail import message_id_for
from infra.local.stack import free_port

USER, PASSWORD = "notifications", "s3cret-for-tests"
SITE = "Seniorenbüro Köln, Nord"


class Inbox:
    """An aiosmtpd handler that keeps what arrives and refuses one recipient."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("unknown@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _authenticate(server, session, envelope, mechanism, auth_data):
    ok = isinstance(auth_data, LoginPassword) and auth_data == (USER.encode(), PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp_server(tls_material):
    """A real SMTP server on loopback that requires STARTTLS and a login."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port(),
                            tls_context=tls_material.server_context(), require_starttls=True,
                            authenticator=_authenticate, auth_require_tls=True)
    controller.start()
    yield controller, inbox
    controller.stop()


def invitation(idempotency_key: str = "invitation:42", to: str = "neu@example.org"):
    rendered = render_mail("invitation", "de", {"site_name": SITE, "inviter_name": "Erika",
                                                "link": "https://portal.example/i/42"})
    return compose_mail(rendered, to=to, sender="noreply@altjung.example", sender_name=SITE,
                        idempotency_key=idempotency_key, lang="de")


def test_an_invitation_arrives_with_both_parts_and_the_site_as_sender(smtp_server, tls_material):
    controller, inbox = smtp_server
    # Given a mailer speaking STARTTLS with a login to the SMTP server
    mailer = SmtpMailer("127.0.0.1", controller.port, starttls=True, username=USER,
                        password=PASSWORD, ssl_context=tls_material.client_context())
    # When an invitation is sent
    mailer.send(invitation())
    # Then the server received it from our sender address for the invitee
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "noreply@altjung.example"
    assert envelope.rcpt_tos == ["neu@example.org"]
    # And the message shows the site as sender, a German subject, and text and HTML parts
    message = email.message_from_bytes(envelope.content, policy=policy.default)
    assert message["Subject"] == f"Einladung: Mitarbeit bei {SITE} („Alt & Jung“)"
    (sender,) = message["From"].addresses
    assert sender == Address(display_name=SITE, addr_spec="noreply@altjung.example")
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Erika lädt Sie ein" in text and "https://portal.example/i/42" in text
    assert 'href="https://portal.example/i/42"' in html
    assert message["Message-ID"] == message_id_for("invitation:42", domain="altjung.example")
    assert message["Auto-Submitted"] == "auto-generated"


def test_the_message_id_depends_only_on_the_idempotency_key():
    assert invitation("k1")["Message-ID"] == invitation("k1")["Message-ID"]
    assert invitation("k1")["Message-ID"] != invitation("k2")["Message-ID"]


def test_a_wrong_password_is_a_failure_worth_retrying_after_a_fix(smtp_server, tls_material):
    controller, inbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", controller.port, starttls=True, username=USER,
                        password="wrong", ssl_context=tls_material.client_context())
    with pytest.raises(MailSendFailed) as failed:
        mailer.send(invitation())
    assert not failed.value.permanent and inbox.envelopes == []


def test_a_refused_recipient_is_permanent(smtp_server, tls_material):
    controller, inbox = smtp_server
    mailer = SmtpMailer("127.0.0.1", controller.port, starttls=True, username=USER,
                        password=PASSWORD, ssl_context=tls_material.client_context())
    with pytest.raises(MailSendFailed) as failed:
        mailer.send(invitation(to="unknown@example.org"))
    assert failed.value.permanent and inbox.envelopes == []


def test_a_server_that_does_not_answer_is_temporary():
    mailer = SmtpMailer("127.0.0.1", free_port(), starttls=False, timeout=1)
    with pytest.raises(MailSendFailed) as failed:
        mailer.send(invitation())
    assert not failed.value.permanent


def test_credentials_are_never_sent_without_starttls():
    with pytest.raises(ValueError):
        SmtpMailer("127.0.0.1", 25, starttls=False, username=USER, password=PASSWORD)


def test_the_file_mailer_writes_one_eml_per_message(tmp_path):
    # Given the embedded mode's mail directory
    mailer = FileMailer(tmp_path / "var" / "mail")
    # When the same invitation is sent twice and another once
    mailer.send(invitation("k1"))
    mailer.send(invitation("k1"))
    mailer.send(invitation("k2"))
    # Then two .eml files exist, each a complete message
    files = sorted((tmp_path / "var" / "mail").glob("*.eml"))
    assert len(files) == 2
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["From"].addresses[0].display_name == SITE
    assert message.get_body(("html",)) is not None
    assert not list((tmp_path / "var" / "mail").glob("*.tmp"))
