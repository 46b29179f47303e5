"""The cohort report: numbers from counted attempts, weakest criteria first, trend by period, CSV that is safe."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from simulator.classroom.report import build_report, cohort_report, histogram
from simulator.classroom.report_csv import criteria_csv, trainees_csv, trend_csv, write_report_csv
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment, AttemptFact, Status
from simulator.storage.store import Store, Trainee
from tests.classroom.conftest import GOOD, POOR, play

T0 = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)  # a Monday

ASSIGNMENT = Assignment(
    id=1, uid="a" * 32, group_id=1, group_uid="g" * 32, group_name="Cohort A", scenario_id="s", scenario_title="S",
    scenario_hash="h", mode="practice", pass_threshold=70, attempt_limit=2, due=None, created=T0, secret="k",
)  # fmt: skip
_ids = iter(range(1, 10_000))


def fact(trainee: int, hours: float, score: float | None, criteria: dict[str, float] | None = None) -> AttemptFact:
    started = T0 + timedelta(hours=hours)
    return AttemptFact(
        id=next(_ids), trainee_id=trainee, scenario_id="s", mode="practice", started=started,
        ended=started + timedelta(minutes=9) if score is not None else None, finished=score is not None,
        outcome="resolved" if score is not None else None, score=score, criteria=criteria or {},
        assignment_id=None, source=None, seconds=120.0, turn_count=4,
    )  # fmt: skip


MEMBERS = [Trainee(1, "Ana"), Trainee(2, "ben"), Trainee(3, "Cleo"), Trainee(4, "=cmd|' /C calc'!A0")]


def test_numbers_come_from_counted_attempts_only() -> None:
    attempts = [
        fact(1, 1, 55, {"acknowledge_emotion": 0.5, "take_ownership": 1.0}),
        fact(1, 30, 85, {"acknowledge_emotion": 0.75, "take_ownership": 1.0}),
        fact(1, 50, 99),  # a third attempt: beyond the limit of 2, not counted
        fact(2, 2, 40, {"acknowledge_emotion": 0.0, "lock_card_first": 1.0}),
        fact(2, 3, 60, {"acknowledge_emotion": 0.25}),
        fact(3, 4, None),  # unfinished
        fact(9, 1, 100),  # not a member
    ]
    report = build_report(
        ASSIGNMENT, MEMBERS, attempts, T0 + timedelta(days=3), labels={"lock_card_first": "Locks the card"}
    )
    assert (report.members, report.passed, report.failed, report.in_progress, report.not_started) == (4, 1, 1, 1, 1)
    assert report.pass_rate == 0.25
    assert report.mean_best_score == pytest.approx(72.5) and report.median_best_score == pytest.approx(72.5)
    assert [b.count for b in report.histogram] == [0, 0, 0, 0, 0, 0, 1, 0, 1, 0] and report.histogram[
        6
    ].label == "60–70"
    assert [c.id for c in report.criteria] == ["acknowledge_emotion", "lock_card_first", "take_ownership"]
    weakest = report.criteria[0]
    assert weakest.mean == pytest.approx((0.5 + 0.75 + 0.0 + 0.25) / 4) and weakest.attempts == 4
    assert weakest.label != "acknowledge_emotion" and report.criteria[1].label == "Locks the card"
    rows = {r.name: r for r in report.rows}
    assert [r.name for r in report.rows] == ["=cmd|' /C calc'!A0", "Ana", "ben", "Cleo"]
    assert rows["Ana"].status is Status.PASSED and rows["Ana"].attempts == 2 and rows["Ana"].extra == 1
    assert rows["Ana"].best_score == 85 and rows["Ana"].last_score == 85 and rows["Ana"].time_spent_seconds == 240
    assert rows["ben"].status is Status.FAILED and rows["Cleo"].status is Status.IN_PROGRESS
    assert rows["Cleo"].best_score is None and rows["Cleo"].time_spent_seconds == 120
    assert [(p.start, p.attempts) for p in report.trend] == [(date(2025, 3, 3), 3), (date(2025, 3, 4), 1)]
    assert report.trend[0].mean_score == pytest.approx((55 + 40 + 60) / 3)


def test_trend_by_week_in_the_trainers_time_zone() -> None:
    sunday_night_utc = -10  # 2025-03-02 23:00 UTC: Sunday in UTC, already Monday in UTC+2
    attempts = [fact(1, sunday_night_utc, 50), fact(2, 24 * 6, 70), fact(3, 24 * 7, 90)]
    assignment = Assignment(**{**vars(ASSIGNMENT), "created": T0 - timedelta(days=1), "attempt_limit": None})
    plus_two = timezone(timedelta(hours=2))
    weekly = build_report(assignment, MEMBERS, attempts, T0 + timedelta(days=9), trend_unit="week", zone=plus_two)
    assert [(p.start, p.attempts) for p in weekly.trend] == [(date(2025, 3, 3), 2), (date(2025, 3, 10), 1)]
    in_utc = build_report(assignment, MEMBERS, attempts, T0 + timedelta(days=9), trend_unit="week")
    assert [p.start for p in in_utc.trend] == [date(2025, 2, 24), date(2025, 3, 3), date(2025, 3, 10)]


def test_empty_group_and_histogram_edges() -> None:
    report = build_report(ASSIGNMENT, [], [], T0)
    assert report.pass_rate is None and report.mean_best_score is None and report.rows == ()
    assert [b.count for b in histogram([0, 9.99, 10, 100, 100], bins=10)] == [2, 1, 0, 0, 0, 0, 0, 0, 0, 2]
    assert [b.label for b in histogram([], bins=4)] == ["0–25", "25–50", "50–75", "75–100"]


def test_csv_is_spreadsheet_safe() -> None:
    report = build_report(ASSIGNMENT, MEMBERS, [fact(4, 1, 80, {"x": 0.5})], T0 + timedelta(days=1))
    rows = list(csv.reader(io.StringIO(trainees_csv(report))))
    assert rows[0][:4] == ["name", "status", "attempts", "best score"]
    assert rows[1][0] == "'=cmd|' /C calc'!A0" and rows[1][1] == "passed" and rows[1][3] == "80.0"
    assert rows[1][5] == "2.0"  # minutes answering
    assert list(csv.reader(io.StringIO(criteria_csv(report))))[1] == ["x", "x", "50.0", "1"]
    assert list(csv.reader(io.StringIO(trend_csv(report))))[1] == ["2025-03-03", "1", "80.0"]


def test_cohort_report_from_the_database_with_overrides(
    tmp_path: Path, scenario: Scenario, scorer: RubricScorer
) -> None:
    classroom = ClassroomStore(Store(tmp_path / "db.sqlite3"))
    classroom.import_roster([("Ana", "Cohort R"), ("Ben", "Cohort R"), ("Cleo", "Cohort R")])
    group = classroom.group_named("Cohort R")
    assert group is not None
    assignment = classroom.assign(group.id, scenario, "practice", 60)
    ana, ben, _ = classroom.members(group.id)
    play(classroom.store, scenario, scorer, ana.id, GOOD)
    poor = play(classroom.store, scenario, scorer, ben.id, POOR)
    before = cohort_report(classroom, assignment.id, scenario=scenario)
    assert (before.passed, before.in_progress, before.not_started) == (1, 1, 1)
    assert before.criteria[0].mean <= before.criteria[-1].mean
    assert any(c.label == scenario.criterion("lock_card_first").label for c in before.criteria)
    classroom.store.set_trainer_passphrase("Tess", "correct horse battery")
    for turn in classroom.store.turns(poor):
        for criterion in turn.criteria:
            classroom.store.override_verdict(poor, turn.index, criterion["id"], True, "reviewed", "Tess")
    after = cohort_report(classroom, assignment.id, scenario=scenario)
    assert after.passed == 2 and {r.name: r.best_score for r in after.rows}["Ben"] == 100.0
    paths = write_report_csv(after, tmp_path / "out")
    assert [p.name for p in paths] == [
        f"cohort-report-{n}.csv" for n in ("summary", "trainees", "criteria", "scores", "trend")
    ]
    assert paths[1].read_bytes().startswith(b"\xef\xbb\xbfname,status")
    classroom.close()
