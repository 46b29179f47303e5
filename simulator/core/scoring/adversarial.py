"""Hostile answers for the scorer, and every regular expression the scorer runs on an answer.

One definition shared by the tests that prove scoring takes bounded time
(``tests/core/scoring/test_redos.py``) and the benchmark that reports the worst
milliseconds per kilobyte (``benchmarks/bench_redos.py``). The attacks are the ones measured
against the scorer (issue 16): a two-word phrase repeated after a feeling word ("it is such a
such a such a ..."), every repeated alternative of the detectors' own patterns, long runs of
number words, and long answers of punctuation, whitespace or emoji.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from simulator.core.scoring.pattern_safety import Scan, finds_all, probes
from simulator.core.scoring.prefilter import FastPattern, PatternSet

# The modules whose patterns read an answer (the detectors, the answer's own analysis, delivery,
# the learned model's tokens, the examples' negations, the facts an answer establishes).
SCORER_MODULES = (
    "simulator.core.scoring.detectors.emotion",
    "simulator.core.scoring.detectors.escalation",
    "simulator.core.scoring.detectors.expectations",
    "simulator.core.scoring.detectors.naming",
    "simulator.core.scoring.detectors.ownership",
    "simulator.core.scoring.detectors.questions",
    "simulator.core.scoring.detectors.tone",
    "simulator.core.scoring.text",
    "simulator.core.scoring.clauses",
    "simulator.core.scoring.delivery",
    "simulator.core.scoring.learned",
    "simulator.core.scoring.examples",
    "simulator.core.facts",
)

# Feeling words and the phrases that lead to them, so the literal prefilter lets the pattern run.
_FEELINGS = ("frustrating", "worried", "a long time", "patience", "scary")
_LEADS = ("it is ", "that is ", "this must be ", "you're ", "i'd be ", "i understand ", "i can see that ")
_PHRASES = ("such a ", "so so ", "a really ", "a very ", "an incredibly ", "a lot of ", "be really ", "also be ")
_NUMBERS = ("twenty one ", "one hundred and ", "nine ", "forty-", "double four ")


@dataclass(frozen=True)
class ScorerPattern:
    """A pattern the scorer runs, and how it runs it over a text (all of its matches)."""

    pattern: str
    scan: Scan


def scorer_patterns() -> dict[str, ScorerPattern]:
    """``{where: pattern}`` for every module-level pattern the scorer runs on an answer.

    A :class:`FastPattern` strips a leading ``\\b`` and checks it itself, so it is scanned through
    its own ``finditer``: the stripped pattern is what the regex engine runs.
    """
    found: dict[str, ScorerPattern] = {}
    for name in SCORER_MODULES:
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            _collect(f"{name.rsplit('.', 1)[-1]}.{attr}", value, found)
    return found


def _collect(where: str, value: object, found: dict[str, ScorerPattern]) -> None:
    if isinstance(value, FastPattern):
        found[where] = ScorerPattern(value.pattern, _fast_scan(value))
    elif isinstance(value, PatternSet):
        for index, pattern in enumerate(value.patterns):
            found[f"{where}[{index}]"] = ScorerPattern(pattern.pattern, _fast_scan(pattern))
    elif isinstance(value, re.Pattern):
        found[where] = ScorerPattern(value.pattern, finds_all(value))
    elif isinstance(value, dict):
        for key, item in value.items():
            _collect(f"{where}[{key!r}]", item, found)


@dataclass(frozen=True)
class Attack:
    """``head`` + ``unit`` repeated + ``tail``: an answer that can be pumped to any length."""

    name: str
    head: str
    unit: str
    tail: str = ""

    def text(self, chars: int = 4000) -> str:
        """The attack cut to at most ``chars`` characters (the tail kept, the repeats filling the rest)."""
        repeats = max(1, (chars - len(self.head) - len(self.tail)) // len(self.unit))
        return (self.head + self.unit * repeats + self.tail)[:chars]


def attack_corpus() -> Iterator[Attack]:
    """The hand-written attacks: repeated phrases after feeling words, numbers, punctuation, emoji."""
    for lead in _LEADS:
        for phrase in _PHRASES:
            for feeling in _FEELINGS[:2]:
                yield Attack(
                    f"{feeling}: {lead}{phrase}...", f"I hear your {feeling}. {lead.capitalize()}", phrase, "x"
                )
    for number in _NUMBERS:
        for lead in ("within ", "in ", "between ", "reference ", "it's only "):
            yield Attack(f"{lead}{number}...", lead, number, "x")
    yield Attack("punctuation", "", "!?., ")
    yield Attack("whitespace", "a", " \t\n ", "b")
    yield Attack("spaces after a subject", "I'll", " ", "x")
    yield Attack("emoji", "", "\U0001f600 ")
    yield Attack("one long word", "frighten", "a")
    yield Attack("a feeling word inside one long word", "x", "frighten")
    yield Attack("spaces after a reference", "reference", " ", "x")
    yield Attack("a long number", "within ", "4", " x")
    yield Attack("capitals", "", "ABC ", "d")
    yield Attack("question marks", "can you ", "? ")
    yield Attack("intensifiers before a feeling word", "that is ", "so ", "frustrating")


def _fast_scan(pattern: FastPattern) -> Scan:
    return lambda text: sum(1 for _ in pattern.finditer(text))


def pattern_attacks(patterns: dict[str, ScorerPattern]) -> Iterator[Attack]:
    """Answers pumped from each pattern's own repeated parts (see :func:`pattern_safety.probes`)."""
    for where, found in patterns.items():
        for probe in probes(found.pattern):
            yield Attack(f"{where}: {probe.unit!r}", probe.prefix, probe.unit, probe.killer)
