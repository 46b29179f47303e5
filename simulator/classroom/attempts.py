"""Engine results as attempts to store: shared by live sessions and projector sessions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from simulator.core.engine import TurnResult
from simulator.core.model import Ending, Scenario
from simulator.storage.classroom_records import AttemptInput, TurnInput


def turn_input(result: TurnResult, shown_at: datetime, answered_at: datetime, input_mode: str = "text") -> TurnInput:
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
    per_criterion: dict[str, list[float]] = {}
    auto_failed = False
    for turn in turns:
        for criterion in turn.criteria:
            per_criterion.setdefault(criterion["id"], []).append(float(criterion["score"]))
            auto_failed = auto_failed or bool(
                criterion.get("auto_fail") and not criterion["met"] and criterion.get("certain", True)
            )
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
        # like the Store: an unfinished attempt has no score yet (its turns have theirs)
        score=sum(t.score for t in turns) / len(turns) if turns and ending is not None else None,
        auto_failed=auto_failed,
        criteria={cid: sum(v) / len(v) for cid, v in per_criterion.items()},
        turns=tuple(turns),
        snapshot=snapshot,
        uid=uid,
    )
