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


def test_bounds_read_the_schema_by_path_through_arrays() -> None:
    from simulator.core.model import CriterionSpec, Scenario, Voice
    from simulator.core.schema import Bounds, bounds

    assert bounds("estimated_minutes") == Bounds(1, 180, integer=True)
    assert bounds("persona", "mood") == Bounds(0, 100, integer=True)
    assert bounds("rubric", "weight") == Bounds(0, 10, exclusive_low=True, default=1.0)
    assert bounds("nodes", "transitions", "mood") == Bounds(-100, 100, integer=True)
    # Where the schema states a default it is the model's, so a blank field means what the app does.
    assert bounds("max_turns").default == Scenario.__dataclass_fields__["max_turns"].default
    assert bounds("rubric", "weight").default == CriterionSpec.__dataclass_fields__["weight"].default
    for key in ("rate", "pitch", "volume"):
        assert bounds("persona", "voice", key).default == Voice.__dataclass_fields__[key].default


def test_bounds_refuse_a_field_that_is_not_a_number() -> None:
    import pytest

    from simulator.core.schema import bounds

    with pytest.raises(KeyError, match=r"persona\.moood"):
        bounds("persona", "moood")
    with pytest.raises(TypeError, match="title"):
        bounds("title")
