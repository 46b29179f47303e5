"""The outbox in the real attempt database: no duplicates, order, backoff fields, surviving a restart."""

from __future__ import annotations

from pathlib import Path

from simulator.core.model import Scenario
from simulator.records.outbox import Outbox
from simulator.records.service import LearningRecords
from simulator.records.statements import Statement
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.records.helpers import play


def fake(n: int, attempt_id: int = 1) -> list[Statement]:
    return [
        Statement(f"id-{attempt_id}-{i}", attempt_id, f"role/{i}", {"id": f"id-{attempt_id}-{i}", "n": i})
        for i in range(n)
    ]


def test_adding_the_same_statement_twice_queues_it_once(store: Store) -> None:
    outbox = Outbox(store.db)
    assert outbox.add(fake(3), now=100) == 3
    assert outbox.add(fake(4), now=101) == 1  # only the new one
    assert [q.id for q in outbox.due(now=101, limit=10)] == [f"id-1-{i}" for i in range(4)]
    assert outbox.counts().pending == 4


def test_sent_statements_are_never_queued_again(store: Store) -> None:
    outbox = Outbox(store.db)
    outbox.add(fake(2), now=100)
    outbox.mark_sent(["id-1-0"], now=101)
    assert outbox.add(fake(2), now=102) == 0
    assert [q.id for q in outbox.due(now=102, limit=10)] == ["id-1-1"]
    assert outbox.status("id-1-0") == "sent"
    counts = outbox.counts()
    assert (counts.pending, counts.sent, counts.rejected) == (1, 1, 0)


def test_a_failed_try_waits_until_its_next_try_and_remembers_why(store: Store) -> None:
    outbox = Outbox(store.db)
    outbox.add(fake(3), now=100)
    outbox.mark_failed([("id-1-0", 130.0), ("id-1-1", 110.0)], "127.0.0.1:9 refused the connection")
    assert [q.id for q in outbox.due(now=100, limit=10)] == ["id-1-2"]
    assert [q.id for q in outbox.due(now=115, limit=10)] == ["id-1-1", "id-1-2"]
    assert [(q.id, q.tries) for q in outbox.due(now=130, limit=10)] == [("id-1-0", 1), ("id-1-1", 1), ("id-1-2", 0)]
    assert outbox.next_due_at() == 0  # id-1-2 was never tried
    assert outbox.counts().last_error == "127.0.0.1:9 refused the connection"
    assert outbox.retry_now(now=100) == 2
    assert len(outbox.due(now=100, limit=10)) == 3


def test_rejected_statements_are_kept_and_can_be_queued_again(store: Store) -> None:
    outbox = Outbox(store.db)
    outbox.add(fake(2), now=100)
    outbox.mark_rejected(["id-1-1"], "The LRS rejected the request (400)")
    assert [q.id for q in outbox.due(now=100, limit=10)] == ["id-1-0"]
    assert outbox.counts().rejected == 1
    assert outbox.retry_rejected() == 1
    assert [q.id for q in outbox.due(now=100, limit=10)] == ["id-1-0", "id-1-1"]


def test_the_queue_survives_closing_and_reopening_the_database(tmp_path: Path, scenario: Scenario) -> None:
    store = Store(database_path(tmp_path))
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    records = LearningRecords(store)
    queued = records.record_attempt(attempt_id).pending
    assert queued == len(store.turns(attempt_id)) + 5  # launched, initialized, completed, passed, terminated
    bodies = [q.body for q in Outbox(store.db).due(now=10**10, limit=100)]
    store.close()  # as when the app is closed or killed: every add was committed

    reopened = Store(database_path(tmp_path))
    again = Outbox(reopened.db)
    assert again.counts().pending == queued
    assert [q.body for q in again.due(now=10**10, limit=100)] == bodies
    assert LearningRecords(reopened).record_attempt(attempt_id).pending == len(bodies)  # nothing added twice
    reopened.close()


def test_bodies_are_found_by_id_in_chunks(store: Store) -> None:
    outbox = Outbox(store.db)
    outbox.add(fake(1200), now=1)
    found = outbox.bodies([f"id-1-{i}" for i in range(0, 1200, 3)] + ["missing"])
    assert len(found) == 400 and found["id-1-999"] == {"id": "id-1-999", "n": 999}
