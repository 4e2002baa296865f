"""Suggestions and batch proposals for one partner site, from cached engine indexes.

An index is built per site and kind, and rebuilt when the day changes (certificates and minority
depend on it) or the pool changes (its size or its newest update): a fingerprint query per request.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from altjung.kit.problems import Conflict
from altjung.kit.tenancy import current_tenant_id
from altjung.matching.common import get_or_404, site_settings, today
from altjung.matching.domain import (
    BatchProposal,
    MenteeIndex,
    MentorIndex,
    Suggestions,
    Weights,
    propose_batch,
    suggest_mentees,
    suggest_mentors,
)
from altjung.matching.models import Mentee, Mentor, PoliceCertificate
from altjung.matching.profiles import mentee_profile, mentor_profile, no_location, weights_of

#: Sites whose indexes a process keeps.
DEFAULT_CACHED_SITES = 64
#: Mentors in a site's pool: not left, not erased, with a location (the engine explains the rest).
MENTOR_POOL = ("applicant", "screened", "active", "paused")
#: Mentees in a site's pool for a mentor's suggestions.
MENTEE_POOL = ("applicant", "waiting", "paused")


class _Cache:
    def __init__(self, size: int = DEFAULT_CACHED_SITES) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, UUID], tuple[Any, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, UUID], stamp: Any) -> Any:
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and hit[0] == stamp:
                self._items.move_to_end(key)
                return hit[1]
        return None

    def put(self, key: tuple[str, UUID], stamp: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = (stamp, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)


_CACHE = _Cache()


def _mentor_pool(session: Session):
    return (Mentor.erased_at.is_(None), Mentor.status.in_(MENTOR_POOL), Mentor.lat.is_not(None))


def mentor_index(session: Session, *, on: date | None = None) -> MentorIndex:
    on = on or today()
    pool = _mentor_pool(session)
    stamp = (on, *session.execute(select(func.count(), func.max(Mentor.updated_at)).where(*pool)).one())
    key = ("mentors", current_tenant_id())
    index = _CACHE.get(key, stamp)
    if index is None:
        rows = session.scalars(select(Mentor).where(*pool)).all()
        certificates = {c.mentor_id: c for c in session.scalars(select(PoliceCertificate))}
        profiles = [mentor_profile(row, certificates.get(row.id)) for row in rows]
        index = MentorIndex.build([p for p in profiles if p is not None], on=on)
        _CACHE.put(key, stamp, index)
    return index


def mentee_index(session: Session, *, on: date | None = None) -> MenteeIndex:
    on = on or today()
    pool = (Mentee.erased_at.is_(None), Mentee.status.in_(MENTEE_POOL), Mentee.lat.is_not(None))
    stamp = (on, *session.execute(select(func.count(), func.max(Mentee.updated_at)).where(*pool)).one())
    key = ("mentees", current_tenant_id())
    index = _CACHE.get(key, stamp)
    if index is None:
        profiles = [mentee_profile(row) for row in session.scalars(select(Mentee).where(*pool))]
        index = MenteeIndex.build([p for p in profiles if p is not None], on=on)
        _CACHE.put(key, stamp, index)
    return index


def weights(session: Session) -> Weights:
    return weights_of(site_settings(session, current_tenant_id()))


def for_mentee(session: Session, mentee_id: UUID, *, k: int) -> Suggestions:
    row = get_or_404(session, Mentee, mentee_id, "mentee")
    profile = mentee_profile(row)
    if profile is None:
        raise no_location()
    return suggest_mentors(profile, mentor_index(session), k=k, weights=weights(session))


def for_mentor(session: Session, mentor_id: UUID, *, k: int) -> Suggestions:
    row = get_or_404(session, Mentor, mentor_id, "mentor")
    certificate = session.scalars(select(PoliceCertificate).where(PoliceCertificate.mentor_id == row.id)).first()
    profile = mentor_profile(row, certificate)
    if profile is None:
        raise no_location()
    return suggest_mentees(profile, mentee_index(session), k=k, weights=weights(session))


def batch(session: Session, *, mentee_ids: list[UUID] | None = None) -> BatchProposal:
    """The optimal assignment for every waiting mentee (or the ones named) under the mentors' free places."""
    query = select(Mentee).where(Mentee.erased_at.is_(None), Mentee.status == "waiting", Mentee.lat.is_not(None))
    if mentee_ids:
        query = query.where(Mentee.id.in_(mentee_ids))
    mentees = [p for p in (mentee_profile(row) for row in session.scalars(query)) if p is not None]
    if mentee_ids and len(mentees) != len(set(mentee_ids)):
        raise Conflict("Nicht alle genannten Mentees warten (mit Ort) auf eine Patenschaft. / "
                       "Not every mentee named is waiting (with a location).", code="mentee_not_waiting")
    return propose_batch(mentees, mentor_index(session), weights=weights(session))


def names(session: Session, mentor_ids: set[UUID], mentee_ids: set[UUID]) -> dict[UUID, str]:
    """Display names for a response (the site's own people)."""
    out: dict[UUID, str] = {}
    for model, ids in ((Mentor, mentor_ids), (Mentee, mentee_ids)):
        if ids:
            for ident, first, last in session.execute(select(model.id, model.first_name, model.last_name)
                                                      .where(model.id.in_(list(ids)))):
                out[ident] = f"{first} {last}".strip()
    return out
