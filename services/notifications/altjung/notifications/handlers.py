"""notifications' reactions to events."""

from __future__ import annotations

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from altjung.events import Envelope
from altjung.kit.bus.consume import active_runtime
from altjung.kit.service_client import ServiceClient
from altjung.notifications import mail
from altjung.notifications.models import SentMail

_CLIENTS: dict[str, ServiceClient] = {}
_LOCK = threading.Lock()


def _identity_client() -> ServiceClient:
    runtime = active_runtime()
    with _LOCK:
        client = _CLIENTS.get("identity")
        if client is None:
            client = _CLIENTS["identity"] = ServiceClient(runtime.settings, scope="invitations:deliver")
        return client


def when_user_invited_send_invitation(envelope: Envelope, session: Session) -> None:
    event = envelope.event()
    key = f"invitation:{event.invitation_id}"
    if session.scalars(select(SentMail).where(SentMail.idempotency_key == key)).first() is not None:
        return
    response = _identity_client().request("POST", "identity", f"/api/v1/invitations/{event.invitation_id}/delivery",
                                          tenant_id=envelope.tenant_id)
    if response.status_code == 404:
        return  # accepted or withdrawn meanwhile: nothing to send
    response.raise_for_status()
    data = response.json()
    subject = f"Einladung zu Alt & Jung – {data['site_name']} / Invitation"
    text = (f"Guten Tag,\n\nSie wurden als {data['role']} für den Partnerstandort {data['site_name']} "
            f"eingeladen.\nBitte legen Sie Ihr Passwort hier fest (gültig bis {data['expires_at']}):\n"
            f"{data['accept_url']}\n\n--\nYou have been invited to {data['site_name']}: {data['accept_url']}\n")
    message = mail.build_message(to=data["email"], subject=subject, text=text, html=None,
                                 sender_name=f"Alt & Jung – {data['site_name']}", key=key)
    mail.send(active_runtime().settings, message, key=key)
    session.add(SentMail(idempotency_key=key, kind="invitation", recipient=data["email"], subject=subject))


def _acknowledge(envelope: Envelope, session: Session) -> None:
    """Webhook deliveries for these arrive with the notifications issue."""


HANDLERS = {
    "user.invited": when_user_invited_send_invitation,
    **{t: _acknowledge for t in (
        "tenant.created", "tenant.updated", "tenant.suspended", "tenant.reactivated", "tenant.archived",
        "settings.changed", "mentor.registered", "mentor.applied", "mentee.registered", "mentee.applied",
        "patenschaft.started", "patenschaft.ended", "checkin.overdue", "person.erased")},
}
