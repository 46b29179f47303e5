"""A hostile assignment file cannot write outside the scenario folder or plant an invalid scenario (issue 16).

Each file is built the way a hostile classmate would (an honest export, then edited, with the
hash fixed up so only the new checks stand in the way) and fed to the trainee's real "Open
assignment file" work (adopt_file); nothing is written anywhere and the database is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from simulator.classroom.assignment_file import AssignmentFileError, export_assignment, read_assignment
from simulator.classroom.checks import canonical
from simulator.classroom.host import scenario_file_text
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.storage.classroom import ClassroomStore
from simulator.storage.store import Store
from simulator.ui.classroom.trainee_files import adopt_file, inside


def _hostile(tmp_path: Path, scenario: Scenario, scenario_id: str, text: str) -> Path:
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    assignment = trainer.assign(trainer.add_group("Cohort A").id, scenario, "practice", 70)
    document = json.loads(export_assignment(assignment, scenario_file_text(scenario)))
    trainer.close()
    document["assignment"]["scenario_id"] = scenario_id
    document["assignment"]["scenario_hash"] = hashlib.sha256(text.encode()).hexdigest()
    document["scenario_text"] = text
    path = tmp_path / "handout.assignment.json"
    path.write_bytes(canonical(document))
    return path


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("scenario_id", ["../../x", "/tmp/x", "..", "a/b", "X", "a b", "a\\b", "é"])
def test_an_id_that_is_not_a_slug_is_refused_before_anything_is_written(
    tmp_path: Path, scenario: Scenario, scenario_id: str
) -> None:
    folder = tmp_path / "trainee" / "scenarios"
    folder.mkdir(parents=True)
    path = _hostile(tmp_path, scenario, scenario_id, "id: x\n")
    store = Store(tmp_path / "trainee" / "db.sqlite3")
    me = store.add_trainee("Ana")
    before = _files(tmp_path)
    with pytest.raises(AssignmentFileError, match=r"not a valid assignment file: .*scenario_id"):
        adopt_file(store, Catalog([folder]), path, me.id)
    assert _files(tmp_path) == before and ClassroomStore(store).assignments() == []
    store.close()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("a: &a [*a]\n", "refers to the list or map that contains it"),
        ("id: other\n", "not valid"),
        ("just text\n", "not valid"),
    ],
)
def test_invalid_scenario_text_is_refused_before_anything_is_written(
    tmp_path: Path, scenario: Scenario, text: str, reason: str
) -> None:
    folder = tmp_path / "trainee" / "scenarios"
    folder.mkdir(parents=True)
    path = _hostile(tmp_path, scenario, "planted", text)
    store = Store(tmp_path / "trainee" / "db.sqlite3")
    me = store.add_trainee("Ana")
    before = _files(tmp_path)
    with pytest.raises(AssignmentFileError, match=reason):
        adopt_file(store, Catalog([folder]), path, me.id)
    assert _files(tmp_path) == before and ClassroomStore(store).assignments() == []
    store.close()


def test_a_valid_scenario_under_another_id_is_refused(tmp_path: Path, scenario: Scenario) -> None:
    text = scenario_file_text(scenario)
    assert text is not None
    with pytest.raises(AssignmentFileError, match="the file was altered"):
        read_assignment(_hostile(tmp_path, scenario, "another-id", text).read_bytes())


def test_inside_refuses_names_that_leave_the_folder(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "link.yaml").symlink_to(tmp_path / "out" / "x.yaml")
    for name in ("../x.yaml", "/etc/x.yaml", "link.yaml", "a/../../x.yaml"):
        with pytest.raises(AssignmentFileError, match="outside the scenario folder"):
            inside(tmp_path / "in", name)
    assert inside(tmp_path / "in", "ok.yaml") == (tmp_path / "in" / "ok.yaml").resolve()
