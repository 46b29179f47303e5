"""Assignment files carry the assignment (and optionally its scenario) to a trainee's machine intact."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.classroom.assignment_file import AssignmentFileError, export_assignment, read_assignment, trainee_key
from simulator.core.checks import canonical
from simulator.core.model import Scenario
from simulator.storage.classroom import ClassroomStore
from simulator.storage.store import Store
from tests.classroom.conftest import TRAINER_KEY, handout


def test_round_trip_with_the_scenario_and_strict_reading(tmp_path: Path, scenario: Scenario) -> None:
    classroom = ClassroomStore(Store(tmp_path / "db.sqlite3"))
    group = classroom.add_group("Cohort A")
    assignment = classroom.assign(group.id, scenario, "assessment", 75, attempt_limit=2)
    assert scenario.path is not None
    text = scenario.path.read_text(encoding="utf-8")
    data = handout(assignment, "Ana", text)
    ticket = read_assignment(data)
    assert ticket.scenario_text == text and ticket.assignment.uid == assignment.uid
    assert (
        ticket.assignment.secret == trainee_key(assignment.secret, "Ana") != assignment.secret
        and ticket.assignment.attempt_limit == 2
    )
    with pytest.raises(ValueError, match="changed since it was assigned"):
        export_assignment(assignment, "Ana", TRAINER_KEY, text + "\n# edited")
    damaged = json.loads(data)
    damaged["scenario_text"] = text.replace("Maria", "Mario")
    with pytest.raises(AssignmentFileError, match="signature does not match"):
        read_assignment(canonical(damaged))  # edited after signing: the signature catches it first
    older = json.loads(data)
    older["version"] = 1
    with pytest.raises(AssignmentFileError, match="unsigned"):
        read_assignment(canonical(older))
    newer = json.loads(data)
    newer["version"] = 7
    with pytest.raises(AssignmentFileError, match="newer version"):
        read_assignment(canonical(newer))
    for broken in (data[:100], b"[]", b"\xff\xfe garbage", canonical({**json.loads(data), "extra": 1})):
        with pytest.raises(AssignmentFileError, match="not a valid assignment file"):
            read_assignment(broken)
    classroom.close()
