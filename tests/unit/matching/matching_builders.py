"""Hand-made profiles for tests: sensible defaults, one change at a time."""

from __future__ import annotations

import math
import uuid
from datetime import date, timedelta

from altjung.matching.domain import (
    MenteePreferences,
    MenteeProfile,
    MenteeStatus,
    MentorProfile,
    MentorStatus,
    PoliceCertificate,
    TargetGroup,
)

ON = date(2025, 6, 2)
CENTRE = (52.52, 13.40)
VALID_CERTIFICATE = PoliceCertificate(issued_on=date(2024, 3, 1), seen_on=date(2024, 3, 20))


def east(km: float) -> dict[str, float]:
    """Coordinates `km` east of the centre along its parallel (close to the great-circle km)."""
    return {"lat": CENTRE[0], "lon": CENTRE[1] + km / (111.195 * math.cos(math.radians(CENTRE[0])))}


def mentor(**changes) -> MentorProfile:
    fields = dict(id=uuid.uuid4(), birth_year=1956, gender="female", languages={"de": "native"},
                  interests=frozenset(), areas=frozenset({"german_language"}),
                  availability=frozenset({(1, "afternoon")}), lat=CENTRE[0], lon=CENTRE[1],
                  max_distance_km=10.0, capacity=1, active_tandems=0, status=MentorStatus.ACTIVE,
                  police_certificate=VALID_CERTIFICATE)
    return MentorProfile(**(fields | changes))


def mentee(wish: str | None = None, waited_days: int = 0, **changes) -> MenteeProfile:
    fields = dict(id=uuid.uuid4(), target_group=TargetGroup.REFUGEE, birth_year=2000,
                  languages={"de": "B1"}, needs=frozenset({"german_language"}),
                  interests=frozenset(), availability=frozenset({(1, "afternoon")}),
                  lat=CENTRE[0], lon=CENTRE[1], max_distance_km=10.0,
                  preferences=MenteePreferences(mentor_gender=wish),
                  waiting_since=ON - timedelta(days=waited_days), status=MenteeStatus.WAITING)
    return MenteeProfile(**(fields | changes))
