"""What every detector returns, and the shape a detector has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.core.scoring.text import Answer, merge_spans
from simulator.core.scoring.types import ScoringContext, Span


@dataclass(frozen=True)
class Detection:
    """A detector's verdict: ``evidence`` earned the score, ``flags`` cost it."""

    score: float
    evidence: tuple[Span, ...] = ()
    flags: tuple[Span, ...] = ()
    note: str = ""
    certain: bool = True
    # For criteria judged by examples: the nearest example and its similarity (for trainers tuning).
    nearest: str = ""

    @property
    def met(self) -> bool:
        return self.score >= 0.5


MISSED = Detection(0.0)


def verdict(
    evidence: list[Span],
    flags: list[Span] | None = None,
    note: str = "",
    near_miss: float = 0.0,
) -> Detection:
    """Met on any evidence; otherwise the flags that cost it, scored ``near_miss`` and explained by ``note``."""
    if evidence:
        return Detection(1.0, evidence=merge_spans(evidence))
    if flags:
        return Detection(near_miss, flags=merge_spans(flags), note=note)
    return MISSED


Detector = Callable[[Answer, ScoringContext], Detection]
