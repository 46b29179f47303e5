"""``classroom roster|groups|assign|import-results|report``: the classroom from the command line.

For trainers who script their setup, and a way to run the classroom without the window:
import a roster CSV, list groups and assignments, assign a scenario (and write the assignment
file for trainees), import a folder's worth of results files, print or export the cohort report.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.application.compose import ClassroomStore


def register(commands: Any) -> None:
    classroom = commands.add_parser("classroom", help="rosters, assignments, results files and cohort reports")
    actions = classroom.add_subparsers(dest="classroom_command", metavar="ACTION", required=True)
    roster = actions.add_parser("roster", help="import trainees and groups from a CSV file")
    roster.add_argument("file", type=Path, help="CSV with a name column and optionally a group column")
    roster.add_argument("--group", metavar="NAME", help="group for rows without one")
    roster.set_defaults(handler=run, action=run_roster)
    groups = actions.add_parser("groups", help="list groups, their members and assignments")
    groups.set_defaults(handler=run, action=run_groups)
    assign = actions.add_parser("assign", help="assign a scenario to a group")
    assign.add_argument("group", help="the group's name")
    assign.add_argument("scenario", help="scenario id or file")
    assign.add_argument("--mode", choices=("practice", "assessment"), default="practice")
    assign.add_argument("--pass", dest="threshold", type=float, default=70.0, metavar="SCORE", help="pass mark (70)")
    assign.add_argument("--attempts", type=int, metavar="N", help="attempt limit (default: unlimited)")
    assign.add_argument("--due", type=date.fromisoformat, metavar="YYYY-MM-DD", help="due at the end of that day")
    assign.add_argument(
        "--export", type=Path, metavar="DIR", help="write one signed assignment file per trainee into DIR"
    )
    assign.set_defaults(handler=run, action=run_assign)
    results = actions.add_parser("import-results", help="import trainees' results files")
    results.add_argument("files", type=Path, nargs="+", help="results files (or folders of them)")
    results.add_argument(
        "--accept-unknown",
        action="store_true",
        help="accept files from trainees not on the group's roster (they are added to the group)",
    )
    results.set_defaults(handler=run, action=run_import_results)
    report = actions.add_parser("report", help="the cohort report of an assignment")
    report.add_argument("assignment", type=int, help="assignment id (see 'classroom groups')")
    report.add_argument("--csv", type=Path, metavar="DIR", help="also write the report's CSV files there")
    report.add_argument("--weekly", action="store_true", help="trend by week instead of by day")
    report.set_defaults(handler=run, action=run_report)


def run(args: argparse.Namespace) -> int:
    from simulator.application.compose import data_dir, open_classroom
    from simulator.application.data import StorageError

    try:
        classroom = open_classroom(data_dir(args.data_dir))
    except StorageError as exc:
        print(f"classroom {args.classroom_command}: {exc}", file=sys.stderr)
        return 1
    try:
        return int(args.action(args, classroom))
    except (StorageError, ValueError, KeyError) as exc:
        print(f"classroom {args.classroom_command}: {exc}", file=sys.stderr)
        return 1
    finally:
        classroom.close()


def run_roster(args: argparse.Namespace, classroom: ClassroomStore) -> int:
    from simulator.classroom.roster_csv import import_roster

    outcome = import_roster(classroom, args.file.read_bytes(), args.group)
    for problem in outcome.plan.problems:
        print(f"{args.file}: {problem.format()}", file=sys.stderr)
    if outcome.result is None:
        print("Nothing was imported: fix the errors above and run the import again.", file=sys.stderr)
        return 1
    r = outcome.result
    print(f"{len(r.trainees_created)} trainees added, {len(r.trainees_existing)} already known;")
    print(f"{len(r.groups_created)} groups created, {r.memberships_added} memberships added.")
    return 0


def run_groups(args: argparse.Namespace, classroom: ClassroomStore) -> int:
    groups = classroom.groups()
    if not groups:
        print("No groups yet: import a roster with 'classroom roster FILE'.")
    for group in groups:
        print(f"{group.name} ({group.member_count} trainees)")
        for a in classroom.assignments(group.id):
            rules = f"{a.mode}, pass {a.pass_threshold:g}"
            rules += f", {a.attempt_limit} attempts" if a.attempt_limit else ""
            rules += f", due {a.due.astimezone():%Y-%m-%d}" if a.due else ""
            print(f"  [{a.id}] {a.scenario_title} ({rules})")
    return 0


def run_assign(args: argparse.Namespace, classroom: ClassroomStore) -> int:
    from simulator.application.signing import trainer_fingerprint
    from simulator.classroom.assignment_file import export_group_files
    from simulator.classroom.host import scenario_file_text
    from simulator.cli.common import catalog, print_problems
    from simulator.core.problems import ScenarioError

    group = classroom.group_named(args.group)
    if group is None:
        print(f"classroom assign: no group called {args.group!r}", file=sys.stderr)
        return 1
    try:
        scenario = catalog(args).get(args.scenario)
    except ScenarioError as exc:
        print_problems(exc.problems)
        return 1
    due = datetime.combine(args.due, time(23, 59, 59)).astimezone() if args.due else None
    assignment = classroom.assign(group.id, scenario, args.mode, args.threshold, args.attempts, due)
    print(f"Assignment {assignment.id}: {scenario.title} for {group.name}.")
    if args.export:
        stem = "-".join(f"{group.name} {scenario.id}".lower().split())
        written = export_group_files(classroom, assignment, args.export, stem, scenario_file_text(scenario))
        key = trainer_fingerprint(classroom.store.folder)
        print(f"{len(written)} assignment files (one per trainee, signed with key {key}) in {args.export}")
    return 0


def run_import_results(args: argparse.Namespace, classroom: ClassroomStore) -> int:
    from simulator.classroom.results_file import SUFFIX
    from simulator.classroom.results_import import FileStatus, Rescorer, import_results_files
    from simulator.cli.common import catalog

    paths: list[Path] = []
    for item in args.files:
        paths.extend(sorted(item.glob(f"*{SUFFIX}")) if item.is_dir() else [item])
    library = catalog(args)
    summary = import_results_files(
        classroom, paths, Rescorer(lambda: library.scenarios), accept_unknown=args.accept_unknown
    )
    for outcome in summary.files:
        print(outcome.message, file=sys.stderr if outcome.status is FileStatus.REJECTED else sys.stdout)
    print(summary.headline() + ".")
    return 1 if summary.count(FileStatus.REJECTED) else 0


def run_report(args: argparse.Namespace, classroom: ClassroomStore) -> int:
    from simulator.classroom.report import cohort_report
    from simulator.classroom.report_csv import write_report_csv
    from simulator.cli.common import catalog
    from simulator.core.problems import ScenarioError

    assignment = classroom.assignment(args.assignment)
    try:
        scenario = catalog(args).get(assignment.scenario_id)
    except ScenarioError:
        scenario = None  # the report still works; scenario-specific criteria show their ids
    local = datetime.now().astimezone().tzinfo
    assert local is not None
    report = cohort_report(
        classroom, args.assignment, scenario=scenario, trend_unit="week" if args.weekly else "day", zone=local
    )
    rate = "-" if report.pass_rate is None else f"{report.pass_rate:.0%}"
    print(f"{report.title}: {report.members} trainees, {report.passed} passed ({rate}), {report.failed} failed,")
    print(f"{report.in_progress} in progress, {report.not_started} not started.")
    for row in report.rows:
        best = "-" if row.best_score is None else f"{row.best_score:.0f}"
        print(f"  {row.name:30} {row.status.value:12} {row.attempts:3} attempts  best {best:>3}")
    if report.criteria:
        weakest = ", ".join(f"{c.label} {c.mean:.0%}" for c in report.criteria[:3])
        print(f"Weakest criteria: {weakest}.")
    if args.csv:
        for path in write_report_csv(report, args.csv):
            print(f"Wrote {path}")
    return 0
