"""``schema``: prints, or writes, exactly the committed scenarios/schema.json."""

from __future__ import annotations

import json

from .conftest import SCENARIOS

COMMITTED = SCENARIOS / "schema.json"


def test_prints_the_committed_schema(cli):
    result = cli("schema")
    assert result.code == 0
    assert result.err == ""
    schema = json.loads(result.out)
    assert schema == json.loads(COMMITTED.read_text(encoding="utf-8"))
    assert result.out == COMMITTED.read_text(encoding="utf-8")
    assert {"id", "nodes", "endings", "rubric"} <= set(schema["properties"])


def test_write_writes_the_same_text(cli, tmp_path):
    target = tmp_path / "schema.json"
    result = cli("schema", "--write", str(target))
    assert result.code == 0
    assert result.out_lines == [f"wrote {target}"]
    assert target.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")
    assert target.read_text(encoding="utf-8") == cli("schema").out


def test_write_into_a_missing_folder_is_an_error_not_a_crash(cli, tmp_path):
    target = tmp_path / "no" / "such" / "schema.json"
    result = cli("schema", "--write", str(target))
    assert result.code == 1
    assert str(target) in result.err
