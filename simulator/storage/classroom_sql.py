"""SQL helpers of the classroom store: transactions, rows to records, and attempts as the rules see them."""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from simulator.core.scoring.outcome import attempt_score, stored_turn
from simulator.storage.classroom_records import Assignment, AttemptFact, AttemptInput, ClassroomSession, Group
from simulator.storage.database import StorageError, classify, from_row

if TYPE_CHECKING:
    from simulator.storage.store import Store


def iso(moment: datetime) -> str:
    """UTC ISO text: one offset in the file, so text comparison and sorting agree with time."""
    if moment.tzinfo is None:
        raise ValueError("classroom times must be timezone-aware")
    return moment.astimezone(UTC).isoformat()


def parse_time(text: str | None) -> datetime | None:
    if text is None:
        return None
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def clean_name(name: str) -> str:
    """Names as the Store keeps them: runs of whitespace become one space."""
    return " ".join(name.split())


# Control, format (e.g. right-to-left overrides, zero-width spaces), private-use and surrogate characters:
# in a name they only serve to make two names look alike or to scramble a dashboard.
_HIDDEN = frozenset({"Cc", "Cf", "Co", "Cs", "Zl", "Zp"})


def unprintable(text: str) -> bool:
    """Whether ``text`` holds characters a name should not (see ``_HIDDEN``)."""
    return any(unicodedata.category(ch) in _HIDDEN for ch in text)


def transaction(store: Store) -> AbstractContextManager[None]:
    """The Store's one transaction helper (``BEGIN IMMEDIATE`` ... ``COMMIT``)."""
    return store.transaction()


def query(store: Store, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
    try:
        cursor = store.db.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    except sqlite3.Error as exc:
        raise StorageError(store.path, classify(exc), str(exc)) from None


def group_from(row: dict[str, Any]) -> Group:
    created = parse_time(row["created"])
    assert created is not None
    return Group(row["id"], row["uid"], row["name"], created, int(row.get("member_count") or 0))


ASSIGNMENTS = (
    "SELECT s.*, g.name AS group_name, g.uid AS group_uid FROM assignments s JOIN groups g ON g.id = s.group_id"
)


def assignment_from(row: dict[str, Any]) -> Assignment:
    created = parse_time(row["created"])
    assert created is not None
    return from_row(
        Assignment,
        row,
        pass_threshold=float(row["pass_threshold"]),
        due=parse_time(row["due"]),
        created=created,
        origin=row["origin"],
    )


def session_from(row: dict[str, Any]) -> ClassroomSession:
    started = parse_time(row["started"])
    assert started is not None
    return from_row(
        ClassroomSession, row, started=started, ended=parse_time(row["ended"]), detail=json.loads(row["detail"])
    )


_FACTS = (
    "SELECT a.id, a.trainee_id, a.scenario_id, a.mode, a.started, a.ended, a.finished, a.outcome, a.score,"
    " a.criteria, l.assignment_id, l.source,"
    " (SELECT COUNT(*) FROM turns t WHERE t.attempt_id = a.id) AS turn_count,"
    " (SELECT COALESCE(SUM(t.response_seconds), 0) FROM turns t WHERE t.attempt_id = a.id) AS seconds,"
    " EXISTS (SELECT 1 FROM overrides o WHERE o.attempt_id = a.id) AS overridden"
    " FROM attempts a LEFT JOIN assignment_attempts l ON l.attempt_id = a.id"
)


def attempt_facts(store: Store, where: str, params: Sequence[Any]) -> list[AttemptFact]:
    """Attempts matching ``where`` (over ``a`` attempts and ``l`` links) with overrides applied.

    Scores come from the attempts table, which already holds the engine's mean; only the few
    attempts a trainer overrode are read turn by turn (``Store.turns``) to apply the overrides.
    """
    facts = []
    for row in query(store, f"{_FACTS} WHERE {where} ORDER BY a.started, a.id", params):
        finished = bool(row["finished"])
        score: float | None = row["score"] if finished else None
        criteria: dict[str, float] = json.loads(row["criteria"])
        if row["overridden"]:  # the few a trainer overrode are counted again, turn by turn
            counted = attempt_score([t.result for t in store.turns(row["id"])], finished=finished)
            score, criteria = counted.score, counted.criteria
        started = parse_time(row["started"])
        assert started is not None
        facts.append(
            from_row(
                AttemptFact,
                row,
                started=started,
                ended=parse_time(row["ended"]),
                finished=finished,
                score=score,
                criteria=criteria,
                seconds=float(row["seconds"]),
                turn_count=int(row["turn_count"]),
                overridden=bool(row["overridden"]),
            )
        )
    return facts


def insert_attempt(store: Store, trainee_id: int, attempt: AttemptInput) -> int:
    """Within the caller's transaction: the attempt row and all its turns.

    The attempt's score, criteria and auto-fail are computed here from its turns by the one
    definition (``attempt_score``), whatever the input says: a results file or a live message
    cannot carry numbers its turns do not support.
    """
    counted = attempt_score([stored_turn(t.score, t.criteria) for t in attempt.turns], finished=attempt.finished)
    db = store.db
    cursor = db.execute(
        "INSERT INTO attempts (trainee_id, scenario_id, scenario_title, scenario_hash, mode, seed, started, ended,"
        " finished, outcome, ending_id, score, auto_failed, criteria, snapshot)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            trainee_id,
            attempt.scenario_id,
            attempt.scenario_title,
            attempt.scenario_hash,
            attempt.mode,
            attempt.seed,
            iso(attempt.started),
            iso(attempt.ended) if attempt.ended else None,
            int(attempt.finished),
            attempt.outcome,
            attempt.ending_id,
            counted.score,
            int(counted.auto_failed),
            json.dumps(counted.criteria),
            json.dumps(attempt.snapshot),
        ],
    )
    attempt_id = int(cursor.lastrowid or 0)
    for turn in attempt.turns:
        store.write_turn(attempt_id, turn)
    return attempt_id


def trainee_id_for(store: Store, name: str, now: datetime) -> tuple[int, str, bool]:
    """Within the caller's transaction: the trainee of that name (id, stored name, created?), created if new."""
    clean = clean_name(name)
    if not clean:
        raise ValueError("a trainee needs a name")
    rows = query(store, "SELECT id, name FROM trainees WHERE name = ?", [clean])
    if rows:
        return int(rows[0]["id"]), str(rows[0]["name"]), False
    cursor = store.db.execute("INSERT INTO trainees (name, created) VALUES (?, ?)", [clean, now.isoformat()])
    return int(cursor.lastrowid or 0), clean, True
