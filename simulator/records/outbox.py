"""The outbox: statements waiting for the LRS, in the attempt database, surviving restarts and crashes.

A statement is added the moment it exists and stays forever; its id is the
primary key, so adding it again is a no-op, and one that was sent is never
queued again. The sender takes the due ones in the order they were made,
marks them sent once the LRS has acknowledged them, and otherwise pushes their
next try back (see :mod:`simulator.records.sender`). Times are seconds since the
epoch from the caller's clock, so tests can move time forward.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlite_utils

    from simulator.records.statements import Statement

PENDING, SENT, REJECTED = "pending", "sent", "rejected"


@dataclass(frozen=True)
class Queued:
    """A statement taken from the outbox to be sent."""

    id: str
    body: dict[str, Any]
    tries: int


@dataclass(frozen=True)
class Counts:
    pending: int = 0
    sent: int = 0
    rejected: int = 0
    last_error: str | None = None  # of the pending statement tried most recently, if its last try failed


class Outbox:
    """The ``records_outbox`` table through one connection (each thread brings its own)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def add(self, statements: Iterable[Statement], now: float) -> int:
        """Queue statements not queued before; returns how many were new."""
        created = datetime.fromtimestamp(now, UTC).isoformat()
        rows = [
            (s.id, s.attempt_id, s.role, json.dumps(s.body, ensure_ascii=False, sort_keys=True), created)
            for s in statements
        ]
        with self._transaction():
            before = self._scalar("SELECT COUNT(*) FROM records_outbox")
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO records_outbox (statement_id, attempt_id, role, body, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                rows,
            )
            return self._scalar("SELECT COUNT(*) FROM records_outbox") - before

    def due(self, now: float, limit: int) -> list[Queued]:
        """Pending statements whose next try has come, oldest first."""
        cursor = self.db.execute(
            "SELECT statement_id, body, tries FROM records_outbox WHERE status = ? AND next_try_at <= ?"
            " ORDER BY rowid LIMIT ?",
            [PENDING, now, limit],
        )
        return [Queued(r[0], json.loads(r[1]), r[2]) for r in cursor.fetchall()]

    def next_due_at(self) -> float | None:
        """When the earliest pending statement may be tried (None when nothing is pending)."""
        cursor = self.db.execute("SELECT MIN(next_try_at) FROM records_outbox WHERE status = ?", [PENDING])
        value = cursor.fetchone()[0]
        return None if value is None else float(value)

    def mark_sent(self, ids: Sequence[str], now: float, note: str | None = None) -> None:
        sent_at = datetime.fromtimestamp(now, UTC).isoformat()
        self._update(ids, "status = ?, sent_at = ?, last_error = ?", [SENT, sent_at, note])

    def mark_rejected(self, ids: Sequence[str], error: str) -> None:
        """The LRS refused these for what they are (400): kept, counted, never retried on their own."""
        self._update(ids, "status = ?, tries = tries + 1, last_error = ?", [REJECTED, error])

    def mark_failed(self, failures: Sequence[tuple[str, float]], error: str) -> None:
        """Each (id, next try at): the try did not get through; try again then."""
        with self._transaction():
            self.db.conn.executemany(
                "UPDATE records_outbox SET tries = tries + 1, next_try_at = ?, last_error = ?"
                " WHERE statement_id = ? AND status = ?",
                [(at, error, ident, PENDING) for ident, at in failures],
            )

    def retry_now(self, now: float) -> int:
        """Bring every backed-off statement forward (the LRS answered again); returns how many."""
        with self._transaction():
            cursor = self.db.execute(
                "UPDATE records_outbox SET next_try_at = ? WHERE status = ? AND next_try_at > ?", [now, PENDING, now]
            )
            return cursor.rowcount

    def retry_rejected(self) -> int:
        """Queue the rejected statements again (after the LRS or the app was fixed)."""
        with self._transaction():
            cursor = self.db.execute(
                "UPDATE records_outbox SET status = ?, next_try_at = 0 WHERE status = ?", [PENDING, REJECTED]
            )
            return cursor.rowcount

    def counts(self) -> Counts:
        rows = self.db.execute("SELECT status, COUNT(*) FROM records_outbox GROUP BY status").fetchall()
        by_status = {status: count for status, count in rows}
        last = self.db.execute(
            "SELECT last_error FROM records_outbox WHERE status = ? AND tries > 0 ORDER BY next_try_at DESC LIMIT 1",
            [PENDING],
        ).fetchone()
        return Counts(by_status.get(PENDING, 0), by_status.get(SENT, 0), by_status.get(REJECTED, 0), last and last[0])

    def status(self, statement_id: str) -> str | None:
        row = self.db.execute("SELECT status FROM records_outbox WHERE statement_id = ?", [statement_id]).fetchone()
        return None if row is None else str(row[0])

    def bodies(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """The queued body of each of ``ids`` that is in the outbox (what was or will be sent)."""
        wanted = list(ids)
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 500):  # SQLite's limit on bound parameters
            chunk = wanted[start : start + 500]
            marks = ", ".join("?" * len(chunk))
            cursor = self.db.execute(
                f"SELECT statement_id, body FROM records_outbox WHERE statement_id IN ({marks})", chunk
            )
            found.update((r[0], json.loads(r[1])) for r in cursor.fetchall())
        return found

    def queued_per_attempt(self) -> dict[int, int]:
        rows = self.db.execute(
            "SELECT attempt_id, COUNT(*) FROM records_outbox WHERE attempt_id IS NOT NULL GROUP BY attempt_id"
        ).fetchall()
        return {int(a): int(n) for a, n in rows}

    # -- internals ---------------------------------------------------------------

    def _update(self, ids: Sequence[str], assignments: str, values: list[Any]) -> None:
        with self._transaction():
            self.db.conn.executemany(
                f"UPDATE records_outbox SET {assignments} WHERE statement_id = ?", [(*values, i) for i in ids]
            )

    def _scalar(self, sql: str) -> int:
        return int(self.db.execute(sql).fetchone()[0])

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
        except BaseException:
            with suppress(sqlite3.Error):
                self.db.execute("ROLLBACK")
            raise
