"""``score`` and ``calibrate``: batch scoring of JSON Lines answers for trainers.

``score`` writes one JSON line per answer; a bad input line (not UTF-8, not JSON, nested too
deep, a 5,000-digit or NaN id, longer than 256 KiB, a field of the wrong type) is reported on
stderr with its number and reason and skipped, the rest are scored, and the exit code is 1 if
any line was skipped. What is printed is always valid JSON (no NaN or Infinity). ``calibrate`` compares the scorer with
the labels a trainer expects: per criterion agreement, precision, recall and
Cohen's kappa, then every disagreement with the words the scorer relied on.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from simulator.cli.common import catalog
from simulator.core.catalog import Catalog
from simulator.core.checks import Invalid, check, dumps, json_lines
from simulator.core.problems import ScenarioError
from simulator.core.scoring.calibration import Sample, calibrate
from simulator.core.scoring.corpus import ANSWER_LINE, MAX_LINE_BYTES, context_for
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext, TurnScore


def register(commands: Any) -> None:
    score = commands.add_parser("score", help="score JSON Lines answers (exit 1 if a line was skipped)")
    score.add_argument("file", nargs="?", default="-", help="JSON Lines file, or - for standard input")
    score.set_defaults(handler=run_score)
    calibrate = commands.add_parser("calibrate", help="compare the scorer with expected labels")
    calibrate.add_argument("file", help="JSON Lines file with a 'labels' object per answer")
    calibrate.add_argument("--json", action="store_true", help="print the report as JSON")
    calibrate.add_argument("--max-disagreements", type=int, default=50, metavar="N", help="list at most N (50)")
    calibrate.set_defaults(handler=run_calibrate)


class InputError(ValueError):
    """A line of input that cannot be scored; the message says why."""


@dataclass(frozen=True)
class Item:
    line: int
    data: dict[str, Any]
    context: ScoringContext


class ContextResolver:
    """Builds the scoring context of an input line, loading scenarios only when named."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self._catalog: Catalog | None = None

    def context(self, data: dict[str, Any]) -> ScoringContext:
        if data.get("scenario") and self._catalog is None:
            self._catalog = catalog(self.args)
        try:
            return context_for(data, self._catalog)
        except ScenarioError as exc:
            raise InputError(exc.problems[0].message) from None
        except KeyError:
            raise InputError(f"scenario {data['scenario']!r} has no node {data.get('node')!r}") from None


def read_items(stream: IO[str] | IO[bytes], resolver: ContextResolver, errors: SupportsWrite[str]) -> Iterator[Item]:
    """The lines that can be scored; each other line is reported with its number and why, and skipped."""
    for number, value in json_lines(stream, MAX_LINE_BYTES):
        try:
            if isinstance(value, Invalid):
                raise value
            check(value, ANSWER_LINE, "")
            yield Item(number, value, resolver.context(value))
        except (Invalid, InputError) as exc:
            print(f"line {number}: {exc}; skipped", file=errors)


def result_json(item_id: Any, score: TurnScore) -> dict[str, Any]:
    return {
        "id": item_id,
        "score": round(score.score, 1),
        "criteria": {
            c.id: {
                "met": c.met,
                "score": round(c.score, 3),
                "evidence": [list(span) for span in c.evidence],
                "feedback": c.feedback,
            }
            for c in score.criteria
        },
    }


def _open(path: str) -> IO[str] | IO[bytes]:
    """The input as bytes where possible, so undecodable lines can be reported one by one."""
    if path == "-":
        return getattr(sys.stdin, "buffer", sys.stdin)
    return Path(path).open("rb")


def run_score(args: argparse.Namespace) -> int:
    scorer = RubricScorer()
    resolver = ContextResolver(args)
    try:
        stream = _open(args.file)
    except OSError as exc:
        print(f"{args.file}: cannot open: {exc.strerror}", file=sys.stderr)
        return 1
    errors = _Counter(sys.stderr)
    with stream:
        for item in read_items(stream, resolver, errors):
            try:
                line = dumps(result_json(item.data["id"], scorer.score(item.data["response"], item.context)))
            except Exception as exc:  # one answer the scorer cannot take must not cost the rest of the batch
                print(f"line {item.line}: could not be scored ({type(exc).__name__}: {exc}); skipped", file=errors)
                continue
            sys.stdout.write(line + "\n")
    # Bad lines are skipped and the rest scored; the exit code still says that some were not.
    return 1 if errors.lines else 0


class _Counter:
    """Passes error messages through and counts them."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return self.stream.write(text)

    def flush(self) -> None:
        self.stream.flush()


def samples(items: list[Item]) -> list[Sample]:
    return [
        Sample(str(item.data["id"]), item.data["response"], item.context, dict(item.data.get("labels") or {}))
        for item in items
    ]


def run_calibrate(args: argparse.Namespace) -> int:
    resolver = ContextResolver(args)
    try:
        with _open(args.file) as stream:
            items = [i for i in read_items(stream, resolver, sys.stderr) if isinstance(i.data.get("labels"), dict)]
    except OSError as exc:
        print(f"{args.file}: cannot open: {exc.strerror}", file=sys.stderr)
        return 1
    if not items:
        print(f"{args.file}: no labelled answers found", file=sys.stderr)
        return 1
    result = calibrate(samples(items), RubricScorer())
    report, disagreements = result.agreements, [d.to_dict() for d in result.disagreements]
    if args.json:
        print(
            json.dumps(
                {"answers": len(items), "criteria": [a.to_dict() for a in report], "disagreements": disagreements},
                indent=2,
            )
        )
        return 0
    print(f"{len(items)} labelled answers\n")
    print(f"{'criterion':<22} {'n':>4} {'agree':>6} {'prec':>6} {'recall':>6} {'kappa':>6}")
    for row in report:
        print(
            f"{row.criterion:<22} {row.n:>4} {row.agreement:>6.3f} {row.precision:>6.3f} "
            f"{row.recall:>6.3f} {row.kappa:>6.3f}"
        )
    if disagreements:
        shown = disagreements[: args.max_disagreements]
        print(f"\n{len(disagreements)} disagreements (showing {len(shown)}):")
        for d in shown:
            why = f" evidence={d['evidence']}" if d["evidence"] else (f" flags={d['flags']}" if d["flags"] else "")
            print(f"- {d['id']} {d['criterion']}: expected {d['expected']}, scored {d['scored']}{why}")
            print(f"    {d['response']}")
    return 0
