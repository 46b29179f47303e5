"""The engine's step API, driven with a fake scorer so branching is tested on its own."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from simulator.core.engine import EngineError, Session
from simulator.core.loader import load_text
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import CriterionResult, ScoringContext, TurnScore, weighted_score
from tests.core.conftest import MINIMAL


class KeywordScorer:
    """Meets a criterion when its id appears in the answer: a fake to test branching."""

    def __init__(self) -> None:
        self.contexts: list[ScoringContext] = []

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        self.contexts.append(context)
        results = tuple(
            CriterionResult(
                id=spec.id,
                label=spec.label,
                met=spec.id in answer or (spec.id == "respectful_tone" and "rude" not in answer),
                score=1.0 if spec.id in answer or (spec.id == "respectful_tone" and "rude" not in answer) else 0.0,
                weight=spec.weight,
                auto_fail=spec.auto_fail,
            )
            for spec in context.criteria
        )
        total, failed = weighted_score(results)
        return TurnScore(total, results, failed)


@pytest.fixture
def scenario() -> Scenario:
    return load_text(MINIMAL, "tiny.yaml")


def test_good_path_reaches_the_resolved_ending(scenario: Scenario) -> None:
    scorer = KeywordScorer()
    session = Session(scenario, scorer)
    first = session.start()
    assert first.node_id == "first"
    assert first.text == "My parcel never came."  # mood 50 is "tense": no variant for it, so the unbanded one
    assert scorer.contexts == []
    result = session.respond("take_ownership acknowledge_emotion")
    assert result.transition == "transitions[1]"
    assert result.mood_before == 50 and result.mood_after == 30
    assert result.next_turn is not None and result.next_turn.node_id == "second"
    assert session.variables["helped"] is True
    assert scorer.contexts[0].customer_line == "My parcel never came."
    assert scorer.contexts[0].customer_name == "Dana Fox"
    assert [c.id for c in scorer.contexts[0].criteria] == [
        "acknowledge_emotion",
        "take_ownership",
        "respectful_tone",
        "mentions_refund",
    ]
    final = session.respond("mentions_refund")
    assert final.ending is not None and final.ending.id == "happy"
    assert session.finished and session.current is None
    summary = session.summary()
    assert summary.outcome is not None and summary.outcome.value == "resolved"
    assert summary.turns == 2
    assert summary.criteria["mentions_refund"] == 0.5  # missed on turn 1, met on turn 2


def test_rude_answer_takes_the_first_matching_transition(scenario: Scenario) -> None:
    session = Session(scenario, KeywordScorer())
    session.start()
    result = session.respond("rude take_ownership")
    assert result.transition == "transitions[0]"
    assert result.ending is not None and result.ending.id == "lost"
    assert result.score.auto_failed == ("respectful_tone",)
    assert result.score.score == 0.0
    assert result.mood_after == 80


def test_fallback_and_variables_gate_the_ending(scenario: Scenario) -> None:
    session = Session(scenario, KeywordScorer())
    session.start()
    assert session.respond("nothing useful").transition == "otherwise"
    assert session.variables["helped"] is False
    # mentions_refund is met but var.helped is false: the fallback loses the customer.
    assert session.respond("mentions_refund").ending.id == "lost"  # type: ignore[union-attr]


def test_mood_variants_follow_the_band(scenario: Scenario) -> None:
    angry = replace(scenario, persona=replace(scenario.persona, mood=90))
    assert Session(angry, KeywordScorer()).start().text == "I am furious about this!"


def test_mood_is_clamped() -> None:
    text = MINIMAL.replace("mood: 50", "mood: 95")
    session = Session(load_text(text), KeywordScorer())
    session.start()
    assert session.respond("rude").mood_after == 100


def test_seeded_variant_choice_is_reproducible() -> None:
    variants = "\n".join(f"      - text: Variant {i}." for i in range(8))
    text = MINIMAL.replace(
        "    say:\n      - mood: angry\n        text: I am furious about this!\n      - text: My parcel never came.\n",
        f"    say:\n{variants}\n",
    )
    scenario = load_text(text)
    lines = {seed: Session(scenario, KeywordScorer(), seed=seed).start().text for seed in range(20)}
    assert len(set(lines.values())) > 1, "different seeds should pick different variants"
    for seed, line in lines.items():
        assert Session(scenario, KeywordScorer(), seed=seed).start().text == line


def test_snapshot_restore_resumes_exactly(scenario: Scenario) -> None:
    session = Session(scenario, RubricScorer(), seed=7)
    session.start()
    session.respond("That sounds really frustrating, Dana. I'll sort out a refund for you now.")
    snapshot = json.loads(json.dumps(session.snapshot()))  # survives a round trip through JSON
    restored = Session.restore(scenario, RubricScorer(), snapshot)
    assert restored.current == session.current
    assert restored.mood == session.mood
    assert restored.variables == session.variables
    assert [r.to_dict() for r in restored.history] == [r.to_dict() for r in session.history]
    a = session.respond("I'll process the refund today.")
    b = restored.respond("I'll process the refund today.")
    assert a.to_dict() == b.to_dict()
    assert restored.summary() == session.summary()


def test_restore_rejects_mismatches(scenario: Scenario) -> None:
    session = Session(scenario, KeywordScorer())
    session.start()
    snapshot = session.snapshot()
    with pytest.raises(EngineError, match="scenario"):
        Session.restore(replace(scenario, id="other"), KeywordScorer(), snapshot)
    with pytest.raises(EngineError, match="version"):
        Session.restore(scenario, KeywordScorer(), {**snapshot, "version": 99})
    broken = {**snapshot, "current": {"index": 0, "node": "gone", "text": "x"}}
    with pytest.raises(EngineError, match="does not match"):
        Session.restore(scenario, KeywordScorer(), broken)


def test_out_of_order_calls(scenario: Scenario) -> None:
    session = Session(scenario, KeywordScorer())
    with pytest.raises(EngineError, match="start"):
        session.respond("hello")
    session.start()
    with pytest.raises(EngineError, match="already started"):
        session.start()
    session.respond("rude")
    with pytest.raises(EngineError, match="finished"):
        session.respond("hello again")


def test_max_turns_ends_at_the_customer_lost_ending() -> None:
    looping = MINIMAL.replace("estimated_minutes: 2", "estimated_minutes: 2\nmax_turns: 3").replace(
        "    otherwise:\n      to: lost\n", "    otherwise:\n      to: first\n"
    )
    session = Session(load_text(looping), KeywordScorer())
    session.start()
    results = [session.respond("nothing") for _ in range(3)]
    assert results[-1].transition == "max_turns"
    assert results[-1].ending is not None and results[-1].ending.id == "lost"
    assert session.finished


def test_start_at_any_node_with_chosen_mood_and_variables() -> None:
    from simulator.core.loader import load_file
    from tests.conftest import ROOT

    scenario = load_file(ROOT / "scenarios" / "stolen-wallet.yaml")
    session = Session(scenario, RubricScorer())
    turn = session.start_at("card_locked", mood=20, variables={"card_locked": True})
    assert turn.node_id == "card_locked" and session.mood == 20 and session.variables["card_locked"] is True
    result = session.respond("Thank you, Maria. Can you confirm your date of birth?")
    assert result.node_id == "card_locked"
    with pytest.raises(EngineError, match="already started"):
        session.start_at("opening")
    with pytest.raises(EngineError, match="unknown variable"):
        Session(scenario, RubricScorer()).start_at("opening", variables={"nope": 1})
    with pytest.raises(EngineError, match="no node"):
        Session(scenario, RubricScorer()).start_at("missing")
