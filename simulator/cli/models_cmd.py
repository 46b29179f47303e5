"""``models build|status``: the scorer's language model on this machine.

The vector table is computed from installed, hash-checked packages (no download). The README's
commands build it at install time; the scorer builds it on first use if it is missing.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any


def register(commands: Any) -> None:
    models = commands.add_parser("models", help="build or check the scorer's language model")
    actions = models.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("build", help="build the vector table from the installed sentence encoder").set_defaults(
        handler=run_build
    )
    actions.add_parser("status", help="say whether the vector table is built, and where").set_defaults(
        handler=run_status
    )


def run_build(args: argparse.Namespace) -> int:
    from simulator.core.language.build import build

    started = time.perf_counter()

    def progress(fraction: float) -> None:
        print(f"\rbuilding the scorer's language model: {fraction:4.0%}", end="", file=sys.stderr, flush=True)

    try:
        path = build(progress=progress)
    except (OSError, RuntimeError, ImportError) as exc:
        print(f"\ncannot build the scorer's language model: {exc}", file=sys.stderr)
        return 1
    print(f"\n{path} ({time.perf_counter() - started:.1f} s)", file=sys.stderr)
    return 0


def run_status(args: argparse.Namespace) -> int:
    from simulator.core.language.vectors import table_path

    path = table_path()
    if path.is_file():
        print(f"built: {path} ({path.stat().st_size / 1e6:.1f} MB)")
        return 0
    print(f"not built: {path} (run: python -m simulator models build)")
    return 1
