"""Skip a regular expression when the text cannot match it.

Most detector patterns start with ``\\b(?:a|b|c)``, which Python's regex engine
tries at every position of the answer. From the parsed pattern we derive a
set of literal strings of which at least one must occur in any match; a plain
substring test (fast, in C) then rules most patterns out before the engine
runs. The same idea as RE2's prefilter, for the subset of syntax we use.
A test checks that prefiltered and plain matching never differ.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Iterator
from operator import itemgetter

# The regex parser is private but stable since 3.11; the project requires 3.11+.
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import ahocorasick

Literals = frozenset[str] | None
MIN_LITERAL = 3
SHORT_TEXT = 80

_LITERAL = sre_constants.LITERAL
_SUBPATTERN = sre_constants.SUBPATTERN
_BRANCH = sre_constants.BRANCH
_REPEATS = (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT)
_ZERO_WIDTH = (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT)


def required_literals(pattern: str) -> Literals:
    """Strings one of which every match contains, or ``None`` if none can be derived."""
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, TypeError, ValueError):  # pragma: no cover - the pattern compiled already
        return None
    return _sequence(list(parsed))


def _score(literals: Literals) -> tuple[int, int]:
    if not literals:
        return (0, 0)
    return (min(len(s) for s in literals), -len(literals))


def _sequence(items: list[tuple[Any, Any]]) -> Literals:
    best: Literals = None
    run = ""

    def consider(candidate: Literals) -> None:
        nonlocal best
        if candidate and _score(candidate) > _score(best):
            best = candidate

    for op, arg in items:
        if op is _LITERAL:
            run += chr(arg)
            continue
        if run:
            consider(frozenset({run}))
            run = ""
        if op in _ZERO_WIDTH:
            continue
        consider(_item(op, arg))
    if run:
        consider(frozenset({run}))
    return best


def _item(op: Any, arg: Any) -> Literals:
    if op is _SUBPATTERN:
        return _sequence(list(arg[-1]))
    if op is _BRANCH:
        union: set[str] = set()
        for alternative in arg[1]:
            literals = _sequence(list(alternative))
            if not literals:
                return None
            union |= literals
        return frozenset(union)
    if op in _REPEATS:
        low, _high, inner = arg
        return _sequence(list(inner)) if low >= 1 else None
    return None


class _LiteralIndex:
    """All literals of all fast patterns in one Aho-Corasick automaton.

    One pass over an answer finds every literal that occurs in it (overlaps
    included); each pattern then only asks whether one of its own literals was
    found. The last answer's result is kept per thread, because the detectors
    of one answer run one after another on the same text.
    """

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._automaton: ahocorasick.Automaton | None = None
        # Bumped whenever literals are added, so results cached before then are not reused.
        self._generation = 0
        self._local = threading.local()
        self._lock = threading.Lock()

    def register(self, literals: frozenset[str]) -> frozenset[int]:
        with self._lock:
            for literal in literals:
                if literal not in self._ids:
                    self._ids[literal] = len(self._ids)
                    self._automaton = None
                    self._generation += 1
            return frozenset(self._ids[literal] for literal in literals)

    def present(self, text: str) -> frozenset[int]:
        local = self._local
        if getattr(local, "text", None) is text and local.generation == self._generation:
            found: frozenset[int] = local.found
            return found
        generation = self._generation
        automaton = self._automaton or self._build()
        found = frozenset(map(itemgetter(1), automaton.iter(text))) if text else frozenset()
        local.text, local.found, local.generation = text, found, generation
        return found

    def _build(self) -> ahocorasick.Automaton:
        with self._lock:
            if self._automaton is None:
                automaton = ahocorasick.Automaton()
                for literal, ident in self._ids.items():
                    automaton.add_word(literal, ident)
                automaton.make_automaton()
                self._automaton = automaton
            return self._automaton


_INDEX = _LiteralIndex()


class FastPattern:
    """A compiled regex with a literal prefilter; offers the methods the detectors use.

    A leading ``\\b`` disables CPython's fast scan for a literal prefix, so it
    is stripped and checked here instead. After a match that fails the check
    the rest of the text is searched with the pattern as written: resuming the
    stripped one a character later finds the same matches, but a pattern with an
    open-ended tail ("frighten\\w*") would then rescan to the end of the word from
    every letter of "xfrightenfrighten...", quadratic in the answer (issue 16).
    """

    __slots__ = ("_whole", "bounded", "literal_ids", "literals", "pattern", "regex")

    def __init__(self, pattern: str, needs: frozenset[str] | None = None) -> None:
        """``needs`` names literals one of which every match contains, for patterns where that
        cannot be derived from the syntax (a pattern that starts with any number, say)."""
        self.pattern = pattern
        literals = needs or required_literals(pattern)
        # Literals of one or two characters ("i ", "to") occur in nearly every answer: they filter
        # nothing and would flood the automaton with matches, so such patterns always run.
        usable = literals and (literals is needs or min(len(s) for s in literals) >= MIN_LITERAL)
        self.literals = literals if usable else None
        self.literal_ids = _INDEX.register(self.literals) if self.literals else None
        self.bounded = pattern.startswith("\\b") and not pattern.startswith("\\b(?:^")
        self.regex = re.compile(pattern[2:] if self.bounded else pattern)
        self._whole: re.Pattern[str] | None = None

    @property
    def whole(self) -> re.Pattern[str]:
        """The pattern with its ``\\b``, compiled on first need (most answers never need it)."""
        if self._whole is None:
            self._whole = re.compile(self.pattern)
        return self._whole

    def possible(self, text: str) -> bool:
        # Short strings (a clause, the last few words) are cheaper to search than to index, and
        # indexing them would evict the cached result for the whole answer.
        if self.literal_ids is None or len(text) < SHORT_TEXT:
            return True
        return not self.literal_ids.isdisjoint(_INDEX.present(text))

    def _at_boundary(self, text: str, match: re.Match[str]) -> bool:
        start = match.start()
        if start < len(text) and not _is_word(text[start]):
            # \b before a non-word character needs a word character before it.
            return start > 0 and _is_word(text[start - 1])
        return start == 0 or not _is_word(text[start - 1])

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[re.Match[str]]:
        if not self.possible(text):
            return iter(())
        end = len(text) if endpos is None else endpos
        if not self.bounded:
            return self.regex.finditer(text, pos, end)
        return self._bounded_iter(text, pos, end)

    def _bounded_iter(self, text: str, pos: int, end: int) -> Iterator[re.Match[str]]:
        while pos <= end:
            match = self.regex.search(text, pos, end)
            if match is None:
                return
            if self._at_boundary(text, match):
                yield match
                pos = match.end() if match.end() > match.start() else match.start() + 1
            else:
                yield from self.whole.finditer(text, match.start() + 1, end)
                return

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.possible(text):
            return None
        end = len(text) if endpos is None else endpos
        if not self.bounded:
            return self.regex.search(text, pos, end)
        return next(self._bounded_iter(text, pos, end), None)

    def match(self, text: str, pos: int = 0, endpos: int | None = None) -> re.Match[str] | None:
        if not self.possible(text):
            return None
        end = len(text) if endpos is None else endpos
        found = self.regex.match(text, pos, end)
        if found is None or not self.bounded or self._at_boundary(text, found):
            return found
        return None


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"


def compile_fast(pattern: str) -> FastPattern:
    return FastPattern(pattern)


class PatternSet:
    """Many patterns matched against one text, asking the literal index only once."""

    def __init__(self, patterns: Iterable[str], needs: frozenset[str] | None = None) -> None:
        self.patterns = tuple(FastPattern(p, needs) for p in patterns)
        self._always = tuple(i for i, p in enumerate(self.patterns) if p.literal_ids is None)
        self._by_literal: dict[int, list[int]] = {}
        for index, pattern in enumerate(self.patterns):
            for ident in pattern.literal_ids or ():
                self._by_literal.setdefault(ident, []).append(index)
        self._universe = frozenset(self._by_literal)

    def candidates(self, text: str) -> list[int]:
        """Indexes of the patterns that may match ``text``, in order."""
        # Intersect first (in C): most literals found in an answer belong to other pattern sets.
        relevant = self._universe.intersection(_INDEX.present(text))
        if not relevant:
            return list(self._always)
        chosen = set(self._always)
        for ident in relevant:
            chosen.update(self._by_literal[ident])
        return sorted(chosen)

    def finditer(self, text: str) -> Iterator[tuple[int, re.Match[str]]]:
        """``(pattern index, match)`` for every match of every pattern."""
        for index in self.candidates(text):
            pattern = self.patterns[index]
            matches = pattern._bounded_iter(text, 0, len(text)) if pattern.bounded else pattern.regex.finditer(text)
            for match in matches:
                yield index, match
