"""A trainer's review in the learning records: one more ``scored`` statement per change (issue 15).

Statements already sent cannot change, so an override and its undo are told as new statements
that carry the score as it counts then, the scorer's own, and the trainer's comment.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.model import Scenario
from simulator.core.scoring.outcome import attempt_score
from simulator.records import statements as st
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import FakeClock, play

ADL = "http://adlnet.gov/expapi/verbs/"
COMMENT = "She had to ask twice before the card was locked."


def counted(store: Store, attempt_id: int) -> float:
    score = attempt_score([t.result for t in store.turns(attempt_id)], finished=True).score
    assert score is not None
    return round(score, 1)


def scored(statements: list[st.Statement]) -> list[st.Statement]:
    return [s for s in statements if s.body["verb"]["id"] == ADL + "scored"]


@pytest.fixture
def reviewed(store: Store, scenario: Scenario, records: LearningRecords) -> tuple[int, list[st.Statement]]:
    """Ana's finished attempt, queued as played, then one verdict overridden: (attempt id, statements before)."""
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    records.record_attempt(attempt_id)
    before = records.statements(store.attempt(attempt_id))
    store.set_trainer_passphrase("Dana", "a long passphrase")
    store.override_verdict(attempt_id, 0, "lock_card_first", False, COMMENT, "Dana")
    return attempt_id, before


def test_an_override_adds_a_scored_statement_with_the_counted_score_and_the_comment(
    store: Store, records: LearningRecords, reviewed: tuple[int, list[st.Statement]]
) -> None:
    attempt_id, before = reviewed
    after = records.statements(store.attempt(attempt_id))
    assert after[: len(before)] == before  # nothing already sent changes
    [review] = after[len(before) :]
    assert scored(after) == [review]
    body = review.body
    result = body["result"]
    assert result["score"]["raw"] == counted(store, attempt_id) != result["extensions"][st.EXT_SCORER_SCORE]
    assert result["extensions"][st.EXT_SCORER_SCORE] == before[-2].body["result"]["score"]["raw"]
    [override] = result["extensions"][st.EXT_OVERRIDES]
    assert override["comment"] == COMMENT and override["trainer"] == "Dana"
    assert (override["turn"], override["criterion"], override["met"], override["scorer_met"]) == (
        0,
        "lock_card_first",
        False,
        True,
    )
    assert (
        result["extensions"][st.EXT_CRITERIA]["lock_card_first"]
        < before[-2].body["result"]["extensions"][st.EXT_CRITERIA]["lock_card_first"]
    )
    assert body["context"]["instructor"]["account"]["name"] == "Dana"
    judged = before[-2]
    assert body["context"]["statement"] == {"objectType": "StatementRef", "id": judged.id}
    assert body["context"]["registration"] == judged.body["context"]["registration"]


def test_each_change_is_one_more_statement_and_an_undo_restores_the_scorer_score(
    store: Store, records: LearningRecords, reviewed: tuple[int, list[st.Statement]]
) -> None:
    attempt_id, before = reviewed
    scorer = before[-2].body["result"]["score"]["raw"]
    first = scored(records.statements(store.attempt(attempt_id)))
    store.override_verdict(attempt_id, 1, "personalize", True, "used her name after all", "Dana")
    second = scored(records.statements(store.attempt(attempt_id)))
    assert second[0] == first[0] and len(second) == 2  # the earlier one is rebuilt exactly
    assert second[1].body["result"]["score"]["raw"] == counted(store, attempt_id)
    assert len(second[1].body["result"]["extensions"][st.EXT_OVERRIDES]) == 2
    for override in store.overrides(attempt_id):
        store.undo_override(override.id, "Dana")
    final = scored(records.statements(store.attempt(attempt_id)))
    assert final[:2] == second and len(final) == 4
    assert [s.body["result"]["extensions"][st.EXT_REVIEW_CHANGE] for s in final] == [
        "override",
        "override",
        "undo",
        "undo",
    ]
    assert final[-1].body["result"]["score"]["raw"] == scorer  # the scorer's verdicts count again
    assert final[-1].body["result"]["extensions"][st.EXT_OVERRIDES] == []
    assert len({s.id for s in final}) == 4


def test_catching_up_queues_each_change_once_and_a_restart_rebuilds_the_same(
    tmp_path: Path, store: Store, records: LearningRecords, clock: FakeClock, reviewed: tuple[int, list[st.Statement]]
) -> None:
    attempt_id, _ = reviewed
    pending = records.counts().pending
    assert records.catch_up() == 1  # the override, made where no hook queued it
    assert records.catch_up() == 0
    [override] = store.overrides(attempt_id)
    store.undo_override(override.id, "Dana")
    assert records.catch_up() == 1
    assert records.counts().pending == pending + 2
    built = records.statements(store.attempt(attempt_id))
    store.close()
    again = Store(database_path(tmp_path))
    assert LearningRecords(again, clock=clock).statements(again.attempt(attempt_id)) == built
    again.close()


@needs_ralph
def test_an_lrs_accepts_the_review_statements(
    tmp_path: Path, store: Store, clock: FakeClock, ralph: Ralph, reviewed: tuple[int, list[st.Statement]]
) -> None:
    attempt_id, _ = reviewed
    [override] = store.overrides(attempt_id)
    store.undo_override(override.id, "Dana")
    records = LearningRecords(store, clock=clock)
    records.export(tmp_path / "records.json", [attempt_id])
    answer = ralph.http.post(ralph.endpoint + "statements", data=(tmp_path / "records.json").read_bytes(),
                             headers={"Content-Type": "application/json"}, timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text
    review = scored(records.statements(store.attempt(attempt_id)))
    assert len(review) == 2 and {s.id for s in review} <= set(answer.json())
