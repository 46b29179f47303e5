"""Trainees, attempts and turns in SQLite: what the app remembers about practice.

Each scored turn is written in its own transaction together with the engine
snapshot it produced, so after a crash the attempt resumes exactly where the
last committed answer left it. Reading never needs the engine: rows hold the
scores, verdicts and evidence as the scorer produced them at the time.

A trainer (signed in with a passphrase kept only as a salted scrypt hash)
may override a verdict with a comment; overrides are stored beside the
scorer's verdicts, never over them, and every trainer action is audited.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.core.scoring.outcome import attempt_score, stored_turn
from simulator.core.scoring.types import TurnScore
from simulator.storage.classroom_records import TurnInput
from simulator.storage.database import BUSY_TIMEOUT_MS, StorageError, classify, from_row, open_database

if TYPE_CHECKING:
    import sqlite_utils

    from simulator.core.engine import AttemptSummary
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
    # The scorer's own score, for "score 63 (scorer: 55)"; ``score`` and ``criteria`` are what
    # counts, with a trainer's overrides applied (``reviewed``), computed by ``outcome.attempt_score``.
    scorer_score: float | None = None
    reviewed: bool = False
    scorer_criteria: dict[str, float] | None = None  # set when ``reviewed``
    scorer_auto_failed: bool = False

    def as_scored(self) -> AttemptRecord:
        """The attempt with the scorer's numbers, as recorded when it was played (before any override)."""
        if not self.reviewed:
            return self
        criteria = self.scorer_criteria if self.scorer_criteria is not None else self.criteria
        return replace(
            self, score=self.scorer_score, criteria=criteria, auto_failed=self.scorer_auto_failed, reviewed=False
        )

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
    transition: str = ""
    target: str = ""

    @property
    def result(self) -> TurnScore:
        """The turn as it counts, overrides applied (see :func:`simulator.core.scoring.outcome.stored_turn`)."""
        return stored_turn(self.score, self.criteria)

    @property
    def effective_score(self) -> float:
        return self.result.score


@dataclass(frozen=True)
class ScenarioStats:
    attempts: int
    best_score: float | None


# Trainer passphrases: only a salted scrypt hash is stored; the cost parameters are kept per row so
# they can be raised later without locking anyone out.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
MIN_PASSPHRASE = 8


@dataclass(frozen=True)
class Override:
    """A trainer's verdict on one criterion of one turn; the scorer's verdict (``original_met``) stays as it was."""

    id: int
    attempt_id: int
    turn_index: int
    criterion_id: str
    original_met: bool
    met: bool
    comment: str
    trainer: str
    at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One thing a trainer did (override, passphrase change, scenario saved), for accountability."""

    id: int
    at: datetime
    trainer: str
    action: str
    attempt_id: int | None  # None when not about an attempt, or the attempt was discarded since
    detail: dict[str, Any]


@dataclass(frozen=True, kw_only=True)
class ReviewRow(AttemptRecord):
    """An attempt in the trainer's review list: whose it is and how many verdicts were overridden."""

    trainee_name: str
    override_count: int  # override rows (each change counts, also a later change of the same verdict)


def effective_met(criterion: dict[str, Any]) -> bool:
    """A stored criterion's verdict as it counts: the trainer's override if any, else the scorer's.

    ``criterion`` is one dict of :attr:`TurnRecord.criteria`; ``criterion["met"]`` is always the scorer's.
    """
    override = criterion.get("override")
    return bool(override["met"] if override else criterion["met"])


def ran_against_older_version(attempt: AttemptRecord, current_hash: str) -> bool:
    """Whether the attempt was played on a scenario since edited (its scores are as they were then)."""
    return attempt.scenario_hash != current_hash


def _hash_passphrase(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same passphrase typed through different keyboards/IMEs gives the same bytes.
    data = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=2 * 128 * n * r * p + 2**20, dklen=HASH_BYTES)


def _check_new_passphrase(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE:
        raise ValueError(f"the trainer passphrase needs at least {MIN_PASSPHRASE} characters")
    if not passphrase.strip():
        raise ValueError("the trainer passphrase cannot be only spaces")


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
        with self.transaction():
            existing = self._query("SELECT id, name FROM trainees WHERE name = ?", [clean])
            if existing:
                return Trainee(existing[0]["id"], existing[0]["name"])
            cursor = self.db.execute("INSERT INTO trainees (name, created) VALUES (?, ?)", [clean, now().isoformat()])
            return Trainee(int(cursor.lastrowid or 0), clean)

    # -- attempts --------------------------------------------------------------

    def start_attempt(
        self,
        trainee_id: int,
        scenario: Scenario,
        mode: str,
        seed: int,
        snapshot: dict[str, Any],
        *,
        assignment_id: int | None = None,
        source: str = "local",
    ) -> int:
        """A new attempt row; with ``assignment_id`` it is linked to the assignment in the same transaction.

        ``source`` says where the attempt that counts lives: ``local`` (played here) or ``live`` (this
        is the trainee's copy of an attempt the trainer's app recorded in a live session).
        """
        with self.transaction():
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
            attempt_id = int(cursor.lastrowid or 0)
            if assignment_id is not None:
                self.db.execute(
                    "INSERT INTO assignment_attempts (attempt_id, assignment_id, source, linked) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (attempt_id) DO NOTHING",
                    [attempt_id, assignment_id, source, now().isoformat()],
                )
            return attempt_id

    def record_turn(
        self,
        attempt_id: int,
        turn: TurnInput,
        snapshot: dict[str, Any],
        *,
        spoken: SpokenAnswer | None = None,
        summary: AttemptSummary | None = None,
    ) -> None:
        """Commit one scored answer and the snapshot after it; with ``summary``, also close the attempt."""
        with self.transaction():
            self.write_turn(attempt_id, turn, spoken)
            fields: dict[str, Any] = {"snapshot": json.dumps(snapshot)}
            if summary is not None:
                fields.update(
                    ended=turn.answered_at.isoformat(),
                    finished=int(summary.finished),
                    outcome=summary.outcome.value if summary.outcome else None,
                    ending_id=summary.ending.id if summary.ending else None,
                    score=summary.score,
                    auto_failed=int(summary.auto_failed),
                    criteria=json.dumps(summary.criteria),
                )
            assignments = ", ".join(f"{key} = ?" for key in fields)
            self.db.execute(f"UPDATE attempts SET {assignments} WHERE id = ?", [*fields.values(), attempt_id])

    def write_turn(self, attempt_id: int, turn: TurnInput, spoken: SpokenAnswer | None = None) -> None:
        """Within the caller's transaction: the one writer of turn rows (practice, live, projector, files)."""
        self.db.execute(
            "INSERT INTO turns (attempt_id, idx, node_id, customer_line, answer, input_mode, shown_at,"
            " answered_at, response_seconds, score, criteria, mood_before, mood_after, transition, target,"
            " recognized_text, recording, audio_seconds, speech_start)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                attempt_id,
                turn.index,
                turn.node_id,
                turn.customer_line,
                turn.answer,
                turn.input_mode,
                _iso(turn.shown_at),
                _iso(turn.answered_at),
                max(0.0, (turn.answered_at - turn.shown_at).total_seconds()),
                turn.score,
                json.dumps([{k: v for k, v in c.items() if k != "override"} for c in turn.criteria]),
                turn.mood_before,
                turn.mood_after,
                turn.transition,
                turn.target,
                spoken.recognized_text if spoken else None,
                spoken.recording if spoken else None,
                spoken.audio_seconds if spoken else None,
                spoken.speech_start if spoken else None,
            ],
        )

    def attempts(self, trainee_id: int) -> list[AttemptRecord]:
        """The trainee's attempts, newest first, scored as they count (overrides applied)."""
        rows = self._query(_ATTEMPTS + " WHERE a.trainee_id = ? ORDER BY a.started DESC, a.id DESC", [trainee_id])
        return [self._attempt(r) for r in rows]

    def attempt(self, attempt_id: int) -> AttemptRecord:
        rows = self._query(_ATTEMPTS + " WHERE a.id = ?", [attempt_id])
        if not rows:
            raise KeyError(attempt_id)
        return self._attempt(rows[0])

    def unfinished(self, trainee_id: int) -> list[AttemptRecord]:
        return [a for a in self.attempts(trainee_id) if not a.finished]

    def discard(self, attempt_id: int) -> None:
        with self.transaction():
            self.db.execute("DELETE FROM attempts WHERE id = ?", [attempt_id])

    def turns(self, attempt_id: int) -> list[TurnRecord]:
        """The attempt's turns as scored. A criterion a trainer overrode carries an extra ``"override"``
        key (``met``, ``comment``, ``trainer``, ``at``) beside the scorer's ``"met"``: reports use
        :func:`effective_met` per criterion and :attr:`TurnRecord.result` for the turn as it counts."""
        rows = self._query("SELECT * FROM turns WHERE attempt_id = ? ORDER BY idx", [attempt_id])
        latest: dict[tuple[int, str], dict[str, Any]] = {}
        for o in self.overrides(attempt_id):  # per criterion in the order made: the last one counts
            latest[(o.turn_index, o.criterion_id)] = {
                "met": o.met,
                "comment": o.comment,
                "trainer": o.trainer,
                "at": o.at.isoformat(),
            }
        return [
            from_row(
                TurnRecord,
                r,
                index=r["idx"],
                shown_at=datetime.fromisoformat(r["shown_at"]),
                answered_at=datetime.fromisoformat(r["answered_at"]),
                criteria=_with_overrides(json.loads(r["criteria"]), r["idx"], latest),
                spoken=SpokenAnswer(r["recognized_text"], r["recording"], r["audio_seconds"], r["speech_start"])
                if r["recognized_text"] is not None
                else None,
                transition=r["transition"] or "",
                target=r["target"] or "",
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
        with self.transaction():
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
        """Attempts and best finished score per scenario, with overrides applied like every other view."""
        counts: dict[str, int] = {}
        best: dict[str, float | None] = {}
        for attempt in self.attempts(trainee_id):
            counts[attempt.scenario_id] = counts.get(attempt.scenario_id, 0) + 1
            score, top = attempt.score, best.get(attempt.scenario_id)
            best[attempt.scenario_id] = top if score is None or (top is not None and top >= score) else score
        return {sid: ScenarioStats(n, best.get(sid)) for sid, n in counts.items()}

    # -- trainer account -------------------------------------------------------

    def has_trainer(self) -> bool:
        """Whether a trainer passphrase exists: the studio asks to create one, else to sign in."""
        return bool(self._query("SELECT 1 FROM trainer LIMIT 1"))

    def set_trainer_passphrase(self, name: str, passphrase: str) -> None:
        """Create the trainer account; only while none exists, so a trainee cannot take it over.

        Raises ValueError for an empty name, a passphrase under 8 characters, or when a trainer
        already exists (then use :meth:`change_trainer_passphrase` with the old passphrase).
        """
        clean = " ".join(name.split())
        if not clean:
            raise ValueError("the trainer needs a name")
        _check_new_passphrase(passphrase)
        if self.has_trainer():
            raise ValueError("a trainer passphrase is already set; change it with the old passphrase instead")
        salt = secrets.token_bytes(SALT_BYTES)
        digest = _hash_passphrase(passphrase, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)  # outside the write lock
        with self.transaction():
            if self._query("SELECT 1 FROM trainer LIMIT 1"):
                raise ValueError("a trainer passphrase is already set; change it with the old passphrase instead")
            self.db.execute(
                "INSERT INTO trainer (name, passphrase_hash, salt, scrypt_n, scrypt_r, scrypt_p, created)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [clean, digest, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, now().isoformat()],
            )
            self._insert_audit(clean, "set_passphrase", {})

    def change_trainer_passphrase(self, old: str, new: str) -> None:
        """Replace the passphrase (with a fresh salt); proving the old one is what authorises it.

        Raises ValueError when ``old`` matches no trainer or ``new`` is too short.
        """
        _check_new_passphrase(new)
        name = self.verify_trainer(old)
        if name is None:
            raise ValueError("the old trainer passphrase is wrong")
        salt = secrets.token_bytes(SALT_BYTES)
        digest = _hash_passphrase(new, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
        with self.transaction():
            self.db.execute(
                "UPDATE trainer SET passphrase_hash = ?, salt = ?, scrypt_n = ?, scrypt_r = ?, scrypt_p = ?"
                " WHERE name = ?",
                [digest, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, name],
            )
            self._insert_audit(name, "change_passphrase", {})

    def verify_trainer(self, passphrase: str) -> str | None:
        """The trainer's name when ``passphrase`` is right, else None; pass the name on to overrides."""
        if not passphrase:
            return None
        rows = self._query("SELECT name, passphrase_hash, salt, scrypt_n, scrypt_r, scrypt_p FROM trainer")
        for row in rows:
            digest = _hash_passphrase(passphrase, row["salt"], row["scrypt_n"], row["scrypt_r"], row["scrypt_p"])
            if hmac.compare_digest(digest, row["passphrase_hash"]):
                return str(row["name"])
        return None

    def _trainer_name(self, trainer: str) -> str:
        rows = self._query("SELECT name FROM trainer WHERE name = ?", [" ".join(trainer.split())])
        if not rows:
            raise ValueError(f"{trainer!r} is not a trainer; sign in with the trainer passphrase first")
        return str(rows[0]["name"])

    # -- trainer overrides and audit ---------------------------------------------

    def override_verdict(
        self, attempt_id: int, turn_index: int, criterion_id: str, met: bool, comment: str, trainer: str
    ) -> None:
        """Record a trainer's verdict on one criterion of one turn, with its audit row, in one transaction.

        ``trainer`` must be a name :meth:`verify_trainer` returned: trainee sessions have none, so they
        cannot change scores. The scorer's verdict in the turn's criteria is never modified; a later
        override of the same criterion supersedes an earlier one (both stay on record).
        Raises ValueError for an empty comment, an unknown trainer, turn or criterion.
        """
        note = comment.strip()
        if not note:
            raise ValueError("an override needs a comment saying why")
        with self.transaction():
            name = self._trainer_name(trainer)
            rows = self._query("SELECT criteria FROM turns WHERE attempt_id = ? AND idx = ?", [attempt_id, turn_index])
            if not rows:
                raise ValueError(f"attempt {attempt_id} has no turn {turn_index}")
            verdicts = {c["id"]: c for c in json.loads(rows[0]["criteria"])}
            if criterion_id not in verdicts:
                raise ValueError(f"turn {turn_index} of attempt {attempt_id} has no criterion {criterion_id!r}")
            original = bool(verdicts[criterion_id]["met"])
            at = now().isoformat()
            cursor = self.db.execute(
                "INSERT INTO overrides (attempt_id, turn_idx, criterion_id, original_met, met, comment, trainer, at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [attempt_id, turn_index, criterion_id, int(original), int(bool(met)), note, name, at],
            )
            detail = {
                "override": cursor.lastrowid,  # so the undo's audit row names it (learning records replay both)
                "turn": turn_index,
                "criterion": criterion_id,
                "original_met": original,
                "met": bool(met),
                "comment": note,
            }
            self._insert_audit(name, "override", detail, attempt_id, at=at)

    def undo_override(self, override_id: int, trainer: str) -> Override:
        """Delete one override, with an ``override_undone`` audit row saying what it was, in one transaction.

        The audit keeps the record of both the override and its undo. Raises ValueError for an
        unknown trainer or override.
        """
        with self.transaction():
            name = self._trainer_name(trainer)
            rows = self._query("SELECT * FROM overrides WHERE id = ?", [override_id])
            if not rows:
                raise ValueError(f"there is no override {override_id}")
            undone = _override(rows[0])
            self.db.execute("DELETE FROM overrides WHERE id = ?", [override_id])
            detail = {
                "override": override_id,
                "turn": undone.turn_index,
                "criterion": undone.criterion_id,
                "met": undone.met,
                "comment": undone.comment,
                "by": undone.trainer,
            }
            self._insert_audit(name, "override_undone", detail, undone.attempt_id)
        return undone

    def overrides(self, attempt_id: int) -> list[Override]:
        """All overrides of an attempt, by turn and then in the order they were made (the last one counts)."""
        rows = self._query("SELECT * FROM overrides WHERE attempt_id = ? ORDER BY turn_idx, id", [attempt_id])
        return [_override(r) for r in rows]

    def review_history(self, attempt_id: int) -> list[AuditEntry]:
        """The attempt's ``override`` and ``override_undone`` audit rows, oldest first: every change of its
        review, also of overrides since undone (the overrides table keeps only those in force)."""
        rows = self._query(
            "SELECT * FROM audit WHERE attempt_id = ? AND action IN ('override', 'override_undone') ORDER BY id",
            [attempt_id],
        )
        return [
            from_row(AuditEntry, r, at=datetime.fromisoformat(r["at"]), detail=json.loads(r["detail"])) for r in rows
        ]

    def record_audit(self, trainer: str, action: str, detail: dict[str, Any], attempt_id: int | None = None) -> None:
        """Note something a trainer did outside the store (e.g. ``scenario_saved``) in the audit trail."""
        if not action.strip():
            raise ValueError("an audit entry needs an action")
        with self.transaction():
            self._insert_audit(trainer, action.strip(), detail, attempt_id)

    def audit_log(self, limit: int = 200) -> list[AuditEntry]:
        """The latest audit entries, newest first."""
        rows = self._query("SELECT * FROM audit ORDER BY at DESC, id DESC LIMIT ?", [max(0, limit)])
        return [
            from_row(AuditEntry, r, at=datetime.fromisoformat(r["at"]), detail=json.loads(r["detail"])) for r in rows
        ]

    def _insert_audit(
        self, trainer: str, action: str, detail: dict[str, Any], attempt_id: int | None = None, *, at: str | None = None
    ) -> None:
        """Within the caller's transaction, so the audit row and what it records commit together."""
        text = json.dumps(detail, sort_keys=True)  # not JSON-serialisable: TypeError before anything is written
        self.db.execute(
            "INSERT INTO audit (at, trainer, action, attempt_id, detail) VALUES (?, ?, ?, ?, ?)",
            [at or now().isoformat(), trainer, action, attempt_id, text],
        )

    # -- review across trainees --------------------------------------------------

    def review_attempts(
        self,
        trainee_id: int | None = None,
        scenario_id: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        mode: str | None = None,
    ) -> list[ReviewRow]:
        """Attempts of all trainees for the trainer's review, newest first; each filter narrows when given.

        ``since <= started < until`` (to the millisecond); naive datetimes are local time. Compare each row's
        ``scenario_hash`` with the loaded scenario (:func:`ran_against_older_version`) to flag edits.
        """
        where: list[str] = []
        params: list[Any] = []
        if trainee_id is not None:
            where.append("a.trainee_id = ?")
            params.append(trainee_id)
        if scenario_id is not None:
            where.append("a.scenario_id = ?")
            params.append(scenario_id)
        if since is not None:
            where.append("julianday(a.started) >= julianday(?)")
            params.append(since.astimezone(UTC).isoformat())
        if until is not None:
            where.append("julianday(a.started) < julianday(?)")
            params.append(until.astimezone(UTC).isoformat())
        if mode is not None:
            where.append("a.mode = ?")
            params.append(mode)
        sql = (
            "SELECT a.*, tr.name AS trainee_name,"
            " (SELECT COUNT(*) FROM turns t WHERE t.attempt_id = a.id) AS turn_count,"
            " (SELECT COUNT(*) FROM overrides o WHERE o.attempt_id = a.id) AS override_count,"
            " EXISTS (SELECT 1 FROM overrides o WHERE o.attempt_id = a.id) AS overridden"
            " FROM attempts a JOIN trainees tr ON tr.id = a.trainee_id"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY a.started DESC, a.id DESC"
        )
        rows = self._query(sql, params)
        return [
            ReviewRow(**vars(self._attempt(r)), trainee_name=r["trainee_name"], override_count=r["override_count"])
            for r in rows
        ]

    # -- internals ---------------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """``BEGIN IMMEDIATE`` ... ``COMMIT``, the one transaction helper of the attempt database.

        Any error rolls back; SQLite errors become :class:`StorageError`.
        """
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

    def _attempt(self, row: dict[str, Any]) -> AttemptRecord:
        """A row as it counts: the stored (scorer's) numbers, or when a trainer overrode a verdict,
        the numbers :func:`attempt_score` gives over the turns with the overrides applied."""
        finished = bool(row["finished"])
        scorer_score: float | None = row["score"] if finished else None
        scorer_criteria, scorer_auto_failed = json.loads(row["criteria"]), bool(row["auto_failed"])
        score, criteria, auto_failed = scorer_score, scorer_criteria, scorer_auto_failed
        reviewed = bool(row.get("overridden"))
        if reviewed:
            counted = attempt_score([t.result for t in self.turns(row["id"])], finished=finished)
            score, criteria, auto_failed = counted.score, counted.criteria, counted.auto_failed
        return from_row(
            AttemptRecord,
            row,
            started=datetime.fromisoformat(row["started"]),
            ended=datetime.fromisoformat(row["ended"]) if row["ended"] else None,
            finished=finished,
            score=score,
            auto_failed=auto_failed,
            criteria=criteria,
            snapshot=json.loads(row["snapshot"]),
            scorer_score=scorer_score,
            reviewed=reviewed,
            scorer_criteria=scorer_criteria if reviewed else None,
            scorer_auto_failed=scorer_auto_failed,
        )


def _override(r: dict[str, Any]) -> Override:
    return from_row(
        Override,
        r,
        turn_index=r["turn_idx"],
        original_met=bool(r["original_met"]),
        met=bool(r["met"]),
        at=datetime.fromisoformat(r["at"]),
    )


def _with_overrides(
    criteria: list[dict[str, Any]], turn_index: int, latest: dict[tuple[int, str], dict[str, Any]]
) -> list[dict[str, Any]]:
    for criterion in criteria:
        override = latest.get((turn_index, criterion["id"]))
        if override is not None:
            criterion["override"] = override
    return criteria


_ATTEMPTS = (
    "SELECT a.*, (SELECT COUNT(*) FROM turns t WHERE t.attempt_id = a.id) AS turn_count,"
    " EXISTS (SELECT 1 FROM overrides o WHERE o.attempt_id = a.id) AS overridden FROM attempts a"
)


def _iso(moment: datetime) -> str:
    """UTC ISO text: one offset in the file, so text comparison and sorting agree with time."""
    if moment.tzinfo is None:
        raise ValueError("stored times must be timezone-aware")
    return moment.astimezone(UTC).isoformat()
