"""The rubric scorer: judges one answer on each criterion of a turn and explains why.

Deterministic and offline. Core criteria are judged in two steps: the rule detectors find the
words (and the words that cost a point), then a per-criterion linear model over the answer's
meaning (``simulator.core.scoring.learned``) makes the call, so the same act in other words is
still recognised and a rule's near-miss can be overruled. Scenario criteria use their phrases,
patterns and examples. Each result carries evidence spans into the original answer, plain-words
feedback, and for a missed criterion an example of what would have earned it. A miss the model is
not sure of is marked ``certain=False``: it costs the criterion but never auto-fails the turn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from simulator.core.model import CriterionSpec, Feedback
from simulator.core.scoring.catalog import CORE_CRITERIA

if TYPE_CHECKING:
    from simulator.core.scoring.phrases import PhraseMatcher
from simulator.core.scoring.decision import TONE, combine
from simulator.core.scoring.detectors.base import Detection, Detector
from simulator.core.scoring.examples import ExampleMatcher
from simulator.core.scoring.text import MAX_ANSWER_CHARS, Answer, bounded
from simulator.core.scoring.types import CriterionResult, ScoringContext, Span, TurnScore, weighted_score

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from simulator.core.language.vectors import StaticVectors
    from simulator.core.scoring.learned import CoreModels


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


CUT_NOTE = f"Only the first {MAX_ANSWER_CHARS:,} characters of this answer were read."


class RubricScorer:
    """Scores answers against core and scenario-specific criteria (implements ``AnswerScorer``)."""

    def __init__(self, *, vectors: StaticVectors | None = None, models: CoreModels | None = None) -> None:
        # Compiling the detectors' ~300 patterns takes a few hundred milliseconds and the vector
        # table is 23 MB: done here, not at import, so the CLI and the window start without paying
        # for it until scoring is needed. Missing vectors are built once from the installed model.
        from simulator.core.language.build import ensure_built
        from simulator.core.language.vectors import load
        from simulator.core.scoring.detectors.registry import CORE_DETECTORS
        from simulator.core.scoring.learned import load_models
        from simulator.core.scoring.phrases import PhraseMatcher

        self._detectors: dict[str, Detector] = CORE_DETECTORS
        self._matcher_type = PhraseMatcher
        self._matchers: dict[CriterionSpec, PhraseMatcher] = {}
        self._vectors = vectors or load(ensure_built())
        self._examples: dict[CriterionSpec, ExampleMatcher | None] = {}
        self._models = models or load_models()

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        """The verdicts on ``answer``; only its first ``MAX_ANSWER_CHARS`` characters are read.

        A longer answer is judged on that prefix (evidence spans still point into the whole answer,
        which is kept as written) and every criterion's feedback and note say so: nothing is refused or lost,
        and no answer can make scoring slow.
        """
        read = bounded(answer)
        prepared = Answer.of(read)
        meaning = _Meaning(self._vectors, prepared.raw)
        results = tuple(self._judge(spec, prepared, context, meaning) for spec in context.criteria)
        if len(read) < len(answer):
            results = tuple(
                replace(r, note=f"{r.note} {CUT_NOTE}".strip(), feedback=f"{r.feedback} {CUT_NOTE}".strip())
                for r in results
            )
        total, failed = weighted_score(results)
        return TurnScore(score=total, criteria=results, auto_failed=failed)

    def detect(
        self, spec: CriterionSpec, answer: Answer, context: ScoringContext, meaning: _Meaning | None = None
    ) -> Detection:
        if not answer.norm.strip():
            return Detection(0.0, note="No answer was given.")
        if spec.phrases or spec.patterns or spec.exemplars:
            return self._scenario_criterion(spec, answer, meaning)
        if spec.id not in self._detectors:
            return Detection(0.0, note=f"No detector for criterion {spec.id!r}.")
        if meaning is not None:
            return meaning.rule(self, spec.id, answer, context)
        return self._detectors[spec.id](answer, context)

    def _scenario_criterion(self, spec: CriterionSpec, answer: Answer, meaning: _Meaning | None) -> Detection:
        """Phrases and patterns first (exact words a trainer chose), then the examples by meaning."""
        detection = Detection(0.0)
        if spec.phrases or spec.patterns:
            matcher = self._matchers.get(spec)
            if matcher is None:
                matcher = self._matchers[spec] = self._matcher_type.of(spec)
            detection = matcher(answer)
        if not spec.exemplars:
            return detection
        if spec not in self._examples:
            self._examples[spec] = ExampleMatcher.of(spec, self._vectors)
        examples = self._examples[spec]
        if examples is None:
            return detection
        meaning = meaning or _Meaning(self._vectors, answer.raw)
        spans, vectors = meaning.clause_vectors()
        if detection.met:
            # Phrases a trainer wrote stand. (Vetoing them by the counter-examples raised dev
            # agreement a little but, with static vectors, also vetoed "I can book an engineer for
            # today between 4 and 6" as close to "an engineer might come next week".)
            return detection
        found = examples(answer.raw, spans, vectors)
        if found.met:
            return found
        return Detection(detection.score, flags=detection.flags, note=detection.note, nearest=found.nearest)

    def decide(self, spec: CriterionSpec, answer: Answer, context: ScoringContext, meaning: _Meaning) -> Detection:
        """The rules' detection, then the learned model's call on a core criterion."""
        detection = self.detect(spec, answer, context, meaning)
        model = self._models.get(spec.id) if spec.core and answer.norm.strip() else None
        if model is None:
            return detection
        p = model.probability(meaning.features(self, answer, context))
        tone = spec.id == TONE
        # A rule's near miss (words found, not enough) is left to the model: "I'm sorry the move has
        # been so hectic" is a specific apology however the rule read it.
        words = detection.met and bool(detection.evidence)
        met, sure = combine(spec.id, model, p, evidence=words, flagged=bool(detection.flags))
        if met:
            if tone:
                # Respect is the absence of a violation: there are no words that "earn" it to cite.
                return Detection(1.0)
            if detection.met:
                return detection
            return Detection(1.0, evidence=detection.evidence or meaning.strongest(model.clause_push, +1))
        flags = detection.flags
        if not flags and tone:
            # The model alone heard disrespect in words no rule lists: the clause that pushed it
            # furthest is shown, and (not sure) it costs the criterion, never the turn.
            flags = meaning.strongest(model.clause_push, -1)
        note = detection.note if not detection.met else ""
        if tone and not sure:
            note = (
                note + " " if note else ""
            ) + "This may come across as disrespectful; it was not counted against the turn."
        near_miss = detection.score if not detection.met else 0.0
        return Detection(near_miss, flags=flags, note=note.strip(), certain=sure)

    def _judge(
        self, spec: CriterionSpec, answer: Answer, context: ScoringContext, meaning: _Meaning
    ) -> CriterionResult:
        detection = self.decide(spec, answer, context, meaning)
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
            certain=detection.certain,
            nearest=detection.nearest,
        )


class _Meaning:
    """An answer's vector and its clauses' vectors, computed once per answer and only if needed."""

    def __init__(self, vectors: StaticVectors, text: str) -> None:
        self._vectors = vectors
        self._text = text
        self._whole: npt.NDArray[np.float32] | None = None
        self._clauses: tuple[list[Span], npt.NDArray[np.float32]] | None = None
        self._features: npt.NDArray[np.float64] | None = None
        self._rules: dict[str, Detection] = {}

    def rule(self, scorer: RubricScorer, criterion_id: str, answer: Answer, context: ScoringContext) -> Detection:
        """A core rule's detection, run once per answer: the criterion and every model's features use it."""
        if criterion_id not in self._rules:
            self._rules[criterion_id] = scorer._detectors[criterion_id](answer, context)
        return self._rules[criterion_id]

    def features(self, scorer: RubricScorer, answer: Answer, context: ScoringContext) -> npt.NDArray[np.float64]:
        from simulator.core.scoring.learned import CORE_IDS, answer_features

        if self._features is None:
            if self._whole is None:
                self._whole = self._vectors.embed(self._text)
            _, clause_vectors = self.clause_vectors()
            rules = {}
            for cid in CORE_IDS:
                detection = self.rule(scorer, cid, answer, context)
                rules[cid] = (detection.score, bool(detection.flags))
            self._features = answer_features(self._text, self._whole, clause_vectors, rules)
        return self._features

    def clause_vectors(self) -> tuple[list[Span], npt.NDArray[np.float32]]:
        from simulator.core.scoring.clauses import clauses

        if self._clauses is None:
            spans = clauses(self._text)
            self._clauses = (spans, self._vectors.embed_many([self._text[a:b] for a, b in spans]))
        return self._clauses

    def strongest(
        self, push: Callable[[list[str], npt.NDArray[np.float32]], npt.NDArray[np.float64]], sign: int
    ) -> tuple[Span, ...]:
        """The clause that pushed the model furthest in the direction of its verdict."""
        spans, vectors = self.clause_vectors()
        if not spans:
            return ()
        scores = push([self._text[a:b] for a, b in spans], vectors) * sign
        best = int(scores.argmax())
        return (spans[best],) if scores[best] > 0 else ()
