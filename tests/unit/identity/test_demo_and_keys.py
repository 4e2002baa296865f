"""The demo accounts sign in as printed; key rotation keeps old tokens verifiable until they expire."""

from __future__ import annotations

import datetime as dt
import re

import jwt as pyjwt
import pyotp

from altjung.identity import demo
from altjung.identity.keys import load_keyset, rotate_keys
from altjung.kit.bus.models import utcnow

from .forged import good_token
from .people import Browser, Person
from .test_oauth_hardening import authorize_url, code_of, exchange


def test_the_demo_prints_accounts_that_can_sign_in(api, platform, capsys):
    # Given the demo data of `make run`
    demo.seed(platform.runtimes["identity"])
    printed = capsys.readouterr().out
    assert demo.DEMO_PASSWORD in printed
    secret = re.search(r"admin@bas\.example\s+TOTP-Schlüssel / secret: ([A-Z2-7]+)", printed).group(1)
    # When the BaS admin signs in with the printed password and a code from the printed secret
    redirect_uri = f"{platform.runtimes['identity'].settings.public_base_url}/auth/callback"
    person = Person(id=None, email="admin@bas.example", password=demo.DEMO_PASSWORD, totp_secret=secret)
    tokens = exchange(api, code_of(Browser(redirect_uri).sign_in(authorize_url(api, redirect_uri), person)),
                      redirect_uri).json()
    # Then the token is a platform admin's, bound to no partner site
    assert api.get("/tenants/api/v1/partner-sites", token=tokens["access_token"]).status_code == 200
    assert pyotp.TOTP(secret).now()


def test_rotation_publishes_the_new_key_before_it_signs_and_keeps_the_old_one(api, platform):
    # Given a token signed with the current key
    runtime = platform.runtimes["identity"]
    old_token = good_token(platform, tenant=None, roles=["platform_admin"])
    with runtime.db.session() as session:
        old_kid = load_keyset(session, runtime.settings).active(utcnow()).kid
        # When the key is rotated
        new = rotate_keys(session, runtime.settings)
    # Then both keys are published, the new one before it signs anything (caches refresh in time)
    kids = {k["kid"] for k in api.get("/identity/.well-known/jwks.json").json()["keys"]}
    assert {old_kid, new.kid} <= kids and new.active_from > utcnow() + dt.timedelta(seconds=300)
    assert pyjwt.get_unverified_header(good_token(platform, tenant=None, roles=["platform_admin"]))["kid"] == old_kid
    # And the old key's tokens still work everywhere; the old key stays published an hour after the switch
    assert api.get("/tenants/api/v1/partner-sites", token=old_token).status_code == 200
    with runtime.db.session() as session:
        keys = {k.kid: k for k in load_keyset(session, runtime.settings, fresh=True).keys}
    assert keys[old_kid].retire_until >= new.active_from + dt.timedelta(minutes=10)


def test_housekeeping_forgets_only_what_has_expired(platform):
    from altjung.identity.housekeeping import purge
    from altjung.identity.models import AccessRevocation

    runtime = platform.runtimes["identity"]
    with runtime.db.session() as session:
        session.add(AccessRevocation(subject="old", site_id="", revoked_at=utcnow() - dt.timedelta(hours=1)))
        session.add(AccessRevocation(subject="new", site_id="", revoked_at=utcnow()))
        session.commit()
        counts = purge(session)
        left = {r.subject for r in session.query(AccessRevocation).filter(AccessRevocation.subject.in_(["old", "new"]))}
    assert counts["access_revocations"] >= 1 and left == {"new"}
