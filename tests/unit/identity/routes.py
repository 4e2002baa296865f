"""Every protected endpoint of every service, found in the running apps (what `require` decorated)."""

from __future__ import annotations

import re
import uuid

_METHODS = ("get", "post", "put", "patch", "delete")


def _is_protected(view) -> bool:
    return hasattr(view, "_altjung_roles")


def _fill(rule: str) -> str:
    def value(match: re.Match) -> str:
        converter = match.group(1) or "string"
        return {"uuid": str(uuid.uuid4()), "int": "1"}.get(converter, "x")

    return re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", value, rule)


def protected_endpoints(platform) -> list[tuple[str, str]]:
    """(METHOD, path) of every endpoint guarded by kit.auth.require, in every service."""
    found = []
    for service, app in platform.apps.items():
        prefix = "" if service == "portal" else f"/{service}"
        for rule in app.url_map.iter_rules():
            view = app.view_functions[rule.endpoint]
            view_class = getattr(view, "view_class", None)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                handler = getattr(view_class, method.lower(), None) if view_class else view
                if handler is not None and _is_protected(handler):
                    found.append((method, prefix + _fill(rule.rule)))
    return sorted(set(found))
