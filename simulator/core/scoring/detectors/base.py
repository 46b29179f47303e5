"""What every detector returns, and the shape a detector has."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from simulator.core.scoring.text import Answer
from simulator.core.scoring.types import ScoringContext, Span


@dataclass(frozen=True)
class Detection:
    """A detector's verdict: ``evidence`` earned the score, ``flags`` cost it."""

    score: float
    evidence: tuple[Span, ...] = ()
    flags: tuple[Span, ...] = ()
    note: str = ""

    @property
    def met(self) -> bool:
        return self.score >= 0.5


MISSED = Detection(0.0)

Detector = Callable[[Answer, ScoringContext], Detection]
