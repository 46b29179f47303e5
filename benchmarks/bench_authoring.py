"""Benchmark: the trainer studio's core operations on a generated 300-turn scenario.

The studio re-validates after each edit (debounced) and redraws the graph, so these must stay
well under a second on a file thirty times larger than a real scenario. Measured: parsing into a
round-trip ScenarioDocument, full validation with the real loader, dumping the text after an
edit, the layered graph layout, and a coverage walk of a bundled scenario for scale. Opening
only checks the text with the C parser; the round-trip tree is built on first use (first edit).

    .venv/bin/python benchmarks/bench_authoring.py [--nodes 300] [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import median_ms, print_medians, rounded_medians  # noqa: E402

from simulator.core.authoring.coverage import walk  # noqa: E402
from simulator.core.authoring.document import ScenarioDocument  # noqa: E402
from simulator.core.authoring.generate import generated_scenario_text  # noqa: E402
from simulator.core.authoring.layout import layout  # noqa: E402
from simulator.core.loader import load_file, load_text  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402


def measure(nodes: int, runs: int) -> dict[str, Any]:
    text = generated_scenario_text(nodes, seed=0)
    document = ScenarioDocument.from_text(text, "generated.yaml")
    if document.problems():
        raise SystemExit("the generated scenario has problems: not a fair measurement")
    graph_nodes = [*document.node_ids(), *document.ending_ids()]
    edges = [(a, b) for a, b, _ in document.edges()]
    edited = ScenarioDocument.from_text(text, "generated.yaml")
    counter = iter(range(10**9))

    def edit_and_dump() -> str:
        edited.set(("nodes", nodes // 2, "hint"), f"Edited hint {next(counter)}.")
        return edited.text()

    def edit_only() -> None:
        # What the studio's GUI thread does per keystroke: the dump and the check run on its worker.
        edited.set(("nodes", nodes // 2, "hint"), f"Edited hint {next(counter)}.")

    def background_check() -> object:
        edited.set(("nodes", nodes // 2, "hint"), f"Edited hint {next(counter)}.")
        snapshot = edited.snapshot_text()
        assert snapshot is not None
        return load_text(snapshot[1], "generated.yaml")

    def open_and_prepare() -> None:
        ScenarioDocument.from_text(text, "generated.yaml").prepare()

    wallet = load_file(ROOT / "scenarios" / "stolen-wallet.yaml")
    scorer = RubricScorer()
    results = {
        "open_ms": median_ms(lambda: ScenarioDocument.from_text(text, "generated.yaml"), runs),
        "parse_ms": median_ms(lambda: ScenarioDocument.from_text(text, "generated.yaml").node_ids(), runs),
        "validate_ms": median_ms(document.problems, runs),
        "open_and_prepare_ms": median_ms(open_and_prepare, runs),
        "edit_gui_thread_ms": median_ms(edit_only, runs),
        "background_check_ms": median_ms(background_check, runs),
        "edit_and_dump_ms": median_ms(edit_and_dump, runs),
        "edit_and_validate_ms": median_ms(lambda: (edit_and_dump(), edited.problems()), runs),
        "edges_ms": median_ms(document.edges, runs),
        "layout_ms": median_ms(lambda: layout(graph_nodes, edges, "n0"), runs),
        "coverage_stolen_wallet_60_runs_ms": median_ms(lambda: walk(wallet, scorer, runs_per_quality=20), runs),
    }
    return {
        "nodes": nodes,
        "edges": len(edges),
        "lines": text.count("\n"),
        "bytes": len(text.encode("utf-8")),
        "runs": runs,
        "python": sys.version.split()[0],
        "median_ms": rounded_medians(results),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--nodes", type=int, default=300)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    report = measure(args.nodes, args.runs)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(
        f"Studio core on a generated scenario: {report['nodes']} turns, {report['edges']} edges, "
        f"{report['lines']} lines, {report['bytes'] // 1000} kB (median of {report['runs']} runs)"
    )
    labels = {
        "open": "open (C parser check, problem lines)",
        "parse": "parse into the round-trip tree",
        "validate": "full validation (problems())",
        "open_and_prepare": "open + tree + first dump (studio worker)",
        "edit_gui_thread": "edit one hint (studio GUI thread)",
        "background_check": "edit + dump + load (studio worker)",
        "edit_and_dump": "edit one hint + dump text",
        "edit_and_validate": "edit one hint + dump + validate",
        "edges": "graph edges",
        "layout": "layered graph layout",
        "coverage_stolen_wallet_60_runs": "coverage walk, stolen-wallet, 60 runs",
    }
    print_medians(labels, report["median_ms"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
