"""The live host's scoring workers: answers are scored off the network thread, each trainee's in order.

Why: scoring one answer can take long (a pathological text, a slow scorer); on the network thread
it stalled every other trainee and the trainer's window. Here a few worker threads take the
answers; a trainee's next answer waits until their previous one is scored (the engine needs them
in order), while other trainees' answers go to the other workers. The queue is bounded: each
trainee has at most ``max_waiting`` answers waiting, so the queue never holds more than
participants × that. Results go back to the network thread through :meth:`take_done` (it is woken
by ``wake``), which alone sends acks, so sealing and sockets stay on one thread.

A scorer that holds Python's GIL for seconds (a C regex that backtracks) still slows every thread
of the process: bounded scoring time is the scorer's job; this keeps the others' waits to the
GIL's switch interval whenever the scorer lets go of it.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


@dataclass
class Done:
    """One answer's outcome: ``value`` is what the job returned, or ``error`` what it raised."""

    key: str
    tag: Any  # whatever the submitter needs to route the outcome (the connection)
    value: Any = None
    error: BaseException | None = None


class ScoringPool:
    def __init__(self, threads: int, max_waiting: int, wake: Callable[[], None]) -> None:
        self.max_waiting = max_waiting
        self._wake = wake
        self._lock = threading.Lock()
        self._backlog: dict[str, deque[tuple[Any, Callable[[], Any]]]] = {}  # per trainee; the first is running
        self._ready: queue.SimpleQueue[tuple[str, Any, Callable[[], Any]] | None] = queue.SimpleQueue()
        self._done: queue.SimpleQueue[Done] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._work, name=f"live-host-scoring-{n}", daemon=True) for n in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, key: str, tag: Any, job: Callable[[], Any]) -> bool:
        """Queue ``job`` after the trainee's earlier ones; False when they already have too many waiting."""
        with self._lock:
            backlog = self._backlog.setdefault(key, deque())
            if len(backlog) >= self.max_waiting:
                return False
            backlog.append((tag, job))
            if len(backlog) == 1:
                self._ready.put((key, tag, job))
        return True

    def busy(self, key: str) -> bool:
        with self._lock:
            return bool(self._backlog.get(key))

    def take_done(self) -> list[Done]:
        done = []
        while True:
            try:
                done.append(self._done.get_nowait())
            except queue.Empty:
                return done

    def stop(self, timeout: float = 10.0) -> None:
        for _ in self._threads:
            self._ready.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def _work(self) -> None:
        while (item := self._ready.get()) is not None:
            key, tag, job = item
            outcome = Done(key, tag)
            try:
                outcome.value = job()
            except BaseException as exc:  # handed to the network thread, which decides
                outcome.error = exc
            with self._lock:
                backlog = self._backlog[key]
                backlog.popleft()
                if backlog:
                    self._ready.put((key, *backlog[0]))
                else:
                    del self._backlog[key]
            self._done.put(outcome)
            try:
                self._wake()
            except Exception:
                log.exception("waking the live host's network thread failed")
