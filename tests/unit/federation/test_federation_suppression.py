"""Small-number suppression: hand-made cases and proofs that nothing suppressed can be recomputed."""

from __future__ import annotations

from fractions import Fraction

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from altjung.federation.domain.suppression import SuppressedTable, suppress_list, suppress_table

Grid = list[list[int | None]]


def published(table: SuppressedTable) -> Grid:
    """The table as a reader sees it: cells with their row totals, then the column totals
    with the grand total; None where suppressed."""
    rows = [[c["value"] for c in (*row, total)] for row, total in zip(table.cells, table.row_totals, strict=True)]
    return [*rows, [c["value"] for c in (*table.column_totals, table.total)]]


def lines_of(grid: Grid, *, rows_only: bool = False) -> list[list[tuple[int, int]]]:
    """Every equation of the table: a line's entries add up to its last entry, its total."""
    height, width = len(grid), len(grid[0])
    lines = [[(i, j) for j in range(width)] for i in range(height)]
    return lines if rows_only else lines + [[(i, j) for i in range(height)] for j in range(width)]


def audit(grid: Grid, *, rows_only: bool = False) -> dict[tuple[int, int], int]:
    """The attacker of the brief: fill any line with exactly one unknown, again and again."""
    grid = [list(row) for row in grid]
    recovered: dict[tuple[int, int], int] = {}
    progress = True
    while progress:
        progress = False
        for line in lines_of(grid, rows_only=rows_only):
            unknown = [(i, j) for i, j in line if grid[i][j] is None]
            if len(unknown) != 1:
                continue
            (i, j), (ti, tj) = unknown[0], line[-1]
            known = sum(grid[a][b] for a, b in line[:-1] if (a, b) != (i, j))  # type: ignore[misc]
            grid[i][j] = known if (i, j) == (ti, tj) else grid[ti][tj] - known  # type: ignore[operator]
            recovered[(i, j)] = grid[i][j]  # type: ignore[assignment]
            progress = True
    return recovered


def determined(grid: Grid, *, rows_only: bool = False) -> set[tuple[int, int]]:
    """Unknowns that ANY combination of the line equations pins down (exact linear algebra):
    e_k lies in the row space exactly when the reduced echelon form has e_k as a row."""
    unknowns = [(i, j) for i, row in enumerate(grid) for j, value in enumerate(row) if value is None]
    index = {entry: k for k, entry in enumerate(unknowns)}
    matrix = []
    for line in lines_of(grid, rows_only=rows_only):
        row = [Fraction(0)] * len(unknowns)
        for entry in line:
            if entry in index:
                row[index[entry]] = Fraction(-1 if entry == line[-1] else 1)
        matrix.append(row)
    pivots = _reduce(matrix)
    return {unknowns[col] for r, col in pivots if sum(1 for x in matrix[r] if x) == 1}


def _reduce(matrix: list[list[Fraction]]) -> list[tuple[int, int]]:
    pivots, r = [], 0
    width = len(matrix[0]) if matrix else 0
    for col in range(width):
        pivot = next((i for i in range(r, len(matrix)) if matrix[i][col]), None)
        if pivot is None:
            continue
        matrix[r], matrix[pivot] = matrix[pivot], matrix[r]
        lead = matrix[r][col]
        matrix[r] = [x / lead for x in matrix[r]]
        for i in range(len(matrix)):
            if i != r and matrix[i][col]:
                factor = matrix[i][col]
                matrix[i] = [a - factor * b for a, b in zip(matrix[i], matrix[r], strict=True)]
        pivots.append((r, col))
        r += 1
    return pivots


def truth(counts: list[list[int]]) -> list[list[int]]:
    rows = [[*row, sum(row)] for row in counts]
    return [*rows, [*(sum(col) for col in zip(*counts, strict=True)), sum(map(sum, counts))]]


# --- hand-made cases -------------------------------------------------------------------

def test_a_small_count_and_the_smallest_nonzero_partner_are_hidden_in_a_list():
    # Given a list with one small count, a zero and a larger count
    result = suppress_list([3, 0, 7])
    # Then the 3 is hidden with its smallest non-zero partner; the zero and the total stay
    assert [c["value"] for c in result.cells] == [None, 0, None]
    assert [c["suppressed"] for c in result.cells] == [True, False, True]
    assert result.total == {"value": 10, "suppressed": False}


def test_zero_is_published_and_the_threshold_is_configurable():
    assert suppress_list([0, 0, 12]).cells[0] == {"value": 0, "suppressed": False}
    assert suppress_list([3, 9], threshold=3).cells[0] == {"value": 3, "suppressed": False}
    assert suppress_list([2, 9], threshold=3).cells[0]["suppressed"]


def test_a_small_total_is_hidden_too():
    result = suppress_list([4, 0])
    assert result.total == {"value": None, "suppressed": True}
    assert audit([[c["value"] for c in (*result.cells, result.total)]], rows_only=True) == {}


def test_two_small_counts_that_add_up_to_a_small_group_take_a_third_cell():
    # 1 + 2 = 3 would be given away by the published total, so a third cell goes too
    result = suppress_list([1, 2, 6, 20])
    assert [c["suppressed"] for c in result.cells] == [True, True, True, False]


def test_a_total_can_be_forced_out_by_a_linked_table():
    result = suppress_list([10, 12, 7], suppress_total=True)
    assert result.total["suppressed"]
    assert sum(c["suppressed"] for c in result.cells) == 1  # the total is the second unknown
    assert result.cells[2]["suppressed"]  # the smallest cell


def test_a_table_hides_its_small_cell_behind_a_cycle_of_the_smallest_cells():
    table = suppress_table([[10, 3, 8], [7, 9, 12], [6, 5, 20]])
    grid = published(table)
    assert grid[0][1] is None
    assert all(value is None or not 0 < value < 5 for row in grid for value in row)
    assert audit(grid) == {} and determined(grid) == set()
    assert table.total == {"value": 80, "suppressed": False}


def test_two_per_line_is_not_enough_when_a_cell_bridges_two_blocks():
    # Given two 2x2 blocks of small counts joined by one more small count: every line holds
    # two unknowns, yet adding rows 0-1 and subtracting columns 0-1 isolates the bridge
    counts = [[2, 3, 40, 50], [3, 2, 2, 60], [40, 50, 3, 2], [70, 80, 2, 3]]
    naive = [list(row) for row in truth(counts)]
    for i in range(4):
        for j in range(4):
            if counts[i][j] < 5:
                naive[i][j] = None
    assert determined(naive) == {(1, 2)}
    # When it is suppressed properly, nothing is determined any more
    grid = published(suppress_table(counts))
    assert determined(grid) == set() and audit(grid) == {}


def test_a_single_small_cell_in_a_sea_of_zeros_hides_its_margins():
    grid = published(suppress_table([[1, 0], [0, 0]]))
    assert grid == [[None, 0, None], [0, 0, 0], [None, 0, None]]
    assert determined(grid) == set()


def test_empty_tables_and_lists():
    assert suppress_list([]).total == {"value": 0, "suppressed": False}
    table = suppress_table([])
    assert (table.cells, table.row_totals, table.total["value"]) == ([], [], 0)


# --- proofs over random tables ---------------------------------------------------------

counts_st = st.one_of(st.integers(0, 6), st.integers(0, 60))
threshold_st = st.sampled_from([2, 3, 5, 5, 5, 10])


@settings(max_examples=400, deadline=None)
@given(st.integers(1, 6).flatmap(lambda w: st.lists(st.lists(counts_st, min_size=w, max_size=w),
                                                     min_size=1, max_size=6)), threshold_st)
def test_no_suppressed_cell_of_a_random_table_can_be_recomputed(counts, threshold):
    table = suppress_table(counts, threshold=threshold)
    grid, real = published(table), truth(counts)
    # Every published number is the true one, and none is a small count
    for i, row in enumerate(grid):
        for j, value in enumerate(row):
            assert value is None or value == real[i][j]
            assert value is None or not 0 < value < threshold
    primary = {(i, j) for i, row in enumerate(real) for j, v in enumerate(row) if 0 < v < threshold}
    assert all(grid[i][j] is None for i, j in primary)
    # The brief's attacker recovers nothing, and neither does exact linear algebra
    assert audit(grid) == {}
    assert determined(grid) == set()
    # No published total gives away a suppressed group that adds up to a small count
    for line in lines_of(grid):
        hidden = [real[i][j] for i, j in line[:-1] if grid[i][j] is None]
        total = line[-1]
        if hidden and grid[total[0]][total[1]] is not None:
            assert len(hidden) >= 2 and sum(hidden) >= threshold


@settings(max_examples=300, deadline=None)
@given(st.lists(counts_st, max_size=10), threshold_st, st.booleans())
def test_no_suppressed_entry_of_a_random_list_can_be_recomputed(counts, threshold, force_total):
    assume(counts or not force_total)  # an empty list's total is 0 whether hidden or not
    result = suppress_list(counts, threshold=threshold, suppress_total=force_total)
    grid = [[c["value"] for c in (*result.cells, result.total)]]
    real = [*counts, sum(counts)]
    assert all(v is None or (v == real[k] and not 0 < v < threshold) for k, v in enumerate(grid[0]))
    assert all(grid[0][k] is None for k, v in enumerate(real) if 0 < v < threshold)
    assert audit(grid, rows_only=True) == {}
    assert determined(grid, rows_only=True) == set()
    assert [c["suppressed"] for c in result.cells] == [c["value"] is None for c in result.cells]
