"""The append-only audit log: logins, failures, MFA, roles, memberships, clients."""

from __future__ import annotations

import uuid
from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from altjung.identity.models import AuditEvent


def client_address() -> str | None:
    """The caller's address as the WSGI server (or a trusted proxy fix in front of it) reports it."""
    return request.remote_addr if has_request_context() else None


def audit(session: Session, action: str, *, actor: str | uuid.UUID | None = None,
          site_id: uuid.UUID | str | None = None, target: str | uuid.UUID | None = None,
          **detail: Any) -> None:
    """Add one entry; it is written with the session's transaction."""
    site = uuid.UUID(str(site_id)) if site_id else None
    session.add(AuditEvent(action=action, actor=str(actor) if actor else None, site_id=site,
                           address=client_address(), target=str(target) if target else None,
                           detail={k: v for k, v in detail.items() if v is not None}))
