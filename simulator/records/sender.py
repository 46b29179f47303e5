"""Draining the outbox to the LRS in the background, in batches, backing off when it cannot.

One thread, started only once an LRS is configured (so an unconfigured app opens
no connection at all), with its own database connection. Each round POSTs the due
statements in batches, oldest first. A statement is marked sent only after the
LRS acknowledged it; if the app dies in between, it is sent again under the same
id, which the LRS recognises (xAPI: same id and body, 204), so nothing is stored
twice and nothing is lost.

When a batch is refused for its content (400, or 409 because one statement is
already there with another body) the statements go one by one with PUT: a 409 on
one means it is already there, which is logged and counts as delivered; a 400
marks that one rejected (kept, counted, retried only when asked). A batch answered
with a server error goes one by one too, so a statement the LRS chokes on waits
alone while the rest go. When the LRS cannot be reached or fails (DNS, refused,
TLS, timeout, 401, 5xx...) the batch's statements are tried again later, each
after an exponential backoff with jitter (2 s, 4 s, 8 s... capped at 5 minutes),
and the sender pauses likewise; the first success brings every backed-off
statement forward.

:meth:`Sender.drain` does one round synchronously: tests drive it with their own
clock, and ``empathy-trainer records send`` uses it.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.records.errors import CONTENT_PROBLEMS, LrsError, Problem
from simulator.records.outbox import Counts, Outbox, Queued

if TYPE_CHECKING:
    from simulator.records.client import LrsClient
    from simulator.records.config import LrsConfig

log = logging.getLogger(__name__)

BATCH_SIZE = 50
BASE_DELAY = 2.0
MAX_DELAY = 300.0
IDLE_WAIT = 60.0  # look at the outbox now and then even if not woken (the command line may have added some)


@dataclass
class Round:
    """What one drain did."""

    sent: int = 0
    conflicts: int = 0  # already in the LRS with another body (409): counted as delivered, logged
    rejected: int = 0
    failure: LrsError | None = None  # why the round stopped early, if it did
    batches: int = 0
    errors: list[str] = field(default_factory=list)


class Sender:
    def __init__(
        self,
        open_outbox: Callable[[], Outbox],
        *,
        make_client: Callable[[LrsConfig], LrsClient] | None = None,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        batch_size: int = BATCH_SIZE,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        idle_wait: float = IDLE_WAIT,
        on_change: Callable[[Counts], None] | None = None,
    ) -> None:
        self._open_outbox = open_outbox
        self._outbox: Outbox | None = None
        self._make_client = make_client
        self.clock = clock
        self.rng = rng or random.Random()
        self.batch_size = batch_size
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.idle_wait = idle_wait
        self.on_change = on_change
        self._config: LrsConfig | None = None
        self._client: LrsClient | None = None
        self._failures = 0  # consecutive rounds that ended in a failure
        self._not_before = 0.0  # the thread pauses until then after a failure
        self._lock = threading.Lock()  # one drain at a time (the thread, or a synchronous caller)
        self._wake = threading.Event()
        self._stop = threading.Event()  # the running thread's; each start gets a new one
        self._thread: threading.Thread | None = None

    # -- configuration and control ---------------------------------------------------

    @property
    def config(self) -> LrsConfig | None:
        return self._config

    def configure(self, config: LrsConfig | None) -> None:
        """Send to this LRS from now on (None: send nothing); starts trying again at once."""
        self._config = config
        self._client = None
        self._failures = 0
        self._not_before = 0.0
        self.wake()

    def wake(self) -> None:
        """New statements are in the outbox (or the LRS changed): look now."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running and not self._stop.is_set():
            return
        # A thread told to stop but still waiting for an answer keeps its own stop event and
        # connection, and ends after that answer; the new one does not wait for it.
        self._stop = stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(stop,), name="lrs-sender", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 3.0) -> bool:
        """Ask the thread to finish (after the request in flight, if any); True once it has.

        A request still waiting for a slow LRS after ``timeout`` is left to the daemon thread:
        its statements stay pending and go again, under the same ids, at the next start.
        """
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is None:
            self.close()
            return True
        thread.join(timeout)
        self.close()
        if thread.is_alive():
            log.info("the LRS sender is still waiting for an answer; leaving it")
            return False
        self._thread = None
        return True

    def backoff(self, tries: int) -> float:
        """Seconds before try number ``tries + 1``: exponential, capped, with jitter (half to all of it)."""
        delay = min(self.max_delay, self.base_delay * 2.0 ** max(0, tries - 1))
        return delay * (0.5 + self.rng.random() / 2)

    def counts(self) -> Counts:
        with self._lock:
            return self._box().counts()

    # -- one round ------------------------------------------------------------------------

    def drain(self, max_batches: int | None = None) -> Round:
        """Send every due statement (or ``max_batches`` batches), stopping at the first failure to connect."""
        with self._lock:
            return self._drain(self._box(), max_batches, threading.Event())

    def _drain(self, outbox: Outbox, max_batches: int | None, stop: threading.Event) -> Round:
        done = Round()
        config = self._config
        if config is None:
            return done  # no LRS: nothing is sent anywhere
        if self._client is None:
            self._client = self._new_client(config)
        client = self._client
        while not stop.is_set() and (max_batches is None or done.batches < max_batches):
            now = self.clock()
            due = outbox.due(now, self.batch_size)
            if not due:
                break
            done.batches += 1
            try:
                client.send([q.body for q in due])
            except LrsError as exc:
                if exc.problem in CONTENT_PROBLEMS or (exc.problem is Problem.SERVER and len(due) > 1):
                    self._one_by_one(client, outbox, due, done)
                else:
                    self._failed(outbox, due, exc, done)
                if done.failure is not None:
                    break
            else:
                outbox.mark_sent([q.id for q in due], now)
                done.sent += len(due)
            self._succeeded(outbox)
        return done

    def _one_by_one(self, client: LrsClient, outbox: Outbox, due: list[Queued], done: Round) -> None:
        """PUT each statement of a batch the LRS refused: the one it cannot take is found and set aside.

        A server error (5xx) on one statement sets that one aside if the next one goes through (the
        LRS chokes on that statement only); a second one in a row means the LRS itself is failing.
        """
        set_aside: LrsError | None = None  # a server error on the previous statement
        delivered = False
        for index, queued in enumerate(due):
            try:
                client.put(queued.body)
            except LrsError as exc:
                if exc.problem is Problem.SERVER and set_aside is None:
                    log.warning("statement %s: %s", queued.id, exc.message)
                    outbox.mark_failed([(queued.id, self.clock() + self.backoff(queued.tries + 1))], exc.message)
                    done.errors.append(exc.message)
                    set_aside = exc
                elif exc.problem is Problem.CONFLICT:
                    log.warning("statement %s: %s Counted as delivered.", queued.id, exc.message)
                    outbox.mark_sent([queued.id], self.clock(), note=f"conflict: {exc.message}")
                    done.conflicts += 1
                elif exc.problem is Problem.REJECTED:
                    log.warning("statement %s: %s", queued.id, exc.message)
                    outbox.mark_rejected([queued.id], exc.message)
                    done.rejected += 1
                    done.errors.append(exc.message)
                else:
                    self._failed(outbox, due[index:], exc, done)
                    return
                if exc.problem is not Problem.SERVER:
                    set_aside, delivered = None, True  # the LRS answered about this statement itself
            else:
                outbox.mark_sent([queued.id], self.clock())
                done.sent += 1
                set_aside, delivered = None, True
        if set_aside is not None and not delivered:
            self._pause(set_aside, done)

    def _failed(self, outbox: Outbox, due: list[Queued], exc: LrsError, done: Round) -> None:
        now = self.clock()
        outbox.mark_failed([(q.id, now + self.backoff(q.tries + 1)) for q in due], exc.message)
        done.errors.append(exc.message)
        self._pause(exc, done, len(due))

    def _pause(self, exc: LrsError, done: Round, waiting: int = 1) -> None:
        """The LRS itself is failing or out of reach: the sender waits, longer after each failure."""
        now = self.clock()
        self._failures += 1
        pause = self.backoff(self._failures)
        if exc.retry_after is not None:
            pause = max(pause, min(self.max_delay, exc.retry_after))
        self._not_before = now + pause
        log.info("LRS: %s (%d statement(s) wait; next try in %.0f s)", exc.message, waiting, pause)
        done.failure = exc

    def _succeeded(self, outbox: Outbox) -> None:
        if self._failures:
            # The LRS answers again: everything that was waiting for it goes now, not at its backoff.
            self._failures = 0
            self._not_before = 0.0
            outbox.retry_now(self.clock())

    # -- the thread ---------------------------------------------------------------------

    def _run(self, stop: threading.Event) -> None:
        outbox: Outbox | None = None
        try:
            outbox = self._open_outbox()  # the thread's own connection
            while not stop.is_set():
                self._wake.clear()
                # After a failure the thread pauses (new statements wait too); configure() ends the pause.
                if self._config is not None and self.clock() >= self._not_before:
                    try:
                        with self._lock:
                            self._drain(outbox, None, stop)
                    except Exception:
                        log.exception("sending learning records failed")
                        self._failures += 1
                        self._not_before = self.clock() + self.backoff(self._failures)
                    self._notify(outbox)
                self._wake.wait(self._seconds_to_wait(outbox))
        except Exception:
            log.exception("the learning records sender stopped")
        finally:
            if outbox is not None:
                outbox.db.close()

    def _seconds_to_wait(self, outbox: Outbox) -> float | None:
        if self._config is None:
            return None  # until configured (or stopped)
        try:
            next_due = outbox.next_due_at()
        except Exception:
            log.exception("reading the learning records outbox failed")
            return self.max_delay
        if next_due is None:
            return self.idle_wait
        return min(self.idle_wait, max(0.0, max(next_due, self._not_before) - self.clock()))

    def _notify(self, outbox: Outbox) -> None:
        if self.on_change is None:
            return
        try:
            self.on_change(outbox.counts())
        except Exception:
            log.exception("reporting the learning records count failed")

    def _new_client(self, config: LrsConfig) -> LrsClient:
        if self._make_client is not None:
            return self._make_client(config)
        from simulator.records.client import LrsClient  # the HTTP stack loads only once there is an LRS

        return LrsClient(config)

    def _box(self) -> Outbox:
        if self._outbox is None:
            self._outbox = self._open_outbox()
        return self._outbox

    def close(self) -> None:
        """Close the connection :meth:`drain` and :meth:`counts` use (the thread has its own)."""
        if not self._lock.acquire(timeout=1.0):
            return  # a drain is still waiting for the LRS: leave the connection to it and to the process's exit
        try:
            if self._outbox is not None:
                self._outbox.db.close()
                self._outbox = None
        finally:
            self._lock.release()
