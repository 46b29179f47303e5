"""``validate [PATH...]``: check scenario files, print ``file:line:col: message``.

Exits 1 on any error; warnings (a scenario that plays but reads badly) are printed and exit 0,
or 1 with ``--strict``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from simulator.core.catalog import scenario_dirs
from simulator.core.index import scenario_files
from simulator.core.loader import load_many
from simulator.core.problems import Problem


def register(commands: Any) -> None:
    parser = commands.add_parser("validate", help="check scenario files and report every problem")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: scenarios)")
    parser.add_argument("--json", action="store_true", help="print problems as JSON")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    paths: list[Path] = args.paths or (args.scenarios or scenario_dirs())
    missing = [p for p in paths if not p.exists()]
    files = scenario_files([p for p in paths if p.exists()])
    scenarios, problems = load_many(files)
    for path in missing:
        problems.append(Problem(str(path), 1, 1, "no such file or folder"))
    if not files and not missing:
        names = ", ".join(str(p) for p in paths)
        problems.append(Problem(names, 1, 1, "no scenario files (*.yaml, *.yml) found", "check the folder"))
    problems.extend(warning for scenario in scenarios for warning in scenario.warnings)
    problems.sort()
    errors = [p for p in problems if not p.warning or args.strict]
    if args.json:
        print(json.dumps({"checked": len(files), "valid": len(scenarios), "problems": [p.to_dict() for p in problems]}))
    else:
        for problem in problems:
            print(problem.format())
        files_word = "file" if len(files) == 1 else "files"
        warnings = len(problems) - len([p for p in problems if not p.warning])
        if problems and warnings:
            print(f"{len(problems) - warnings} error(s) and {warnings} warning(s) in {len(files)} {files_word}.")
        elif problems:
            print(f"{len(problems)} problem(s) in {len(files)} {files_word}.")
        else:
            print(f"{len(files)} scenario {files_word} checked: no problems.")
    return 1 if errors or not files else 0


def register_coverage(commands: Any) -> None:
    parser = commands.add_parser(
        "coverage",
        help="play scenarios with generated answers: turns and endings never reached, questions asked twice",
    )
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="files or folders (default: scenarios)")
    parser.add_argument("--runs", type=int, default=20, help="runs per answer quality (default 20)")
    parser.add_argument("--seed", type=int, default=0)
    parser.set_defaults(handler=run_coverage)


def run_coverage(args: argparse.Namespace) -> int:
    """Exit 1 when any scenario has an unreached turn or ending, or asks for what it was given."""
    from simulator.core.authoring.coverage import walk
    from simulator.core.scoring.scorer import RubricScorer

    paths: list[Path] = args.paths or (args.scenarios or scenario_dirs())
    scenarios, problems = load_many(scenario_files([p for p in paths if p.exists()]))
    for problem in problems:
        print(problem.format())
    scorer = RubricScorer()
    failed = bool(problems)
    for scenario in scenarios:
        report = walk(scenario, scorer, runs_per_quality=max(1, min(args.runs, 500)), seed=args.seed)
        print(report.to_text())
        failed = failed or bool(report.unreached_nodes or report.unreached_endings or report.asked_again)
    return 1 if failed else 0
