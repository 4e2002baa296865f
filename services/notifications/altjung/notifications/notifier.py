"""The per-process delivery engine: HTTP session, mailer, service clients, and the scheduler loop.

The loop runs in the worker process (a Dramatiq middleware starts it) and, embedded, in the one
process (the app factory starts it). It takes due jobs from the durable schedule with a lease,
works them on a small thread pool and sleeps until the next is due or a handler wakes it.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlparse
from uuid import UUID

from sqlalchemy import event
from sqlalchemy.orm import Session

from altjung.kit import site_status
from altjung.kit.bus.models import utcnow
from altjung.notifications import attempts, mails, schedule
from altjung.notifications.config import NotificationsConfig, load_config
from altjung.notifications.delivery import FileMailer, Mailer, SmtpMailer, make_session
from altjung.notifications.delivery.webhooks import Resolver, system_resolve
from altjung.notifications.directory import Directory

if TYPE_CHECKING:
    from altjung.kit.runtime import Runtime

log = logging.getLogger("altjung.notifications.scheduler")
T, R = TypeVar("T"), TypeVar("R")

#: Seconds an "active" site status is reused by the scheduler.
STATUS_TTL = 1.0
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
        self._statuses: dict[UUID, float] = {}  # site -> when it was last seen active
        self.configure(config)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._pool: ThreadPoolExecutor | None = None

    def configure(self, config: NotificationsConfig) -> None:
        """Use another configuration from now on (tests: a fast retry schedule, another policy)."""
        self.config = config
        self.http = make_session(policy=config.policy, resolve=self.resolve,
                                 pool_maxsize=max(config.threads, 10))

    # --- the loop ---------------------------------------------------------------------------------
    def start(self) -> Notifier:
        """Start the loops (two by default: one works the database while the other's POSTs are out)."""
        if not any(thread.is_alive() for thread in self._threads):
            self._stop.clear()
            self._pool = ThreadPoolExecutor(self.config.threads, thread_name_prefix="notifications-job")
            self._threads = [threading.Thread(target=self._loop, name=f"notifications-scheduler-{n}", daemon=True)
                             for n in range(self.config.loops)]
            for thread in self._threads:
                thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join(timeout)
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._threads, self._pool = [], None

    def site_active(self, session: Session, site_id: UUID) -> bool:
        """Whether to act for the site now. "Active" is remembered for a second (one query per site and
        second, not per delivery); a status event received here forgets it at once (forget_status)."""
        seen = self._statuses.get(site_id)
        if seen is not None and time.monotonic() - seen < STATUS_TTL:
            return True
        active = site_status.is_active(session, site_id)
        if active:
            self._statuses[site_id] = time.monotonic()
        return active

    def forget_status(self, session: Session, site_id: UUID) -> None:
        """A site's status changes with this transaction: ask the database again after it commits."""
        self._statuses.pop(site_id, None)
        event.listen(session, "after_commit", lambda _s: self._statuses.pop(site_id, None), once=True)

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
        with schedule.LeaseKeeper(self.db, [job.id for job in jobs], lease=self.config.lease):
            mail_jobs = [job for job in jobs if job.kind != "delivery"]
            if mail_jobs:
                self.map(self._send_mail, mail_jobs)
            hooks = [(job.site_id, job.ref_id) for job in jobs if job.kind == "delivery"]
            if hooks:
                try:
                    attempts.work(self, hooks)
                except Exception:  # the leases bring the jobs back later
                    log.exception("webhook batch failed")
        return len(jobs)

    def map(self, fn: Callable[[T], R], items: list[T]) -> list[R]:
        """``fn`` over ``items`` on the job threads (in this thread when there is no pool)."""
        if self._pool is None or len(items) <= 1:
            return [fn(item) for item in items]
        return list(self._pool.map(fn, items))

    def _send_mail(self, job: schedule.Due) -> None:
        try:
            mails.send(self, job.kind, job.ref_id, job.site_id)
        except Exception:
            log.exception("mail job %s failed", job.ref_id)


def notifier_for(runtime: Runtime, *, start: bool = False) -> Notifier:
    """The process's notifier of a runtime (created on first use)."""
    with _LOCK:
        notifier = _NOTIFIERS.get(id(runtime))
        if notifier is None or notifier.runtime is not runtime:
            notifier = _NOTIFIERS[id(runtime)] = Notifier(runtime, load_config(runtime.settings))
    if start:
        notifier.start()
    return notifier
