"""The trainer's assignment-signing key, and the trainers' keys a trainee's app has come to trust.

The trainer's Ed25519 private key is made once, on first export, and kept beside the database
in ``classroom-signing.key`` (PKCS#8, readable by the owner only). Anyone who can read the
trainer's data folder can read it and sign assignment files as that trainer: it protects
trainees from files made by *someone else* (a classmate's planted file), not from a person who
has the trainer's account. docs/classroom.md says so.

On a trainee's machine ``trusted-trainers.json`` pins, per group, the public key of the first
signed assignment file adopted for it (trust on first use); the app shows its fingerprint so the
trainee can compare it with the one the trainer's app shows.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from simulator.core.atomic import write_atomically

KEY_FILE = "classroom-signing.key"
TRUST_FILE = "trusted-trainers.json"
MAX_TRUST_BYTES = 1_000_000


def fingerprint(public_hex: str) -> str:
    """What a person compares: the first 80 bits of the key's SHA-256, in groups of four."""
    digest = hashlib.sha256(bytes.fromhex(public_hex)).hexdigest()[:20].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 20, 4))


def public_hex(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return raw.hex()


def _write_private(path: Path, data: bytes) -> None:
    write_atomically(path, data, private=True)


def signing_key(data_dir: Path) -> Ed25519PrivateKey:
    """The trainer's key, made on first use; ValueError when the stored one is damaged (never replaced silently:
    trainees' apps trust the old one, so a new key would make every later file look forged)."""
    path = data_dir / KEY_FILE
    if path.exists():
        try:
            key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        except ValueError:
            raise ValueError(f"{path} is damaged: restore it from a backup to keep signing assignment files") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError(f"{path} is not an Ed25519 key")
        return key
    key = Ed25519PrivateKey.generate()
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_private(
        path,
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
    )
    return key


def _trusted(data_dir: Path) -> dict[str, str]:
    path = data_dir / TRUST_FILE
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_TRUST_BYTES + 1)
        data = json.loads(raw) if len(raw) <= MAX_TRUST_BYTES else {}
    except (OSError, ValueError):
        return {}
    return (
        {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}
    )


def trusted_key(data_dir: Path, group_uid: str) -> str | None:
    """The public key (hex) pinned for the group, or None before its first signed file."""
    return _trusted(data_dir).get(group_uid)


def trust(data_dir: Path, group_uid: str, key_hex: str) -> None:
    """Pin ``key_hex`` for the group (first use)."""
    pinned = _trusted(data_dir)
    pinned[group_uid] = key_hex
    data_dir.mkdir(parents=True, exist_ok=True)
    _write_private(data_dir / TRUST_FILE, json.dumps(pinned, sort_keys=True, indent=1).encode())
