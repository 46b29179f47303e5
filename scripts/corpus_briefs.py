"""Write the writers' and raters' briefs for the labelled answer corpus (tests/data/corpus).

Writers and raters never see the scorer's rules: they get, for every customer turn of every
bundled scenario, who the customer is, what they said and which scenario-specific goals the turn
has (in the words a trainee reads), nothing else. Run: .venv/bin/python scripts/corpus_briefs.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.core.loader import load_file  # noqa: E402


def main() -> None:
    out = ROOT / "tests" / "data" / "corpus" / "briefs.jsonl"
    rows = []
    for path in sorted((ROOT / "scenarios").glob("*.yaml")):
        scenario = load_file(path)
        for node in scenario.nodes:
            goals = []
            for spec in scenario.criteria_for(node):
                if spec.core:
                    continue
                goals.append({"id": spec.id, "goal": spec.label, "meaning": spec.feedback.missed or spec.label})
            for n, line in enumerate(node.lines):
                rows.append(
                    {
                        "brief": f"{scenario.id}/{node.id}/{n}",
                        "scenario": scenario.id,
                        "node": node.id,
                        "channel": str(scenario.channel),
                        "customer_name": scenario.persona.name,
                        "situation": " ".join(scenario.summary.split()),
                        "customer_line": " ".join(line.text.split()),
                        "scenario_goals": goals,
                    }
                )
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    print(f"{len(rows)} briefs -> {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
