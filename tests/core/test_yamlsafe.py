"""Untrusted YAML: no object construction, bounded aliases and size, positions kept."""

from __future__ import annotations

import pytest

from simulator.core import yamlsafe
from simulator.core.yamlsafe import YamlError, load


def test_values_and_positions() -> None:
    data, source = load("a: 1\nb:\n  - x\n  - 'y: z'\nc: yes\nd: 2024-01-02\n")
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
