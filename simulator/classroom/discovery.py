"""Finding the trainer's app on the local network: the addresses to show, and optional UDP beacons.

The default is no discovery: the projector shows the host's address and the join code, and
trainees type both. Optionally the host broadcasts a small beacon every few seconds (its
session title and port, never the code) and trainees' apps list the sessions they hear; the
code is still needed to join. Beacons are plain UDP on the local segment, not routed.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import time
from dataclasses import dataclass

from simulator.core.checks import Int, Invalid, Obj, Str, check, loads

DISCOVERY_PORT = 47811
BEACON_TYPE = "empathy-trainer/beacon"
MAX_BEACON = 1024
BEACON = Obj(
    {"type": Str(40, choices=frozenset({BEACON_TYPE})), "v": Int(1, 1), "title": Str(200), "port": Int(1, 65535)}
)


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses that other machines can reach (loopback last, as a fallback)."""
    found: list[str] = []
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("10.255.255.255", 1))  # no packet is sent: this only picks the outgoing interface
        found.append(probe.getsockname()[0])
    with contextlib.suppress(OSError):
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if address not in found:
                found.append(address)
    usable = [a for a in found if not a.startswith("127.") and a != "0.0.0.0"]
    return usable or ["127.0.0.1"]


def interface_choices() -> list[str]:
    """Where the trainer may host a session: the default route's address first, loopback always last.

    Loopback ("this computer only") is listed so a trainer can try a session out on one machine;
    never a wildcard: the host listens on the one address that trainees type.
    """
    lan = [a for a in local_addresses() if not a.startswith("127.")]
    return [*lan, "127.0.0.1"]


@dataclass(frozen=True)
class Beacon:
    title: str
    host: str
    port: int


def beacon_bytes(title: str, port: int) -> bytes:
    data = json.dumps({"type": BEACON_TYPE, "v": 1, "title": title[:200], "port": port}, ensure_ascii=False).encode()
    if len(data) > MAX_BEACON:
        raise ValueError("the session title is too long for a beacon")
    return data


def parse_beacon(data: bytes, sender: str) -> Beacon | None:
    """A beacon heard from ``sender``, or None for anything else (which is ignored)."""
    if len(data) > MAX_BEACON:
        return None
    try:
        message = loads(data)
        check(message, BEACON)
    except Invalid:
        return None
    return Beacon(message["title"], sender, message["port"])


class BeaconSender:
    """Broadcasts the session's beacon every ``interval`` seconds until :meth:`stop`."""

    def __init__(
        self, title: str, port: int, *, target: tuple[str, int] = ("<broadcast>", DISCOVERY_PORT), interval: float = 2.0
    ) -> None:
        self.payload = beacon_bytes(title, port)
        self.target = target
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="live-beacon", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(self.interval + 1)

    def _run(self) -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
            while not self._stop.is_set():
                with contextlib.suppress(OSError):  # no network right now: try again next time
                    sock.sendto(self.payload, self.target)
                self._stop.wait(self.interval)


def listen_for_sessions(seconds: float, *, bind: tuple[str, int] = ("", DISCOVERY_PORT)) -> list[Beacon]:
    """Sessions heard within ``seconds`` (one entry per host and port), for the trainee to choose from."""
    heard: dict[tuple[str, int], Beacon] = {}
    deadline = time.monotonic() + seconds
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(bind)
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data, sender = sock.recvfrom(MAX_BEACON + 1)
            except TimeoutError:
                break
            beacon = parse_beacon(data, str(sender[0]))
            if beacon is not None:
                heard[(beacon.host, beacon.port)] = beacon
    return sorted(heard.values(), key=lambda b: (b.title.casefold(), b.host, b.port))
