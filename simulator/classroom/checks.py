"""Strict shape checks for what arrives from other machines (network messages, results files).

A few composable specs in the spirit of JSON Schema: exact key sets, types (``bool`` is never
a number), lengths, ranges, finite numbers, bounded lists. Everything from outside passes
through :func:`check` before any field is used; the first problem raises :class:`Invalid`
with the path of the offending value, which is what the logs and the trainer are told.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

_SURROGATE = re.compile("[\ud800-\udfff]")  # lone surrogates: JSON can carry them, UTF-8 and SQLite cannot


class Invalid(ValueError):
    """The data does not have the expected shape; the message names where."""


class Spec:
    def check(self, value: Any, path: str) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Str(Spec):
    max_len: int
    min_len: int = 0
    pattern: str | None = None
    choices: frozenset[str] | None = None

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, str):
            raise Invalid(f"{path}: expected text")
        if not self.min_len <= len(value) <= self.max_len:
            raise Invalid(f"{path}: length {len(value)} outside {self.min_len}..{self.max_len}")
        if _SURROGATE.search(value):
            raise Invalid(f"{path}: not valid Unicode text")
        if self.choices is not None and value not in self.choices:
            raise Invalid(f"{path}: not one of {', '.join(sorted(self.choices))}")
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise Invalid(f"{path}: badly formed")


@dataclass(frozen=True)
class Int(Spec):
    low: int
    high: int

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Invalid(f"{path}: expected a whole number")
        if not self.low <= value <= self.high:
            raise Invalid(f"{path}: {value} outside {self.low}..{self.high}")


@dataclass(frozen=True)
class Num(Spec):
    low: float
    high: float

    def check(self, value: Any, path: str) -> None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Invalid(f"{path}: expected a number")
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise Invalid(f"{path}: {value} outside {self.low}..{self.high}")


@dataclass(frozen=True)
class Bool(Spec):
    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            raise Invalid(f"{path}: expected true or false")


@dataclass(frozen=True)
class Time(Spec):
    """An ISO 8601 timestamp with a UTC offset."""

    def check(self, value: Any, path: str) -> None:
        Str(40, 10).check(value, path)
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise Invalid(f"{path}: not an ISO 8601 time") from None
        if moment.tzinfo is None:
            raise Invalid(f"{path}: the time needs a UTC offset")


@dataclass(frozen=True)
class Opt(Spec):
    """The inner spec, or null."""

    inner: Spec

    def check(self, value: Any, path: str) -> None:
        if value is not None:
            self.inner.check(value, path)


@dataclass(frozen=True)
class List(Spec):
    item: Spec
    max_items: int
    min_items: int = 0

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, list):
            raise Invalid(f"{path}: expected a list")
        if not self.min_items <= len(value) <= self.max_items:
            raise Invalid(f"{path}: {len(value)} items outside {self.min_items}..{self.max_items}")
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
            raise Invalid(f"{path}: expected an object")
        if len(value) > self.max_items:
            raise Invalid(f"{path}: more than {self.max_items} entries")
        for key, item in value.items():
            self.key.check(key, f"{path} key")
            self.value.check(item, f"{path}.{key}")


@dataclass(frozen=True)
class Obj(Spec):
    """An object with exactly these keys (those in ``optional`` may be missing); unknown keys are refused."""

    fields: Mapping[str, Spec]
    optional: frozenset[str] = field(default_factory=frozenset)

    def check(self, value: Any, path: str) -> None:
        if not isinstance(value, dict):
            raise Invalid(f"{path}: expected an object")
        unknown = [k for k in value if k not in self.fields]
        if unknown:
            raise Invalid(f"{path}: unexpected field {str(unknown[0])[:40]!r}")
        for name, spec in self.fields.items():
            if name in value:
                spec.check(value[name], f"{path}.{name}")
            elif name not in self.optional:
                raise Invalid(f"{path}: missing field {name!r}")


def check(value: Any, spec: Spec, path: str = "$") -> None:
    spec.check(value, path)


def _no_constants(name: str) -> Any:
    raise Invalid(f"{name} is not allowed")


def loads(data: bytes | str) -> Any:
    """JSON from outside: NaN/Infinity refused, and too-deep nesting or huge numbers become Invalid."""
    try:
        return json.loads(data, parse_constant=_no_constants)
    except Invalid:
        raise
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, bad UTF-8, int digit limit, nesting
        raise Invalid(f"not valid JSON ({str(exc)[:80]})") from None


def canonical(value: Any) -> bytes:
    """One byte string per JSON value: sorted keys, no spaces, UTF-8. What signatures are computed over."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8", "surrogatepass"
    )
