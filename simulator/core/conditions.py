"""A tiny, safe condition language for transitions.

Trainers write conditions such as ``met.lock_card and score >= 60`` or
``missed.respectful_tone or mood > 85``. A hand-written parser (no ``eval``)
keeps scenario files harmless and lets the validator point at the exact column
of a mistake and list every criterion and variable a condition uses.

Grammar::

    expr   := and ("or" and)*
    and    := unary ("and" unary)*
    unary  := "not" unary | compare
    compare:= atom (("==" | "!=" | "<" | "<=" | ">" | ">=") atom)?
    atom   := NUMBER | 'text' | "text" | true | false | name | "(" expr ")"
    name   := score | mood | turn | met.ID | missed.ID | ever.ID | var.ID | fact.KIND

``met``/``missed`` are the answer just given; ``ever.ID`` is a criterion met on this or any
earlier turn; ``fact.KIND`` is what the trainee's words established (``fact.time`` is the
time they offered, empty and so false until they offer one). See ``simulator.core.memory``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Value = bool | int | float | str

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op><=|>=|==|!=|<|>|\(|\))
    | (?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?)
    )""",
    re.VERBOSE,
)
_KEYWORDS = {"and", "or", "not", "true", "false"}
_PLAIN_NAMES = {"score", "mood", "turn"}
_NAMESPACES = {"met", "missed", "var", "ever", "fact"}
_COMPARE = {"==", "!=", "<", "<=", ">", ">="}


class ConditionError(Exception):
    """A condition does not parse; ``offset`` is the 0-based column in the condition text."""

    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Env:
    """What a condition can see after an answer was scored."""

    met: frozenset[str] = frozenset()
    missed: frozenset[str] = frozenset()
    score: float = 0.0
    mood: int = 0
    turn: int = 0
    variables: Mapping[str, Value] = field(default_factory=dict)
    ever: frozenset[str] = frozenset()
    facts: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Condition:
    """A parsed condition; ``source`` is kept for display and snapshots."""

    source: str
    tree: tuple[Any, ...]
    criteria: frozenset[str]
    variables: frozenset[str]

    def evaluate(self, env: Env) -> bool:
        return bool(_eval(self.tree, env))

    def references(self) -> list[tuple[str, str, int]]:
        """Every ``(namespace, id, offset)`` named in the condition, for validation."""
        found: list[tuple[str, str, int]] = []
        _collect(self.tree, found)
        return found


def parse(source: str) -> Condition:
    tokens = _tokenize(source)
    parser = _Parser(tokens, len(source))
    tree = parser.expr()
    if parser.pos < len(tokens):
        _kind, text, offset = tokens[parser.pos]
        raise ConditionError(f"unexpected {text!r}", offset, "join conditions with 'and' or 'or'")
    refs: list[tuple[str, str, int]] = []
    _collect(tree, refs)
    return Condition(
        source=source,
        tree=tree,
        criteria=frozenset(ident for ns, ident, _ in refs if ns in ("met", "missed", "ever")),
        variables=frozenset(ident for ns, ident, _ in refs if ns == "var"),
    )


def _tokenize(source: str) -> list[tuple[str, str, int]]:
    tokens: list[tuple[str, str, int]] = []
    pos = 0
    while pos < len(source):
        if source[pos:].strip() == "":
            break
        match = _TOKEN.match(source, pos)
        if not match or match.end() == pos:
            offset = pos + (len(source[pos:]) - len(source[pos:].lstrip()))
            raise ConditionError(
                f"unexpected character {source[offset]!r}",
                offset,
                "use and/or/not, comparisons (< <= > >= == !=), numbers and 'quoted text'",
            )
        kind = match.lastgroup or ""
        text = match.group(kind)
        tokens.append((kind, text, match.start(kind)))
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str, int]], length: int) -> None:
        self.tokens = tokens
        self.pos = 0
        self.length = length

    def _peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def _is(self, text: str) -> bool:
        token = self._peek()
        return token is not None and token[1] == text and token[0] in ("name", "op")

    def expr(self) -> tuple[Any, ...]:
        left = self.conj()
        while self._is("or"):
            self.pos += 1
            left = ("or", left, self.conj())
        return left

    def conj(self) -> tuple[Any, ...]:
        left = self.unary()
        while self._is("and"):
            self.pos += 1
            left = ("and", left, self.unary())
        return left

    def unary(self) -> tuple[Any, ...]:
        if self._is("not"):
            self.pos += 1
            return ("not", self.unary())
        return self.compare()

    def compare(self) -> tuple[Any, ...]:
        left = self.atom()
        token = self._peek()
        if token and token[0] == "op" and token[1] in _COMPARE:
            self.pos += 1
            right = self.atom()
            return ("cmp", token[1], left, right, token[2])
        return left

    def atom(self) -> tuple[Any, ...]:
        token = self._peek()
        if token is None:
            raise ConditionError(
                "condition ends too early", self.length, "finish the comparison or remove the trailing word"
            )
        kind, text, offset = token
        self.pos += 1
        if kind == "number":
            return ("lit", float(text) if "." in text else int(text))
        if kind == "string":
            return ("lit", text[1:-1])
        if kind == "op" and text == "(":
            inner = self.expr()
            if not self._is(")"):
                raise ConditionError("missing ')'", self._offset(), "close every '(' you open")
            self.pos += 1
            return inner
        if kind == "name":
            if text in ("true", "false"):
                return ("lit", text == "true")
            if text in _KEYWORDS:
                raise ConditionError(f"{text!r} needs something before it", offset)
            if "." in text:
                namespace, ident = text.split(".", 1)
                if namespace not in _NAMESPACES:
                    raise ConditionError(
                        f"unknown name {text!r}",
                        offset,
                        "use met.CRITERION, missed.CRITERION, ever.CRITERION, var.VARIABLE or fact.KIND",
                    )
                return ("ref", namespace, ident, offset)
            if text in _PLAIN_NAMES:
                return ("ref", text, "", offset)
            raise ConditionError(
                f"unknown name {text!r}",
                offset,
                "names are score, mood, turn, met.ID, missed.ID, ever.ID, var.ID and fact.KIND; quote text values",
            )
        raise ConditionError(f"unexpected {text!r}", offset)

    def _offset(self) -> int:
        token = self._peek()
        return token[2] if token else self.length


def _collect(tree: tuple[Any, ...], found: list[tuple[str, str, int]]) -> None:
    tag = tree[0]
    if tag == "ref":
        found.append((tree[1], tree[2], tree[3]))
    elif tag in ("and", "or"):
        _collect(tree[1], found)
        _collect(tree[2], found)
    elif tag == "not":
        _collect(tree[1], found)
    elif tag == "cmp":
        _collect(tree[2], found)
        _collect(tree[3], found)


def _eval(tree: tuple[Any, ...], env: Env) -> Value:
    tag = tree[0]
    if tag == "lit":
        return tree[1]  # type: ignore[no-any-return]
    if tag == "ref":
        namespace, ident = tree[1], tree[2]
        if namespace == "met":
            return ident in env.met
        if namespace == "missed":
            return ident in env.missed
        if namespace == "ever":
            return ident in env.ever
        if namespace == "fact":
            return env.facts.get(ident, "")
        if namespace == "var":
            return env.variables.get(ident, False)
        return {"score": env.score, "mood": env.mood, "turn": env.turn}[namespace]
    if tag == "and":
        return bool(_eval(tree[1], env)) and bool(_eval(tree[2], env))
    if tag == "or":
        return bool(_eval(tree[1], env)) or bool(_eval(tree[2], env))
    if tag == "not":
        return not _eval(tree[1], env)
    if tag == "cmp":
        return _compare(tree[1], _eval(tree[2], env), _eval(tree[3], env))
    raise AssertionError(tag)  # pragma: no cover


def _compare(op: str, left: Value, right: Value) -> bool:
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    # Ordering between text and numbers is meaningless; treat it as false rather than crash.
    if isinstance(left, str) != isinstance(right, str):
        return False
    try:
        if op == "<":
            return left < right  # type: ignore[operator]
        if op == "<=":
            return left <= right  # type: ignore[operator]
        if op == ">":
            return left > right  # type: ignore[operator]
        return left >= right  # type: ignore[operator]
    except TypeError:
        return False
