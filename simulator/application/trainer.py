"""The trainer's account: whether one exists, creating it, signing in, and the audit trail.

Verifying a passphrase is a deliberate scrypt (tens of milliseconds and more on slow
machines): the desktop runs these on its worker so the window keeps drawing meanwhile.
"""

from __future__ import annotations

from typing import Any

from simulator.storage.store import Store


def has_trainer(store: Store) -> bool:
    """Whether a passphrase is set: the gate asks to sign in, else to create the account."""
    return store.has_trainer()


def create(store: Store, name: str, passphrase: str) -> str:
    """Create the one trainer account; the trainer's name (raises ValueError on a bad name or
    passphrase, or when an account exists already: a trainee cannot take it over)."""
    store.set_trainer_passphrase(name, passphrase)
    return " ".join(name.split())


def sign_in(store: Store, passphrase: str) -> str | None:
    """The trainer's name when the passphrase is right, else None."""
    return store.verify_trainer(passphrase)


def audit(store: Store, trainer: str, action: str, detail: dict[str, Any], attempt_id: int | None = None) -> None:
    """One row in the audit trail: what a trainer did (saved, published, configured)."""
    store.record_audit(trainer, action, detail, attempt_id)
