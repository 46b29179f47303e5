"""Assemble the labelled answer corpus from the writers' and raters' files (tests/data/corpus).

    .venv/bin/python scripts/corpus_build.py items W      # rating/items-W.jsonl for the raters
    .venv/bin/python scripts/corpus_build.py merge        # agreement, disagreements, the splits

Raters see the customer line, the scenario goals and the reply, never the writer's intended
quality or style. ``merge`` pairs the two raters of every reply, writes the replies they disagree
on to rating/disagreements.jsonl, takes an adjudicator's label for those (rating/adjudicated-*.jsonl)
and writes train/dev/test by writer: a writer's replies are in one split only, so the held-out
splits measure how the scorer does on people it never learned from.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from simulator.core.scoring.catalog import CORE_CRITERIA

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "corpus"
RAW = CORPUS / "raw"
RATING = CORPUS / "rating"
SPLITS = {"train": ["w1", "w2", "w3", "w4", "w5"], "dev": ["w6"], "test": ["w7", "w8"], "test2": ["w9", "w10"]}
CORE = tuple(CORE_CRITERIA)


def jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def write(path: Path, rows: list[dict]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def briefs() -> dict[str, dict]:
    return {b["brief"]: b for b in jsonl(CORPUS / "briefs.jsonl")}


def items(writer: str) -> None:
    known = briefs()
    rows = []
    for reply in jsonl(RAW / f"{writer}.jsonl"):
        brief = known[reply["brief"]]
        rows.append(
            {
                "id": reply["id"],
                "channel": brief["channel"],
                "customer_name": brief["customer_name"],
                "situation": brief["situation"],
                "customer_line": brief["customer_line"],
                "scenario_goals": [
                    {"id": g["id"], "goal": g["goal"], "meaning": g["meaning"]} for g in brief["scenario_goals"]
                ],
                "response": reply["response"],
            }
        )
    write(RATING / f"items-{writer}.jsonl", rows)
    print(f"{len(rows)} items -> rating/items-{writer}.jsonl")


def kappa(pairs: list[tuple[int, int]]) -> float:
    n = len(pairs)
    if not n:
        return 0.0
    po = sum(a == b for a, b in pairs) / n
    pa, pb = sum(a for a, _ in pairs) / n, sum(b for _, b in pairs) / n
    pe = pa * pb + (1 - pa) * (1 - pb)
    return 1.0 if pe >= 1 else (po - pe) / (1 - pe)


def merge() -> None:
    known = briefs()
    adjudicated: dict[tuple[str, str], dict] = {}
    for path in sorted(RATING.glob("adjudicated-*.jsonl")):
        for row in jsonl(path):
            adjudicated[(row["id"], row["criterion"])] = row
    disagreements, agreement = [], {c: [] for c in CORE}
    out: dict[str, list[dict]] = {s: [] for s in SPLITS}
    for split, writers in SPLITS.items():
        for writer in writers:
            raters = sorted(RATING.glob(f"r*-{writer}.jsonl"))
            # Held-out splits need two raters; a training writer with one rater so far is used with
            # that rater's labels (a training fit needs no second opinion, a measurement does).
            needed = 1 if split == "train" else 2
            if len(raters) < needed or not (RAW / f"{writer}.jsonl").exists():
                print(f"{writer}: {len(raters)} rater file(s); skipped", file=sys.stderr)
                continue
            a, b = ({r["id"]: r["labels"] for r in jsonl(p)} for p in (raters * 2)[:2])
            for reply in jsonl(RAW / f"{writer}.jsonl"):
                rid = reply["id"]
                if rid not in a or rid not in b:
                    continue
                brief = known[reply["brief"]]
                labels, history = {}, []
                for cid in list(CORE) + [g["id"] for g in brief["scenario_goals"]]:
                    la, lb = a[rid].get(cid), b[rid].get(cid)
                    if la is None or lb is None:
                        continue
                    if cid in agreement and len(raters) >= 2:
                        agreement[cid].append((int(la), int(lb)))
                    if int(la) == int(lb):
                        labels[cid] = int(la)
                        continue
                    decision = adjudicated.get((rid, cid))
                    if decision is None:
                        disagreements.append(
                            {
                                "id": rid,
                                "criterion": cid,
                                "customer_name": brief["customer_name"],
                                "customer_line": brief["customer_line"],
                                "response": reply["response"],
                                "goal": next((g for g in brief["scenario_goals"] if g["id"] == cid), None),
                                "rater_a": int(la),
                                "rater_b": int(lb),
                            }
                        )
                        continue
                    labels[cid] = int(decision["label"])
                    history.append(
                        {
                            "criterion": cid,
                            "a": int(la),
                            "b": int(lb),
                            "adjudicated": int(decision["label"]),
                            "why": decision.get("why", ""),
                        }
                    )
                out[split].append(
                    {
                        "id": rid,
                        "writer": writer,
                        "style": reply["style"],
                        "quality": reply["quality"],
                        "scenario": brief["scenario"],
                        "node": brief["node"],
                        "channel": brief["channel"],
                        "customer_name": brief["customer_name"],
                        "customer_line": brief["customer_line"],
                        "response": reply["response"],
                        "labels": labels,
                        "adjudication": history,
                    }
                )
    for split, rows in out.items():
        write(CORPUS / f"{split}.jsonl", rows)
        print(f"{split}: {len(rows)} answers, styles {dict(Counter(r['style'] for r in rows))}")
    write(RATING / "disagreements.jsonl", disagreements)
    print(f"{len(disagreements)} rater disagreements still to adjudicate -> rating/disagreements.jsonl")
    print("inter-rater kappa before adjudication:")
    for cid, pairs in agreement.items():
        print(f"  {cid:<22} n={len(pairs):>5} kappa={kappa(pairs):.3f}")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "items":
        items(sys.argv[2])
    elif len(sys.argv) == 2 and sys.argv[1] == "merge":
        merge()
    else:
        raise SystemExit(__doc__)
