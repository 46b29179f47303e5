"""Engine results as attempts to store: shared by live sessions and projector sessions.

``turn_input`` is the application layer's (re-exported here for the classroom's callers).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from simulator.application.attempts import turn_input
from simulator.core.model import Ending, Scenario
from simulator.core.scoring.outcome import attempt_score, stored_turn
from simulator.storage.classroom_records import AttemptInput, TurnInput

__all__ = ["attempt_from_turns", "turn_input"]


def attempt_from_turns(
    scenario: Scenario,
    mode: str,
    seed: int,
    started: datetime,
    turns: Sequence[TurnInput],
    *,
    ending: Ending | None,
    ended: datetime | None,
    snapshot: dict[str, Any],
    uid: str | None = None,
) -> AttemptInput:
    """An attempt made of ``turns`` (all of a trainee's, or only those credited to them in a projector
    session): its score and criteria are their means, as the engine's summary computes them."""
    counted = attempt_score([stored_turn(t.score, t.criteria) for t in turns], finished=ending is not None)
    return AttemptInput(
        scenario_id=scenario.id,
        scenario_title=scenario.title,
        scenario_hash=scenario.content_hash,
        mode=mode,
        seed=seed,
        started=started,
        ended=ended,
        finished=ending is not None,
        outcome=ending.outcome.value if ending else None,
        ending_id=ending.id if ending else None,
        score=counted.score,
        auto_failed=counted.auto_failed,
        criteria=counted.criteria,
        turns=tuple(turns),
        snapshot=snapshot,
        uid=uid,
    )
