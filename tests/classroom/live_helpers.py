"""Helpers for live-session tests: waiting on a condition, raw sockets that speak (or abuse) the protocol.

Protocol 3 keys each connection with SPAKE2 (:mod:`simulator.classroom.channel`), so a raw test
peer that wants to get past the hello runs the same exchange: :func:`handshake` gives a
:class:`Peer` whose frames are sealed with the connection's keys, and which can also send
whatever bytes a hostile trainee would (tampered, replayed or clear frames).
"""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from typing import Any

from simulator.classroom.channel import Channel, ChannelError, Handshake, decode_pake, encode_pake
from simulator.classroom.protocol import (
    MAX_CLIENT_MESSAGE,
    MAX_HOST_MESSAGE,
    PROTOCOL_VERSION,
    SEAL_OVERHEAD,
    Decoder,
    encode,
    parse_client_message,
    parse_host_message,
)
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


def sealed_frame(channel: Channel, message: dict[str, Any]) -> bytes:
    body = channel.seal(encode(message)[4:])
    return len(body).to_bytes(4, "big") + body


def hello(handshake: Handshake, version: int = PROTOCOL_VERSION) -> bytes:
    """This protocol's clear first frame: the version and the trainee's SPAKE2 message."""
    return encode({"type": "hello", "v": version, "pake": encode_pake(handshake.outgoing)})


def legacy_hello(code: str, name: str, version: int = 1) -> bytes:
    """The hello of protocols 1 and 2: the code and the name in clear (what an older app sends)."""
    return encode({"type": "hello", "v": version, "code": code, "name": name})


def not_connected(host: Any, name: str) -> bool:
    """The trainee ``name`` has no connected row: left (or forgotten, when they left without answering)."""
    return not any(r.name == name and r.connected for r in host.dashboard().rows)


class Peer:
    """A raw trainee after the key exchange: sealed frames out, sealed (or clear) replies in."""

    def __init__(self, sock: socket.socket, channel: Channel, decoder: Decoder) -> None:
        self.sock = sock
        self.channel = channel
        self.decoder = decoder
        self.pending: list[bytes] = []
        self.clear: list[dict[str, Any]] = []  # replies that came unsealed (a refusal before the keys matched)
        self.sent: list[bytes] = []  # every sealed frame sent, to replay one

    def send(self, message: dict[str, Any]) -> bytes:
        data = sealed_frame(self.channel, message)
        self.sent.append(data)
        self.sock.sendall(data)
        return data

    def send_raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def join(self, name: str, token: str | None = None) -> dict[str, Any]:
        message: dict[str, Any] = {"type": "join", "name": name}
        if token is not None:
            message["token"] = token
        self.send(message)
        return self.read_one()

    def _parse(self, body: bytes) -> dict[str, Any]:
        try:
            return parse_host_message(self.channel.open(body))
        except ChannelError:
            message = parse_host_message(body)
            self.clear.append(message)
            return message

    def read_one(self, timeout: float = 20.0) -> dict[str, Any]:
        """The next message from the host (the connection stays open)."""
        self.sock.settimeout(timeout)
        while not self.pending:
            data = self.sock.recv(65536)
            if not data:
                raise AssertionError("the host closed the connection")
            self.pending = self.decoder.feed(data)
        try:
            return self._parse(self.pending.pop(0))
        except Invalid as exc:
            raise AssertionError(f"the host sent an invalid message: {exc}") from None

    def read_until_closed(self, timeout: float = 20.0) -> list[dict[str, Any]]:
        """Every message until the host closes the connection (a reset counts as closed)."""
        messages = [self._parse(b) for b in self.pending]
        self.pending = []
        self.sock.settimeout(timeout)
        while True:
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                break
            if not data:
                break
            messages += [self._parse(b) for b in self.decoder.feed(data)]
        self.sock.close()
        return messages

    def close(self) -> None:
        self.sock.close()


def _exchange(address: tuple[str, int], code: str, source: str | None) -> Peer | dict[str, Any]:
    """Send the hello with ``code`` and read the host's first answer: a keyed peer, or the refusal."""
    sock = raw(address, source)
    exchange = Handshake(code, host=False)
    sock.sendall(hello(exchange))
    decoder = Decoder(MAX_HOST_MESSAGE + SEAL_OVERHEAD)
    sock.settimeout(20)
    frames: list[bytes] = []
    while not frames:
        data = sock.recv(65536)
        if not data:
            raise AssertionError("the host closed the connection during the key exchange")
        frames = decoder.feed(data)
    reply = parse_host_message(frames.pop(0))
    if reply["type"] != "pake":
        sock.close()
        return reply
    peer = Peer(sock, exchange.finish(decode_pake(reply["pake"])), decoder)
    peer.pending = frames
    return peer


def handshake(address: tuple[str, int], code: str, source: str | None = None) -> Peer:
    """Connect and run the key exchange with ``code`` (right or wrong: a wrong one shows at the join)."""
    peer = _exchange(address, code, source)
    if not isinstance(peer, Peer):
        raise AssertionError(f"the host refused the hello: {peer}")
    return peer


def joined(address: tuple[str, int], code: str, name: str, source: str | None = None) -> tuple[Peer, dict[str, Any]]:
    """A raw peer that has joined as ``name``, and the welcome (which must come)."""
    peer = handshake(address, code, source)
    welcome = peer.join(name)
    if welcome["type"] != "welcome":
        raise AssertionError(f"{name} was not welcomed: {welcome}")
    return peer, welcome


def read_until_closed(sock: socket.socket, timeout: float = 20.0) -> list[dict[str, Any]]:
    """Every clear message the host sends until it closes the connection (a reset counts as closed)."""
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


class FakeHost:
    """The host's side of the exchange on an accepted socket, for tests of the trainee's app against odd hosts."""

    def __init__(self, conn: socket.socket, code: str) -> None:
        self.conn = conn
        self.decoder = Decoder(MAX_CLIENT_MESSAGE + SEAL_OVERHEAD)
        self.pending: list[bytes] = []
        first = self._next()
        message = json.loads(first)
        exchange = Handshake(code, host=True)
        self.channel = exchange.finish(decode_pake(message["pake"]))
        conn.sendall(encode({"type": "pake", "v": PROTOCOL_VERSION, "pake": encode_pake(exchange.outgoing)}))

    def _next(self) -> bytes:
        while not self.pending:
            data = self.conn.recv(65536)
            if not data:
                raise AssertionError("the trainee's app closed the connection")
            self.pending = self.decoder.feed(data)
        return self.pending.pop(0)

    def receive(self) -> dict[str, Any]:
        return parse_client_message(self.channel.open(self._next()))

    def send(self, message: dict[str, Any]) -> None:
        self.conn.sendall(sealed_frame(self.channel, message))


def try_code(address: tuple[str, int], code: str, name: str, source: str | None = None) -> dict[str, Any]:
    """One join attempt as a guesser makes it: the host's first answer (a refusal, or the welcome)."""
    peer = _exchange(address, code, source)
    if not isinstance(peer, Peer):
        return peer
    answer = peer.join(name)
    peer.close()
    return answer
