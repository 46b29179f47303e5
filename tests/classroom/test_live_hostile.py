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

from simulator.classroom.channel import ChannelError, Handshake, encode_pake
from simulator.classroom.client import LiveClient, LiveClientError, Problem
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import EventKind, HostLimits
from simulator.classroom.protocol import MAX_CLIENT_MESSAGE, PROTOCOL_VERSION, SEAL_OVERHEAD, Refusal
from simulator.classroom.room import Phase
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext, TurnScore
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, POOR, lines
from tests.classroom.live_helpers import (
    FakeHost,
    frame,
    handshake,
    hello,
    joined,
    raw,
    read_until_closed,
    sealed_frame,
    wait_for,
)


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
    half.sendall(hello(Handshake(host.code, host=False))[:9])  # then stalls mid-frame

    pake = encode_pake(Handshake(host.code, host=False).outgoing)
    attacks: dict[str, bytes] = {  # all before the key exchange, in clear
        "oversized": (MAX_CLIENT_MESSAGE + SEAL_OVERHEAD + 1).to_bytes(4, "big") + b"{",  # refused from the header
        "huge header": b"\xff\xff\xff\xff",
        "empty frame": b"\x00\x00\x00\x00",
        "binary garbage": b"\x00\x00\x00\x10" + os.urandom(16),
        "not JSON": len(b"hello?").to_bytes(4, "big") + b"hello?",
        "deep nesting": (20_000).to_bytes(4, "big") + b"[" * 20_000,
        "not an object": frame([1, 2, 3]),  # type: ignore[arg-type]
        "unknown type": frame({"type": "shell", "cmd": "rm -rf /"}),
        "answer before hello": frame({"type": "answer", "index": 0, "text": "hi", "seconds": 1}),
        "code in clear": frame({"type": "hello", "v": PROTOCOL_VERSION, "code": host.code, "name": "Eve"}),
        "bad field type": frame({"type": "hello", "v": "3", "pake": pake}),
        "extra field": frame({"type": "hello", "v": PROTOCOL_VERSION, "pake": pake, "admin": True}),
        "not a key": frame({"type": "hello", "v": PROTOCOL_VERSION, "pake": "!!!!"}),
        "not a point": frame({"type": "hello", "v": PROTOCOL_VERSION, "pake": encode_pake(b"\x00" * 33)}),
        "NaN": len(b'{"type":"bye","x":NaN}').to_bytes(4, "big") + b'{"type":"bye","x":NaN}',
    }
    replies = {}
    for label, payload in attacks.items():
        sock = raw(host.address)
        sock.sendall(payload)
        replies[label] = read_until_closed(sock)
    guesser = handshake(host.address, wrong(host.code))  # a full exchange with another code: found out at the join
    guesser.send({"type": "join", "name": "Mallory"})
    replies["wrong code"] = guesser.read_until_closed()
    assert guesser.clear == replies["wrong code"]  # refused in clear: the guesser has no key to read anything else
    for label, messages in replies.items():
        assert [m["type"] for m in messages] == ["rejected"], label  # told why, then closed
    assert replies["wrong code"][0]["reason"] == "wrong join code"
    assert replies["wrong code"][0]["code"] == Refusal.WRONG_CODE
    assert replies["answer before hello"][0]["code"] == Refusal.HELLO_FIRST
    for label in set(attacks) - {"wrong code", "answer before hello"}:
        assert replies[label][0]["code"] == Refusal.INVALID_MESSAGE, label
    assert f"frame of {MAX_CLIENT_MESSAGE + SEAL_OVERHEAD + 1} bytes" in replies["oversized"][0]["reason"]
    assert "not valid JSON" in replies["deep nesting"][0]["reason"]
    assert "the first message must be the hello" in replies["unknown type"][0]["reason"]
    assert "start with the hello" in replies["answer before hello"][0]["reason"]
    assert "unexpected field 'code'" in replies["code in clear"][0]["reason"]

    # A joined peer that misbehaves is told, and closed after three refused messages.
    rogue, welcome = joined(host.address, host.code, "Rogue")
    assert welcome["name"] == "Rogue" and welcome["token"]
    rogue.send({"type": "gossip", "about": "Ana"})
    assert rogue.read_one() == {"type": "error", "code": "invalid_message", "reason": "unknown message type 'gossip'"}
    rogue.send({"type": "answer", "index": 5, "text": "skip ahead", "seconds": 1})
    skipped = rogue.read_one()
    assert skipped["code"] == Refusal.ANSWER_REFUSED and "expected the answer to turn 0" in skipped["reason"]
    rogue.send({"type": "answer", "index": 0, "text": "x" * 5000, "seconds": 1})
    assert rogue.read_until_closed()[0] == {
        "type": "rejected",
        "code": "too_many_invalid",
        "reason": "too many invalid messages",
    }
    assert rogue.clear == []  # everything after the welcome came sealed

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
    assert set(rows) == {"Ana", "Ben"}  # the rogue answered nothing: it left no row and holds no place
    assert rows["Ana"].phase is Phase.FINISHED and rows["Ana"].outcome == "resolved" and rows["Ana"].dropped == 0
    assert rows["Ben"].phase is Phase.FINISHED and rows["Ben"].outcome == "customer_lost"

    events = host.poll_events()
    rejected = [e for e in events if e.kind is EventKind.REJECTED]
    assert len(rejected) == len(replies) + 3  # each attack, the rogue, and the two stalled connections
    dropped = [e for e in events if e.kind is EventKind.DROPPED]
    assert len(dropped) == 3 and {e.name for e in dropped} == {"Rogue"}  # the trainer saw who it was
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


def test_tampered_replayed_and_clear_frames_after_the_key_exchange_are_refused(host: LiveHost) -> None:
    """Sealed frames: one changed bit, one frame sent twice, or a frame in clear, and the connection is closed."""
    ana, _ = joined(host.address, host.code, "Ana")
    first = ana.send({"type": "answer", "index": 0, "text": lines(GOOD)[0], "seconds": 3})
    assert ana.read_one()["type"] == "ack"

    replayer, _ = joined(host.address, host.code, "Ben")
    replayer.send_raw(first)  # Ana's sealed answer, captured off the network, replayed on another connection
    assert replayer.read_until_closed() == [
        {"type": "rejected", "code": "invalid_message", "reason": "a frame did not open with this connection's key"}
    ]

    ana.send_raw(first)  # the same frame again on its own connection: the counter has moved on
    assert [m["code"] for m in ana.read_until_closed()] == [Refusal.INVALID_MESSAGE]

    cleo, _ = joined(host.address, host.code, "Cleo")
    data = bytearray(sealed_frame(cleo.channel, {"type": "answer", "index": 0, "text": "hello", "seconds": 1}))
    data[-1] ^= 0x01  # one bit of the tag
    cleo.send_raw(bytes(data))
    assert [m["code"] for m in cleo.read_until_closed()] == [Refusal.INVALID_MESSAGE]

    dan, _ = joined(host.address, host.code, "Dan")
    dan.send_raw(frame({"type": "answer", "index": 0, "text": "hello", "seconds": 1}))  # clear, after the keys
    assert [m["code"] for m in dan.read_until_closed()] == [Refusal.INVALID_MESSAGE]

    wait_for(lambda: not host.dashboard().connected, what="all four closed")
    rows = {r.name: r for r in host.dashboard().rows}
    assert set(rows) == {"Ana"} and rows["Ana"].turn_count == 1  # the replay scored nothing a second time


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


def test_a_fake_host_without_the_code_cannot_welcome_a_trainee(assignment: Assignment, scenario: Scenario) -> None:
    """Someone else's program on the address runs the exchange with another code: the trainee's app refuses it."""
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    seen: list[bytes] = []

    def impostor() -> None:
        conn, _ = server.accept()
        with conn:
            fake = FakeHost(conn, "ZZZZZZ")  # not the code the trainee typed
            seen.append(fake._next())  # the trainee's sealed join: it cannot open it
            with pytest.raises(ChannelError):
                fake.channel.open(seen[0])
            fake.send({"type": "end", "reason": "sealed with the impostor's key"})

    thread = threading.Thread(target=impostor)
    thread.start()
    with pytest.raises(LiveClientError) as raised:
        LiveClient.connect("127.0.0.1", port, "K7P4XR", "Ana Silva")
    assert raised.value.code is Problem.NOT_A_HOST
    thread.join(10)
    server.close()
    assert seen and b"Ana" not in seen[0]  # the name went sealed: the impostor never read it


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
        assert "Ana" not in rows  # no answer of hers was scored: she holds no place
        assert rows["Ben"].outcome == "resolved"
        assert "unexpected error: closing this connection" in caplog.text
        ana.close()
        ben.close()
