"""Clause spans: the units a learned verdict cites as evidence."""

from __future__ import annotations

from simulator.core.scoring.clauses import MAX_CLAUSES, WINDOW, clauses


def texts(text: str) -> list[str]:
    return [text[a:b] for a, b in clauses(text)]


def test_typed_answers_split_at_sentences_and_joined_clauses() -> None:
    answer = "Maria, that sounds frightening, and I'm glad you called. I'm locking your card now. Can you confirm your date of birth?"
    assert texts(answer) == [
        "Maria, that sounds frightening",
        "and I'm glad you called",
        "I'm locking your card now",
        "Can you confirm your date of birth",
    ]


def test_speech_without_punctuation_is_cut_into_overlapping_windows() -> None:
    answer = "okay maria i can hear how scared you are um first thing i'm blocking the card now can you tell me the last four digits"
    pieces = texts(answer)
    assert len(pieces) > 2
    assert all(len(p.split()) <= WINDOW for p in pieces)
    assert any("blocking the card" in p for p in pieces)


def test_work_is_bounded_for_huge_answers() -> None:
    assert len(clauses("word. " * 10_000)) == MAX_CLAUSES
    assert clauses("") == [] and clauses(" ... ") == []
