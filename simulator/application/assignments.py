"""Whether a trainee may start an assignment, as a typed decision the window only has to show."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from simulator.core.model import Scenario
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store


class Start(StrEnum):
    RESUME = "resume"  # an attempt for it is open: carry on with that one
    START = "start"  # a new attempt counts for the assignment
    NOT_HERE = "not_here"  # the assigned scenario is not on this computer
    CLOSED = "closed"  # past its deadline or out of attempts: a new attempt would not count


@dataclass(frozen=True)
class StartDecision:
    kind: Start
    assignment: Assignment
    scenario: Scenario | None
    open_attempt_id: int | None
    reason: str  # why it is closed, in words to show ("the deadline has passed")
    scenario_differs: bool  # this computer's copy is not the version the trainer assigned


def decide_start(store: Store, scenarios: Iterable[Scenario], assignment_id: int, trainee_id: int) -> StartDecision:
    """Read the assignment's status again (a card may be older than the last attempt) and decide.

    Raises KeyError when the assignment is no longer on this computer.
    """
    status = ClassroomStore(store).status(assignment_id, trainee_id)
    assignment = status.assignment
    scenario = next((s for s in scenarios if s.id == assignment.scenario_id), None)
    if status.open_attempt_id is not None:
        kind = Start.RESUME
    elif scenario is None:
        kind = Start.NOT_HERE
    elif not status.can_start:
        kind = Start.CLOSED
    else:
        kind = Start.START
    return StartDecision(
        kind=kind,
        assignment=assignment,
        scenario=scenario,
        open_attempt_id=status.open_attempt_id,
        reason=status.reason,
        scenario_differs=scenario is not None and scenario.content_hash != assignment.scenario_hash,
    )


def local_assignment_id(store: Store, uid: str | None) -> int | None:
    """This computer's id of the assignment a trainer's ``uid`` names (None if it is not kept here).

    A live session's attempt is linked to the session's assignment by this id.
    """
    if uid is None:
        return None
    kept = ClassroomStore(store).assignment_by_uid(uid)
    return kept.id if kept is not None else None
