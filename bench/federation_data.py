"""Synthetic facts for bench-federation: one partner site's State with a given number of Patenschaften."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from altjung.federation.domain.categories import BUNDESLAENDER, END_REASONS, TARGET_GROUPS
from altjung.federation.domain.state import (
    Checkin,
    MenteeFact,
    MentorFact,
    PatenschaftFact,
    SiteFact,
    State,
    StatusChange,
)

FIRST_DAY = dt.date(2021, 1, 1)
DAYS = 5 * 365
STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def site_state(n: int, patenschaften: int, rnd: random.Random) -> State:
    tenant = str(uuid.UUID(int=n + 1))
    site = SiteFact(tenant_id=tenant, slug=f"standort-{n}", name=f"Standort {n:03d}",
                    bundesland=sorted(BUNDESLAENDER)[n % 16])
    state = State(sites={tenant: site})
    day = lambda start, span: start + dt.timedelta(days=rnd.randint(0, span))
    mentors = []
    for _ in range(patenschaften * 3 // 4):
        mid = str(uuid.uuid4())
        registered = day(FIRST_DAY, DAYS - 60)
        m = MentorFact(mentor_id=mid, tenant_id=tenant, birth_year=rnd.randint(1940, 1985), registered_on=registered,
                       registration_stamp=(STAMP, mid))
        for status, after in (("screened", 20), ("active", 40)):
            sid = str(uuid.uuid4())
            m.statuses[sid] = StatusChange(changed_on=registered + dt.timedelta(days=after), status=status,
                                           stamp=(STAMP, sid))
        state.mentors[(tenant, mid)] = m
        mentors.append(m)
    groups = list(TARGET_GROUPS)
    for _ in range(patenschaften):
        eid, pid = str(uuid.uuid4()), str(uuid.uuid4())
        registered = day(FIRST_DAY, DAYS - 30)
        mentee = MenteeFact(mentee_id=eid, tenant_id=tenant, target_group=rnd.choice(groups),
                            birth_year=rnd.randint(1995, 2010), registered_on=registered,
                            registration_stamp=(STAMP, eid))
        state.mentees[(tenant, eid)] = mentee
        mentor = rnd.choice(mentors)
        started = registered + dt.timedelta(days=rnd.randint(5, 90))
        p = PatenschaftFact(patenschaft_id=pid, tenant_id=tenant, mentor_id=mentor.mentor_id, mentee_id=eid,
                            proposed_on=started - dt.timedelta(days=5), proposal_stamp=(STAMP, pid),
                            started_on=started, target_group=mentee.target_group, start_stamp=(STAMP, pid))
        if rnd.random() < 0.4:
            p.ended_on = started + dt.timedelta(days=rnd.randint(30, 700))
            p.end_reason, p.planned, p.end_stamp = rnd.choice(list(END_REASONS)), False, (STAMP, pid)
        for k in range(3):
            cid = str(uuid.uuid4())
            p.checkins[cid] = Checkin(on=started + dt.timedelta(days=30 * (k + 1) + rnd.randint(0, 20)),
                                      stamp=(STAMP, cid))
        state.patenschaften[(tenant, pid)] = p
    return state
