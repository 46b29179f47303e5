"""Fit the learned half of the core scorer on the corpus's train split; choose cuts on dev.

    .venv/bin/python scripts/train_scorer.py [--l2 1,3,10]

Reads tests/data/corpus/train.jsonl (plus the older calibration sets) and dev.jsonl, and writes
simulator/core/scoring/core_model.json. The frozen test sets are never read here.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulator.core.scoring.corpus import read_samples  # noqa: E402
from simulator.core.scoring.learned import LEARNED_CRITERIA, MODEL_PATH, CoreModels  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.core.scoring.training import train  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "corpus"
CALIBRATION = ROOT / "tests" / "data" / "calibration"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--l2", default="1,3,10", help="comma-separated L2 strengths; each criterion's is chosen on dev"
    )
    parser.add_argument(
        "--train", nargs="*", type=Path, default=[CORPUS / "train.jsonl", *sorted(CALIBRATION.glob("set_*.jsonl"))]
    )
    parser.add_argument("--dev", nargs="*", type=Path, default=[CORPUS / "dev.jsonl"])
    parser.add_argument("--out", type=Path, default=MODEL_PATH)
    args = parser.parse_args()
    rules = RubricScorer(models=CoreModels({}, {}))
    train_samples = [s for path in args.train if path.exists() for s in read_samples(path)]
    dev_samples = [s for path in args.dev if path.exists() for s in read_samples(path)]
    models = train(train_samples, dev_samples, rules, [float(v) for v in args.l2.split(",")])
    models.meta["train_files"] = [p.resolve().relative_to(ROOT).as_posix() for p in args.train if p.exists()]
    models.meta["dev_files"] = [p.resolve().relative_to(ROOT).as_posix() for p in args.dev if p.exists()]
    args.out.write_text(models.to_json(), encoding="utf-8")
    for cid in LEARNED_CRITERIA:
        m = models.models[cid]
        print(
            f"{cid:<22} l2 {models.meta['l2'].get(cid)} threshold {m.threshold:.3f} "
            f"sure_below {m.sure_below:.3f} rule_veto {m.rule_veto:.2f}"
        )
    print(f"{len(train_samples)} train, {len(dev_samples)} dev answers -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
