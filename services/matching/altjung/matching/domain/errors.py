"""Errors of the matching domain: one root, one class per broken rule."""

from __future__ import annotations


class DomainError(Exception):
    """Root of every error the matching domain raises."""


class InvalidProfile(DomainError, ValueError):
    """A mentor or mentee profile breaks a rule of its own (unknown code, level, slot …)."""


class InvalidWeights(DomainError, ValueError):
    """A site's matching weights are not usable (negative, unknown language level …)."""
