"""Benchmark: the scorer's worst time per kilobyte on hostile answers (issue 16).

Every attack of ``simulator.core.scoring.adversarial`` (phrases repeated after feeling words,
number-word runs, punctuation, whitespace, emoji, and answers pumped from every detector
pattern's own repeated parts) is scored against the whole rubric of every bundled scenario, as
the app scores an answer, at growing lengths up to the scorer's limit. An attack whose answer
takes more than ``--give-up`` seconds is not grown further (before the fix, one more repeat of
"such a " doubled the time). Reports the worst milliseconds per kilobyte and the attacks behind it.

    .venv/bin/python benchmarks/bench_redos.py [--chars 4000] [--give-up 2] [--patterns] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.core.loader import load_file  # noqa: E402
from simulator.core.scoring.adversarial import Attack, attack_corpus, pattern_attacks, scorer_patterns  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.core.scoring.types import ScoringContext  # noqa: E402

SIZES = (100, 200, 400, 1000, 2000, 4000)


def contexts() -> list[tuple[str, ScoringContext]]:
    """The whole rubric of every bundled scenario (core and scenario criteria), as the app scores it."""
    out = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_file(path)
        line = scenario.node(scenario.start).lines[0].text
        out.append(
            (
                scenario.id,
                ScoringContext(
                    criteria=scenario.rubric,
                    customer_line=line,
                    customer_name=scenario.persona.name,
                    channel=scenario.channel.value,
                ),
            )
        )
    return out


def run(attacks: list[Attack], chars: int, give_up: float) -> list[dict[str, object]]:
    scorer = RubricScorer()
    scenes = contexts()
    scorer.score("warm up: I understand, I'll check it now.", scenes[0][1])
    rows: list[dict[str, object]] = []
    for attack in attacks:
        for size in (s for s in SIZES if s <= chars):
            text = attack.text(size)
            worst, where = 0.0, ""
            for scenario_id, context in scenes:
                start = time.perf_counter()
                scorer.score(text, context)
                seconds = time.perf_counter() - start
                if seconds > worst:
                    worst, where = seconds, scenario_id
            rows.append(
                {
                    "attack": attack.name,
                    "chars": len(text),
                    "ms": round(worst * 1000, 2),
                    "ms_per_kb": round(worst * 1000 / (len(text) / 1000), 2),
                    "scenario": where,
                }
            )
            if worst > give_up:
                break
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--chars", type=int, default=4000, help="longest answer tried")
    parser.add_argument("--give-up", type=float, default=2.0, help="seconds after which an attack is not grown")
    parser.add_argument("--patterns", action="store_true", help="also every detector pattern's pumped probes (slow)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    attacks = list(attack_corpus())
    if args.patterns:
        attacks += list(pattern_attacks(scorer_patterns()))
    rows = run(attacks, args.chars, args.give_up)
    # Short answers are dominated by fixed costs (vectors, the model); the slope shows at 1 kB and up.
    long_rows = [r for r in rows if int(str(r["chars"])) >= 1000] or rows
    worst = sorted(long_rows, key=lambda r: float(str(r["ms_per_kb"])), reverse=True)
    slowest = max(rows, key=lambda r: float(str(r["ms"])))
    report = {
        "attacks": len(attacks),
        "answers_scored": len(rows),
        "worst_ms_per_kb": worst[0]["ms_per_kb"],
        "worst": worst[:5],
        "slowest_answer": slowest,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{len(attacks)} attacks, {len(rows)} answers scored against every bundled scenario's rubric")
    print(f"worst (answers of 1 kB and more): {report['worst_ms_per_kb']} ms per kB")
    for row in worst[:5]:
        print(f"  {row['ms_per_kb']:>9} ms/kB  {row['chars']:>5} chars  {row['ms']:>9} ms  {row['attack']}")
    print(f"slowest answer: {slowest['ms']} ms for {slowest['chars']} chars ({slowest['attack']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
