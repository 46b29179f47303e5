"""Scenario-specific criteria: phrases and patterns a trainer writes in the rubric.

A phrase such as ``lock card`` matches "lock your card", "locked the card"
and "locking the cards": each word may take a suffix, and up to two other
words may stand between two phrase words. Numbers in a phrase also match
their spoken form ("24 hours" matches "twenty four hours"). A match right
after a negation ("I can't lock the card") does not count unless the
criterion sets ``negatable: false``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.core.model import CriterionSpec
from simulator.core.scoring.detectors.base import Detection
from simulator.core.scoring.prefilter import PatternSet
from simulator.core.scoring.text import Answer, merge_spans, number_words

_GAP = r"(?:[\s,/-]+[a-z0-9']+){0,2}[\s,/-]+"


def phrase_regex(phrase: str) -> str:
    """The regular expression a trainer's phrase compiles to (shown by ``calibrate``)."""
    words = re.findall(r"[a-z0-9']+|\*", phrase.lower())
    parts = [_word(w) for w in words if w != "*"]
    return r"\b" + _GAP.join(parts) + r"\b" if parts else r"(?!x)x"


def _word(word: str) -> str:
    if word.isdigit():
        value = int(word)
        spoken = number_words(value) if value < 1000 else word
        spoken_rx = r"[\s-]+".join(re.escape(part) for part in spoken.split())
        return rf"(?:{word}|{spoken_rx})"
    if len(word) <= 3:
        return re.escape(word) + r"(?:s|es|'s)?"
    stem = word[:-1] if word.endswith("e") else word
    return re.escape(stem) + r"[a-z']{0,4}"


@dataclass(frozen=True)
class PhraseMatcher:
    spec: CriterionSpec
    regexes: PatternSet

    @classmethod
    def of(cls, spec: CriterionSpec) -> PhraseMatcher:
        sources = [phrase_regex(p) for p in spec.phrases] + list(spec.patterns)
        return cls(spec, PatternSet(sources))

    def __call__(self, answer: Answer) -> Detection:
        evidence: list[tuple[int, int]] = []
        negated: list[tuple[int, int]] = []
        for _index, match in self.regexes.finditer(answer.norm):
            if match.end() == match.start():
                continue
            if self.spec.negatable and answer.negated(match.start(), window=3):
                negated.append(match.span())
            else:
                evidence.append(match.span())
        if evidence:
            return Detection(1.0, evidence=merge_spans(evidence))
        if negated:
            return Detection(0.0, flags=merge_spans(negated), note="Said in the negative, so it does not count.")
        return Detection(0.0)
