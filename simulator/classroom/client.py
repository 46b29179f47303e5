"""A trainee's side of a live session: join with the host's address and the code, play, hear "end".

:meth:`LiveClient.connect` blocks until the host welcomes or refuses (call it off the UI
thread). The join code never leaves this computer: it keys a SPAKE2 exchange with the host
(:mod:`simulator.classroom.channel`) and every frame after it is sealed, so only a host that knows
the code can welcome this trainee, and nobody on the network can read the answers. The welcome
gives this trainee a token; a :class:`TokenBook` (the app keeps one while it runs) hands it back
when joining again after a dropped connection, so the trainee carries on, and someone else typing
the same name cannot. The welcome
brings the assignment, the scenario file (checked against its hash and
loaded like any scenario) and the seed. :meth:`LiveClient.play` gives a :class:`LivePlay`
that runs the engine locally and sends each answer as it is given. A reader thread takes
the host's replies: ``messages`` (a queue) and ``on_message`` (called on that thread) carry
acks and errors, :attr:`ended` is set when the trainer ends the session or the host goes away.

Every :class:`LiveClientError` carries a code: the host's :class:`Refusal`, or a :class:`Problem`
found on this side (unreachable, timed out, not an Empathy Trainer host...). Decide from the code;
the message is English for the log.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from simulator.classroom import names
from simulator.classroom.assignment_file import assignment_from_dict, scenario_matches
from simulator.classroom.channel import Channel, ChannelError, Handshake, decode_pake, encode_pake
from simulator.classroom.joincode import normalize
from simulator.classroom.protocol import (
    DEFAULT_PORT,
    MAX_ANSWER,
    MAX_HOST_MESSAGE,
    PROTOCOL_VERSION,
    SEAL_OVERHEAD,
    Decoder,
    FrameError,
    Refusal,
    encode,
    parse_host_message,
)
from simulator.classroom.room import Resumed
from simulator.core.checks import Invalid
from simulator.core.engine import CustomerTurn, Session, TurnResult
from simulator.core.loader import load_text
from simulator.core.model import Scenario
from simulator.core.problems import ScenarioError
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.classroom_records import Assignment

log = logging.getLogger(__name__)


class Problem(StrEnum):
    """What went wrong on this side of the connection (the host's refusals are :class:`Refusal`)."""

    BAD_ADDRESS = "bad_address"  # the address as typed is not one
    UNREACHABLE = "unreachable"  # no connection to that address (detail: the system's words)
    TIMED_OUT = "timed_out"  # connected, but nothing came back in time
    NOT_A_HOST = "not_a_host"  # what came back is not this protocol
    CONNECTION_FAILED = "connection_failed"  # the connection broke while joining (detail: the system's words)
    SCENARIO_DAMAGED = "scenario_damaged"  # the scenario file does not match its hash
    SCENARIO_UNLOADABLE = "scenario_unloadable"  # the scenario file does not load (detail: why)
    SCENARIO_MISMATCH = "scenario_mismatch"  # a different scenario than the assignment names
    LOST = "lost"  # the connection went away after joining
    SESSION_OVER = "session_over"  # sending after the session ended or the client closed
    INTERNAL = "internal"  # a fault in this app (the log has it)


class LiveClientError(Exception):
    """Could not join (or the connection failed): ``code`` says why, the message says it in words for the log.

    ``retry_minutes`` comes with a lockout; ``detail`` is the system's or the loader's words, if any.
    """

    def __init__(
        self, message: str, code: Refusal | Problem, *, retry_minutes: int | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.code = code
        self.retry_minutes = retry_minutes
        self.detail = detail


@dataclass(frozen=True)
class Welcome:
    session: str
    title: str
    name: str  # as the host recorded it
    seed: int
    token: str  # what joining again under this name needs
    assignment: Assignment  # with its results-file secret: keep it with ClassroomStore.adopt_assignment
    scenario: Scenario
    scenario_text: str
    resume: tuple[Resumed, ...]  # answers already given (a rejoin after a dropped connection)


def parse_address(text: str, default_port: int = DEFAULT_PORT) -> tuple[str, int]:
    """``"192.168.1.20:47812"``, ``"192.168.1.20"`` or ``"[fe80::1]:47812"`` as typed from the projector."""
    clean = text.strip()
    host, port = clean, default_port
    if clean.startswith("["):
        host, _, rest = clean[1:].partition("]")
        if rest.startswith(":"):
            port = _port(rest[1:], text)
    elif clean.count(":") == 1:
        host, _, number = clean.partition(":")
        port = _port(number, text)
    if not host or any(ch.isspace() for ch in host):
        raise LiveClientError(
            f"{text!r} is not an address: type it as the trainer's screen shows it", Problem.BAD_ADDRESS
        )
    return host, port


def _port(number: str, text: str) -> int:
    if not number.isdigit() or not 0 < int(number) < 65536:
        raise LiveClientError(f"{text!r} has no valid port number after the colon", Problem.BAD_ADDRESS)
    return int(number)


BUSY_TRIES = 4  # a busy host is asked again after 0.5, 1 and 1.5 s
BUSY_WAIT = 0.5
TokenKey = tuple[str, int, str, str]  # host, port, code, name key


class TokenBook:
    """The tokens this app's welcomes gave, by host, port, code and name: a rejoin needs its own.

    Kept in memory only, by whoever owns the joining (the trainee's window): a token on disk would
    let anyone with the file take over the trainee's conversation. Thread-safe (joins run on threads).
    """

    def __init__(self) -> None:
        self._tokens: dict[TokenKey, str] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(host: str, port: int, code: str, name: str) -> TokenKey:
        return host, port, normalize(code), names.key(name)

    def get(self, host: str, port: int, code: str, name: str) -> str | None:
        with self._lock:
            return self._tokens.get(self._key(host, port, code, name))

    def keep(self, host: str, port: int, code: str, name: str, token: str) -> None:
        with self._lock:
            self._tokens[self._key(host, port, code, name)] = token


def _sealed(channel: Channel, message: dict[str, Any]) -> bytes:
    body = channel.seal(encode(message)[4:])
    return len(body).to_bytes(4, "big") + body


def _refused(message: dict[str, Any]) -> LiveClientError:
    code = Refusal(message["code"])
    return LiveClientError(
        f"the trainer's app refused: {message['reason']}", code, retry_minutes=message.get("retry_minutes")
    )


def _receive(sock: socket.socket, decoder: Decoder) -> list[bytes]:
    data = sock.recv(65536)
    if not data:
        raise ConnectionError("the host closed the connection")
    return decoder.feed(data)


class LiveClient:
    def __init__(
        self, sock: socket.socket, welcome: Welcome, decoder: Decoder, pending: list[bytes], channel: Channel
    ) -> None:
        self.welcome = welcome
        self._channel = channel
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.on_message: Callable[[dict[str, Any]], None] | None = None
        self.ended = threading.Event()
        self.end_reason = ""
        self._sock = sock
        self._decoder = decoder
        self._send_lock = threading.Lock()
        self._closed = False
        self._pending = pending
        self._reader = threading.Thread(target=self._read, name="live-client-reader", daemon=True)
        self._reader.start()

    @classmethod
    def connect(
        cls,
        host: str,
        port: int,
        code: str,
        name: str,
        *,
        token: str | None = None,
        tokens: TokenBook | None = None,
        timeout: float = 10.0,
        source_address: tuple[str, int] | None = None,
    ) -> LiveClient:
        """Join the session; raises :class:`LiveClientError` with the host's refusal or this side's problem.

        ``token``: the one an earlier welcome gave this name; by default the one ``tokens`` kept,
        and ``tokens`` keeps the one this welcome gives.
        A host that is busy with many key exchanges at once (a whole class joining) is asked again
        a few times, a little later each time, before its "busy" reaches the trainee.
        """
        deadline = time.monotonic() + timeout
        for attempt in range(BUSY_TRIES):
            try:
                if token is None and tokens is not None:
                    token = tokens.get(host, port, code, name)
                left = max(0.5, deadline - time.monotonic())
                client = cls._connect(host, port, code, name, token, left, source_address)
                if tokens is not None:
                    tokens.keep(host, port, code, name, client.welcome.token)
                return client
            except LiveClientError as exc:
                wait = BUSY_WAIT * (attempt + 1)
                if exc.code is not Refusal.BUSY or attempt == BUSY_TRIES - 1 or time.monotonic() + wait > deadline:
                    raise
                time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _connect(
        cls,
        host: str,
        port: int,
        code: str,
        name: str,
        token: str | None,
        timeout: float,
        source_address: tuple[str, int] | None,
    ) -> LiveClient:
        try:
            sock = socket.create_connection((host, port), timeout=timeout, source_address=source_address)
        except OSError as exc:
            why = str(exc.strerror or exc)
            raise LiveClientError(
                f"cannot reach {host}:{port} ({why}): check the address", Problem.UNREACHABLE, detail=why
            ) from None
        decoder = Decoder(MAX_HOST_MESSAGE + SEAL_OVERHEAD)
        deadline = time.monotonic() + timeout
        try:
            handshake = Handshake(code, host=False)
            sock.sendall(encode({"type": "hello", "v": PROTOCOL_VERSION, "pake": encode_pake(handshake.outgoing)}))
            frames = _next(sock, decoder, [], deadline)
            message = parse_host_message(frames.pop(0))
            if message["type"] == "rejected":
                if message["code"] == Refusal.INVALID_MESSAGE:  # an older host cannot read this hello
                    message = message | {"code": Refusal.VERSION_MISMATCH.value}
                raise _refused(message)
            if message["type"] != "pake":
                raise LiveClientError("the trainer's app did not answer as expected", Problem.NOT_A_HOST)
            channel = handshake.finish(decode_pake(message["pake"]))
            join: dict[str, Any] = {"type": "join", "name": name[:80]}
            if token:
                join["token"] = token
            sock.sendall(_sealed(channel, join))
            frames = _next(sock, decoder, frames, deadline)
            body = frames.pop(0)
            try:
                message = parse_host_message(channel.open(body))
            except ChannelError:  # not sealed with our key: a refusal in clear (a wrong code), or an impostor
                message = parse_host_message(body)
                if message["type"] != "rejected":
                    raise LiveClientError(
                        "the trainer's app did not prove it knows the join code", Problem.NOT_A_HOST
                    ) from None
            if message["type"] == "rejected":
                raise _refused(message)
            if message["type"] != "welcome":
                raise LiveClientError("the trainer's app did not answer as expected", Problem.NOT_A_HOST)
            welcome = _welcome(message)
        except LiveClientError:
            sock.close()
            raise
        except (Invalid, FrameError, ChannelError) as exc:
            sock.close()
            raise LiveClientError(f"the trainer's app sent something unexpected ({exc})", Problem.NOT_A_HOST) from None
        except TimeoutError:
            sock.close()
            raise LiveClientError("the connection failed (timed out): try again", Problem.TIMED_OUT) from None
        except OSError as exc:  # ConnectionError is one
            sock.close()
            raise LiveClientError(
                f"the connection failed ({exc}): try again", Problem.CONNECTION_FAILED, detail=str(exc)
            ) from None
        sock.settimeout(0.5)  # the reader wakes up to notice close()
        return cls(sock, welcome, decoder, frames, channel)

    def send_answer(self, index: int, text: str, seconds: float, input_mode: str = "text") -> None:
        """Send one answer (the host replays it); raises :class:`LiveClientError` when the link is gone."""
        self._send(
            {"type": "answer", "index": index, "text": text, "seconds": max(0.0, seconds), "input_mode": input_mode}
        )

    def play(self, scorer: AnswerScorer) -> LivePlay:
        return LivePlay(self, scorer)

    def wait_ended(self, timeout: float | None = None) -> bool:
        return self.ended.wait(timeout)

    def leave(self) -> None:
        """Tell the host this trainee is leaving, then close."""
        with contextlib.suppress(LiveClientError):
            self._send({"type": "bye"})
        self.close()

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(OSError):  # wakes the reader's recv now, not at its next timeout
            self._sock.shutdown(socket.SHUT_RDWR)
        try:
            self._sock.close()
        finally:
            if threading.current_thread() is not self._reader:
                self._reader.join(2.0)

    def _send(self, message: dict[str, Any]) -> None:
        if self._closed or self.ended.is_set():
            raise LiveClientError("the session is over", Problem.SESSION_OVER)
        try:
            with self._send_lock:
                self._sock.sendall(_sealed(self._channel, message))
        except OSError as exc:
            raise LiveClientError(
                f"the connection to the trainer's app was lost ({exc})", Problem.LOST, detail=str(exc)
            ) from None

    def _read(self) -> None:
        frames = self._pending
        try:
            while not self._closed:
                for body in frames:
                    self._deliver(parse_host_message(self._channel.open(body)))
                try:
                    frames = _receive(self._sock, self._decoder)
                except TimeoutError:
                    frames = []
        except (OSError, ConnectionError, Invalid, FrameError, ChannelError) as exc:
            if not self._closed and not self.ended.is_set():
                self.end_reason = f"the connection to the trainer's app was lost ({exc})"
        finally:
            self.ended.set()

    def _deliver(self, message: dict[str, Any]) -> None:
        if message["type"] in ("end", "rejected"):
            self.end_reason = message["reason"]
            self.ended.set()
        self.messages.put(message)
        if self.on_message is not None:
            try:
                self.on_message(message)
            except Exception:
                log.exception("the live-session message callback failed")


def _next(sock: socket.socket, decoder: Decoder, frames: list[bytes], deadline: float) -> list[bytes]:
    """At least one frame: those already cut, or more read before ``deadline``."""
    while not frames:
        if time.monotonic() > deadline:
            raise TimeoutError
        frames = _receive(sock, decoder)
    return frames


def _welcome(message: dict[str, Any]) -> Welcome:
    assignment = assignment_from_dict(message["assignment"])
    text = message["scenario_text"]
    if not scenario_matches(text, assignment.scenario_hash):
        raise LiveClientError(
            "the scenario arrived damaged (its hash does not match): join again", Problem.SCENARIO_DAMAGED
        )
    try:
        scenario = load_text(text, f"{assignment.scenario_id}.yaml")
    except ScenarioError as exc:
        raise LiveClientError(
            f"the scenario cannot be loaded: {exc}", Problem.SCENARIO_UNLOADABLE, detail=str(exc)
        ) from None
    if scenario.id != assignment.scenario_id:
        raise LiveClientError(
            "the trainer's app sent a different scenario than the assignment names", Problem.SCENARIO_MISMATCH
        )
    resume = tuple(Resumed(r["index"], r["text"], float(r["seconds"]), r["input_mode"]) for r in message["resume"])
    return Welcome(
        message["session"],
        message["title"],
        message["name"],
        message["seed"],
        message["token"],
        assignment,
        scenario,
        text,
        resume,
    )


class LivePlay:
    """The trainee's conversation, run locally, each answer sent to the host as it is given.

    A rejoin replays the answers the host already has (the engine is deterministic), so the
    trainee carries on where the dropped connection left them.
    """

    def __init__(self, client: LiveClient, scorer: AnswerScorer) -> None:
        self.client = client
        welcome = client.welcome
        self.session = Session(welcome.scenario, scorer, seed=welcome.seed)
        self.session.start()
        for answer in welcome.resume:
            self.session.respond(answer.text)
        self._shown = time.monotonic()

    @property
    def current(self) -> CustomerTurn | None:
        return self.session.current

    @property
    def finished(self) -> bool:
        return self.session.finished

    def respond(self, text: str, input_mode: str = "text") -> TurnResult:
        """Score locally (for the trainee's own feedback), then send the answer to the host."""
        if len(text) > MAX_ANSWER:
            raise ValueError(f"an answer can have at most {MAX_ANSWER} characters")
        seconds = time.monotonic() - self._shown
        result = self.session.respond(text)
        self.client.send_answer(result.index, text, seconds, input_mode)
        self._shown = time.monotonic()
        return result
