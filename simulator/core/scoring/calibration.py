"""Agreement between the scorer and human raters, as QA teams calibrate scorecards.

Cohen's kappa corrects raw agreement for chance: a scorer that says "met" to
everything agrees often on an easy criterion but earns a kappa near zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.scorer import core_spec
from simulator.core.scoring.types import AnswerScorer, ScoringContext


@dataclass(frozen=True)
class Agreement:
    criterion: str
    n: int
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def agreement(self) -> float:
        return (self.tp + self.tn) / self.n if self.n else 0.0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def kappa(self) -> float:
        """Cohen's kappa; 1.0 when both raters agree perfectly on a constant label."""
        if not self.n:
            return 0.0
        observed = self.agreement
        p_yes = ((self.tp + self.fp) / self.n) * ((self.tp + self.fn) / self.n)
        p_no = ((self.tn + self.fn) / self.n) * ((self.tn + self.fp) / self.n)
        expected = p_yes + p_no
        if expected >= 1.0:
            return 1.0 if observed >= 1.0 else 0.0
        return (observed - expected) / (1.0 - expected)

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "criterion": self.criterion,
            "n": self.n,
            "agreement": round(self.agreement, 4),
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "kappa": round(self.kappa, 4),
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
        }


def agreement(criterion: str, pairs: Iterable[tuple[bool, bool]]) -> Agreement:
    """``pairs`` are (expected, predicted) verdicts for one criterion."""
    tp = fp = fn = tn = 0
    for expected, predicted in pairs:
        if expected and predicted:
            tp += 1
        elif predicted:
            fp += 1
        elif expected:
            fn += 1
        else:
            tn += 1
    return Agreement(criterion, tp + fp + fn + tn, tp, fp, fn, tn)


@dataclass(frozen=True)
class Sample:
    """One answer a trainer labelled: the verdict they expect per criterion id."""

    id: str
    response: str
    context: ScoringContext
    labels: Mapping[str, bool]


@dataclass(frozen=True)
class Disagreement:
    """Where the scorer and the trainer differ, with the words the scorer relied on."""

    id: str
    criterion: str
    expected: bool
    scored: bool
    response: str
    evidence: tuple[str, ...]
    flags: tuple[str, ...]
    nearest: str = ""  # criteria judged by examples: the closest example and how close it was

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "criterion": self.criterion,
            "expected": int(self.expected),
            "scored": int(self.scored),
            "response": self.response,
            "evidence": list(self.evidence),
            "flags": list(self.flags),
            "nearest": self.nearest,
        }


@dataclass(frozen=True)
class Calibration:
    """Agreement per criterion, every disagreement, and each sample's verdicts for a side-by-side view."""

    agreements: list[Agreement]
    disagreements: list[Disagreement]
    verdicts: dict[str, dict[str, bool]]


def calibrate(samples: Iterable[Sample], scorer: AnswerScorer) -> Calibration:
    """Score every sample and compare with its labels (the CLI's ``calibrate`` and the studio's tuning)."""
    pairs: dict[str, list[tuple[bool, bool]]] = {}
    disagreements: list[Disagreement] = []
    verdicts: dict[str, dict[str, bool]] = {}
    for sample in samples:
        score = scorer.score(sample.response, _with_labelled_core(sample.context, sample.labels))
        verdicts[sample.id] = {c.id: c.met for c in score.criteria}
        for criterion_id, expected in sample.labels.items():
            result = score.get(criterion_id)
            if result is None:
                continue
            pairs.setdefault(criterion_id, []).append((bool(expected), result.met))
            if bool(expected) != result.met:
                text = sample.response
                disagreements.append(
                    Disagreement(
                        sample.id,
                        criterion_id,
                        bool(expected),
                        result.met,
                        text,
                        tuple(text[a:b] for a, b in result.evidence),
                        tuple(text[a:b] for a, b in result.flags),
                        result.nearest,
                    )
                )
    return Calibration([agreement(cid, p) for cid, p in pairs.items()], disagreements, verdicts)


def _with_labelled_core(context: ScoringContext, labels: Mapping[str, bool]) -> ScoringContext:
    """Add core criteria that are labelled but not in the rubric, so they are still calibrated."""
    present = {spec.id for spec in context.criteria}
    extra = tuple(core_spec(cid) for cid in labels if cid not in present and cid in CORE_CRITERIA)
    return replace(context, criteria=context.criteria + extra) if extra else context
