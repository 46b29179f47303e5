"""Sending the outbox: to a real LRS (Ralph) and back, through an outage, with backoff and no duplicates."""

from __future__ import annotations

import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from simulator.core.model import Scenario
from simulator.records.client import LrsClient
from simulator.records.config import KeyringSecrets, LrsConfig
from simulator.records.errors import Problem
from simulator.records.outbox import Counts, Outbox
from simulator.records.sender import MAX_DELAY, Sender
from simulator.records.service import LearningRecords
from simulator.storage.store import Store
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import FakeClock, MemoryKeyring, Reply, Seen, free_port, http_server, play


class RecordingClient(LrsClient):
    """The real client, noting which statement ids each request the LRS acknowledged carried."""

    acknowledged: list[str]

    def send(self, statements: Any) -> None:
        super().send(statements)
        self.acknowledged.extend(s["id"] for s in statements)

    def put(self, statement: dict[str, Any]) -> None:
        super().put(statement)
        self.acknowledged.append(statement["id"])


def recording(acknowledged: list[str]) -> Callable[[LrsConfig], LrsClient]:
    def make(config: LrsConfig) -> LrsClient:
        client = RecordingClient(config)
        client.acknowledged = acknowledged
        return client

    return make


def make_records(
    store: Store, clock: FakeClock, acknowledged: list[str] | None = None, **options: Any
) -> LearningRecords:
    make_client = recording(acknowledged) if acknowledged is not None else None
    return LearningRecords(
        store, secrets=KeyringSecrets(MemoryKeyring()), clock=clock, make_client=make_client, **options
    )


def queued_bodies(store: Store) -> dict[str, dict[str, Any]]:
    rows = store.db.execute("SELECT statement_id FROM records_outbox").fetchall()
    return Outbox(store.db).bodies(r[0] for r in rows)


@needs_ralph
def test_a_whole_attempt_reaches_ralph_and_reads_back_the_same(
    store: Store, scenario: Scenario, clock: FakeClock, ralph: Ralph
) -> None:
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    records = make_records(store, clock)
    records.record_attempt(attempt_id)
    records.sender.configure(ralph.config())
    done = records.sender.drain()
    assert done.failure is None and done.sent == len(records.statements(store.attempt(attempt_id)))
    assert records.counts() == Counts(pending=0, sent=done.sent)
    for made in records.statements(store.attempt(attempt_id)):
        stored = ralph.statement(made.id)
        assert stored is not None, made.role
        # Ralph adds "stored" and "authority"; everything the app sent comes back as it was sent.
        assert {key: stored[key] for key in made.body} == made.body
        assert set(stored) - set(made.body) <= {"stored", "authority", "version"}


@needs_ralph
def test_ralph_stopped_mid_queue_gets_the_rest_after_a_restart_with_no_duplicates(
    store: Store, scenario: Scenario, clock: FakeClock, own_ralph: Ralph
) -> None:
    ana = store.add_trainee("Ana")
    acknowledged: list[str] = []
    records = make_records(store, clock, acknowledged, batch_size=4)
    for path in (
        "stolen-wallet--resolved_well.txt",
        "stolen-wallet--hung_up.txt",
        "stolen-wallet--supervisor_handover.txt",
    ):
        records.record_attempt(play(store, scenario, ana.id, path))
    total = records.counts().pending
    records.sender.configure(own_ralph.config())

    first = records.sender.drain(max_batches=2)
    assert first.sent == 8 and records.counts().pending == total - 8
    own_ralph.stop()  # the LRS goes away mid-queue
    outage = records.sender.drain()
    assert outage.sent == 0 and outage.failure is not None and outage.failure.problem is Problem.REFUSED
    waiting = records.counts()
    assert waiting.pending == total - 8 and "refused the connection" in (waiting.last_error or "")
    assert records.sender.drain().sent == 0  # still down

    own_ralph.start()  # back, with the statements it already had
    clock.advance(MAX_DELAY)  # past every backoff
    rest = records.sender.drain()
    assert rest.failure is None and records.counts() == Counts(pending=0, sent=total)

    expected = queued_bodies(store)
    stored = own_ralph.stored_ids()
    assert Counter(stored) == Counter(set(expected))  # each statement stored exactly once
    assert Counter(acknowledged) == Counter(set(expected))  # and each acknowledged once: nothing sent twice
    for ident, body in expected.items():
        got = own_ralph.statement(ident)
        assert got is not None and {key: got[key] for key in body} == body


@needs_ralph
def test_statements_the_lrs_took_before_the_app_died_are_not_stored_twice(
    store: Store, scenario: Scenario, clock: FakeClock, ralph: Ralph, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = make_records(store, clock)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id))
    records.sender.configure(ralph.config())

    def dies(*args: object, **kwargs: object) -> None:
        raise SystemExit("killed after the LRS answered, before the outbox was updated")

    monkeypatch.setattr(Outbox, "mark_sent", dies)
    with pytest.raises(SystemExit):
        records.sender.drain()
    monkeypatch.undo()
    assert records.counts().sent == 0  # as far as the app knows, nothing went

    again = make_records(store, clock)  # the next start: sends everything again, under the same ids
    again.sender.configure(ralph.config())
    assert again.sender.drain().failure is None and again.counts().pending == 0
    stored = Counter(ralph.stored_ids())
    assert all(stored[ident] == 1 for ident in queued_bodies(store))


@needs_ralph
def test_a_statement_already_in_the_lrs_with_another_body_is_counted_as_delivered_and_logged(
    store: Store, scenario: Scenario, clock: FakeClock, ralph: Ralph, caplog: pytest.LogCaptureFixture
) -> None:
    records = make_records(store, clock)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id))
    made = records.statements(store.attempt(1))
    squatter = {**made[3].body, "result": {"response": "someone else's answer"}}
    LrsClient(ralph.config()).put(squatter)
    records.sender.configure(ralph.config())
    with caplog.at_level(logging.WARNING, logger="simulator.records.sender"):
        done = records.sender.drain()
    assert done.conflicts == 1 and done.sent == len(made) - 1 and done.failure is None
    assert records.counts() == Counts(pending=0, sent=len(made))
    assert f"statement {made[3].id}: A different statement with the same id is already there (409)" in caplog.text
    assert ralph.statement(made[3].id)["result"] == squatter["result"]  # type: ignore[index]
    assert all(ralph.statement(s.id) is not None for s in made)


def test_a_statement_the_lrs_rejects_is_kept_aside_and_the_rest_go(
    store: Store, scenario: Scenario, clock: FakeClock
) -> None:
    records = make_records(store, clock, batch_size=10)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=3))
    bad = records.statements(store.attempt(1))[2].id

    def lrs(seen: Seen) -> Reply:
        if seen.method == "POST":
            return Reply(400, {"detail": "statement 2 is invalid"})
        return Reply(400, {"detail": "invalid result"}) if bad in seen.path else Reply(204)

    with http_server(lrs) as (url, seen):
        records.sender.configure(LrsConfig(url, key="k", secret="s"))
        done = records.sender.drain()
    assert (done.sent, done.rejected, done.failure) == (4, 1, None)
    assert [s.method for s in seen] == ["POST"] + ["PUT"] * 5
    counts = records.counts()
    assert (counts.pending, counts.sent, counts.rejected) == (0, 4, 1)
    assert Outbox(store.db).status(bad) == "rejected"


def test_the_first_success_after_an_outage_brings_every_waiting_statement_forward(
    store: Store, scenario: Scenario, clock: FakeClock
) -> None:
    records = make_records(store, clock, batch_size=2)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=2))  # 4 statements
    down = [True]
    with http_server(lambda seen: Reply(503, {"detail": "maintenance"}) if down[0] else Reply(200, [])) as (url, seen):
        records.sender.configure(LrsConfig(url, key="k", secret="s"))
        outage = records.sender.drain(max_batches=1)
        assert outage.failure is not None and outage.failure.problem is Problem.SERVER
        # The batch was tried one by one too: two 503s in a row mean the LRS itself is down.
        assert [r.method for r in seen] == ["POST", "PUT", "PUT"]
        assert records.counts().pending == 4
        down[0] = False
        done = records.sender.drain()  # no clock change: the two not yet tried go, then the backed-off two
    assert done.sent == 4 and records.counts().pending == 0
    assert [r.method for r in seen][3:] == ["POST", "POST"]


def test_a_statement_the_lrs_chokes_on_is_set_aside_and_the_others_go(
    store: Store, scenario: Scenario, clock: FakeClock
) -> None:
    records = make_records(store, clock, batch_size=10)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=3))  # 5 statements
    poison = records.statements(store.attempt(1))[0].id  # the oldest: first in every batch it is in

    def lrs(seen: Seen) -> Reply:
        chokes = poison in seen.path or (isinstance(seen.body, list) and any(s["id"] == poison for s in seen.body))
        return Reply(500, {"detail": "internal error"}) if chokes else Reply(204)

    with http_server(lrs) as (url, _seen):
        records.sender.configure(LrsConfig(url, key="k", secret="s"))
        done = records.sender.drain()
        assert (done.sent, done.failure) == (4, None)
        assert Outbox(store.db).status(poison) == "pending" and records.counts().pending == 1
        assert records.sender.drain().batches == 0  # it waits for its own backoff, the others are through
        clock.advance(MAX_DELAY)
        alone = records.sender.drain()
    assert alone.failure is not None and alone.failure.problem is Problem.SERVER
    assert records.counts().pending == 1 and records.counts().sent == 4


def test_a_401_is_retried_later_not_dropped(store: Store, scenario: Scenario, clock: FakeClock) -> None:
    records = make_records(store, clock)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=1))
    with http_server(lambda seen: Reply(401, {"detail": "Invalid authentication credentials"})) as (url, _seen):
        records.sender.configure(LrsConfig(url, key="k", secret="wrong"))
        done = records.sender.drain()
    assert done.failure is not None and done.failure.problem is Problem.BAD_CREDENTIALS
    counts = records.counts()
    assert counts.pending == 3 and counts.rejected == 0
    assert counts.last_error == "The LRS refused the credentials (401): check the key and secret."


def test_backoff_doubles_with_jitter_up_to_the_cap(store: Store, scenario: Scenario, clock: FakeClock) -> None:
    sender = Sender(lambda: Outbox(store.db), clock=clock, rng=random.Random(8), base_delay=2.0, max_delay=300.0)
    for tries in range(1, 15):
        ceiling = min(300.0, 2.0 * 2 ** (tries - 1))
        delays = [sender.backoff(tries) for _ in range(50)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # jittered: statements that failed together do not retry together
    # In the outbox: each failed try pushes the next one further out, and counts the tries.
    records = make_records(store, clock)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=1))
    records.sender.configure(LrsConfig(f"http://127.0.0.1:{free_port()}/xAPI/", key="k", secret="s"))
    for tries in range(1, 8):
        assert records.sender.drain().failure is not None
        rows = store.db.execute("SELECT tries, next_try_at FROM records_outbox").fetchall()
        assert {r[0] for r in rows} == {tries}
        waits = [at - clock() for _, at in rows]
        ceiling = min(300, 2 * 2 ** (tries - 1))
        assert all(ceiling / 2 <= wait <= ceiling for wait in waits)  # each statement with its own jitter
        clock.advance(max(waits))


def test_without_an_lrs_nothing_is_sent_and_no_client_is_made(
    store: Store, scenario: Scenario, clock: FakeClock
) -> None:
    def no_client(config: LrsConfig) -> LrsClient:
        raise AssertionError("a client was made without an LRS")

    records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()), clock=clock, make_client=no_client)
    records.record_attempt(play(store, scenario, store.add_trainee("Ana").id))
    records.start(records.load())
    assert not records.sender.running and records.sender.drain().batches == 0
    assert records.counts().sent == 0 and records.counts().pending > 0  # kept locally, for an LRS set up later


@needs_ralph
def test_the_background_thread_sends_as_statements_arrive_and_stops_cleanly(
    store: Store, scenario: Scenario, ralph: Ralph
) -> None:
    seen: list[Counts] = []
    records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))  # the real clock
    records.add_listener(seen.append)
    records.save(ralph.config())  # the trainer saves the settings: sending starts
    assert records.sender.running
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    expected = records.record_attempt(attempt_id).pending  # wakes the thread
    deadline = time.monotonic() + 30
    while records.counts().pending and time.monotonic() < deadline:
        time.sleep(0.05)
    assert records.counts() == Counts(pending=0, sent=expected)
    assert any(c.pending == 0 and c.sent == expected for c in seen)
    assert records.stop(timeout=10) and not records.sender.running
    assert all(ralph.statement(s.id) is not None for s in records.statements(store.attempt(attempt_id)))


def test_stopping_while_the_lrs_is_slow_does_not_wait_for_it_and_loses_nothing(
    store: Store, scenario: Scenario
) -> None:
    answer = threading.Event()

    def slow(seen: Seen) -> Reply:
        answer.wait(30)  # the LRS takes its time with the first request
        return Reply(200, [])

    records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))
    with http_server(slow) as (url, seen):
        records.save(LrsConfig(url, key="k", secret="s"))
        records.record_attempt(play(store, scenario, store.add_trainee("Ana").id, stop_after=1))
        deadline = time.monotonic() + 20
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
        assert seen, "the sender never reached the LRS"
        assert records.stop(timeout=0.2) is False  # the app can close; the request is left to finish
        assert records.counts().pending == 3
        records.sender.start()  # e.g. the trainer saves the settings again: a new thread, not blocked
        assert records.sender.running
        answer.set()
        while records.counts().pending and time.monotonic() < deadline:
            time.sleep(0.01)
        assert records.stop(timeout=10)
    assert records.counts().pending == 0 and records.counts().sent == 3
