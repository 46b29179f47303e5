"""What a trainee's pages read and change: profiles, the library's record, progress, recordings."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simulator.core.model import Scenario
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import AssignmentStatus
from simulator.storage.store import AttemptRecord, ScenarioStats, Store, Trainee


def listed(store: Store) -> list[Trainee]:
    """Every trainee on this computer, by name."""
    return store.trainees()


def add(store: Store, name: str) -> Trainee:
    """The trainee of that name, made if new (raises ValueError for an empty name)."""
    return store.add_trainee(name)


def open_and_list(store: Store) -> list[Trainee]:
    """Open the database (migrating it) and list the trainees: the first thing the app does."""
    store.open()
    return store.trainees()


@dataclass(frozen=True)
class LibraryRecord:
    """What the library shows of one trainee: per-scenario stats, unfinished attempts (newest
    first), assignments, and which assigned scenarios are on this computer."""

    stats: dict[str, ScenarioStats]
    unfinished: list[AttemptRecord]
    assignments: list[AssignmentStatus]
    available: set[str]


def library(store: Store, trainee_id: int, scenarios: Iterable[Scenario]) -> LibraryRecord:
    assignments = ClassroomStore(store).assignments_for(trainee_id)
    available = {s.id for s in scenarios} if assignments else set()
    return LibraryRecord(store.scenario_stats(trainee_id), store.unfinished(trainee_id), assignments, available)


def attempts(store: Store, trainee_id: int) -> list[AttemptRecord]:
    """The trainee's attempts, newest first, with overrides counted (the progress page, exports)."""
    return store.attempts(trainee_id)


def delete_recordings(store: Store, trainee_id: int) -> int:
    """Delete the trainee's kept recordings (the answers' text and scores stay); how many went."""
    return store.delete_recordings(trainee_id)
