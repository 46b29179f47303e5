"""Scoring results and the interface between the engine and any scorer.

The engine accepts any :class:`AnswerScorer`: the rule-based rubric scorer,
a fake in tests, or a future model-based one.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Protocol

from simulator.core.model import CriterionSpec

Span = tuple[int, int]


@dataclass(frozen=True)
class Review:
    """A trainer's verdict on one criterion of one turn, beside the scorer's (which is never changed)."""

    met: bool
    comment: str
    trainer: str
    at: str  # ISO time
    scorer_met: bool
    scorer_score: float

    def to_dict(self) -> dict[str, Any]:
        return {"met": self.met, "comment": self.comment, "trainer": self.trainer, "at": self.at}

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, scorer_met: bool, scorer_score: float) -> Review:
        return cls(
            met=bool(data["met"]),
            comment=str(data.get("comment", "")),
            trainer=str(data.get("trainer", "")),
            at=str(data.get("at", "")),
            scorer_met=scorer_met,
            scorer_score=scorer_score,
        )


@dataclass(frozen=True)
class CriterionResult:
    """The verdict on one criterion for one answer, with the words that earned it."""

    id: str
    label: str
    met: bool
    score: float
    evidence: tuple[Span, ...] = ()
    flags: tuple[Span, ...] = ()
    feedback: str = ""
    example: str = ""
    weight: float = 1.0
    auto_fail: bool = False
    note: str = ""
    # False when a miss is a judgement call (the scorer was not sure): it costs this criterion,
    # but never zeroes the turn through ``auto_fail``.
    certain: bool = True
    nearest: str = ""
    # A trainer's verdict, when one overrode the scorer's: ``met`` and ``score`` are then what the
    # criterion counts as, and the review keeps what the scorer said (see outcome.reviewed).
    review: Review | None = None

    @property
    def scorer_met(self) -> bool:
        return self.review.scorer_met if self.review else self.met

    def to_dict(self) -> dict[str, Any]:
        """The stored form: ``met`` and ``score`` are always the scorer's; a review rides beside them."""
        review = self.review
        return {
            "id": self.id,
            "label": self.label,
            "met": review.scorer_met if review else self.met,
            "score": round(review.scorer_score if review else self.score, 3),
            "evidence": [list(span) for span in self.evidence],
            "flags": [list(span) for span in self.flags],
            "feedback": self.feedback,
            "example": self.example,
            "weight": self.weight,
            "auto_fail": self.auto_fail,
            "note": self.note,
            "certain": self.certain,
            **({"nearest": self.nearest} if self.nearest else {}),
            **({"override": review.to_dict()} if review else {}),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CriterionResult:
        """The stored form back; an ``"override"`` entry is applied, so ``met`` is what counts."""
        result = cls(
            id=data["id"],
            label=data.get("label", data["id"]),
            met=bool(data["met"]),
            score=float(data["score"]),
            evidence=tuple((int(a), int(b)) for a, b in data.get("evidence", [])),
            flags=tuple((int(a), int(b)) for a, b in data.get("flags", [])),
            feedback=data.get("feedback", ""),
            example=data.get("example", ""),
            weight=float(data.get("weight", 1.0)),
            auto_fail=bool(data.get("auto_fail", False)),
            note=data.get("note", ""),
            certain=bool(data.get("certain", True)),
            nearest=str(data.get("nearest", "")),
        )
        override = data.get("override")
        if isinstance(override, dict):
            return result.reviewed(Review.from_dict(override, scorer_met=result.met, scorer_score=result.score))
        return result

    def reviewed(self, review: Review) -> CriterionResult:
        """This verdict as a trainer decided it: fully met (1) or fully missed (0), the scorer's kept."""
        return replace(self, met=review.met, score=1.0 if review.met else 0.0, review=review)


@dataclass(frozen=True)
class TurnScore:
    """All criteria for one answer and the weighted turn score (0-100)."""

    score: float
    criteria: tuple[CriterionResult, ...]
    auto_failed: tuple[str, ...] = ()

    @property
    def met(self) -> frozenset[str]:
        return frozenset(c.id for c in self.criteria if c.met)

    @property
    def missed(self) -> frozenset[str]:
        return frozenset(c.id for c in self.criteria if not c.met)

    def get(self, criterion_id: str) -> CriterionResult | None:
        for result in self.criteria:
            if result.id == criterion_id:
                return result
        return None

    def auto_fail_reasons(self, answer: str) -> list[str]:
        """Why the turn scored 0, one plain sentence per failed criterion, quoting the words."""
        reasons = []
        for criterion_id in self.auto_failed:
            result = self.get(criterion_id)
            if result is None:
                continue
            words = ", ".join(f'"{answer[a:b].strip()}"' for a, b in result.flags[:3] if 0 <= a < b <= len(answer))
            because = f" because of {words}" if words else ""
            detail = f" {result.note}" if result.note else ""
            reasons.append(f"{result.label}: missed{because}, and it must be met, so the turn scored 0.{detail}")
        return reasons

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 1),
            "criteria": [c.to_dict() for c in self.criteria],
            "auto_failed": list(self.auto_failed),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TurnScore:
        return cls(
            score=float(data["score"]),
            criteria=tuple(CriterionResult.from_dict(c) for c in data["criteria"]),
            auto_failed=tuple(data.get("auto_failed", ())),
        )


@dataclass(frozen=True)
class ScoringContext:
    """What a scorer may look at besides the answer itself."""

    criteria: tuple[CriterionSpec, ...]
    customer_line: str = ""
    customer_name: str = ""
    channel: str = "chat"
    extra: dict[str, Any] = field(default_factory=dict)


class AnswerScorer(Protocol):
    """Anything that scores one answer in the context of a turn."""

    def score(self, answer: str, context: ScoringContext) -> TurnScore: ...


def weighted_score(results: tuple[CriterionResult, ...]) -> tuple[float, tuple[str, ...]]:
    """The 0-100 turn score: weighted mean of criterion scores; a surely missed auto-fail zeroes it."""
    failed = tuple(r.id for r in results if r.auto_fail and not r.met and r.certain)
    total = sum(r.weight for r in results)
    if failed or total <= 0:
        return 0.0, failed
    return 100.0 * sum(r.weight * r.score for r in results) / total, failed
