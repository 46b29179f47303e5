"""Helpers shared by the commands: the scenario catalogue and printing problems."""

from __future__ import annotations

import argparse
import sys

from simulator.core.catalog import Catalog, scenario_dirs
from simulator.core.problems import Problem


def catalog(args: argparse.Namespace) -> Catalog:
    dirs = args.scenarios if getattr(args, "scenarios", None) else scenario_dirs()
    return Catalog(list(dirs))


def print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem.format(), file=sys.stderr)
