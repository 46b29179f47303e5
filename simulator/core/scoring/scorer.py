"""The rubric scorer: judges one answer on each criterion of a turn and explains why.

Deterministic, offline and fast (no model to load): core criteria use the
built-in detectors, scenario criteria their phrases and patterns. Each
result carries evidence spans into the original answer, plain-words feedback,
and for a missed criterion an example of what would have earned it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simulator.core.model import CriterionSpec, Feedback
from simulator.core.scoring.catalog import CORE_CRITERIA

if TYPE_CHECKING:
    from simulator.core.scoring.phrases import PhraseMatcher
from simulator.core.scoring.detectors.base import Detection, Detector
from simulator.core.scoring.text import Answer
from simulator.core.scoring.types import CriterionResult, ScoringContext, TurnScore, weighted_score


def core_spec(criterion_id: str, weight: float = 1.0) -> CriterionSpec:
    """The rubric line for a core criterion with its default wording."""
    core = CORE_CRITERIA[criterion_id]
    return CriterionSpec(
        id=core.id,
        label=core.label,
        weight=weight,
        feedback=Feedback(core.met, core.missed),
        example=core.example,
        core=True,
    )


CORE_RUBRIC: tuple[CriterionSpec, ...] = tuple(core_spec(cid) for cid in CORE_CRITERIA)


class RubricScorer:
    """Scores answers against core and scenario-specific criteria (implements ``AnswerScorer``)."""

    def __init__(self) -> None:
        # Compiling the detectors' ~300 patterns takes a few hundred milliseconds: done here, not at
        # import, so the CLI and the window start without paying for it until scoring is needed.
        from simulator.core.scoring.detectors.registry import CORE_DETECTORS
        from simulator.core.scoring.phrases import PhraseMatcher

        self._detectors: dict[str, Detector] = CORE_DETECTORS
        self._matcher_type = PhraseMatcher
        self._matchers: dict[CriterionSpec, PhraseMatcher] = {}

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        prepared = Answer.of(answer)
        results = tuple(self._judge(spec, prepared, context) for spec in context.criteria)
        total, failed = weighted_score(results)
        return TurnScore(score=total, criteria=results, auto_failed=failed)

    def detect(self, spec: CriterionSpec, answer: Answer, context: ScoringContext) -> Detection:
        if not answer.norm.strip():
            return Detection(0.0, note="No answer was given.")
        if spec.phrases or spec.patterns:
            matcher = self._matchers.get(spec)
            if matcher is None:
                matcher = self._matchers[spec] = self._matcher_type.of(spec)
            return matcher(answer)
        detector = self._detectors.get(spec.id)
        if detector is None:
            return Detection(0.0, note=f"No detector for criterion {spec.id!r}.")
        return detector(answer, context)

    def _judge(self, spec: CriterionSpec, answer: Answer, context: ScoringContext) -> CriterionResult:
        detection = self.detect(spec, answer, context)
        met = detection.met
        feedback = spec.feedback.met if met else spec.feedback.missed
        if detection.note and not met:
            feedback = f"{feedback} {detection.note}".strip()
        return CriterionResult(
            id=spec.id,
            label=spec.label,
            met=met,
            score=detection.score,
            evidence=detection.evidence,
            flags=detection.flags,
            feedback=feedback,
            example="" if met else spec.example,
            weight=spec.weight,
            auto_fail=spec.auto_fail,
            note=detection.note,
        )
