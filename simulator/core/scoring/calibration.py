"""Agreement between the scorer and human raters, as QA teams calibrate scorecards.

Cohen's kappa corrects raw agreement for chance: a scorer that says "met" to
everything agrees often on an easy criterion but earns a kappa near zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
