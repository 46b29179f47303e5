"""Results files from trainees' machines to the trainer's: signed, strict, duplicates recognised."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.classroom.assignment_file import read_assignment, trainee_key
from simulator.classroom.results_file import (
    ResultsFileError,
    export_results,
    read_results,
    results_filename,
    signature,
)
from simulator.classroom.results_import import FileStatus, import_results_files
from simulator.core.catalog import Catalog
from simulator.core.checks import canonical
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment, Status
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, HANDOVER, POOR, handout, play, rescorer

NAMES = ["Ana", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo"]


@pytest.fixture
def trainer(tmp_path: Path) -> ClassroomStore:
    return ClassroomStore(Store(tmp_path / "trainer" / "db.sqlite3"))


@pytest.fixture
def assignment(trainer: ClassroomStore, scenario: Scenario) -> Assignment:
    group = trainer.add_group("Cohort A")
    trainer.import_roster([(name, "Cohort A") for name in NAMES])
    return trainer.assign(group.id, scenario, "practice", 70, attempt_limit=3)


def trainee_machine(tmp_path: Path, name: str, assignment: Assignment) -> tuple[ClassroomStore, int, Assignment]:
    """A trainee's own app: receives their own assignment file and keeps the assignment."""
    theirs = ClassroomStore(Store(tmp_path / name / "db.sqlite3"))
    me = theirs.store.add_trainee(name)
    ticket = read_assignment(handout(assignment, name))
    return theirs, me.id, theirs.adopt_assignment(ticket.assignment, me.id)


def export(tmp_path: Path, theirs: ClassroomStore, trainee_id: int, local: Assignment, name: str) -> Path:
    path = tmp_path / "inbox" / results_filename(local, name)
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(export_results(theirs, local.id, trainee_id))
    return path


def test_ten_files_one_tampered_one_duplicate(
    tmp_path: Path,
    trainer: ClassroomStore,
    assignment: Assignment,
    scenario: Scenario,
    scorer: RubricScorer,
    catalog: Catalog,
) -> None:
    files: list[Path] = []
    for number, name in enumerate(NAMES):
        theirs, me, local = trainee_machine(tmp_path, name, assignment)
        play(theirs.store, scenario, scorer, me, POOR if number % 3 == 0 else GOOD, seed=number)
        if number < 2:  # two trainees made a second attempt
            play(theirs.store, scenario, scorer, me, HANDOVER, seed=100 + number)
        files.append(export(tmp_path, theirs, me, local, name))
    tampered = files[2]
    document = json.loads(tampered.read_bytes())
    document["attempts"][0]["turns"][1]["score"] = 99.25  # a trainee "improves" a turn score
    tampered.write_bytes(canonical(document))
    duplicate = tmp_path / "inbox" / "copy-of-ana.results.json"
    duplicate.write_bytes(files[0].read_bytes())
    files.append(duplicate)

    summary = import_results_files(trainer, files, rescorer(catalog, scorer))

    by_path = {f.path: f for f in summary.files}
    assert [f.status for f in summary.files].count(FileStatus.IMPORTED) == 8
    assert by_path[tampered].status is FileStatus.REJECTED
    assert "signature does not match" in by_path[tampered].message
    assert by_path[duplicate].status is FileStatus.DUPLICATE and by_path[duplicate].duplicates == 2
    assert "already imported" in by_path[duplicate].message and "Ana" in by_path[duplicate].message
    assert summary.attempts_imported == 10  # 8 files, two of them with two attempts
    assert summary.headline() == "8 files imported (10 attempts), 1 already imported, 1 rejected"
    names = {t.id: t.name for t in trainer.store.trainees()}
    statuses = {names[trainee_id]: s for trainee_id, s in trainer.statuses(assignment.id).items()}
    assert statuses["Cleo"].status is Status.NOT_STARTED  # only the tampered file carried Cleo's attempt
    assert statuses["Ben"].status is Status.PASSED and statuses["Ben"].attempts_used == 2
    assert statuses["Ana"].status is Status.IN_PROGRESS and statuses["Ana"].best_score is not None
    imported = trainer.attempts_for(assignment.id)
    assert {f.source for f in imported} == {"file"} and len(imported) == 10
    assert all(f.turn_count >= 2 and f.seconds > 0 for f in imported)


def test_a_later_export_imports_only_the_new_attempt(
    tmp_path: Path,
    trainer: ClassroomStore,
    assignment: Assignment,
    scenario: Scenario,
    scorer: RubricScorer,
    catalog: Catalog,
) -> None:
    theirs, me, local = trainee_machine(tmp_path, "Ana", assignment)
    play(theirs.store, scenario, scorer, me, POOR)
    first = export(tmp_path, theirs, me, local, "Ana")
    assert import_results_files(trainer, [first], rescorer(catalog, scorer)).files[0].imported == 1
    play(theirs.store, scenario, scorer, me, GOOD, seed=2)
    second = export(tmp_path, theirs, me, local, "Ana")
    outcome = import_results_files(trainer, [second], rescorer(catalog, scorer)).files[0]
    assert (outcome.status, outcome.imported, outcome.duplicates) == (FileStatus.IMPORTED, 1, 1)
    assert "1 already imported and skipped" in outcome.message


def good_file(tmp_path: Path, assignment: Assignment, scenario: Scenario, scorer: RubricScorer) -> bytes:
    theirs, me, local = trainee_machine(tmp_path, "Ana", assignment)
    play(theirs.store, scenario, scorer, me, GOOD)
    return export_results(theirs, local.id, me)


def resign(data: bytes, secret: str, change: object) -> bytes:
    document = json.loads(data)
    change(document)  # type: ignore[operator]
    document["signature"]["value"] = signature(document, secret)
    return canonical(document)


def test_truncated_corrupt_hostile_and_foreign_files_are_rejected_with_reasons(
    tmp_path: Path,
    trainer: ClassroomStore,
    assignment: Assignment,
    scenario: Scenario,
    scorer: RubricScorer,
    catalog: Catalog,
) -> None:
    data = good_file(tmp_path, assignment, scenario, scorer)
    find = trainer.assignment_by_uid
    assert read_results(data, find).trainee == "Ana"

    def reason(blob: bytes) -> str:
        with pytest.raises(ResultsFileError) as info:
            read_results(blob, find)
        return str(info.value)

    assert "incomplete or damaged" in reason(data[: len(data) // 2])
    assert "incomplete or damaged" in reason(b"\x89PNG\r\n\x1a\n\x00\x00garbage")
    assert "incomplete or damaged" in reason(b"[" * 100_000)
    assert "not an Empathy Trainer results file" in reason(b'{"hello": "world"}')
    assert "larger than 4 MiB" in reason(b" " * (4 * 1024 * 1024 + 1))
    flipped = data.replace(b'"Ana"', b'"Anna"', 1)
    assert "signature does not match" in reason(flipped)
    newer = json.loads(data)
    newer["version"] = 2
    assert "newer version" in reason(canonical(newer))
    foreign = json.loads(data)
    foreign["assignment"]["uid"] = "f" * 32
    assert "does not have" in reason(canonical(foreign))
    # Signed with the real key (as a trainee who dug it out could) but malformed: still refused.
    secret = trainee_key(assignment.secret, "Ana")

    def bad_score(d: dict) -> None:  # type: ignore[type-arg]
        d["attempts"][0]["turns"][0]["score"] = "100"

    assert "expected a number" in reason(resign(data, secret, bad_score))

    def extra_field(d: dict) -> None:  # type: ignore[type-arg]
        d["attempts"][0]["payload"] = "x"

    assert "unexpected field" in reason(resign(data, secret, extra_field))

    def other_mode(d: dict) -> None:  # type: ignore[type-arg]
        d["attempts"][0]["mode"] = "assessment"

    assert "played in assessment mode" in reason(resign(data, secret, other_mode))


def test_recomputed_scores_ignore_a_claimed_attempt_score(
    tmp_path: Path,
    trainer: ClassroomStore,
    assignment: Assignment,
    scenario: Scenario,
    scorer: RubricScorer,
    catalog: Catalog,
) -> None:
    data = good_file(tmp_path, assignment, scenario, scorer)

    def inflate(d: dict) -> None:  # type: ignore[type-arg]
        d["attempts"][0]["score"] = 100.0

    results = read_results(resign(data, trainee_key(assignment.secret, "Ana"), inflate), trainer.assignment_by_uid)
    attempt = results.attempts[0]
    assert attempt.score == pytest.approx(sum(t.score for t in attempt.turns) / len(attempt.turns))
    assert attempt.score is not None and attempt.score < 100


def test_one_bad_file_among_good_ones_and_unreadable_paths(
    tmp_path: Path,
    trainer: ClassroomStore,
    assignment: Assignment,
    scenario: Scenario,
    scorer: RubricScorer,
    catalog: Catalog,
) -> None:
    good = tmp_path / "good.results.json"
    good.write_bytes(good_file(tmp_path, assignment, scenario, scorer))
    missing = tmp_path / "missing.results.json"
    summary = import_results_files(trainer, [missing, good], rescorer(catalog, scorer))
    assert [f.status for f in summary.files] == [FileStatus.REJECTED, FileStatus.IMPORTED]
    assert summary.files[0].message.startswith("missing.results.json: cannot be read")
