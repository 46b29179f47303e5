"""Assignment files: how an assignment (and a trainee's own results key) reaches a trainee without a network.

The trainer exports one file per trainee of the group (optionally with the scenario file's
text, for trainees whose app does not have the scenario); the trainee's app reads it and keeps
the assignment with :meth:`ClassroomStore.adopt_assignment`.

Each file carries that trainee's key only (:func:`trainee_key`, derived from the assignment's
secret and the roster name), never the assignment's secret: a trainee can sign results as
themselves and nobody else. Each file is signed by the trainer with Ed25519 (format version 2),
so a file that was edited, or made by anyone without the trainer's key, is refused; which key
is the trainer's is pinned per group on first use (:mod:`simulator.storage.classroom_keys`).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from simulator.classroom.results_schema import HEX64, SCENARIO_ID, UID
from simulator.core.checks import Int, Invalid, Num, Obj, Opt, Str, Time, canonical, check, loads
from simulator.core.yamlsafe import MAX_BYTES as MAX_SCENARIO_BYTES
from simulator.storage.classroom_records import Assignment

if TYPE_CHECKING:
    from simulator.storage.classroom import ClassroomStore

FORMAT = "empathy-trainer/assignment"
VERSION = 2  # 2: one file per trainee, signed by the trainer (version 1 files were unsigned)
SUFFIX = ".assignment.json"
MAX_FILE_BYTES = 3 * MAX_SCENARIO_BYTES  # the scenario text, escaped in JSON, and a little more

ASSIGNMENT = Obj(
    {
        "uid": UID,
        "group_uid": UID,
        "group_name": Str(80, 1),
        "scenario_id": SCENARIO_ID,
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
SIGNATURE = Obj(
    {
        "alg": Str(20, choices=frozenset({"Ed25519"})),
        "key": Str(64, 64, pattern="[0-9a-f]{64}"),
        "value": Str(128, 128, pattern="[0-9a-f]{128}"),
    }
)
DOCUMENT = Obj(
    {
        "format": Str(40, choices=frozenset({FORMAT})),
        "version": Int(VERSION, VERSION),
        "trainee": Str(80, 1),
        "assignment": ASSIGNMENT,
        "scenario_text": Opt(Str(MAX_SCENARIO_BYTES)),
        "signature": SIGNATURE,
    }
)


class AssignmentFileError(ValueError):
    """The file cannot be used; the message says why."""


@dataclass(frozen=True)
class AssignmentTicket:
    """An assignment as received: ``assignment.id`` and ``group_id`` are 0 until adopted here."""

    assignment: Assignment  # ``secret`` is the trainee's own key, not the assignment's
    scenario_text: str | None  # verified against ``assignment.scenario_hash`` when present
    trainee: str  # the roster name the trainer made the file for
    signer: str  # the trainer's public key (hex); pin or compare it before adopting


def trainee_key(secret: str, trainee: str) -> str:
    """The key one trainee signs their results with: HMAC-SHA256(assignment secret, roster name).

    The trainer can derive it for any roster name at import; a trainee holding their own key
    cannot derive a classmate's (that needs the assignment's secret, which never leaves the trainer).
    """
    name = " ".join(trainee.split()).casefold()
    return hmac.new(secret.encode(), b"trainee:" + name.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def assignment_dict(assignment: Assignment, trainee: str | None = None) -> dict[str, Any]:
    """The portable fields of an assignment (also what a live session's welcome carries).

    With ``trainee``, the secret sent is that trainee's own key (:func:`trainee_key`); pass it
    whenever the dict leaves the trainer's machine.
    """
    secret = trainee_key(assignment.secret, trainee) if trainee is not None else assignment.secret
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
        "secret": secret,
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


def _signed_body(document: dict[str, Any]) -> bytes:
    return canonical({k: v for k, v in document.items() if k != "signature"})


def export_assignment(
    assignment: Assignment, trainee: str, signer: Ed25519PrivateKey, scenario_text: str | None = None
) -> bytes:
    """``trainee``'s assignment file, signed by ``signer``; pass the scenario file's text to include it."""
    from simulator.storage.classroom_keys import public_hex

    if scenario_text is not None and not scenario_matches(scenario_text, assignment.scenario_hash):
        raise ValueError("the scenario file has changed since it was assigned: assign it again to send this version")
    document: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "trainee": " ".join(trainee.split()),
        "assignment": assignment_dict(assignment, trainee),
        "scenario_text": scenario_text,
    }
    document["signature"] = {
        "alg": "Ed25519",
        "key": public_hex(signer),
        "value": signer.sign(_signed_body(document)).hex(),
    }
    return canonical(document) + b"\n"


def read_assignment(data: bytes) -> AssignmentTicket:
    """Parse, check and verify an assignment file; raises :class:`AssignmentFileError`.

    The signature is checked against the key the file names; whether that key is the trainer's
    is the caller's to decide (:mod:`simulator.storage.classroom_keys` pins it per group).
    """
    if len(data) > MAX_FILE_BYTES:
        raise AssignmentFileError("the file is too large to be an assignment")
    try:
        document = loads(data)
        ours = isinstance(document, dict) and document.get("format") == FORMAT
        version = document.get("version") if ours else None
        if isinstance(version, int) and version > VERSION:
            raise AssignmentFileError("made by a newer version of Empathy Trainer: update the app")
        if isinstance(version, int) and version < VERSION:
            raise AssignmentFileError("unsigned (made by an older version of the app): ask your trainer for a new file")
        check(document, DOCUMENT)
        assignment = assignment_from_dict(document["assignment"])
    except Invalid as exc:
        raise AssignmentFileError(f"not a valid assignment file: {exc}") from None
    signature = document["signature"]
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(signature["key"])).verify(
            bytes.fromhex(signature["value"]), _signed_body(document)
        )
    except (InvalidSignature, ValueError):
        raise AssignmentFileError(
            "changed after your trainer made it (its signature does not match): ask your trainer for a new file"
        ) from None
    text = document["scenario_text"]
    if text is not None:
        if not scenario_matches(text, assignment.scenario_hash):
            raise AssignmentFileError("the scenario in the file is damaged (it does not match its hash)")
        check_scenario_text(text, assignment.scenario_id)
    return AssignmentTicket(assignment, text, document["trainee"], signature["key"])


def check_scenario_text(text: str, scenario_id: str) -> None:
    """Load the carried scenario with the real loader, so nothing invalid is ever written to a scenario folder."""
    from simulator.core.loader import load_text
    from simulator.core.problems import ScenarioError

    try:
        scenario = load_text(text, f"{scenario_id}.yaml")
    except ScenarioError as exc:
        first = exc.problems[0]
        raise AssignmentFileError(
            f"the scenario in the file is not valid (line {first.line}: {first.message}): "
            "ask your trainer for a new file"
        ) from None
    if scenario.id != scenario_id:
        raise AssignmentFileError(
            f"the scenario in the file is {scenario.id!r}, but the assignment is for {scenario_id!r}: "
            "the file was altered"
        )


def file_name(stem: str, trainee: str) -> str:
    """``stem-Name.assignment.json``: one file per trainee, the name made safe for any file system."""
    safe = "".join(ch if ch.isalnum() else "-" for ch in trainee).strip("-") or "trainee"
    return f"{stem}-{safe}{SUFFIX}"


def export_group_files(
    classroom: ClassroomStore, assignment: Assignment, folder: Path, stem: str, scenario_text: str | None = None
) -> list[Path]:
    """One signed assignment file per member of the assignment's group, written into ``folder``.

    Raises ValueError when the group has no members (each file carries one trainee's own key).
    """
    from simulator.storage.classroom_keys import signing_key

    members = classroom.members(assignment.group_id)
    if not members:
        raise ValueError(f"{assignment.group_name} has no trainees yet: add them (or import a roster) first")
    signer = signing_key(classroom.store.folder)
    written = []
    folder.mkdir(parents=True, exist_ok=True)
    for member in members:
        path = folder / file_name(stem, member.name)
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(export_assignment(assignment, member.name, signer, scenario_text))
        temporary.replace(path)
        written.append(path)
    return written
