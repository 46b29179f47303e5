"""The live-session wire protocol: length-prefixed JSON messages, each checked against its type's shape.

Frame: a 4-byte big-endian length, then that many bytes of UTF-8 JSON (an object with a
``type``). The host accepts frames of at most 64 KiB from trainees; a trainee's app accepts up
to 4 MiB from the host (the welcome carries the scenario file, up to 1 MB). A frame that
announces more than the cap is refused before its body is read.

Trainee -> host: ``hello`` (code, name, protocol version), ``answer`` (turn index, text, response
seconds), ``bye``. Host -> trainee: ``welcome`` (the assignment, the scenario file and its hash,
the seed, any earlier answers to resume), ``ack`` (the host's score for a turn), ``error`` (a
message was dropped), ``rejected`` (then the connection closes), ``end`` (the trainer ended the
session). No message ever carries another trainee's answers.
"""

from __future__ import annotations

import json
from typing import Any

from simulator.classroom.assignment_file import ASSIGNMENT
from simulator.classroom.checks import Bool, Int, Invalid, List, Num, Obj, Spec, Str, check, loads
from simulator.core.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES

PROTOCOL_VERSION = 1
DEFAULT_PORT = 47812  # the host's port: fixed, so a firewall rule can allow it (a free one if it is taken)
HEADER_BYTES = 4
MAX_CLIENT_MESSAGE = 64 * 1024
MAX_HOST_MESSAGE = 4 * 1024 * 1024
MAX_ANSWER = 4000
MAX_REASON = 300


class FrameError(Exception):
    """The byte stream is not valid framing (oversized or empty frame): the connection cannot go on."""


def encode(message: dict[str, Any]) -> bytes:
    body = json.dumps(message, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode(
        "utf-8", "surrogatepass"
    )
    return len(body).to_bytes(HEADER_BYTES, "big") + body


class Decoder:
    """Cuts a byte stream into frames, refusing any frame larger than ``max_size``."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self._buffer = bytearray()

    @property
    def buffered(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes) -> list[bytes]:
        """The frames completed by ``data``; raises :class:`FrameError` at the first bad header."""
        self._buffer += data
        frames = []
        while len(self._buffer) >= HEADER_BYTES:
            size = int.from_bytes(self._buffer[:HEADER_BYTES], "big")
            if size == 0 or size > self.max_size:
                raise FrameError(f"frame of {size} bytes (limit {self.max_size})")
            if len(self._buffer) < HEADER_BYTES + size:
                break
            frames.append(bytes(self._buffer[HEADER_BYTES : HEADER_BYTES + size]))
            del self._buffer[: HEADER_BYTES + size]
        return frames


NAME = Str(80, 1)
REASON = Str(MAX_REASON)
INPUT_MODE = Str(10, choices=frozenset({"text", "voice"}))

CLIENT_MESSAGES: dict[str, Spec] = {
    "hello": Obj({"type": Str(10), "v": Int(0, 1_000_000), "code": Str(32), "name": NAME}),
    "answer": Obj(
        {
            "type": Str(10),
            "index": Int(0, 10_000),
            "text": Str(MAX_ANSWER),
            "seconds": Num(0, 86_400),
            "input_mode": INPUT_MODE,
        },
        optional=frozenset({"input_mode"}),
    ),
    "bye": Obj({"type": Str(10)}),
}

RESUMED = Obj({"index": Int(0, 10_000), "text": Str(MAX_ANSWER), "seconds": Num(0, 86_400), "input_mode": INPUT_MODE})

HOST_MESSAGES: dict[str, Spec] = {
    "welcome": Obj(
        {
            "type": Str(10),
            "v": Int(PROTOCOL_VERSION, PROTOCOL_VERSION),
            "session": Str(64, 1),
            "title": Str(300),
            "name": NAME,
            "seed": Int(0, 2**31),
            "assignment": ASSIGNMENT,
            "scenario_text": Str(MAX_SCENARIO_BYTES, 1),
            "resume": List(RESUMED, 10_000),
        }
    ),
    "ack": Obj({"type": Str(10), "index": Int(0, 10_000), "score": Num(0, 100), "finished": Bool()}),
    "error": Obj({"type": Str(10), "reason": REASON}),
    "rejected": Obj({"type": Str(10), "reason": REASON}),
    "end": Obj({"type": Str(10), "reason": REASON}),
}


def _parse(body: bytes, specs: dict[str, Spec]) -> dict[str, Any]:
    message = loads(body)
    if not isinstance(message, dict):
        raise Invalid("a message is a JSON object")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in specs:
        raise Invalid(f"unknown message type {str(kind)[:20]!r}")
    check(message, specs[kind], kind)
    return message


def parse_client_message(body: bytes) -> dict[str, Any]:
    """A trainee's message, checked; raises :class:`Invalid` (the host drops it and says why)."""
    return _parse(body, CLIENT_MESSAGES)


def parse_host_message(body: bytes) -> dict[str, Any]:
    """The host's message, checked: a trainee's app trusts the host no more than the host trusts it."""
    return _parse(body, HOST_MESSAGES)
