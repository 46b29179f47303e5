"""Every refusal from a real host on loopback arrives as a typed code the trainee's app can act on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.classroom import client as client_module
from simulator.classroom.client import LiveClient, LiveClientError, Problem
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import HostLimits
from simulator.classroom.protocol import PROTOCOL_VERSION, Refusal
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from tests.classroom.conftest import GOOD, lines
from tests.classroom.live_helpers import legacy_hello, not_connected, raw, read_until_closed, wait_for


@pytest.fixture
def assignment(tmp_path: Path, scenario: Scenario) -> Assignment:
    classroom = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    group = classroom.add_group("Evening cohort")
    assignment = classroom.assign(group.id, scenario, "practice", 60)
    classroom.close()
    return assignment


def start(assignment: Assignment, scenario: Scenario, scorer: RubricScorer, **options: object) -> LiveHost:
    host = LiveHost(assignment, scenario, scorer, bind="127.0.0.1", port=0, **options)  # type: ignore[arg-type]
    host.start()
    return host


@pytest.fixture
def host(assignment: Assignment, scenario: Scenario, scorer: RubricScorer) -> Iterator[LiveHost]:
    live = start(assignment, scenario, scorer, allowed_names=["Ana", "Ben", "Cleo"])
    yield live
    live.stop()


def refused(host: LiveHost, name: str, code: str | None = None) -> LiveClientError:
    with pytest.raises(LiveClientError) as raised:
        LiveClient.connect(*host.address, host.code if code is None else code, name)
    return raised.value


def test_wrong_code_bad_names_taken_and_finished_names_each_have_their_code(host: LiveHost) -> None:
    wrong = "ZZZZZZ" if host.code != "ZZZZZZ" else "YYYYYY"
    error = refused(host, "Ana", wrong)
    assert (error.code, error.retry_minutes) == (Refusal.WRONG_CODE, None)
    assert refused(host, "Mallory").code is Refusal.NAME_NOT_LISTED
    assert refused(host, "\u200b").code is Refusal.NAME_INVALID  # invisible: nothing to show the trainer
    ana = LiveClient.connect(*host.address, host.code, "Ana")
    assert refused(host, " ANA ").code is Refusal.NAME_TAKEN
    play = ana.play(RubricScorer())
    for line in lines(GOOD):
        play.respond(line)
    wait_for(lambda: host.dashboard().finished == 1, what="Ana to finish")
    ana.leave()
    wait_for(lambda: not_connected(host, "Ana"), what="Ana to leave")
    assert refused(host, "Ana").code is Refusal.TOKEN_NEEDED  # someone else typing her name
    with pytest.raises(LiveClientError) as finished:  # her own app, with her token
        LiveClient.connect(*host.address, host.code, "Ana", token=ana.welcome.token)
    assert finished.value.code is Refusal.ALREADY_FINISHED


def test_a_full_session_and_an_ended_one(assignment: Assignment, scenario: Scenario, scorer: RubricScorer) -> None:
    host = start(assignment, scenario, scorer, limits=HostLimits(max_participants=1))
    try:
        ana = LiveClient.connect(*host.address, host.code, "Ana")
        assert refused(host, "Ben").code is Refusal.FULL
        ana.play(RubricScorer()).respond(lines(GOOD)[0])
        wait_for(lambda: host.dashboard().rows[0].turn_count == 1, what="Ana's answer")
        ana.close()  # dropped: her answers are kept, her place (one connected trainee) is free
        wait_for(lambda: not_connected(host, "Ana"), what="Ana to drop")
        ben = LiveClient.connect(*host.address, host.code, "Ben")
        assert refused(host, "Cleo").code is Refusal.FULL
        back = LiveClient.connect(*host.address, host.code, "Ana", token=ana.welcome.token)  # her rejoin always fits
        assert [r.index for r in back.welcome.resume] == [0]
        back.leave()
        ben.leave()
        host.end_session()
        wait_for(lambda: host.dashboard().ended, what="the end")
        assert refused(host, "Ana").code is Refusal.ENDED
    finally:
        host.stop()


def test_too_many_connections_is_its_own_code(assignment: Assignment, scenario: Scenario, scorer: RubricScorer) -> None:
    host = start(assignment, scenario, scorer, limits=HostLimits(max_unjoined_per_peer=1))
    try:
        waiting = raw(host.address)  # connected, no hello yet (accepted first: the accept queue keeps order)
        assert refused(host, "Ana").code is Refusal.TOO_MANY_CONNECTIONS
        waiting.close()
    finally:
        host.stop()


def test_versions_apart_in_either_direction(host: LiveHost, monkeypatch: pytest.MonkeyPatch) -> None:
    # An app of protocol 1 gets the refusal in the shape it reads, with the words it looks for.
    old = raw(host.address)
    old.sendall(legacy_hello(host.code, "Ana", version=1))
    [message] = read_until_closed(old)  # parsed as this version reads a protocol-1 refusal
    assert message["code"] == Refusal.VERSION_MISMATCH and "different versions" in message["reason"]
    # A newer app gets the code.
    newer = raw(host.address)
    newer.sendall(legacy_hello(host.code, "Ana", version=PROTOCOL_VERSION + 1))
    assert [m["code"] for m in read_until_closed(newer)] == [Refusal.VERSION_MISMATCH]
    # This client, pretending to be of protocol 1, is told the versions differ.
    monkeypatch.setattr(client_module, "PROTOCOL_VERSION", 1)
    assert refused(host, "Ana").code is Refusal.VERSION_MISMATCH


def test_the_protocol_1_refusal_has_no_code_at_all(host: LiveHost) -> None:
    """What an app of protocol 1 receives: exactly the fields it knows (it refuses any other)."""
    from simulator.classroom.protocol import MAX_HOST_MESSAGE, Decoder
    from simulator.core.checks import loads

    sock = raw(host.address)
    sock.sendall(legacy_hello(host.code, "Ana", version=1))
    decoder, bodies = Decoder(MAX_HOST_MESSAGE), []
    sock.settimeout(10)
    while not bodies:
        try:
            data = sock.recv(65536)
        except (TimeoutError, ConnectionResetError):
            break
        if not data:
            break
        bodies = decoder.feed(data)
    sock.close()
    assert [loads(b) for b in bodies] == [
        {"type": "rejected", "reason": "this app and the trainer's app are different versions: update the older one"}
    ]


def test_connection_level_failures_have_client_side_codes(host: LiveHost) -> None:
    import socket

    closed = socket.create_server(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    with pytest.raises(LiveClientError) as raised:
        LiveClient.connect("127.0.0.1", port, host.code, "Ana")
    assert raised.value.code is Problem.UNREACHABLE and raised.value.detail

    silent = socket.create_server(("127.0.0.1", 0))  # accepts, never answers
    with pytest.raises(LiveClientError) as raised:
        LiveClient.connect("127.0.0.1", silent.getsockname()[1], host.code, "Ana", timeout=0.5)
    assert raised.value.code is Problem.TIMED_OUT
    silent.close()

    with pytest.raises(LiveClientError) as raised:
        client_module.parse_address("host name:80")
    assert raised.value.code is Problem.BAD_ADDRESS
