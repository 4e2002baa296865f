"""federation's projections: every event it receives is stored and folded into the read model."""

from __future__ import annotations

from altjung.events import SUBSCRIPTIONS
from altjung.federation.readmodel import when_any_event_store_and_project

#: One handler for every type routed to federation: the read model's rules live in the domain.
HANDLERS = {type_: when_any_event_store_and_project for type_, subs in SUBSCRIPTIONS.items()
            if any(sub.service == "federation" for sub in subs)}
