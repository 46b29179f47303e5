"""``validate [PATH...]``: check scenario files, print ``file:line:col: message``, exit 1 on any problem."""

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
    problems.sort()
    if args.json:
        print(json.dumps({"checked": len(files), "valid": len(scenarios), "problems": [p.to_dict() for p in problems]}))
    else:
        for problem in problems:
            print(problem.format())
        files_word = "file" if len(files) == 1 else "files"
        if problems:
            print(f"{len(problems)} problem(s) in {len(files)} {files_word}.")
        else:
            print(f"{len(files)} scenario {files_word} checked: no problems.")
    return 1 if problems or not files else 0
