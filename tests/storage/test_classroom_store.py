"""The classroom store on a real SQLite file: roster, assignments, status from real attempts, results."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import AttemptInput, Source, Status, TurnInput
from simulator.storage.database import StorageError
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS
from tests.recording import record_attempt


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Catalog([SCENARIOS]).get("stolen-wallet")


@pytest.fixture(scope="module")
def scorer() -> RubricScorer:
    return RubricScorer()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(database_path(tmp_path))


@pytest.fixture
def classroom(store: Store) -> ClassroomStore:
    return ClassroomStore(store)


def lines(name: str) -> list[str]:
    return [line for line in (DATA / "paths" / name).read_text().splitlines() if line.strip()]


GOOD = "stolen-wallet--resolved_well.txt"
POOR = "stolen-wallet--hung_up.txt"


def play(
    store: Store, scenario: Scenario, scorer: RubricScorer, trainee_id: int, path: str, mode: str = "assessment"
) -> int:
    return record_attempt(store, scenario, scorer, trainee_id, lines(path), mode=mode)


def test_roster_import_is_one_transaction_and_reuses_names(classroom: ClassroomStore, store: Store) -> None:
    store.add_trainee("Ana Silva")
    result = classroom.import_roster([("ana  silva", "Cohort A"), ("Ben Ode", "Cohort A"), ("Ben Ode", "Cohort B")])
    assert result.trainees_created == ("Ben Ode",) and result.trainees_existing == ("Ana Silva",)
    assert result.groups_created == ("Cohort A", "Cohort B") and result.memberships_added == 3
    again = classroom.import_roster([("Ben Ode", "cohort a")])
    assert again.memberships_added == 0 and again.groups_created == ()
    cohort = classroom.group_named("COHORT A")
    assert cohort is not None and [t.name for t in classroom.members(cohort.id)] == ["Ana Silva", "Ben Ode"]
    with pytest.raises(ValueError, match="invisible characters"):
        classroom.import_roster([("Cleo", "Cohort C"), ("Bad\x07Name", None)])
    assert classroom.group_named("Cohort C") is None and "Cleo" not in [t.name for t in store.trainees()]


def test_assign_validates_and_update_changes_the_rules(classroom: ClassroomStore, scenario: Scenario) -> None:
    group = classroom.add_group("Cohort A")
    with pytest.raises(ValueError):
        classroom.assign(group.id, scenario, "exam", 70)
    with pytest.raises(ValueError):
        classroom.assign(group.id, scenario, "assessment", 101)
    with pytest.raises(ValueError):
        classroom.assign(group.id, scenario, "assessment", 70, attempt_limit=0)
    with pytest.raises(ValueError):
        classroom.assign(group.id, scenario, "assessment", 70, due=datetime(2030, 1, 1))
    a = classroom.assign(group.id, scenario, "assessment", 70, attempt_limit=3, due=datetime(2030, 1, 1, tzinfo=UTC))
    assert a.scenario_hash == scenario.content_hash and len(a.secret) == 64 and a.group_name == "Cohort A"
    assert classroom.assignment_by_uid(a.uid) == a and classroom.assignments(group.id) == [a]
    changed = classroom.update_assignment(a.id, 60, None, None)
    assert (changed.pass_threshold, changed.attempt_limit, changed.due) == (60, None, None)


def test_status_follows_real_attempts_and_trainer_overrides(
    classroom: ClassroomStore, store: Store, scenario: Scenario, scorer: RubricScorer
) -> None:
    ana = store.add_trainee("Ana")
    group = classroom.add_group("Cohort A")
    classroom.add_member(group.id, ana.id)
    a = classroom.assign(group.id, scenario, "assessment", 60, attempt_limit=2)
    assert [s.status for s in classroom.assignments_for(ana.id)] == [Status.NOT_STARTED]
    poor = play(store, scenario, scorer, ana.id, POOR)
    assert classroom.status(a.id, ana.id).status is Status.IN_PROGRESS
    # a trainer lifts the auto-fail on every turn of the poor attempt: its effective score rises
    store.set_trainer_passphrase("Tess", "correct horse battery")
    before = classroom.status(a.id, ana.id).best_score
    for turn in store.turns(poor):
        for criterion in turn.criteria:
            store.override_verdict(poor, turn.index, criterion["id"], True, "generous marking", "Tess")
    after = classroom.status(a.id, ana.id)
    assert before is not None and before < 30 and after.best_score == 100.0 and after.status is Status.PASSED
    facts = classroom.attempts_for(a.id)
    assert facts[0].overridden and all(v == 1.0 for v in facts[0].criteria.values())


def test_practice_attempts_do_not_count_for_an_assessment_and_limits_fail(
    classroom: ClassroomStore, store: Store, scenario: Scenario, scorer: RubricScorer
) -> None:
    ben = store.add_trainee("Ben")
    group = classroom.add_group("Cohort B")
    classroom.add_member(group.id, ben.id)
    a = classroom.assign(group.id, scenario, "assessment", 60, attempt_limit=1)
    play(store, scenario, scorer, ben.id, GOOD, mode="practice")
    assert classroom.status(a.id, ben.id).status is Status.NOT_STARTED
    play(store, scenario, scorer, ben.id, POOR)
    status = classroom.statuses(a.id)[ben.id]
    assert status.status is Status.FAILED and status.attempts_left == 0
    play(store, scenario, scorer, ben.id, GOOD)  # an extra attempt beyond the limit changes nothing
    assert classroom.status(a.id, ben.id).status is Status.FAILED and classroom.status(a.id, ben.id).extra == 1


def test_local_link_counts_and_export_lists_finished_counted_attempts(
    classroom: ClassroomStore, store: Store, scenario: Scenario, scorer: RubricScorer
) -> None:
    cleo = store.add_trainee("Cleo")
    group = classroom.add_group("Cohort C")
    classroom.add_member(group.id, cleo.id)
    a = classroom.assign(group.id, scenario, "practice", 60)
    other = classroom.assign(group.id, scenario, "practice", 60)
    attempt = play(store, scenario, scorer, cleo.id, GOOD, mode="practice")
    classroom.link_attempt(a.id, attempt)
    assert classroom.status(a.id, cleo.id).status is Status.PASSED
    assert classroom.status(other.id, cleo.id).status is Status.NOT_STARTED  # linked elsewhere
    exported = classroom.export_attempts(a.id, cleo.id)
    assert [e.record.id for e in exported] == [attempt] and len(exported[0].turns) == 5
    assert exported[0].routes[0][1] == exported[0].turns[1].node_id  # where each turn led


def turn_input(index: int, score: float) -> TurnInput:
    at = datetime(2025, 3, 3, 10, 0, tzinfo=UTC) + timedelta(minutes=index)
    criterion = {"id": "acknowledge_emotion", "label": "Acknowledges", "met": score > 50, "score": score / 100}
    return TurnInput(
        index,
        "opening",
        "Help!",
        "I hear you.",
        at,
        at + timedelta(seconds=9),
        score,
        [criterion],
        60,
        50,
        "otherwise",
        "x",
    )


def attempt_input(scenario: Scenario, uid: str | None, score: float) -> AttemptInput:
    started = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    return AttemptInput(
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        scenario_hash=scenario.content_hash,
        mode="practice",
        seed=0,
        started=started,
        ended=started + timedelta(minutes=5),
        finished=True,
        outcome="resolved",
        ending_id="resolved_well",
        score=score,
        auto_failed=False,
        criteria={"acknowledge_emotion": score / 100},
        turns=(turn_input(0, score), turn_input(1, score)),
        uid=uid,
    )


def test_store_results_skips_duplicates_and_adds_newcomers_to_the_group(
    classroom: ClassroomStore, store: Store, scenario: Scenario
) -> None:
    group = classroom.add_group("Cohort D")
    a = classroom.assign(group.id, scenario, "practice", 60)
    first = classroom.store_results(a.id, "Dana", [attempt_input(scenario, "u1", 80)], Source.FILE)
    assert first.joined_group and len(first.attempt_ids) == 1 and first.duplicates == ()
    second = classroom.store_results(
        a.id, "dana", [attempt_input(scenario, "u1", 80), attempt_input(scenario, "u2", 40)], Source.FILE
    )
    assert not second.joined_group and second.duplicates == ("u1",) and len(second.attempt_ids) == 1
    turns = store.turns(second.attempt_ids[0])
    assert [t.index for t in turns] == [0, 1] and turns[0].response_seconds == 9
    assert classroom.status(a.id, first.trainee_id).best_score == 80
    same_batch = classroom.store_results(a.id, "Dana", [attempt_input(scenario, "u3", 50)] * 2, Source.FILE)
    assert same_batch.duplicates == ("u3",) and len(same_batch.attempt_ids) == 1
    broken = replace(attempt_input(scenario, "u4", 50), turns=(turn_input(0, 50), turn_input(0, 50)))
    with pytest.raises(StorageError):  # the transaction rolls back on a broken row: nothing half-stored
        classroom.store_results(a.id, "Eve", [attempt_input(scenario, "u5", 50), broken], Source.FILE)
    assert "Eve" not in [t.name for t in store.trainees()]


def test_adopting_an_assignment_on_a_trainee_machine(
    tmp_path: Path, classroom: ClassroomStore, scenario: Scenario
) -> None:
    group = classroom.add_group("Cohort E")
    original = classroom.assign(group.id, scenario, "assessment", 75, attempt_limit=2)
    theirs = ClassroomStore(Store(tmp_path / "trainee" / "db.sqlite3"))
    fay = theirs.store.add_trainee("Fay")
    theirs.add_group("Cohort E")  # a local group that happens to share the name
    adopted = theirs.adopt_assignment(original, fay.id)
    assert adopted.uid == original.uid and adopted.secret == original.secret and adopted.origin == "imported"
    assert adopted.group_name == "Cohort E (2)" and adopted.group_uid == original.group_uid
    readopted = theirs.adopt_assignment(classroom.update_assignment(original.id, 80, 2, None), fay.id)
    assert readopted.id == adopted.id and readopted.pass_threshold == 80
    assert [s.assignment.uid for s in theirs.assignments_for(fay.id)] == [original.uid]


def test_save_session_stores_attempts_per_trainee_in_one_go(
    classroom: ClassroomStore, store: Store, scenario: Scenario
) -> None:
    group = classroom.add_group("Cohort F")
    a = classroom.assign(group.id, scenario, "practice", 60)
    gil, hal = store.add_trainee("Gil"), store.add_trainee("Hal")
    started = datetime(2025, 3, 3, 10, 0, tzinfo=UTC)
    session, stored = classroom.save_session(
        "projector",
        scenario,
        a.id,
        started,
        {"transcript": []},
        {gil.id: attempt_input(scenario, None, 90), hal.id: attempt_input(scenario, None, 30)},
    )
    assert session.kind == "projector" and session.ended is not None and set(stored) == {gil.id, hal.id}
    assert classroom.sessions(a.id) == [session]
    assert [t.name for t in classroom.members(group.id)] == ["Gil", "Hal"]  # credited: now in the group
    facts = {f.trainee_id: f for f in classroom.attempts_for(a.id)}
    assert facts[gil.id].source == "projector" and facts[gil.id].seconds == 18
    assert classroom.statuses(a.id)[hal.id].status is Status.IN_PROGRESS  # 30 < 60


def test_deleting_a_group_keeps_trainees_and_attempts(
    classroom: ClassroomStore, store: Store, scenario: Scenario
) -> None:
    group = classroom.add_group("Cohort G")
    a = classroom.assign(group.id, scenario, "practice", 60)
    result = classroom.store_results(a.id, "Ivy", [attempt_input(scenario, "x", 70)], Source.LIVE)
    classroom.delete_group(group.id)
    assert classroom.groups() == [] and "Ivy" in [t.name for t in store.trainees()]
    assert store.attempt(result.attempt_ids[0]).score == 70
    with pytest.raises(KeyError):
        classroom.assignment(a.id)


def test_a_live_sessions_local_copy_counts_here_but_is_not_exported_twice(
    classroom: ClassroomStore, store: Store, scenario: Scenario, scorer: RubricScorer
) -> None:
    """The trainer's app holds a live attempt already: the trainee's results file must not carry it again."""
    dana = store.add_trainee("Dana")
    group = classroom.add_group("Cohort D")
    classroom.add_member(group.id, dana.id)
    a = classroom.assign(group.id, scenario, "practice", 60)
    live = play(store, scenario, scorer, dana.id, GOOD, mode="practice")
    classroom.link_attempt(a.id, live)  # as LocalCopy links it: start_attempt(..., source="live")
    store.db.execute("UPDATE assignment_attempts SET source = 'live' WHERE attempt_id = ?", [live])
    here = play(store, scenario, scorer, dana.id, GOOD, mode="practice")
    classroom.link_attempt(a.id, here)
    assert set(classroom.status(a.id, dana.id).counted) == {live, here}  # both count on this computer
    assert [e.record.id for e in classroom.export_attempts(a.id, dana.id)] == [here]

    copy = store.start_attempt(dana.id, scenario, "practice", 1, {}, assignment_id=a.id, source="live")
    row = store.db.execute("SELECT source FROM assignment_attempts WHERE attempt_id = ?", [copy]).fetchone()
    assert row[0] == "live"
