"""The assignment status rules, one rule at a time, on hand-made attempts (no database needed)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator.storage.classroom_records import Assignment, AttemptFact, Status
from simulator.storage.classroom_status import assignment_status, library_order

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)


def assignment(**changes: object) -> Assignment:
    base: dict[str, object] = {
        "id": 1,
        "uid": "a1",
        "group_id": 1,
        "group_uid": "g1",
        "group_name": "Cohort A",
        "scenario_id": "stolen-wallet",
        "scenario_title": "Stolen wallet",
        "scenario_hash": "h",
        "mode": "assessment",
        "pass_threshold": 70.0,
        "attempt_limit": None,
        "due": None,
        "created": T0,
        "secret": "s",
    }
    base.update(changes)
    return Assignment(**base)  # type: ignore[arg-type]


_ids = iter(range(1, 10_000))


def attempt(hours: float, score: float | None, *, finished: bool = True, **changes: object) -> AttemptFact:
    started = T0 + timedelta(hours=hours)
    base: dict[str, object] = {
        "id": next(_ids),
        "trainee_id": 7,
        "scenario_id": "stolen-wallet",
        "mode": "assessment",
        "started": started,
        "ended": started + timedelta(minutes=10) if finished else None,
        "finished": finished,
        "outcome": "resolved" if finished else None,
        "score": score if finished else None,
        "criteria": {},
        "assignment_id": None,
        "source": None,
        "seconds": 60.0,
        "turn_count": 5,
    }
    base.update(changes)
    return AttemptFact(**base)  # type: ignore[arg-type]


def status_of(a: Assignment, attempts: list[AttemptFact], hours_now: float = 100) -> Status:
    return assignment_status(a, 7, attempts, T0 + timedelta(hours=hours_now)).status


def test_no_attempt_is_not_started_and_a_passing_one_passes() -> None:
    a = assignment()
    assert status_of(a, []) is Status.NOT_STARTED
    assert status_of(a, [attempt(1, 50)]) is Status.IN_PROGRESS
    result = assignment_status(a, 7, [attempt(1, 50), attempt(2, 70)], T0 + timedelta(days=1))
    assert result.status is Status.PASSED  # the threshold itself passes
    assert result.best_score == 70 and result.last_score == 70 and result.attempts_used == 2
    assert result.passed_at == T0 + timedelta(hours=2, minutes=10)


def test_an_unfinished_attempt_counts_but_cannot_pass() -> None:
    result = assignment_status(assignment(), 7, [attempt(1, 99, finished=False)], T0 + timedelta(days=1))
    assert result.status is Status.IN_PROGRESS and result.attempts_used == 1
    assert result.best_score is None and result.open_attempt_id is not None


def test_attempts_before_the_assignment_other_modes_and_scenarios_do_not_count() -> None:
    a = assignment()
    ignored = [attempt(-1, 90), attempt(1, 90, mode="practice"), attempt(1, 90, scenario_id="delayed-order")]
    assert status_of(a, ignored) is Status.NOT_STARTED
    assert status_of(a, [attempt(1, 90, trainee_id=8)]) is Status.NOT_STARTED  # someone else's


def test_a_linked_attempt_counts_for_its_assignment_only_even_if_older() -> None:
    linked_here = attempt(-5, 90, assignment_id=1, source="file")
    linked_elsewhere = attempt(1, 90, assignment_id=2, source="live")
    assert status_of(assignment(), [linked_here]) is Status.PASSED
    assert status_of(assignment(), [linked_elsewhere]) is Status.NOT_STARTED


def test_the_limit_fails_only_once_every_counted_attempt_is_finished() -> None:
    a = assignment(attempt_limit=2)
    assert status_of(a, [attempt(1, 40), attempt(2, 50, finished=False)]) is Status.IN_PROGRESS
    result = assignment_status(a, 7, [attempt(1, 40), attempt(2, 50)], T0 + timedelta(days=1))
    assert result.status is Status.FAILED and result.attempts_left == 0 and not result.can_start
    assert "all 2 attempts used" in result.reason


def test_attempts_beyond_the_limit_are_extra_and_cannot_pass() -> None:
    result = assignment_status(assignment(attempt_limit=1), 7, [attempt(1, 40), attempt(2, 95)], T0 + timedelta(days=1))
    assert result.status is Status.FAILED and result.extra == 1 and result.best_score == 40


def test_past_due_without_a_pass_fails_unless_an_attempt_is_still_open() -> None:
    a = assignment(due=T0 + timedelta(hours=10))
    assert status_of(a, [], hours_now=11) is Status.FAILED
    assert status_of(a, [attempt(1, 40)], hours_now=11) is Status.FAILED
    assert status_of(a, [attempt(1, 40)], hours_now=9) is Status.IN_PROGRESS
    open_late = assignment_status(a, 7, [attempt(9, None, finished=False)], T0 + timedelta(hours=11))
    assert open_late.status is Status.IN_PROGRESS and open_late.overdue and not open_late.can_start
    # the open attempt started before the due date, finished after it: it counts and may pass
    finished_late = attempt(9, 80, ended=T0 + timedelta(hours=12))
    assert status_of(a, [finished_late], hours_now=13) is Status.PASSED


def test_attempts_started_after_the_due_date_are_late_and_ignored() -> None:
    a = assignment(due=T0 + timedelta(hours=10))
    result = assignment_status(a, 7, [attempt(11, 95)], T0 + timedelta(hours=12))
    assert result.status is Status.FAILED and result.late == 1 and result.attempts_used == 0


def test_passed_stays_passed_after_the_due_date() -> None:
    assert status_of(assignment(due=T0 + timedelta(hours=10)), [attempt(1, 80)], hours_now=500) is Status.PASSED


@pytest.mark.parametrize("threshold", [0.0, 100.0])
def test_threshold_edges(threshold: float) -> None:
    a = assignment(pass_threshold=threshold)
    assert status_of(a, [attempt(1, 0.0)]) is (Status.PASSED if threshold == 0 else Status.IN_PROGRESS)
    assert status_of(a, [attempt(1, 100.0)]) is Status.PASSED


def test_library_order_puts_open_work_first_and_soonest_due_first() -> None:
    soon = assignment(id=2, due=T0 + timedelta(days=1), scenario_title="B")
    later = assignment(id=3, due=T0 + timedelta(days=5), scenario_title="A")
    undated = assignment(id=4, scenario_title="C")
    done = assignment(id=5, scenario_title="D")
    statuses = [
        assignment_status(done, 7, [attempt(1, 90, assignment_id=5)], T0),
        assignment_status(undated, 7, [], T0),
        assignment_status(later, 7, [], T0),
        assignment_status(soon, 7, [], T0),
        assignment_status(assignment(id=6), 7, [attempt(1, 10, finished=False, assignment_id=6)], T0),
    ]
    assert [s.assignment.id for s in library_order(statuses)] == [6, 2, 3, 4, 5]
