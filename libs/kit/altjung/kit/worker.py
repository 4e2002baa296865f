"""Worker entry points: attach a service's consumer to the broker and run its outbox relay."""

from __future__ import annotations

from collections.abc import Mapping

from dramatiq import Broker, Middleware

from altjung.kit.bus.consume import Handler
from altjung.kit.logs import configure_logging
from altjung.kit.runtime import Runtime, runtime_for
from altjung.kit.settings import Settings


class RelayMiddleware(Middleware):
    """Starts the service's outbox relay when a worker process boots, stops it on shutdown."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def after_worker_boot(self, broker, worker):
        self.runtime.relay.start()

    def before_worker_shutdown(self, broker, worker):
        self.runtime.relay.stop()


def boot(service: str, handlers: Mapping[str, Handler], settings: Settings | None = None) -> Broker:
    """For ``dramatiq altjung.<service>.worker``: the broker with this service's actor and relay."""
    configure_logging()
    runtime = runtime_for(settings or Settings.from_env(service))
    runtime.attach_consumer(handlers)
    runtime.broker.add_middleware(RelayMiddleware(runtime))
    return runtime.broker
