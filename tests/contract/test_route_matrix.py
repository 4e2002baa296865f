"""Every route of every service, with another partner site's token and this site's ids: 404 (or 403).

The routes come from each service's /openapi.json, so a new route without a cross-tenant case (or a
reasoned exemption) fails ``test_every_route_is_in_the_matrix``. How to add one: see the docstring of
``tests/contract/route_matrix/__init__.py``; each service keeps its cases in ``route_matrix/<service>.py``.
"""

from __future__ import annotations

import pytest

from tests.contract.route_matrix import SERVICES, Case, Ctx, all_cases, load

METHODS = ("get", "post", "put", "patch", "delete")
REFUSALS = {401, 403, 404}


def _prefix(service: str) -> str:
    return "" if service == "portal" else f"/{service}"


def routes_of(api, service: str) -> set[tuple[str, str]]:
    response = api.get(f"{_prefix(service)}/openapi.json")
    assert response.status_code == 200, (service, response.text)
    return {(method.upper(), path) for path, ops in response.json().get("paths", {}).items()
            for method in ops if method in METHODS}


def test_every_route_is_in_the_matrix(api):
    problems: list[str] = []
    for service in SERVICES:
        cases, exempt = load(service)
        declared = [(c.method, c.path) for c in cases] + [(e.method, e.path) for e in exempt]
        routes = routes_of(api, service)
        for method, path in sorted(routes - set(declared)):
            problems.append(f"{service}: {method} {path} has no cross-tenant case — add a Case (or an Exempt "
                            f"with a reason) to tests/contract/route_matrix/{service}.py")
        for method, path in sorted(set(declared) - routes):
            problems.append(f"{service}: {method} {path} is in the matrix but not in /openapi.json — remove it")
        for entry in {d for d in declared if declared.count(d) > 1}:
            problems.append(f"{service}: {entry} is declared twice")
        for item in exempt:
            if len(item.reason.strip()) < 20:
                problems.append(f"{service}: {item.method} {item.path} is exempt without a real reason")
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
def ctx(api, platform, token_for, admin_token, make_site) -> Ctx:
    return Ctx(api=api, platform=platform, token_for=token_for, admin_token=admin_token,
               site_a=make_site(), site_b=make_site())


def _call(ctx: Ctx, service: str, case: Case, target, token: str):
    url = _prefix(service) + case.path.format(**target.params)
    kwargs = {"params": target.query} if target.query else {}
    if case.method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = target.json if target.json is not None else {}
    return ctx.api.request(case.method, url, token=token, **kwargs)


@pytest.mark.parametrize(("service", "case"), all_cases(), ids=lambda v: v if isinstance(v, str) else
                         f"{v.method} {v.path}")
def test_another_sites_token_cannot_reach_this_sites_data(ctx, service, case):
    # Given an object of partner site A
    target = case.setup(ctx)
    # When site B's token asks for it (or lists, or works on its own site)
    response = _call(ctx, service, case, target, ctx.token_b(case.as_role, scope=case.scope))
    # Then the answer is a refusal that does not even confirm A's object exists
    assert response.status_code in case.expect, (response.status_code, response.text[:300])
    if response.status_code >= 400:
        assert response.headers["Content-Type"] == "application/problem+json"
    if case.absent and target.marker:
        assert target.marker not in response.text, "site A's data reached site B"
    if case.check is not None:
        case.check(ctx, target)
    # And site A itself does get through, so the setup made something real
    if case.control is not None:
        token = ctx.admin_token if case.control == "platform_admin" else ctx.token_a(case.as_role, scope=case.scope)
        control = _call(ctx, service, case, target, token)
        assert control.status_code not in REFUSALS and control.status_code < 500, \
            ("control call of site A refused", control.status_code, control.text[:300])
