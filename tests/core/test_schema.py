"""The shipped JSON Schema is generated from the code and referenced by every scenario."""

from __future__ import annotations

import json

from jsonschema import Draft202012Validator

from simulator.core.schema import SCHEMA, schema_json
from tests.conftest import SCENARIOS


def test_schema_file_matches_the_code() -> None:
    assert (SCENARIOS / "schema.json").read_text(encoding="utf-8") == schema_json(), (
        "run: python -m simulator schema --write scenarios/schema.json"
    )


def test_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)
    assert json.loads(schema_json()) == SCHEMA


def test_every_scenario_points_editors_at_the_schema() -> None:
    for path in SCENARIOS.glob("*.yaml"):
        assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=./schema.json"), path
