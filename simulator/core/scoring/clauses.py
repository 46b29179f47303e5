"""Clauses of an answer, as spans into it: the units evidence is cited in.

Typed answers split at sentence punctuation, semicolons and clause-joining commas; speech-style
answers have none, so they are cut into overlapping windows of a few words instead.
"""

from __future__ import annotations

import re

from simulator.core.scoring.types import Span

# A dash break starts where its spaces start: tried from every space of a long run, "\s+-+" was
# quadratic in the answer (issue 16).
_BREAK = re.compile(r"[.!?;:\n]+|,\s+(?=(?:but|and|so|because|then|which|while)\b)|(?<!\s)\s+-+\s+")
_WORD = re.compile(r"\S+")
WINDOW = 9
STEP = 5
MAX_CLAUSES = 40


def clauses(text: str) -> list[Span]:
    """Non-empty clause spans in order (at most ``MAX_CLAUSES``, so work stays bounded)."""
    spans: list[Span] = []
    start = 0
    for match in _BREAK.finditer(text):
        spans.extend(_trimmed(text, start, match.start()))
        start = match.end()
    spans.extend(_trimmed(text, start, len(text)))
    out: list[Span] = []
    for a, b in spans:
        words = [m.span() for m in _WORD.finditer(text, a, b)]
        if len(words) <= WINDOW + STEP:
            out.append((a, b))
            continue
        for i in range(0, len(words) - STEP, STEP):
            chunk = words[i : i + WINDOW]
            out.append((chunk[0][0], chunk[-1][1]))
    return out[:MAX_CLAUSES]


def _trimmed(text: str, a: int, b: int) -> list[Span]:
    while a < b and not text[a].isalnum():
        a += 1
    while b > a and not (text[b - 1].isalnum() or text[b - 1] in "'\"?!)"):
        b -= 1
    return [(a, b)] if b > a else []
