"""The ``classroom`` command: roster, assignment file, results import and report on a real data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.classroom.assignment_file import read_assignment
from simulator.classroom.results_file import export_results, results_filename
from simulator.cli.main import main
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, play


def run(capsys: pytest.CaptureFixture[str], data: Path, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--data-dir", str(data), "classroom", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_trainer_runs_the_classroom_from_the_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], scenario: Scenario, scorer: RubricScorer
) -> None:
    data = tmp_path / "trainer"
    roster = tmp_path / "roster.csv"
    roster.write_text("Name;Cohort\nAna;Morning\nBen;Morning\n\n", encoding="utf-8-sig")
    assert run(capsys, data, "roster", str(roster))[1].startswith("2 trainees added")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,group\n,Morning\n", encoding="utf-8")
    code, _, err = run(capsys, data, "roster", str(bad))
    assert code == 1 and "line 2: error: no name on this line" in err and "Nothing was imported" in err

    handout = tmp_path / "handouts"
    code, out, _ = run(
        capsys,
        data,
        "assign",
        "morning",
        "stolen-wallet",
        "--pass",
        "60",
        "--due",
        "2099-12-31",
        "--export",
        str(handout),
    )
    assert code == 0 and out.startswith("Assignment 1: Stolen wallet")
    assert "2 assignment files (one per trainee, signed with key " in out
    assert "[1] Stolen wallet at 2 a.m. (practice, pass 60, due 2099-12-31)" in run(capsys, data, "groups")[1]

    # Ana plays on her own machine and sends her results file; a stray file sits in the same folder.
    theirs = ClassroomStore(Store(tmp_path / "ana" / "db.sqlite3"))
    ana = theirs.store.add_trainee("Ana")
    local = theirs.adopt_assignment(
        read_assignment((handout / "morning-stolen-wallet-Ana.assignment.json").read_bytes()).assignment, ana.id
    )
    play(theirs.store, scenario, scorer, ana.id, GOOD)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / results_filename(local, "Ana")).write_bytes(export_results(theirs, local.id, ana.id))
    (inbox / "junk.results.json").write_bytes(b"{not json")
    theirs.close()
    code, out, err = run(capsys, data, "import-results", str(inbox))
    assert code == 1 and "1 files imported (1 attempts), 1 rejected." in out
    assert "junk.results.json: rejected: incomplete or damaged" in err

    csv_dir = tmp_path / "report"
    code, out, _ = run(capsys, data, "report", "1", "--csv", str(csv_dir))
    assert code == 0 and "2 trainees, 1 passed (50%)" in out and "Weakest criteria:" in out
    assert len(list(csv_dir.glob("*.csv"))) == 5
    assert run(capsys, data, "report", "99")[0] == 1
