"""The trainer's side of a live session: a small TCP server in the app itself, on the local network.

One network thread runs a non-blocking ``selectors`` loop for every connection, so a peer that
stalls, floods or sends garbage costs only its own connection: it is refused, logged and
closed while everyone else carries on. Answers are scored by a few worker threads
(:mod:`simulator.classroom.host_scoring`), never on the network thread, so one slow answer holds
up only its own trainee. A database thread owns its own connection and stores each trainee's
attempt as it finishes (and the rest when the session ends).

Every connection starts with a SPAKE2 exchange keyed by the join code and is sealed from then on
(:mod:`simulator.classroom.channel`): the code, the answers and the results secret never cross the
network in clear, and a wrong code is found out without the code ever being sent. The host listens
on one interface, the address the trainer shows (never all of them by default).

Threading rules for the UI: :meth:`LiveHost.dashboard`, :meth:`poll_events`, :meth:`end_session`
and :meth:`stop` may be called from any thread. ``on_event`` is called on the host's threads:
it must only hand the event over (e.g. emit a Qt signal), never block or call :meth:`stop`.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import math
import queue
import selectors
import socket
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from simulator.classroom.assignment_file import assignment_dict, scenario_matches
from simulator.classroom.channel import Channel, ChannelError, Handshake, decode_pake, encode_pake
from simulator.classroom.host_events import EventKind, HostEvent, HostLimits
from simulator.classroom.host_recorder import LiveRecorder
from simulator.classroom.host_scoring import Done, ScoringPool
from simulator.classroom.joincode import GuessBudget, HandshakeRate, Lockout, new_code
from simulator.classroom.protocol import (
    DEFAULT_PORT,
    HELLO,
    PROTOCOL_VERSION,
    VERSION_REASON,
    Decoder,
    FrameError,
    HelloFirst,
    Refusal,
    encode,
    hello_version,
    legacy_version_refusal,
    parse_client_message,
    refusal,
)
from simulator.classroom.room import AnswerRefused, Dashboard, JoinRefused, LiveRoom
from simulator.core.checks import Invalid, check
from simulator.core.model import Scenario
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.classroom_records import Assignment

log = logging.getLogger(__name__)


@dataclass(eq=False)
class _Conn:
    sock: socket.socket
    label: str  # "address:port"
    peer: str  # address: what lockouts count by
    opened: float
    decoder: Decoder
    outbuf: bytearray = field(default_factory=bytearray)
    writing: bool = False
    key: str | None = None  # the participant, once joined
    name: str | None = None
    closing_since: float | None = None
    bad: int = 0
    channel: Channel | None = None  # after the key exchange
    sealing: bool = False  # the trainee's first sealed frame opened: replies are sealed too
    reserved: bool = False  # holds a place in the session's guess budget until its first sealed frame
    alive: bool = True


def _minutes(seconds: float) -> int:
    return max(1, math.ceil(seconds / 60))


WILDCARDS = frozenset({"", "0.0.0.0", "::"})
BACKLOG = 512  # connections the system queues before the host accepts them: a flood must not overflow it
# (an overflowing queue drops a real trainee's connection request, and their computer waits a second to retry)


def default_bind() -> str:
    """The address the trainer's screen shows first: this machine's LAN address (loopback without a network)."""
    from simulator.classroom.discovery import local_addresses

    return local_addresses()[0]


def _listen(address: tuple[str, int]) -> socket.socket:
    """A non-blocking listener on exactly ``address``; a free port when that one is taken (another session?)."""
    try:
        listener = socket.create_server(address, backlog=BACKLOG)
    except OSError as exc:
        if address[1] == 0 or exc.errno != errno.EADDRINUSE:
            raise
        log.info("port %s is in use (another session?): using a free one", address[1])
        listener = socket.create_server((address[0], 0), backlog=BACKLOG)
    listener.setblocking(False)
    return listener


def _bound(listener: socket.socket) -> tuple[str, int]:
    host, port = listener.getsockname()[:2]
    return str(host), int(port)


def scenario_file_text(scenario: Scenario) -> str:
    """The scenario file's text exactly as loaded (its hash must still match: the file may have been edited)."""
    if scenario.path is None:
        raise ValueError("the scenario has no file to send")
    text = scenario.path.read_bytes().decode("utf-8")
    if not scenario_matches(text, scenario.content_hash):
        raise ValueError("the scenario file has changed since it was loaded: reload the scenarios first")
    return text


class LiveHost:
    """Hosts one live session of an assignment; see the module docstring for the threading rules."""

    def __init__(
        self,
        assignment: Assignment,
        scenario: Scenario,
        scorer: AnswerScorer,
        *,
        database: Path | None = None,
        scenario_text: str | None = None,
        bind: str | None = None,
        port: int = DEFAULT_PORT,
        code: str | None = None,
        allowed_names: Iterable[str] | None = None,
        limits: HostLimits | None = None,
        on_event: Callable[[HostEvent], None] | None = None,
        title: str = "",
    ) -> None:
        if assignment.scenario_id != scenario.id:
            raise ValueError(f"the assignment is for {assignment.scenario_id!r}, not {scenario.id!r}")
        text = scenario_text if scenario_text is not None else scenario_file_text(scenario)
        if not scenario_matches(text, scenario.content_hash):
            raise ValueError("the scenario text does not match the loaded scenario")
        self.assignment = assignment
        self.scenario = scenario
        self.scenario_text = text
        self.database = database
        self.limits = limits or HostLimits()
        self.code = code or new_code()
        self.title = title or f"{assignment.scenario_title} ({assignment.group_name})"
        self.session_uid = uuid.uuid4().hex
        self.on_event = on_event
        self.events: queue.Queue[HostEvent] = queue.Queue()
        self._emit_lock = threading.Lock()
        self.room = LiveRoom(
            assignment,
            scenario,
            scorer,
            allowed_names=allowed_names,
            max_participants=self.limits.max_participants,
            max_names=self.limits.max_names,
        )
        if bind is not None and bind in WILDCARDS:
            raise ValueError("listen on one address (the one trainees type), not on every interface")
        self._bind = (bind if bind is not None else default_bind(), port)
        self._lockout = Lockout(
            self.limits.wrong_code_limit, self.limits.wrong_code_window, self.limits.lockout_seconds
        )
        self._budget = GuessBudget(self.limits.guess_budget, self.limits.guess_window)
        self._budget_told = False
        self._rate = HandshakeRate(self.limits.handshakes_per_second, self.limits.handshake_burst)
        self._pool: ScoringPool | None = None
        self._conns: dict[int, _Conn] = {}
        self._commands: queue.SimpleQueue[tuple[str, str]] = queue.SimpleQueue()
        self._recorder = LiveRecorder(database, self.room, self.title, self.session_uid, self._emit)
        self._wake_r: socket.socket | None = None  # a socket pair that wakes the network loop for commands
        self._wake_w: socket.socket | None = None
        self._listener: socket.socket | None = None  # the network thread's, once started
        self._address: tuple[str, int] | None = None
        self._moves: queue.SimpleQueue[socket.socket] = queue.SimpleQueue()  # listen_on's new listeners
        self._selector: selectors.BaseSelector | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = False

    # -- the UI's side -------------------------------------------------------------

    @property
    def session_id(self) -> int | None:
        """The ``classroom_sessions`` row of this session, once the database thread has opened it."""
        return self._recorder.session_id

    @property
    def address(self) -> tuple[str, int]:
        """Where trainees connect (after :meth:`start`); show it on the projector with the code."""
        if self._address is None:
            raise RuntimeError("the host has not started")
        return self._address

    def start(self) -> tuple[str, int]:
        """Listen and start the network and database threads; returns the bound address.

        Raises OSError when the app cannot listen at all (e.g. the address is not this machine's).
        """
        if self._listener is not None:
            raise RuntimeError("the host is already running")
        self._listener = _listen(self._bind)
        self._address = _bound(self._listener)
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self._pool = ScoringPool(self.limits.scoring_threads, self.limits.max_waiting_answers, self._poke)
        self._threads = [
            threading.Thread(target=self._serve, name="live-host-network", daemon=True),
            threading.Thread(target=self._recorder.run, name="live-host-database", daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        log.info("live session %s listening on %s:%s", self.session_uid, *self.address)
        return self.address

    def listen_on(self, host: str) -> tuple[str, int]:
        """Take new connections on another of this computer's addresses (the trainer chose another network).

        The new listener is opened here, so a wrong address raises OSError at once and nothing
        changes; trainees already connected stay connected. Returns the new address (same port
        when it is free there).
        """
        if host in WILDCARDS:
            raise ValueError("listen on one address (the one trainees type), not on every interface")
        if self._address is None or not self._threads:
            raise RuntimeError("the host is not running")
        if host == self._address[0]:
            return self._address
        listener = _listen((host, self._address[1]))
        self._moves.put(listener)
        self._address = _bound(listener)
        self._command("listen", "")
        log.info("live session %s now listening on %s:%s", self.session_uid, *self._address)
        return self._address

    def dashboard(self) -> Dashboard:
        return self.room.dashboard(self.title)

    def poll_events(self) -> list[HostEvent]:
        """Every event since the last poll, oldest first (for a QTimer on the UI thread)."""
        events = []
        while True:
            try:
                events.append(self.events.get_nowait())
            except queue.Empty:
                return events

    def end_session(self, reason: str = "The trainer ended the session.") -> None:
        """Send "end" to every trainee, stop taking answers, store what everyone has so far."""
        self._command("end", reason[:300])

    def stop(self, timeout: float = 10.0) -> None:
        """End the session if still running, store everything, close every connection and the database."""
        if not self._threads:
            return
        self._command("stop", "")
        for thread in self._threads:
            thread.join(timeout)
        self._threads = []
        if self._pool is not None:
            self._pool.stop(timeout)
        for wake in (self._wake_r, self._wake_w):
            if wake is not None:
                wake.close()

    def __enter__(self) -> LiveHost:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _command(self, name: str, argument: str) -> None:
        self._commands.put((name, argument))
        self._poke()

    def _poke(self) -> None:
        """Wake the network loop (a command, or a scored answer to acknowledge)."""
        wake = self._wake_w
        if wake is not None:  # None: not started; the command waits in the queue
            # OSError: stopped already, or the wake-up pipe is full and the loop will wake anyway
            with contextlib.suppress(OSError):
                wake.send(b"\x00")

    # -- events ----------------------------------------------------------------------

    def _emit(self, kind: EventKind, conn: _Conn | None = None, detail: str = "", **extra: Any) -> None:
        name = extra.pop("name", conn.name if conn else None)
        event = HostEvent(kind, conn.label if conn else "", name, detail, **extra)
        with self._emit_lock:  # both threads emit: the queue and the callback see one order
            self.events.put(event)
            if self.on_event is not None:
                try:
                    self.on_event(event)
                except Exception:
                    log.exception("the live-session event callback failed")

    # -- the network thread ------------------------------------------------------------

    def _serve(self) -> None:
        assert self._listener is not None
        selector = self._selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ, "listen")
        assert self._wake_r is not None
        selector.register(self._wake_r, selectors.EVENT_READ, "wake")
        try:
            while not self._stopping or self._closing_pending():
                for key, mask in selector.select(timeout=0.2):
                    if key.data == "listen":
                        if not self._stopping:
                            self._accept()
                    elif key.data == "wake":
                        self._run_commands()
                    else:
                        self._service(key.data, mask)
                self._sweep()
        except Exception:
            log.exception("the live-session host failed")
        finally:
            if not self.room.ended:  # the loop failed: still keep what everyone has so far
                with contextlib.suppress(Exception):
                    self.room.end()
                    self._save(finished_only=False)
            for conn in list(self._conns.values()):
                self._drop(conn)
            selector.close()
            self._listener.close()
            while not self._moves.empty():  # a listen_on that came as the host stopped
                self._moves.get_nowait().close()
            self._recorder.finish()  # it stores what is queued, then closes the database

    def _service(self, conn: _Conn, mask: int) -> None:
        """One connection's turn; an unexpected error costs that connection only, never the session."""
        try:
            if mask & selectors.EVENT_WRITE:
                self._flush(conn)
            if mask & selectors.EVENT_READ and conn.alive:
                self._read(conn)
        except Exception:
            log.exception("%s (%s): unexpected error: closing this connection", conn.label, conn.name or "not joined")
            self._lost(conn, "an error in the trainer's app")

    def _closing_pending(self) -> bool:
        return any(c.closing_since is not None for c in self._conns.values())

    def _run_commands(self) -> None:
        try:
            while self._wake_r is not None and self._wake_r.recv(4096):
                pass
        except OSError:
            pass
        if self._pool is not None:
            for done in self._pool.take_done():
                self._scored(done)
        while True:
            try:
                name, argument = self._commands.get_nowait()
            except queue.Empty:
                return
            if name == "listen":
                self._move_listener()
            elif name == "end":
                self._end(argument)
            elif name == "stop":
                self._end("The trainer closed the session.")
                self._stopping = True
                for conn in list(self._conns.values()):
                    if conn.closing_since is None:
                        self._drop(conn)

    def _move_listener(self) -> None:
        while True:
            try:
                listener = self._moves.get_nowait()
            except queue.Empty:
                return
            assert self._selector is not None and self._listener is not None
            self._selector.unregister(self._listener)
            self._listener.close()
            self._listener = listener
            self._selector.register(listener, selectors.EVENT_READ, "listen")

    def _end(self, reason: str) -> None:
        if self.room.ended:
            return
        self.room.end()
        for conn in list(self._conns.values()):
            if conn.key is not None and conn.closing_since is None:
                self._send(conn, {"type": "end", "reason": reason})
                self._close_after_flush(conn)
            elif conn.closing_since is None:
                self._drop(conn)
        self._save(finished_only=False)
        self._emit(EventKind.ENDED, detail=reason)

    def _accept(self) -> None:
        assert self._listener is not None
        for _ in range(64):
            try:
                sock, address = self._listener.accept()
            except (BlockingIOError, InterruptedError):
                return
            except OSError as exc:
                log.warning("accepting a connection failed: %s", exc)
                return
            sock.setblocking(False)
            peer = str(address[0])
            conn = _Conn(sock, f"{peer}:{address[1]}", peer, time.monotonic(), Decoder(self.limits.max_message))
            message = self._admission(conn)
            if message is not None:
                log.warning("%s: refused: %s", conn.label, message["reason"])
                with contextlib.suppress(OSError):
                    sock.send(encode(message))
                sock.close()
                self._emit(EventKind.REJECTED, conn, message["reason"])
                continue
            self._conns[sock.fileno()] = conn
            assert self._selector is not None
            self._selector.register(sock, selectors.EVENT_READ, conn)

    def _admission(self, conn: _Conn) -> dict[str, Any] | None:
        """Why a new connection is refused at once (None: it may try the handshake).

        Connections that have not joined are capped overall: at the cap one is closed, from the
        computer that holds the most, the oldest first, so a flood of half-open sockets makes room
        for a real trainee rather than keeping them out.
        """
        unjoined = [c for c in self._conns.values() if c.key is None and c.closing_since is None]
        if sum(1 for c in unjoined if c.peer == conn.peer) >= self.limits.max_unjoined_per_peer:
            return refusal("rejected", Refusal.TOO_MANY_CONNECTIONS, "too many connections from this computer")
        wait = self._lockout.locked(conn.peer)
        if wait:
            minutes = _minutes(wait)
            reason = f"too many wrong codes from this computer: try again in {minutes} min"
            return refusal("rejected", Refusal.LOCKED_OUT, reason, minutes)
        while unjoined and (
            len(unjoined) >= self.limits.max_unjoined or len(self._conns) >= self.limits.max_connections
        ):
            per_peer = Counter(c.peer for c in unjoined)  # the computer holding the most goes first, then the oldest
            oldest = min(unjoined, key=lambda c: (-per_peer[c.peer], c.opened))
            unjoined.remove(oldest)
            log.warning("%s: closed unjoined to make room for a new connection", oldest.label)
            self._emit(EventKind.REJECTED, oldest, "not joined in time: closed to make room")
            self._drop(oldest)
        if len(self._conns) >= self.limits.max_connections:
            return refusal("rejected", Refusal.TOO_MANY_CONNECTIONS, "the session has too many connections")
        return None

    def _read(self, conn: _Conn) -> None:
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            self._lost(conn, f"connection error ({exc.strerror or exc})")
            return
        if not data:
            self._lost(conn, "the connection was closed")
            return
        if conn.closing_since is not None:
            return
        try:
            frames = conn.decoder.feed(data)
        except FrameError as exc:
            self._refuse(conn, Refusal.INVALID_MESSAGE, f"oversized or malformed data: {exc}")
            return
        for body in frames:
            self._handle(conn, body)
            if conn.closing_since is not None or not conn.alive:
                return

    def _handle(self, conn: _Conn, body: bytes) -> None:
        if conn.channel is None:
            self._hello(conn, body)
            return
        try:
            opened = conn.channel.open(body)
        except ChannelError:
            if conn.key is None and not conn.sealing:
                self._wrong_code(conn)
            else:  # the keys were right a moment ago: tampered, replayed or out of order
                self._refuse(conn, Refusal.INVALID_MESSAGE, "a frame did not open with this connection's key")
            return
        conn.sealing = True
        self._settle(conn, wrong=False)
        try:
            message = parse_client_message(opened)
        except Invalid as exc:
            self._bad(conn, Refusal.INVALID_MESSAGE, str(exc))
            return
        kind = message["type"]
        if conn.key is None:
            if kind == "join":
                self._join(conn, message)
            else:
                self._refuse(conn, Refusal.HELLO_FIRST, "send your name first")
        elif kind == "answer":
            self._answer(conn, message)
        elif kind == "bye":
            self._leave(conn, "left the session")
            self._close_after_flush(conn)
        else:
            self._bad(conn, Refusal.INVALID_MESSAGE, "already joined")

    def _hello(self, conn: _Conn, body: bytes) -> None:
        """The clear first frame: the version, then the trainee's half of the key exchange."""
        try:
            version, message = hello_version(body)
        except HelloFirst as exc:
            self._refuse(conn, Refusal.HELLO_FIRST, str(exc))
            return
        except Invalid as exc:
            self._refuse(conn, Refusal.INVALID_MESSAGE, f"invalid message: {exc}")
            return
        if version < 2:  # first, and in the shape an older app can read
            self._refuse(conn, Refusal.VERSION_MISMATCH, VERSION_REASON, legacy=True)
            return
        if version != PROTOCOL_VERSION:
            self._refuse(conn, Refusal.VERSION_MISMATCH, VERSION_REASON)
            return
        wait = self._lockout.locked(conn.peer)
        spent = self._budget.spent()
        if wait:
            minutes = _minutes(wait)
            reason = f"too many wrong codes from this computer: try again in {minutes} min"
            self._refuse(conn, Refusal.LOCKED_OUT, reason, retry_minutes=minutes)
            return
        if spent:
            minutes = _minutes(spent)
            reason = f"too many wrong codes on this session: try again in {minutes} min"
            self._refuse(conn, Refusal.GUESSING, reason, retry_minutes=minutes)
            return
        if self.room.ended:
            self._refuse(conn, Refusal.ENDED, "the session has ended")
            return
        try:
            check(message, HELLO, "hello")
            theirs = decode_pake(message["pake"])
        except (Invalid, ChannelError) as exc:
            self._refuse(conn, Refusal.INVALID_MESSAGE, f"invalid message: {exc}")
            return
        if not self._rate.take():  # checked last: only a well-formed hello costs an exchange
            self._refuse(conn, Refusal.BUSY, "many computers are joining at once: join again in a moment")
            return
        try:
            handshake = Handshake(self.code, host=True)
            conn.channel = handshake.finish(theirs)
        except ChannelError as exc:
            self._refuse(conn, Refusal.INVALID_MESSAGE, f"invalid message: {exc}")
            return
        conn.reserved = True
        self._budget.reserve()
        self._send(conn, {"type": "pake", "v": PROTOCOL_VERSION, "pake": encode_pake(handshake.outgoing)})

    def _wrong_code(self, conn: _Conn) -> None:
        """The trainee's first sealed frame did not open: they used another code. Counted, refused in clear."""
        wait = self._lockout.failure(conn.peer)
        self._settle(conn, wrong=True)
        locked_for = _minutes(wait) if wait else None
        lock = f"; too many wrong codes: try again in {locked_for} min" if locked_for else ""
        self._refuse(conn, Refusal.WRONG_CODE, "wrong join code" + lock, retry_minutes=locked_for)
        spent = self._budget.spent()
        if spent and not self._budget_told:
            self._budget_told = True
            detail = (
                f"{self.limits.guess_budget} wrong codes within {_minutes(self.limits.guess_window)} min: "
                f"someone may be guessing the code; new joins are paused for {_minutes(spent)} min"
            )
            log.warning("live session: %s", detail)
            self._emit(EventKind.REJECTED, detail=detail)
        elif not spent:
            self._budget_told = False
        self._rate = HandshakeRate(self.limits.handshakes_per_second, self.limits.handshake_burst)

    def _join(self, conn: _Conn, message: dict[str, Any]) -> None:
        joined_here = sum(1 for c in self._conns.values() if c.peer == conn.peer and c.key is not None)
        if joined_here >= self.limits.max_joined_per_peer:
            self._refuse(conn, Refusal.TOO_MANY_CONNECTIONS, "too many trainees from this computer")
            return
        try:
            participant = self.room.join(message["name"], message.get("token"))
        except JoinRefused as exc:
            self._refuse(conn, exc.code, str(exc))
            return
        conn.key, conn.name = participant.key, participant.name
        resumed = self.room.resume_answers(participant.key)
        self._send(
            conn,
            {
                "type": "welcome",
                "v": PROTOCOL_VERSION,
                "session": self.session_uid,
                "title": self.title[:300],
                "name": participant.name,
                "seed": participant.seed,
                "token": participant.token,
                "assignment": assignment_dict(self.assignment, participant.name),  # their own key only
                "scenario_text": self.scenario_text,
                "resume": [
                    {"index": r.index, "text": r.text, "seconds": r.seconds, "input_mode": r.input_mode}
                    for r in resumed
                ],
            },
        )
        detail = f"rejoined after {len(resumed)} answers" if resumed else "joined"
        self._emit(EventKind.JOINED, conn, detail, row=self.room.row(participant.key))

    def _answer(self, conn: _Conn, message: dict[str, Any]) -> None:
        """Hand the answer to the scoring workers; the ack goes out when it is scored (:meth:`_scored`)."""
        assert conn.key is not None and self._pool is not None
        key, room = conn.key, self.room
        index, text, seconds = message["index"], message["text"], float(message["seconds"])
        mode = message.get("input_mode", "text")
        if not self._pool.submit(key, conn, lambda: room.answer(key, index, text, seconds, mode)):
            self._bad(conn, Refusal.ANSWER_REFUSED, "too many answers waiting to be scored")

    def _scored(self, done: Done) -> None:
        """On the network thread: acknowledge a scored answer, or refuse it, and tell the trainer."""
        conn: _Conn = done.tag
        here = conn.alive and conn.key == done.key and conn.closing_since is None
        if isinstance(done.error, AnswerRefused):
            if here:
                self._bad(conn, Refusal.ANSWER_REFUSED, str(done.error))
            return
        if done.error is not None:
            log.error(
                "%s (%s): unexpected error: closing this connection (it came while scoring an answer)",
                conn.label,
                conn.name,
                exc_info=done.error,
            )
            if here:
                self._lost(conn, "an error in the trainer's app")
            return
        result = done.value
        finished = result.ending is not None
        if here:
            ack: dict[str, Any] = {"type": "ack", "index": result.index, "finished": finished}
            if self.assignment.mode == "practice":  # in an assessment nothing before the end says how it goes
                ack["score"] = result.score.score
            self._send(conn, ack)
        row = self.room.row(done.key)
        self._emit(EventKind.PROGRESS, conn, f"answered turn {result.index + 1}", row=row)
        if finished and row is not None:
            score = row.final_score or 0.0
            self._emit(EventKind.FINISHED, conn, f"{row.outcome}, score {score:.0f}", row=row)
            self._save(finished_only=True)

    def _bad(self, conn: _Conn, code: Refusal, reason: str) -> None:
        """A refused message: dropped and logged; a joined trainee is told, and closed after a few."""
        log.warning("%s (%s): dropped a message: %s", conn.label, conn.name or "not joined", reason)
        if conn.key is None:
            self._refuse(conn, code, f"invalid message: {reason}")
            return
        conn.bad += 1
        self.room.drop(conn.key)
        self._emit(EventKind.DROPPED, conn, reason, row=self.room.row(conn.key))
        if conn.bad >= self.limits.max_bad_messages:
            self._refuse(conn, Refusal.TOO_MANY_INVALID, "too many invalid messages")
        else:
            self._send(conn, refusal("error", code, reason))

    def _refuse(
        self, conn: _Conn, code: Refusal, reason: str, *, retry_minutes: int | None = None, legacy: bool = False
    ) -> None:
        """Refuse the connection: tell the peer why (``legacy``: in protocol 1's shape), close it, tell the trainer."""
        log.warning("%s (%s): refused: %s [%s]", conn.label, conn.name or "not joined", reason, code)
        self._send(conn, legacy_version_refusal() if legacy else refusal("rejected", code, reason, retry_minutes))
        self._close_after_flush(conn)
        self._emit(EventKind.REJECTED, conn, reason)
        self._leave(conn, reason)

    def _leave(self, conn: _Conn, reason: str) -> None:
        if conn.key is not None:
            key, conn.key = conn.key, None
            self.room.leave(key)
            self._emit(EventKind.LEFT, conn, reason, row=self.room.row(key))

    def _lost(self, conn: _Conn, reason: str) -> None:
        closing = conn.closing_since is not None
        self._drop(conn)
        if not closing:
            self._leave(conn, reason)

    def _send(self, conn: _Conn, message: dict[str, Any]) -> None:
        """Queue one message: sealed once the trainee's first sealed frame opened, in clear before."""
        if not conn.alive:
            return
        frame = encode(message)
        if conn.channel is not None and conn.sealing:
            sealed = conn.channel.seal(frame[4:])
            frame = len(sealed).to_bytes(4, "big") + sealed
        if len(conn.outbuf) + len(frame) > self.limits.max_outbuf:
            log.warning("%s: not reading what is sent: closing", conn.label)
            self._lost(conn, "stopped reading")
            return
        conn.outbuf += frame
        self._flush(conn)

    def _flush(self, conn: _Conn) -> None:
        if not conn.alive:
            return
        if conn.outbuf:
            try:
                sent = conn.sock.send(conn.outbuf)
            except (BlockingIOError, InterruptedError):
                sent = 0
            except OSError as exc:
                self._lost(conn, f"connection error ({exc.strerror or exc})")
                return
            del conn.outbuf[:sent]
        if conn.closing_since is not None and not conn.outbuf:
            self._drop(conn)
            return
        writing = bool(conn.outbuf)
        if writing != conn.writing and self._selector is not None:
            events = selectors.EVENT_READ | (selectors.EVENT_WRITE if writing else 0)
            self._selector.modify(conn.sock, events, conn)
            conn.writing = writing

    def _close_after_flush(self, conn: _Conn) -> None:
        if conn.closing_since is None:
            conn.closing_since = time.monotonic()
        self._flush(conn)

    def _settle(self, conn: _Conn, *, wrong: bool) -> None:
        """The connection's exchange is decided (or abandoned): its place in the guess budget is settled once."""
        if conn.reserved:
            conn.reserved = False
            self._budget.settle(wrong)

    def _drop(self, conn: _Conn) -> None:
        if not conn.alive:
            return
        self._settle(conn, wrong=False)  # lost before its first sealed frame: no guess was evaluated
        conn.alive = False
        self._conns.pop(conn.sock.fileno(), None)
        if self._selector is not None:
            with contextlib.suppress(KeyError, ValueError):
                self._selector.unregister(conn.sock)
        conn.sock.close()

    def _sweep(self) -> None:
        moment = time.monotonic()
        for conn in list(self._conns.values()):
            if conn.closing_since is not None:
                if moment - conn.closing_since > self.limits.close_grace_seconds:
                    self._drop(conn)
            elif conn.key is None and moment - conn.opened > self.limits.handshake_seconds:
                self._refuse(conn, Refusal.TIMEOUT, "no join code received in time")
                conn.closing_since = moment - self.limits.close_grace_seconds / 2  # a half-open peer gets less grace

    # -- handing attempts to the database thread ------------------------------------------------

    def _save(self, *, finished_only: bool) -> None:
        for job in self.room.take_unsaved(finished_only=finished_only):
            self._recorder.put(job)
