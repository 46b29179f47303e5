"""Importing many results files at once: each file on its own, so one bad file stops no other.

Every file is read with a hard size cap, verified and validated (:func:`read_results`), then
stored in its own transaction. Attempts already imported (same attempt uid) are skipped and
reported; a file whose attempts were all imported before is reported as a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.classroom.results_file import ResultsFileError, read_results
from simulator.classroom.results_schema import MAX_FILE_BYTES
from simulator.storage.classroom_records import Source
from simulator.storage.database import StorageError

if TYPE_CHECKING:
    from simulator.storage.classroom import ClassroomStore


class FileStatus(StrEnum):
    IMPORTED = "imported"  # at least one new attempt stored
    DUPLICATE = "duplicate"  # every attempt in it was imported before: nothing new
    REJECTED = "rejected"  # nothing stored; ``message`` says why


@dataclass(frozen=True)
class FileOutcome:
    path: Path
    status: FileStatus
    message: str  # one line for the trainer, starting with the file name
    trainee: str | None = None
    assignment_id: int | None = None
    imported: int = 0
    duplicates: int = 0
    joined_group: bool = False


@dataclass(frozen=True)
class ImportSummary:
    files: tuple[FileOutcome, ...]

    def count(self, status: FileStatus) -> int:
        return sum(1 for f in self.files if f.status is status)

    @property
    def attempts_imported(self) -> int:
        return sum(f.imported for f in self.files)

    def headline(self) -> str:
        """E.g. "8 files imported (23 attempts), 1 already imported, 1 rejected"."""
        parts = [f"{self.count(FileStatus.IMPORTED)} files imported ({self.attempts_imported} attempts)"]
        if self.count(FileStatus.DUPLICATE):
            parts.append(f"{self.count(FileStatus.DUPLICATE)} already imported")
        if self.count(FileStatus.REJECTED):
            parts.append(f"{self.count(FileStatus.REJECTED)} rejected")
        return ", ".join(parts)


def _read_capped(path: Path) -> bytes:
    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ResultsFileError(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: not a results file")
    return data


def import_file(classroom: ClassroomStore, path: Path) -> FileOutcome:
    """Import one results file; never raises for a bad file (the outcome says what happened)."""
    name = path.name
    try:
        results = read_results(_read_capped(path), classroom.assignment_by_uid)
        stored = classroom.store_results(results.assignment.id, results.trainee, results.attempts, Source.FILE)
    except OSError as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: cannot be read ({exc.strerror or exc})")
    except ResultsFileError as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: rejected: {exc}")
    except (ValueError, KeyError, StorageError) as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: rejected: {exc}")
    title = results.assignment.scenario_title
    new, old = len(stored.attempt_ids), len(stored.duplicates)
    if new == 0:
        message = f"{name}: {stored.trainee_name}, {title}: already imported ({old} attempt{'s' * (old != 1)}), skipped"
        status = FileStatus.DUPLICATE
    else:
        message = f"{name}: {stored.trainee_name}, {title}: {new} attempt{'s' * (new != 1)} imported"
        if old:
            message += f", {old} already imported and skipped"
        status = FileStatus.IMPORTED
    if stored.joined_group:
        message += f" ({stored.trainee_name} was not in {results.assignment.group_name} and was added)"
    return FileOutcome(path, status, message, stored.trainee_name, results.assignment.id, new, old, stored.joined_group)


def import_results_files(classroom: ClassroomStore, paths: Iterable[Path]) -> ImportSummary:
    """Import every file in ``paths`` (in order); a bad file is reported, the rest go ahead."""
    return ImportSummary(tuple(import_file(classroom, Path(p)) for p in paths))
