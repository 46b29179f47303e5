"""The records the use cases take and return, for the UI and the command line to name.

Each is defined once, in storage, beside the SQL that fills it; this module only re-exports
them, so the shells never import storage (an import rule in pyproject.toml holds them to it).
"""

from __future__ import annotations

from simulator.storage.classroom_records import (
    Assignment,
    AssignmentStatus,
    ClassroomSession,
    Group,
    Status,
    TurnInput,
)
from simulator.storage.database import StorageError
from simulator.storage.store import (
    AttemptRecord,
    AuditEntry,
    Override,
    ReviewRow,
    ScenarioStats,
    SpokenAnswer,
    Trainee,
    TurnRecord,
    effective_met,
    now,
)

__all__ = [
    "Assignment",
    "AssignmentStatus",
    "AttemptRecord",
    "AuditEntry",
    "ClassroomSession",
    "Group",
    "Override",
    "ReviewRow",
    "ScenarioStats",
    "SpokenAnswer",
    "Status",
    "StorageError",
    "Trainee",
    "TurnInput",
    "TurnRecord",
    "effective_met",
    "now",
]
