"""``schema [--write PATH]``: print or write the scenario JSON Schema for editors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from simulator.core.schema import schema_json


def register(commands: Any) -> None:
    parser = commands.add_parser("schema", help="print the scenario JSON Schema")
    parser.add_argument("--write", type=Path, metavar="PATH", help="write it to PATH instead")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    text = schema_json()
    if args.write:
        try:
            args.write.write_text(text, encoding="utf-8")
        except OSError as exc:
            print(f"{args.write}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            return 1
        print(f"wrote {args.write}")
    else:
        print(text, end="")
    return 0
