"""Word error rate: how far a transcript is from what was said, in words.

One definition for the benchmark, the round-trip test and the CLI tests, so their
figures can be compared: case and punctuation do not count, hyphens split words,
and "one".."twenty" equal their digits (the recogniser writes either).
"""

from __future__ import annotations

import re

# fmt: off
NUMBERS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty",
)
# fmt: on
NUMBER_WORDS = {word: str(value) for value, word in enumerate(NUMBERS)}


def words(text: str) -> list[str]:
    """Lower-case words, punctuation stripped (hyphens split words), "one".."twenty" as digits."""
    text = re.sub(r"[^a-z0-9']+", " ", text.lower().replace("\u2019", "'"))
    tokens = (token.strip("'") for token in text.split())
    return [NUMBER_WORDS.get(token, token) for token in tokens if token]


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """Word-level Levenshtein distance: substitutions + deletions + insertions."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def word_error_rate(reference: str, hypothesis: str) -> float:
    expected = words(reference)
    return edit_distance(expected, words(hypothesis)) / len(expected)
