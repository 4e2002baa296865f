"""The per-process delivery engine: HTTP session, mailer, service clients, and the scheduler loop.

The loop runs in the worker process (a Dramatiq middleware starts it) and, embedded, in the one
process (the app factory starts it). It takes due jobs from the durable schedule with a lease,
works them on a small thread pool and sleeps until the next is due or a handler wakes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from sqlalchemy import event
from sqlalchemy.orm import Session

from altjung.kit.bus.models import utcnow
from altjung.notifications import deliveries, mails, schedule
from altjung.notifications.config import NotificationsConfig, load_config
from altjung.notifications.delivery import FileMailer, Mailer, SmtpMailer, make_session
from altjung.notifications.delivery.webhooks import Resolver, system_resolve
from altjung.notifications.directory import Directory

if TYPE_CHECKING:
    from altjung.kit.runtime import Runtime

log = logging.getLogger("altjung.notifications.scheduler")

_NOTIFIERS: dict[int, Notifier] = {}
_LOCK = threading.Lock()


def mailer_for(mail_url: str, *, starttls: bool) -> Mailer:
    """"file:///dir" (embedded: .eml files) or "smtp://host:port"."""
    url = urlparse(mail_url)
    if url.scheme == "file":
        return FileMailer(Path(url.netloc + url.path))
    if url.scheme == "smtp":
        return SmtpMailer(url.hostname or "127.0.0.1", url.port or 25, starttls=starttls,
                          username=url.username, password=url.password)
    raise ValueError(f"unsupported mail URL {mail_url!r}")


class Notifier:
    """Everything that sends, for one service runtime in one process."""

    def __init__(self, runtime: Runtime, config: NotificationsConfig, *, resolve: Resolver = system_resolve,
                 directory: Directory | None = None, mailer: Mailer | None = None) -> None:
        self.runtime, self.db = runtime, runtime.db
        self.resolve = resolve
        self.directory = directory or Directory(runtime.settings)
        self.mailer = mailer or mailer_for(config.mail_url, starttls=config.smtp_starttls)
        self.configure(config)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._pool: ThreadPoolExecutor | None = None

    def configure(self, config: NotificationsConfig) -> None:
        """Use another configuration from now on (tests: a fast retry schedule, another policy)."""
        self.config = config
        self.http = make_session(policy=config.policy, resolve=self.resolve,
                                 pool_maxsize=max(config.threads, 10))

    # --- the loop ---------------------------------------------------------------------------------
    def start(self) -> Notifier:
        if self._thread is None or not self._thread.is_alive():
            self._stop.clear()
            self._pool = ThreadPoolExecutor(self.config.threads, thread_name_prefix="notifications-job")
            self._thread = threading.Thread(target=self._loop, name="notifications-scheduler", daemon=True)
            self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._thread = self._pool = None

    def wake(self) -> None:
        self._wake.set()

    def wake_after_commit(self, session: Session) -> None:
        """Look at the schedule as soon as this transaction has committed (a handler queued work)."""
        event.listen(session, "after_commit", lambda _s: self.wake(), once=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_once()
            except Exception:
                log.exception("scheduler pass failed")
                worked = 0
            if worked:
                continue
            self._wake.wait(self._sleep_seconds())
            self._wake.clear()

    def _sleep_seconds(self) -> float:
        try:
            due = schedule.next_due(self.db)
        except Exception:  # noqa: BLE001
            return self.config.poll_seconds
        if due is None:
            return self.config.poll_seconds
        return max(0.0, min(self.config.poll_seconds, (due - utcnow()).total_seconds()))

    def run_once(self, *, now: dt.datetime | None = None) -> int:
        """Work every job due now (at most one batch); returns how many were taken."""
        jobs = schedule.take(self.db, limit=self.config.batch, lease=self.config.lease, now=now)
        if not jobs:
            return 0
        if self._pool is None or len(jobs) == 1:
            for job in jobs:
                self._work(job)
        else:
            list(self._pool.map(self._work, jobs))
        return len(jobs)

    def _work(self, job: schedule.Due) -> None:
        try:
            if job.kind == "delivery":
                deliveries.attempt(self, job.ref_id, job.site_id)
            else:
                mails.send(self, job.kind, job.ref_id, job.site_id)
        except Exception:
            log.exception("job %s %s failed", job.kind, job.ref_id)


def notifier_for(runtime: Runtime, *, start: bool = False) -> Notifier:
    """The process's notifier of a runtime (created on first use)."""
    with _LOCK:
        notifier = _NOTIFIERS.get(id(runtime))
        if notifier is None or notifier.runtime is not runtime:
            notifier = _NOTIFIERS[id(runtime)] = Notifier(runtime, load_config(runtime.settings))
    if start:
        notifier.start()
    return notifier
