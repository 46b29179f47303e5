"""Every consumer of an attempt's score gets the same number, from the same function (issue 15).

The number is ``outcome.attempt_score`` over the stored turns with a trainer's override applied;
the scorer's own number must be what none of them shows any more.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.application.attempts import Attempts, play_through
from simulator.classroom.report import cohort_report
from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.scoring import outcome
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS


def lines(name: str) -> list[str]:
    return [x for x in (DATA / "paths" / name).read_text(encoding="utf-8").splitlines() if x.strip()]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "db.sqlite3")


def test_every_view_of_an_overridden_attempt_shows_the_one_score(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
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
    store.override_verdict(live.id, 0, "lock_card_first", False, "asked twice first", "Dana")

    # Count the calls: every consumer below must go through the one definition.
    calls: list[float | None] = []
    real = outcome.attempt_score

    def counting(turns, *, finished):  # type: ignore[no-untyped-def]
        result = real(turns, finished=finished)
        calls.append(result.score)
        return result

    monkeypatch.setattr(outcome, "attempt_score", counting)
    expected = real([t.result for t in store.turns(live.id)], finished=True).score
    assert expected is not None and scorer_score is not None and round(expected) != round(scorer_score)

    seen = {
        "attempt": store.attempt(live.id).score,
        "library list": store.attempts(ana.id)[0].score,
        "library best": store.scenario_stats(ana.id)["stolen-wallet"].best_score,
        "review table": store.review_attempts()[0].score,
        "assignment status": classroom.status(assignment.id, ana.id).best_score,
        "cohort report": cohort_report(classroom, assignment.id).rows[0].best_score,
        "debrief": attempts.debrief(live.id, catalog.get).summary.score,
    }
    assert seen == {name: pytest.approx(expected) for name in seen}
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
