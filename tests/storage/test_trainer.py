"""Trainer studio storage: the passphrase, verdict overrides with their audit trail, review queries."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage import database
from simulator.storage.database import SCHEMA_VERSION, StorageError
from simulator.storage.paths import database_path
from simulator.storage.store import (
    Store,
    effective_met,
    ran_against_older_version,
)
from tests.conftest import SCENARIOS
from tests.recording import record_attempt
from tests.storage.test_store import answers

PASS = "correct horse battery"


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([SCENARIOS])


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(database_path(tmp_path))


@pytest.fixture
def trainer(store: Store) -> str:
    store.set_trainer_passphrase("Dana", PASS)
    name = store.verify_trainer(PASS)
    assert name is not None
    return name


def record(store: Store, scenario: Scenario, trainee_id: int, path: str, mode: str = "practice") -> int:
    """Play a scripted path through the real engine and scorer and store every turn, as the app does."""
    return record_attempt(
        store, scenario, RubricScorer(), trainee_id, answers(path), mode=mode, seed=3, answer_seconds=4
    )


def raw_criteria(store: Store, attempt_id: int, index: int) -> str:
    row = store.db.execute(
        "SELECT criteria FROM turns WHERE attempt_id = ? AND idx = ?", [attempt_id, index]
    ).fetchone()
    return str(row[0])


def tables(path: Path) -> set[str]:
    conn = sqlite3.connect(str(path))
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')")}
    finally:
        conn.close()


# -- schema -------------------------------------------------------------------------------------


def test_a_v2_database_migrates_and_keeps_its_attempts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, catalog: Catalog
) -> None:
    path = database_path(tmp_path)
    monkeypatch.setattr(database, "MIGRATIONS", database.MIGRATIONS[:2])
    monkeypatch.setattr(database, "SCHEMA_VERSION", 2)
    old = Store(path)  # exactly what the previous release wrote
    ana = old.add_trainee("Ana")
    attempt_id = record(old, catalog.get("stolen-wallet"), ana.id, "stolen-wallet--resolved_well.txt")
    before = old.db.execute("SELECT * FROM turns ORDER BY id").fetchall()
    old.close()
    assert "trainer" not in tables(path) and "overrides" not in tables(path)
    monkeypatch.undo()

    store = Store(path)
    assert SCHEMA_VERSION >= 3  # later features append their own migrations
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert {"trainer", "overrides", "audit", "overrides_by_attempt", "audit_by_time"} <= tables(path)
    assert store.db.execute("SELECT * FROM turns ORDER BY id").fetchall() == before
    assert store.attempt(attempt_id).finished and len(store.turns(attempt_id)) == len(before)
    assert not store.has_trainer() and store.audit_log() == []
    store.set_trainer_passphrase("Dana", PASS)
    store.override_verdict(attempt_id, 0, "lock_card_first", False, "checked by hand", "Dana")
    assert len(store.overrides(attempt_id)) == 1
    store.close()
    Store(path).close()  # reopening migrates nothing more
    assert sqlite3.connect(str(path)).execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# -- passphrase ---------------------------------------------------------------------------------


def test_passphrase_set_verify_and_refusals(store: Store) -> None:
    assert not store.has_trainer()
    assert store.verify_trainer(PASS) is None
    with pytest.raises(ValueError, match="at least 8 characters"):
        store.set_trainer_passphrase("Dana", "short")
    with pytest.raises(ValueError, match="only spaces"):
        store.set_trainer_passphrase("Dana", " " * 12)
    with pytest.raises(ValueError, match="name"):
        store.set_trainer_passphrase("   ", PASS)
    assert not store.has_trainer()

    store.set_trainer_passphrase("  Dana   Ruiz ", PASS)
    assert store.has_trainer()
    assert store.verify_trainer(PASS) == "Dana Ruiz"
    assert store.verify_trainer("correct horse batterY") is None
    assert store.verify_trainer("") is None
    with pytest.raises(ValueError, match="already set"):
        store.set_trainer_passphrase("Mallory", "another passphrase")
    assert store.verify_trainer("another passphrase") is None
    assert store.db.execute("SELECT COUNT(*) FROM trainer").fetchone()[0] == 1


def test_passphrase_change_needs_the_old_one(store: Store) -> None:
    store.set_trainer_passphrase("Dana", PASS)
    with pytest.raises(ValueError, match="old trainer passphrase is wrong"):
        store.change_trainer_passphrase("not the passphrase", "a brand new one")
    with pytest.raises(ValueError, match="at least 8"):
        store.change_trainer_passphrase(PASS, "tiny")
    assert store.verify_trainer(PASS) == "Dana"
    store.change_trainer_passphrase(PASS, "a brand new one")
    assert store.verify_trainer(PASS) is None
    assert store.verify_trainer("a brand new one") == "Dana"
    log = store.audit_log()
    assert [e.action for e in log] == ["change_passphrase", "set_passphrase"]
    assert all(e.trainer == "Dana" and e.attempt_id is None and e.detail == {} for e in log)


def test_only_a_salted_scrypt_hash_is_stored(tmp_path: Path) -> None:
    rows = []
    for name in ("one", "two"):
        path = database_path(tmp_path / name)
        store = Store(path)
        store.set_trainer_passphrase("Dana", PASS)
        rows.append(store.db.execute("SELECT * FROM trainer").fetchone())
        store.close()  # checkpoints the WAL into the file
        assert PASS.encode() not in path.read_bytes()
    for _id, name, digest, salt, n, r, p, _created in rows:
        assert (name, n, r, p) == ("Dana", 2**14, 8, 1)
        assert len(salt) == 16 and len(digest) == 32
        assert digest != PASS.encode()
        assert digest == hashlib.scrypt(PASS.encode(), salt=salt, n=n, r=r, p=p, dklen=32)
    (first, second) = rows
    assert first[3] != second[3]  # a fresh random salt per account ...
    assert first[2] != second[2]  # ... so the same passphrase hashes differently


# -- overrides ----------------------------------------------------------------------------------


def test_override_sits_beside_the_scorers_verdict(store: Store, trainer: str, catalog: Catalog) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = record(store, catalog.get("stolen-wallet"), ana.id, "stolen-wallet--resolved_well.txt")
    stored_before = raw_criteria(store, attempt_id, 0)
    attempt_before = store.attempt(attempt_id)
    turn_before = store.turns(attempt_id)[0]
    assert effective_met({"id": "x", "met": True}) is True

    store.override_verdict(attempt_id, 0, "lock_card_first", False, "  Only after she asked twice. ", trainer)

    assert raw_criteria(store, attempt_id, 0) == stored_before  # the scorer's verdict is never modified
    after = store.attempt(attempt_id)  # the scorer's number stays beside the one that counts now
    assert after.scorer_score == attempt_before.score and after.score != attempt_before.score
    turns = store.turns(attempt_id)
    verdicts = {c["id"]: c for c in turns[0].criteria}
    lock = verdicts["lock_card_first"]
    assert lock["met"] is True  # the scorer's
    assert lock["override"]["met"] is False
    assert lock["override"]["comment"] == "Only after she asked twice."
    assert lock["override"]["trainer"] == "Dana"
    assert datetime.fromisoformat(lock["override"]["at"]).tzinfo is not None
    assert effective_met(lock) is False
    assert all("override" not in c for cid, c in verdicts.items() if cid != "lock_card_first")
    assert all("override" not in c for t in turns[1:] for c in t.criteria)
    assert turns[0].effective_score < turns[0].score == turn_before.score
    assert turns[1].effective_score == turns[1].score
    effective = store.attempt(attempt_id)
    assert effective.score is not None and attempt_before.score is not None and effective.score < attempt_before.score
    assert effective.scorer_score == attempt_before.score and effective.reviewed

    [override] = store.overrides(attempt_id)
    assert (override.attempt_id, override.turn_index, override.criterion_id) == (attempt_id, 0, "lock_card_first")
    assert (override.original_met, override.met, override.trainer) == (True, False, "Dana")
    [audit, _set] = store.audit_log()
    assert (audit.action, audit.trainer, audit.attempt_id) == ("override", "Dana", attempt_id)
    assert audit.detail == {
        "override": override.id,  # its undo names it too, so learning records can replay the history
        "turn": 0,
        "criterion": "lock_card_first",
        "original_met": True,
        "met": False,
        "comment": "Only after she asked twice.",
    }
    assert audit.at == override.at

    # A second opinion supersedes the first; both stay on record and the original stays the scorer's.
    store.override_verdict(attempt_id, 0, "lock_card_first", True, "Re-listened: it was first.", trainer)
    lock = next(c for c in store.turns(attempt_id)[0].criteria if c["id"] == "lock_card_first")
    assert effective_met(lock) is True and lock["override"]["comment"] == "Re-listened: it was first."
    assert [(o.original_met, o.met) for o in store.overrides(attempt_id)] == [(True, False), (True, True)]
    assert [e.action for e in store.audit_log()] == ["override", "override", "set_passphrase"]


def test_overriding_a_missed_verdict_raises_the_turn_score(store: Store, trainer: str, catalog: Catalog) -> None:
    ana = store.add_trainee("Ana")
    wallet = catalog.get("stolen-wallet")
    good = record(store, wallet, ana.id, "stolen-wallet--resolved_well.txt")
    before = store.turns(good)[2]  # "Thank you, that's all confirmed. I'm opening a fraud dispute..."
    assert not next(c for c in before.criteria if c["id"] == "acknowledge_emotion")["met"]
    store.override_verdict(good, 2, "acknowledge_emotion", True, "Said it in other words.", trainer)
    assert before.score < store.turns(good)[2].effective_score <= 100

    # A missed auto-fail criterion zeroes the turn; only overriding that one lifts it.
    bad = record(store, wallet, ana.id, "stolen-wallet--hung_up.txt")
    assert store.turns(bad)[0].score == 0
    store.override_verdict(bad, 0, "acknowledge_emotion", True, "She did say sorry.", trainer)
    assert store.turns(bad)[0].effective_score == 0
    store.override_verdict(bad, 0, "respectful_tone", True, "Sarcasm misread as blame.", trainer)
    assert store.turns(bad)[0].effective_score > 0


def test_override_and_its_audit_row_commit_together(store: Store, trainer: str, catalog: Catalog) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = record(store, catalog.get("stolen-wallet"), ana.id, "stolen-wallet--resolved_well.txt")
    store.db.execute("CREATE TRIGGER refuse_audit BEFORE INSERT ON audit BEGIN SELECT RAISE(ABORT, 'no audit'); END")
    with pytest.raises(StorageError):
        store.override_verdict(attempt_id, 0, "lock_card_first", False, "should not stick", trainer)
    assert store.overrides(attempt_id) == []  # the audit insert failed, so the override was rolled back
    store.db.execute("DROP TRIGGER refuse_audit")
    store.override_verdict(attempt_id, 0, "lock_card_first", False, "now it sticks", trainer)
    assert len(store.overrides(attempt_id)) == 1 and store.audit_log()[0].action == "override"


def test_overrides_that_are_refused(store: Store, catalog: Catalog) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = record(store, catalog.get("stolen-wallet"), ana.id, "stolen-wallet--resolved_well.txt")
    with pytest.raises(ValueError, match="not a trainer"):  # no trainer account yet: a trainee cannot score
        store.override_verdict(attempt_id, 0, "lock_card_first", False, "I think I did fine", "Ana")
    store.set_trainer_passphrase("Dana", PASS)
    with pytest.raises(ValueError, match="not a trainer"):
        store.override_verdict(attempt_id, 0, "lock_card_first", False, "I think I did fine", "Ana")
    with pytest.raises(ValueError, match="comment"):
        store.override_verdict(attempt_id, 0, "lock_card_first", False, "  \n ", "Dana")
    with pytest.raises(ValueError, match="no turn 99"):
        store.override_verdict(attempt_id, 99, "lock_card_first", False, "why", "Dana")
    with pytest.raises(ValueError, match="no turn 0"):
        store.override_verdict(attempt_id + 1000, 0, "lock_card_first", False, "why", "Dana")
    with pytest.raises(ValueError, match="no criterion 'made_up'"):
        store.override_verdict(attempt_id, 0, "made_up", False, "why", "Dana")
    assert store.overrides(attempt_id) == []
    assert [e.action for e in store.audit_log()] == ["set_passphrase"]
    store.override_verdict(attempt_id, 0, "lock_card_first", False, "why", "dana")  # names are case-insensitive
    assert store.overrides(attempt_id)[0].trainer == "Dana"


def test_discarding_an_attempt_keeps_its_audit_trail(store: Store, trainer: str, catalog: Catalog) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = record(store, catalog.get("stolen-wallet"), ana.id, "stolen-wallet--resolved_well.txt")
    store.override_verdict(attempt_id, 1, store.turns(attempt_id)[1].criteria[0]["id"], False, "no", trainer)
    store.discard(attempt_id)
    assert store.overrides(attempt_id) == []  # went with the turns (ON DELETE CASCADE)
    entry = store.audit_log()[0]
    assert entry.action == "override" and entry.attempt_id is None and entry.detail["turn"] == 1


def test_record_audit_and_log_order(store: Store, trainer: str) -> None:
    store.record_audit(trainer, "scenario_saved", {"scenario": "stolen-wallet", "hash": "abc"})
    store.record_audit(trainer, "scenario_saved", {"scenario": "delayed-order"})
    with pytest.raises(ValueError, match="action"):
        store.record_audit(trainer, " ", {})
    with pytest.raises(TypeError):
        store.record_audit(trainer, "scenario_saved", {"when": object()})
    log = store.audit_log()
    assert [e.detail.get("scenario") for e in log] == ["delayed-order", "stolen-wallet", None]
    assert [e.action for e in store.audit_log(limit=2)] == ["scenario_saved", "scenario_saved"]
    assert json.loads(store.db.execute("SELECT detail FROM audit ORDER BY id DESC").fetchone()[0]) == {
        "scenario": "delayed-order"
    }


# -- review -------------------------------------------------------------------------------------


def test_review_across_trainees_with_filters(store: Store, trainer: str, catalog: Catalog) -> None:
    ana, ben = store.add_trainee("Ana"), store.add_trainee("Ben")
    wallet, order = catalog.get("stolen-wallet"), catalog.get("delayed-order")
    plays = {
        "ana_wallet_may": (ana, wallet, "stolen-wallet--resolved_well.txt", "practice", "2024-05-02T09:00:00+00:00"),
        "ana_order_june": (ana, order, "delayed-order--resolved_well.txt", "assessment", "2024-06-10T15:30:00+00:00"),
        "ben_wallet_june": (ben, wallet, "stolen-wallet--hung_up.txt", "assessment", "2024-06-20T08:00:00.250+00:00"),
        "ben_order_july": (ben, order, "delayed-order--chargeback_filed.txt", "practice", "2024-07-01T00:00:00+00:00"),
    }
    ids: dict[str, int] = {}
    for key, (trainee, scenario, path, mode, started) in plays.items():
        ids[key] = record(store, scenario, trainee.id, path, mode)
        store.db.execute("UPDATE attempts SET started = ? WHERE id = ?", [started, ids[key]])
    for turn in store.turns(ids["ben_wallet_june"])[:2]:
        store.override_verdict(turn.attempt_id, turn.index, turn.criteria[0]["id"], True, "ok", trainer)

    def review(**filters: object) -> list[str]:
        by_id = {v: k for k, v in ids.items()}
        return [by_id[row.id] for row in store.review_attempts(**filters)]  # type: ignore[arg-type]

    assert review() == ["ben_order_july", "ben_wallet_june", "ana_order_june", "ana_wallet_may"]  # newest first
    assert review(trainee_id=ana.id) == ["ana_order_june", "ana_wallet_may"]
    assert review(scenario_id="stolen-wallet") == ["ben_wallet_june", "ana_wallet_may"]
    assert review(mode="assessment") == ["ben_wallet_june", "ana_order_june"]
    june = datetime(2024, 6, 1, tzinfo=UTC)
    july = datetime(2024, 7, 1, tzinfo=UTC)
    assert review(since=june, until=july) == ["ben_wallet_june", "ana_order_june"]  # until is exclusive
    assert review(since=july) == ["ben_order_july"]  # since is inclusive
    assert review(until=june) == ["ana_wallet_may"]
    # Another time zone names the same instant; fractional seconds compare to the millisecond.
    cest = datetime(2024, 6, 20, 10, 0, 0, 250000, tzinfo=timezone(timedelta(hours=2)))
    assert review(since=cest) == ["ben_order_july", "ben_wallet_june"]
    assert review(since=cest + timedelta(milliseconds=1)) == ["ben_order_july"]
    assert review(until=cest + timedelta(milliseconds=1))[0] == "ben_wallet_june"
    assert review(trainee_id=ben.id, scenario_id="stolen-wallet", mode="assessment", since=june) == ["ben_wallet_june"]
    assert review(trainee_id=ben.id, mode="nothing") == []

    rows = {row.id: row for row in store.review_attempts()}
    ben_wallet = rows[ids["ben_wallet_june"]]
    assert (ben_wallet.trainee_name, ben_wallet.override_count) == ("Ben", 2)
    assert rows[ids["ana_wallet_may"]].override_count == 0 and rows[ids["ana_wallet_may"]].trainee_name == "Ana"
    plain = store.attempt(ids["ben_wallet_june"])
    assert all(getattr(ben_wallet, f) == getattr(plain, f) for f in vars(plain))  # every attempt field, as attempt()
    assert ben_wallet.turn_count == len(store.turns(ids["ben_wallet_june"]))
    assert not ran_against_older_version(ben_wallet, wallet.content_hash)
    assert ran_against_older_version(ben_wallet, "a-newer-hash")
