"""Results files: a trainee's attempts at an assignment, carried to the trainer without a network.

One JSON file per trainee and assignment (format ``empathy-trainer/results``, version 1),
signed with HMAC-SHA256 over its canonical JSON, keyed by the trainee's own key (derived by the
trainer from the assignment's secret and the roster name, and sent only in that trainee's
assignment file or live welcome). A trainee can therefore sign only as themselves.

What the signature does not do: the key is on the trainee's machine, so the trainee can sign
any answers as themselves. That is why the importer believes nothing but the answers and
re-scores them on the trainer's own copy of the scenario (results_import, rescore).
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from simulator import __version__
from simulator.classroom import results_schema as schema
from simulator.classroom.assignment_file import trainee_key
from simulator.core.checks import Invalid, canonical, check, loads
from simulator.core.scoring.outcome import TURN_SCORE_SLACK, attempt_score, criteria_turn, stored_turn
from simulator.storage.classroom_records import Assignment, AttemptInput, ExportedAttempt, TurnInput
from simulator.storage.classroom_sql import unprintable

if TYPE_CHECKING:
    from simulator.storage.classroom import ClassroomStore
    from simulator.storage.store import AttemptRecord, TurnRecord

SUFFIX = ".results.json"


class ResultsFileError(ValueError):
    """The file cannot be imported; the message says why in words a trainer can act on."""


@dataclass(frozen=True)
class ResultsFile:
    """A verified results file: whose attempts, for which assignment."""

    assignment: Assignment
    trainee: str
    exported: datetime
    attempts: tuple[AttemptInput, ...]


def signature(document: dict[str, Any], secret: str) -> str:
    """HMAC-SHA256 (hex) of the canonical JSON of ``document`` without its ``signature`` field."""
    body = {k: v for k, v in document.items() if k != "signature"}
    return hmac.new(secret.encode("utf-8"), canonical(body), hashlib.sha256).hexdigest()


def attempt_uid(assignment_uid: str, trainee: str, record: AttemptRecord) -> str:
    """An attempt's identity across machines: the same attempt exported twice has the same uid."""
    key = "|".join([assignment_uid, " ".join(trainee.split()).casefold(), record.started.isoformat(), str(record.seed)])
    return hashlib.sha256(f"{key}|{record.scenario_hash}".encode()).hexdigest()[:32]


def _scorer_only(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The scorer's verdicts only: what the importer counts. An override made on a trainee's machine
    is carried beside them (:func:`_overrides`) for the trainer to read, not counted: the trainer's app
    could not tell it from one the trainee wrote, and it can override again after import."""
    return [{k: v for k, v in c.items() if k != "override"} for c in criteria]


def _overrides(criteria: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The trainer's verdicts in force on a turn, each with its comment and the scorer's original."""
    return [
        {
            "criterion": c["id"],
            "met": bool(c["override"]["met"]),
            "scorer_met": bool(c["met"]),
            "comment": c["override"]["comment"],
            "trainer": c["override"]["trainer"],
            "at": c["override"]["at"],
        }
        for c in criteria
        if c.get("override")
    ]


def _turn_dict(turn: TurnRecord, route: tuple[str, str]) -> dict[str, Any]:
    reviewed = _overrides(turn.criteria)
    return {
        "index": turn.index,
        "node_id": turn.node_id,
        "customer_line": turn.customer_line,
        "answer": turn.answer,
        "input_mode": turn.input_mode if turn.input_mode in ("text", "voice") else "text",
        "shown_at": turn.shown_at.isoformat(),
        "answered_at": turn.answered_at.isoformat(),
        "score": turn.score,
        "criteria": _scorer_only(turn.criteria),
        "mood_before": turn.mood_before,
        "mood_after": turn.mood_after,
        "transition": route[0],
        "target": route[1],
        **({"overrides": reviewed} if reviewed else {}),  # absent without a review: files stay as before
    }


def _attempt_dict(assignment: Assignment, trainee: str, attempt: ExportedAttempt) -> dict[str, Any]:
    record = attempt.record
    counted = attempt_score([t.result for t in attempt.turns], finished=True)
    scorer = attempt_score([stored_turn(t.score, _scorer_only(t.criteria)) for t in attempt.turns], finished=True)
    return {
        "uid": attempt_uid(assignment.uid, trainee, record),
        "scenario_id": record.scenario_id,
        "scenario_title": record.scenario_title,
        "scenario_hash": record.scenario_hash,
        "mode": record.mode,
        "seed": record.seed,
        "started": record.started.isoformat(),
        "ended": (record.ended or record.started).isoformat(),
        "finished": record.finished,
        "outcome": record.outcome,
        "ending_id": record.ending_id,
        # the numbers as they count on the trainee's machine (a trainer's overrides applied, as in the
        # debrief); the importer recomputes them from the turns' scorer verdicts anyway
        "score": counted.score or 0.0,
        "auto_failed": counted.auto_failed,
        "criteria": counted.criteria,
        "turns": [_turn_dict(t, attempt.routes.get(t.index, ("", t.node_id))) for t in attempt.turns],
        **({"scorer_score": scorer.score or 0.0} if counted.reviewed else {}),
    }


def results_document(
    assignment: Assignment, trainee: str, attempts: list[ExportedAttempt], at: datetime
) -> dict[str, Any]:
    """The signed document for ``attempts`` (finished attempts with their turns)."""
    document: dict[str, Any] = {
        "format": schema.FORMAT,
        "version": schema.VERSION,
        "app": __version__,
        "exported": at.isoformat(),
        "assignment": {
            "uid": assignment.uid,
            "scenario_id": assignment.scenario_id,
            "scenario_hash": assignment.scenario_hash,
        },
        "trainee": trainee,
        "attempts": [_attempt_dict(assignment, trainee, a) for a in attempts],
    }
    document["signature"] = {"alg": "HMAC-SHA256", "value": signature(document, assignment.secret)}
    return document


def export_results(classroom: ClassroomStore, assignment_id: int, trainee_id: int) -> bytes:
    """The trainee's results file for an assignment: their counted, finished attempts, signed.

    Raises ValueError when there is no finished attempt to export yet.
    """
    assignment = classroom.assignment(assignment_id)
    attempts = classroom.export_attempts(assignment_id, trainee_id)
    if not attempts:
        raise ValueError("there is no finished attempt at this assignment to export yet")
    trainee = next((t.name for t in classroom.store.trainees() if t.id == trainee_id), None)
    if trainee is None:
        raise ValueError(f"there is no trainee {trainee_id}")
    document = results_document(assignment, trainee, attempts, classroom.clock())
    return canonical(document) + b"\n"


def results_filename(assignment: Assignment, trainee: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in trainee).strip("-") or "trainee"
    return f"{assignment.scenario_id}-{safe}-{assignment.uid[:8]}{SUFFIX}"


def read_results(data: bytes, find_assignment: Callable[[str], Assignment | None]) -> ResultsFile:
    """Parse, verify and validate a results file; raises :class:`ResultsFileError` saying why not.

    Order: size, JSON, format and version, the assignment it names (``find_assignment`` by uid),
    the signature with that assignment's secret, then every field strictly, then consistency
    with the assignment (scenario, mode, finished attempts, turn order, times).
    """
    if len(data) > schema.MAX_FILE_BYTES:
        raise ResultsFileError(f"larger than {schema.MAX_FILE_BYTES // (1024 * 1024)} MiB: not a results file")
    try:
        document = loads(data)
    except Invalid as exc:
        raise ResultsFileError(f"incomplete or damaged: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != schema.FORMAT:
        raise ResultsFileError("not an Empathy Trainer results file")
    version = document.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > schema.VERSION:
        raise ResultsFileError(f"made by a newer version of Empathy Trainer (format {version}): update the app")
    reference = document.get("assignment")
    uid = reference.get("uid") if isinstance(reference, dict) else None
    assignment = find_assignment(uid) if isinstance(uid, str) and len(uid) <= 64 else None
    if assignment is None:
        raise ResultsFileError("for an assignment this app does not have (made on another trainer's machine?)")
    claimed = document.get("signature")
    value = claimed.get("value") if isinstance(claimed, dict) else None
    named = document.get("trainee")
    if not isinstance(named, str) or len(named) > 80:
        raise ResultsFileError("not a valid results file: it names no trainee")
    try:
        # Each trainee signs with their own key (assignment_file.trainee_key), so a file names the
        # trainee whose key signed it: changing the name breaks the signature.
        expected = signature(document, trainee_key(assignment.secret, named))
    except (ValueError, RecursionError):
        raise ResultsFileError("damaged: the content cannot be read back as JSON") from None
    if not isinstance(value, str) or not hmac.compare_digest(value.encode("ascii", "replace"), expected.encode()):
        raise ResultsFileError(
            f"the signature does not match {named}'s key: changed after it was exported, damaged, "
            "or made by someone other than the trainee it names"
        )
    try:
        check(document, schema.DOCUMENT)
        attempts = tuple(_attempt_input(a, assignment, i) for i, a in enumerate(document["attempts"]))
    except Invalid as exc:
        raise ResultsFileError(f"not a valid results file: {exc}") from None
    if len({a.uid for a in attempts}) != len(attempts):
        raise ResultsFileError("not a valid results file: the same attempt appears twice")
    name = " ".join(document["trainee"].split())
    if not name or unprintable(name):
        raise ResultsFileError("not a valid results file: the trainee's name is empty or has invisible characters")
    return ResultsFile(assignment, name, datetime.fromisoformat(document["exported"]), attempts)


def _attempt_input(data: dict[str, Any], assignment: Assignment, number: int) -> AttemptInput:
    where = f"attempt {number + 1}"
    if data["scenario_id"] != assignment.scenario_id:
        raise Invalid(f"{where} is of scenario {data['scenario_id']!r}, the assignment is {assignment.scenario_id!r}")
    if data["mode"] != assignment.mode:
        raise Invalid(f"{where} was played in {data['mode']} mode, the assignment is {assignment.mode}")
    if not data["finished"]:
        raise Invalid(f"{where} is not finished")
    started, ended = datetime.fromisoformat(data["started"]), datetime.fromisoformat(data["ended"])
    if ended < started:
        raise Invalid(f"{where} ends before it starts")
    turns = []
    last = -1
    for item in data["turns"]:
        shown, answered = datetime.fromisoformat(item["shown_at"]), datetime.fromisoformat(item["answered_at"])
        if item["index"] <= last:
            raise Invalid(f"{where}: turns out of order")
        if answered < shown:
            raise Invalid(f"{where}, turn {item['index']}: answered before it was shown")
        last = item["index"]
        if abs(criteria_turn(item["criteria"]).score - float(item["score"])) > TURN_SCORE_SLACK:
            raise Invalid(f"{where}, turn {item['index']}: its score does not follow from its criteria")
        turns.append(
            TurnInput(
                index=item["index"],
                node_id=item["node_id"],
                customer_line=item["customer_line"],
                answer=item["answer"],
                shown_at=shown,
                answered_at=answered,
                score=float(item["score"]),
                criteria=item["criteria"],
                mood_before=item["mood_before"],
                mood_after=item["mood_after"],
                transition=item["transition"],
                target=item["target"],
                input_mode=item["input_mode"],
            )
        )
    # The attempt's score, criteria and auto-fail are computed from its turns by the one definition
    # (outcome.attempt_score), so a file cannot carry numbers its turns do not support.
    counted = attempt_score([stored_turn(t.score, t.criteria) for t in turns], finished=True)
    return AttemptInput(
        scenario_id=data["scenario_id"],
        scenario_title=data["scenario_title"],
        scenario_hash=data["scenario_hash"],
        mode=data["mode"],
        seed=data["seed"],
        started=started,
        ended=ended,
        finished=True,
        outcome=data["outcome"],
        ending_id=data["ending_id"],
        score=counted.score,
        auto_failed=counted.auto_failed,
        criteria=counted.criteria,
        turns=tuple(turns),
        snapshot={"imported": "results-file"},
        uid=data["uid"],
    )
