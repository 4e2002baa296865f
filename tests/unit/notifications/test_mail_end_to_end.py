"""The platform's e-mail with the real services: identity's events through the bus, address and link
fetched from identity with notifications' service token, written as .eml files (embedded mode)."""

from __future__ import annotations

import email
import email.policy
import uuid

from tests.unit.notifications.conftest import wait_for


def mails_to(platform, address: str) -> list:
    found = []
    for path in (platform.var_dir / "mail").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if str(message["To"]) == address:
            found.append(message)
    return found


def test_a_new_sites_first_coordinator_gets_an_invitation_signed_with_the_sites_name(make_site, platform):
    site = make_site(name="Freiwilligenagentur Halle")
    message = wait_for(lambda: mails_to(platform, f"koordination@{site['slug']}.example"), timeout=20)[0]
    assert message["From"].addresses[0].display_name == "Freiwilligenagentur Halle"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "/invitations/" in text and "token=" in text


def test_a_password_reset_request_at_identity_mails_the_link(platform):
    from altjung.identity import resets
    from altjung.identity.models import User

    identity = platform.runtimes["identity"]
    address = f"reset-{uuid.uuid4().hex[:8]}@site.example"
    with identity.db.session() as session:
        session.add(User(id=uuid.uuid4(), email=address, display_name="Person", active=True))
        session.commit()
    reset_id = resets.request_reset(identity, address)
    assert reset_id is not None
    message = wait_for(lambda: mails_to(platform, address), timeout=20)[0]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert f"/password-reset/{reset_id}?token=" in text
    assert message["Date"] and message["Message-ID"]
