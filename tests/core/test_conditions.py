"""The transition condition language: parsing, evaluation and located errors."""

from __future__ import annotations

import pytest

from simulator.core.conditions import ConditionError, Env, parse

ENV = Env(
    met=frozenset({"acknowledge_emotion"}),
    missed=frozenset({"take_ownership"}),
    score=64.5,
    mood=80,
    turn=3,
    variables={"card_locked": True, "tries": 2, "tier": "gold"},
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("met.acknowledge_emotion", True),
        ("met.take_ownership", False),
        ("missed.take_ownership and score >= 60", True),
        ("score > 65 or mood >= 80", True),
        ("not var.card_locked", False),
        ("var.tries == 2 and var.tier == 'gold'", True),
        ('var.tier != "gold"', False),
        ("(met.take_ownership or met.acknowledge_emotion) and turn < 4", True),
        ("not (score < 50)", True),
        ("var.tier < 3", False),  # text and numbers do not order: false, not a crash
        ("var.unknown", False),
        ("true and not false", True),
        ("score <= 64.5", True),
    ],
)
def test_evaluation(source: str, expected: bool) -> None:
    assert parse(source).evaluate(ENV) is expected


def test_references_are_collected() -> None:
    condition = parse("met.a and (missed.b or var.c > 1) and score > 2")
    assert condition.criteria == {"a", "b"}
    assert condition.variables == {"c"}
    assert ("met", "a", 0) in condition.references()


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("score >=", 8, "ends too early"),
        ("met.a and", 9, "ends too early"),
        ("met.a score > 1", 6, "unexpected 'score'"),
        ("(met.a", 6, "missing ')'"),
        ("met.a & met.b", 6, "unexpected character '&'"),
        ("points > 3", 0, "unknown name 'points'"),
        ("vars.x", 0, "unknown name 'vars.x'"),
        ("and met.a", 0, "'and' needs something before it"),
    ],
)
def test_errors_carry_the_column(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse(source)
    assert caught.value.offset == offset
    assert fragment in caught.value.message
