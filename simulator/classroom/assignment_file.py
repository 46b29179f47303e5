"""Assignment files: how an assignment (and its results-file secret) reaches a trainee without a network.

The trainer exports one file per assignment (optionally with the scenario file's text, for
trainees whose app does not have the scenario); the trainee's app reads it and keeps the
assignment with :meth:`ClassroomStore.adopt_assignment`. The file carries the secret in the
clear: it is for the trainees of that group, like the join code of a live session.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from simulator.classroom.results_schema import HEX64, IDENT, UID
from simulator.core.checks import Int, Invalid, Num, Obj, Opt, Str, Time, canonical, check, loads
from simulator.core.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES
from simulator.storage.classroom_records import Assignment

FORMAT = "empathy-trainer/assignment"
VERSION = 1
SUFFIX = ".assignment.json"
MAX_FILE_BYTES = 3 * MAX_SCENARIO_BYTES  # the scenario text, escaped in JSON, and a little more

ASSIGNMENT = Obj(
    {
        "uid": UID,
        "group_uid": UID,
        "group_name": Str(80, 1),
        "scenario_id": IDENT,
        "scenario_title": Str(300),
        "scenario_hash": HEX64,
        "mode": Str(20, choices=frozenset({"practice", "assessment"})),
        "pass_threshold": Num(0, 100),
        "attempt_limit": Opt(Int(1, 1000)),
        "due": Opt(Time()),
        "created": Time(),
        "secret": HEX64,
    }
)
DOCUMENT = Obj(
    {
        "format": Str(40, choices=frozenset({FORMAT})),
        "version": Int(VERSION, VERSION),
        "assignment": ASSIGNMENT,
        "scenario_text": Opt(Str(MAX_SCENARIO_BYTES)),
    }
)


class AssignmentFileError(ValueError):
    """The file cannot be used; the message says why."""


@dataclass(frozen=True)
class AssignmentTicket:
    """An assignment as received: ``assignment.id`` and ``group_id`` are 0 until adopted here."""

    assignment: Assignment
    scenario_text: str | None  # verified against ``assignment.scenario_hash`` when present


def assignment_dict(assignment: Assignment) -> dict[str, Any]:
    """The portable fields of an assignment (also what a live session's welcome carries)."""
    return {
        "uid": assignment.uid,
        "group_uid": assignment.group_uid,
        "group_name": assignment.group_name,
        "scenario_id": assignment.scenario_id,
        "scenario_title": assignment.scenario_title,
        "scenario_hash": assignment.scenario_hash,
        "mode": assignment.mode,
        "pass_threshold": assignment.pass_threshold,
        "attempt_limit": assignment.attempt_limit,
        "due": assignment.due.isoformat() if assignment.due else None,
        "created": assignment.created.isoformat(),
        "secret": assignment.secret,
    }


def assignment_from_dict(data: dict[str, Any]) -> Assignment:
    """An :class:`Assignment` from checked :data:`ASSIGNMENT` data (raises Invalid when unchecked data is bad)."""
    check(data, ASSIGNMENT, "assignment")
    return Assignment(
        id=0,
        uid=data["uid"],
        group_id=0,
        group_uid=data["group_uid"],
        group_name=" ".join(data["group_name"].split()),
        scenario_id=data["scenario_id"],
        scenario_title=data["scenario_title"],
        scenario_hash=data["scenario_hash"],
        mode=data["mode"],
        pass_threshold=float(data["pass_threshold"]),
        attempt_limit=data["attempt_limit"],
        due=datetime.fromisoformat(data["due"]) if data["due"] else None,
        created=datetime.fromisoformat(data["created"]),
        secret=data["secret"],
        origin="imported",
    )


def scenario_matches(text: str, content_hash: str) -> bool:
    """Whether ``text`` is the scenario file the hash names (the hash is of the file's bytes)."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() == content_hash


def export_assignment(assignment: Assignment, scenario_text: str | None = None) -> bytes:
    """The assignment file; pass the scenario file's text to include it (checked against the hash)."""
    if scenario_text is not None and not scenario_matches(scenario_text, assignment.scenario_hash):
        raise ValueError("the scenario file has changed since it was assigned: assign it again to send this version")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "assignment": assignment_dict(assignment),
        "scenario_text": scenario_text,
    }
    return canonical(document) + b"\n"


def read_assignment(data: bytes) -> AssignmentTicket:
    """Parse and check an assignment file; raises :class:`AssignmentFileError`."""
    if len(data) > MAX_FILE_BYTES:
        raise AssignmentFileError("the file is too large to be an assignment")
    try:
        document = loads(data)
        ours = isinstance(document, dict) and document.get("format") == FORMAT
        version = document.get("version") if ours else None
        if isinstance(version, int) and version > VERSION:
            raise AssignmentFileError("made by a newer version of Empathy Trainer: update the app")
        check(document, DOCUMENT)
        assignment = assignment_from_dict(document["assignment"])
    except Invalid as exc:
        raise AssignmentFileError(f"not a valid assignment file: {exc}") from None
    text = document["scenario_text"]
    if text is not None and not scenario_matches(text, assignment.scenario_hash):
        raise AssignmentFileError("the scenario in the file is damaged (it does not match its hash)")
    return AssignmentTicket(assignment, text)
