"""Run slow work (scoring, database IO) off the GUI thread; results come back by signal.

One worker thread (``maxThreadCount = 1``) runs tasks in order, so the SQLite
connection and the engine session are never used by two threads at once.
Tests pass ``synchronous=True`` to run tasks inline, as Picard's test pool does.
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives in the GUI thread; signals emitted from the worker are queued to it."""

    done = Signal(int, object)
    failed = Signal(int, object)


class _Job(QRunnable):
    def __init__(self, ident: int, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.ident = ident
        self.work = work
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:
            self.relay.failed.emit(self.ident, exc)
        else:
            self.relay.done.emit(self.ident, result)


class TaskRunner(QObject):
    """``run(work, on_done, on_error)``: ``work`` runs on the worker, callbacks on the GUI thread."""

    busy_changed = Signal(bool)

    def __init__(
        self,
        on_error: Callable[[BaseException], None],
        *,
        synchronous: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.synchronous = synchronous
        self.default_error = on_error
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._finish)
        self._relay.failed.connect(self._fail)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None]]] = {}
        self._ids = itertools.count(1)
        self._held: list[tuple[int, Callable[[], Any]]] | None = None

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def run(
        self,
        work: Callable[[], T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        ident = next(self._ids)
        self._pending[ident] = (on_done, on_error or self.default_error)
        if len(self._pending) == 1:
            self.busy_changed.emit(True)
        if self.synchronous:
            try:
                result = work()
            except BaseException as exc:
                self._fail(ident, exc)
            else:
                self._finish(ident, result)
            return
        if self._held is not None:
            self._held.append((ident, work))
        else:
            # The job is made and handed over in one go: PySide crashes (a refcount error) if Python
            # still holds a QRunnable that the pool deletes after running it.
            self._pool.start(_Job(ident, work, self._relay))

    def hold(self) -> None:
        """Queue work without starting it until :meth:`release`: at start-up the window is drawn first."""
        if self._held is None and not self.synchronous:
            self._held = []

    def release(self) -> None:
        held, self._held = self._held or [], None
        for ident, work in held:
            self._pool.start(_Job(ident, work, self._relay))

    def wait(self, msecs: int = 30_000) -> bool:
        """Block until queued work has run (at shutdown, and in tests)."""
        return self._pool.waitForDone(msecs)

    @Slot(int, object)
    def _finish(self, ident: int, result: object) -> None:
        on_done, _ = self._pending.pop(ident)
        self._settle()
        on_done(result)

    @Slot(int, object)
    def _fail(self, ident: int, error: object) -> None:
        _, on_error = self._pending.pop(ident)
        self._settle()
        assert isinstance(error, BaseException)
        log.debug("background task failed: %r", error)
        on_error(error)

    def _settle(self) -> None:
        if not self._pending:
            self.busy_changed.emit(False)
