"""The classroom tables: groups, assignments, classroom sessions, and which attempts answer which assignment.

Attempts stay in the ``attempts``/``turns`` tables whatever their source (played here,
received over the local network, imported from a results file, credited in a projector
session), so the progress views, the trainer's review and overrides work on them unchanged.
``assignment_attempts`` only says which assignment an attempt was made for and where it came
from; ``external_uid`` is the identity of an attempt that arrived from elsewhere, so importing
the same results file twice is recognised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils


def classroom_v1(db: sqlite_utils.Database) -> None:
    """Groups (cohorts) of trainees, assignments to groups, classroom sessions and attempt links."""
    db.execute(
        """
        CREATE TABLE groups (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            created TEXT NOT NULL
        )"""
    )
    db.execute(
        """
        CREATE TABLE group_members (
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            trainee_id INTEGER NOT NULL REFERENCES trainees(id) ON DELETE CASCADE,
            added TEXT NOT NULL,
            PRIMARY KEY (group_id, trainee_id)
        )"""
    )
    db.execute("CREATE INDEX group_members_by_trainee ON group_members(trainee_id)")
    db.execute(
        """
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            group_id INTEGER NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
            scenario_id TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('practice', 'assessment')),
            pass_threshold REAL NOT NULL CHECK (pass_threshold >= 0 AND pass_threshold <= 100),
            attempt_limit INTEGER CHECK (attempt_limit IS NULL OR attempt_limit > 0),
            due TEXT,
            created TEXT NOT NULL,
            secret TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local', 'imported'))
        )"""
    )
    db.execute("CREATE INDEX assignments_by_group ON assignments(group_id)")
    db.execute(
        """
        CREATE TABLE classroom_sessions (
            id INTEGER PRIMARY KEY,
            uid TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('projector', 'live')),
            assignment_id INTEGER REFERENCES assignments(id) ON DELETE SET NULL,
            scenario_id TEXT NOT NULL,
            scenario_hash TEXT NOT NULL,
            started TEXT NOT NULL,
            ended TEXT,
            detail TEXT NOT NULL DEFAULT '{}'
        )"""
    )
    db.execute(
        """
        CREATE TABLE assignment_attempts (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
            assignment_id INTEGER NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
            source TEXT NOT NULL CHECK (source IN ('local', 'live', 'file', 'projector')),
            external_uid TEXT UNIQUE,
            session_id INTEGER REFERENCES classroom_sessions(id) ON DELETE SET NULL,
            linked TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX assignment_attempts_by_assignment ON assignment_attempts(assignment_id)")
