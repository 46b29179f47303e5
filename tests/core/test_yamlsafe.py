"""Untrusted YAML: no object construction, bounded aliases and size, positions kept."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from simulator.core import yamlsafe
from simulator.core.yamlsafe import YamlError, load

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
# Plain scalars on which YAML 1.1 and 1.2 disagree, or that are easy to get wrong.
TRICKY = [
    "no",
    "No",
    "NO",
    "yes",
    "y",
    "n",
    "on",
    "Off",
    "true",
    "True",
    "FALSE",
    "017",
    "0o17",
    "0x1F",
    "0b101",
    "1_000",
    "1:30",
    "1.5",
    "1.",
    ".5",
    "1e3",
    "-2",
    "+12",
    ".inf",
    "-.INF",
    "~",
    "null",
    "",
    "12e",
    "0777",
    "2024-01-02",
    "3 minutes",
    "N/A",
]


def test_values_and_positions() -> None:
    data, source = load("a: 1\nb:\n  - x\n  - 'y: z'\nc: true\nd: 2024-01-02\n")
    assert data == {"a": 1, "b": ["x", "y: z"], "c": True, "d": "2024-01-02"}
    assert source.value(("b", 1)) == (4, 5)
    assert source.key(("b",)) == (2, 1)
    assert source.quoted[("b", 1)] is True
    # An unknown path falls back to its nearest located ancestor.
    assert source.value(("b", 1, "deeper")) == (4, 5)


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hacked']\n",
        "a: !!python/name:os.system\n",
        "a: !custom value\n",
        "a: !!binary aGVsbG8=\n",
    ],
)
def test_tags_are_refused(text: str) -> None:
    with pytest.raises(YamlError) as caught:
        load(text)
    assert "not allowed" in caught.value.message or "YAML" in caught.value.message
    assert caught.value.line == 1


def test_billion_laughs_is_bounded() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        prev = chr(ord("a") + level - 1)
        name = chr(ord("a") + level)
        refs = ",".join(f"*{prev}" for _ in range(9))
        lines.append(f"{name}: &{name} [{refs}]")
    with pytest.raises(YamlError) as caught:
        load("\n".join(lines) + "\n")
    assert "aliases" in caught.value.message or "expands" in caught.value.message


def test_expansion_without_many_aliases_is_still_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlsafe, "MAX_VALUES", 50)
    text = "a: &a [1,2,3,4,5,6,7,8,9,10]\nb: [*a, *a, *a, *a, *a, *a]\n"
    with pytest.raises(YamlError) as caught:
        load(text)
    assert "expands to more than 50 values" in caught.value.message


def test_size_limit() -> None:
    with pytest.raises(YamlError) as caught:
        load("a: " + "x" * (yamlsafe.MAX_BYTES + 1))
    assert "larger than" in caught.value.message


def test_duplicate_keys_and_complex_keys() -> None:
    with pytest.raises(YamlError, match="duplicate key 'a'"):
        load("a: 1\na: 2\n")
    with pytest.raises(YamlError, match="plain text"):
        load("? [1, 2]\n: value\n")


def test_empty_document() -> None:
    assert load("")[0] is None


def test_control_characters_are_located() -> None:
    with pytest.raises(YamlError) as caught:
        load("a: 1\nb: x\x01y\n")
    assert caught.value.line == 2
    assert caught.value.col == 5
    assert "control character" in caught.value.message


def _plain(value: Any) -> Any:
    """ruamel's round-trip values as the plain ones the loader makes (dates stay text there)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    return str(value)


def _ruamel(text: str) -> Any:
    return _plain(YAML(typ="rt").load(text))


@pytest.mark.parametrize("scalar", TRICKY)
def test_a_scalar_means_what_the_studio_parser_says(scalar: str) -> None:
    """Issue 15: the loader read YAML 1.1 (``no`` false), the studio's ruamel YAML 1.2 (``no`` text)."""
    text = f"value: {scalar}\n"
    ours, theirs = load(text)[0]["value"], _ruamel(text)["value"]
    if isinstance(theirs, float) and theirs != theirs:  # nan
        assert isinstance(ours, float) and ours != ours
    else:
        assert ours == theirs and type(ours) is type(theirs)


def test_yaml_1_1_booleans_are_text() -> None:
    data = load("auto_fail: no\nb: yes\nc: on\nd: false\n")[0]
    assert data == {"auto_fail": "no", "b": "yes", "c": "on", "d": False}


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_scenario_reads_the_same_in_both_parsers(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert load(text)[0] == _ruamel(text)


def test_a_yaml_1_1_directive_is_refused_with_its_line() -> None:
    with pytest.raises(YamlError) as raised:
        load("# a scenario\n%YAML 1.1\n---\nauto_fail: no\n")
    assert raised.value.line == 2 and "1.2" in raised.value.message
    assert load("%YAML 1.2\n---\nauto_fail: no\n")[0] == {"auto_fail": "no"}
