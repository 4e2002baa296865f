"""The time series' suppression, proven by audits: no hidden value follows from what is shown."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from altjung.federation.domain.months import months_between
from altjung.federation.domain.suppression import suppress_list, suppress_table
from altjung.federation.series import protect_measure

THRESHOLD = 5
MONTHS = months_between("2023-01", "2024-12")
small_or_large = st.one_of(st.integers(0, 6), st.integers(0, 40))


def lines_of(months):
    years = sorted({int(m[:4]) for m in months})
    lines = []
    for y in years:
        for q in range(1, 5):
            lines.append(([("m", f"{y:04d}-{mon:02d}") for mon in range(3 * q - 2, 3 * q + 1)], ("q", y, q)))
        lines.append(([("q", y, q) for q in range(1, 5)], ("y", y)))
    return lines


def determined(cells, lines) -> set:
    """Hidden entries a reader can recompute from the shown ones (exact linear algebra)."""
    hidden = sorted((k for k, c in cells.items() if c["suppressed"]), key=str)
    index = {k: i for i, k in enumerate(hidden)}
    rows = []
    for members, total in lines:
        row = np.zeros(len(hidden))
        for k in members:
            if k in index:
                row[index[k]] += 1
        if total in index:
            row[index[total]] -= 1
        if row.any():
            rows.append(row)
    if not hidden:
        return set()
    if not rows:
        return set()
    matrix = np.array(rows)
    _, singular, vh = np.linalg.svd(matrix)
    rank = int((singular > 1e-9).sum())
    null = vh[rank:]
    return {k for k, i in index.items() if null.shape[0] == 0 or np.all(np.abs(null[:, i]) < 1e-9)}


@settings(max_examples=150, deadline=None)
@given(st.lists(small_or_large, min_size=len(MONTHS), max_size=len(MONTHS)))
def test_no_hidden_month_or_quarter_can_be_recomputed(values):
    # Given monthly counts of a flow over two years
    cells = protect_measure({("m", m): v for m, v in zip(MONTHS, values, strict=True)}, MONTHS, stock=False,
                            threshold=THRESHOLD, fixed={})
    lines = lines_of(MONTHS)
    # Then every count from 1 to 4 is hidden
    assert all(c["suppressed"] for k, c in cells.items() if 0 < _raw(k, values) < THRESHOLD)
    # And no quarter or year line shows all but one of its entries, or a small hidden sum
    for members, total in lines:
        hidden = [k for k in (*members, total) if cells[k]["suppressed"]]
        assert len(hidden) != 1, (members, total)
        if hidden and not cells[total]["suppressed"]:
            assert sum(_raw(k, values) for k in hidden) >= THRESHOLD
    # And no combination of the shown figures recomputes a hidden one
    assert determined(cells, lines) == set()


def _raw(key, values):
    by_month = dict(zip(MONTHS, values, strict=True))
    if key[0] == "m":
        return by_month[key[1]]
    if key[0] == "q":
        year, q = key[1], key[2]
        return sum(by_month[f"{year:04d}-{mon:02d}"] for mon in range(3 * q - 2, 3 * q + 1))
    return sum(v for m, v in by_month.items() if m.startswith(f"{key[1]:04d}"))


def test_a_stock_quarter_shows_what_its_last_month_shows():
    values = {("m", m): (3 if m.endswith("-03") else 12) for m in MONTHS}
    cells = protect_measure(values, MONTHS, stock=True, threshold=THRESHOLD, fixed={})
    assert cells[("q", 2023, 1)]["suppressed"] and cells[("m", "2023-03")]["suppressed"]
    assert cells[("q", 2023, 2)] == {"value": 12, "suppressed": False}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(0, 7), min_size=4, max_size=4), min_size=1, max_size=12))
def test_the_whole_federations_total_is_hidden_exactly_when_it_is_small(table):
    # The series publish the whole federation's quarters and years unless they are small numbers, so
    # the period tables may hide a grand total only then: otherwise the series would give it away.
    total = sum(map(sum, table))
    assert suppress_table(table, threshold=THRESHOLD).total["suppressed"] == (0 < total < THRESHOLD)
    column = [row[0] for row in table]
    assert suppress_list(column, threshold=THRESHOLD).total["suppressed"] == (0 < sum(column) < THRESHOLD)
