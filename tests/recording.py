"""Attempts that really happened, for storage, classroom and learning-record tests.

A thin test-side shorthand over the application layer's :func:`play_through`: the same use cases
the window calls, so these tests store attempts exactly as the app does.
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.application.attempts import Attempts, play_through
from simulator.core.model import Scenario
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.store import Store


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
    attempts = Attempts(store, lambda: scorer)
    return play_through(attempts, trainee_id, scenario, answers, mode=mode, seed=seed, answer_seconds=answer_seconds)
