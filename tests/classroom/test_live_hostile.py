"""Hostile and broken peers on a live session: each is refused and logged, the others play on undisturbed."""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.classroom.client import LiveClient, LiveClientError, Problem
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import EventKind, HostLimits
from simulator.classroom.protocol import MAX_CLIENT_MESSAGE, PROTOCOL_VERSION, Refusal
from simulator.classroom.room import Phase
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext, TurnScore
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, POOR, lines
from tests.classroom.live_helpers import frame, hello, raw, read_one, read_until_closed, wait_for


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "trainer.sqlite3"


@pytest.fixture
def assignment(database: Path, scenario: Scenario) -> Assignment:
    classroom = ClassroomStore(Store(database))
    group = classroom.add_group("Evening cohort")
    assignment = classroom.assign(group.id, scenario, "practice", 60)
    classroom.close()
    return assignment


@pytest.fixture
def host(assignment: Assignment, scenario: Scenario, scorer: RubricScorer, database: Path) -> Iterator[LiveHost]:
    limits = HostLimits(handshake_seconds=0.5, wrong_code_limit=3)
    live = LiveHost(assignment, scenario, scorer, database=database, bind="127.0.0.1", port=0, limits=limits)
    live.start()
    yield live
    live.stop()


def wrong(code: str) -> str:
    return "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"


def test_garbage_oversize_wrong_codes_unknown_types_and_stalls_leave_the_others_playing(
    host: LiveHost, database: Path, assignment: Assignment, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="simulator.classroom.host")
    ana = LiveClient.connect(*host.address, host.code, "Ana")
    ben = LiveClient.connect(*host.address, host.code, "Ben")
    ana_play, ben_play = ana.play(RubricScorer()), ben.play(RubricScorer())
    ana_play.respond(lines(GOOD)[0])
    ben_play.respond(lines(POOR)[0])

    stalled = raw(host.address)  # connects and never says a word
    half = raw(host.address)
    half.sendall(
        frame({"type": "hello", "v": PROTOCOL_VERSION, "code": host.code, "name": "Half"})[:9]
    )  # then stalls mid-frame

    attacks: dict[str, bytes] = {
        "oversized": (MAX_CLIENT_MESSAGE + 1).to_bytes(4, "big") + b"{",  # refused before the body arrives
        "huge header": b"\xff\xff\xff\xff",
        "empty frame": b"\x00\x00\x00\x00",
        "binary garbage": b"\x00\x00\x00\x10" + os.urandom(16),
        "not JSON": len(b"hello?").to_bytes(4, "big") + b"hello?",
        "deep nesting": (20_000).to_bytes(4, "big") + b"[" * 20_000,
        "not an object": frame([1, 2, 3]),  # type: ignore[arg-type]
        "unknown type": frame({"type": "shell", "cmd": "rm -rf /"}),
        "answer before hello": frame({"type": "answer", "index": 0, "text": "hi", "seconds": 1}),
        "wrong code": hello(wrong(host.code), "Mallory"),
        "bad field type": frame({"type": "hello", "v": "1", "code": host.code, "name": "Eve"}),
        "extra field": frame({"type": "hello", "v": PROTOCOL_VERSION, "code": host.code, "name": "Eve", "admin": True}),
        "NaN": len(b'{"type":"bye","x":NaN}').to_bytes(4, "big") + b'{"type":"bye","x":NaN}',
    }
    replies = {}
    for label, payload in attacks.items():
        sock = raw(host.address)
        sock.sendall(payload)
        replies[label] = read_until_closed(sock)
    for label, messages in replies.items():
        assert [m["type"] for m in messages] == ["rejected"], label  # told why, then closed
    assert replies["wrong code"][0]["reason"] == "wrong join code"
    assert replies["wrong code"][0]["code"] == Refusal.WRONG_CODE
    assert replies["answer before hello"][0]["code"] == Refusal.HELLO_FIRST
    for label in set(attacks) - {"wrong code", "answer before hello"}:
        assert replies[label][0]["code"] == Refusal.INVALID_MESSAGE, label
    assert "frame of 65537 bytes" in replies["oversized"][0]["reason"]
    assert "not valid JSON" in replies["deep nesting"][0]["reason"]
    assert "unknown message type" in replies["unknown type"][0]["reason"]
    assert "send the join code first" in replies["answer before hello"][0]["reason"]

    # A joined peer that misbehaves is told, and closed after three refused messages.
    rogue = raw(host.address)
    rogue.sendall(hello(host.code, "Rogue"))
    assert read_one(rogue)["type"] == "welcome"
    rogue.sendall(frame({"type": "gossip", "about": "Ana"}))
    assert read_one(rogue) == {"type": "error", "code": "invalid_message", "reason": "unknown message type 'gossip'"}
    rogue.sendall(frame({"type": "answer", "index": 5, "text": "skip ahead", "seconds": 1}))
    skipped = read_one(rogue)
    assert skipped["code"] == Refusal.ANSWER_REFUSED and "expected the answer to turn 0" in skipped["reason"]
    rogue.sendall(frame({"type": "answer", "index": 0, "text": "x" * 5000, "seconds": 1}))
    assert read_until_closed(rogue)[0] == {
        "type": "rejected",
        "code": "too_many_invalid",
        "reason": "too many invalid messages",
    }

    # The stalled connections are closed by the handshake timeout.
    for sock in (stalled, half):
        [timed_out] = read_until_closed(sock)
        assert timed_out["code"] == Refusal.TIMEOUT and timed_out["reason"] == "no join code received in time"

    # Meanwhile the real trainees carry on to the end, undisturbed.
    for line in lines(GOOD)[1:]:
        ana_play.respond(line)
    for line in lines(POOR)[1:]:
        ben_play.respond(line)
    wait_for(lambda: sum(r.attempt_id is not None for r in host.dashboard().rows) == 2, what="two saves")
    rows = {r.name: r for r in host.dashboard().rows}
    assert set(rows) == {"Ana", "Ben", "Rogue"}
    assert rows["Ana"].phase is Phase.FINISHED and rows["Ana"].outcome == "resolved" and rows["Ana"].dropped == 0
    assert rows["Ben"].phase is Phase.FINISHED and rows["Ben"].outcome == "customer_lost"
    assert rows["Rogue"].phase is Phase.LEFT and rows["Rogue"].dropped == 3 and rows["Rogue"].turn_count == 0

    events = host.poll_events()
    rejected = [e for e in events if e.kind is EventKind.REJECTED]
    assert len(rejected) == len(attacks) + 3  # each attack, the rogue, and the two stalled connections
    assert [e.kind for e in events].count(EventKind.DROPPED) == 3
    assert all("skip ahead" not in e.detail and "rm -rf" not in e.detail for e in events)  # no content in events
    assert "refused: wrong join code" in caplog.text and "dropped a message" in caplog.text
    for client in (ana, ben):
        client.close()
    host.stop()
    classroom = ClassroomStore(Store(database))
    assert sorted(f.turn_count for f in classroom.attempts_for(assignment.id)) == sorted(
        [len(lines(GOOD)), len(lines(POOR))]
    )  # the rogue answered nothing, so nothing was stored for it
    classroom.close()


def test_wrong_codes_lock_out_that_computer_only(host: LiveHost) -> None:
    for attempt in range(3):
        with pytest.raises(LiveClientError, match="wrong join code") as wrong_code:
            LiveClient.connect(*host.address, wrong(host.code), "Guesser", source_address=("127.0.0.2", 0))
        assert wrong_code.value.code is Refusal.WRONG_CODE
        assert wrong_code.value.retry_minutes == (5 if attempt == 2 else None)  # the third locks the computer out
    with pytest.raises(LiveClientError, match="too many wrong codes") as locked:
        LiveClient.connect(*host.address, host.code, "Guesser", source_address=("127.0.0.2", 0))
    assert locked.value.code is Refusal.LOCKED_OUT and locked.value.retry_minutes == 5
    fine = LiveClient.connect(*host.address, host.code, "Ana", source_address=("127.0.0.1", 0))
    assert fine.welcome.name == "Ana"
    fine.close()


def test_a_hostile_host_cannot_feed_a_client_garbage(assignment: Assignment) -> None:
    """The trainee's app checks the host's messages as strictly: a fake "host" gets a clear error."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def fake_host() -> None:
        conn, _ = server.accept()
        conn.recv(65536)
        welcome = {"type": "welcome", "v": PROTOCOL_VERSION, "session": "s", "title": "t", "name": "Ana", "seed": 1}
        welcome |= {"assignment": {"uid": "x"}, "scenario_text": "id: evil", "resume": []}
        body = json.dumps(welcome).encode()
        conn.sendall(len(body).to_bytes(4, "big") + body)
        conn.close()

    thread = threading.Thread(target=fake_host)
    thread.start()
    with pytest.raises(LiveClientError, match="unexpected") as raised:
        LiveClient.connect("127.0.0.1", port, "ABCDEF", "Ana")
    assert raised.value.code is Problem.NOT_A_HOST
    thread.join(10)
    server.close()


class Boobytrapped:
    """A scorer that fails on one answer: an unexpected error inside the host must cost one connection only."""

    def __init__(self, inner: RubricScorer) -> None:
        self.inner = inner

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        if answer == "BOOM":
            raise RuntimeError("a bug in the scorer")
        return self.inner.score(answer, context)


def test_an_unexpected_error_costs_one_connection_not_the_session(
    assignment: Assignment, scenario: Scenario, scorer: RubricScorer, caplog: pytest.LogCaptureFixture
) -> None:
    with LiveHost(assignment, scenario, Boobytrapped(scorer), bind="127.0.0.1", port=0) as host:
        ana = LiveClient.connect(*host.address, host.code, "Ana")
        ben = LiveClient.connect(*host.address, host.code, "Ben")
        ana.send_answer(0, "BOOM", 2)
        assert ana.wait_ended(20) and "lost" in ana.end_reason
        play = ben.play(RubricScorer())
        for line in lines(GOOD):
            play.respond(line)
        wait_for(lambda: host.dashboard().finished == 1, what="Ben to finish")
        rows = {r.name: r for r in host.dashboard().rows}
        assert rows["Ana"].phase is Phase.LEFT and rows["Ana"].turn_count == 0
        assert rows["Ben"].outcome == "resolved"
        assert "unexpected error: closing this connection" in caplog.text
        ana.close()
        ben.close()
