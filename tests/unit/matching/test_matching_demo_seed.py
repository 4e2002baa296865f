"""The demo data of `make run`: both demo sites get named people, postcodes, the programme's languages and
some Tandems; seeding twice changes nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from matching_api import M

from altjung.matching.demo import DEMO_SITES, MENTEES, MENTORS, seed
from altjung.matching.demo_names import BY_LANGUAGE, GERMAN_ANY, GERMAN_FEMALE, GERMAN_MALE, origin_of

LANGUAGES = {"ar", "uk", "prs", "fa", "ti", "tr", "ru", "en"}


@pytest.fixture(scope="module")
def seeded(platform):
    seed(platform.runtimes["matching"], platform)
    seed(platform.runtimes["matching"], platform)  # a second `make run` reuses what is there
    return platform


def _all(api, token: str, path: str) -> list[dict]:
    items, cursor = [], None
    while True:
        page = api.get(f"{M}{path}", token=token, params={"limit": 200, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items


@pytest.mark.parametrize(("site_id", "prefix"), [(s[0], s[2]) for s in DEMO_SITES], ids=["koeln", "leipzig"])
def test_each_demo_site_has_named_people_in_its_city_speaking_the_programmes_languages(
        seeded, api, token_for, site_id, prefix):
    token = token_for("coordinator", site_id)
    mentors, mentees = _all(api, token, "/mentors"), _all(api, token, "/mentees")
    # seeded once, though seeded twice
    assert (len(mentors), len(mentees)) == (MENTORS, MENTEES)
    assert all(m["first_name"] in GERMAN_FEMALE + GERMAN_MALE + GERMAN_ANY for m in mentors)
    for mentee in mentees:
        assert mentee["first_name"] in BY_LANGUAGE[origin_of(mentee["languages"])][0]
    assert all(p["postcode"].startswith(prefix) and p["lat"] for p in mentors + mentees)
    spoken = {code for p in mentees for code in p["languages"]}
    assert LANGUAGES <= spoken
    # there is work to do: waiting mentees with possible mentors, running Tandems, some of them overdue
    assert Counter(m["status"] for m in mentees)["waiting"] >= 30
    running = api.get(f"{M}/patenschaften", token=token, params={"status": "started"}).json()["items"]
    assert len(running) == 8
    assert 1 <= len(api.get(f"{M}/patenschaften/overdue", token=token).json()) < 8
    waiting = next(m for m in mentees if m["status"] == "waiting")
    suggestions = api.get(f"{M}/mentees/{waiting['id']}/suggestions", token=token).json()
    assert suggestions["exclusions"]["pool_size"] > 40
