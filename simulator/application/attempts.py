"""Attempts: start, resume, answer, abandon, and the debrief of one, over one Store.

Every way an attempt is played (the desktop window, the terminal player, the benchmarks and the
tests) goes through :class:`Attempts`, so an answer is scored and committed the same way
everywhere: one transaction per answer with the engine snapshot after it, and on failure the
session is put back as it was before the answer so nothing is half-applied.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path

from simulator.core.engine import AttemptSummary, CustomerTurn, Session, TurnResult
from simulator.core.model import Scenario
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.classroom_records import TurnInput
from simulator.storage.store import AttemptRecord, SpokenAnswer, Store, TurnRecord, now

Scenarios = Callable[[str], Scenario]  # a scenario by id (raises KeyError or ScenarioError)


@dataclass
class LiveAttempt:
    """An attempt being played: its row in the database and the engine session behind it."""

    id: int
    scenario: Scenario
    mode: str
    session: Session
    assignment_id: int | None = None
    shown_at: datetime = field(default_factory=now)  # when the current customer line appeared
    edited_since: bool = False  # resumed after the scenario was edited: earlier answers keep their scores

    @property
    def practice(self) -> bool:
        return self.mode == "practice"

    @property
    def current(self) -> CustomerTurn | None:
        return self.session.current

    @property
    def finished(self) -> bool:
        return self.session.finished


@dataclass(frozen=True)
class Debrief:
    """What the debrief of one attempt shows, with a trainer's overrides applied."""

    attempt_id: int
    scenario: Scenario
    mode: str
    summary: AttemptSummary
    history: list[TurnResult]
    spoken: dict[int, SpokenAnswer]
    folder: Path
    edited_since: bool  # the scenario was edited after this attempt was played


def turn_input(result: TurnResult, shown_at: datetime, answered_at: datetime, input_mode: str = "text") -> TurnInput:
    """An engine result as the one turn row the Store writes."""
    return TurnInput(
        index=result.index,
        node_id=result.node_id,
        customer_line=result.customer_line,
        answer=result.answer,
        shown_at=shown_at,
        answered_at=answered_at,
        score=result.score.score,
        criteria=[c.to_dict() for c in result.score.criteria],
        mood_before=result.mood_before,
        mood_after=result.mood_after,
        transition=result.transition,
        target=result.target,
        input_mode=input_mode,
    )


def save_start(
    store: Store,
    trainee_id: int,
    session: Session,
    mode: str,
    *,
    assignment_id: int | None = None,
    source: str = "local",
) -> int:
    """Save a started session as a new attempt (linked to ``assignment_id`` with ``source`` in the
    same transaction); its id."""
    scenario = session.scenario
    return store.start_attempt(
        trainee_id, scenario, mode, session.seed, session.snapshot(), assignment_id=assignment_id, source=source
    )


def save_turn(
    store: Store,
    attempt_id: int,
    session: Session,
    result: TurnResult,
    shown_at: datetime,
    answered_at: datetime,
    *,
    input_mode: str = "text",
    spoken: SpokenAnswer | None = None,
) -> None:
    """Commit one scored answer with the engine snapshot after it, closing the attempt when it was the
    last (the window, the terminal player and a live session's local copy all save answers here)."""
    last = session.finished and bool(session.history) and result is session.history[-1]
    store.record_turn(
        attempt_id,
        turn_input(result, shown_at, answered_at, input_mode),
        session.snapshot(),
        spoken=spoken,
        summary=session.summary() if last else None,
    )


def discard(store: Store, attempt_id: int) -> None:
    """Throw an unfinished attempt away (its turns go with it)."""
    store.discard(attempt_id)


def reviewed_history(history: list[TurnResult], turns: list[TurnRecord]) -> list[TurnResult]:
    """The session's history scored as the stored turns count, a trainer's overrides applied.

    The stored rows are the record (the snapshot's copy rounds turn scores to a tenth), so the
    debrief shows exactly the numbers the library, progress and reports show.
    """
    counted = {t.index: t.result for t in turns}
    return [replace(r, score=counted[r.index]) if r.index in counted else r for r in history]


class Attempts:
    """The attempt use cases over one Store. Not thread-safe, like the Store: call from one worker."""

    def __init__(self, store: Store, make_scorer: Callable[[], AnswerScorer]) -> None:
        self.store = store
        self._make_scorer = make_scorer
        self._scorer: AnswerScorer | None = None

    @property
    def scorer(self) -> AnswerScorer:
        """Built on first use (loading the scorer's model takes a moment)."""
        if self._scorer is None:
            self._scorer = self._make_scorer()
        return self._scorer

    def start(
        self,
        trainee_id: int,
        scenario: Scenario,
        mode: str,
        *,
        seed: int | None = None,
        assignment_id: int | None = None,
    ) -> LiveAttempt:
        """A new attempt, saved before the first line is shown; linked to ``assignment_id`` in the same
        transaction when given. ``attempt.current`` is the customer's first line."""
        session = Session(scenario, self.scorer, seed=random.randrange(1 << 30) if seed is None else seed)
        session.start()
        return self.start_session(trainee_id, session, mode, assignment_id=assignment_id)

    def start_session(
        self, trainee_id: int, session: Session, mode: str, *, assignment_id: int | None = None
    ) -> LiveAttempt:
        """Save an attempt for a session the caller has already started (the terminal player)."""
        attempt_id = save_start(self.store, trainee_id, session, mode, assignment_id=assignment_id)
        return LiveAttempt(attempt_id, session.scenario, mode, session, assignment_id)

    def resume(self, attempt_id: int, scenarios: Scenarios) -> LiveAttempt:
        """An unfinished attempt, exactly where its last committed answer left it."""
        record = self.store.attempt(attempt_id)
        scenario = scenarios(record.scenario_id)
        session = Session.restore(scenario, self.scorer, record.snapshot)
        edited = record.scenario_hash != scenario.content_hash
        return LiveAttempt(record.id, scenario, record.mode, session, edited_since=edited)

    def answer(
        self,
        attempt: LiveAttempt,
        text: str,
        *,
        answered_at: datetime | None = None,
        input_mode: str = "text",
        spoken: SpokenAnswer | None = None,
    ) -> TurnResult:
        """Score ``text`` against the current line and commit it (closing the attempt at an ending).

        If saving fails the session is restored to before the answer and the error propagates,
        so the caller can hand the text back to the trainee and nothing is half-applied.
        """
        session = attempt.session
        before = session.snapshot()
        shown_at, answered = attempt.shown_at, answered_at or now()
        try:
            result = session.respond(text)
            save_turn(self.store, attempt.id, session, result, shown_at, answered, input_mode=input_mode, spoken=spoken)
        except BaseException:
            attempt.session = Session.restore(attempt.scenario, self.scorer, before)
            raise
        attempt.shown_at = answered
        return result

    def abandon(self, attempt_id: int) -> None:
        """Throw an unfinished attempt away (its turns go with it)."""
        discard(self.store, attempt_id)

    def debrief(self, attempt_id: int, scenarios: Scenarios) -> Debrief:
        """The debrief of a stored attempt as scored then (not re-scored), with overrides applied.

        Raises KeyError when the attempt or its scenario is gone, ScenarioError/EngineError when
        the scenario changed so much that its snapshot no longer fits.
        """
        record = self.store.attempt(attempt_id)
        scenario = scenarios(record.scenario_id)
        session = Session.restore(scenario, self.scorer, record.snapshot)
        return self._debrief(record, scenario, session)

    def debrief_of(self, attempt: LiveAttempt) -> Debrief:
        """The debrief of the attempt just played."""
        return self._debrief(self.store.attempt(attempt.id), attempt.scenario, attempt.session)

    def _debrief(self, record: AttemptRecord, scenario: Scenario, session: Session) -> Debrief:
        turns = self.store.turns(record.id)
        history = reviewed_history(list(session.history), turns)
        return Debrief(
            attempt_id=record.id,
            scenario=scenario,
            mode=record.mode,
            summary=AttemptSummary.of(scenario.id, session.ending, session.finished, history),
            history=history,
            spoken={t.index: t.spoken for t in turns if t.spoken is not None},
            folder=self.store.folder,
            edited_since=record.scenario_hash != scenario.content_hash,
        )


def play_through(
    attempts: Attempts,
    trainee_id: int,
    scenario: Scenario,
    answers: Iterable[str],
    *,
    mode: str = "practice",
    seed: int = 1,
    answer_seconds: float = 5.0,
) -> int:
    """Play scripted answers as a trainee would, stopping at an ending; the attempt's id.

    Unattended play (the terminal player with ``--answers``, benchmarks, tests, screenshots) uses
    the same use cases as the window; ``answer_seconds`` is how long each answer seems to take.
    """
    attempt = attempts.start(trainee_id, scenario, mode, seed=seed)
    for line in answers:
        attempts.answer(attempt, line, answered_at=attempt.shown_at + timedelta(seconds=answer_seconds))
        if attempt.finished:
            break
    return attempt.id
