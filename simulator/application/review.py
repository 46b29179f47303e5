"""What the studio's review page reads: attempts to review, their turns, the audit trail.

Overrides themselves are :mod:`simulator.application.overrides`.
"""

from __future__ import annotations

from datetime import datetime

from simulator.storage.store import AuditEntry, ReviewRow, Store, TurnRecord


def attempts(
    store: Store,
    trainee_id: int | None = None,
    scenario_id: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    mode: str | None = None,
) -> list[ReviewRow]:
    """Attempts of every trainee, newest first, overrides counted; each filter narrows when given."""
    return store.review_attempts(trainee_id, scenario_id, since, until, mode)


def turns(store: Store, attempt_id: int) -> list[TurnRecord]:
    return store.turns(attempt_id)


def audit_log(store: Store, limit: int = 200) -> list[AuditEntry]:
    return store.audit_log(limit)
