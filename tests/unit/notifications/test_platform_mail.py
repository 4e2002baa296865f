"""The platform's own e-mail, sent to a real SMTP server on loopback (aiosmtpd) and read back."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading
import uuid
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from altjung.notifications.delivery import SmtpMailer
from altjung.notifications.delivery.mail import message_id_for
from infra.local.stack import free_port
from tests.unit.notifications.conftest import wait_for


class Inbox:
    """aiosmtpd handler: every message the server accepted, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        with self.lock:
            return [m for m in self.messages if address in str(m["To"])]


@pytest.fixture
def inbox(notifier):
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    notifier.mailer = SmtpMailer("127.0.0.1", port, starttls=False)
    yield inbox
    controller.stop()


def _parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    return text, html


def test_an_invitation_is_sent_once_with_the_sites_display_name_even_when_the_event_comes_twice(
        notifier, inbox, emit, site):
    # Given a site whose settings name how it signs its e-mails
    emit("settings.changed", site["id"], tenant_id=site["id"], version=7,
         settings={"display_name": "Seniorenbüro Köln-Mitte", "contact_email": "info@sb-koeln.example"})
    invitation_id = uuid.uuid4()
    notifier.directory.invitations[invitation_id] = {
        "email": "neu@sb-koeln.example", "role": "staff", "site_name": site["name"],
        "accept_url": "https://altundjung.example/identity/invitations/x?token=abc",
        "expires_at": "2026-12-03T10:00:00+00:00"}
    # When identity announces the invitation, and the bus delivers it twice, and once more as a new message
    sent = emit("user.invited", site["id"], invitation_id=invitation_id, tenant_id=site["id"])
    emit("user.invited", site["id"], envelope=sent)
    emit("user.invited", site["id"], invitation_id=invitation_id, tenant_id=site["id"])
    # Then exactly one mail arrives, signed with the site's display name, in German, text and HTML
    wait_for(lambda: inbox.to("neu@sb-koeln.example"))
    notifier.run_once()
    mail = inbox.to("neu@sb-koeln.example")
    assert len(mail) == 1
    message = mail[0]
    assert message["From"].addresses[0].display_name == "Seniorenbüro Köln-Mitte"
    assert str(message["Reply-To"]) == "info@sb-koeln.example"
    assert message["Message-ID"].strip() == message_id_for(f"invitation:{invitation_id}",
                                                           domain="altundjung.example")
    assert message["Content-Language"] == "de"
    text, html = _parts(message)
    assert "https://altundjung.example/identity/invitations/x?token=abc" in text
    assert "token=abc" in html and "<html" in html.lower()
    assert "Einladung" in str(message["Subject"])


def test_a_bas_colleagues_invitation_has_no_site_and_goes_out_as_a_platform_mail(notifier, inbox, emit):
    invitation_id = uuid.uuid4()
    notifier.directory.invitations[invitation_id] = {
        "email": "kollegin@bas.example", "role": "federation_viewer",
        "site_name": "Bundesarbeitsgemeinschaft Seniorenbüros (BaS)",
        "accept_url": "https://altundjung.example/identity/platform-invitations/y?token=def",
        "expires_at": "2026-12-03T10:00:00+00:00"}
    emit("user.invited", None, invitation_id=invitation_id, tenant_id=None)
    message = wait_for(lambda: inbox.to("kollegin@bas.example"))[0]
    assert ("invitation", invitation_id, None) in notifier.directory.calls  # a token without a site
    assert "BaS" in message["From"].addresses[0].display_name


def test_a_password_reset_link_is_mailed_in_the_users_language(notifier, inbox, emit):
    reset_id = uuid.uuid4()
    notifier.directory.resets[reset_id] = {
        "email": "person@site.example", "display_name": "Person", "language": "en",
        "reset_url": "https://altundjung.example/identity/password-reset/z?token=ghi",
        "expires_at": (dt.datetime.now(dt.UTC) + dt.timedelta(hours=1)).isoformat()}
    envelope = emit("user.password_reset_requested", None, reset_id=reset_id, user_id=uuid.uuid4())
    emit("user.password_reset_requested", None, envelope={**envelope, "id": str(uuid.uuid4())})
    message = wait_for(lambda: inbox.to("person@site.example"))[0]
    notifier.run_once()
    assert len(inbox.to("person@site.example")) == 1
    assert message["Content-Language"] == "en"
    assert "Reset your password" in str(message["Subject"])
    assert "token=ghi" in _parts(message)[0]


def test_a_reset_already_used_sends_nothing(notifier, inbox, emit, platform):
    from altjung.notifications.models import PlatformMail

    reset_id = uuid.uuid4()  # the directory does not know it: identity answers 404
    emit("user.password_reset_requested", None, reset_id=reset_id, user_id=uuid.uuid4())
    runtime = platform.runtimes["notifications"]

    def status():
        with runtime.db.session() as session:
            row = session.query(PlatformMail).filter_by(idempotency_key=f"password_reset:{reset_id}").one()
            return row.status if row.status != "pending" else None

    assert wait_for(status) == "dropped"
    assert inbox.messages == []


def test_overdue_check_ins_of_one_period_become_one_reminder_to_each_coordinator(notifier, inbox, emit, site):
    notifier.configure(notifier.config.replace(digest_delay=dt.timedelta(seconds=1)))
    notifier.directory.coordinator_list = [{"email": "k1@site.example", "display_name": "K1"},
                                           {"email": "k2@site.example", "display_name": "K2"}]
    first, second = uuid.uuid4(), uuid.uuid4()
    emit("checkin.overdue", site["id"], patenschaft_id=first, period="2026-06", due_since="2026-06-01")
    emit("checkin.overdue", site["id"], patenschaft_id=second, period="2026-06", due_since="2026-06-03")
    wait_for(lambda: inbox.to("k1@site.example") and inbox.to("k2@site.example"))
    notifier.run_once()
    assert len(inbox.messages) == 2
    for message in inbox.messages:
        text = _parts(message)[0]
        assert str(first) in text and str(second) in text
        assert "2 Tandems" in str(message["Subject"])
    # one Message-ID per recipient, each derived from the key: a resend is recognisable
    assert len({m["Message-ID"] for m in inbox.messages}) == 2


def test_a_suspended_sites_mail_waits_for_reactivation(notifier, inbox, emit, site, api, admin_token, platform):
    assert api.post(f"/tenants/api/v1/partner-sites/{site['id']}/suspension", token=admin_token,
                    json={"reason": "contract_paused"}).status_code == 200
    assert platform.join(timeout=20)
    emit("checkin.overdue", site["id"], patenschaft_id=uuid.uuid4(), period="2026-07", due_since="2026-07-01")
    notifier.run_once()
    assert inbox.messages == []
    version = api.get(f"/tenants/api/v1/partner-sites/{site['id']}", token=admin_token).json()["version"]
    assert api.post(f"/tenants/api/v1/partner-sites/{site['id']}/reactivation", token=admin_token,
                    json={"version": version}).status_code == 200
    wait_for(lambda: inbox.messages, timeout=15)
