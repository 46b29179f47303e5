"""A results file carries a trainer's review as the trainee's app showed it (issue 15).

The overridden verdicts travel with the trainer's comment and the scorer's original, and the
attempt's score is the one the trainee's debrief shows; the trainer's app still counts only the
scorer's verdicts on import, since it cannot tell a trainer's override from a trainee's edit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.classroom.assignment_file import read_assignment
from simulator.classroom.results_file import export_results, read_results
from simulator.classroom.results_import import FileStatus, import_results_files
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.outcome import attempt_score
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, handout, play, rescorer

COMMENT = "She had to ask twice before the card was locked."


def test_the_exported_file_carries_the_override_its_comment_and_the_scorer_original(
    tmp_path: Path, scenario: Scenario, scorer: RubricScorer, catalog: Catalog
) -> None:
    trainer = ClassroomStore(Store(tmp_path / "trainer" / "db.sqlite3"))
    group = trainer.add_group("Cohort A")
    trainer.import_roster([("Ana", "Cohort A")])
    assignment = trainer.assign(group.id, scenario, "practice", 70)
    ticket = read_assignment(handout(assignment, "Ana", scenario.path.read_text(encoding="utf-8")))
    theirs = ClassroomStore(Store(tmp_path / "ana" / "db.sqlite3"))
    ana = theirs.store.add_trainee("Ana")
    local = theirs.adopt_assignment(ticket.assignment, ana.id)
    attempt_id = play(theirs.store, scenario, scorer, ana.id, GOOD)
    plain = json.loads(export_results(theirs, local.id, ana.id))
    assert "scorer_score" not in plain["attempts"][0] and all(
        "overrides" not in t for t in plain["attempts"][0]["turns"]
    )

    store = theirs.store
    met = next(c["id"] for c in store.turns(attempt_id)[0].criteria if c["met"])
    store.set_trainer_passphrase("Dana", "a long passphrase")
    store.override_verdict(attempt_id, 0, met, False, COMMENT, "Dana")
    counted = attempt_score([t.result for t in store.turns(attempt_id)], finished=True).score
    data = export_results(theirs, local.id, ana.id)

    [attempt] = json.loads(data)["attempts"]
    assert attempt["score"] == pytest.approx(counted) and attempt["score"] < attempt["scorer_score"]
    assert attempt["scorer_score"] == pytest.approx(plain["attempts"][0]["score"])
    first = attempt["turns"][0]
    assert [(o["criterion"], o["met"], o["scorer_met"], o["comment"], o["trainer"]) for o in first["overrides"]] == [
        (met, False, True, COMMENT, "Dana")
    ]
    assert next(c for c in first["criteria"] if c["id"] == met)["met"] is True  # the scorer's verdict, unchanged
    assert all("overrides" not in t for t in attempt["turns"][1:])

    # The trainer's app reads it (the review is valid, signed content) and counts the scorer's verdicts.
    [imported] = read_results(data, trainer.assignment_by_uid).attempts
    assert imported.score == pytest.approx(attempt["scorer_score"])
    path = tmp_path / "ana.results.json"
    path.write_bytes(data)
    assert [f.status for f in import_results_files(trainer, [path], rescorer(catalog, scorer)).files] == [
        FileStatus.IMPORTED
    ]
