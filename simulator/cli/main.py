"""``python -m simulator`` / ``empathy-trainer``: the command-line entry point.

Without a command it opens the terminal player, so a trainee who runs the
README's first command always lands in a conversation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator import __version__
from simulator.cli import listing, play, schema_cmd, scoring_cmds, validate_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="empathy-trainer",
        description="Practise difficult customer conversations offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--scenarios",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder of scenario files (repeatable; default: the bundled scenarios)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate_cmd.register(commands)
    listing.register(commands)
    play.register(commands)
    scoring_cmds.register(commands)
    schema_cmd.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return play.choose_and_play(args)
        return int(handler(args))
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
