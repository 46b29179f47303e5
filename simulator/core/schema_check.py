"""Turn JSON Schema errors into trainer-friendly problems with line and column."""

from __future__ import annotations

from collections.abc import Iterator
from difflib import get_close_matches
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from simulator.core.problems import Problem
from simulator.core.schema import SCHEMA
from simulator.core.yamlsafe import Path, SourceMap

_VALIDATOR = Draft202012Validator(SCHEMA)
_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping (key: value lines)",
}

# Words YAML 1.1 read as booleans; in YAML 1.2 (what scenario files are) they are text.
_OLD_BOOLEANS = {"yes": True, "y": True, "on": True, "no": False, "n": False, "off": False}


def dotted(path: Path) -> str:
    """``('nodes', 2, 'to')`` -> ``nodes[2].to`` as trainers read it in messages."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "the file"


def check(data: Any, source: SourceMap, file: str) -> list[Problem]:
    """Every schema violation in ``data``, each located in the file."""
    problems: list[Problem] = []
    for error in _leaf_errors(_VALIDATOR.iter_errors(data)):
        problems.append(_to_problem(error, source, file))
    return problems


def _leaf_errors(errors: Iterator[ValidationError]) -> Iterator[ValidationError]:
    for error in errors:
        if error.validator == "oneOf" and error.context:
            # Report the branch that matched best rather than "not valid under any".
            best = max(error.context, key=lambda e: (len(e.absolute_path), -len(e.context or [])))
            yield best
        else:
            yield error


def _to_problem(error: ValidationError, source: SourceMap, file: str) -> Problem:
    path: Path = tuple(error.absolute_path)
    where = dotted(path)
    validator = error.validator
    schema: dict[str, Any] = error.schema if isinstance(error.schema, dict) else {}
    if validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = sorted(schema.get("properties", {}))
        extras = [k for k in error.instance if k not in allowed]
        key = extras[0] if extras else ""
        line, col = source.key((*path, key))
        close = get_close_matches(key, allowed, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"allowed keys: {', '.join(allowed)}"
        return Problem(file, line, col, f"unknown key {key!r} in {where}", hint)
    if validator == "required":
        missing = str(error.message).split("'")[1] if "'" in str(error.message) else "?"
        line, col = source.value(path)
        return Problem(file, line, col, f"{where} is missing required key {missing!r}", "see docs/authoring.md")
    line, col = source.value(path)
    if validator == "type":
        expected = error.validator_value
        names = expected if isinstance(expected, list) else [expected]
        words = " or ".join(_TYPE_WORDS.get(str(n), str(n)) for n in names)
        hint = ""
        if "boolean" in names and isinstance(error.instance, str) and error.instance.lower() in _OLD_BOOLEANS:
            meant = "true" if _OLD_BOOLEANS[error.instance.lower()] else "false"
            hint = f"write {meant}: scenario files read only true and false as yes/no (YAML 1.2)"
        return Problem(file, line, col, f"{where} must be {words}, not {_describe(error.instance)}", hint)
    if validator == "enum":
        options = ", ".join(str(v) for v in error.validator_value)
        close = get_close_matches(str(error.instance), [str(v) for v in error.validator_value], n=1)
        hint = f"did you mean {close[0]!r}?" if close else ""
        return Problem(file, line, col, f"{where} must be one of: {options} (got {error.instance!r})", hint)
    if validator == "const":
        return Problem(
            file,
            line,
            col,
            f"{where} must be {error.validator_value!r}",
            "this version of Empathy Trainer reads format 1 scenario files",
        )
    if validator == "pattern":
        return Problem(
            file,
            line,
            col,
            f"{where} {error.instance!r} is not a valid id",
            "use lowercase letters, digits, '-' and '_', starting with a letter or digit",
        )
    if validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return Problem(file, line, col, f"{where}: {error.message}")
    if validator == "minItems":
        return Problem(file, line, col, f"{where} must not be empty")
    if validator == "minLength":
        return Problem(file, line, col, f"{where} must not be empty")
    if validator == "maxLength":
        return Problem(file, line, col, f"{where} is too long (at most {error.validator_value} characters)")
    return Problem(file, line, col, f"{where}: {error.message}")


def _describe(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"text {value[:40]!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
