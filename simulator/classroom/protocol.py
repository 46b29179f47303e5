"""The live-session wire protocol: length-prefixed JSON messages, each checked against its type's shape.

Frame: a 4-byte big-endian length, then that many bytes of body. The host accepts frames of at
most 64 KiB from trainees; a trainee's app accepts up to 4 MiB from the host (the welcome carries
the scenario file, up to 1 MB). A frame that announces more than the cap is refused before its
body is read.

Protocol 3 (see :mod:`simulator.classroom.channel`): the trainee's app opens with a clear
``hello`` (the version and its SPAKE2 message, never the code); the host answers with a clear
``pake`` (its own SPAKE2 message). From then on every frame's body is sealed JSON: the trainee's
``join`` (name, and the token of an earlier join when coming back), ``answer`` (turn index, text,
response seconds) and ``bye``; the host's ``welcome`` (the assignment, the scenario file, the
seed, the trainee's token, any earlier answers to resume), ``ack``, ``error``, ``rejected``,
``end``. A refusal before the keys exist (version, lockout, guessing, busy, too many connections, a wrong code)
is sent in clear: it carries nothing but its code. No message ever carries another trainee's
answers, and in assessment mode an ``ack`` carries no score.

``error`` and ``rejected`` carry a :class:`Refusal` ``code``: what a trainee's app acts on. Their
``reason`` is English for the logs and may be reworded at will; ``retry_minutes`` comes with a
lockout. ``end`` carries the trainer's own words only (there is one kind of end).

Versions: the hello carries ``v``; a host refuses any other version before reading anything
else. Protocol 1 had no codes and its apps refuse a message with unknown fields, so the host
answers a protocol-1 hello in the old shape (:func:`legacy_version_refusal`); protocol 2 reads
the coded refusal. A protocol-1 host's ``rejected`` (no code) reads here as
:attr:`Refusal.VERSION_MISMATCH`, and so does an older host's refusal of this hello as invalid.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any

from simulator.classroom.assignment_file import ASSIGNMENT
from simulator.core.checks import Bool, Int, Invalid, List, Num, Obj, Spec, Str, check, loads
from simulator.core.scoring.text import MAX_ANSWER_CHARS
from simulator.core.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES

PROTOCOL_VERSION = 3  # 2: typed refusal codes; 3: the code keys the connection (SPAKE2), sealed frames, tokens
DEFAULT_PORT = 47812  # the host's port: fixed, so a firewall rule can allow it (a free one if it is taken)
HEADER_BYTES = 4
MAX_CLIENT_MESSAGE = 64 * 1024
MAX_HOST_MESSAGE = 4 * 1024 * 1024
MAX_ANSWER = MAX_ANSWER_CHARS  # what the scorer reads whole: an answer the wire takes is never cut
MAX_REASON = 300
MAX_TOKEN = 64
MAX_PAKE = 64  # base64 of a 33-byte SPAKE2 message
SEAL_OVERHEAD = 16  # the AEAD tag on every sealed frame


class Refusal(StrEnum):
    """Why the host refused a connection (``rejected``) or dropped a message (``error``)."""

    WRONG_CODE = "wrong_code"  # with retry_minutes when this wrong code locked the computer out
    LOCKED_OUT = "locked_out"  # too many wrong codes from this computer; always with retry_minutes
    ENDED = "ended"  # the session has ended
    FULL = "full"  # as many trainees as the session takes
    TOO_MANY_CONNECTIONS = "too_many_connections"  # the host's connection limits (overall or per computer)
    NAME_INVALID = "name_invalid"  # empty, or control or invisible characters
    NAME_NOT_LISTED = "name_not_listed"  # not on the group's list
    NAME_TAKEN = "name_taken"  # someone with this name is connected
    NAME_LOOKALIKE = "name_lookalike"  # a name that looks the same (homoglyphs) is in the session
    TOKEN_NEEDED = "token_needed"  # the name is in the session: coming back needs that trainee's token
    ALREADY_FINISHED = "already_finished"  # this name has finished the session
    VERSION_MISMATCH = "version_mismatch"
    HELLO_FIRST = "hello_first"  # something other than a hello before joining
    INVALID_MESSAGE = "invalid_message"  # a message (or frame) that does not fit the protocol
    ANSWER_REFUSED = "answer_refused"  # a well-formed answer that does not fit the conversation
    TOO_MANY_INVALID = "too_many_invalid"
    TIMEOUT = "timeout"  # no join code in time
    GUESSING = "guessing"  # too many wrong codes on this session from all computers together; with retry_minutes
    BUSY = "busy"  # the host is running as many key exchanges as it takes a second: join again in a moment


RETRY_REFUSALS = frozenset(
    {Refusal.WRONG_CODE, Refusal.LOCKED_OUT, Refusal.GUESSING}
)  # the codes that may say when to retry
VERSION_REASON = "this app and the trainer's app are different versions: update the older one"


def refusal(kind: str, code: Refusal, reason: str, retry_minutes: int | None = None) -> dict[str, Any]:
    """An ``error`` or ``rejected`` message."""
    message: dict[str, Any] = {"type": kind, "code": code.value, "reason": reason[:MAX_REASON]}
    if retry_minutes is not None:
        message["retry_minutes"] = retry_minutes
    return message


def legacy_version_refusal() -> dict[str, Any]:
    """The version refusal in protocol 1's shape, which an app of protocol 1 can read (and words it knows)."""
    return {"type": "rejected", "reason": VERSION_REASON}


class HelloFirst(Invalid):
    """A trainee's message of a known type sent before the hello (an app that skipped the key exchange)."""


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

HELLO = Obj({"type": Str(10), "v": Int(PROTOCOL_VERSION, PROTOCOL_VERSION), "pake": Str(MAX_PAKE, 1)})
VERSION = Int(0, 1_000_000)

CLIENT_MESSAGES: dict[str, Spec] = {  # sealed, after the key exchange
    "join": Obj({"type": Str(10), "name": NAME, "token": Str(MAX_TOKEN, 1)}, optional=frozenset({"token"})),
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

REFUSAL = Obj(
    {
        "type": Str(10),
        "code": Str(32, choices=frozenset(Refusal)),
        "reason": REASON,
        "retry_minutes": Int(1, 100_000),
    },
    optional=frozenset({"retry_minutes"}),
)
LEGACY_REJECTED = Obj({"type": Str(10), "reason": REASON})  # protocol 1: no code

RESUMED = Obj({"index": Int(0, 10_000), "text": Str(MAX_ANSWER), "seconds": Num(0, 86_400), "input_mode": INPUT_MODE})

HOST_MESSAGES: dict[str, Spec] = {
    "pake": Obj({"type": Str(10), "v": Int(PROTOCOL_VERSION, PROTOCOL_VERSION), "pake": Str(MAX_PAKE, 1)}),
    "welcome": Obj(
        {
            "type": Str(10),
            "v": Int(PROTOCOL_VERSION, PROTOCOL_VERSION),
            "session": Str(64, 1),
            "title": Str(300),
            "name": NAME,
            "seed": Int(0, 2**31),
            "token": Str(MAX_TOKEN, 1),
            "assignment": ASSIGNMENT,
            "scenario_text": Str(MAX_SCENARIO_BYTES, 1),
            "resume": List(RESUMED, 10_000),
        }
    ),
    "ack": Obj(  # no score in assessment mode
        {"type": Str(10), "index": Int(0, 10_000), "score": Num(0, 100), "finished": Bool()},
        optional=frozenset({"score"}),
    ),
    "error": REFUSAL,
    "rejected": REFUSAL,
    "end": Obj({"type": Str(10), "reason": REASON}),
}


def _typed(body: bytes, specs: dict[str, Spec]) -> dict[str, Any]:
    message = loads(body)
    if not isinstance(message, dict):
        raise Invalid("a message is a JSON object")
    kind = message.get("type")
    if not isinstance(kind, str) or kind not in specs:
        raise Invalid(f"unknown message type {str(kind)[:20]!r}")
    return message


def hello_version(body: bytes) -> tuple[int, dict[str, Any]]:
    """The version a clear first frame speaks, and the frame: any version's hello, checked only for ``v``.

    The host answers another version's hello by its version alone, so an older app is told so
    rather than "invalid message"; a hello of this version is then checked in full with :data:`HELLO`.
    """
    message = loads(body)
    if isinstance(message, dict) and message.get("type") in CLIENT_MESSAGES:
        raise HelloFirst("start with the hello: the key exchange comes before anything else")
    if not isinstance(message, dict) or message.get("type") != "hello":
        raise Invalid("the first message must be the hello")
    check(message.get("v"), VERSION, "hello.v")
    return int(message["v"]), message


def parse_client_message(body: bytes) -> dict[str, Any]:
    """A trainee's sealed message, checked; raises :class:`Invalid` (the host drops it and says why)."""
    message = _typed(body, CLIENT_MESSAGES)
    check(message, CLIENT_MESSAGES[message["type"]], message["type"])
    return message


def parse_host_message(body: bytes) -> dict[str, Any]:
    """The host's message, checked: a trainee's app trusts the host no more than the host trusts it.

    A ``rejected`` or ``error`` needs a known :class:`Refusal` code; a protocol-1 ``rejected``
    (no code) comes back with the code :attr:`Refusal.VERSION_MISMATCH`.
    """
    message = _typed(body, HOST_MESSAGES)
    kind = message["type"]
    if kind == "rejected" and "code" not in message:
        check(message, LEGACY_REJECTED, kind)
        return message | {"code": Refusal.VERSION_MISMATCH.value}
    check(message, HOST_MESSAGES[kind], kind)
    if kind in ("error", "rejected"):
        code = message["code"]
        if "retry_minutes" in message and code not in RETRY_REFUSALS:
            raise Invalid(f"{kind}: retry_minutes does not go with {code}")
        if code == Refusal.LOCKED_OUT and "retry_minutes" not in message:
            raise Invalid(f"{kind}: {code} needs retry_minutes")
    return message
