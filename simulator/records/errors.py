"""What can go wrong talking to an LRS, by kind; light to import (the HTTP client is not)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Problem(StrEnum):
    BAD_ADDRESS = "bad address"
    DNS = "DNS"
    REFUSED = "refused"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    TLS_CERTIFICATE = "TLS certificate"
    TLS = "TLS"
    CONNECTION = "connection"
    REDIRECT = "redirect"
    BAD_CREDENTIALS = "bad credentials"
    FORBIDDEN = "forbidden"
    NOT_AN_LRS = "not an LRS"
    WRONG_VERSION = "wrong xAPI version"
    CONFLICT = "conflict"
    REJECTED = "rejected"
    THROTTLED = "throttled"
    SERVER = "server error"


# Problems of the statements themselves: retrying the same request cannot help.
CONTENT_PROBLEMS = frozenset({Problem.CONFLICT, Problem.REJECTED})


class LrsError(Exception):
    def __init__(self, problem: Problem, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.problem = problem
        self.message = message
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class Check:
    """What "Test connection" found: ``ok``, and a sentence for the person."""

    ok: bool
    message: str
    problem: Problem | None = None
    versions: list[str] = field(default_factory=list)
