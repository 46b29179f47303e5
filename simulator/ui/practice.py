"""Drives one attempt: the engine and the database, always through the background runner.

The view never touches the engine. Each answer is scored and committed on
the worker; if saving fails, the session is put back as it was before the
answer and the text is handed back, so nothing the trainee typed is lost.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from simulator.storage.store import AttemptRecord, SpokenAnswer, Store, now
from simulator.ui.tasks import TaskRunner

# The engine is imported where a session starts, not here: the window opens before it is needed.
if TYPE_CHECKING:
    from simulator.core.engine import Session, TurnResult
    from simulator.core.model import Scenario
    from simulator.core.scoring.types import AnswerScorer


@dataclass
class Attempt:
    id: int
    scenario: Scenario
    mode: str
    session: Session

    @property
    def practice(self) -> bool:
        return self.mode == "practice"


class Practice(QObject):
    started = Signal(object)  # Attempt: a new or resumed attempt is ready to show
    customer_turn = Signal(object)  # CustomerTurn
    answer_scored = Signal(object)  # TurnResult
    finished = Signal(object)  # Attempt
    answer_failed = Signal(str, object)  # the answer text, the error

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        make_scorer: Callable[[], AnswerScorer],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.runner = runner
        self._make_scorer = make_scorer
        self._scorer: AnswerScorer | None = None
        self.attempt: Attempt | None = None
        self.shown_at: datetime = now()

    @property
    def scorer(self) -> AnswerScorer:
        """Built on first use; the window warms it up on the worker right after it appears."""
        if self._scorer is None:
            self._scorer = self._make_scorer()
        return self._scorer

    def warm_up(self) -> None:
        self.runner.run(lambda: self.scorer, lambda _scorer: None)

    def start(self, trainee_id: int, scenario: Scenario, mode: str, seed: int | None = None) -> None:
        from simulator.core.engine import Session

        session = Session(scenario, self.scorer, seed=random.randrange(1 << 30) if seed is None else seed)
        first = session.start()
        snapshot = session.snapshot()

        def save() -> int:
            return self.store.start_attempt(trainee_id, scenario, mode, session.seed, snapshot)

        def ready(attempt_id: int) -> None:
            self.attempt = Attempt(attempt_id, scenario, mode, session)
            self.started.emit(self.attempt)
            self.customer_turn.emit(first)

        self.runner.run(save, ready)

    def resume(self, record: AttemptRecord, scenario: Scenario) -> None:
        from simulator.core.engine import Session

        session = Session.restore(scenario, self.scorer, record.snapshot)
        self.attempt = Attempt(record.id, scenario, record.mode, session)
        self.started.emit(self.attempt)
        if session.current is not None:
            self.customer_turn.emit(session.current)
        else:  # pragma: no cover - a finished attempt is never offered for resuming
            self.finished.emit(self.attempt)

    def customer_shown(self) -> None:
        self.shown_at = now()

    def submit(self, text: str, input_mode: str = "text", spoken: SpokenAnswer | None = None) -> None:
        attempt = self.attempt
        if attempt is None or attempt.session.current is None:
            return
        from simulator.core.engine import Session

        session = attempt.session
        before = session.snapshot()
        shown_at, answered_at = self.shown_at, now()

        def score_and_save() -> TurnResult:
            result = session.respond(text)
            summary = session.summary() if session.finished else None
            try:
                self.store.record_turn(
                    attempt.id,
                    result,
                    session.snapshot(),
                    shown_at=shown_at,
                    answered_at=answered_at,
                    input_mode=input_mode,
                    spoken=spoken,
                    summary=summary,
                )
            except BaseException:
                attempt.session = Session.restore(attempt.scenario, self.scorer, before)
                raise
            return result

        def scored(result: TurnResult) -> None:
            self.answer_scored.emit(result)
            if attempt.session.finished:
                self.finished.emit(attempt)
            elif result.next_turn is not None:
                self.customer_turn.emit(result.next_turn)

        def failed(error: BaseException) -> None:
            self.answer_failed.emit(text, error)

        self.runner.run(score_and_save, scored, failed)

    def leave(self) -> None:
        """The trainee leaves mid-attempt: it stays in the database, unfinished and resumable."""
        self.attempt = None
