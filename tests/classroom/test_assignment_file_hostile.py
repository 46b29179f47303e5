"""A hostile assignment file cannot write outside the scenario folder or plant an invalid scenario (issue 16).

Each file is built the way a hostile classmate would (an honest export, then edited, with the
hash fixed up and signed again with a key of their own, so only the check under test stands in
the way) and fed to the trainee's real "Open assignment file" work (adopt_file); nothing is
written anywhere and the database is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from simulator.classroom.assignment_file import AssignmentFileError, export_assignment, read_assignment
from simulator.classroom.host import scenario_file_text
from simulator.core.catalog import Catalog
from simulator.core.checks import canonical
from simulator.core.model import Scenario
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_keys import public_hex
from simulator.storage.store import Store
from simulator.ui.classroom.trainee_files import adopt_file, inside
from tests.classroom.conftest import handout

ATTACKER = Ed25519PrivateKey.generate()


def sign(document: dict[str, Any], key: Ed25519PrivateKey) -> bytes:
    """Sign an edited document as export_assignment does, with ``key``."""
    body = canonical({k: v for k, v in document.items() if k != "signature"})
    document["signature"] = {"alg": "Ed25519", "key": public_hex(key), "value": key.sign(body).hex()}
    return canonical(document)


def _hostile(tmp_path: Path, scenario: Scenario, scenario_id: str, text: str) -> Path:
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    assignment = trainer.assign(trainer.add_group("Cohort A").id, scenario, "practice", 70)
    document = json.loads(export_assignment(assignment, "Ana", ATTACKER, scenario_file_text(scenario)))
    trainer.close()
    document["assignment"]["scenario_id"] = scenario_id
    document["assignment"]["scenario_hash"] = hashlib.sha256(text.encode()).hexdigest()
    document["scenario_text"] = text
    path = tmp_path / "handout.assignment.json"
    path.write_bytes(sign(document, ATTACKER))
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


def _trainee(tmp_path: Path) -> tuple[Store, int, Path]:
    folder = tmp_path / "trainee" / "scenarios"
    folder.mkdir(parents=True)
    store = Store(tmp_path / "trainee" / "db.sqlite3")
    return store, store.add_trainee("Ana").id, folder


def test_a_file_signed_by_another_key_than_the_trainers_is_refused(tmp_path: Path, scenario: Scenario) -> None:
    """A classmate's planted file for the same group: the first genuine file pinned the trainer's key."""
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    assignment = trainer.assign(trainer.add_group("Cohort A").id, scenario, "practice", 70)
    store, me, folder = _trainee(tmp_path)
    genuine = tmp_path / "genuine.assignment.json"
    genuine.write_bytes(handout(assignment, "Ana"))
    adopted = adopt_file(store, Catalog([folder]), genuine, me)
    assert adopted.note is not None and "First file from the trainer of Cohort A" in adopted.note
    document = json.loads(handout(assignment, "Ana"))
    document["assignment"]["pass_threshold"] = 0  # "pass with anything"
    planted = tmp_path / "planted.assignment.json"
    planted.write_bytes(sign(document, ATTACKER))
    with pytest.raises(AssignmentFileError, match=r"signed by a different key .* not from your trainer"):
        adopt_file(store, Catalog([folder]), planted, me)
    unsigned = json.loads(handout(assignment, "Ana"))
    unsigned["assignment"]["pass_threshold"] = 0
    tampered = tmp_path / "tampered.assignment.json"
    tampered.write_bytes(canonical(unsigned))  # edited, signature left as it was
    with pytest.raises(AssignmentFileError, match="signature does not match"):
        adopt_file(store, Catalog([folder]), tampered, me)
    del unsigned["signature"]
    tampered.write_bytes(canonical(unsigned))
    with pytest.raises(AssignmentFileError, match="not a valid assignment file"):
        adopt_file(store, Catalog([folder]), tampered, me)
    [kept] = ClassroomStore(store).assignments()
    assert kept.pass_threshold == 70  # nothing else disturbed
    again = adopt_file(store, Catalog([folder]), genuine, me)  # the trainer's own files still open
    assert again.note is not None and "First file" not in again.note  # pinned already
    store.close()
    trainer.close()


def test_another_trainees_file_is_refused(tmp_path: Path, scenario: Scenario) -> None:
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    assignment = trainer.assign(trainer.add_group("Cohort A").id, scenario, "practice", 70)
    store, me, folder = _trainee(tmp_path)
    bens = tmp_path / "ben.assignment.json"
    bens.write_bytes(handout(assignment, "Ben"))
    with pytest.raises(AssignmentFileError, match="this file is for Ben, and you are signed in as Ana"):
        adopt_file(store, Catalog([folder]), bens, me)
    assert ClassroomStore(store).assignments() == []
    store.close()
    trainer.close()
