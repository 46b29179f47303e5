"""What a trainee is told about a refused join comes from the host's code, never from its English reason."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from typing import Any

import pytest

from simulator.classroom.client import LiveClient, LiveClientError
from simulator.classroom.host import LiveHost
from simulator.classroom.host_events import HostLimits
from simulator.classroom.protocol import Refusal, encode, refusal
from simulator.core.catalog import Catalog
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from simulator.ui.classroom.live_join import CODE_ADVICE, join_problem
from tests.conftest import SCENARIOS


@pytest.fixture(scope="module")
def scenario():  # type: ignore[no-untyped-def]
    return Catalog([SCENARIOS]).get("stolen-wallet")


@pytest.fixture
def assignment(tmp_path: Path, scenario) -> Assignment:  # type: ignore[no-untyped-def]
    classroom = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    group = classroom.add_group("Morning cohort")
    assignment = classroom.assign(group.id, scenario, "practice", 60)
    classroom.close()
    return assignment


def told(assignment: Assignment, scenario: Any, heard: list[str]) -> list[tuple[Refusal | object, str, str]]:
    """Try every way to be refused by a real host; what the trainee would be told each time.

    ``heard`` gets the errors' messages (with the host's reasons).
    """
    limits = HostLimits(wrong_code_limit=2, max_participants=2)
    host = LiveHost(
        assignment, scenario, RubricScorer(), bind="127.0.0.1", port=0, limits=limits, allowed_names=["Ana", "Ben"]
    )
    host.start()
    wrong = "ZZZZZZ" if host.code != "ZZZZZZ" else "YYYYYY"
    outcomes = []

    def attempt(name: str, code: str | None = None, source: str = "127.0.0.1") -> None:
        with pytest.raises(LiveClientError) as raised:
            LiveClient.connect(*host.address, code or host.code, name, source_address=(source, 0))
        outcomes.append((raised.value.code, *join_problem(raised.value, "10.0.0.9:47812")))
        heard.append(str(raised.value))

    try:
        attempt("Ana", wrong, "127.0.0.3")
        attempt("Ana", wrong, "127.0.0.3")  # this one locks the computer out
        attempt("Ana", source="127.0.0.3")
        attempt("Mallory")
        attempt(" ")
        ana = LiveClient.connect(*host.address, host.code, "Ana")
        attempt("ana")
        ana.close()
        host.end_session()
        attempt("Ben")
    finally:
        host.stop()
    return outcomes


def test_rewording_every_reason_on_the_host_changes_nothing_the_trainee_is_told(
    assignment: Assignment, scenario: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = told(assignment, scenario, [])
    assert [code for code, _, _ in before] == [
        Refusal.WRONG_CODE,
        Refusal.WRONG_CODE,
        Refusal.LOCKED_OUT,
        Refusal.NAME_NOT_LISTED,
        Refusal.NAME_INVALID,
        Refusal.NAME_TAKEN,
        Refusal.ENDED,
    ]
    assert before[0][1:] == (f"Wrong join code: check the code on the trainer's screen. {CODE_ADVICE}", "code")
    assert before[1][1] == "Wrong join code, and too many wrong codes from this computer: try again in 5 min."
    assert before[2][1] == "This computer is locked out after too many wrong codes: try again in 5 min."

    def reworded(kind: str, code: Refusal, reason: str, retry_minutes: int | None = None) -> dict[str, Any]:
        # words that would have fooled the old substring matching: "name", "ended", "full", "wrong join code"
        words = f"wrong join code? the name is full, the session ended, try again in 99 min (not {reason!r})"
        return refusal(kind, code, words, retry_minutes)

    monkeypatch.setattr("simulator.classroom.host.refusal", reworded)  # every refusal the host sends
    heard: list[str] = []
    after = told(assignment, scenario, heard)
    assert len(heard) == len(before) and all("the session ended, try again in 99 min" in h for h in heard)
    assert after == before


def test_a_host_that_says_one_thing_in_words_and_another_in_code_is_taken_at_its_code() -> None:
    server = socket.create_server(("127.0.0.1", 0))

    def host() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(encode({"type": "rejected", "code": "ended", "reason": "wrong join code; name full"}))

    thread = threading.Thread(target=host, daemon=True)
    thread.start()
    with pytest.raises(LiveClientError) as raised:
        LiveClient.connect("127.0.0.1", server.getsockname()[1], "K7P4XR", "Ana")
    thread.join(5)
    server.close()
    assert raised.value.code is Refusal.ENDED
    assert join_problem(raised.value, "x") == (
        "That session has ended. If your trainer starts a new one, use its new code.",
        "code",
    )
