"""A hand-made event stream with known figures, and a generator of random streams, for the tests."""

from __future__ import annotations

import datetime as dt
import random
import uuid

from altjung.federation.domain.months import months_between

SITE_A, SITE_B = "tenant-a", "tenant-b"


def uid(name: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def event(type_: str, day: str, tenant: str | None, key: str | None = None, /, **payload) -> dict:
    """An envelope as it travels on the queue; occurred_at is the business date at 10:00 UTC."""
    return {
        "id": uid(key or f"{type_}/{day}/{sorted(payload.items())}"),
        "type": type_,
        "version": 1,
        "occurred_at": f"{day}T10:00:00Z",
        "tenant_id": tenant,
        "payload": payload,
    }


A = SITE_A
EVENTS = [
    event("tenant.created", "2023-12-01", None, tenant_id=A, slug="ansbach", name="Seniorenbüro Ansbach",
          bundesland="DE-BY"),
    event("tenant.created", "2023-12-02", None, tenant_id=SITE_B, slug="bremen",
          name="Freiwilligenagentur Bremen", bundesland="HB"),
    event("tenant.updated", "2024-03-01", None, tenant_id=A, slug="ansbach", name="Seniorenbüro Ansbach e. V.",
          bundesland="DE-BY", status="active"),
    event("settings.changed", "2024-01-02", None, tenant_id=SITE_B, version=2,
          settings={"checkin_interval_days": 14}),
    event("settings.changed", "2024-01-03", None, tenant_id=SITE_B, version=1,  # late, but older
          settings={"checkin_interval_days": 60}),
    event("mentor.registered", "2024-01-10", A, mentor_id=uid("m1"), birth_year=1955, registered_on="2024-01-10"),
    event("mentor.status_changed", "2024-01-20", A, mentor_id=uid("m1"), status="screened", changed_on="2024-01-20"),
    event("mentor.status_changed", "2024-02-01", A, mentor_id=uid("m1"), status="active", changed_on="2024-02-01"),
    event("mentor.applied", "2024-01-15", A, mentor_id=uid("m2"), birth_year=1980, registered_on="2024-01-15"),
    event("mentor.status_changed", "2024-02-10", A, mentor_id=uid("m2"), status="screened", changed_on="2024-02-10"),
    event("mentor.status_changed", "2024-03-05", A, mentor_id=uid("m2"), status="paused", changed_on="2024-03-05"),
    event("mentee.registered", "2024-01-05", A, mentee_id=uid("e1"), target_group="refugee", birth_year=2008,
          registered_on="2024-01-05"),
    event("mentee.applied", "2024-02-01", A, mentee_id=uid("e2"), target_group="single_parent", birth_year=1995,
          registered_on="2024-02-01"),
    event("mentee.registered", "2024-02-20", A, mentee_id=uid("e3"), target_group="other", birth_year=2000,
          registered_on="2024-02-20"),
    event("mentee.status_changed", "2024-02-25", A, mentee_id=uid("e3"), status="waiting", changed_on="2024-02-25"),
    event("mentee.registered", "2024-03-03", A, mentee_id=uid("e5"), target_group="refugee", birth_year=2001,
          registered_on="2024-03-03"),
    event("mentee.status_changed", "2024-03-20", A, mentee_id=uid("e5"), status="left", changed_on="2024-03-20"),
    event("patenschaft.proposed", "2024-02-05", A, patenschaft_id=uid("p1"), mentor_id=uid("m1"),
          mentee_id=uid("e1"), proposed_on="2024-02-05"),
    event("patenschaft.started", "2024-02-15", A, patenschaft_id=uid("p1"), mentor_id=uid("m1"),
          mentee_id=uid("e1"), started_on="2024-02-15", target_group="refugee"),
    event("checkin.logged", "2024-03-10", A, patenschaft_id=uid("p1"), checkin_id=uid("c1"), on="2024-03-10"),
    event("patenschaft.ended", "2024-06-30", A, patenschaft_id=uid("p1"), ended_on="2024-06-30",
          reason="moved_away", planned=False, goals_reached="partly"),
    event("patenschaft.proposed", "2024-02-25", A, patenschaft_id=uid("p2"), mentor_id=uid("m2"),
          mentee_id=uid("e2"), proposed_on="2024-02-25"),
    event("patenschaft.started", "2024-03-01", A, patenschaft_id=uid("p2"), mentor_id=uid("m2"),
          mentee_id=uid("e2"), started_on="2024-03-01", target_group="single_parent"),
    event("person.erased", "2024-05-10", A, person_kind="mentee", person_id=uid("e3")),
    event("patenschaft.started", "2023-03-01", SITE_B, patenschaft_id=uid("p3"), mentor_id=uid("m3"),
          mentee_id=uid("e4"), started_on="2023-03-01", target_group="migration_background"),
    event("patenschaft.ended", "2024-04-15", SITE_B, patenschaft_id=uid("p3"), ended_on="2024-04-15",
          reason="goal_reached", planned=True, goals_reached="yes"),
    event("webhook.delivered", "2024-04-16", SITE_B, endpoint_id=uid("w1")),  # not for the read model
]
MONTHS = months_between("2024-01", "2024-07")



def random_stream(rnd: random.Random) -> list[dict]:
    """Many Tandems with corrections (re-proposals, birth years fixed, status back and forth)."""
    day = lambda: (dt.date(2024, 1, 1) + dt.timedelta(days=rnd.randint(0, 400))).isoformat()
    sites = [f"tenant-{n}" for n in range(3)]
    stream = [event("tenant.created", "2023-12-01", None, f"t{n}", tenant_id=site, slug=site, name=site,
                    bundesland=rnd.choice(["DE-BE", "DE-SN", "XX"])) for n, site in enumerate(sites)]
    stream += [event("settings.changed", day(), None, f"s{n}", tenant_id=rnd.choice(sites), version=rnd.randint(1, 3),
                     settings={"checkin_interval_days": rnd.choice([14, 28, 42])}) for n in range(4)]
    for n in range(rnd.randint(1, 25)):
        site, p, e = rnd.choice(sites), uid(f"p{n}"), uid(f"e{n}")
        # a mentor may accompany several Tandems; the same id may also turn up at another site
        # (ids are the sites' own), which must give two facts whatever the arrival order
        m = uid(f"m{rnd.randint(0, 3)}")
        for k in range(rnd.randint(1, 2)):
            stream.append(event(rnd.choice(["mentor.registered", "mentor.applied"]), day(), site, f"mr{n}{k}",
                                mentor_id=m, birth_year=rnd.randint(1940, 1990), registered_on=day()))
            stream.append(event("mentee.registered", day(), site, f"er{n}{k}", mentee_id=e,
                                target_group=rnd.choice(["refugee", "other", "unheard_of"]),
                                birth_year=rnd.randint(1990, 2012), registered_on=day()))
            stream.append(event("mentee.status_changed", day(), site, f"es{n}{k}", mentee_id=e,
                                status=rnd.choice(["waiting", "paused", "left"]), changed_on=day()))
            stream.append(event("mentor.status_changed", day(), site, f"ms{n}{k}", mentor_id=m,
                                status=rnd.choice(["screened", "active", "paused"]), changed_on=day()))
            stream.append(event("patenschaft.proposed", day(), site, f"pp{n}{k}", patenschaft_id=p, mentor_id=m,
                                mentee_id=e, proposed_on=day()))
            stream.append(event("checkin.logged", day(), site, f"pc{n}{k}", patenschaft_id=p,
                                checkin_id=uid(f"c{n}"), on=day()))
        if rnd.random() < 0.8:
            stream.append(event("patenschaft.started", day(), site, f"ps{n}", patenschaft_id=p, mentor_id=m,
                                mentee_id=e, started_on=day(), target_group="refugee"))
        if rnd.random() < 0.5:
            stream.append(event("patenschaft.ended", day(), site, f"pe{n}", patenschaft_id=p, ended_on=day(),
                                reason=rnd.choice(["no_time", "did_not_fit"]), planned=False, goals_reached=None))
        if rnd.random() < 0.2:
            stream.append(event("person.erased", day(), site, f"x{n}", person_kind="mentee", person_id=e))
    return stream
