"""Scenario-specific criteria matched by a trainer's phrases and patterns."""

from __future__ import annotations

import re

import pytest

from simulator.core.model import CriterionSpec
from simulator.core.scoring.phrases import PhraseMatcher, phrase_regex
from simulator.core.scoring.text import Answer


def matcher(*phrases: str, patterns: tuple[str, ...] = (), negatable: bool = True) -> PhraseMatcher:
    return PhraseMatcher.of(CriterionSpec(id="x", label="X", phrases=phrases, patterns=patterns, negatable=negatable))


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("I'm locking your card now.", True),
        ("I locked the debit card.", True),
        ("i'll lock it and the card is safe", False),  # 'lock' and 'card' are too far apart
        ("Let me freeze the cards.", True),
        ("I can't lock the card from here.", False),
        ("The card lock is on.", False),  # wrong order
    ],
)
def test_inflections_gaps_and_negation(answer: str, met: bool) -> None:
    result = matcher("lock card", "freeze card")(Answer.of(answer))
    assert result.met is met, answer


def test_negation_can_be_allowed() -> None:
    assert matcher("jargon", negatable=False)(Answer.of("I won't use jargon")).met


def test_numbers_match_their_spoken_form_and_hyphens() -> None:
    m = matcher("24 hours", "14 day window", "auto renew")
    assert m(Answer.of("within twenty four hours")).met
    assert m(Answer.of("within twenty-four hours")).met
    assert m(Answer.of("the 14-day window")).met
    assert m(Answer.of("turn off auto-renew")).met
    assert not m(Answer.of("within 48 hours")).met


def test_patterns_and_evidence_spans() -> None:
    answer = Answer.of("Your case is CN-4412 and I'll block it.")
    result = matcher("block", patterns=(r"\bcn-\d+",))(answer)
    assert [answer.raw[a:b] for a, b in result.evidence] == ["CN-4412", "block"]


def test_phrase_regex_is_inspectable() -> None:
    assert re.search(phrase_regex("lock card"), "locked your card")
    assert phrase_regex("") == r"(?!x)x"
