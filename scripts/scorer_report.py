"""How well the scorer agrees with the raters, split by split: fit apart from held-out results.

    .venv/bin/python scripts/scorer_report.py [--json] [--splits train,dev]

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


def _short(name: str) -> str:
    """A split's name on the command line: "dev (cuts)" is ``dev``."""
    return name.split()[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--splits",
        default=",".join(_short(name) for name in SPLITS),
        help="comma-separated splits to measure (default all): tuning looks at train,dev only, never the frozen ones",
    )
    args = parser.parse_args()
    chosen = {part.strip() for part in args.splits.split(",") if part.strip()}
    unknown = chosen - {_short(name) for name in SPLITS}
    if unknown:
        parser.error(
            f"unknown split(s) {', '.join(sorted(unknown))}; choose from {', '.join(_short(n) for n in SPLITS)}"
        )
    results = {
        name: report(ROOT / path) for name, path in SPLITS.items() if _short(name) in chosen and (ROOT / path).exists()
    }
    if args.json:
        print(json.dumps({k: v.to_dict() for k, v in results.items()}, indent=1))
        return 0
    for name, result in results.items():
        print(result.to_text(name))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
