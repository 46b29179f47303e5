"""File work behind the trainee's Class menu, run on the worker: nothing here touches a widget.

Reading an assignment file keeps its assignment (and, when the file carries it and this
computer lacks it, the scenario); exporting writes the signed results file in one go, so a
half-written file never reaches the trainer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.classroom.assignment_file import AssignmentFileError, check_scenario_text
from simulator.core.atomic import write_atomically

if TYPE_CHECKING:
    from simulator.application.compose import Store
    from simulator.application.data import Assignment
    from simulator.core.catalog import Catalog


@dataclass(frozen=True)
class Adopted:
    """An assignment kept on this computer, and a note about its scenario when there is one to make."""

    assignment: Assignment
    note: str | None


@dataclass(frozen=True)
class Exported:
    path: Path
    attempts: int


def read_capped(path: Path, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes: enough to tell a file that is too large without reading it all."""
    with path.open("rb") as handle:
        return handle.read(limit + 1)


def install_scenario(catalog: Catalog, assignment: Assignment, text: str | None) -> str | None:
    """Make the assigned scenario playable here; returns a note for the trainee, or None when all is well.

    A scenario this computer lacks is written (from the assignment's text, already checked
    against its hash) into the first scenario folder, as the studio does; a different local
    version is left alone: the trainee's attempts still count for the assignment.
    """
    known = {s.id: s for s in catalog.scenarios}
    local = known.get(assignment.scenario_id)
    if local is not None:
        if local.content_hash != assignment.scenario_hash:
            return (
                f"Your copy of “{assignment.title}” is not the version your trainer assigned. "
                "Your attempts still count; if the conversation looks different, tell your trainer."
            )
        return None
    if text is None:
        return (
            f"The scenario “{assignment.title}” is not on this computer and the file does not include it: "
            "ask your trainer for an assignment file with the scenario in it."
        )
    folder = catalog.dirs[0]
    try:
        check_scenario_text(text, assignment.scenario_id)  # read_assignment did; a live welcome's text too
        folder.mkdir(parents=True, exist_ok=True)
        target = inside(folder, f"{assignment.scenario_id}.yaml")
        if target.exists():
            target = inside(folder, f"{assignment.scenario_id}-{assignment.uid[:8]}.yaml")
        write_atomically(target, text.encode("utf-8", "surrogatepass"))
    except AssignmentFileError as exc:
        return f"The scenario “{assignment.title}” was not added: {exc}."
    except OSError as exc:
        return (
            f"The scenario “{assignment.title}” could not be added to {folder} ({exc.strerror or exc}): "
            "ask whoever set up this computer to add it."
        )
    catalog.reload()
    return None


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused unless it resolves to a file directly in ``folder`` (no ``..``, no absolute path,
    no symlink out): the id was checked as a slug already; this holds even if a check upstream is missed."""
    base = folder.resolve()
    target = (base / name).resolve()
    if target.parent != base or Path(name).name != name:
        raise AssignmentFileError(f"the scenario id {name!r} would write outside the scenario folder {base}")
    return target


def adopt_file(store: Store, catalog: Catalog, path: Path, trainee_id: int) -> Adopted:
    """Read an assignment file and keep its assignment for the trainee (raises AssignmentFileError, OSError)."""
    from simulator.application.compose import classroom_of
    from simulator.application.signing import trust_signer
    from simulator.classroom.assignment_file import MAX_FILE_BYTES, read_assignment

    ticket = read_assignment(read_capped(path, MAX_FILE_BYTES))
    me = next((t.name for t in store.trainees() if t.id == trainee_id), "")
    if " ".join(me.split()).casefold() != ticket.trainee.casefold():
        raise AssignmentFileError(
            f"this file is for {ticket.trainee}, and you are signed in as {me}: each trainee gets their own file"
        )
    first = trust_signer(store.folder, ticket)
    note = install_scenario(catalog, ticket.assignment, ticket.scenario_text)
    notes = " ".join(n for n in (first, note) if n)
    return Adopted(classroom_of(store).adopt_assignment(ticket.assignment, trainee_id), notes or None)


def export_to(store: Store, assignment_id: int, trainee_id: int, path: Path) -> Exported:
    """The trainee's results file for an assignment, written to ``path`` (raises ValueError with nothing to export)."""
    from simulator.application.compose import classroom_of
    from simulator.classroom.results_file import export_results

    data = export_results(classroom_of(store), assignment_id, trainee_id)
    write_atomically(path, data)
    return Exported(path, len(json.loads(data)["attempts"]))


def adopt_assignment(
    store: Store, catalog: Catalog, assignment: Assignment, scenario_text: str | None, trainee_id: int
) -> Adopted:
    """Keep an assignment received in a live session's welcome, so the trainee can carry on with it alone."""
    from simulator.application.compose import classroom_of

    note = install_scenario(catalog, assignment, scenario_text)
    return Adopted(classroom_of(store).adopt_assignment(assignment, trainee_id), note)
