"""Turn scores: weights, auto-fail, feedback, and evidence that points into the original text."""

from __future__ import annotations

from simulator.core.model import CriterionSpec, Feedback
from simulator.core.scoring.scorer import RubricScorer, core_spec
from simulator.core.scoring.types import ScoringContext, TurnScore

SCORER = RubricScorer()


def test_weighted_turn_score() -> None:
    criteria = (core_spec("acknowledge_emotion", weight=3), core_spec("take_ownership", weight=1))
    score = SCORER.score("That sounds frightening.", ScoringContext(criteria=criteria))
    assert score.met == {"acknowledge_emotion"}
    assert score.score == 75.0


def test_partial_credit_counts_towards_the_turn_score() -> None:
    criteria = (core_spec("acknowledge_emotion"),)
    score = SCORER.score("Sorry about that.", ScoringContext(criteria=criteria))
    assert score.score == 25.0 and not score.met


def test_missed_auto_fail_zeroes_the_turn() -> None:
    tone = CriterionSpec(id="respectful_tone", label="Stays respectful", auto_fail=True, core=True)
    criteria = (core_spec("take_ownership", weight=5), tone)
    score = SCORER.score("Calm down. I'll refund it.", ScoringContext(criteria=criteria))
    assert score.met == {"take_ownership"}
    assert score.auto_failed == ("respectful_tone",)
    assert score.score == 0.0


def test_scenario_feedback_overrides_and_example_only_when_missed() -> None:
    spec = CriterionSpec(
        id="take_ownership",
        label="Owns it",
        feedback=Feedback(met="Yes!", missed="Say what you will do."),
        example="I'll lock it now.",
        core=True,
    )
    missed = SCORER.score("Okay.", ScoringContext(criteria=(spec,))).criteria[0]
    assert missed.feedback == "Say what you will do." and missed.example == "I'll lock it now."
    met = SCORER.score("I'll lock it now.", ScoringContext(criteria=(spec,))).criteria[0]
    assert met.feedback == "Yes!" and met.example == ""


def test_evidence_offsets_survive_unicode_and_typographic_quotes() -> None:
    answer = "Señora Álvarez — I’ll lock the card. That sounds frightening, Álvarez."
    score = SCORER.score(
        answer,
        ScoringContext(
            criteria=(core_spec("take_ownership"), core_spec("acknowledge_emotion"), core_spec("personalize")),
            customer_name="María Álvarez",
        ),
    )
    texts = {c.id: [answer[a:b] for a, b in c.evidence] for c in score.criteria}
    assert texts["take_ownership"] == ["I’ll lock"]
    assert texts["acknowledge_emotion"] == ["That sounds frightening"]
    assert texts["personalize"] == ["Álvarez", "Álvarez"]


def test_round_trip_through_dict() -> None:
    score = SCORER.score(
        "I'll call you by Friday, Maria.",
        ScoringContext(
            criteria=(core_spec("take_ownership"), core_spec("set_expectations")), customer_name="Maria Lopez"
        ),
    )
    assert TurnScore.from_dict(score.to_dict()) == score


def test_deterministic() -> None:
    context = ScoringContext(criteria=(core_spec("set_expectations"),))
    runs = {SCORER.score("You'll hear from us within 2 days.", context).to_dict().__repr__() for _ in range(5)}
    assert len(runs) == 1
