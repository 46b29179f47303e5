"""Opening the attempt database: WAL, foreign keys, forward migrations, and clear errors.

Every turn is committed the moment it is scored, so the database is opened
in WAL mode with ``synchronous=FULL``: a committed turn survives the app
being killed and the machine losing power. Problems with the file (locked by
another copy of the app, read-only, corrupt) become a :class:`StorageError`
that names the file and says what to do, for the UI to show in a dialog.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Callable, Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from simulator.storage.classroom_schema import classroom_v1
from simulator.storage.records_schema import records_tables

if TYPE_CHECKING:
    import sqlite_utils

BUSY_TIMEOUT_MS = 5000

_Record = TypeVar("_Record")


def from_row(record: type[_Record], row: Mapping[str, Any], **values: Any) -> _Record:
    """A ``record`` dataclass from a query row: ``values`` for the fields given here (converted,
    or read from a column of another name); every other field without a default from the column
    of its own name (a missing column is a ``KeyError``). Fields with a default that ``values``
    does not name keep their default, whatever columns the row has."""
    assert dataclasses.is_dataclass(record)
    for field in dataclasses.fields(record):
        plain = field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        if plain and field.init and field.name not in values:
            values[field.name] = row[field.name]
    return record(**values)


class Problem(StrEnum):
    LOCKED = "locked"
    READ_ONLY = "read-only"
    CORRUPT = "corrupt"
    UNAVAILABLE = "unavailable"
    TOO_NEW = "too-new"


_ADVICE = {
    Problem.LOCKED: "Another copy of Empathy Trainer (or another program) is using it. Close it and try again.",
    Problem.READ_ONLY: "Empathy Trainer cannot write to it. Check the file's permissions and that the disk is not "
    "full or mounted read-only, or start with --data-dir pointing to a folder you can write to.",
    Problem.CORRUPT: "The file is damaged. Move it aside (your scenarios are not affected) and restart to begin a "
    "new history, or restore it from a backup.",
    Problem.UNAVAILABLE: "The folder may be missing or not writable. Start with --data-dir pointing to a folder you "
    "can write to.",
    Problem.TOO_NEW: "It was written by a newer version of Empathy Trainer. Update the app to open it.",
}


class StorageError(Exception):
    """The database could not be used; ``path``, ``problem`` and ``advice`` are for the person."""

    def __init__(self, path: Path, problem: Problem, detail: str = "") -> None:
        self.path = path
        self.problem = problem
        self.detail = detail
        self.advice = _ADVICE[problem]
        super().__init__(f"{path}: the database is {problem.value}. {self.advice}" + (f" ({detail})" if detail else ""))


def classify(error: sqlite3.Error) -> Problem:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return Problem.LOCKED
    if "readonly" in text or "read-only" in text or "read only" in text:
        return Problem.READ_ONLY
    if "not a database" in text or "malformed" in text or "corrupt" in text or "encrypted" in text:
        return Problem.CORRUPT
    return Problem.UNAVAILABLE


def _v1(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE trainees (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE attempts (
            id INTEGER PRIMARY KEY,
            trainee_id INTEGER NOT NULL REFERENCES trainees(id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
            seed INTEGER NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            finished INTEGER NOT NULL DEFAULT 0,
            outcome TEXT,
            ending_id TEXT,
            score REAL,
            auto_failed INTEGER NOT NULL DEFAULT 0,
            criteria TEXT NOT NULL DEFAULT '{}',
            snapshot TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX attempts_by_trainee ON attempts(trainee_id, started)")
    db.execute("CREATE INDEX attempts_by_scenario ON attempts(trainee_id, scenario_id)")
    db.execute(
        """
        CREATE TABLE turns (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            node_id TEXT NOT NULL,
            customer_line TEXT NOT NULL,
            answer TEXT NOT NULL,
            input_mode TEXT NOT NULL DEFAULT 'text',
            shown_at TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            response_seconds REAL NOT NULL,
            score REAL NOT NULL,
            criteria TEXT NOT NULL,
            mood_before INTEGER NOT NULL,
            mood_after INTEGER NOT NULL,
            transition TEXT NOT NULL,
            target TEXT NOT NULL,
            UNIQUE (attempt_id, idx)
        )"""
    )


def _v2(db: sqlite_utils.Database) -> None:
    """Spoken answers: what the recogniser heard (the answer column holds what the trainee sent),
    the recording's file (relative to the data folder), how long the trainee spoke (first word to
    last) and how long after the customer's line the first word came."""
    db.execute("ALTER TABLE turns ADD COLUMN recognized_text TEXT")
    db.execute("ALTER TABLE turns ADD COLUMN recording TEXT")
    db.execute("ALTER TABLE turns ADD COLUMN audio_seconds REAL")
    db.execute("ALTER TABLE turns ADD COLUMN speech_start REAL")


def _v3(db: sqlite_utils.Database) -> None:
    """Trainer studio: trainer accounts (a salted scrypt hash only, never the passphrase), trainers'
    overrides of the scorer's verdicts (the scorer's own verdict stays in ``turns.criteria``; an
    override row sits beside it, so both can be shown and the original is never lost), and an audit
    trail of what trainers did. Audit rows outlive the attempts they mention (``SET NULL``)."""
    db.execute(
        """
        CREATE TABLE trainer (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            passphrase_hash BLOB NOT NULL,
            salt BLOB NOT NULL,
            scrypt_n INTEGER NOT NULL,
            scrypt_r INTEGER NOT NULL,
            scrypt_p INTEGER NOT NULL,
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE overrides (
            id INTEGER PRIMARY KEY,
            attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
            turn_idx INTEGER NOT NULL,
            criterion_id TEXT NOT NULL,
            original_met INTEGER NOT NULL CHECK (original_met IN (0, 1)),
            met INTEGER NOT NULL CHECK (met IN (0, 1)),
            comment TEXT NOT NULL CHECK (length(trim(comment)) > 0),
            trainer TEXT NOT NULL,
            at TEXT NOT NULL,
            FOREIGN KEY (attempt_id, turn_idx) REFERENCES turns(attempt_id, idx) ON DELETE CASCADE
        )"""
    )
    db.execute("CREATE INDEX overrides_by_attempt ON overrides(attempt_id, turn_idx)")
    db.execute(
        """
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            trainer TEXT NOT NULL,
            action TEXT NOT NULL,
            attempt_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
            detail TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute("CREATE INDEX audit_by_time ON audit(at)")
    db.execute("CREATE INDEX audit_by_attempt ON audit(attempt_id)")


# Forward migrations: MIGRATIONS[n] takes a database at version n to n + 1. Never edit a released one.
MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [_v1, _v2, _v3, records_tables, classroom_v1]
SCHEMA_VERSION = len(MIGRATIONS)


def open_database(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``; raises :class:`StorageError`."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(path, Problem.UNAVAILABLE, exc.strerror or str(exc)) from None
    try:
        # One background worker uses the connection at a time, possibly from different pool threads.
        conn = sqlite3.connect(str(path), timeout=busy_timeout_ms / 1000, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StorageError(path, classify(exc), str(exc)) from None
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        check = conn.execute("PRAGMA quick_check").fetchone()
        if check and check[0] != "ok":
            raise StorageError(path, Problem.CORRUPT, str(check[0]))
        if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0].lower() != "wal":
            raise StorageError(path, Problem.READ_ONLY, "cannot switch to WAL mode")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        import sqlite_utils  # here, not at the top: the window opens before the database (start-up time)

        db = sqlite_utils.Database(conn)
        _migrate(db, path)
        return db
    except StorageError:
        conn.close()
        raise
    except sqlite3.Error as exc:
        conn.close()
        raise StorageError(path, classify(exc), str(exc)) from None


def _migrate(db: sqlite_utils.Database, path: Path) -> None:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise StorageError(path, Problem.TOO_NEW, f"schema version {version}, this app knows {SCHEMA_VERSION}")
    for number in range(version, SCHEMA_VERSION):
        db.execute("BEGIN IMMEDIATE")
        try:
            MIGRATIONS[number](db)
            db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
