"""What a live-session host reports to the trainer's screen, and the limits it enforces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from simulator.classroom.protocol import MAX_CLIENT_MESSAGE, SEAL_OVERHEAD
from simulator.classroom.room import DashboardRow


class EventKind(StrEnum):
    JOINED = "joined"  # a trainee joined (or rejoined) the session
    PROGRESS = "progress"  # a trainee answered a turn
    FINISHED = "finished"  # a trainee reached an ending
    LEFT = "left"  # a trainee's connection closed (they may rejoin while the session runs)
    REJECTED = "rejected"  # a connection was refused: wrong code, locked out, name in use, stalled, ...
    DROPPED = "dropped"  # a message was refused (malformed, unknown, out of order); the connection may stay
    SAVED = "saved"  # a trainee's attempt is in the database (``attempt_id``)
    SAVE_FAILED = "save-failed"  # the database refused it; ``detail`` says why
    ENDED = "ended"  # the trainer ended the session for everyone
    STOPPED = "stopped"  # the host has shut down; no more events follow


@dataclass(frozen=True)
class HostEvent:
    kind: EventKind
    peer: str  # "address:port" of the connection, "" for events not about one
    name: str | None = None  # the trainee, once known
    detail: str = ""  # words for the trainer (never the trainee's answer text)
    row: DashboardRow | None = None  # the trainee's dashboard row after the event
    attempt_id: int | None = None


@dataclass(frozen=True)
class HostLimits:
    """What one peer may cost the host; the defaults suit a classroom of up to 200.

    Connections that have not joined yet are capped overall and per address, and time out fast
    (a real handshake takes milliseconds): when the cap is reached the oldest one is closed to
    make room, so sockets held open by a flood never keep a real trainee out.
    """

    max_message: int = MAX_CLIENT_MESSAGE + SEAL_OVERHEAD
    handshake_seconds: float = 3.0  # a connection must complete the handshake and join within this
    max_connections: int = 250
    max_unjoined: int = 64  # connections not joined yet, from all addresses (the oldest goes first)
    max_unjoined_per_peer: int = 4  # connections from one address that have not joined yet
    max_joined_per_peer: int = 8  # trainees joined from one address (one computer is one trainee)
    max_bad_messages: int = 3  # refused messages from a joined trainee before the connection closes
    max_outbuf: int = 16 * 1024 * 1024  # queued bytes to one trainee before they count as stalled
    wrong_code_limit: int = 5
    wrong_code_window: float = 60.0
    lockout_seconds: float = 300.0
    guess_budget: int = 60  # wrong codes for the whole session within guess_window (all addresses)
    guess_window: float = 600.0
    handshakes_per_second: float = 20.0  # key exchanges for all computers together (each costs the host ~20 ms)
    handshake_burst: int = 40  # ... of which this many at once (a class joining together)
    max_participants: int = 200  # trainees connected at once
    max_names: int = 1000  # trainees kept in all (those who answered and left count; see LiveRoom)
    close_grace_seconds: float = 2.0  # how long a closing connection may take to receive its last message
    scoring_threads: int = 4  # answers scored at once (one slow answer holds one of them)
    max_waiting_answers: int = 16  # a trainee's answers waiting to be scored (each <= 16 KB); more are refused
