"""The live host's database thread: stores each trainee's attempt as the network thread hands it over.

It owns its own SQLite connection (opened on its thread; WAL mode lets it write beside the
UI's connection), so a slow disk never holds up the network loop, and the session's row is
opened when the host starts and closed, with a summary, when it stops.
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from pathlib import Path
from typing import Any

from simulator.classroom.host_events import EventKind
from simulator.classroom.room import LiveRoom
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import AttemptInput, Source
from simulator.storage.database import StorageError

log = logging.getLogger(__name__)

Job = tuple[str, str, AttemptInput]  # participant key, name, attempt


class LiveRecorder:
    def __init__(
        self, database: Path | None, room: LiveRoom, title: str, session_uid: str, emit: Callable[..., None]
    ) -> None:
        self.database = database  # None: nothing is stored (the dashboard still works)
        self.room = room
        self.title = title
        self.session_uid = session_uid
        self.emit = emit  # the host's event emitter: emit(kind, detail=..., name=..., row=..., attempt_id=...)
        self.session_id: int | None = None  # the classroom_sessions row, once open
        self._jobs: queue.Queue[Job | None] = queue.Queue()

    def put(self, job: Job) -> None:
        self._jobs.put(job)

    def finish(self) -> None:
        """No more jobs: store what is queued, close the session row and the database, then return from run()."""
        self._jobs.put(None)

    def run(self) -> None:
        classroom = self._open()
        try:
            while (job := self._jobs.get()) is not None:
                if classroom is not None:
                    self._store(classroom, *job)
        finally:
            if classroom is not None:
                self._close(classroom)
            self.emit(EventKind.STOPPED, detail="the host has stopped")

    def _open(self) -> ClassroomStore | None:
        if self.database is None:
            return None
        try:
            classroom = ClassroomStore.open(self.database)
            detail = {"title": self.title, "session": self.session_uid}
            self.session_id = classroom.start_session("live", self.room.scenario, self.room.assignment.id, detail).id
            return classroom
        except (StorageError, ValueError, KeyError) as exc:
            log.error("live session: cannot open the database: %s", exc)
            self.emit(EventKind.SAVE_FAILED, detail=f"cannot open the database: {exc}")
            return None

    def _store(self, classroom: ClassroomStore, key: str, name: str, attempt: AttemptInput) -> None:
        try:
            stored = classroom.store_results(self.room.assignment.id, name, [attempt], Source.LIVE, self.session_id)
        except (StorageError, ValueError, KeyError) as exc:
            log.error("live session: storing %s's attempt failed: %s", name, exc)
            self.emit(EventKind.SAVE_FAILED, detail=str(exc), name=name)
            return
        attempt_id = stored.attempt_ids[0]
        self.room.mark_saved(key, attempt_id)
        self.emit(EventKind.SAVED, detail="stored", name=name, row=self.room.row(key), attempt_id=attempt_id)

    def _close(self, classroom: ClassroomStore) -> None:
        if self.session_id is not None:
            board = self.room.dashboard(self.title)
            detail: dict[str, Any] = {"title": self.title, "session": self.session_uid}
            detail.update(joined=board.joined, finished=board.finished, passed=board.passed)
            try:
                classroom.finish_session(self.session_id, detail)
            except StorageError as exc:
                log.error("live session: closing the session record failed: %s", exc)
        classroom.close()
