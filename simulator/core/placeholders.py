"""A small, safe template syntax for customer lines and endings: ``{fact.time|then}``.

Customer lines quote what the conversation established ("Thursday between nine and
eleven, you said?"). The syntax is deliberately tiny so nothing in a scenario file can run
code or reach into Python objects:

* ``{fact.KIND}``: a fact taken from the trainee's words (``time``, ``reference``,
  ``amount``, ``agent_name``);
* ``{customer.name}``, ``{customer.first_name}``: the persona;
* ``{var.NAME}``: a scenario variable;
* ``{fact.time|later today}``: the text after ``|`` is used when the value is empty;
* ``{{`` and ``}}`` are literal braces.

Rendering is a single pass over the parsed template: a value that itself contains braces
(a trainee typing ``{fact.time}``) is shown as text, never expanded, and values are cut to
:data:`MAX_VALUE` characters with control characters removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from simulator.core.facts import FACT_KINDS

MAX_VALUE = 60
CUSTOMER_FIELDS = ("name", "first_name")
NAMESPACES = ("fact", "customer", "var")
_PLACEHOLDER = re.compile(r"\{([a-z_]{1,20})\.([a-z_][a-z0-9_]{0,63})(?:\|([^{}|]{0,200}))?\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f{}]")


class TemplateError(Exception):
    """A template does not parse; ``offset`` is the 0-based column of the mistake."""

    def __init__(self, message: str, offset: int, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset
        self.hint = hint


@dataclass(frozen=True)
class Placeholder:
    namespace: str
    name: str
    fallback: str | None
    offset: int

    @property
    def key(self) -> str:
        return f"{self.namespace}.{self.name}"


Piece = str | Placeholder


def parse(text: str) -> tuple[Piece, ...]:
    """The template as literal text and placeholders; :class:`TemplateError` on a malformed one."""
    pieces: list[Piece] = []
    literal: list[str] = []
    pos = 0
    while pos < len(text):
        char = text[pos]
        if char == "{" and text.startswith("{{", pos):
            literal.append("{")
            pos += 2
            continue
        if char == "}" and text.startswith("}}", pos):
            literal.append("}")
            pos += 2
            continue
        if char == "}":
            raise TemplateError("a '}' with no '{' before it", pos, "write '}}' for a literal brace")
        if char == "{":
            match = _PLACEHOLDER.match(text, pos)
            if match is None:
                raise TemplateError(
                    "a '{' that does not start a placeholder",
                    pos,
                    "placeholders look like {fact.time}, {customer.first_name} or {var.NAME}; "
                    "write '{{' for a literal brace",
                )
            namespace, name, fallback = match.group(1), match.group(2), match.group(3)
            if namespace not in NAMESPACES:
                raise TemplateError(
                    f"unknown placeholder namespace {namespace!r}", pos + 1, "use fact., customer. or var."
                )
            if namespace == "fact" and name not in FACT_KINDS:
                raise TemplateError(
                    f"unknown fact {name!r}", pos + len(namespace) + 2, f"facts are {', '.join(FACT_KINDS)}"
                )
            if namespace == "customer" and name not in CUSTOMER_FIELDS:
                raise TemplateError(
                    f"unknown customer field {name!r}",
                    pos + len(namespace) + 2,
                    "use customer.name or customer.first_name",
                )
            if literal:
                pieces.append("".join(literal))
                literal = []
            pieces.append(Placeholder(namespace, name, fallback, pos))
            pos = match.end()
            continue
        literal.append(char)
        pos += 1
    if literal:
        pieces.append("".join(literal))
    return tuple(pieces)


def placeholders(text: str) -> tuple[Placeholder, ...]:
    return tuple(piece for piece in parse(text) if isinstance(piece, Placeholder))


def clean(value: object) -> str:
    """A value fit to show inside a customer's line: one line, no braces, bounded."""
    text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
    text = " ".join(_CONTROL.sub(" ", text).split())
    return text[:MAX_VALUE]


def render(text: str, lookup: Callable[[str, str], object]) -> str:
    """``text`` with each placeholder replaced by ``lookup(namespace, name)`` (or its fallback).

    A template that does not parse (only possible if validation was skipped) is shown with
    its placeholders removed rather than as raw braces.
    """
    try:
        pieces = parse(text)
    except TemplateError:
        return " ".join(_PLACEHOLDER.sub("", text).replace("{", "").replace("}", "").split())
    out: list[str] = []
    for piece in pieces:
        if isinstance(piece, str):
            out.append(piece)
            continue
        value = lookup(piece.namespace, piece.name)
        shown = "" if value is None or value is False or value == "" else clean(value)
        out.append(shown or (piece.fallback or ""))
    return " ".join("".join(out).split()) if "\n" in text else "".join(out)
