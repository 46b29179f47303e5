"""The window's controller for one attempt: the application layer's use cases, run on the worker.

The view never touches the engine or the database. Each use case (:class:`Attempts`) runs on
the background runner and its result comes back by signal; if saving an answer fails, the use
case has already put the session back, and the text is handed back so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from simulator.ui.tasks import TaskRunner

# The engine and the application layer are imported where a session starts: the window opens first.
if TYPE_CHECKING:
    from simulator.application.attempts import Attempts, Debrief, LiveAttempt, Scenarios
    from simulator.application.compose import Store
    from simulator.application.data import SpokenAnswer
    from simulator.core.engine import TurnResult
    from simulator.core.model import Scenario
    from simulator.core.scoring.types import AnswerScorer


class Practice(QObject):
    started = Signal(object)  # LiveAttempt: a new or resumed attempt is ready to show
    customer_turn = Signal(object)  # CustomerTurn
    answer_scored = Signal(object)  # TurnResult
    finished = Signal(object)  # LiveAttempt
    answer_failed = Signal(str, object)  # the answer text, the error

    def __init__(
        self,
        store: Store,
        runner: TaskRunner,
        make_scorer: Callable[[], AnswerScorer],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        from simulator.application.attempts import Attempts

        self.runner = runner
        self.attempts: Attempts = Attempts(store, make_scorer)
        self.attempt: LiveAttempt | None = None

    @property
    def shown_at(self) -> datetime:
        from simulator.application.data import now

        return self.attempt.shown_at if self.attempt is not None else now()

    def warm_up(self) -> None:
        """Build the scorer on the worker right after the window appears."""
        self.runner.run(lambda: self.attempts.scorer, lambda _scorer: None)

    def start(
        self, trainee_id: int, scenario: Scenario, mode: str, seed: int | None = None, assignment_id: int | None = None
    ) -> None:
        def ready(attempt: LiveAttempt) -> None:
            self.attempt = attempt
            self.started.emit(attempt)
            if attempt.current is not None:
                self.customer_turn.emit(attempt.current)

        work = lambda: self.attempts.start(trainee_id, scenario, mode, seed=seed, assignment_id=assignment_id)  # noqa: E731
        self.runner.run(work, ready)

    def resume(self, attempt_id: int, scenarios: Scenarios, done: Callable[[LiveAttempt], None] | None = None) -> None:
        def ready(attempt: LiveAttempt) -> None:
            self.attempt = attempt
            self.started.emit(attempt)
            if attempt.current is not None:
                self.customer_turn.emit(attempt.current)
            else:  # pragma: no cover - a finished attempt is never offered for resuming
                self.finished.emit(attempt)
            if done is not None:
                done(attempt)

        self.runner.run(lambda: self.attempts.resume(attempt_id, scenarios), ready)

    def debrief(
        self,
        attempt_id: int,
        scenarios: Scenarios,
        show: Callable[[Debrief], None],
        failed: Callable[[BaseException], None],
    ) -> None:
        self.runner.run(lambda: self.attempts.debrief(attempt_id, scenarios), show, failed)

    def debrief_of(self, attempt: LiveAttempt, show: Callable[[Debrief], None]) -> None:
        self.runner.run(lambda: self.attempts.debrief_of(attempt), show)

    def customer_shown(self) -> None:
        """The customer's line is on screen: answer time counts from now."""
        from simulator.application.data import now

        if self.attempt is not None:
            self.attempt.shown_at = now()

    def submit(self, text: str, input_mode: str = "text", spoken: SpokenAnswer | None = None) -> None:
        attempt = self.attempt
        if attempt is None or attempt.current is None:
            return

        def scored(result: TurnResult) -> None:
            self.answer_scored.emit(result)
            if attempt.finished:
                self.finished.emit(attempt)
            elif result.next_turn is not None:
                self.customer_turn.emit(result.next_turn)

        def failed(error: BaseException) -> None:
            self.answer_failed.emit(text, error)

        work = lambda: self.attempts.answer(attempt, text, input_mode=input_mode, spoken=spoken)  # noqa: E731
        self.runner.run(work, scored, failed)

    def leave(self) -> None:
        """The trainee leaves mid-attempt: it stays in the database, unfinished and resumable."""
        self.attempt = None
