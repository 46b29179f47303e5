"""Strict shape checks for every JSON message and file the app reads from outside.

Network messages, assignment and results files, LRS replies, the answer files of ``score``,
``calibrate`` and the studio's tuning panel, the library's index: one schema system for all
of them, so a limit or a refusal means the same everywhere. A few composable specs in the
spirit of JSON Schema: exact key sets, types (``bool`` is never a number), lengths, ranges,
finite numbers, bounded lists. Everything from outside passes through :func:`loads` (size,
nesting, NaN and huge numbers refused) and :func:`check` before any field is used; the first
problem raises :class:`Invalid` with the path of the offending value, which is what the logs
and the person are told. :func:`json_lines` and :func:`read_bounded` size what they read first,
so a 4 GB line or file costs a bounded read, not the machine's memory.
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

_SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates: JSON can carry them, UTF-8 and SQLite cannot


class Invalid(ValueError):
    """The data does not have the expected shape; the message names where."""


class Spec:
    def check(self, value: Any, path: str) -> None:
        raise NotImplementedError


def _at(path: str, message: str) -> Invalid:
    """The problem at ``path``; a root path of "" (a file's line, say) gives the message alone."""
    return Invalid(f"{path}: {message}" if path else message)


def _child(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@dataclass(frozen=True)
class Str(Spec):
    max_len: int
    min_len: int = 0
    pattern: str | None = None
    choices: frozenset[str] | None = None

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise _at(path, "expected text")
        if not self.min_len <= len(value) <= self.max_len:
            raise _at(path, f"length {len(value)} outside {self.min_len}..{self.max_len}")
        if _SURROGATE.search(value):
            raise _at(path, "not valid Unicode text")
        if self.choices is not None and value not in self.choices:
            raise _at(path, f"not one of {', '.join(sorted(self.choices))}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise _at(path, "badly formed")


@dataclass(frozen=True)
class Int(Spec):
    low: int
    high: int

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _at(path, "expected a whole number")
        if not self.low <= value <= self.high:
            raise _at(path, f"{_short(value)} outside {self.low}..{self.high}")


def _short(number: int | float) -> str:
    """A number for a message: a 4,000-digit one is not quoted whole."""
    text = str(number)
    return text if len(text) <= 24 else f"a {len(text)}-digit number"


@dataclass(frozen=True)
class Num(Spec):
    low: float
    high: float

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _at(path, "expected a number")
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise _at(path, f"{_short(value)} outside {self.low}..{self.high}")


@dataclass(frozen=True)
class Bool(Spec):
    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            raise _at(path, "expected true or false")


@dataclass(frozen=True)
class Time(Spec):
    """An ISO 8601 timestamp with a UTC offset."""

    def check(self, value: Any, path: str) -> None:
        Str(40, 10).check(value, path)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise _at(path, "not an ISO 8601 time") from None
        if moment.tzinfo is None:
            raise _at(path, "the time needs a UTC offset")


@dataclass(frozen=True)
class Opt(Spec):
    """The inner spec, or null."""

    inner: Spec

    def check(self, value: Any, path: str) -> None:
        if value is not None:
            self.inner.check(value, path)


@dataclass(frozen=True)
class OneOf(Spec):
    """Any of the options (e.g. an id that is text or a whole number); ``what`` names them for the message."""

    options: tuple[Spec, ...]
    what: str

    def check(self, value: Any, path: str) -> None:
        for option in self.options:
            try:
                option.check(value, path)
            except Invalid:
                continue
            return
        raise _at(path, f"expected {self.what}")


@dataclass(frozen=True)
class List(Spec):
    item: Spec
    max_items: int
    min_items: int = 0

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise _at(path, "expected a list")
        if not self.min_items <= len(value) <= self.max_items:
            raise _at(path, f"{len(value)} items outside {self.min_items}..{self.max_items}")
        for index, item in enumerate(value):
            self.item.check(item, f"{path}[{index}]")


@dataclass(frozen=True)
class Map(Spec):
    """An object with free keys (e.g. criterion id -> score)."""

    key: Str
    value: Spec
    max_items: int

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _at(path, "expected an object")
        if len(value) > self.max_items:
            raise _at(path, f"more than {self.max_items} entries")
        for key, item in value.items():
            self.key.check(key, f"{path} key" if path else "key")
            self.value.check(item, _child(path, str(key)))


@dataclass(frozen=True)
class Obj(Spec):
    """An object with exactly these keys (those in ``optional`` may be missing); unknown keys are refused.

    ``ignore_unknown`` is for a person's own files (a corpus line with a ``writer`` note): what the
    app does not read is left alone instead of refused, while every field it reads is still checked.
    """

    fields: Mapping[str, Spec]
    optional: frozenset[str] = field(default_factory=frozenset)
    ignore_unknown: bool = False

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise _at(path, "expected an object")
        unknown = [k for k in value if k not in self.fields]
        if unknown and not self.ignore_unknown:
            raise _at(path, f"unexpected field {str(unknown[0])[:40]!r}")
        for name, spec in self.fields.items():
            if name in value:
                spec.check(value[name], _child(path, name))
            elif name not in self.optional:
                raise _at(path, f"missing field {name!r}")


def check(value: Any, spec: Spec, path: str = "$") -> None:
    spec.check(value, path)


def _no_constants(name: str) -> Any:
    raise Invalid(f"{name} is not allowed")


MAX_DEPTH = 32  # no message or file of the app nests deeper than about 8


def loads(data: bytes | str, *, max_bytes: int | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """JSON from outside: NaN/Infinity refused; too big, too deep, huge numbers and bad UTF-8 become Invalid."""
    if max_bytes is not None and len(data) > max_bytes:
        raise Invalid(f"larger than {_size(max_bytes)}")
    try:
        value = json.loads(data, parse_constant=_no_constants)
    except Invalid:
        raise
    except RecursionError:
        raise Invalid(f"not valid JSON: nested more than {max_depth} deep") from None
    except UnicodeDecodeError:
        raise Invalid("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        raise Invalid(f"not valid JSON: {exc.msg} ({where})") from None
    except ValueError as exc:  # Python's limit on the digits of a whole number (4,300)
        if "digits" in str(exc):
            raise Invalid(f"a number has more than {sys.get_int_max_str_digits()} digits") from None
        raise Invalid(f"not valid JSON ({str(exc)[:80]})") from None
    _depth_at_most(value, max_depth)
    return value


def _depth_at_most(value: Any, limit: int) -> None:
    """Iteratively, so checking a deep value cannot itself overflow the stack."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > limit:
                raise Invalid(f"not valid JSON: nested more than {limit} deep")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def _size(count: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if count >= scale:
            return f"{count / scale:g} {unit}"
    return f"{count} bytes"


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """A file's bytes, sized before it is read: larger than ``max_bytes`` is Invalid, not a 4 GB read.

    The size is checked again while reading, so a file that grows after the check costs no more.
    """
    size = path.stat().st_size  # OSError for a missing file is the caller's to report
    if size > max_bytes:
        raise Invalid(f"{_size(size)}, more than the {_size(max_bytes)} allowed")
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise Invalid(f"more than the {_size(max_bytes)} allowed")
    return data


def json_lines(stream: IO[bytes] | IO[str], max_line_bytes: int) -> Iterator[tuple[int, Any]]:
    """Numbered values of a JSON Lines stream, each an :class:`Invalid` instead if that line is bad.

    Blank lines are skipped. A line longer than ``max_line_bytes`` is read past in bounded
    pieces, never held whole, so one huge line costs neither memory nor the rest of the file.
    """
    number = 0
    while True:
        line = stream.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_line_bytes and not _ends_line(line):
            while (rest := stream.readline(1 << 16)) and not _ends_line(rest):
                pass
            yield number, Invalid(f"longer than {_size(max_line_bytes)}")
            continue
        if not line.strip():
            continue
        try:
            yield number, loads(line)
        except Invalid as exc:
            yield number, exc


def _ends_line(chunk: bytes | str) -> bool:
    return chunk.endswith(b"\n") if isinstance(chunk, bytes) else chunk.endswith("\n")


def dumps(value: Any) -> str:
    """One JSON line for output: NaN and Infinity are refused (ValueError), so what is printed always parses."""
    return json.dumps(value, allow_nan=False)


def canonical(value: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8. What signatures are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8", "surrogatepass"
    )
