"""Play scripted answers through the real engine and scorer and store every turn, as the app does.

Storage, classroom and learning-record tests, the records benchmark and the classroom screenshots
all need attempts that really happened; this is the one way they make them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.store import Store, now


def record_attempt(
    store: Store,
    scenario: Scenario,
    scorer: AnswerScorer,
    trainee_id: int,
    answers: Iterable[str],
    *,
    mode: str = "practice",
    seed: int = 1,
    answer_seconds: float = 5.0,
) -> int:
    """Start an attempt, answer each line (stopping at an ending) and return the attempt's id."""
    session = Session(scenario, scorer, seed=seed)
    session.start()
    attempt = store.start_attempt(trainee_id, scenario, mode, seed, session.snapshot())
    for line in answers:
        shown = now()
        result = session.respond(line)
        summary = session.summary() if session.finished else None
        answered = shown + timedelta(seconds=answer_seconds)
        store.record_turn(attempt, result, session.snapshot(), shown_at=shown, answered_at=answered, summary=summary)
        if session.finished:
            break
    return attempt
