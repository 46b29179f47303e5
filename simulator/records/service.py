"""Learning records for one data folder: what the desktop app and the command line call.

Everything but :meth:`LearningRecords.start`/``stop`` uses the store's connection,
so the app calls it on its one background worker, as it does the store itself.
Statements are queued whether or not an LRS is configured (queuing is local); they
are sent only by the sender, which runs only once a trainer configured an LRS.

The window constructs this before it is first drawn, so everything but the class
itself is imported when first used (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.records.client import LrsClient
    from simulator.records.config import Loaded, LrsConfig, SecretStore, Settings
    from simulator.records.outbox import Counts, Outbox
    from simulator.records.sender import Sender
    from simulator.records.statements import Statement
    from simulator.storage.store import AttemptRecord, Store

log = logging.getLogger(__name__)

# How many statements an attempt earns besides one per turn (see statements.attempt_statements).
STARTED_STATEMENTS = 2  # launched, initialized
FINISHED_STATEMENTS = 3  # completed, passed or failed, terminated


class LearningRecords:
    def __init__(
        self,
        store: Store,
        *,
        secrets: SecretStore | None = None,
        clock: Callable[[], float] = time.time,
        make_client: Callable[[LrsConfig], LrsClient] | None = None,
        **sender_options: Any,
    ) -> None:
        self.store = store
        self._secrets = secrets
        self.clock = clock
        self._make_client = make_client
        self._sender_options = sender_options
        self._sender: Sender | None = None
        self._listeners: list[Callable[[Counts], None]] = []
        self._installation: str | None = None
        self._lock = threading.Lock()

    @property
    def secrets(self) -> SecretStore:
        if self._secrets is None:
            from simulator.records.config import KeyringSecrets

            self._secrets = KeyringSecrets()
        return self._secrets

    @property
    def sender(self) -> Sender:
        with self._lock:
            if self._sender is None:
                from simulator.records.sender import Sender

                self._sender = Sender(
                    self._open_outbox,
                    make_client=self._make_client,
                    clock=self.clock,
                    on_change=self._changed,
                    **self._sender_options,
                )
            return self._sender

    # -- settings ------------------------------------------------------------------------

    def settings(self) -> Settings:
        from simulator.records.config import Settings

        return Settings(self.store.db, self.secrets)

    def load(self) -> Loaded:
        return self.settings().load()

    def save(self, config: LrsConfig) -> Loaded:
        """Keep the LRS and send to it from now on (the sender starts if it was not running)."""
        saved = self.settings().save(config)
        self.sender.configure(config)
        self.sender.start()
        return saved

    def remove(self) -> None:
        """Forget the LRS: the sender stops, statements stay queued locally."""
        self.settings().remove()
        self.sender.configure(None)
        self.sender.stop()

    @property
    def configured(self) -> bool:
        return self._sender is not None and self._sender.config is not None

    # -- the outbox ------------------------------------------------------------------------

    def outbox(self) -> Outbox:
        from simulator.records.outbox import Outbox

        return Outbox(self.store.db)

    def statements(self, attempt: AttemptRecord) -> list[Statement]:
        """The attempt's statements built afresh from the database (same ids and bodies every time)."""
        from simulator.records.statements import Learner, attempt_statements

        learner = Learner(self._trainee_name(attempt.trainee_id), self.settings().homepage())
        turns, history = self.store.turns(attempt.id), self.store.review_history(attempt.id)
        return attempt_statements(attempt, turns, learner, self.installation(), history)

    def record_attempt(self, attempt_id: int) -> Counts:
        """Queue what the attempt has earned so far (a no-op for statements already queued)."""
        added = self.outbox().add(self.statements(self.store.attempt(attempt_id)), self.clock())
        if added:
            self._wake()
        return self.counts()

    def catch_up(self) -> int:
        """Queue what earlier runs did not (a crash between saving a turn and queueing it); returns how many."""
        rows = self.store.db.execute(
            "SELECT a.id FROM attempts a WHERE"
            f" {STARTED_STATEMENTS} + (SELECT COUNT(*) FROM turns t WHERE t.attempt_id = a.id)"
            f" + CASE WHEN a.finished AND a.ended IS NOT NULL THEN {FINISHED_STATEMENTS}"
            # one 'scored' statement per change of the trainer's review (statements.review_states)
            " + (SELECT COUNT(*) FROM audit r WHERE r.attempt_id = a.id"
            " AND r.action IN ('override', 'override_undone')) ELSE 0 END"
            " > (SELECT COUNT(*) FROM records_outbox o WHERE o.attempt_id = a.id) ORDER BY a.started, a.id"
        ).fetchall()
        added = 0
        outbox = self.outbox()
        for (attempt_id,) in rows:
            added += outbox.add(self.statements(self.store.attempt(attempt_id)), self.clock())
        if added:
            log.info("queued %d learning record(s) that an earlier run had not", added)
            self._wake()
        return added

    def counts(self) -> Counts:
        return self.outbox().counts()

    def retry_rejected(self) -> int:
        count = self.outbox().retry_rejected()
        self._wake()
        return count

    # -- export ----------------------------------------------------------------------------------

    def export(self, path: Path, attempt_ids: Iterable[int]) -> int:
        """Write the attempts' statements to ``path`` as one JSON array (what an LRS accepts in a POST).

        A statement already queued is written as queued, so the file and the LRS agree on every id
        and body. Returns how many statements were written.
        """
        import json

        bodies = self.export_bodies(attempt_ids)
        _write_atomically(path, json.dumps(bodies, ensure_ascii=False, indent=2) + "\n")
        return len(bodies)

    def export_bodies(self, attempt_ids: Iterable[int]) -> list[dict[str, Any]]:
        """The attempts' statements, oldest attempt first, each as queued if it is (else built afresh)."""
        attempts = sorted((self.store.attempt(i) for i in set(attempt_ids)), key=lambda a: (a.started, a.id))
        fresh = [s for attempt in attempts for s in self.statements(attempt)]
        queued = self.outbox().bodies(s.id for s in fresh)
        return [queued.get(s.id, s.body) for s in fresh]

    def all_attempt_ids(self) -> list[int]:
        return [int(r[0]) for r in self.store.db.execute("SELECT id FROM attempts ORDER BY started, id").fetchall()]

    # -- the sender thread ---------------------------------------------------------------------

    def start(self, loaded: Loaded) -> None:
        """Send to the configured LRS in the background; with none configured, nothing starts."""
        self.sender.configure(loaded.config)
        if loaded.config is not None:
            self.sender.start()

    def stop(self, timeout: float = 3.0) -> bool:
        return self._sender is None or self._sender.stop(timeout)

    def add_listener(self, listener: Callable[[Counts], None]) -> None:
        """Called from the sender's thread after each round with the outbox's counts."""
        with self._lock:
            self._listeners.append(listener)

    def installation(self) -> str:
        if self._installation is None:
            self._installation = self.settings().installation_id()
        return self._installation

    # -- internals ---------------------------------------------------------------------------------

    def _trainee_name(self, trainee_id: int) -> str:
        row = self.store.db.execute("SELECT name FROM trainees WHERE id = ?", [trainee_id]).fetchone()
        return str(row[0]) if row else f"trainee {trainee_id}"

    def _wake(self) -> None:
        if self._sender is not None:  # without a sender (no LRS yet) nothing waits to be woken
            self._sender.wake()

    def _open_outbox(self) -> Outbox:
        from simulator.records.outbox import Outbox
        from simulator.storage.database import open_database

        return Outbox(open_database(self.store.path, self.store.busy_timeout_ms))

    def _changed(self, counts: Counts) -> None:
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(counts)


def _write_atomically(path: Path, text: str) -> None:
    """A half-written export never replaces a good file."""
    from simulator.core.atomic import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, text.encode("utf-8"))
