"""Optional discovery: beacons carry a title and a port (never the code); anything else heard is ignored."""

from __future__ import annotations

import socket
import threading

from simulator.classroom.discovery import (
    Beacon,
    BeaconSender,
    beacon_bytes,
    listen_for_sessions,
    local_addresses,
    parse_beacon,
)


def test_beacons_parse_and_junk_is_ignored() -> None:
    assert parse_beacon(beacon_bytes("Stolen wallet", 4242), "10.0.0.7") == Beacon("Stolen wallet", "10.0.0.7", 4242)
    assert b"code" not in beacon_bytes("Stolen wallet", 4242)
    for junk in (
        b"",
        b"\xff" * 50,
        b'{"type": "empathy-trainer/beacon", "v": 1, "title": "x", "port": 0}',
        b"x" * 2000,
    ):
        assert parse_beacon(junk, "10.0.0.7") is None


def test_a_listener_hears_a_sender_on_loopback() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sender = BeaconSender("Cohort A: stolen wallet", 5555, target=("127.0.0.1", port), interval=0.05)

    def noise() -> None:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(b"noise", ("127.0.0.1", port))

    noisy = threading.Thread(target=noise)
    sender.start()
    noisy.start()
    try:
        heard = listen_for_sessions(1.0, bind=("127.0.0.1", port))
    finally:
        sender.stop()
        noisy.join()
    assert heard == [Beacon("Cohort A: stolen wallet", "127.0.0.1", 5555)]


def test_local_addresses_gives_something_to_show() -> None:
    addresses = local_addresses()
    assert addresses and all(a.count(".") == 3 for a in addresses)
