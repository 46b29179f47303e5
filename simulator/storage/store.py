"""Trainees, attempts and turns in SQLite: what the app remembers about practice.

Each scored turn is written in its own transaction together with the engine
snapshot it produced, so after a crash the attempt resumes exactly where the
last committed answer left it. Reading never needs the engine: rows hold the
scores, verdicts and evidence as the scorer produced them at the time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.storage.database import BUSY_TIMEOUT_MS, StorageError, classify, open_database

if TYPE_CHECKING:
    import sqlite_utils

    from simulator.core.engine import AttemptSummary, TurnResult
    from simulator.core.model import Scenario


def now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Trainee:
    id: int
    name: str


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    trainee_id: int
    scenario_id: str
    scenario_title: str
    scenario_hash: str
    mode: str
    seed: int
    started: datetime
    ended: datetime | None
    finished: bool
    outcome: str | None
    ending_id: str | None
    score: float | None
    auto_failed: bool
    criteria: dict[str, float]
    snapshot: dict[str, Any]
    turn_count: int

    @property
    def duration_seconds(self) -> float | None:
        return (self.ended - self.started).total_seconds() if self.ended else None


@dataclass(frozen=True)
class SpokenAnswer:
    """How a spoken answer was heard: the recogniser's raw text and the recording behind it."""

    recognized_text: str
    recording: str | None  # path relative to the data folder; None when recordings are not kept
    audio_seconds: float  # how long the trainee spoke, first word to last
    speech_start: float | None  # seconds from the customer's line to the first word


@dataclass(frozen=True)
class TurnRecord:
    attempt_id: int
    index: int
    node_id: str
    customer_line: str
    answer: str
    input_mode: str
    shown_at: datetime
    answered_at: datetime
    response_seconds: float
    score: float
    criteria: list[dict[str, Any]]
    mood_before: int
    mood_after: int
    spoken: SpokenAnswer | None = None


@dataclass(frozen=True)
class ScenarioStats:
    attempts: int
    best_score: float | None


class Store:
    """The attempt database for one data folder. Not thread-safe: one background worker uses it.

    With ``open_now=False`` nothing touches the file until :meth:`open` or the
    first query, so the app can show its window first and open the database
    on the worker; problems then surface there as :class:`StorageError`.
    """

    def __init__(self, path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS, *, open_now: bool = True) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self._db: sqlite_utils.Database | None = None
        if open_now:
            self.open()

    def open(self) -> None:
        """Open and migrate the file if not yet open; raises :class:`StorageError`."""
        if self._db is None:
            self._db = open_database(self.path, self.busy_timeout_ms)

    @property
    def db(self) -> sqlite_utils.Database:
        if self._db is None:
            self.open()
        assert self._db is not None
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- trainees --------------------------------------------------------------

    def trainees(self) -> list[Trainee]:
        rows = self._query("SELECT id, name FROM trainees ORDER BY name COLLATE NOCASE")
        return [Trainee(r["id"], r["name"]) for r in rows]

    def add_trainee(self, name: str) -> Trainee:
        clean = " ".join(name.split())
        if not clean:
            raise ValueError("a trainee needs a name")
        with self._transaction():
            existing = self._query("SELECT id, name FROM trainees WHERE name = ?", [clean])
            if existing:
                return Trainee(existing[0]["id"], existing[0]["name"])
            cursor = self.db.execute("INSERT INTO trainees (name, created) VALUES (?, ?)", [clean, now().isoformat()])
            return Trainee(int(cursor.lastrowid or 0), clean)

    # -- attempts --------------------------------------------------------------

    def start_attempt(self, trainee_id: int, scenario: Scenario, mode: str, seed: int, snapshot: dict[str, Any]) -> int:
        with self._transaction():
            cursor = self.db.execute(
                "INSERT INTO attempts (trainee_id, scenario_id, scenario_title, scenario_hash, mode, seed, started,"
                " snapshot) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    trainee_id,
                    scenario.id,
                    scenario.title,
                    scenario.content_hash,
                    mode,
                    seed,
                    now().isoformat(),
                    json.dumps(snapshot),
                ],
            )
            return int(cursor.lastrowid or 0)

    def record_turn(
        self,
        attempt_id: int,
        result: TurnResult,
        snapshot: dict[str, Any],
        *,
        shown_at: datetime,
        answered_at: datetime,
        input_mode: str = "text",
        spoken: SpokenAnswer | None = None,
        summary: AttemptSummary | None = None,
    ) -> None:
        """Commit one scored answer and the snapshot after it; with ``summary``, also close the attempt."""
        with self._transaction():
            self.db.execute(
                "INSERT INTO turns (attempt_id, idx, node_id, customer_line, answer, input_mode, shown_at,"
                " answered_at, response_seconds, score, criteria, mood_before, mood_after, transition, target,"
                " recognized_text, recording, audio_seconds, speech_start)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    attempt_id,
                    result.index,
                    result.node_id,
                    result.customer_line,
                    result.answer,
                    input_mode,
                    shown_at.isoformat(),
                    answered_at.isoformat(),
                    (answered_at - shown_at).total_seconds(),
                    result.score.score,
                    json.dumps([c.to_dict() for c in result.score.criteria]),
                    result.mood_before,
                    result.mood_after,
                    result.transition,
                    result.target,
                    spoken.recognized_text if spoken else None,
                    spoken.recording if spoken else None,
                    spoken.audio_seconds if spoken else None,
                    spoken.speech_start if spoken else None,
                ],
            )
            fields: dict[str, Any] = {"snapshot": json.dumps(snapshot)}
            if summary is not None:
                fields.update(
                    ended=answered_at.isoformat(),
                    finished=int(summary.finished),
                    outcome=summary.outcome.value if summary.outcome else None,
                    ending_id=summary.ending.id if summary.ending else None,
                    score=summary.score,
                    auto_failed=int(summary.auto_failed),
                    criteria=json.dumps(summary.criteria),
                )
            assignments = ", ".join(f"{key} = ?" for key in fields)
            self.db.execute(f"UPDATE attempts SET {assignments} WHERE id = ?", [*fields.values(), attempt_id])

    def attempts(self, trainee_id: int) -> list[AttemptRecord]:
        return [
            self._attempt(r)
            for r in self._query(
                _ATTEMPTS + " WHERE a.trainee_id = ? GROUP BY a.id ORDER BY a.started DESC", [trainee_id]
            )
        ]

    def attempt(self, attempt_id: int) -> AttemptRecord:
        rows = self._query(_ATTEMPTS + " WHERE a.id = ? GROUP BY a.id", [attempt_id])
        if not rows:
            raise KeyError(attempt_id)
        return self._attempt(rows[0])

    def unfinished(self, trainee_id: int) -> list[AttemptRecord]:
        return [a for a in self.attempts(trainee_id) if not a.finished]

    def discard(self, attempt_id: int) -> None:
        with self._transaction():
            self.db.execute("DELETE FROM attempts WHERE id = ?", [attempt_id])

    def turns(self, attempt_id: int) -> list[TurnRecord]:
        rows = self._query("SELECT * FROM turns WHERE attempt_id = ? ORDER BY idx", [attempt_id])
        return [
            TurnRecord(
                attempt_id=r["attempt_id"],
                index=r["idx"],
                node_id=r["node_id"],
                customer_line=r["customer_line"],
                answer=r["answer"],
                input_mode=r["input_mode"],
                shown_at=datetime.fromisoformat(r["shown_at"]),
                answered_at=datetime.fromisoformat(r["answered_at"]),
                response_seconds=r["response_seconds"],
                score=r["score"],
                criteria=json.loads(r["criteria"]),
                mood_before=r["mood_before"],
                mood_after=r["mood_after"],
                spoken=SpokenAnswer(r["recognized_text"], r["recording"], r["audio_seconds"], r["speech_start"])
                if r["recognized_text"] is not None
                else None,
            )
            for r in rows
        ]

    @property
    def folder(self) -> Path:
        """The data folder: recordings are kept under it, named relative to it."""
        return self.path.parent

    def recordings(self, trainee_id: int) -> list[Path]:
        rows = self._query(
            "SELECT t.recording FROM turns t JOIN attempts a ON a.id = t.attempt_id"
            " WHERE a.trainee_id = ? AND t.recording IS NOT NULL",
            [trainee_id],
        )
        return [self.folder / r["recording"] for r in rows]

    def delete_recordings(self, trainee_id: int) -> int:
        """Delete a trainee's recordings (files and references); the texts and scores stay. Returns files removed."""
        files = self.recordings(trainee_id)
        with self._transaction():
            self.db.execute(
                "UPDATE turns SET recording = NULL WHERE recording IS NOT NULL AND attempt_id IN"
                " (SELECT id FROM attempts WHERE trainee_id = ?)",
                [trainee_id],
            )
        removed = 0
        for file in files:
            with suppress(OSError):
                file.unlink()
                removed += 1
        return removed

    def scenario_stats(self, trainee_id: int) -> dict[str, ScenarioStats]:
        rows = self._query(
            "SELECT scenario_id, COUNT(*) AS n, MAX(CASE WHEN finished THEN score END) AS best"
            " FROM attempts WHERE trainee_id = ? GROUP BY scenario_id",
            [trainee_id],
        )
        return {r["scenario_id"]: ScenarioStats(r["n"], r["best"]) for r in rows}

    # -- internals ---------------------------------------------------------------

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        try:
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise StorageError(self.path, classify(exc), str(exc)) from None
        try:
            yield
            self.db.execute("COMMIT")
        except sqlite3.Error as exc:
            self._rollback()
            raise StorageError(self.path, classify(exc), str(exc)) from None
        except BaseException:
            self._rollback()
            raise

    def _rollback(self) -> None:
        with suppress(sqlite3.Error):
            self.db.execute("ROLLBACK")

    def _query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        try:
            cursor = self.db.execute(sql, params or [])
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except sqlite3.Error as exc:
            raise StorageError(self.path, classify(exc), str(exc)) from None

    @staticmethod
    def _attempt(row: dict[str, Any]) -> AttemptRecord:
        return AttemptRecord(
            id=row["id"],
            trainee_id=row["trainee_id"],
            scenario_id=row["scenario_id"],
            scenario_title=row["scenario_title"],
            scenario_hash=row["scenario_hash"],
            mode=row["mode"],
            seed=row["seed"],
            started=datetime.fromisoformat(row["started"]),
            ended=datetime.fromisoformat(row["ended"]) if row["ended"] else None,
            finished=bool(row["finished"]),
            outcome=row["outcome"],
            ending_id=row["ending_id"],
            score=row["score"],
            auto_failed=bool(row["auto_failed"]),
            criteria=json.loads(row["criteria"]),
            snapshot=json.loads(row["snapshot"]),
            turn_count=row["turn_count"],
        )


_ATTEMPTS = "SELECT a.*, COUNT(t.id) AS turn_count FROM attempts a LEFT JOIN turns t ON t.attempt_id = a.id"
