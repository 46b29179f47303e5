"""The graph layout places every node once, and the generated scenario is large and valid."""

from __future__ import annotations

from itertools import combinations

from simulator.core.authoring.document import ScenarioDocument
from simulator.core.authoring.generate import generated_scenario_text
from simulator.core.authoring.layout import layers, layout
from simulator.core.loader import load_text


def _crossings(positions: dict[str, tuple[float, float]], edges: list[tuple[str, str]]) -> int:
    count = 0
    for (a, b), (c, d) in combinations(edges, 2):
        same_columns = positions[a][0] == positions[c][0] and positions[b][0] == positions[d][0]
        if same_columns and (positions[a][1] - positions[c][1]) * (positions[b][1] - positions[d][1]) < 0:
            count += 1
    return count


def test_layers_follow_breadth_first_distance() -> None:
    edges = [("s", "a"), ("s", "b"), ("a", "c"), ("c", "s"), ("b", "end")]
    assert layers(["s", "a", "b", "c", "end", "orphan"], edges, "s") == {
        "s": 0,
        "a": 1,
        "b": 1,
        "c": 2,
        "end": 2,
        "orphan": 3,
    }


def test_barycenter_sweeps_remove_a_simple_crossing() -> None:
    nodes = ["s", "a", "b", "x", "y"]
    edges = [("s", "a"), ("s", "b"), ("a", "y"), ("b", "x")]
    positions = layout(nodes, edges, "s")
    assert _crossings(positions, edges) == 0
    assert positions["s"][0] == 0.0 and positions["y"][0] == positions["x"][0] == 2.0


def test_generated_300_nodes_load_and_lay_out() -> None:
    text = generated_scenario_text(300, seed=0)
    scenario = load_text(text, "generated.yaml")
    assert len(scenario.nodes) == 300 and len(scenario.endings) == 5
    assert all(2 <= len(node.transitions) <= 3 + 5 for node in scenario.nodes)
    assert {e.outcome.value for e in scenario.endings} == {"resolved", "escalated", "customer_lost"}
    document = ScenarioDocument.from_text(text, "generated.yaml")
    assert document.problems() == []
    nodes = [*document.node_ids(), *document.ending_ids()]
    edges = [(a, b) for a, b, _ in document.edges()]
    positions = layout(nodes, edges, "n0")
    assert set(positions) == set(nodes)
    assert len(set(positions.values())) == len(nodes)  # no two nodes on one spot
    assert positions["n0"][0] == 0.0
    assert [n for n in nodes if positions[n][0] == 0.0] == ["n0"]
    assert layout(nodes, edges, "n0") == positions  # deterministic
    assert generated_scenario_text(300, seed=0) == text
    assert generated_scenario_text(300, seed=1) != text


def test_small_generated_scenarios_are_valid_too() -> None:
    for count in (1, 2, 7, 40):
        assert ScenarioDocument.from_text(generated_scenario_text(count, seed=count)).problems() == []


def test_layout_tolerates_unknown_edges_duplicates_and_a_missing_start() -> None:
    positions = layout(["a", "b", "a"], [("a", "zz"), ("a", "b"), ("b", "b")], "nope")
    assert set(positions) == {"a", "b"}
    assert len(set(positions.values())) == 2
    assert layout([], [], "s") == {}
