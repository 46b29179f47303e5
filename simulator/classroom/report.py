"""The cohort report of one assignment: plain data, ready for a table, a chart, a PDF or a CSV.

:func:`build_report` is pure (attempts in, report out) so it is easy to test and fast to
rerun; :func:`cohort_report` gathers the data from a :class:`ClassroomStore` first. Only
*counted* attempts feed the numbers (the status rules decide which: see classroom_status),
and scores are effective scores, with the trainer's overrides applied.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Literal

from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.storage.classroom_records import Assignment, AssignmentStatus, AttemptFact, Status
from simulator.storage.classroom_status import assignment_status
from simulator.storage.store import Override, Trainee

if TYPE_CHECKING:
    from simulator.core.model import Scenario
    from simulator.storage.classroom import ClassroomStore

TrendUnit = Literal["day", "week"]


@dataclass(frozen=True)
class HistogramBin:
    low: float
    high: float  # the last bin includes 100
    count: int

    @property
    def label(self) -> str:
        return f"{self.low:.0f}–{self.high:.0f}"


@dataclass(frozen=True)
class CriterionAverage:
    id: str
    label: str
    mean: float  # 0-1: mean over counted finished attempts of the criterion's mean score in each
    attempts: int  # attempts in which the criterion was judged


@dataclass(frozen=True)
class TraineeRow:
    trainee_id: int
    name: str
    status: Status
    attempts: int  # counted attempts, finished or not
    best_score: float | None
    last_score: float | None
    time_spent_seconds: float  # time answering: sum of response times over counted attempts
    last_activity: datetime | None  # start of the latest counted attempt
    late: int
    extra: int
    reason: str
    # The trainer's comments on overridden verdicts of the trainee's counted attempts, the ones in force:
    # the scores above already count them, and this says why they differ from the scorer's.
    reviews: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrendPoint:
    start: date  # the day, or the Monday of the week
    attempts: int  # counted finished attempts started in the period
    mean_score: float


@dataclass(frozen=True)
class CohortReport:
    assignment: Assignment
    generated: datetime
    members: int
    passed: int
    failed: int
    in_progress: int
    not_started: int
    pass_rate: float | None  # passed / members (0-1); None for an empty group
    mean_best_score: float | None  # over trainees with a finished counted attempt
    median_best_score: float | None
    histogram: tuple[HistogramBin, ...]  # of each trainee's best score
    criteria: tuple[CriterionAverage, ...]  # weakest first
    rows: tuple[TraineeRow, ...]  # by name
    trend: tuple[TrendPoint, ...]  # oldest first
    trend_unit: TrendUnit

    @property
    def group_name(self) -> str:
        return self.assignment.group_name

    @property
    def title(self) -> str:
        return f"{self.assignment.scenario_title} — {self.assignment.group_name}"


def _label(criterion_id: str, labels: Mapping[str, str]) -> str:
    if criterion_id in labels:
        return labels[criterion_id]
    core = CORE_CRITERIA.get(criterion_id)
    return core.label if core is not None else criterion_id


def histogram(scores: Sequence[float], bins: int = 10) -> tuple[HistogramBin, ...]:
    """Equal-width bins over 0-100; a score of exactly 100 falls in the last bin."""
    width = 100 / bins
    counts = [0] * bins
    for score in scores:
        counts[min(bins - 1, max(0, int(score // width)))] += 1
    return tuple(HistogramBin(i * width, (i + 1) * width, counts[i]) for i in range(bins))


def _period(moment: datetime, unit: TrendUnit, zone: tzinfo) -> date:
    day = moment.astimezone(zone).date()
    return day - timedelta(days=day.weekday()) if unit == "week" else day


def build_report(
    assignment: Assignment,
    members: Sequence[Trainee],
    attempts: Sequence[AttemptFact],
    at: datetime,
    *,
    labels: Mapping[str, str] | None = None,
    bins: int = 10,
    trend_unit: TrendUnit = "day",
    zone: tzinfo = UTC,
    reviews: Mapping[int, Sequence[str]] | None = None,
) -> CohortReport:
    """The report from the members and their attempts (any attempts: the status rules pick the counted ones).

    ``labels`` names criteria (e.g. from the scenario's rubric); ``zone`` is where days begin for the trend;
    ``reviews`` gives the trainer's comments per attempt id (see :func:`cohort_report`).
    """
    by_trainee: dict[int, list[AttemptFact]] = {}
    for fact in attempts:
        by_trainee.setdefault(fact.trainee_id, []).append(fact)
    statuses: dict[int, AssignmentStatus] = {
        t.id: assignment_status(assignment, t.id, by_trainee.get(t.id, []), at) for t in members
    }
    facts = {f.id: f for f in attempts}
    counted = [facts[i] for s in statuses.values() for i in s.counted]
    finished = [f for f in counted if f.finished and f.score is not None]

    rows = []
    for trainee in sorted(members, key=lambda t: t.name.casefold()):
        status = statuses[trainee.id]
        mine = [facts[i] for i in status.counted]
        rows.append(
            TraineeRow(
                trainee_id=trainee.id,
                name=trainee.name,
                status=status.status,
                attempts=status.attempts_used,
                best_score=status.best_score,
                last_score=status.last_score,
                time_spent_seconds=sum(f.seconds for f in mine),
                last_activity=max((f.started for f in mine), default=None),
                late=status.late,
                extra=status.extra,
                reason=status.reason,
                reviews=tuple(c for f in mine for c in (reviews or {}).get(f.id, ())),
            )
        )

    per_criterion: dict[str, list[float]] = {}
    for fact in finished:
        for criterion_id, value in fact.criteria.items():
            per_criterion.setdefault(criterion_id, []).append(value)
    names = labels or {}
    criteria = sorted(
        (CriterionAverage(cid, _label(cid, names), sum(v) / len(v), len(v)) for cid, v in per_criterion.items()),
        key=lambda c: (c.mean, c.id),
    )

    periods: dict[date, list[float]] = {}
    for fact in finished:
        assert fact.score is not None
        periods.setdefault(_period(fact.started, trend_unit, zone), []).append(fact.score)
    trend = tuple(TrendPoint(day, len(v), sum(v) / len(v)) for day, v in sorted(periods.items()))

    best = [s.best_score for s in statuses.values() if s.best_score is not None]
    count = {kind: sum(1 for s in statuses.values() if s.status is kind) for kind in Status}
    return CohortReport(
        assignment=assignment,
        generated=at,
        members=len(members),
        passed=count[Status.PASSED],
        failed=count[Status.FAILED],
        in_progress=count[Status.IN_PROGRESS],
        not_started=count[Status.NOT_STARTED],
        pass_rate=count[Status.PASSED] / len(members) if members else None,
        mean_best_score=statistics.fmean(best) if best else None,
        median_best_score=statistics.median(best) if best else None,
        histogram=histogram(best, bins),
        criteria=tuple(criteria),
        rows=tuple(rows),
        trend=trend,
        trend_unit=trend_unit,
    )


def cohort_report(
    classroom: ClassroomStore,
    assignment_id: int,
    *,
    scenario: Scenario | None = None,
    at: datetime | None = None,
    bins: int = 10,
    trend_unit: TrendUnit = "day",
    zone: tzinfo = UTC,
) -> CohortReport:
    """Gather the group's members and attempts from the store and build the report.

    Pass the loaded ``scenario`` to label scenario-specific criteria with their rubric labels.
    """
    assignment = classroom.assignment(assignment_id)
    labels = {c.id: c.label for c in scenario.rubric} if scenario is not None else {}
    attempts = classroom.attempts_for(assignment_id)
    return build_report(
        assignment,
        classroom.members(assignment.group_id),
        attempts,
        at or classroom.clock(),
        labels=labels,
        bins=bins,
        trend_unit=trend_unit,
        zone=zone,
        reviews={f.id: review_comments(classroom.store.overrides(f.id)) for f in attempts if f.overridden},
    )


def review_comments(overrides: Sequence[Override]) -> tuple[str, ...]:
    """The overrides in force (the last per criterion of a turn), each as "turn 2, criterion: met — why (who)"."""
    latest = {(o.turn_index, o.criterion_id): o for o in sorted(overrides, key=lambda o: o.id)}
    return tuple(
        f"turn {o.turn_index + 1}, {o.criterion_id}: {'met' if o.met else 'missed'} — {o.comment} ({o.trainer})"
        for _, o in sorted(latest.items())
    )
