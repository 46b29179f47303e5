"""Safe YAML loading that remembers where every value came from.

Scenario files come from trainers and from imports, so they are untrusted:
no tags beyond YAML's plain types, no object construction, a size limit and a
bound on alias expansion (the "billion laughs" attack). Positions are kept
so that every validation message can name a line and column.

What a plain scalar means is YAML 1.2's core schema, taken from ruamel.yaml's own resolver
table, the parser the studio edits with: ``no``, ``on`` and ``y`` are text, only ``true`` and
``false`` are booleans, ``1:30`` is text and ``017`` is seventeen. So a file means the same in the
app, the validator and the studio's forms (``auto_fail: no`` was false here and a ticked box
there). The C parser of PyYAML still does the scanning: ruamel's pure-Python composer is over
ten times slower on the bundled files (benchmarks/bench_load.py); tests/core/test_yamlsafe.py checks
that both read every bundled file and a table of tricky scalars alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml
from ruamel.yaml.resolver import implicit_resolvers as _ruamel_resolvers
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_BYTES = 1_000_000
MAX_ALIASES = 100
MAX_VALUES = 100_000
MAX_DEPTH = 64  # nesting of lists and maps; real scenarios use under 12, and the builder recurses
_OLD_VERSION = re.compile(r"^%YAML[ \t]+1\.[01]\b", re.MULTILINE)

Path = tuple[str | int, ...]

_PLAIN_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}


class YamlError(Exception):
    """The text is not a YAML document we accept; ``line``/``col`` are 1-based."""

    def __init__(self, message: str, line: int = 1, col: int = 1, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.col = col
        self.hint = hint


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a loaded document starts."""

    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # The style of scalar values, so a column inside a quoted string can be located.
    quoted: dict[Path, bool] = field(default_factory=dict)

    def value(self, path: Path) -> tuple[int, int]:
        """Position of the value at ``path``, or of its nearest located ancestor."""
        probe = tuple(path)
        while probe not in self.values and probe:
            probe = probe[:-1]
        return self.values.get(probe, (1, 1))

    def key(self, path: Path) -> tuple[int, int]:
        """Position of the mapping key that holds ``path`` (falls back to the value)."""
        if tuple(path) in self.keys:
            return self.keys[tuple(path)]
        return self.value(path)


# libyaml's parser and composer (in C) when PyYAML was built with it, which wheels are: several
# times faster on scenario files. The pure-Python SafeLoader is the fallback.
_Base: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """PyYAML's parser with YAML 1.2 core-schema resolution (the composer calls ``resolve`` in Python)."""

    yaml_implicit_resolvers: ClassVar[dict[str | None, list[tuple[str, Any]]]] = {}


for _versions, _tag, _regexp, _first in _ruamel_resolvers:
    if (1, 2) in _versions:
        for _char in _first:
            _Loader.yaml_implicit_resolvers.setdefault(_char or None, []).append((_tag, _regexp))


def load(text: str) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain Python values and a :class:`SourceMap`.

    Raises :class:`YamlError` for syntax errors, unsupported tags, oversize
    input, duplicate keys and excessive alias expansion.
    """
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlError(
            f"file is larger than {MAX_BYTES // 1000} kB",
            hint="split the scenario, or check that this is really a scenario file",
        )
    if text.count("*") > MAX_ALIASES and _alias_count(text) > MAX_ALIASES:
        raise YamlError(
            f"more than {MAX_ALIASES} aliases (*name) in one file",
            hint="write the values out instead of repeating anchors",
        )
    directive = _OLD_VERSION.search(text)
    if directive:
        line = text[: directive.start()].count("\n") + 1
        raise YamlError(
            "scenario files are YAML 1.2; this one asks for YAML 1.1",
            line,
            1,
            "remove the %YAML line (in 1.1 yes/no are booleans, and the studio would read it otherwise)",
        )
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc) from None
    try:
        node = loader.get_single_node()
    except yaml.reader.ReaderError as exc:
        raise _reader_error(text, exc) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or exc.context or "invalid YAML"
        hint = _syntax_hint(problem, _line_text(text, line))
        raise YamlError(f"YAML syntax error: {problem}", line, col, hint) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"YAML error: {exc}") from None
    finally:
        loader.dispose()
    source = SourceMap()
    if node is None:
        return None, source
    builder = _Builder(source)
    return builder.build(node, ()), source


def _reader_error(text: str, exc: yaml.reader.ReaderError) -> YamlError:
    """A control character PyYAML refuses to read, located by line and column."""
    before = text[: exc.position]
    line = before.count("\n") + 1
    col = exc.position - (before.rfind("\n") + 1) + 1
    return YamlError(
        f"the file contains a control character (code {exc.character:#04x}) that YAML does not allow",
        line,
        col,
        "remove it; it often comes from copying text out of a PDF or a chat tool",
    )


def _alias_count(text: str) -> int:
    """Alias events, counted by the scanner (cheap, and stops before any composing)."""
    try:
        return sum(isinstance(token, yaml.AliasToken) for token in yaml.scan(text, Loader=_Loader))
    except yaml.YAMLError:
        return 0  # the composer will report the syntax error with its position


def _line_text(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line - 1] if 0 < line <= len(lines) else ""


def _syntax_hint(problem: str, line_text: str = "") -> str:
    if "tab" in problem or "'\\t'" in problem or "\t" in line_text[: len(line_text) - len(line_text.lstrip())]:
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return "a value containing ': ' must be quoted"
    if "found character" in problem:
        return "quote the text if it starts with a special character such as @ or `"
    return "check indentation and quoting near this position"


class _Builder:
    def __init__(self, source: SourceMap) -> None:
        self.source = source
        self.count = 0
        self.open: set[int] = set()  # ids of the collection nodes being built: an alias to one is a cycle

    def build(self, node: Node, path: Path) -> Any:
        if isinstance(node, (SequenceNode, MappingNode)):
            where = (node.start_mark.line + 1, node.start_mark.column + 1)
            if id(node) in self.open:
                raise YamlError(
                    "an alias (*name) refers to the list or map that contains it",
                    *where,
                    "an anchor cannot be used inside itself; write the values out",
                )
            if len(path) >= MAX_DEPTH:
                raise YamlError(
                    f"lists and maps nested more than {MAX_DEPTH} deep",
                    *where,
                    "a scenario never needs this much nesting; check the indentation",
                )
            self.open.add(id(node))
            try:
                return self._build(node, path)
            finally:
                self.open.discard(id(node))
        return self._build(node, path)

    def _build(self, node: Node, path: Path) -> Any:
        self.count += 1
        if self.count > MAX_VALUES:
            raise YamlError(
                f"document expands to more than {MAX_VALUES} values",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "aliases may be nested too deeply; write the values out",
            )
        self.source.values.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
        if node.tag not in _PLAIN_TAGS:
            raise YamlError(
                f"tag {node.tag!r} is not allowed in scenario files",
                node.start_mark.line + 1,
                node.start_mark.column + 1,
                "remove the !tag; scenario files hold only plain text, numbers, lists and maps",
            )
        if isinstance(node, ScalarNode):
            self.source.quoted.setdefault(path, node.style in ("'", '"'))
            return self._scalar(node)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        if isinstance(node, MappingNode):
            result: dict[str, Any] = {}
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_TAGS:
                    raise YamlError(
                        "mapping keys must be plain text",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                key = str(self._scalar(key_node))
                if key in result:
                    raise YamlError(
                        f"duplicate key {key!r}",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        "each key may appear once in a mapping; remove or rename one",
                    )
                self.source.keys[(*path, key)] = (
                    key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1,
                )
                result[key] = self.build(value_node, (*path, key))
            return result
        raise YamlError("unsupported YAML node")  # pragma: no cover - PyYAML has only 3 kinds

    @staticmethod
    def _scalar(node: ScalarNode) -> Any:
        value = node.value
        if node.tag == "tag:yaml.org,2002:str" or node.style in ("'", '"', "|", ">"):
            return value
        if node.tag == "tag:yaml.org,2002:null":
            return None
        if node.tag == "tag:yaml.org,2002:bool":
            return value.lower() == "true"
        if node.tag == "tag:yaml.org,2002:int":
            return _integer(value)
        if node.tag == "tag:yaml.org,2002:float":
            lowered = value.lower()
            if lowered.lstrip("+-") == ".inf":
                return float("-inf") if lowered.startswith("-") else float("inf")
            if lowered == ".nan":
                return float("nan")
            try:
                return float(value.replace("_", ""))
            except ValueError:
                return value
        # Timestamps stay text: scenarios never need date objects.
        return value


def _integer(value: str) -> int | str:
    """A YAML 1.2 integer as ruamel reads it: 0o/0x/0b prefixes, and leading zeros are decimal."""
    digits = value.replace("_", "")
    sign = -1 if digits.startswith("-") else 1
    digits = digits.lstrip("+-")
    bases = {"0x": 16, "0o": 8, "0b": 2}
    try:
        if digits[:2].lower() in bases:
            return sign * int(digits[2:], bases[digits[:2].lower()])
        return sign * int(digits, 10)
    except ValueError:
        return value
