"""Conversation memory: fact extraction per answer, and a whole attempt's engine step without scoring.

    .venv/bin/python benchmarks/bench_memory.py

Facts are taken from every answer (and again for every stored debrief), so they must cost little
beside the scorer (~1.4 ms an answer). Answers are the corpus's 2,342 independent replies.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.core import facts  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.engine import CustomerTurn, Session  # noqa: E402
from simulator.core.scoring.types import ScoringContext, TurnScore  # noqa: E402


class NoScore:
    """Measures the engine and memory alone."""

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        return TurnScore(50.0, ())


def main() -> int:
    answers: list[str] = []
    for path in sorted((ROOT / "tests" / "data" / "corpus" / "raw").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                answers.append(json.loads(line)["response"])
    known = facts.known_references(["VC-220417"])
    timings = []
    found = 0
    started = time.perf_counter()
    for answer in answers:
        t0 = time.perf_counter()
        found += len(facts.extract(answer, known))
        timings.append(time.perf_counter() - t0)
    total = time.perf_counter() - started
    timings.sort()
    print(
        f"fact extraction: {len(answers)} answers in {total:.2f} s = {len(answers) / total:,.0f}/s; "
        f"median {statistics.median(timings) * 1e3:.3f} ms, p95 {timings[int(len(timings) * 0.95)] * 1e3:.3f} ms, "
        f"max {timings[-1] * 1e3:.2f} ms; {found} facts"
    )
    hostile = "between nine and " * 230 + "case number " + "one " * 300
    t0 = time.perf_counter()
    facts.extract(hostile)
    print(f"crafted 4,000-character answer: {(time.perf_counter() - t0) * 1e3:.2f} ms")
    catalog = Catalog([ROOT / "scenarios"])
    steps = 0
    t0 = time.perf_counter()
    for scenario in catalog.scenarios:
        for seed in range(40):
            session = Session(scenario, NoScore(), seed=seed)
            turn: CustomerTurn | None = session.start()
            index = seed
            while turn is not None:
                result = session.respond(answers[index % len(answers)])
                index += 97
                steps += 1
                turn = result.next_turn
    elapsed = time.perf_counter() - t0
    print(f"engine steps with memory (no scoring): {steps} in {elapsed:.2f} s = {elapsed / steps * 1e3:.3f} ms a step")
    from simulator.core.scoring.scorer import RubricScorer

    scorer = RubricScorer()
    step_times: list[float] = []
    for scenario in catalog.scenarios:
        for seed in range(10):
            session = Session(scenario, scorer, seed=seed)
            turn = session.start()
            index = seed
            while turn is not None:
                t0 = time.perf_counter()
                result = session.respond(answers[index % len(answers)])
                step_times.append(time.perf_counter() - t0)
                index += 97
                turn = result.next_turn
    step_times.sort()
    median = statistics.median(step_times) * 1e3
    p95 = step_times[int(len(step_times) * 0.95)] * 1e3
    print(
        f"app path, one answer (score the turn + listen for the rest of the rubric + memory): "
        f"{len(step_times)} steps, median {median:.2f} ms, p95 {p95:.2f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
