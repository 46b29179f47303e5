"""Learning records' tables: the outbox of xAPI statements and the LRS settings.

The outbox keeps every statement the app ever made, sent or not: its id is the
primary key, so enqueueing the same statement again (after a crash, on resume,
when an export regenerates it) is a no-op and a statement once sent is never
queued a second time. Rows are never deleted by the app.

``attempt_id`` has no foreign key on purpose: a discarded attempt's records
already happened and may already be in the organisation's LRS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def records_tables(db: sqlite_utils.Database) -> None:
    """Learning records (xAPI): the statement outbox and the LRS settings (see simulator/records)."""
    # IF NOT EXISTS: this migration may sit at any position in MIGRATIONS beside other features'.
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS records_outbox (
            statement_id TEXT PRIMARY KEY,
            attempt_id INTEGER,
            role TEXT NOT NULL,
            body TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'rejected')),
            tries INTEGER NOT NULL DEFAULT 0,
            next_try_at REAL NOT NULL DEFAULT 0,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        )"""
    )
    db.execute("CREATE INDEX IF NOT EXISTS records_outbox_due ON records_outbox(status, next_try_at)")
    db.execute("CREATE INDEX IF NOT EXISTS records_outbox_by_attempt ON records_outbox(attempt_id)")
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS records_settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )"""
    )
