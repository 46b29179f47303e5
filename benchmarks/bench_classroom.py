"""Benchmark: the cohort report and the live dashboard at the size of a large cohort.

A generated cohort of 200 trainees x 50 attempts (5 turns each, 1% of attempts with a trainer
override) is inserted straight into a temporary SQLite database. Measured (medians):
building the cohort report from the database (what the report view does), the pure builder
alone on facts already read, one trainee's assignment list with status (the library), and a
dashboard-refresh proxy: the live room's snapshot with 200 connected trainees mid-conversation
(the host recomputes it for every dashboard poll).

    .venv/bin/python benchmarks/bench_classroom.py [--trainees 200] [--attempts 50] [--runs 7] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from _timing import median_ms  # noqa: E402

from simulator.classroom.report import build_report, cohort_report  # noqa: E402
from simulator.classroom.room import LiveRoom  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.model import Scenario  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.storage.classroom import ClassroomStore  # noqa: E402
from simulator.storage.classroom_records import Assignment  # noqa: E402
from simulator.storage.store import Store  # noqa: E402

CRITERIA = ["acknowledge_emotion", "take_ownership", "set_expectations", "respectful_tone", "lock_card_first"]
START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)


def generate(classroom: ClassroomStore, scenario: Scenario, trainees: int, attempts: int) -> int:
    """Insert the cohort directly (one transaction); returns the assignment id."""
    rng = random.Random(7)
    group = classroom.add_group("Benchmark cohort")
    assignment = classroom.assign(group.id, scenario, "practice", 70)
    db = classroom.store.db
    created = assignment.created
    db.execute("BEGIN")
    for number in range(trainees):
        trainee_id = db.execute(
            "INSERT INTO trainees (name, created) VALUES (?, ?)", [f"Trainee {number:03d}", created.isoformat()]
        ).lastrowid
        db.execute(
            "INSERT INTO group_members (group_id, trainee_id, added) VALUES (?, ?, ?)",
            [group.id, trainee_id, created.isoformat()],
        )
        for attempt in range(attempts):
            started = created + timedelta(hours=rng.uniform(0, 24 * 30))
            verdicts = {c: rng.choice([0.0, 0.25, 1.0]) for c in CRITERIA}
            score = 100 * sum(verdicts.values()) / len(verdicts)
            attempt_id = db.execute(
                "INSERT INTO attempts (trainee_id, scenario_id, scenario_title, scenario_hash, mode, seed, started,"
                " ended, finished, outcome, ending_id, score, criteria, snapshot)"
                " VALUES (?, ?, ?, ?, 'practice', ?, ?, ?, 1, 'resolved', 'resolved_well', ?, ?, '{}')",
                [
                    trainee_id,
                    scenario.id,
                    scenario.title,
                    scenario.content_hash,
                    attempt,
                    started.isoformat(),
                    (started + timedelta(minutes=8)).isoformat(),
                    score,
                    json.dumps(verdicts),
                ],
            ).lastrowid
            criteria = json.dumps(
                [{"id": c, "label": c, "met": v == 1.0, "score": v, "weight": 1.0} for c, v in verdicts.items()]
            )
            for index in range(5):
                shown = started + timedelta(seconds=90 * index)
                db.execute(
                    "INSERT INTO turns (attempt_id, idx, node_id, customer_line, answer, shown_at, answered_at,"
                    " response_seconds, score, criteria, mood_before, mood_after, transition, target)"
                    " VALUES (?, ?, 'n', 'line', 'answer', ?, ?, 40, ?, ?, 50, 50, 'otherwise', 'n')",
                    [
                        attempt_id,
                        index,
                        shown.isoformat(),
                        (shown + timedelta(seconds=40)).isoformat(),
                        score,
                        criteria,
                    ],
                )
            if rng.random() < 0.01:
                db.execute(
                    "INSERT INTO overrides (attempt_id, turn_idx, criterion_id, original_met, met, comment, trainer,"
                    " at) VALUES (?, 0, 'take_ownership', 0, 1, 'reviewed', 'Tess', ?)",
                    [attempt_id, created.isoformat()],
                )
    db.execute("COMMIT")
    return assignment.id


def dashboard_room(scenario: Scenario, trainees: int) -> LiveRoom:
    """A live room with ``trainees`` connected, each a few turns into the conversation."""
    assignment = Assignment(
        id=1, uid="b" * 32, group_id=1, group_uid="g" * 32, group_name="Benchmark cohort", scenario_id=scenario.id,
        scenario_title=scenario.title, scenario_hash=scenario.content_hash, mode="practice", pass_threshold=70,
        attempt_limit=None, due=None, created=START, secret="k",
    )  # fmt: skip
    room = LiveRoom(assignment, scenario, RubricScorer(), max_participants=trainees)
    answers = (ROOT / "tests" / "data" / "paths" / "stolen-wallet--resolved_well.txt").read_text().splitlines()
    for number in range(trainees):
        participant = room.join(f"Trainee {number:03d}")
        for index, line in enumerate(answers[: 1 + number % 5]):
            room.answer(participant.key, index, line, 20)
    return room


def measure(trainees: int, attempts: int, runs: int) -> dict[str, Any]:
    scenario = Catalog([ROOT / "scenarios"]).get("stolen-wallet")
    with tempfile.TemporaryDirectory() as folder:
        classroom = ClassroomStore(Store(Path(folder) / "bench.sqlite3"))
        started = time.perf_counter()
        assignment_id = generate(classroom, scenario, trainees, attempts)
        generate_s = time.perf_counter() - started
        assignment = classroom.assignment(assignment_id)
        members = classroom.members(assignment.group_id)
        facts = classroom.attempts_for(assignment_id)
        at = datetime.now(UTC)
        report = cohort_report(classroom, assignment_id, scenario=scenario)
        result = {
            "trainees": trainees,
            "attempts": len(facts),
            "turns": len(facts) * 5,
            "overridden_attempts": sum(f.overridden for f in facts),
            "generate_s": round(generate_s, 2),
            "report_from_database_ms": median_ms(
                lambda: cohort_report(classroom, assignment_id, scenario=scenario), runs
            ),
            "read_attempts_ms": median_ms(lambda: classroom.attempts_for(assignment_id), runs),
            "build_report_pure_ms": median_ms(lambda: build_report(assignment, members, facts, at), runs),
            "library_one_trainee_ms": median_ms(lambda: classroom.assignments_for(members[0].id), runs),
            "report_rows": len(report.rows),
            "report_pass_rate": report.pass_rate,
        }
        classroom.close()
    room = dashboard_room(scenario, trainees)
    result["dashboard_snapshot_ms"] = median_ms(room.dashboard, runs * 3)
    result["dashboard_rows"] = len(room.dashboard().rows)
    result.update(measure_views(room, report, runs))
    return result


class _RoomHost:
    """What the dashboard view reads from a LiveHost, backed by the benchmark's room (no sockets)."""

    def __init__(self, room: LiveRoom) -> None:
        self.room = room
        self.code = "ABCDEF"
        self.address = ("127.0.0.1", 47812)

    def dashboard(self) -> Any:
        return self.room.dashboard()

    def poll_events(self) -> list[Any]:
        return []


def measure_views(room: LiveRoom, report: Any, runs: int) -> dict[str, float]:
    """The trainer's screens: one dashboard refresh (snapshot + 200-row table), the report view, the PDF."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from simulator.ui.classroom.dashboard import LiveDashboard
    from simulator.ui.classroom.report_document import write_pdf
    from simulator.ui.classroom.report_view import ReportView

    _app = QApplication.instance() or QApplication([])
    dashboard = LiveDashboard(_RoomHost(room), ["127.0.0.1"])  # type: ignore[arg-type]
    dashboard.timer.stop()
    view = ReportView()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "report.pdf"
        return {
            "dashboard_refresh_ms": median_ms(dashboard.refresh, runs * 3),
            "report_view_ms": median_ms(lambda: view.show_report(report), runs),
            "report_pdf_ms": median_ms(lambda: write_pdf(report, pdf), runs),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--trainees", type=int, default=200)
    parser.add_argument("--attempts", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    result = measure(args.trainees, args.attempts, args.runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"cohort: {result['trainees']} trainees, {result['attempts']} attempts, {result['turns']} turns")
    print(f"  ({result['overridden_attempts']} attempts with overrides; generated in {result['generate_s']} s)")
    for key in ("report_from_database_ms", "read_attempts_ms", "build_report_pure_ms", "library_one_trainee_ms"):
        print(f"{key:28} {result[key]:9.1f} ms (median)")
    print(
        f"{'dashboard_snapshot_ms':28} {result['dashboard_snapshot_ms']:9.2f} ms"
        f" (median, {result['dashboard_rows']} rows)"
    )
    for key in ("dashboard_refresh_ms", "report_view_ms", "report_pdf_ms"):
        print(f"{key:28} {result[key]:9.1f} ms (median)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
