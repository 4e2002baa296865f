"""The suppression threshold is a setting: default 5, from the environment or the Settings."""

from __future__ import annotations

import pytest

from altjung.federation.app import suppression_threshold
from altjung.kit.settings import Settings


def settings(**extra) -> Settings:
    return Settings.from_env("federation", {}, database_url="sqlite://", extra=extra)


def test_the_threshold_defaults_to_five():
    assert suppression_threshold(settings(), env={}) == 5


def test_the_threshold_comes_from_the_environment_or_the_settings():
    assert suppression_threshold(settings(), env={"FEDERATION_SUPPRESSION_THRESHOLD": "7"}) == 7
    assert suppression_threshold(settings(), env={"ALTJUNG_SUPPRESSION_THRESHOLD": "3"}) == 3
    assert suppression_threshold(settings(suppression_threshold=10), env={"ALTJUNG_SUPPRESSION_THRESHOLD": "3"}) == 10


def test_a_threshold_below_two_is_refused():
    with pytest.raises(ValueError):
        suppression_threshold(settings(), env={"FEDERATION_SUPPRESSION_THRESHOLD": "1"})
