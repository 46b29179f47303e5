"""The join code as a key: SPAKE2 between the trainee's app and the host, then sealed frames.

Why a password-authenticated key exchange rather than sending the code: whoever listens on the
network sees two SPAKE2 messages that say nothing about the code, and cannot test guesses
against them offline; the only way to try a code is a full handshake with the host, which counts
every wrong one (per computer and for the whole session, see :mod:`simulator.classroom.joincode`).
Both sides prove they know the code: the host by being able to open the trainee's first sealed
frame, the trainee's app by being able to open the host's welcome. A fake host without the code
gets nothing but a failed handshake.

After the exchange every frame's body is ChaCha20-Poly1305 with one key per direction (derived
with HKDF from the SPAKE2 key) and a frame counter as the nonce, so a frame cannot be read,
changed, replayed, dropped or reordered without the receiver noticing.
"""

from __future__ import annotations

import base64
import binascii

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from spake2 import SPAKE2_A, SPAKE2_B  # type: ignore[import-untyped]

from simulator.classroom.joincode import normalize

TRAINEE_ID = b"empathy-trainer live trainee"
HOST_ID = b"empathy-trainer live host"
TAG_BYTES = 16
MAX_FRAMES = 2**63  # the counter never wraps in practice; refusing beats reusing a nonce


class ChannelError(Exception):
    """A sealed frame did not open: wrong code (in the handshake), or tampered, replayed or out of order."""


def encode_pake(message: bytes) -> str:
    return base64.b64encode(message).decode("ascii")


def decode_pake(text: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ChannelError("the key exchange message is not base64") from None


class Handshake:
    """One side of the exchange: :attr:`outgoing` goes to the peer, :meth:`finish` takes the peer's."""

    def __init__(self, code: str, *, host: bool) -> None:
        password = normalize(code).encode("utf-8")
        self._host = host
        side = SPAKE2_B if host else SPAKE2_A
        self._spake = side(password, idA=TRAINEE_ID, idB=HOST_ID)
        self.outgoing: bytes = self._spake.start()

    def finish(self, incoming: bytes) -> Channel:
        """The keyed channel; raises :class:`ChannelError` when the peer's message is malformed."""
        try:
            key = self._spake.finish(incoming)
        except Exception as exc:  # the library's errors for a bad point are of several kinds, none a bug here
            raise ChannelError(f"the key exchange failed ({exc})") from None
        to_host, to_trainee = _derive(key, b"to host"), _derive(key, b"to trainee")
        return Channel(to_trainee, to_host) if self._host else Channel(to_host, to_trainee)


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(hashes.SHA256(), 32, salt=None, info=b"empathy-trainer live v3 " + purpose).derive(key)


class Channel:
    """Seals what this side sends and opens what it receives, each direction with its own key and counter.

    Not thread-safe: one thread seals (the host's network thread, or the client's send lock) and
    one thread opens.
    """

    def __init__(self, send_key: bytes, receive_key: bytes) -> None:
        self._send = ChaCha20Poly1305(send_key)
        self._receive = ChaCha20Poly1305(receive_key)
        self._sent = 0
        self._received = 0

    def seal(self, body: bytes) -> bytes:
        if self._sent >= MAX_FRAMES:
            raise ChannelError("too many frames on one connection")
        sealed = self._send.encrypt(_nonce(self._sent), body, None)
        self._sent += 1
        return sealed

    def open(self, sealed: bytes) -> bytes:
        try:
            body = self._receive.decrypt(_nonce(self._received), sealed, None)
        except InvalidTag:
            raise ChannelError("a frame did not open with this connection's key") from None
        self._received += 1
        return body


def _nonce(counter: int) -> bytes:
    return b"\x00\x00\x00\x00" + counter.to_bytes(8, "big")
