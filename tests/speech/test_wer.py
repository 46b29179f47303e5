"""The word error rate the voice benchmark and tests report."""

from __future__ import annotations

from simulator.speech.wer import edit_distance, word_error_rate, words


def test_word_normalisation() -> None:
    assert words("Your card arrives in Five business-days, Ms. O’Neil!") == [
        "your", "card", "arrives", "in", "5", "business", "days", "ms", "o'neil",
    ]  # fmt: skip
    assert words("the 14-day window") == words("The fourteen day window.")
    assert words("I'm here -- 'really'") == ["i'm", "here", "really"]


def test_edit_distance() -> None:
    assert edit_distance([], []) == 0
    assert edit_distance(["a", "b", "c"], []) == 3
    assert edit_distance([], ["a"]) == 1
    assert edit_distance(words("lock the card now"), words("lock a card now please")) == 2
    assert edit_distance(words("calm down"), words("come down")) == 1


def test_word_error_rate() -> None:
    assert word_error_rate("Ask not, what", "ask not what") == 0.0
    assert word_error_rate("one two three four", "one too three") == 0.5
    assert word_error_rate("a b", "a b c d") == 1.0
