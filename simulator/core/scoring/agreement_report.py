"""Scorer-vs-rater agreement on a labelled split, overall and by answer style.

One definition shared by ``scripts/scorer_report.py`` (what CI prints) and the tests that hold the
frozen sets to their targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.core.catalog import Catalog, scenario_dirs
from simulator.core.scoring.calibration import Agreement, calibrate
from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.corpus import read_answers, sample_of
from simulator.core.scoring.scorer import RubricScorer

CORPUS = "tests/data/corpus"
SPLITS = {
    "train (fit)": f"{CORPUS}/train.jsonl",
    "dev (cuts)": f"{CORPUS}/dev.jsonl",
    "test (frozen)": f"{CORPUS}/test.jsonl",
    "test2 (frozen, written after the scorer)": f"{CORPUS}/test2.jsonl",
}
SPEECH_STYLES = frozenset({"asr"})


@dataclass(frozen=True)
class SplitReport:
    answers: int
    overall: dict[str, Agreement]
    typed: dict[str, Agreement]
    speech: dict[str, Agreement]

    @staticmethod
    def macro(rows: dict[str, Agreement]) -> float:
        core = [a.kappa for cid, a in rows.items() if cid in CORE_CRITERIA]
        return sum(core) / len(core) if core else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "answers": self.answers,
            "macro_kappa": round(self.macro(self.overall), 4),
            "macro_kappa_typed": round(self.macro(self.typed), 4),
            "macro_kappa_speech": round(self.macro(self.speech), 4),
            "criteria": {cid: a.to_dict() for cid, a in self.overall.items()},
        }

    def to_text(self, name: str) -> str:
        lines = [
            f"{name}: {self.answers} answers, macro kappa {self.macro(self.overall):.3f} "
            f"(typed {self.macro(self.typed):.3f}, speech-style {self.macro(self.speech):.3f})"
        ]
        core = [cid for cid in CORE_CRITERIA if cid in self.overall]
        scenario = sorted(cid for cid in self.overall if cid not in CORE_CRITERIA)
        for cid in core:
            a = self.overall[cid]
            lines.append(
                f"  {cid:<22} n={a.n:>5} kappa={a.kappa:.3f} precision={a.precision:.3f} recall={a.recall:.3f}"
            )
        if scenario:
            pooled = _pool([self.overall[c] for c in scenario])
            lines.append(
                f"  {'scenario criteria':<22} n={pooled.n:>5} kappa={pooled.kappa:.3f} "
                f"precision={pooled.precision:.3f} recall={pooled.recall:.3f} ({len(scenario)} criteria)"
            )
        return "\n".join(lines)


def _pool(rows: list[Agreement]) -> Agreement:
    return Agreement(
        "pooled",
        sum(a.n for a in rows),
        sum(a.tp for a in rows),
        sum(a.fp for a in rows),
        sum(a.fn for a in rows),
        sum(a.tn for a in rows),
    )


def report(path: Path, scorer: RubricScorer | None = None) -> SplitReport:
    scorer = scorer or RubricScorer()
    catalog = Catalog(scenario_dirs())
    answers = read_answers(path)  # one read, one check: samples and styles come from the same lines
    samples = [sample_of(answer, catalog, path) for answer in answers]
    spoken = [answer.data.get("style", "typed") in SPEECH_STYLES for answer in answers]
    typed = [s for s, said in zip(samples, spoken, strict=True) if not said]
    speech = [s for s, said in zip(samples, spoken, strict=True) if said]

    def table(chosen: list[Any]) -> dict[str, Agreement]:
        return {a.criterion: a for a in calibrate(chosen, scorer).agreements} if chosen else {}

    return SplitReport(len(samples), table(samples), table(typed), table(speech))
