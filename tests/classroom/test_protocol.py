"""Framing and message checks: whatever bytes arrive, the outcome is a checked message or a clear refusal."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.classroom.protocol import (
    HELLO,
    MAX_CLIENT_MESSAGE,
    PROTOCOL_VERSION,
    Decoder,
    FrameError,
    Refusal,
    encode,
    hello_version,
    legacy_version_refusal,
    parse_client_message,
    parse_host_message,
    refusal,
)
from simulator.core.checks import Invalid, check


def test_frames_survive_any_split_and_oversize_is_refused_from_the_header() -> None:
    stream = encode({"type": "bye"}) + encode({"type": "answer", "index": 0, "text": "é" * 10, "seconds": 1.5})
    for cut in range(len(stream) + 1):
        decoder = Decoder(MAX_CLIENT_MESSAGE)
        frames = decoder.feed(stream[:cut]) + decoder.feed(stream[cut:])
        assert [parse_client_message(f)["type"] for f in frames] == ["bye", "answer"]
        assert decoder.buffered == 0
    with pytest.raises(FrameError, match="65537"):
        Decoder(MAX_CLIENT_MESSAGE).feed((MAX_CLIENT_MESSAGE + 1).to_bytes(4, "big"))
    with pytest.raises(FrameError):
        Decoder(MAX_CLIENT_MESSAGE).feed(b"\x00\x00\x00\x00")
    assert Decoder(10).feed(b"\x00\x00\x00\x0a" + b"x" * 9) == []  # waiting for the last byte


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"type": "join", "name": ""}, "length 0"),
        ({"type": "join", "name": "Ana", "token": ""}, "length 0"),
        ({"type": "join", "name": "Ana", "token": "t" * 65}, "length 65"),
        ({"type": "join", "token": "abc"}, "missing field 'name'"),
        ({"type": "join", "name": "Ana", "code": "ABC"}, "unexpected field 'code'"),  # the code is never sent
        ({"type": "hello", "v": 3, "pake": "AAAA"}, "unknown message type"),  # the hello is not sealed
        ({"type": "answer", "index": -1, "text": "x", "seconds": 1}, "outside"),
        ({"type": "answer", "index": 0, "text": "x" * 4001, "seconds": 1}, "length 4001"),
        ({"type": "answer", "index": 0, "text": "x", "seconds": 1, "input_mode": "telepathy"}, "not one of"),
        ({"type": "answer", "index": 0, "text": "\ud800", "seconds": 1}, "not valid Unicode"),
        ({"type": "bye", "extra": 1}, "unexpected field"),
        ({"type": "welcome"}, "unknown message type"),  # a host message is not a client message
        ({"kind": "bye"}, "unknown message type"),
    ],
)
def test_client_messages_are_checked_strictly(message: dict[str, object], problem: str) -> None:
    body = json.dumps(message).encode()
    with pytest.raises(Invalid, match=problem):
        parse_client_message(body)


def test_host_messages_are_checked_too() -> None:
    assert parse_host_message(encode({"type": "end", "reason": "bye"})[4:]) == {"type": "end", "reason": "bye"}
    with pytest.raises(Invalid):
        parse_host_message(encode({"type": "ack", "index": 0, "score": 101, "finished": False})[4:])
    with pytest.raises(Invalid):
        parse_host_message(encode({"type": "hello", "v": 1, "code": "A", "name": "B"})[4:])


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"type": "hello", "v": True, "pake": "AAAA"}, "whole number"),
        ({"type": "hello", "v": "3", "pake": "AAAA"}, "whole number"),
        ({"type": "hello", "v": 3}, "missing field 'pake'"),
        ({"type": "hello", "v": 3, "pake": "A" * 65}, "length 65"),
        ({"type": "hello", "v": 3, "pake": "AAAA", "code": "ABCDEF"}, "unexpected field 'code'"),
        ({"type": "join", "name": "Ana"}, "start with the hello"),
        ({"type": "welcome"}, "the first message must be the hello"),
    ],
)
def test_the_clear_hello_carries_the_version_and_a_key_exchange_message_only(
    message: dict[str, object], problem: str
) -> None:
    with pytest.raises(Invalid, match=problem):
        _, hello = hello_version(json.dumps(message).encode())
        check(hello, HELLO, "hello")
    good = {"type": "hello", "v": PROTOCOL_VERSION, "pake": "AAAA"}
    assert hello_version(json.dumps(good).encode()) == (PROTOCOL_VERSION, good)
    assert hello_version(b'{"type":"hello","v":1,"code":"X","name":"Y"}')[0] == 1  # an older app: told by version


def host(message: dict[str, object]) -> dict[str, object]:
    return parse_host_message(json.dumps(message).encode())


def test_refusals_carry_a_known_code_and_unknown_codes_are_refused() -> None:
    wrong = {"type": "rejected", "code": "wrong_code", "reason": "anything at all"}
    assert host(wrong) == wrong
    assert host(refusal("error", Refusal.ANSWER_REFUSED, "x" * 400))["reason"] == "x" * 300
    locked = refusal("rejected", Refusal.LOCKED_OUT, "later", 5)
    assert host(locked) == {"type": "rejected", "code": "locked_out", "reason": "later", "retry_minutes": 5}
    for bad, problem in [
        ({"type": "rejected", "code": "free_pizza", "reason": "x"}, "not one of"),
        ({"type": "error", "code": "free_pizza", "reason": "x"}, "not one of"),
        ({"type": "error", "reason": "x"}, "missing field 'code'"),  # only a rejected may be protocol 1's
        ({"type": "rejected", "code": 3, "reason": "x"}, "expected text"),
        ({"type": "rejected", "code": "locked_out", "reason": "x"}, "needs retry_minutes"),
        ({"type": "rejected", "code": "full", "reason": "x", "retry_minutes": 5}, "does not go with"),
        ({"type": "rejected", "code": "wrong_code", "reason": "x", "retry_minutes": 0}, "outside"),
        ({"type": "rejected", "reason": "x", "extra": 1}, "unexpected field"),
    ]:
        with pytest.raises(Invalid, match=problem):
            host(bad)


def test_a_protocol_1_refusal_reads_as_a_version_mismatch() -> None:
    old = {"type": "rejected", "reason": "this app and the trainer's app are different versions: update the older one"}
    assert host(old) == old | {"code": "version_mismatch"}
    assert legacy_version_refusal() == old
    assert PROTOCOL_VERSION > 1


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_give_a_message_or_invalid(data: bytes) -> None:
    try:
        message = parse_client_message(data)
    except Invalid:
        return
    assert message["type"] in ("join", "answer", "bye")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["type", "token", "name", "index", "text", "seconds", "input_mode", "x"]), json_values
    ),
    st.sampled_from(["join", "answer", "bye", "hello", "other"]),
)
def test_arbitrary_json_objects_give_a_message_or_invalid(fields: dict[str, object], kind: str) -> None:
    body = json.dumps({**fields, "type": kind}).encode()
    try:
        message = parse_client_message(body)
    except Invalid:
        return
    assert message["type"] == kind and set(message) <= {
        "type",
        "token",
        "name",
        "index",
        "text",
        "seconds",
        "input_mode",
    }
