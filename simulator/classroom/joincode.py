"""Join codes for live sessions: short, easy to read off a projector, compared in constant time.

Six characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L) give about
887 million codes. The code never crosses the network (it keys a SPAKE2 exchange, see
:mod:`simulator.classroom.channel`), so the only way to test a guess is a handshake with the
host. A computer that keeps guessing is locked out after a few wrong codes (:class:`Lockout`),
and the whole session takes a bounded number of wrong codes however many addresses they come
from (:class:`GuessBudget`): at the default 60 per 10 minutes, finding a code takes years.
"""

from __future__ import annotations

import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 6


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalize(typed: str) -> str:
    """What a trainee typed, as a code: case and spaces or dashes do not matter ("abc-23x" is "ABC23X")."""
    return "".join(ch for ch in typed.upper() if ch not in " -\t")


def code_matches(code: str, typed: str) -> bool:
    """Constant-time comparison (only the length of the typed text can show in the timing)."""
    return hmac.compare_digest(normalize(typed).encode("utf-8"), code.encode("utf-8"))


def format_code(code: str) -> str:
    """For the projector: "ABC 23X" reads better than "ABC23X"."""
    half = len(code) // 2
    return f"{code[:half]} {code[half:]}"


@dataclass
class _Record:
    failures: list[float] = field(default_factory=list)
    locked_until: float = 0.0


class Lockout:
    """Wrong codes per peer: ``max_failures`` within ``window`` seconds locks the peer out for ``lockout`` seconds.

    The table is bounded (``max_peers``): when full, the least recently seen unlocked entries are
    forgotten first, then the oldest lockouts, so a flood of addresses cannot grow it without
    end. Not thread-safe: the host's network thread owns it.
    """

    def __init__(
        self,
        max_failures: int = 5,
        window: float = 60.0,
        lockout: float = 300.0,
        max_peers: int = 4096,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.lockout = lockout
        self.max_peers = max_peers
        self.clock = clock
        self._peers: dict[str, _Record] = {}

    def locked(self, peer: str) -> float:
        """Seconds the peer must still wait (0 when it may try)."""
        record = self._peers.get(peer)
        if record is None:
            return 0.0
        return max(0.0, record.locked_until - self.clock())

    def failure(self, peer: str) -> float:
        """Count a wrong code; returns the lockout now in force (0 when the peer may try again)."""
        moment = self.clock()
        record = self._peers.pop(peer, None) or _Record()
        record.failures = [t for t in record.failures if moment - t < self.window] + [moment]
        if len(record.failures) >= self.max_failures:
            record.locked_until = moment + self.lockout
            record.failures = []
        self._peers[peer] = record  # re-inserted: dict order is least recently seen first
        self._bound(moment)
        return self.locked(peer)

    def _bound(self, moment: float) -> None:
        if len(self._peers) <= self.max_peers:
            return
        for peer in list(self._peers):  # least recently seen first: unlocked peers go first ...
            if len(self._peers) <= self.max_peers:
                return
            if self._peers[peer].locked_until <= moment:
                del self._peers[peer]
        while len(self._peers) > self.max_peers:  # ... then, under a flood of addresses, the oldest lockouts
            del self._peers[next(iter(self._peers))]


class GuessBudget:
    """Wrong codes for the whole session: at most ``limit`` within ``window`` seconds, from all computers together.

    The per-computer :class:`Lockout` cannot stop a guesser with thousands of addresses (its table
    is bounded); this can. A key exchange in progress holds a place in the budget
    (:meth:`reserve`) until its first sealed frame shows whether the code was right
    (:meth:`settle`), so exchanges opened all at once cannot evaluate more guesses than the budget.
    Once spent, no new exchange is evaluated until the oldest wrong code leaves the window:
    trainees already in the session carry on, and the trainer is told.
    Not thread-safe: the host's network thread owns it.
    """

    def __init__(self, limit: int = 60, window: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.pending = 0  # exchanges reserved and not yet settled
        self._failures: list[float] = []

    def _recent(self) -> list[float]:
        moment = self.clock()
        self._failures = [t for t in self._failures if moment - t < self.window]
        return self._failures

    def spent(self) -> float:
        """Seconds until an exchange may be evaluated again (0 while the budget lasts)."""
        recent = self._recent()
        over = len(recent) + self.pending - self.limit + 1  # wrong codes that must leave the window first
        if over <= 0:
            return 0.0
        if over > len(recent):  # exchanges in progress hold the rest: they settle within seconds
            return 1.0
        return max(1.0, recent[over - 1] + self.window - self.clock())

    def reserve(self) -> None:
        """An exchange begins: it holds a place until :meth:`settle`."""
        self.pending += 1

    def settle(self, wrong: bool) -> None:
        """The exchange's outcome: a wrong code is counted; a right one, or a lost connection, frees the place."""
        self.pending = max(0, self.pending - 1)
        if wrong:
            self.failure()

    def failure(self) -> None:
        self._recent().append(self.clock())


class HandshakeRate:
    """Key exchanges the host runs, for all computers together: ``rate`` a second, up to ``burst`` at once.

    Each exchange costs the host's network thread tens of milliseconds of SPAKE2 arithmetic, and a
    peer that abandons it after the host's half never sends a wrong code to count. Without a cap,
    a few computers repeating hellos would keep that thread busy and delay every trainee's acks;
    with it, a flood costs new joins a short wait ("busy"), never the trainees already in.
    Not thread-safe: the host's network thread owns it.
    """

    def __init__(self, rate: float = 20.0, burst: int = 40, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self._tokens = float(burst)
        self._at = clock()

    def take(self) -> bool:
        """True when one more exchange may run now (and counts it)."""
        moment = self.clock()
        self._tokens = min(float(self.burst), self._tokens + (moment - self._at) * self.rate)
        self._at = moment
        if self._tokens < 1.0:
            return False
        self._tokens -= 1.0
        return True
