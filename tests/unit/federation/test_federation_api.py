"""The BaS API on the embedded platform: totals, per-site table, series, report, a coordinator's own site."""

from __future__ import annotations

import csv
import io
import uuid

import pytest
from federation_stream import event
from openpyxl import load_workbook

from altjung.federation.handlers import HANDLERS
from altjung.kit.bus.consume import consume
from altjung.kit.site_status import merge_handlers

YEAR = 2019  # a year no other test writes figures for


def uid() -> str:
    return str(uuid.uuid4())


@pytest.fixture(scope="module")
def sites(platform, make_site):
    """Three sites: A (Bayern) starts 7 Tandems in March and ends 2 in June, B (Bayern) starts 3 in
    February, C (Bremen) starts 6 in May; all for refugees except B's (other)."""
    a, b, c = make_site(bundesland="DE-BY"), make_site(bundesland="DE-BY"), make_site(bundesland="DE-HB")
    runtime = platform.runtimes["federation"]
    handlers = merge_handlers("federation", HANDLERS)

    def send(envelope: dict) -> None:
        consume(envelope, handlers[envelope["type"]], runtime=runtime, consumer="federation")

    def tandems(site: dict, n: int, day: str, group: str) -> list[str]:
        ids = []
        for _ in range(n):
            p, m, e = uid(), uid(), uid()
            send(event("mentor.registered", f"{YEAR}-01-02", site["id"], uid(), mentor_id=m, birth_year=1950,
                       registered_on=f"{YEAR}-01-02"))
            send(event("mentee.registered", f"{YEAR}-01-03", site["id"], uid(), mentee_id=e, target_group=group,
                       birth_year=2003, registered_on=f"{YEAR}-01-03"))
            send(event("patenschaft.started", day, site["id"], uid(), patenschaft_id=p, mentor_id=m, mentee_id=e,
                       started_on=day, target_group=group))
            ids.append(p)
        return ids

    started_a = tandems(a, 7, f"{YEAR}-03-10", "refugee")
    for p in started_a[:2]:
        send(event("patenschaft.ended", f"{YEAR}-06-20", a["id"], uid(), patenschaft_id=p, ended_on=f"{YEAR}-06-20",
                   reason="moved_away", planned=False))
    tandems(b, 3, f"{YEAR}-02-10", "other")
    tandems(c, 6, f"{YEAR}-05-10", "refugee")
    return {"a": a, "b": b, "c": c}


@pytest.fixture(scope="module")
def viewer(token_for):
    return token_for("federation_viewer")


def get(api, path, token, **params):
    response = api.get(f"/federation/api/v1{path}", token=token, params=params)
    assert response.status_code == 200, response.text
    return response


def rows_by_id(body: dict) -> dict[str, dict]:
    return {row["site_id"]: row["figures"] for row in body["sites"]}


def test_the_whole_federations_totals_are_shown(api, sites, viewer):
    body = get(api, "/figures/totals", viewer, year=YEAR).json()
    figures = body["figures"]
    assert figures["started"] == {"value": 16, "suppressed": False}
    assert figures["active"] == {"value": 14, "suppressed": False}
    assert figures["ended"]["value"] is None and figures["ended"]["suppressed"]  # 2 in the whole year
    # "other" is 3, so "refugee" (13) is hidden as well: else other = 16 - 13
    groups = body["breakdowns"]["started_by_target_group"]
    assert groups["other"]["suppressed"] and groups["refugee"]["suppressed"]
    assert groups["single_parent"] == {"value": 0, "suppressed": False}
    assert body["threshold"] == 5 and body["data_as_of"]


def test_the_per_site_table_hides_small_counts_and_what_would_give_them_away(api, sites, viewer):
    rows = rows_by_id(get(api, "/figures/sites", viewer, year=YEAR).json())
    a, b, c = (rows[sites[k]["id"]] for k in "abc")
    # B started 3: hidden; then one more site's count, or B's 3 would be the total minus the others
    assert b["started"] == {"value": None, "suppressed": True}
    assert a["started"]["suppressed"] or c["started"]["suppressed"]
    assert a["active"] == {"value": 5, "suppressed": False} or a["active"]["suppressed"]
    assert not any(r["started"]["value"] in (1, 2, 3, 4) for r in rows.values())


def test_a_bundesland_shows_its_sites_and_a_total_only_when_every_part_is_shown(api, sites, viewer):
    body = get(api, "/figures/sites", viewer, year=YEAR, bundesland="DE-HB").json()
    assert [row["site_id"] for row in body["sites"] if row["site_id"] in {s["id"] for s in sites.values()}] == [
        sites["c"]["id"]]
    totals = get(api, "/figures/totals", viewer, year=YEAR, bundesland="DE-BY").json()["figures"]
    assert totals["started"]["suppressed"]  # B's 3 is hidden, so Bayern's sum is too


def test_a_target_group_filter_reads_the_same_suppressed_table(api, sites, viewer):
    rows = rows_by_id(get(api, "/figures/sites", viewer, year=YEAR, target_group="other").json())
    assert rows[sites["b"]["id"]]["started"]["suppressed"]
    assert rows[sites["b"]["id"]]["mentors_applied"] is None  # not a figure per target group
    refugee = get(api, "/figures/totals", viewer, year=YEAR, target_group="refugee").json()["figures"]
    assert refugee["started"]["suppressed"]  # as in the breakdown of the totals
    assert refugee["active"]["suppressed"]  # 11, but B's 3 "other" would follow from it
    assert refugee["mentors_applied"] is None


def test_the_series_hides_small_months_and_keeps_quarters_consistent(api, sites, viewer):
    months = {p["month"]: p["figures"] for p in get(api, "/figures/series", viewer, year=YEAR).json()["points"]}
    assert months[f"{YEAR}-02"]["started"]["suppressed"]  # B's 3
    assert months[f"{YEAR}-03"]["started"]["suppressed"]  # else February = Q1 - March
    assert months[f"{YEAR}-05"]["started"] == {"value": 6, "suppressed": False}
    assert months[f"{YEAR}-12"]["active"] == {"value": 14, "suppressed": False}
    quarters = {p["quarter"]: p["figures"] for p in
                get(api, "/figures/series", viewer, year=YEAR, interval="quarter").json()["points"]}
    assert quarters[f"{YEAR}-Q1"]["started"] == {"value": 10, "suppressed": False}
    bremen = {p["month"]: p["figures"] for p in
              get(api, "/figures/series", viewer, year=YEAR, bundesland="DE-HB").json()["points"]}
    assert bremen[f"{YEAR}-05"]["started"] == {"value": 6, "suppressed": False}


def test_a_coordinator_reads_their_own_site_unsuppressed_and_no_other(api, sites, token_for):
    b = sites["b"]["id"]
    own = get(api, f"/partner-sites/{b}/figures", token_for("coordinator", b), year=YEAR).json()
    assert own["suppressed"] is False
    assert own["figures"]["started"] == {"value": 3, "suppressed": False}
    assert {m["month"]: m["figures"]["started"]["value"] for m in own["months"]}[f"{YEAR}-02"] == 3
    other = api.get(f"/federation/api/v1/partner-sites/{sites['a']['id']}/figures",
                    token=token_for("coordinator", b), params={"year": YEAR})
    assert other.status_code == 404 and other.headers["Content-Type"] == "application/problem+json"
    assert api.get("/federation/api/v1/figures/totals", token=token_for("coordinator", b)).status_code == 403
    staff = api.get(f"/federation/api/v1/partner-sites/{b}/figures", token=token_for("staff", b))
    assert staff.status_code == 403


def test_the_bas_sees_one_site_as_in_the_table(api, sites, viewer):
    body = get(api, f"/partner-sites/{sites['b']['id']}/figures", viewer, year=YEAR).json()
    assert body["suppressed"] is True and body["figures"]["started"]["suppressed"]
    unknown = api.get(f"/federation/api/v1/partner-sites/{uuid.uuid4()}/figures", token=viewer)
    assert unknown.status_code == 404


def test_the_funder_report_as_csv_and_xlsx(api, sites, viewer):
    response = get(api, "/reports/funder", viewer, year=YEAR, quarter=1)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    meta = {line[0]: line[1] for line in lines if len(line) == 2}
    assert meta["Berichtszeitraum"] == f"Januar {YEAR} bis März {YEAR}"
    assert "Erstellt am" in meta and meta["Datenstand (Ereignisse bis)"] != "–"
    assert any(line[:1] == ["Hinweis"] and "Datenquelle" in line[1] for line in lines)
    assert any(sites["a"]["name"] in line for line in lines)
    assert ["Begonnene Patenschaften", "10"] in lines
    xlsx = get(api, "/reports/funder", viewer, year=YEAR, format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content))["Bericht"]
    assert sheet["A1"].value.startswith("Alt & Jung")
