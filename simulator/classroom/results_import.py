"""Importing many results files at once: each file on its own, so one bad file stops no other.

Every file is read with a hard size cap, verified and validated (:func:`read_results`: the
signature is the named trainee's own key), checked against the group's roster (a name not on
it is refused unless the trainer accepts such names), and every attempt is replayed and
re-scored on the trainer's own copy of the assigned scenario version (:mod:`rescore`): the
file's scores, auto-fails and outcomes are never believed. Then it is stored in its own
transaction. Attempts already imported (same attempt uid) are skipped and reported; a file whose
attempts were all imported before is reported as a duplicate.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.classroom.rescore import RescoreError, assigned_scenario, rescore
from simulator.classroom.results_file import ResultsFile, ResultsFileError, read_results
from simulator.classroom.results_schema import MAX_FILE_BYTES
from simulator.storage.classroom_records import AttemptInput, Source
from simulator.storage.database import StorageError

if TYPE_CHECKING:
    from simulator.core.model import Scenario
    from simulator.core.scoring.types import AnswerScorer
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
    not_on_roster: bool = False  # rejected only because the name is not on the roster: the trainer may accept it


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


@dataclass
class Rescorer:
    """What re-scoring needs: the trainer's scenarios and a scorer (made on first use: compiling it is slow)."""

    scenarios: Callable[[], Iterable[Scenario]]
    make_scorer: Callable[[], AnswerScorer] | None = None
    _scorer: AnswerScorer | None = None

    def scorer(self) -> AnswerScorer:
        if self._scorer is None:
            if self.make_scorer is None:
                from simulator.core.scoring.scorer import RubricScorer

                self._scorer = RubricScorer()
            else:
                self._scorer = self.make_scorer()
        return self._scorer


class NotOnRoster(ValueError):
    """The file's trainee is not a member of the assignment's group (and such names were not accepted)."""


def _check_roster(classroom: ClassroomStore, results: ResultsFile, accept_unknown: bool) -> None:
    members = {" ".join(t.name.split()).casefold() for t in classroom.members(results.assignment.group_id)}
    if results.trainee.casefold() not in members and not accept_unknown:
        raise NotOnRoster(
            f"{results.trainee} is not on the roster of {results.assignment.group_name}: add them to the group, "
            "or import with --accept-unknown (in the window: answer Yes when asked) if they belong"
        )


def _rescored(results: ResultsFile, rescorer: Rescorer) -> tuple[AttemptInput, ...]:
    scenario = assigned_scenario(results.assignment, rescorer.scenarios())
    return tuple(rescore(a, scenario, rescorer.scorer(), n) for n, a in enumerate(results.attempts, 1))


def import_file(
    classroom: ClassroomStore, path: Path, rescorer: Rescorer, *, accept_unknown: bool = False
) -> FileOutcome:
    """Import one results file; never raises for a bad file (the outcome says what happened)."""
    name = path.name
    try:
        results = read_results(_read_capped(path), classroom.assignment_by_uid)
        _check_roster(classroom, results, accept_unknown)
        attempts = _rescored(results, rescorer)
        stored = classroom.store_results(results.assignment.id, results.trainee, attempts, Source.FILE)
    except OSError as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: cannot be read ({exc.strerror or exc})")
    except NotOnRoster as exc:
        who, assignment_id = results.trainee, results.assignment.id
        return FileOutcome(
            path, FileStatus.REJECTED, f"{name}: rejected: {exc}", who, assignment_id, not_on_roster=True
        )
    except (ResultsFileError, RescoreError) as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: rejected: {exc}")
    except (ValueError, KeyError, StorageError) as exc:
        return FileOutcome(path, FileStatus.REJECTED, f"{name}: rejected: {exc}")
    title = results.assignment.scenario_title
    new, old = len(stored.attempt_ids), len(stored.duplicates)
    if new == 0:
        message = f"{name}: {stored.trainee_name}, {title}: already imported ({old} attempt{'s' * (old != 1)}), skipped"
        status = FileStatus.DUPLICATE
    else:
        message = f"{name}: {stored.trainee_name}, {title}: {new} attempt{'s' * (new != 1)} imported (re-scored here)"
        if old:
            message += f", {old} already imported and skipped"
        status = FileStatus.IMPORTED
    if stored.joined_group:
        message += f" ({stored.trainee_name} was not in {results.assignment.group_name} and was added, as you accepted)"
    return FileOutcome(path, status, message, stored.trainee_name, results.assignment.id, new, old, stored.joined_group)


def import_results_files(
    classroom: ClassroomStore, paths: Iterable[Path], rescorer: Rescorer, *, accept_unknown: bool = False
) -> ImportSummary:
    """Import every file in ``paths`` (in order); a bad file is reported, the rest go ahead."""
    return ImportSummary(tuple(import_file(classroom, Path(p), rescorer, accept_unknown=accept_unknown) for p in paths))
