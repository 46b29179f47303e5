"""How a trainee stands on an assignment: the rules, as one pure function (documented in docs/classroom.md).

Which attempts count:
  an attempt linked to the assignment (played from it, received live, imported from a results
  file, credited in a projector session) counts for that assignment only; an unlinked attempt
  counts when it is of the assignment's scenario, in its mode, and started at or after the
  assignment was created. Either way, an attempt started after the due date is *late* and does
  not count, and with an attempt limit only the first ``limit`` attempts (by start) count: the
  rest are *extra*. An unfinished attempt counts (it uses a slot) but cannot pass.

Status, first rule that applies:
  1. PASSED: a counted finished attempt has an effective score >= the pass threshold.
  2. FAILED: the attempt limit is reached and every counted attempt is finished.
  3. FAILED: the due date has passed and no counted attempt is unfinished.
  4. IN PROGRESS: there is a counted attempt (an unfinished one may still finish after the due date).
  5. NOT STARTED.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from simulator.storage.classroom_records import Assignment, AssignmentStatus, AttemptFact, Status


def is_candidate(assignment: Assignment, attempt: AttemptFact) -> bool:
    """Whether the attempt is for this assignment at all (before the due date and the limit are applied)."""
    if attempt.assignment_id is not None:
        return attempt.assignment_id == assignment.id
    return (
        attempt.scenario_id == assignment.scenario_id
        and attempt.mode == assignment.mode
        and attempt.started >= assignment.created
    )


def assignment_status(
    assignment: Assignment, trainee_id: int, attempts: Iterable[AttemptFact], now: datetime
) -> AssignmentStatus:
    """The status of ``assignment`` for one trainee from their attempts (any order; others are ignored)."""
    candidates = sorted(
        (a for a in attempts if a.trainee_id == trainee_id and is_candidate(assignment, a)),
        key=lambda a: (a.started, a.id),
    )
    due = assignment.due
    timely = [a for a in candidates if due is None or a.started <= due]
    late = len(candidates) - len(timely)
    limit = assignment.attempt_limit
    counted = timely if limit is None else timely[:limit]
    extra = len(timely) - len(counted)
    finished = [a for a in counted if a.finished and a.score is not None]
    unfinished = [a for a in counted if not a.finished]
    threshold = assignment.pass_threshold
    passing = [a for a in finished if a.score is not None and a.score >= threshold]
    overdue = due is not None and now > due
    scores = [a.score for a in finished if a.score is not None]
    left = None if limit is None else max(0, limit - len(counted))

    if passing:
        status = Status.PASSED
        reason = f"passed with {max(scores):.0f} (needed {threshold:.0f})"
    elif limit is not None and len(counted) >= limit and not unfinished:
        status = Status.FAILED
        reason = f"all {limit} attempt{'s' if limit != 1 else ''} used without reaching {threshold:.0f}"
    elif overdue and not unfinished:
        status = Status.FAILED
        reason = f"not passed by the due date (needed {threshold:.0f})"
    elif counted:
        status = Status.IN_PROGRESS
        reason = f"{len(counted)} attempt{'s' if len(counted) != 1 else ''} so far" + (
            f", best {max(scores):.0f} (needs {threshold:.0f})" if scores else ""
        )
        if overdue:
            reason += "; overdue, finish the open attempt"
    else:
        status = Status.NOT_STARTED
        reason = f"needs {threshold:.0f} to pass"

    passed_at = None
    if passing:
        first = passing[0]
        passed_at = first.ended or first.started
    return AssignmentStatus(
        assignment=assignment,
        trainee_id=trainee_id,
        status=status,
        attempts_used=len(counted),
        attempts_left=left,
        best_score=max(scores) if scores else None,
        last_score=finished[-1].score if finished else None,
        passed_at=passed_at,
        overdue=overdue,
        can_start=status in (Status.NOT_STARTED, Status.IN_PROGRESS) and not overdue and left != 0,
        open_attempt_id=unfinished[-1].id if unfinished else None,
        counted=tuple(a.id for a in counted),
        late=late,
        extra=extra,
        reason=reason,
    )


_ORDER = {Status.IN_PROGRESS: 0, Status.NOT_STARTED: 1, Status.FAILED: 2, Status.PASSED: 3}


def library_order(statuses: Iterable[AssignmentStatus]) -> list[AssignmentStatus]:
    """Open work first (in progress, then not started; soonest due first, no due date last), then failed, passed."""

    def key(s: AssignmentStatus) -> tuple[int, int, str, str, int]:
        due = s.assignment.due
        return (
            _ORDER[s.status],
            0 if due is not None else 1,
            due.isoformat() if due is not None else "",
            s.assignment.scenario_title.casefold(),
            s.assignment.id,
        )

    return sorted(statuses, key=key)
