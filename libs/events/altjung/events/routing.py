"""Who consumes which event: one message per subscribing service (fan-out by name)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Subscription:
    """One subscribing service's queue and the actor that receives the envelope."""

    service: str

    @property
    def queue(self) -> str:
        return self.service

    @property
    def actor(self) -> str:
        return f"{self.service}.consume"


_S = Subscription
_FED, _ID, _MAT, _NOT, _TEN = _S("federation"), _S("identity"), _S("matching"), _S("notifications"), _S("tenants")

#: event type -> the services that consume it. A contract test checks each has a handler.
#: tenant.suspended / reactivated / archived go to every service with a worker: the kit keeps each
#: one's site-status table (altjung.kit.site_status) and merges its handler into the service's own.
SUBSCRIPTIONS: dict[str, tuple[Subscription, ...]] = {
    "tenant.created": (_ID, _FED, _MAT, _NOT),
    "tenant.updated": (_FED, _MAT, _NOT),
    "tenant.suspended": (_ID, _MAT, _NOT, _FED, _TEN),
    "tenant.reactivated": (_ID, _MAT, _NOT, _FED, _TEN),
    "tenant.archived": (_ID, _MAT, _NOT, _FED, _TEN),
    "settings.changed": (_ID, _MAT, _NOT, _FED),
    "user.invited": (_NOT,),
    "user.activated": (),
    "user.password_reset_requested": (_NOT,),
    "mentor.registered": (_FED, _NOT),
    "mentor.applied": (_FED, _NOT),
    "mentor.status_changed": (_FED,),
    "mentee.registered": (_FED, _NOT),
    "mentee.applied": (_FED, _NOT),
    "mentee.status_changed": (_FED,),
    "patenschaft.proposed": (_FED,),
    "patenschaft.declined": (_FED,),
    "patenschaft.started": (_FED, _NOT),
    "patenschaft.ended": (_FED, _NOT),
    "checkin.logged": (_FED,),
    "checkin.overdue": (_NOT,),
    "screening.stalled": (),  # notifications may subscribe once it has a handler (staff reminder)
    "person.erased": (_FED, _NOT),
}


def subscribers_of(type_: str) -> tuple[Subscription, ...]:
    """The services that want this event type (none is a valid answer)."""
    return SUBSCRIPTIONS.get(type_, ())
