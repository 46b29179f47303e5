"""Answer text as the detectors see it: lowercased, with offsets kept intact.

Evidence spans must point into the answer the trainee wrote, so normalisation
never changes the length of the text: every character maps to exactly one.
Typed answers and speech-recognised ones ("twenty four hours", no punctuation)
go through the same path.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from simulator.core.scoring.types import Span

# The scorer reads at most this much of an answer: the live protocol's limit and about ten times
# the longest answer the raters labelled (1,307 characters). Every pattern is linear, so this bounds
# the work per answer, whatever was typed (issue 16; ``benchmarks/bench_redos.py``).
MAX_ANSWER_CHARS = 4000
# Where a cut may step back to the last space, so no half word is scored.
_CUT_SLACK = 200

_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

NUMBER_WORDS = (
    "zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|thousand"
)
# A number as digits or as spoken words ("48", "forty eight", "forty-eight", "a hundred and ten").
# Twelve digits at most, and at most eight more words ("nine hundred and ninety nine thousand nine
# hundred and ninety nine"): an unbounded run was tried from every number word (or digit) of a
# long run of them to its end, quadratic in the answer (issue 16).
NUM = rf"(?:\d{{1,12}}(?:[.:,]\d{{1,12}})?|(?:{NUMBER_WORDS})(?:(?:\s+and)?[\s-]+(?:{NUMBER_WORDS})){{0,8}})"

_NEGATORS = re.compile(
    r"\b(?:not|no|never|nothing|cannot|can't|cant|won't|wont|don't|dont|didn't|doesn't|isn't|aren't|"
    r"wasn't|couldn't|wouldn't|shouldn't|unable|without|neither|nor)\b|n't\b"
)
_INTERJECTION = re.compile(r"\b(?:oh,? no|no,? no|no problem|no worries|no doubt)\b")
_CLAUSE_BREAK = re.compile(r"[.!?;:\n]|,\s*(?:but|and|so|because)\b|\b(?:but|however|although|though)\b")


@dataclass(frozen=True)
class Answer:
    """An answer ready for detection: ``norm`` has the same length as ``raw``."""

    raw: str
    norm: str

    @classmethod
    def of(cls, raw: str) -> Answer:
        return cls(raw, normalize(raw))

    @property
    def is_asr_style(self) -> bool:
        """Speech-recogniser output: no capitals and no sentence punctuation."""
        return self.raw == self.raw.lower() and not re.search(r"[.?!,]", self.raw)

    @cached_property
    def _break_ends(self) -> tuple[int, ...]:
        """Where each clause break ends, computed once per answer."""
        return tuple(m.end() for m in _CLAUSE_BREAK.finditer(self.norm))

    def clause_start(self, pos: int) -> int:
        """Start of the clause containing ``pos`` (after the last break that ends before it)."""
        ends = self._break_ends
        index = bisect_right(ends, pos) - 1
        return ends[index] if index >= 0 else 0

    def clause_end(self, pos: int) -> int:
        match = _CLAUSE_BREAK.search(self.norm, pos)
        return match.start() if match else len(self.norm)

    def negated(self, start: int, window: int = 4) -> bool:
        """Is the text just before ``start`` (same clause, last ``window`` words) a negation?"""
        clause = self.clause_start(start)
        before = _INTERJECTION.sub(" ", self.norm[clause:start])
        words = re.findall(r"[a-z']+", before)[-window:]
        return bool(_NEGATORS.search(" ".join(words)))


def bounded(text: str) -> str:
    """``text`` itself, or its first :data:`MAX_ANSWER_CHARS` characters ending at a space if one is near."""
    if len(text) <= MAX_ANSWER_CHARS:
        return text
    cut = text[:MAX_ANSWER_CHARS]
    space = max(cut.rfind(" ", MAX_ANSWER_CHARS - _CUT_SLACK), cut.rfind("\n", MAX_ANSWER_CHARS - _CUT_SLACK))
    return cut[:space] if space > 0 and not text[MAX_ANSWER_CHARS].isspace() else cut


def normalize(text: str) -> str:
    """Lowercase and fold typographic quotes and dashes, keeping one character per character."""
    folded = text.translate(_FOLD)
    if folded.isascii():
        return folded.lower()
    out = []
    for char in folded:
        lower = char.lower()
        out.append(lower if len(lower) == 1 else char)
    return "".join(out)


def find_all(patterns: Iterable[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    for pattern in patterns:
        yield from pattern.finditer(text)


def merge_spans(spans: Iterable[Span]) -> tuple[Span, ...]:
    """Sorted, overlapping spans merged: what the debrief highlights."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple((a, b) for a, b in merged)


def compile_all(patterns: Iterable[str]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in patterns)


_SMALL = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def number_words(value: int) -> str:
    """0..999 as spoken words, to match phrases against speech-recognised text."""
    if value < 20:
        return _SMALL[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + (f" {_SMALL[ones]}" if ones else "")
    hundreds, rest = divmod(value, 100)
    return f"{_SMALL[hundreds]} hundred" + (f" and {number_words(rest)}" if rest else "")
