"""Bridges of the graph whose nodes are table lines and whose edges are suppressed entries."""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable

Edge = tuple[int, int]


def adjacency(edges: Iterable[Edge], *, rows: int) -> dict[int, list[tuple[int, Edge]]]:
    """Entry (i, j) joins row node i and column node rows + j."""
    adj: dict[int, list[tuple[int, Edge]]] = {}
    for i, j in edges:
        adj.setdefault(i, []).append((rows + j, (i, j)))
        adj.setdefault(rows + j, []).append((i, (i, j)))
    return adj


def bridges(adj: dict[int, list[tuple[int, Edge]]]) -> list[Edge]:
    """Every edge on no cycle (Tarjan, iterative), in a deterministic order.

    A suppressed entry is a bridge exactly when some combination of the published line
    equations isolates it, i.e. when it can be recomputed."""
    disc: dict[int, int] = {}
    low: dict[int, int] = {}
    found: list[Edge] = []
    for root in sorted(adj):
        if root in disc:
            continue
        disc[root] = low[root] = len(disc)
        stack: list[tuple[int, Hashable, Iterable]] = [(root, None, iter(adj[root]))]
        while stack:
            node, via, neighbours = stack[-1]
            for neighbour, edge in neighbours:
                if edge == via:
                    continue
                if neighbour in disc:
                    low[node] = min(low[node], disc[neighbour])
                    continue
                disc[neighbour] = low[neighbour] = len(disc)
                stack.append((neighbour, edge, iter(adj[neighbour])))
                break
            else:
                stack.pop()
                if stack:
                    parent = stack[-1][0]
                    low[parent] = min(low[parent], low[node])
                    if low[node] > disc[parent]:
                        found.append(via)  # type: ignore[arg-type]
    return sorted(found)


def side_of(adj: dict[int, list[tuple[int, Edge]]], start: int, *, without: Edge) -> set[int]:
    """The nodes still reachable from `start` once the edge `without` is removed."""
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour, edge in adj.get(node, ()):
            if edge != without and neighbour not in seen:
                seen.add(neighbour)
                queue.append(neighbour)
    return seen
