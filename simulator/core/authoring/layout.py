"""A deterministic layered layout for the scenario graph: columns by distance from the start.

A small Sugiyama-style pass is enough for scenario graphs of a few hundred nodes: breadth-first
layers from the start (so a conversation reads left to right), then a few barycenter sweeps that
order each column by the mean row of its neighbours, which removes most edge crossings. It is
pure arithmetic in abstract units (column, row), so it is tested here and the Qt view only scales.
The same graph always gives the same positions: the graph does not jump while a trainer edits.
"""

from __future__ import annotations

from collections import deque


def layers(nodes: list[str], edges: list[tuple[str, str]], start: str) -> dict[str, int]:
    """Column of every node: its breadth-first distance from ``start``.

    Nodes the start cannot reach go in one column after the last, where a trainer will notice them.
    """
    children: dict[str, list[str]] = {node: [] for node in nodes}
    for source, target in edges:
        if source in children and target in children:
            children[source].append(target)
    layer: dict[str, int] = {}
    if start in children:
        layer[start] = 0
        queue = deque([start])
        while queue:
            current = queue.popleft()
            for child in children[current]:
                if child not in layer:
                    layer[child] = layer[current] + 1
                    queue.append(child)
    last = max(layer.values(), default=-1) + 1
    for node in nodes:
        layer.setdefault(node, last)
    return layer


def layout(
    nodes: list[str], edges: list[tuple[str, str]], start: str, sweeps: int = 4
) -> dict[str, tuple[float, float]]:
    """(column, row) for every node; rows of short columns are centred against the tallest."""
    unique = list(dict.fromkeys(nodes))
    layer = layers(unique, edges, start)
    neighbours_up: dict[str, list[str]] = {node: [] for node in unique}
    neighbours_down: dict[str, list[str]] = {node: [] for node in unique}
    for source, target in edges:
        if source in layer and target in layer and layer[source] != layer[target] and source != target:
            neighbours_down[source].append(target)
            neighbours_up[target].append(source)
    columns: dict[int, list[str]] = {}
    for node in unique:  # file order first: stable, and familiar to the author
        columns.setdefault(layer[node], []).append(node)
    row = {node: float(i) for column in columns.values() for i, node in enumerate(column)}
    for sweep in range(sweeps):
        downward = sweep % 2 == 0
        neighbours = neighbours_up if downward else neighbours_down
        for index in sorted(columns, reverse=not downward):
            column = columns[index]
            centre: dict[str, float] = {}
            for node in column:
                placed = [row[n] for n in neighbours[node]]
                centre[node] = sum(placed) / len(placed) if placed else row[node]
            column.sort(key=lambda n: (centre[n], row[n]))
            for i, node in enumerate(column):
                row[node] = float(i)
    tallest = max((len(column) for column in columns.values()), default=1)
    positions: dict[str, tuple[float, float]] = {}
    for index, column in columns.items():
        offset = (tallest - len(column)) / 2
        for i, node in enumerate(column):
            positions[node] = (float(index), offset + i)
    return positions
