"""Hostile results files, imported through ``classroom import-results`` as the trainer would (issue 16).

A trainee holds their own key, so every file here is signed with a real trainee key after editing:
only the trainer's own checks (whose key, the roster, the scenario version, the re-scoring) stand
in the way. Each attack fails with a clear message and nothing is stored for it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from simulator.classroom.assignment_file import read_assignment, trainee_key
from simulator.classroom.results_file import export_results, signature
from simulator.cli.main import main
from simulator.core.checks import canonical
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.classroom.conftest import POOR, handout, play

ROSTER = ["Ana", "Ben"]


def _setup(tmp_path: Path, scenario: Scenario, scorer: RubricScorer) -> tuple[Path, str, bytes, float]:
    """The trainer's data folder with an assignment; Ana's honest (poor) results file and her key."""
    data = tmp_path / "trainer"
    trainer = ClassroomStore(Store(database_path(data)))
    group = trainer.add_group("Morning")
    trainer.import_roster([(n, "Morning") for n in ROSTER])
    assignment = trainer.assign(group.id, scenario, "practice", 70)
    trainer.close()
    theirs = ClassroomStore(Store(tmp_path / "ana" / "db.sqlite3"))
    ana = theirs.store.add_trainee("Ana")
    local = theirs.adopt_assignment(read_assignment(handout(assignment, "Ana")).assignment, ana.id)
    attempt = play(theirs.store, scenario, scorer, ana.id, POOR)
    honest = theirs.store.attempt(attempt).score
    data_file = export_results(theirs, local.id, ana.id)
    theirs.close()
    assert honest is not None and honest < 70
    return data, local.secret, data_file, honest


def _resign(data: bytes, key: str, change: Any) -> bytes:
    document = json.loads(data)
    change(document)
    document["signature"]["value"] = signature(document, key)
    return canonical(document)


def _import(capsys: pytest.CaptureFixture[str], data: Path, blob: bytes, *flags: str) -> tuple[int, str, str]:
    path = data.parent / "inbox" / "x.results.json"
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(blob)
    capsys.readouterr()
    code = main(["--data-dir", str(data), "classroom", "import-results", str(path), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def _scores(data: Path) -> dict[str, list[float | None]]:
    store = Store(database_path(data))
    try:
        return {t.name: [a.score for a in store.attempts(t.id)] for t in store.trainees()}
    finally:
        store.close()


def test_a_pass_for_a_classmate_or_a_stranger_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data, key, blob, _ = _setup(tmp_path, scenario, scorer)

    def as_ben(d: dict[str, Any]) -> None:
        d["trainee"] = "Ben"

    code, _, err = _import(capsys, data, _resign(blob, key, as_ben))  # Ana's key, Ben's name
    assert code == 1 and "the signature does not match Ben's key" in err
    stranger = trainee_key(key, "Zed")  # even a key for the name (Ana cannot make one) meets the roster

    def as_zed(d: dict[str, Any]) -> None:
        d["trainee"] = "Zed"

    code, _, err = _import(capsys, data, _resign(blob, stranger, as_zed))
    assert code == 1  # Ana's key is not the assignment secret: a key "for Zed" from it fails the signature
    assert _scores(data) == {"Ana": [], "Ben": []}


def test_a_name_not_on_the_roster_needs_the_trainers_consent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data, _, _, _ = _setup(tmp_path, scenario, scorer)
    trainer = ClassroomStore(Store(database_path(data)))
    [assignment] = trainer.assignments()
    trainer.close()
    theirs = ClassroomStore(Store(tmp_path / "cleo" / "db.sqlite3"))
    cleo = theirs.store.add_trainee("Cleo")  # the trainer made her a file, but she is not on the roster
    local = theirs.adopt_assignment(read_assignment(handout(assignment, "Cleo")).assignment, cleo.id)
    play(theirs.store, scenario, scorer, cleo.id, POOR)
    blob = export_results(theirs, local.id, cleo.id)
    theirs.close()
    code, _, err = _import(capsys, data, blob)
    assert code == 1 and "Cleo is not on the roster of Morning" in err and "--accept-unknown" in err
    assert "Cleo" not in _scores(data)
    code, out, _ = _import(capsys, data, blob, "--accept-unknown")
    assert code == 0 and "Cleo was not in Morning and was added, as you accepted" in out


def test_inflated_scores_are_recomputed_and_an_edited_scenario_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data, key, blob, honest = _setup(tmp_path, scenario, scorer)

    def other_version(d: dict[str, Any]) -> None:  # played on a copy of the scenario edited locally
        d["attempts"][0]["scenario_hash"] = "0" * 64

    code, _, err = _import(capsys, data, _resign(blob, key, other_version))
    assert code == 1 and "played on a different version of the scenario" in err
    assert _scores(data) == {"Ana": [], "Ben": []}

    def inflate(d: dict[str, Any]) -> None:
        attempt = d["attempts"][0]
        attempt.update(score=100.0, auto_failed=False, outcome="resolved")
        for turn in attempt["turns"]:
            turn["score"] = 100.0
            for criterion in turn["criteria"]:
                criterion.update(met=True, score=1.0)
                criterion.pop("auto_fail", None)

    code, out, _ = _import(capsys, data, _resign(blob, key, inflate))
    assert code == 0 and "re-scored here" in out
    assert _scores(data)["Ana"] == [pytest.approx(honest, abs=0.05)]  # the trainer's scorer, not the file


def test_answers_to_lines_the_customer_never_said_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data, key, blob, _ = _setup(tmp_path, scenario, scorer)

    def reroute(d: dict[str, Any]) -> None:
        d["attempts"][0]["turns"][1]["node_id"] = d["attempts"][0]["turns"][0]["node_id"]

    code, _, err = _import(capsys, data, _resign(blob, key, reroute))
    assert code == 1 and "answers a line the customer does not say there" in err


def test_a_changed_trainer_copy_of_the_scenario_refuses_with_a_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data, _, blob, _ = _setup(tmp_path, scenario, scorer)
    assert scenario.path is not None
    library = tmp_path / "library"
    library.mkdir()
    (library / "stolen-wallet.yaml").write_text(scenario.path.read_text(encoding="utf-8") + "\n# edited\n")
    path = tmp_path / "inbox" / "ana.results.json"
    path.parent.mkdir()
    path.write_bytes(blob)
    capsys.readouterr()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("EMPATHY_TRAINER_SCENARIOS", str(library))
        code = main(["--data-dir", str(data), "classroom", "import-results", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "has changed since it was assigned" in err
