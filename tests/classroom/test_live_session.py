"""A live session over loopback: a host and three trainees' apps with real sockets, threads and engines."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.classroom.assignment_file import trainee_key
from simulator.classroom.client import LiveClient, LiveClientError, TokenBook, parse_address
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import EventKind, HostEvent
from simulator.classroom.protocol import DEFAULT_PORT
from simulator.classroom.room import Phase
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment, Status
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, HANDOVER, POOR, lines
from tests.classroom.live_helpers import not_connected, wait_for

PATHS = {"Ana": GOOD, "Ben": POOR, "Cleo": HANDOVER}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "trainer.sqlite3"


@pytest.fixture
def classroom(database: Path) -> Iterator[ClassroomStore]:
    store = ClassroomStore(Store(database))
    yield store
    store.close()


@pytest.fixture
def assignment(classroom: ClassroomStore, scenario: Scenario) -> Assignment:
    group = classroom.add_group("Morning cohort")
    classroom.import_roster([(name, "Morning cohort") for name in PATHS])
    return classroom.assign(group.id, scenario, "assessment", 60, attempt_limit=2)


@pytest.fixture
def seen() -> list[HostEvent]:
    """Events as the ``on_event`` callback received them (on the host's threads)."""
    return []


@pytest.fixture
def host(
    assignment: Assignment, scenario: Scenario, scorer: RubricScorer, database: Path, seen: list[HostEvent]
) -> Iterator[LiveHost]:
    live = LiveHost(assignment, scenario, scorer, database=database, bind="127.0.0.1", port=0, on_event=seen.append)
    live.start()
    yield live
    live.stop()


def expected_summary(scenario: Scenario, seed: int, path: str) -> tuple[float, str]:
    """What the trainee's own app shows: the same engine, seed and answers."""
    session = Session(scenario, RubricScorer(), seed=seed)
    session.start()
    for line in lines(path):
        session.respond(line)
    summary = session.summary()
    assert summary.outcome is not None
    return summary.score, summary.outcome.value


def test_three_trainees_play_to_the_end_and_results_are_stored(
    host: LiveHost, classroom: ClassroomStore, assignment: Assignment, scenario: Scenario, seen: list[HostEvent]
) -> None:
    address = host.address
    clients: dict[str, LiveClient] = {}
    errors: list[BaseException] = []

    def trainee(name: str) -> None:
        try:
            client = LiveClient.connect(*address, host.code.lower(), name)  # the code is not case-sensitive
            clients[name] = client
            play = client.play(RubricScorer())
            for line in lines(PATHS[name]):
                play.respond(line)
            assert play.finished
            wait_for(lambda: client.messages.qsize() == len(lines(PATHS[name])), what=f"{name}'s acks")
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=trainee, args=(name,)) for name in PATHS]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    wait_for(lambda: all(r.attempt_id for r in host.dashboard().rows) and len(host.dashboard().rows) == 3, what="saves")

    board = host.dashboard()
    assert (board.joined, board.connected, board.finished, board.playing) == (3, 3, 3, 0)
    rows = {r.name: r for r in board.rows}
    for name, path in PATHS.items():
        score, outcome = expected_summary(scenario, clients[name].welcome.seed, path)
        row = rows[name]
        assert row.phase is Phase.FINISHED and row.turn_count == len(lines(path)) and row.dropped == 0
        assert row.outcome == outcome and row.final_score == pytest.approx(score)
        assert row.passed is (score >= 60)
    assert rows["Ana"].outcome == "resolved" and rows["Ben"].outcome == "customer_lost"
    assert board.passed == sum(1 for r in rows.values() if r.passed)
    assert board.mean_final_score == pytest.approx(sum(r.final_score or 0 for r in rows.values()) / 3)

    # Each app heard only about its own turns: acks carry an index, a score and no text at all.
    for name, client in clients.items():
        heard = []
        while not client.messages.empty():
            heard.append(client.messages.get_nowait())
        assert [m["type"] for m in heard] == ["ack"] * len(lines(PATHS[name]))
        assert [m["index"] for m in heard] == list(range(len(lines(PATHS[name]))))
        assert heard[-1]["finished"] and not any("text" in m or "answer" in m for m in heard)
        # each trainee receives their own results key, never the assignment's secret
        assert client.welcome.assignment.uid == assignment.uid
        assert client.welcome.assignment.secret == trainee_key(assignment.secret, name) != assignment.secret

    host.end_session("Time is up, thank you all.")
    for client in clients.values():
        assert client.wait_ended(20) and client.end_reason == "Time is up, thank you all."
        client.close()
    host.stop()

    statuses = {t.name: classroom.statuses(assignment.id)[t.id] for t in classroom.members(assignment.group_id)}
    for name in PATHS:
        assert statuses[name].attempts_used == 1
        assert statuses[name].best_score == pytest.approx(rows[name].final_score)
        assert statuses[name].status is (Status.PASSED if rows[name].passed else Status.IN_PROGRESS)
    facts = classroom.attempts_for(assignment.id)
    assert sorted(f.source or "" for f in facts) == ["live"] * 3 and all(f.finished for f in facts)
    ana = next(t for t in classroom.members(assignment.group_id) if t.name == "Ana")
    stored_turns = classroom.store.turns(statuses["Ana"].counted[0])
    assert [t.answer for t in stored_turns] == lines(GOOD) and all(t.response_seconds >= 0 for t in stored_turns)
    assert classroom.store.attempt(statuses["Ana"].counted[0]).trainee_id == ana.id
    (session,) = classroom.sessions(assignment.id)
    assert session.kind == "live" and session.ended is not None and session.detail["finished"] == 3

    polled = host.poll_events()
    assert polled == seen  # the queue and the callback carry the same events, in the same order
    kinds = [e.kind for e in polled]
    assert kinds.count(EventKind.JOINED) == 3 and kinds.count(EventKind.FINISHED) == 3
    assert kinds.count(EventKind.SAVED) == 3 and kinds.count(EventKind.ENDED) == 1 and kinds[-1] is EventKind.STOPPED
    assert kinds.count(EventKind.PROGRESS) == sum(len(lines(p)) for p in PATHS.values())


def test_a_dropped_trainee_rejoins_where_they_were(
    host: LiveHost, classroom: ClassroomStore, assignment: Assignment
) -> None:
    book = TokenBook()  # what the trainee's app keeps while it runs
    first = LiveClient.connect(*host.address, host.code, "Ana", tokens=book)
    play = first.play(RubricScorer())
    for line in lines(GOOD)[:2]:
        play.respond(line)
    wait_for(lambda: host.dashboard().rows[0].turn_count == 2, what="two answers")
    first._sock.close()  # the laptop's Wi-Fi drops: no goodbye
    wait_for(lambda: host.dashboard().rows[0].phase is Phase.LEFT, what="the host to notice")
    first.close()

    again = LiveClient.connect(*host.address, host.code, "ana", tokens=book)
    assert [r.text for r in again.welcome.resume] == lines(GOOD)[:2] and again.welcome.name == "Ana"
    play = again.play(RubricScorer())
    assert play.current is not None and play.current.index == 2
    for line in lines(GOOD)[2:]:
        play.respond(line)
    wait_for(lambda: host.dashboard().rows[0].attempt_id is not None, what="the save")
    row = host.dashboard().rows[0]
    assert row.phase is Phase.FINISHED and row.turn_count == len(lines(GOOD)) and row.outcome == "resolved"
    again.close()
    host.stop()
    (fact,) = classroom.attempts_for(assignment.id)
    assert fact.finished and fact.turn_count == len(lines(GOOD))


def test_ending_early_stores_unfinished_attempts_that_can_resume(
    host: LiveHost, classroom: ClassroomStore, assignment: Assignment, scenario: Scenario
) -> None:
    client = LiveClient.connect(*host.address, host.code, "Ben")
    play = client.play(RubricScorer())
    play.respond(lines(GOOD)[0])
    wait_for(lambda: host.dashboard().rows[0].turn_count == 1, what="an answer")
    host.end_session()
    assert client.wait_ended(20) and "ended" in client.end_reason
    with pytest.raises(LiveClientError):
        play.respond(lines(GOOD)[1])
    host.stop()
    client.close()
    (fact,) = classroom.attempts_for(assignment.id)
    assert not fact.finished and fact.turn_count == 1
    record = classroom.store.attempt(fact.id)
    resumed = Session.restore(scenario, RubricScorer(), record.snapshot)  # a real engine snapshot
    assert resumed.current is not None and resumed.current.index == 1
    ben = next(t for t in classroom.members(assignment.group_id) if t.name == "Ben")
    assert classroom.status(assignment.id, ben.id).status is Status.IN_PROGRESS


def test_names_on_the_roster_only_and_one_connection_per_name(
    assignment: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    with LiveHost(assignment, scenario, scorer, bind="127.0.0.1", port=0, allowed_names=list(PATHS)) as host:
        with pytest.raises(LiveClientError, match="not on this group's list"):
            LiveClient.connect(*host.address, host.code, "Mallory")
        ana = LiveClient.connect(*host.address, host.code, "Ana")
        with pytest.raises(LiveClientError, match="already in the session"):
            LiveClient.connect(*host.address, host.code, " ANA ")
        with pytest.raises(LiveClientError, match="wrong join code"):
            LiveClient.connect(*host.address, "ZZZZZZ" if host.code != "ZZZZZZ" else "YYYYYY", "Ben")
        ana.leave()
        wait_for(lambda: not_connected(host, "Ana"), what="Ana to leave")
        assert host.dashboard().rows == ()  # she answered nothing: her place is free again
        assert [e.kind for e in host.poll_events()].count(EventKind.REJECTED) == 3


def test_a_taken_port_falls_back_to_a_free_one_and_addresses_parse(
    assignment: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    with LiveHost(assignment, scenario, scorer, bind="127.0.0.1", port=0) as first:
        port = first.address[1]
        with LiveHost(assignment, scenario, scorer, bind="127.0.0.1", port=port) as second:
            assert second.address[1] not in (port, 0)
            client = LiveClient.connect(*parse_address(f"127.0.0.1:{second.address[1]}"), second.code, "Ana")
            assert client.welcome.name == "Ana"
            client.close()
    assert parse_address(" 192.168.1.20 ") == ("192.168.1.20", DEFAULT_PORT)
    assert parse_address("[fe80::1]:5000") == ("fe80::1", 5000)
    for typo in ("", "192.168.1.20:", "192.168.1.20:99999", "host name:80"):
        with pytest.raises(LiveClientError):
            parse_address(typo)


def test_a_token_book_hands_a_token_back_only_to_its_own_session_and_name() -> None:
    book = TokenBook()
    book.keep("10.0.0.9", 47812, "k7p 4xr", "Ana  Silva", "token-1")
    assert book.get("10.0.0.9", 47812, "K7P4XR", "ana silva") == "token-1"  # as typed again: same trainee
    for other in (("10.0.0.8", 47812, "K7P4XR", "Ana Silva"), ("10.0.0.9", 47813, "K7P4XR", "Ana Silva"),
                  ("10.0.0.9", 47812, "K7P4XS", "Ana Silva"), ("10.0.0.9", 47812, "K7P4XR", "Ben")):  # fmt: skip
        assert book.get(*other) is None
