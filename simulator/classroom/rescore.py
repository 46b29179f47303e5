"""Results computed by the trainer: every imported attempt is replayed on the trainer's own copy of the scenario.

A results file is written on a trainee's machine, so nothing it claims about scores, criteria,
auto-fails, moods, routes or the ending is believed. Only what the trainee did is taken from it:
the seed, the answers in order, when each was shown and answered, and whether it was typed or
spoken. The trainer's app plays the conversation again with its own scorer on the exact version
of the scenario that was assigned (compared by content hash), so an answer that scores 18.8
there scores 18.8 here whatever the file says, and a file whose conversation could not have
happened (an answer to a line the customer never said) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from simulator.classroom.attempts import attempt_from_turns, turn_input
from simulator.core.engine import EngineError, Session

if TYPE_CHECKING:
    from simulator.core.engine import CustomerTurn
    from simulator.core.model import Scenario
    from simulator.core.scoring.types import AnswerScorer
    from simulator.storage.classroom_records import Assignment, AttemptInput, TurnInput


class RescoreError(ValueError):
    """The attempt cannot be credited; the message says why in words a trainer can act on."""


def assigned_scenario(assignment: Assignment, scenarios: Iterable[Scenario]) -> Scenario:
    """The trainer's copy of exactly the assigned version, or RescoreError saying what is missing."""
    same_id = [s for s in scenarios if s.id == assignment.scenario_id]
    for scenario in same_id:
        if scenario.content_hash == assignment.scenario_hash:
            return scenario
    if same_id:
        raise RescoreError(
            f"your copy of “{assignment.scenario_title}” has changed since it was assigned, so the answers cannot be "
            "scored on the version the trainees played: put the assigned version back (or assign the new one)"
        )
    raise RescoreError(
        f"the scenario “{assignment.scenario_title}” ({assignment.scenario_id}) is not in your library, "
        "so the answers cannot be scored: add it back to a scenario folder"
    )


def rescore(claimed: AttemptInput, scenario: Scenario, scorer: AnswerScorer, number: int) -> AttemptInput:
    """``claimed`` replayed on ``scenario``: the same answers and times, every number recomputed here.

    Raises RescoreError when the attempt was played on another version of the scenario, or when
    its turns are not the conversation the scenario gives for those answers and that seed.
    """
    where = f"attempt {number}"
    if claimed.scenario_hash != scenario.content_hash:
        raise RescoreError(
            f"{where} was played on a different version of the scenario than the one assigned "
            "(edited on the trainee's computer?): it is not credited"
        )
    session = Session(scenario, scorer, seed=claimed.seed)
    current: CustomerTurn | None = session.start()
    turns: list[TurnInput] = []
    for turn in claimed.turns:
        if current is None:
            raise RescoreError(f"{where} goes on after the conversation ended: the file was altered")
        if turn.node_id != current.node_id or turn.index != current.index:
            raise RescoreError(
                f"{where}, turn {turn.index + 1}: answers a line the customer does not say there "
                "(the file was altered, or played on another version)"
            )
        try:
            result = session.respond(turn.answer)
        except EngineError as exc:
            raise RescoreError(f"{where}, turn {turn.index + 1}: {exc}") from None
        turns.append(turn_input(result, turn.shown_at, turn.answered_at, turn.input_mode))
        current = result.next_turn
    if session.ending is None:
        raise RescoreError(f"{where} does not reach an ending with these answers: it is not finished")
    return attempt_from_turns(
        scenario,
        claimed.mode,
        claimed.seed,
        claimed.started,
        turns,
        ending=session.ending,
        ended=claimed.ended,
        snapshot={"imported": "results-file", "rescored": True},
        uid=claimed.uid,
    )
