"""Playing real attempts into a real database, and small real servers for the client's failure cases."""

from __future__ import annotations

import http.server
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from simulator.application.attempts import Attempts, play_through
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.store import Store
from tests.conftest import DATA


def answers(name: str) -> list[str]:
    return [line for line in (DATA / "paths" / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def play(
    store: Store,
    scenario: Scenario,
    trainee_id: int,
    path: str = "stolen-wallet--resolved_well.txt",
    *,
    mode: str = "practice",
    stop_after: int = 99,
    seconds_per_answer: float = 4.25,
) -> int:
    """An attempt played through the application layer, as the app plays it; its id."""
    attempts = Attempts(store, RubricScorer)
    lines = answers(path)[:stop_after]
    return play_through(attempts, trainee_id, scenario, lines, mode=mode, seed=3, answer_seconds=seconds_per_answer)


class FakeClock:
    """Seconds since the epoch that move only when told (the sender's backoff is tested with it)."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class MemoryKeyring:
    """A keyring backend that keeps secrets in memory: the tests never touch the real keyring."""

    name = "memory keyring"
    priority = 1

    def __init__(self) -> None:
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        del self.secrets[(service, username)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Seen:
    method: str
    path: str
    headers: Message  # names are case-insensitive, as in HTTP
    body: Any


@dataclass
class Reply:
    status: int
    body: Any = None  # JSON-serialisable, or bytes sent as they are
    headers: dict[str, str] = field(default_factory=dict)


Route = Callable[[Seen], Reply]


@contextmanager
def http_server(route: Route) -> Iterator[tuple[str, list[Seen]]]:
    """A real HTTP server on loopback answering every request with ``route``; yields (base URL, requests seen)."""
    seen: list[Seen] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw
            request = Seen(self.command, self.path, self.headers, body)
            seen.append(request)
            reply = route(request)
            data = reply.body if isinstance(reply.body, bytes) else json.dumps(reply.body).encode()
            self.send_response(reply.status)
            content_type = "text/html" if isinstance(reply.body, bytes) else "application/json"
            self.send_header("Content-Type", reply.headers.get("Content-Type", content_type))
            for name, value in reply.headers.items():
                if name != "Content-Type":
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_PUT = _handle

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/xAPI/", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
