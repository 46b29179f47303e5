"""The classroom store: groups, roster imports, assignments and their status, results from elsewhere.

It works on the same database (and connection) as :class:`~simulator.storage.store.Store`, so
it shares its threading rule: one thread at a time. A live-session host that writes from its own
thread opens its own connection with :meth:`ClassroomStore.open` (SQLite in WAL mode lets both
write; the busy timeout serialises them).
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from simulator.storage import classroom_sql as sql
from simulator.storage.classroom_records import (
    MODES,
    Assignment,
    AssignmentStatus,
    AttemptFact,
    AttemptInput,
    ClassroomSession,
    ExportedAttempt,
    Group,
    RosterResult,
    Source,
    StoredResults,
)
from simulator.storage.classroom_status import assignment_status, library_order
from simulator.storage.store import Store, Trainee, now

if TYPE_CHECKING:
    from simulator.core.model import Scenario

MAX_NAME = 80  # trainee and group names: what fits on a dashboard row and a report


def _check_name(name: str, what: str) -> str:
    clean = sql.clean_name(name)
    if not clean:
        raise ValueError(f"a {what} needs a name")
    if len(clean) > MAX_NAME:
        raise ValueError(f"a {what} name can have at most {MAX_NAME} characters")
    if sql.unprintable(clean):
        raise ValueError(f"a {what} name cannot contain control or invisible characters")
    return clean


class ClassroomStore:
    """Classroom data beside a :class:`Store` (pass the app's Store; not thread-safe, like it)."""

    def __init__(self, store: Store, clock: Callable[[], datetime] = now) -> None:
        self.store = store
        self.clock = clock

    @classmethod
    def open(cls, path: Path, clock: Callable[[], datetime] = now) -> ClassroomStore:
        """Its own connection to the database at ``path``, for a thread of its own; close it after."""
        return cls(Store(path), clock)

    def close(self) -> None:
        self.store.close()

    # -- groups and roster -------------------------------------------------------

    def groups(self) -> list[Group]:
        rows = sql.query(
            self.store,
            "SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count"
            " FROM groups g ORDER BY g.name COLLATE NOCASE",
        )
        return [sql.group_from(r) for r in rows]

    def group(self, group_id: int) -> Group:
        rows = sql.query(
            self.store,
            "SELECT g.*, (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS member_count"
            " FROM groups g WHERE g.id = ?",
            [group_id],
        )
        if not rows:
            raise KeyError(group_id)
        return sql.group_from(rows[0])

    def group_named(self, name: str) -> Group | None:
        rows = sql.query(self.store, "SELECT id FROM groups WHERE name = ?", [sql.clean_name(name)])
        return self.group(rows[0]["id"]) if rows else None

    def add_group(self, name: str) -> Group:
        """A new group, or the existing one of that name (names are unique, ignoring case)."""
        clean = _check_name(name, "group")
        with sql.transaction(self.store):
            group_id, _ = self._group_id_for(clean)
        return self.group(group_id)

    def rename_group(self, group_id: int, name: str) -> Group:
        clean = _check_name(name, "group")
        with sql.transaction(self.store):
            if sql.query(self.store, "SELECT 1 FROM groups WHERE name = ? AND id != ?", [clean, group_id]):
                raise ValueError(f"there is already a group called {clean!r}")
            self.store.db.execute("UPDATE groups SET name = ? WHERE id = ?", [clean, group_id])
        return self.group(group_id)

    def delete_group(self, group_id: int) -> None:
        """Removes the group, its memberships and assignments; trainees and their attempts stay."""
        with sql.transaction(self.store):
            self.store.db.execute("DELETE FROM groups WHERE id = ?", [group_id])

    def members(self, group_id: int) -> list[Trainee]:
        rows = sql.query(
            self.store,
            "SELECT t.id, t.name FROM trainees t JOIN group_members m ON m.trainee_id = t.id"
            " WHERE m.group_id = ? ORDER BY t.name COLLATE NOCASE",
            [group_id],
        )
        return [Trainee(r["id"], r["name"]) for r in rows]

    def groups_of(self, trainee_id: int) -> list[Group]:
        rows = sql.query(
            self.store,
            "SELECT g.*, (SELECT COUNT(*) FROM group_members x WHERE x.group_id = g.id) AS member_count"
            " FROM groups g JOIN group_members m ON m.group_id = g.id WHERE m.trainee_id = ?"
            " ORDER BY g.name COLLATE NOCASE",
            [trainee_id],
        )
        return [sql.group_from(r) for r in rows]

    def add_member(self, group_id: int, trainee_id: int) -> bool:
        """Whether the trainee was added (False: already a member)."""
        with sql.transaction(self.store):
            return self._add_member(group_id, trainee_id)

    def remove_member(self, group_id: int, trainee_id: int) -> None:
        with sql.transaction(self.store):
            self.store.db.execute(
                "DELETE FROM group_members WHERE group_id = ? AND trainee_id = ?", [group_id, trainee_id]
            )

    def import_roster(self, entries: Sequence[tuple[str, str | None]]) -> RosterResult:
        """Add (name, group or None) pairs in one transaction: all of them, or on any error none.

        Existing trainees and groups are reused (names match ignoring case and extra spaces);
        repeated pairs are harmless. Raises ValueError naming the first bad entry.
        """
        checked = [(_check_name(n, "trainee"), _check_name(g, "group") if g else None) for n, g in entries]
        seen: dict[str, tuple[str, bool]] = {}  # casefolded name -> (stored name, created by this import)
        groups: list[str] = []
        added = 0
        at = self.clock()
        with sql.transaction(self.store):
            for name, group in checked:
                trainee_id, stored, is_new = sql.trainee_id_for(self.store, name, at)
                seen.setdefault(stored.casefold(), (stored, is_new))
                if group is not None:
                    group_id, group_new = self._group_id_for(group)
                    if group_new:
                        groups.append(group)
                    added += self._add_member(group_id, trainee_id)
        return RosterResult(
            trainees_created=tuple(n for n, new in seen.values() if new),
            trainees_existing=tuple(n for n, new in seen.values() if not new),
            groups_created=tuple(groups),
            memberships_added=added,
        )

    # -- assignments -------------------------------------------------------------

    def assign(
        self,
        group_id: int,
        scenario: Scenario,
        mode: str,
        pass_threshold: float,
        attempt_limit: int | None = None,
        due: datetime | None = None,
    ) -> Assignment:
        """Give ``scenario`` to the group; a fresh uid and results-file secret are generated.

        ``due`` must be timezone-aware (the UI passes the end of the chosen local day).
        Raises ValueError for an unknown mode, a threshold outside 0-100, a limit below 1.
        """
        _check_rules(mode, pass_threshold, attempt_limit, due)
        created = self.clock()
        with sql.transaction(self.store):
            if not sql.query(self.store, "SELECT 1 FROM groups WHERE id = ?", [group_id]):
                raise KeyError(group_id)
            cursor = self.store.db.execute(
                "INSERT INTO assignments (uid, group_id, scenario_id, scenario_title, scenario_hash, mode,"
                " pass_threshold, attempt_limit, due, created, secret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    uuid.uuid4().hex,
                    group_id,
                    scenario.id,
                    scenario.title,
                    scenario.content_hash,
                    mode,
                    float(pass_threshold),
                    attempt_limit,
                    sql.iso(due) if due else None,
                    sql.iso(created),
                    secrets.token_hex(32),
                ],
            )
        return self.assignment(int(cursor.lastrowid or 0))

    def update_assignment(
        self, assignment_id: int, pass_threshold: float, attempt_limit: int | None, due: datetime | None
    ) -> Assignment:
        """Change the rules of an assignment; statuses are computed on reading, so they follow at once."""
        current = self.assignment(assignment_id)
        _check_rules(current.mode, pass_threshold, attempt_limit, due)
        with sql.transaction(self.store):
            self.store.db.execute(
                "UPDATE assignments SET pass_threshold = ?, attempt_limit = ?, due = ? WHERE id = ?",
                [float(pass_threshold), attempt_limit, sql.iso(due) if due else None, assignment_id],
            )
        return self.assignment(assignment_id)

    def delete_assignment(self, assignment_id: int) -> None:
        """Removes the assignment and its attempt links; the attempts themselves stay in the history."""
        with sql.transaction(self.store):
            self.store.db.execute("DELETE FROM assignments WHERE id = ?", [assignment_id])

    def assignment(self, assignment_id: int) -> Assignment:
        rows = sql.query(self.store, sql.ASSIGNMENTS + " WHERE s.id = ?", [assignment_id])
        if not rows:
            raise KeyError(assignment_id)
        return sql.assignment_from(rows[0])

    def assignment_by_uid(self, uid: str) -> Assignment | None:
        rows = sql.query(self.store, sql.ASSIGNMENTS + " WHERE s.uid = ?", [uid])
        return sql.assignment_from(rows[0]) if rows else None

    def assignments(self, group_id: int | None = None) -> list[Assignment]:
        """Newest first; all groups' when ``group_id`` is None."""
        where, params = (" WHERE s.group_id = ?", [group_id]) if group_id is not None else ("", [])
        rows = sql.query(self.store, sql.ASSIGNMENTS + where + " ORDER BY s.created DESC, s.id DESC", params)
        return [sql.assignment_from(r) for r in rows]

    def adopt_assignment(self, assignment: Assignment, trainee_id: int) -> Assignment:
        """On a trainee's machine: keep an assignment received from the trainer (file or live session).

        Matched by uid: received again (a new due date, say), it is updated in place. Its group is
        matched by uid too, created under the trainer's name for it (suffixed if the name is taken
        here), and the trainee becomes a member, so :meth:`assignments_for` lists it.
        """
        _check_rules(assignment.mode, assignment.pass_threshold, assignment.attempt_limit, assignment.due)
        group_name = _check_name(assignment.group_name, "group")
        at = self.clock()
        with sql.transaction(self.store):
            rows = sql.query(self.store, "SELECT id FROM groups WHERE uid = ?", [assignment.group_uid])
            if rows:
                group_id = int(rows[0]["id"])
            else:
                name, n = group_name, 1
                while sql.query(self.store, "SELECT 1 FROM groups WHERE name = ?", [name]):
                    n += 1
                    name = f"{group_name} ({n})"
                cursor = self.store.db.execute(
                    "INSERT INTO groups (uid, name, created) VALUES (?, ?, ?)",
                    [assignment.group_uid, name, sql.iso(at)],
                )
                group_id = int(cursor.lastrowid or 0)
            self._add_member(group_id, trainee_id)
            values = [
                group_id,
                assignment.scenario_id,
                assignment.scenario_title,
                assignment.scenario_hash,
                assignment.mode,
                float(assignment.pass_threshold),
                assignment.attempt_limit,
                sql.iso(assignment.due) if assignment.due else None,
                sql.iso(assignment.created),
                assignment.secret,
            ]
            if sql.query(self.store, "SELECT 1 FROM assignments WHERE uid = ?", [assignment.uid]):
                self.store.db.execute(
                    "UPDATE assignments SET group_id = ?, scenario_id = ?, scenario_title = ?, scenario_hash = ?,"
                    " mode = ?, pass_threshold = ?, attempt_limit = ?, due = ?, created = ?, secret = ? WHERE uid = ?",
                    [*values, assignment.uid],
                )
            else:
                self.store.db.execute(
                    "INSERT INTO assignments (group_id, scenario_id, scenario_title, scenario_hash, mode,"
                    " pass_threshold, attempt_limit, due, created, secret, uid, origin)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'imported')",
                    [*values, assignment.uid],
                )
        adopted = self.assignment_by_uid(assignment.uid)
        assert adopted is not None
        return adopted

    def link_attempt(self, assignment_id: int, attempt_id: int) -> None:
        """Mark an attempt played here as made for the assignment (the library starts it from the card)."""
        with sql.transaction(self.store):
            self.store.db.execute(
                "INSERT INTO assignment_attempts (attempt_id, assignment_id, source, linked) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (attempt_id) DO NOTHING",
                [attempt_id, assignment_id, Source.LOCAL.value, sql.iso(self.clock())],
            )

    # -- status --------------------------------------------------------------------

    def attempts_for(self, assignment_id: int) -> list[AttemptFact]:
        """The group members' attempts that may count for the assignment (the rules pick which do)."""
        a = self.assignment(assignment_id)
        return sql.attempt_facts(
            self.store,
            "a.trainee_id IN (SELECT trainee_id FROM group_members WHERE group_id = ?)"
            " AND (l.assignment_id = ? OR (l.assignment_id IS NULL AND a.scenario_id = ? AND a.mode = ?))",
            [a.group_id, a.id, a.scenario_id, a.mode],
        )

    def assignments_for(self, trainee_id: int, at: datetime | None = None) -> list[AssignmentStatus]:
        """The trainee's assignments (those of their groups) with status, in library order: open work first."""
        moment = at or self.clock()
        rows = sql.query(
            self.store,
            sql.ASSIGNMENTS + " WHERE s.group_id IN (SELECT group_id FROM group_members WHERE trainee_id = ?)",
            [trainee_id],
        )
        if not rows:
            return []
        facts = sql.attempt_facts(self.store, "a.trainee_id = ?", [trainee_id])
        return library_order(assignment_status(sql.assignment_from(r), trainee_id, facts, moment) for r in rows)

    def status(self, assignment_id: int, trainee_id: int, at: datetime | None = None) -> AssignmentStatus:
        facts = sql.attempt_facts(self.store, "a.trainee_id = ?", [trainee_id])
        return assignment_status(self.assignment(assignment_id), trainee_id, facts, at or self.clock())

    def statuses(self, assignment_id: int, at: datetime | None = None) -> dict[int, AssignmentStatus]:
        """Every group member's status on the assignment, by trainee id."""
        assignment = self.assignment(assignment_id)
        facts = self.attempts_for(assignment_id)
        moment = at or self.clock()
        return {t.id: assignment_status(assignment, t.id, facts, moment) for t in self.members(assignment.group_id)}

    # -- results from elsewhere ------------------------------------------------------

    def store_results(
        self,
        assignment_id: int,
        trainee_name: str,
        attempts: Sequence[AttemptInput],
        source: Source,
        session_id: int | None = None,
    ) -> StoredResults:
        """Store one trainee's attempts for an assignment in one transaction, linked to it.

        The trainee is found by name (created if new) and added to the assignment's group when not
        a member (``joined_group`` says so). An attempt whose ``uid`` is already stored is skipped
        and listed in ``duplicates``. Raises ValueError when an attempt is of another scenario.
        """
        assignment = self.assignment(assignment_id)
        name = _check_name(trainee_name, "trainee")
        for attempt in attempts:
            if attempt.scenario_id != assignment.scenario_id:
                raise ValueError(f"an attempt at {attempt.scenario_id!r} cannot count for {assignment.scenario_id!r}")
            if attempt.mode not in MODES:
                raise ValueError(f"unknown mode {attempt.mode!r}")
        at = self.clock()
        ids: list[int] = []
        duplicates: list[str] = []
        with sql.transaction(self.store):
            trainee_id, stored_name, _ = sql.trainee_id_for(self.store, name, at)
            joined = self._add_member(assignment.group_id, trainee_id)
            for attempt in attempts:
                if attempt.uid is not None and sql.query(
                    self.store, "SELECT 1 FROM assignment_attempts WHERE external_uid = ?", [attempt.uid]
                ):
                    duplicates.append(attempt.uid)
                    continue
                attempt_id = sql.insert_attempt(self.store, trainee_id, attempt)
                self._link(assignment_id, attempt_id, source, attempt.uid, session_id, at)
                ids.append(attempt_id)
        return StoredResults(trainee_id, stored_name, tuple(ids), tuple(duplicates), joined)

    def start_session(
        self, kind: str, scenario: Scenario, assignment_id: int | None = None, detail: dict[str, Any] | None = None
    ) -> ClassroomSession:
        """A classroom session row (``"projector"`` or ``"live"``); results stored later can name it."""
        with sql.transaction(self.store):
            session_id = self._insert_session(kind, scenario, assignment_id, self.clock(), None, detail or {})
        return self.session(session_id)

    def finish_session(self, session_id: int, detail: dict[str, Any] | None = None) -> ClassroomSession:
        with sql.transaction(self.store):
            fields = "ended = ?" + (", detail = ?" if detail is not None else "")
            params: list[Any] = [sql.iso(self.clock())] + ([json.dumps(detail)] if detail is not None else [])
            self.store.db.execute(f"UPDATE classroom_sessions SET {fields} WHERE id = ?", [*params, session_id])
        return self.session(session_id)

    def save_session(
        self,
        kind: str,
        scenario: Scenario,
        assignment_id: int | None,
        started: datetime,
        detail: dict[str, Any],
        results: Mapping[int, AttemptInput],
    ) -> tuple[ClassroomSession, dict[int, int]]:
        """A whole finished session in one transaction: its row (``detail`` holds e.g. the transcript)
        and one attempt per trainee id in ``results``, linked to the assignment when there is one (the
        trainees become members of its group, as with :meth:`store_results`). Returns the session and
        the attempt id stored for each trainee."""
        group_id = self.assignment(assignment_id).group_id if assignment_id is not None else None
        at = self.clock()
        stored: dict[int, int] = {}
        with sql.transaction(self.store):
            session_id = self._insert_session(kind, scenario, assignment_id, started, at, detail)
            for trainee_id, attempt in results.items():
                attempt_id = sql.insert_attempt(self.store, trainee_id, attempt)
                if assignment_id is not None and group_id is not None:
                    self._link(assignment_id, attempt_id, Source(kind), attempt.uid, session_id, at)
                    self._add_member(group_id, trainee_id)  # credited for the group's assignment: one of them
                stored[trainee_id] = attempt_id
        return self.session(session_id), stored

    def session(self, session_id: int) -> ClassroomSession:
        rows = sql.query(self.store, "SELECT * FROM classroom_sessions WHERE id = ?", [session_id])
        if not rows:
            raise KeyError(session_id)
        return sql.session_from(rows[0])

    def sessions(self, assignment_id: int | None = None) -> list[ClassroomSession]:
        where, params = (" WHERE assignment_id = ?", [assignment_id]) if assignment_id is not None else ("", [])
        rows = sql.query(self.store, "SELECT * FROM classroom_sessions" + where + " ORDER BY started DESC", params)
        return [sql.session_from(r) for r in rows]

    def export_attempts(self, assignment_id: int, trainee_id: int) -> list[ExportedAttempt]:
        """The trainee's counted, finished attempts for the assignment, for a results file (oldest first)."""
        status = self.status(assignment_id, trainee_id)
        # A live session's attempts are the trainer's already (their app recorded them): a results
        # file carrying this computer's copy as well would count them twice.
        live = {
            int(r["attempt_id"])
            for r in sql.query(
                self.store,
                "SELECT attempt_id FROM assignment_attempts WHERE assignment_id = ? AND source = 'live'",
                [assignment_id],
            )
        }
        exported = []
        for attempt_id in status.counted:
            record = self.store.attempt(attempt_id)
            if not record.finished or attempt_id in live:
                continue
            rows = sql.query(self.store, "SELECT idx, transition, target FROM turns WHERE attempt_id = ?", [record.id])
            routes = {int(r["idx"]): (str(r["transition"]), str(r["target"])) for r in rows}
            exported.append(ExportedAttempt(record, tuple(self.store.turns(record.id)), routes))
        return exported

    # -- internals -------------------------------------------------------------------

    def _group_id_for(self, name: str) -> tuple[int, bool]:
        rows = sql.query(self.store, "SELECT id FROM groups WHERE name = ?", [name])
        if rows:
            return int(rows[0]["id"]), False
        cursor = self.store.db.execute(
            "INSERT INTO groups (uid, name, created) VALUES (?, ?, ?)", [uuid.uuid4().hex, name, sql.iso(self.clock())]
        )
        return int(cursor.lastrowid or 0), True

    def _add_member(self, group_id: int, trainee_id: int) -> bool:
        cursor = self.store.db.execute(
            "INSERT INTO group_members (group_id, trainee_id, added) VALUES (?, ?, ?)"
            " ON CONFLICT (group_id, trainee_id) DO NOTHING",
            [group_id, trainee_id, sql.iso(self.clock())],
        )
        return cursor.rowcount > 0

    def _link(
        self, assignment_id: int, attempt_id: int, source: Source, uid: str | None, session_id: int | None, at: datetime
    ) -> None:
        self.store.db.execute(
            "INSERT INTO assignment_attempts (attempt_id, assignment_id, source, external_uid, session_id, linked)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [attempt_id, assignment_id, source.value, uid, session_id, sql.iso(at)],
        )

    def _insert_session(
        self,
        kind: str,
        scenario: Scenario,
        assignment_id: int | None,
        started: datetime,
        ended: datetime | None,
        detail: dict[str, Any],
    ) -> int:
        if kind not in ("projector", "live"):
            raise ValueError(f"unknown session kind {kind!r}")
        cursor = self.store.db.execute(
            "INSERT INTO classroom_sessions (uid, kind, assignment_id, scenario_id, scenario_hash, started, ended,"
            " detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                uuid.uuid4().hex,
                kind,
                assignment_id,
                scenario.id,
                scenario.content_hash,
                sql.iso(started),
                sql.iso(ended) if ended else None,
                json.dumps(detail),
            ],
        )
        return int(cursor.lastrowid or 0)


def _check_rules(mode: str, pass_threshold: float, attempt_limit: int | None, due: datetime | None) -> None:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if not 0 <= float(pass_threshold) <= 100:
        raise ValueError("the pass threshold is a score from 0 to 100")
    if attempt_limit is not None and (isinstance(attempt_limit, bool) or attempt_limit < 1):
        raise ValueError("the attempt limit is at least 1 (or none for unlimited)")
    if due is not None and due.tzinfo is None:
        raise ValueError("the due date must be timezone-aware")
