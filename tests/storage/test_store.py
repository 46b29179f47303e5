"""The attempt database on a real SQLite file: round trips, durability settings, clear errors."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage import database
from simulator.storage.database import SCHEMA_VERSION, Problem, StorageError
from simulator.storage.paths import ENV_VAR, data_dir, database_path
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS
from tests.recording import record_attempt


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Catalog([SCENARIOS]).get("stolen-wallet")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(database_path(tmp_path))


def answers(name: str) -> list[str]:
    return [line for line in (DATA / "paths" / name).read_text().splitlines() if line.strip()]


def play_and_record(store: Store, scenario: Scenario, trainee_id: int, lines: list[str], stop_after: int = 99) -> int:
    return record_attempt(store, scenario, RubricScorer(), trainee_id, lines[:stop_after], seed=3, answer_seconds=4)


def test_file_is_wal_with_foreign_keys_and_current_schema(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    indexes = {r[1] for r in store.db.execute("SELECT * FROM sqlite_master WHERE type = 'index'").fetchall()}
    assert {"attempts_by_trainee", "attempts_by_scenario"} <= indexes


def test_trainees_are_unique_by_name(store: Store) -> None:
    ana = store.add_trainee("  Ana   Silva ")
    assert ana.name == "Ana Silva"
    assert store.add_trainee("ana silva") == ana
    store.add_trainee("Ben")
    assert [t.name for t in store.trainees()] == ["Ana Silva", "Ben"]
    with pytest.raises(ValueError):
        store.add_trainee("   ")


def test_a_finished_attempt_round_trips(store: Store, scenario: Scenario) -> None:
    trainee = store.add_trainee("Ana")
    attempt_id = play_and_record(store, scenario, trainee.id, answers("stolen-wallet--resolved_well.txt"))
    record = store.attempt(attempt_id)
    assert record.finished and record.outcome == "resolved" and record.ending_id == "resolved_well"
    assert record.scenario_hash == scenario.content_hash and record.mode == "practice"
    assert record.turn_count == 5 and record.score is not None and record.score > 70
    assert record.duration_seconds is not None
    turns = store.turns(attempt_id)
    assert [t.index for t in turns] == [0, 1, 2, 3, 4]
    first = turns[0]
    assert first.answer.startswith("That sounds really frightening")
    assert first.response_seconds == 4.0
    verdicts = {c["id"]: c for c in first.criteria}
    assert verdicts["lock_card_first"]["met"] is True
    start, end = verdicts["lock_card_first"]["evidence"][0]
    assert first.answer[start:end] == "locking your card"
    assert store.scenario_stats(trainee.id)["stolen-wallet"].attempts == 1


def test_unfinished_attempt_resumes_from_its_snapshot(store: Store, scenario: Scenario) -> None:
    trainee = store.add_trainee("Ana")
    lines = answers("stolen-wallet--resolved_well.txt")
    attempt_id = play_and_record(store, scenario, trainee.id, lines, stop_after=2)
    [open_attempt] = store.unfinished(trainee.id)
    assert open_attempt.id == attempt_id and open_attempt.turn_count == 2
    session = Session.restore(scenario, RubricScorer(), open_attempt.snapshot)
    assert session.current is not None and session.current.index == 2
    for line in lines[2:]:
        session.respond(line)
    assert session.ending is not None and session.ending.id == "resolved_well"
    assert store.scenario_stats(trainee.id)["stolen-wallet"].best_score is None  # unfinished: no best yet


def test_stats_and_ordering(store: Store, scenario: Scenario) -> None:
    trainee = store.add_trainee("Ana")
    play_and_record(store, scenario, trainee.id, answers("stolen-wallet--hung_up.txt"))
    best = play_and_record(store, scenario, trainee.id, answers("stolen-wallet--resolved_well.txt"))
    stats = store.scenario_stats(trainee.id)["stolen-wallet"]
    assert stats.attempts == 2
    assert stats.best_score == store.attempt(best).score
    assert store.attempts(trainee.id)[0].id == best  # newest first
    store.discard(best)
    assert len(store.attempts(trainee.id)) == 1
    assert store.turns(best) == []  # turns went with it (ON DELETE CASCADE)


def test_migrations_run_once_and_too_new_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = database_path(tmp_path)
    Store(path).close()
    calls: list[int] = []
    monkeypatch.setattr(database, "MIGRATIONS", [*database.MIGRATIONS, lambda db: calls.append(1)])
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    Store(path).close()
    Store(path).close()
    assert calls == [1]
    monkeypatch.setattr(database, "SCHEMA_VERSION", SCHEMA_VERSION)
    with pytest.raises(StorageError) as caught:
        Store(path)
    assert caught.value.problem is Problem.TOO_NEW


def test_corrupt_file(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    path.write_bytes(b"this is not a database, just some text a user saved here by mistake" * 100)
    with pytest.raises(StorageError) as caught:
        Store(path)
    assert caught.value.problem is Problem.CORRUPT
    assert str(path) in str(caught.value) and "Move it aside" in caught.value.advice


def test_locked_by_another_program(tmp_path: Path) -> None:
    path = database_path(tmp_path)
    store = Store(path, busy_timeout_ms=100)
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageError) as caught:
            store.add_trainee("Ana")
        assert caught.value.problem is Problem.LOCKED
        assert "Another copy" in caught.value.advice
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert store.add_trainee("Ana").name == "Ana"  # usable again once the lock is gone


def test_read_only_database(store: Store) -> None:
    store.db.execute("PRAGMA query_only = ON")  # SQLite now refuses every write, as on a read-only file
    with pytest.raises(StorageError) as caught:
        store.add_trainee("Ana")
    assert caught.value.problem is Problem.READ_ONLY
    assert "--data-dir" in caught.value.advice


def test_folder_that_cannot_exist(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError) as caught:
        Store(blocker / "data" / "db.sqlite3")
    assert caught.value.problem is Problem.UNAVAILABLE


def test_data_dir_precedence(tmp_path: Path) -> None:
    assert data_dir(tmp_path / "x", {ENV_VAR: "/elsewhere"}) == tmp_path / "x"
    assert data_dir(None, {ENV_VAR: str(tmp_path)}) == tmp_path
    assert "empathy-trainer" in str(data_dir(None, {}))
