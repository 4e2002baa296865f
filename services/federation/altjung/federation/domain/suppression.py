"""Small-number suppression of count tables: primary cells below the threshold, then secondary."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import TypedDict

from altjung.federation.domain.bridges import Edge, adjacency, bridges, side_of

#: Counts from 1 to DEFAULT_THRESHOLD - 1 are never published; zero is.
DEFAULT_THRESHOLD = 5


class Cell(TypedDict):
    """One published entry: the count, or None when it is suppressed."""

    value: int | None
    suppressed: bool


@dataclasses.dataclass(frozen=True)
class SuppressedList:
    cells: list[Cell]
    total: Cell


@dataclasses.dataclass(frozen=True)
class SuppressedTable:
    cells: list[list[Cell]]
    row_totals: list[Cell]
    column_totals: list[Cell]
    total: Cell


def suppress_list(counts: Sequence[int], *, threshold: int = DEFAULT_THRESHOLD,
                  suppress_total: bool = False) -> SuppressedList:
    """A list and its total. `suppress_total` forces the total out, e.g. because a linked
    table had to suppress the same number."""
    values = _checked(counts, threshold)
    grid = [[*values, sum(values)]]
    forced = {(0, len(values))} if suppress_total else set()
    suppressed = _suppress(grid, _line_entries(1, len(values) + 1, rows_only=True), threshold, forced)
    cells = _cells(grid, suppressed)[0]
    return SuppressedList(cells=cells[:-1], total=cells[-1])


def suppress_table(counts: Sequence[Sequence[int]], *, threshold: int = DEFAULT_THRESHOLD) -> SuppressedTable:
    """A rows × columns table with its row totals, column totals and grand total.

    After suppression no line (row or column, totals included) has exactly one unknown,
    no published total gives away a suppressed group summing to less than the threshold,
    and no suppressed entry is a bridge, so no combination of the published equations
    recomputes it."""
    width = len(counts[0]) if counts else 0
    if any(len(row) != width for row in counts):
        raise ValueError("every row needs the same number of columns")
    rows = [_checked(row, threshold) for row in counts]
    grid = [[*row, sum(row)] for row in rows]
    grid.append([*(sum(col) for col in zip(*rows, strict=True)), sum(map(sum, rows))] if rows else [0])
    lines = _line_entries(len(grid), len(grid[0]), rows_only=False)
    suppressed = _suppress(grid, lines, threshold, set())
    while found := bridges(adjacency(suppressed, rows=len(grid))):
        suppressed.add(_partner_for(found[0], grid, suppressed))
        suppressed = _suppress(grid, lines, threshold, suppressed)
    cells = _cells(grid, suppressed)
    return SuppressedTable(
        cells=[row[:-1] for row in cells[:-1]],
        row_totals=[row[-1] for row in cells[:-1]],
        column_totals=cells[-1][:-1],
        total=cells[-1][-1],
    )


def _checked(counts: Iterable[int], threshold: int) -> list[int]:
    if threshold < 1:
        raise ValueError("the threshold is a count of at least 1")
    values = [int(count) for count in counts]
    if any(value < 0 for value in values):
        raise ValueError("counts cannot be negative")
    return values


def _line_entries(height: int, width: int, *, rows_only: bool) -> list[list[Edge]]:
    """Each line lists its entries with its total last (the last column or the last row)."""
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    if not rows_only:
        lines += [[(i, j) for i in range(height)] for j in range(width)]
    return lines


def _suppress(grid: list[list[int]], lines: list[list[Edge]], threshold: int,
              suppressed: set[Edge]) -> set[Edge]:
    """Primary suppression, then secondary until every line is protected."""
    suppressed = set(suppressed) | {
        (i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if 0 < value < threshold
    }
    changed = True
    while changed:
        changed = False
        for line in lines:
            while not _protected(line, grid, suppressed, threshold):
                entry = _cheapest(line, grid, suppressed)
                if entry is None:  # all of the line is hidden already
                    break
                suppressed.add(entry)
                changed = True
    return suppressed


def _protected(line: list[Edge], grid: list[list[int]], suppressed: set[Edge], threshold: int) -> bool:
    hidden = [entry for entry in line if entry in suppressed]
    if not hidden:
        return True
    if len(hidden) < 2:
        return False
    total = line[-1]
    return total in suppressed or sum(grid[i][j] for i, j in hidden) >= threshold


def _cost(entry: Edge, grid: list[list[int]], *, margin: bool) -> tuple[bool, int, bool, Edge]:
    # A suppressed zero hides almost nothing (its partner's value is then the group's sum),
    # so the smallest non-zero entry goes first and zeros only when nothing else is left.
    value = grid[entry[0]][entry[1]]
    return (value == 0, value, margin, entry)


def _cheapest(line: list[Edge], grid: list[list[int]], suppressed: set[Edge]) -> Edge | None:
    """The next entry to suppress in a line: its smallest open cell, its total last."""
    *cells, total = line
    open_cells = [entry for entry in cells if entry not in suppressed]
    if open_cells:
        return min(open_cells, key=lambda entry: _cost(entry, grid, margin=False))
    return None if total in suppressed else total


def _partner_for(bridge: Edge, grid: list[list[int]], suppressed: set[Edge]) -> Edge:
    """The cheapest open entry that puts the bridge on a cycle: it joins the two sides the
    bridge separates (a row on one side with a column on the other)."""
    height, width = len(grid), len(grid[0])
    adj = adjacency(suppressed, rows=height)
    near = side_of(adj, bridge[0], without=bridge)
    component = side_of(adj, bridge[0], without=(-1, -1))
    candidates = [
        (i, j)
        for i in range(height)
        for j in range(width)
        if (i, j) not in suppressed
        and i in component and height + j in component
        and (i in near) != (height + j in near)
    ]
    if not candidates:  # cannot happen once every line holds two unknowns
        raise AssertionError(f"no partner for bridge {bridge}")
    # The grand total (the whole federation) is the last resort: the time series publish it, so
    # it stays out of the tables whenever it is not itself a small number.
    grand = (height - 1, width - 1)
    candidates = [e for e in candidates if e != grand] or candidates
    return min(candidates, key=lambda e: _cost(e, grid, margin=e[0] == height - 1 or e[1] == width - 1))


def _cells(grid: list[list[int]], suppressed: set[Edge]) -> list[list[Cell]]:
    return [
        [Cell(value=None, suppressed=True) if (i, j) in suppressed else Cell(value=value, suppressed=False)
         for j, value in enumerate(row)]
        for i, row in enumerate(grid)
    ]
