"""How well the scorer agrees with the raters, split by split: fit apart from held-out results.

    .venv/bin/python scripts/scorer_report.py [--json]

train is what the learned model was fitted on (a training fit, not a result); dev chose its cuts;
test (and test2, written after the scorer was built) are frozen: never read by training. Each
split's kappa per core criterion, the macro mean, and typed vs speech-style answers.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.core.scoring.agreement_report import SPLITS, report  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {name: report(ROOT / path) for name, path in SPLITS.items() if (ROOT / path).exists()}
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in results.items()}, indent=1))
        return 0
    for name, result in results.items():
        print(result.to_text(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
