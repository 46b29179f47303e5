"""Benchmark: score 10,000 answers through the ``score`` command's code path.

Reports answers per second and p50/p95/p99 latency per answer on one core
(the process is pinned to CPU 0 where the OS allows), plus the wall time of
the real ``python -m simulator score`` command including start-up.

    .venv/bin/python benchmarks/bench_score.py [--answers 10000] [--json]

Targets (issue #13): p95 <= 30 ms per answer in the app's path, >= 300 answers/s for the whole
``score`` process on the 2-core machine, the scorer's models loaded in <= 1.5 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from argparse import Namespace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.cli.scoring_cmds import ContextResolver, read_items, result_json  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402

CALIBRATION = ROOT / "tests" / "data" / "calibration"


def make_input(count: int) -> str:
    """``count`` JSON lines cycled from the calibration answers (typed and speech style, all scenarios)."""
    rows = [
        json.loads(line)
        for path in sorted(CALIBRATION.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = io.StringIO()
    for index in range(count):
        row = dict(rows[index % len(rows)])
        row["id"] = f"bench-{index}"
        row.pop("labels", None)
        out.write(json.dumps(row) + "\n")
    return out.getvalue()


def pin_to_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
        return "pinned to one core"
    return "not pinned (no sched_setaffinity)"


def in_process(text: str) -> dict[str, float]:
    resolver = ContextResolver(Namespace(scenarios=[ROOT / "scenarios"]))
    items = list(read_items(io.StringIO(text), resolver, sys.stderr))
    scorer = RubricScorer()
    sink = io.StringIO()
    # Warm up: compile patterns and build the literal automaton, as a long-running app would have.
    for item in items[:200]:
        scorer.score(item.data["response"], item.context)
    latencies: list[float] = []
    start = time.perf_counter()
    for item in items:
        t0 = time.perf_counter()
        score = scorer.score(item.data["response"], item.context)
        sink.write(json.dumps(result_json(item.data["id"], score)) + "\n")
        latencies.append(time.perf_counter() - t0)
    total = time.perf_counter() - start
    quantiles = statistics.quantiles(latencies, n=100)
    return {
        "answers": len(items),
        "seconds": total,
        "answers_per_second": len(items) / total,
        "p50_ms": quantiles[49] * 1000,
        "p95_ms": quantiles[94] * 1000,
        "p99_ms": quantiles[98] * 1000,
        "max_ms": max(latencies) * 1000,
    }


def end_to_end(text: str) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.write(text)
        path = handle.name
    try:
        command = [sys.executable, "-m", "simulator", "score", path]
        taskset = ["taskset", "-c", "0"] if sys.platform.startswith("linux") and _has("taskset") else []
        start = time.perf_counter()
        result = subprocess.run(taskset + command, cwd=ROOT, capture_output=True, text=True, check=True)
        wall = time.perf_counter() - start
    finally:
        os.unlink(path)
    lines = result.stdout.count("\n")
    return {"answers": lines, "seconds": wall, "answers_per_second": lines / wall}


def model_load() -> dict[str, float]:
    """A fresh process: import the scorer and load its rules, vectors and learned models."""
    code = (
        "import time; t=time.perf_counter(); from simulator.core.scoring.scorer import RubricScorer; "
        "RubricScorer(); print(time.perf_counter()-t)"
    )
    runs = [
        float(subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout)
        for _ in range(3)
    ]
    return {"seconds_median_of_3": statistics.median(runs)}


def _has(program: str) -> bool:
    return any((Path(p) / program).exists() for p in os.environ.get("PATH", "").split(os.pathsep))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    text = make_input(args.answers)
    pinned = pin_to_one_core()
    inner = in_process(text)
    outer = end_to_end(text)
    load = model_load()
    if args.json:
        print(json.dumps({"in_process": inner, "end_to_end": outer, "model_load": load, "cpu": pinned}, indent=2))
        return 0
    print(f"Scoring benchmark: {inner['answers']} answers, {pinned}")
    print(
        f"  in process : {inner['answers_per_second']:8.0f} answers/s   "
        f"p50 {inner['p50_ms']:.3f} ms   p95 {inner['p95_ms']:.3f} ms   p99 {inner['p99_ms']:.3f} ms   "
        f"max {inner['max_ms']:.2f} ms"
    )
    print(
        f"  score CLI  : {outer['answers_per_second']:8.0f} answers/s   "
        f"({outer['seconds']:.2f} s wall for {outer['answers']} answers, including start-up)"
    )
    print(f"  model load : {load['seconds_median_of_3']:.2f} s in a fresh process (rules, vectors, learned models)")
    ok = outer["answers_per_second"] >= 300 and inner["p95_ms"] <= 30 and load["seconds_median_of_3"] <= 1.5
    print(f"  targets    : >= 300 answers/s (CLI), p95 <= 30 ms, load <= 1.5 s: {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
