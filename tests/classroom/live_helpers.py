"""Helpers for live-session tests: waiting on a condition, raw sockets that speak (or abuse) the protocol."""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from typing import Any

from simulator.classroom.protocol import MAX_HOST_MESSAGE, PROTOCOL_VERSION, Decoder, encode, parse_host_message
from simulator.core.checks import Invalid


def wait_for(condition: Callable[[], bool], timeout: float = 20.0, what: str = "condition") -> None:
    """Poll until ``condition()`` holds; a generous timeout only guards against a hung test."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def raw(address: tuple[str, int], source: str | None = None) -> socket.socket:
    sock = socket.create_connection(address, timeout=10, source_address=(source, 0) if source else None)
    return sock


def frame(message: dict[str, Any]) -> bytes:
    return encode(message)


def hello(code: str, name: str, version: int = PROTOCOL_VERSION) -> bytes:
    return encode({"type": "hello", "v": version, "code": code, "name": name})


def read_until_closed(sock: socket.socket, timeout: float = 20.0) -> list[dict[str, Any]]:
    """Every message the host sends until it closes the connection (a reset counts as closed)."""
    decoder = Decoder(MAX_HOST_MESSAGE)
    messages: list[dict[str, Any]] = []
    sock.settimeout(timeout)
    while True:
        try:
            data = sock.recv(65536)
        except ConnectionResetError:
            break
        if not data:
            break
        for body in decoder.feed(data):
            messages.append(parse_host_message(body))
    sock.close()
    return messages


def read_one(sock: socket.socket, timeout: float = 20.0) -> dict[str, Any]:
    """The next message from the host (the connection stays open)."""
    decoder = Decoder(MAX_HOST_MESSAGE)
    sock.settimeout(timeout)
    while True:
        data = sock.recv(65536)
        if not data:
            raise AssertionError("the host closed the connection")
        bodies = decoder.feed(data)
        if bodies:
            if len(bodies) > 1:
                raise AssertionError("more than one message arrived at once")
            try:
                return parse_host_message(bodies[0])
            except Invalid as exc:
                raise AssertionError(f"the host sent an invalid message: {exc}") from None
