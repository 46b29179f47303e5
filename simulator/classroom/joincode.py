"""Join codes for live sessions: short, easy to read off a projector, compared in constant time.

Six characters from 31 that cannot be mistaken for one another (no 0/O, 1/I/L) give about
887 million codes. A peer that keeps guessing is locked out after a few wrong codes, so
guessing a code during a class is out of reach; the code is only a gate to join as a trainee,
and the trainer sees every join on the dashboard.
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
