"""``list [--json]``: the scenarios available, with their size and shape."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from simulator.cli.common import catalog, print_problems


def register(commands: Any) -> None:
    parser = commands.add_parser("list", help="list the available scenarios")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cat = catalog(args)
    missing = [d for d in cat.dirs if not d.is_dir()]
    for folder in missing:
        print(f"{folder}: no such folder", file=sys.stderr)
    if missing and not cat.scenarios:
        return 1
    rows = [
        {
            "id": s.id,
            "title": s.title,
            "channel": s.channel.value,
            "difficulty": s.difficulty.value,
            "minutes": s.estimated_minutes,
            "nodes": len(s.nodes),
            "endings": len(s.endings),
            "path": str(s.path) if s.path else None,
        }
        for s in cat.scenarios
    ]
    if args.json:
        print(json.dumps(rows, indent=2))
    else:
        print(f"{'ID':<26} {'TITLE':<40} {'CHANNEL':<7} {'DIFFICULTY':<12} {'NODES':>5} {'ENDINGS':>7}")
        for row in rows:
            print(
                f"{row['id']:<26} {str(row['title'])[:40]:<40} {row['channel']:<7} "
                f"{row['difficulty']:<12} {row['nodes']:>5} {row['endings']:>7}"
            )
    if cat.problems:
        print_problems(cat.problems)
        return 1
    return 0
