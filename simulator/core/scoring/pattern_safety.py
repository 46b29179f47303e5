"""Proof that a regular expression cannot take catastrophic time on any answer.

Python's regex engine backtracks: a repeated group whose text can be split two ways ("such a "
is both ``such a\\s+`` and ``such\\s+`` then ``a\\s+``) doubles the work with every repeat, and
an unbounded repeat that fails at its end ("twenty one twenty one ... x") is retried from every
word, which is quadratic. The detectors' patterns need lookarounds RE2 lacks, so instead each
pattern is held to two checks here:

* **static**: no group is repeated more than :data:`MAX_GROUP_REPEAT` times (single characters,
  ``\\s+`` or ``[a-z]+``, may repeat freely), so no match attempt can run over an unbounded
  stretch of words; and
* **probes**: for every repeat, strings built from the pattern itself (each alternative of the
  repeated group, pumped until the answer is a few thousand characters, then a character that
  makes the match fail) must be searched within a linear budget and must not grow faster than
  linearly. Exponential patterns blow the budget after a dozen repeats, quadratic ones show in
  the growth.

A test runs both over every detector pattern and every phrase the scenarios compile; the
benchmark reports the worst time per kilobyte.
"""

from __future__ import annotations

import functools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

# The regex parser is private but stable since 3.11; the project requires 3.11+ (see prefilter).
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

# A group may repeat at most this many times: enough for any real run of intensifiers ("I do
# completely, totally understand"), a spoken number ("nine hundred and ninety nine thousand") or
# a reference read out digit by digit.
MAX_GROUP_REPEAT = 16

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_SINGLE = (sre.IN, sre.LITERAL, sre.NOT_LITERAL, sre.ANY, sre.CATEGORY)
_CANDIDATES = "ae1 '-,.x?#Z"
_KILLERS = ("", "\x00", " #")
_EXPANSIONS = 24

Node = tuple[Any, Any]


def unbounded_groups(pattern: str) -> list[str]:
    """Each group of ``pattern`` that may repeat more than :data:`MAX_GROUP_REPEAT` times, described.

    A repeated group inside a repeated group counts as repeated the product of the two limits: its
    ways to fail multiply, and the probes below could take hours to show it.
    """
    found: list[str] = []
    _bounds(list(sre_parse.parse(pattern)), 1, found)
    return found


def _bounds(items: list[Node], outer: int, found: list[str]) -> None:
    for op, arg in items:
        times = outer
        if op in _REPEATS:
            low, high, body = arg
            body = list(body)
            single = len(body) == 1 and body[0][0] in _SINGLE
            if not single:
                times = outer * high if high != sre.MAXREPEAT else sre.MAXREPEAT
                if times > MAX_GROUP_REPEAT:
                    bound = "unbounded" if high == sre.MAXREPEAT else f"up to {high}"
                    inside = "" if outer == 1 else f", inside a group repeated up to {outer} times"
                    found.append(f"a group repeated {bound} (from {low}){inside}: {_sample(body)!r}")
                    continue
        for child in _children(op, arg):
            _bounds(child, times, found)


def _walk(items: list[Node]) -> Iterator[Node]:
    for op, arg in items:
        yield op, arg
        yield from (node for child in _children(op, arg) for node in _walk(child))


def _children(op: Any, arg: Any) -> list[list[Node]]:
    if op in _REPEATS:
        return [list(arg[2])]
    if op is sre.SUBPATTERN:
        return [list(arg[-1])]
    if op is sre.BRANCH:
        return [list(alt) for alt in arg[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(arg[1])]
    if op is sre.ATOMIC_GROUP:
        return [list(arg)]
    return []


# --- strings a pattern (nearly) matches -----------------------------------------------------------


def _in_class(items: list[Node], char: str) -> bool:
    negate = False
    hit = False
    for op, arg in items:
        if op is sre.NEGATE:
            negate = True
        elif op is sre.LITERAL:
            hit |= ord(char) == arg
        elif op is sre.RANGE:
            hit |= arg[0] <= ord(char) <= arg[1]
        elif op is sre.CATEGORY:
            hit |= _category(arg, char)
    return hit != negate


def _category(category: Any, char: str) -> bool:
    name = str(category)
    matched = {
        "CATEGORY_SPACE": char.isspace(),
        "CATEGORY_DIGIT": char.isdigit(),
        "CATEGORY_WORD": char.isalnum() or char == "_",
    }
    for key, value in matched.items():
        if name.endswith(key):
            return value
        if name.endswith(key.replace("CATEGORY_", "CATEGORY_NOT_")):
            return not value
    return False


def _char(op: Any, arg: Any) -> str:
    if op is sre.LITERAL:
        return chr(arg)
    if op is sre.NOT_LITERAL:
        return "x" if chr(arg) != "x" else "y"
    if op is sre.ANY:
        return "a"
    items = list(arg) if op is sre.IN else [(sre.CATEGORY, arg)]
    return next((c for c in _CANDIDATES if _in_class(items, c)), "a")


def _sample(items: list[Node]) -> str:
    """One string the sequence ``items`` matches (first alternatives, fewest repeats)."""
    return next(_expand(items, 1), "")


def _expand(items: list[Node], limit: int) -> Iterator[str]:
    """Up to ``limit`` strings the sequence matches, one per combination of alternatives."""
    if not items:
        yield ""
        return
    (op, arg), rest = items[0], items[1:]
    heads: list[str]
    if op in _SINGLE:
        heads = [_char(op, arg)]
    elif op is sre.SUBPATTERN:
        heads = list(_expand(list(arg[-1]), limit))
    elif op is sre.ATOMIC_GROUP:
        heads = list(_expand(list(arg), limit))
    elif op is sre.BRANCH:
        heads = [s for alt in arg[1] for s in _expand(list(alt), max(1, limit // len(arg[1])))][:limit]
    elif op in _REPEATS:
        low, _high, body = arg
        copies = max(low, 1)
        heads = [s * copies for s in _expand(list(body), limit)]
    else:  # anchors, lookarounds, back references: they add no characters
        heads = [""]
    count = 0
    for head in heads:
        for tail in _expand(rest, max(1, limit // max(1, len(heads)))):
            yield head + tail
            count += 1
            if count >= limit:
                return


def _prefix_to(items: list[Node], target: Any) -> str | None:
    """A string that leads the pattern up to the repeat ``target`` (None if it is not in ``items``)."""
    out = ""
    for op, arg in items:
        if op in _REPEATS and arg is target:
            return out
        for child in _children(op, arg):
            inner = _prefix_to(child, target)
            if inner is not None:
                if op in _REPEATS:  # reach a nested repeat through the required copies of its group
                    out += _sample(child) * max(arg[0] - 1, 0)
                return out + inner
        out += _sample([(op, arg)])
    return None


@dataclass(frozen=True)
class Probe:
    """One adversarial text for one pattern: ``prefix`` + ``unit`` * n + ``killer``."""

    prefix: str
    unit: str
    killer: str

    def text(self, repeats: int) -> str:
        return self.prefix + self.unit * repeats + self.killer


def probes(pattern: str) -> Iterator[Probe]:
    """Adversarial texts for every repeated part of ``pattern``."""
    parsed = list(sre_parse.parse(pattern))
    for op, arg in _walk(parsed):
        if op not in _REPEATS or (arg[1] != sre.MAXREPEAT and arg[1] < 2):
            continue
        prefix = _prefix_to(parsed, arg)
        if prefix is None:  # pragma: no cover - every walked repeat is reachable
            continue
        units = {u for u in _expand(list(arg[2]), _EXPANSIONS) if u}
        for unit in sorted(units):
            for killer in _KILLERS:
                yield Probe(prefix, unit, killer)


@dataclass(frozen=True)
class Finding:
    """A probe whose search time broke the linear budget."""

    pattern: str
    probe: Probe
    repeats: int
    seconds: float
    reason: str

    def __str__(self) -> str:
        sample = self.probe.text(min(self.repeats, 3))
        unit, prefix = self.probe.unit, self.probe.prefix[:40]
        return f"{self.reason}: {unit!r} x{self.repeats} after {prefix!r} ({sample[:80]!r}...)"


@dataclass(frozen=True)
class Budget:
    """Seconds a search may take: ``base`` plus ``per_char`` for every character searched."""

    base: float = 0.002
    per_char: float = 20e-6
    # Above this, the time for twice the text must stay under ``growth`` times the time for the text.
    measurable: float = 0.004
    growth: float = 3.2

    def allows(self, seconds: float, length: int) -> bool:
        return seconds <= self.base + self.per_char * length


Scan = Callable[[str], object]


def _timed(scan: Scan, text: str) -> float:
    start = time.perf_counter()
    scan(text)
    return time.perf_counter() - start


def finds_all(regex: re.Pattern[str]) -> Scan:
    """Every match of ``regex`` in a text, as ``finditer`` walks them: how the detectors use a pattern."""
    return lambda text: sum(1 for _ in regex.finditer(text))


def check(
    pattern: str, max_chars: int = 4000, budget: Budget | None = None, scan: Scan | None = None
) -> Finding | None:
    """The first probe that takes more than linear time on ``pattern``, or None.

    ``scan`` runs the pattern over a text the way its user does (by default every match of the
    compiled pattern); a prefiltered pattern passes its own ``finditer``.
    """
    budget = budget or Budget()
    scan = scan or finds_all(re.compile(pattern))
    for probe in probes(pattern):
        finding = _pump(pattern, scan, probe, max_chars, budget)
        if finding:
            return finding
    return None


def _pump(pattern: str, scan: Scan, probe: Probe, max_chars: int, budget: Budget) -> Finding | None:
    repeats = 1
    last: tuple[int, float] | None = None
    while True:
        text = probe.text(repeats)
        seconds = _timed(scan, text)
        # A slow reading is taken again before it counts: one pause of the machine proves nothing.
        if not budget.allows(seconds, len(text)) or (last and seconds > budget.measurable / 2):
            seconds = min(seconds, _timed(scan, text))
        if not budget.allows(seconds, len(text)):
            return Finding(pattern, probe, repeats, seconds, f"{seconds:.3f} s for {len(text)} characters")
        if last and last[1] > budget.measurable / 2 and len(text) >= 1.8 * last[0]:
            ratio = seconds / max(last[1], 1e-9)
            if ratio > budget.growth * len(text) / (2 * last[0]):
                grew = f"time grew {ratio:.1f}x for {len(text) / last[0]:.1f}x text"
                return Finding(pattern, probe, repeats, seconds, grew)
        if len(text) >= max_chars:
            return None
        # Near the budget, one repeat at a time: an exponential pattern overshoots by one doubling at most.
        # Far from it, the repeats double: a safe pattern is done in a dozen searches.
        # Up to just past the longest bounded group, one repeat at a time too (2^16 ways show there).
        near = seconds > (budget.base + budget.per_char * len(text)) / 16
        # Near the budget a long answer still grows by an eighth: a linear pattern close to its
        # budget would otherwise be searched once per repeat, thousands of times.
        step = max(1, repeats // 8) if near or repeats <= MAX_GROUP_REPEAT + 2 else repeats
        if last is None or len(text) >= 1.8 * last[0]:
            last = (len(text), seconds)
        repeats += step


# Trainers' patterns are checked when a scenario loads, so the probes stop at this length: an
# exponential pattern needs a few dozen repeats to blow the budget, a cubic one a few hundred; a
# quadratic one passes, and the scorer's answer limit keeps it to milliseconds.
LOAD_CHARS = 400


@functools.lru_cache(maxsize=1024)
def danger(pattern: str) -> str | None:
    """Why ``pattern`` could make scoring an answer slow, in a trainer's words, or None if it is safe.

    Cached: the studio re-validates a scenario on every edit, and a pattern's verdict never changes.
    """
    try:
        unbounded = unbounded_groups(pattern)
    except (re.error, OverflowError, RecursionError):
        return None  # not a valid pattern: reported as such by the caller
    if unbounded:
        return f"it repeats a group of words without a limit ({unbounded[0]})"
    finding = check(pattern, max_chars=LOAD_CHARS)
    if finding is not None:
        length = len(finding.probe.text(finding.repeats))
        return (
            f"an answer of only {length} characters ({finding.probe.unit!r} repeated) already takes "
            f"{finding.seconds * 1000:.0f} ms, and the time grows much faster than the answer"
        )
    return None
