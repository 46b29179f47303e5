"""Every consumer of an attempt's score gets the same number, from the same function (issue 15).

The number is ``outcome.attempt_score`` over the stored turns with a trainer's override applied;
the scorer's own number must be what none of them shows any more.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest

from simulator.application.attempts import Attempts, play_through
from simulator.classroom.report import cohort_report
from simulator.classroom.report_csv import trainees_csv
from simulator.classroom.results_file import export_results
from simulator.cli.main import main
from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.scoring import outcome
from simulator.core.scoring.scorer import RubricScorer
from simulator.records import statements as st
from simulator.records.service import LearningRecords
from simulator.records.statements import EXT_OVERRIDES
from simulator.storage.classroom import ClassroomStore
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS


def lines(name: str) -> list[str]:
    return [x for x in (DATA / "paths" / name).read_text(encoding="utf-8").splitlines() if x.strip()]


COMMENT = "asked twice first"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(database_path(tmp_path))


def test_every_view_of_an_overridden_attempt_shows_the_one_score(
    tmp_path: Path, store: Store, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = Catalog([SCENARIOS])
    scenario = catalog.get("stolen-wallet")
    classroom = ClassroomStore(store)
    ana = store.add_trainee("Ana")
    group = classroom.add_group("Cohort")
    classroom.add_member(group.id, ana.id)
    assignment = classroom.assign(group.id, scenario, "practice", 70)
    attempts = Attempts(store, RubricScorer)
    live = attempts.start(ana.id, scenario, "practice", seed=2, assignment_id=assignment.id)
    for line in lines("stolen-wallet--resolved_well.txt"):
        attempts.answer(live, line)
        if live.finished:
            break
    scorer_score = store.attempt(live.id).score
    store.set_trainer_passphrase("Dana", "a long passphrase")
    store.override_verdict(live.id, 0, "lock_card_first", False, COMMENT, "Dana")

    # Count the calls: every module holding the one definition gets a counting stand-in, so each
    # consumer below is shown to go through it (not to reach the same number some other way).
    calls: list[float | None] = []
    real = outcome.attempt_score

    def counting(turns, *, finished):  # type: ignore[no-untyped-def]
        result = real(turns, finished=finished)
        calls.append(result.score)
        return result

    holders = [
        m
        for name, m in list(sys.modules.items())
        if name.startswith("simulator.") and getattr(m, "attempt_score", None) is real
    ]
    for module in holders:
        monkeypatch.setattr(module, "attempt_score", counting)
    expected = real([t.result for t in store.turns(live.id)], finished=True).score
    assert expected is not None and scorer_score is not None and round(expected) != round(scorer_score)

    def through_the_one_function(consumer):  # type: ignore[no-untyped-def]
        """What ``consumer`` returns, asserting it called ``outcome.attempt_score`` on the way."""
        before = len(calls)
        result = consumer()
        assert len(calls) > before, "did not go through outcome.attempt_score"
        return result

    report = through_the_one_function(lambda: cohort_report(classroom, assignment.id))
    [csv_header, csv_row] = list(csv.reader(io.StringIO(trainees_csv(report))))
    [exported] = through_the_one_function(lambda: json.loads(export_results(classroom, assignment.id, ana.id)))[
        "attempts"
    ]
    [scored] = through_the_one_function(
        lambda: [s for s in LearningRecords(store).statements(store.attempt(live.id)) if s.role.startswith("scored/")]
    )
    capsys.readouterr()
    assert (
        through_the_one_function(lambda: main(["--data-dir", str(tmp_path), "classroom", "report", str(assignment.id)]))
        == 0
    )
    terminal = capsys.readouterr().out

    one = through_the_one_function
    seen = {
        "attempt": one(lambda: store.attempt(live.id).score),
        "library list": one(lambda: store.attempts(ana.id)[0].score),
        "library best": one(lambda: store.scenario_stats(ana.id)["stolen-wallet"].best_score),
        "review table": one(lambda: store.review_attempts()[0].score),
        "assignment status": one(lambda: classroom.status(assignment.id, ana.id).best_score),
        "cohort report": report.rows[0].best_score,
        "cohort CSV": float(csv_row[csv_header.index("best score")]),
        "results file": exported["score"],
        "xAPI statement": scored.body["result"]["score"]["raw"],
        "debrief": one(lambda: attempts.debrief(live.id, catalog.get).summary.score),
    }
    # CSV and xAPI round to one decimal (the forms they are read in); everything else is the exact number.
    assert seen == {name: pytest.approx(expected, abs=0.05) for name in seen}
    assert f"best {expected:3.0f}" in terminal and f"best {scorer_score:3.0f}" not in terminal
    # Where the number is shown as reviewed, the trainer's comment travels with it.
    assert COMMENT in csv_row[csv_header.index("review")] and COMMENT in report.rows[0].reviews[0]
    assert [o["comment"] for t in exported["turns"] for o in t.get("overrides", [])] == [COMMENT]
    assert exported["scorer_score"] == pytest.approx(scorer_score)
    assert [o["comment"] for o in scored.body["result"]["extensions"][EXT_OVERRIDES]] == [COMMENT]
    assert scored.body["result"]["extensions"][st.EXT_SCORER_SCORE] == pytest.approx(scorer_score, abs=0.05)
    assert store.attempt(live.id).scorer_score == scorer_score  # kept beside it, for "(scorer: 55)"


def test_the_engine_summary_is_the_same_function_over_the_same_turns() -> None:
    scenario = Catalog([SCENARIOS]).get("stolen-wallet")
    session = Session(scenario, RubricScorer(), seed=1)
    session.start()
    for line in lines("stolen-wallet--hung_up.txt"):
        session.respond(line)
        if session.finished:
            break
    total = outcome.attempt_score([r.score for r in session.history], finished=True)
    summary = session.summary()
    assert (summary.score, summary.criteria, summary.auto_failed) == (total.score, total.criteria, total.auto_failed)


def test_an_unfinished_attempt_has_no_score_anywhere(store: Store) -> None:
    scenario = Catalog([SCENARIOS]).get("stolen-wallet")
    ana = store.add_trainee("Ana")
    attempt_id = play_through(
        Attempts(store, RubricScorer), ana.id, scenario, lines("stolen-wallet--resolved_well.txt")[:1]
    )
    assert store.attempt(attempt_id).score is None
    assert store.scenario_stats(ana.id)["stolen-wallet"].best_score is None
    assert Attempts(store, RubricScorer).debrief(attempt_id, Catalog([SCENARIOS]).get).summary.score is None
