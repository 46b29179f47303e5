"""A trainer's overrides: apply, list and undo, each with its audit row in the same transaction.

Only a name :meth:`Store.verify_trainer` returned may act (trainee sessions have none). The
scorer's verdicts are never changed; every view counts the latest override per criterion through
``outcome.attempt_score``, so an override or its undo shows everywhere at once.
"""

from __future__ import annotations

from simulator.storage.store import Override, Store


def apply(
    store: Store, attempt_id: int, turn_index: int, criterion_id: str, met: bool, comment: str, trainer: str
) -> Override:
    """Record the trainer's verdict; the override made (raises ValueError on a bad turn, criterion or comment)."""
    store.override_verdict(attempt_id, turn_index, criterion_id, met, comment, trainer)
    return _latest(store, attempt_id, turn_index, criterion_id)


def listed(store: Store, attempt_id: int) -> list[Override]:
    """Every override of the attempt, by turn and in the order made (the last per criterion counts)."""
    return store.overrides(attempt_id)


def undo(store: Store, override_id: int, trainer: str) -> Override:
    """Take an override back: the verdict before it counts again (an earlier override, or the scorer's)."""
    return store.undo_override(override_id, trainer)


def _latest(store: Store, attempt_id: int, turn_index: int, criterion_id: str) -> Override:
    mine = [o for o in store.overrides(attempt_id) if (o.turn_index, o.criterion_id) == (turn_index, criterion_id)]
    return max(mine, key=lambda o: o.id)
