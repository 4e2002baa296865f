"""The kit's access status: suspended sites and withdrawn access, cached, failing closed when stale."""

from __future__ import annotations

import pytest

from altjung.kit.tokens import AccessStatus, CachingAccessStatus, StatusUnavailable

DOC = {"suspended_sites": ["site-s"],
       "revoked": [{"sub": "u-1", "tenant": "site-a", "before": 1000.0},
                   {"sub": "u-2", "tenant": "*", "before": 1000.0}]}


@pytest.mark.parametrize(("claims", "reason"), [
    ({"sub": "u-9", "tenant": "site-s", "iat": 5000}, "site_suspended"),
    ({"sub": "u-1", "tenant": "site-a", "iat": 999}, "access_withdrawn"),
    ({"sub": "u-1", "tenant": "site-a", "iat": 1000}, "access_withdrawn"),
    ({"sub": "u-1", "tenant": "site-a", "iat": 1001}, None),  # a login after the withdrawal
    ({"sub": "u-1", "tenant": "site-b", "iat": 999}, None),   # their access elsewhere stays
    ({"sub": "u-2", "tenant": "site-b", "iat": 999}, "access_withdrawn"),  # "*": everywhere (password reset)
    ({"sub": "u-2", "tenant": None, "iat": 999}, "access_withdrawn"),
    ({"sub": "u-3", "tenant": None, "iat": 999}, None),
])
def test_which_tokens_the_status_refuses(claims, reason):
    assert AccessStatus.from_document(DOC).refuses(claims) == reason


def test_the_status_is_cached_and_refetched_after_its_ttl():
    calls, clock = [], [0.0]

    def fetch():
        calls.append(clock[0])
        return DOC

    status = CachingAccessStatus(fetch, ttl=5, max_stale=60, clock=lambda: clock[0])
    status.current()
    clock[0] = 4.9
    status.current()
    assert len(calls) == 1
    clock[0] = 5.1
    status.current()
    assert len(calls) == 2


def test_an_unreachable_identity_serves_the_last_status_until_max_stale_then_fails_closed():
    clock, up = [0.0], [True]

    def fetch():
        if not up[0]:
            raise ConnectionError("identity down")
        return DOC

    status = CachingAccessStatus(fetch, ttl=5, max_stale=60, clock=lambda: clock[0])
    assert "site-s" in status.current().suspended_sites
    up[0], clock[0] = False, 30.0
    assert "site-s" in status.current().suspended_sites
    clock[0] = 61.0
    with pytest.raises(StatusUnavailable):
        status.current()


def test_no_status_ever_fetched_fails_closed():
    def fetch():
        raise ConnectionError("identity down")

    with pytest.raises(StatusUnavailable):
        CachingAccessStatus(fetch).current()
