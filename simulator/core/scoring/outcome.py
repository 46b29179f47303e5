"""An attempt's score and criterion results: the one definition every view, report and file uses.

The engine's summary, the trainee's library, progress and debrief, the trainer's review, the
cohort report, results files and learning records all call :func:`attempt_score`, so the same
attempt shows the same number everywhere, with a trainer's overrides applied where there are any.
Turns are given as :class:`TurnScore` values; stored turns become those with :func:`stored_turn`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from simulator.core.scoring.types import CriterionResult, TurnScore, weighted_score


@dataclass(frozen=True)
class AttemptScore:
    """``score`` is the mean turn score (0-100), None until the attempt is finished: an attempt
    left half-way has no score yet, only its turns do. ``criteria`` is the mean score per criterion."""

    score: float | None
    criteria: dict[str, float]
    auto_failed: bool
    turns: int
    reviewed: bool  # whether a trainer overrode any verdict


# How far a stored turn score may sit from the one its criteria give: criterion scores are stored
# rounded to three decimals, so a recomputed turn score can differ in the first decimal.
TURN_SCORE_SLACK = 0.5


def criteria_turn(criteria: Iterable[Mapping[str, Any]]) -> TurnScore:
    """The turn score that stored criteria (with any overrides) give by the scorer's weighting."""
    results = tuple(CriterionResult.from_dict(dict(c)) for c in criteria)
    weighted, failed = weighted_score(results)
    return TurnScore(weighted, results, failed)


def stored_turn(score: float, criteria: Iterable[Mapping[str, Any]]) -> TurnScore:
    """A turn as stored (the scorer's score and criteria dicts, overrides beside them) as it counts.

    Without an override the stored score stands (it is what the scorer computed, unrounded); with
    one, the turn is re-weighted with the overridden criteria counting fully met (1) or missed (0),
    so overriding a missed auto-fail criterion to met lifts the auto-fail.
    """
    turn = criteria_turn(criteria)
    if any(r.review is not None for r in turn.criteria):
        return turn
    return replace(turn, score=float(score))


def attempt_score(turns: Sequence[TurnScore], *, finished: bool) -> AttemptScore:
    """The attempt's score, criterion means and auto-fail from its turns (see :class:`AttemptScore`)."""
    totals: dict[str, list[float]] = {}
    for turn in turns:
        for criterion in turn.criteria:
            totals.setdefault(criterion.id, []).append(criterion.score)
    return AttemptScore(
        score=sum(t.score for t in turns) / len(turns) if turns and finished else None,
        criteria={cid: sum(v) / len(v) for cid, v in totals.items()},
        auto_failed=any(t.auto_failed for t in turns),
        turns=len(turns),
        reviewed=any(c.review is not None for t in turns for c in t.criteria),
    )


def score_so_far(turns: Sequence[TurnScore]) -> float | None:
    """The running score a live dashboard shows before the attempt ends: the mean turn score so far."""
    return attempt_score(turns, finished=True).score
