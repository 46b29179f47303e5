"""``python -m simulator`` / ``empathy-trainer``: the entry point.

Without a command it opens the desktop app; where no window can open (no
display, Qt missing) it says why and falls back to the terminal player, so a
trainee who runs the README's first command always lands in a conversation.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from simulator import __version__


def global_options(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """The options that apply with or without a command."""
    parser.add_argument(
        "--scenarios",
        type=Path,
        action="append",
        metavar="DIR",
        help="folder of scenario files (repeatable; default: the bundled scenarios)",
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        metavar="DIR",
        help="where practice history is kept (default: $EMPATHY_TRAINER_DATA or the user data folder)",
    )
    parser.add_argument("--theme", choices=("system", "light", "dark"), help="colour theme of the window")
    parser.add_argument("--terminal", action="store_true", help="use the terminal player instead of the window")
    return parser


def _folder_options_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--scenarios`` and ``--data-dir`` after a command too (``play x --data-dir D``), as people type them.

    Added to every subcommand with ``SUPPRESS`` defaults, so one given before the command is not
    reset by the subcommand's parser when it is not repeated there.
    """
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        for sub in {id(p): p for p in action.choices.values()}.values():
            known = {option for a in sub._actions for option in a.option_strings}
            if "--scenarios" not in known:
                sub.add_argument(
                    "--scenarios",
                    type=Path,
                    action="append",
                    metavar="DIR",
                    default=argparse.SUPPRESS,
                    help="folder of scenario files (repeatable; default: the bundled scenarios)",
                )
            if "--data-dir" not in known:
                sub.add_argument(
                    "--data-dir",
                    type=Path,
                    metavar="DIR",
                    default=argparse.SUPPRESS,
                    help="where practice history is kept (default: $EMPATHY_TRAINER_DATA or the user data folder)",
                )
            _folder_options_everywhere(sub)


def build_parser() -> argparse.ArgumentParser:
    from simulator.cli import (
        classroom_cmds,
        listing,
        models_cmd,
        play,
        records_cmd,
        schema_cmd,
        scoring_cmds,
        speech_cmds,
        validate_cmd,
    )

    parser = argparse.ArgumentParser(
        prog="empathy-trainer",
        description="Practise difficult customer conversations offline.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    global_options(parser)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate_cmd.register(commands)
    validate_cmd.register_coverage(commands)
    listing.register(commands)
    play.register(commands)
    scoring_cmds.register(commands)
    schema_cmd.register(commands)
    speech_cmds.register(commands)
    records_cmd.register(commands)
    models_cmd.register(commands)
    classroom_cmds.register(commands)
    _folder_options_everywhere(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # Without a command the window opens, and the command modules (the engine, the scorer) are
    # not imported at all: they cost more than Qt's own start-up.
    plain = global_options(argparse.ArgumentParser(add_help=False))
    args, rest = plain.parse_known_args(argv)
    if rest:
        args = build_parser().parse_args(argv)
    handler = getattr(args, "handler", None)
    try:
        if handler is None:
            return start_app(args)
        return int(handler(args))
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


def start_app(args: argparse.Namespace) -> int:
    """The desktop window, or the terminal player where a window cannot open."""
    if not args.terminal:
        try:
            from simulator.ui.app import display_problem, run
        except ImportError as exc:
            print(
                f"The desktop app is not installed ({exc.name} is missing); using the terminal player.\n"
                "Install it with: scripts/bootstrap.sh run",
                file=sys.stderr,
            )
        else:
            problem = display_problem()
            if problem is None:
                from simulator.application.compose import data_dir
                from simulator.core.catalog import scenario_dirs

                return run(data_dir(args.data_dir), list(args.scenarios or scenario_dirs()), args.theme)
            print(f"{problem}\nUsing the terminal player instead.\n", file=sys.stderr)
    from simulator.cli import play

    return play.choose_and_play(args)
