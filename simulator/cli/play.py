"""``play SCENARIO``: the terminal player, interactive or unattended (``--answers``).

Interactive: the customer's line and mood, then the trainee types an answer;
``/hint`` shows the turn's hint (practice mode), ``/quit`` stops.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from simulator.application.attempts import Attempts
from simulator.application.data import StorageError
from simulator.cli.common import catalog, print_problems
from simulator.core import mood, recap
from simulator.core.engine import CustomerTurn, Session, TurnResult
from simulator.core.model import Scenario
from simulator.core.problems import ScenarioError
from simulator.core.scoring.scorer import RubricScorer

if TYPE_CHECKING:
    from simulator.application.attempts import LiveAttempt

_T = TypeVar("_T")


def register(commands: Any) -> None:
    parser = commands.add_parser("play", help="play a scenario in the terminal")
    parser.add_argument("scenario", metavar="SCENARIO", help="scenario id or path to a scenario file")
    parser.add_argument("--answers", type=Path, metavar="FILE", help="play unattended: one answer per line")
    parser.add_argument("--json", action="store_true", help="print the transcript and result as JSON")
    parser.add_argument("--seed", type=int, default=0, help="seed for choosing customer line variants")
    parser.add_argument(
        "--trainee",
        metavar="NAME",
        help="whose practice history the attempt is saved in (default: your login name)",
    )
    parser.add_argument("--no-history", action="store_true", help="do not save this attempt in the data folder")
    parser.add_argument(
        "--mode",
        choices=("practice", "assessment"),
        default="practice",
        help="practice shows hints and per-turn verdicts; assessment hides them",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    try:
        scenario = catalog(args).get(args.scenario)
    except ScenarioError as exc:
        print_problems(exc.problems)
        return 1
    if args.answers:
        try:
            lines = [line.rstrip("\n") for line in args.answers.read_text(encoding="utf-8").splitlines()]
        except (OSError, UnicodeDecodeError) as exc:
            print(f"{args.answers}: cannot read answers: {exc}", file=sys.stderr)
            return 1
        answers: Iterator[str | None] = iter([line for line in lines if line.strip()])
        source: Callable[[CustomerTurn], str | None] = lambda _turn: next(answers, None)  # noqa: E731
    out = sys.stderr if args.json else sys.stdout
    if not args.answers:
        source = _prompter(out, practice=args.mode == "practice")
    history = None if args.no_history else _History.open(args, out)
    session = Session(scenario, RubricScorer(), seed=args.seed)
    return _play(
        session,
        source,
        out,
        practice=args.mode == "practice",
        as_json=args.json,
        echo=bool(args.answers),
        history=history,
        mode=args.mode,
    )


class _History:
    """Saves the terminal attempt through the application layer, as the window does.

    If the data folder cannot be used the trainee is told once and plays on unsaved: the
    practice itself is never lost to a storage problem.
    """

    def __init__(self, attempts: Attempts, trainee_id: int, folder: Path, out: TextIO) -> None:
        self.attempts, self.trainee_id, self.folder, self.out = attempts, trainee_id, folder, out
        self.live: LiveAttempt | None = None

    @classmethod
    def open(cls, args: argparse.Namespace, out: TextIO) -> _History | None:
        from simulator.application import trainees
        from simulator.application.compose import data_dir, open_store

        folder = data_dir(getattr(args, "data_dir", None))
        name = args.trainee or _login_name()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            store = open_store(folder)
            trainee = trainees.add(store, name)
        except (StorageError, OSError, ValueError) as exc:
            print(f"Practice history is not saved this time: {exc}", file=out)
            return None
        return cls(Attempts(store, RubricScorer), trainee.id, folder, out)

    def start(self, session: Session, mode: str) -> None:
        self.live = self._guard(lambda: self.attempts.start_session(self.trainee_id, session, mode))

    def answer(self, session: Session, text: str) -> TurnResult:
        live, before = self.live, len(session.history)
        if live is not None:
            result = self._guard(lambda: self.attempts.answer(live, text))
            if result is not None:
                return result
            if len(session.history) > before:  # scored, then the save failed: play on from here
                return session.history[-1]
        return session.respond(text)

    def saved(self) -> str | None:
        if self.live is None:
            return None
        return f"Saved in the practice history in {self.folder} (attempt {self.live.id})."

    def _guard(self, work: Callable[[], _T]) -> _T | None:
        try:
            return work()
        except (StorageError, OSError) as exc:
            print(f"\nThis attempt is no longer being saved: {exc}", file=self.out)
            self.live = None
            return None


def _login_name() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (some containers): one shared history
        return "Trainee"


def choose_and_play(args: argparse.Namespace) -> int:
    """No command given: list the scenarios and play the one chosen."""
    cat = catalog(args)
    if not cat.scenarios:
        print_problems(cat.problems)
        print("No scenarios found.", file=sys.stderr)
        return 1
    print("Empathy Trainer: choose a scenario\n")
    for number, scenario in enumerate(cat.scenarios, 1):
        print(f"  {number}. {scenario.title}  ({scenario.channel.value}, {scenario.difficulty.value})")
        print("     " + textwrap.shorten(" ".join(scenario.summary.split()), width=_width() - 6, placeholder="…"))
    try:
        choice = input(f"\nNumber (1-{len(cat.scenarios)}), or q to quit: ").strip()
    except EOFError:
        return 0
    if not choice.isdigit() or not 1 <= int(choice) <= len(cat.scenarios):
        return 0
    session = Session(cat.scenarios[int(choice) - 1], RubricScorer())
    args.trainee = getattr(args, "trainee", None)
    history = _History.open(args, sys.stdout)
    prompter = _prompter(sys.stdout, practice=True)
    return _play(session, prompter, sys.stdout, practice=True, as_json=False, history=history, mode="practice")


def _prompter(out: TextIO, *, practice: bool) -> Callable[[CustomerTurn], str | None]:
    """Reads answers from standard input; prompts go to ``out`` so --json keeps stdout clean."""

    def prompt(turn: CustomerTurn) -> str | None:
        while True:
            print("\nYou> ", end="", file=out, flush=True)
            line = sys.stdin.readline()
            if not line:
                return None
            text = line.strip()
            if text == "/quit":
                return None
            if text == "/hint":
                if practice:
                    print(_wrap(f"  Hint: {turn.hint or 'no hint for this turn'}", "        "), file=out)
                else:
                    print("  Hints are off in assessment mode.", file=out)
                continue
            if text:
                return text

    return prompt


def _play(
    session: Session,
    source: Callable[[CustomerTurn], str | None],
    out: TextIO,
    *,
    practice: bool,
    as_json: bool,
    echo: bool = False,
    history: _History | None = None,
    mode: str = "practice",
) -> int:
    scenario = session.scenario
    _header(scenario, out, practice)
    turn: CustomerTurn | None = session.start()
    if history is not None:
        history.start(session, mode)
    while turn is not None:
        _customer(scenario, turn, out)
        answer = source(turn)
        if answer is not None and echo:
            print("\n" + _wrap(f"You: {answer}", "  "), file=out)
        if answer is None:
            print("\nStopped before the end; this attempt is not finished.", file=out)
            break
        result = history.answer(session, answer) if history is not None else session.respond(answer)
        if practice:
            _verdict(result, out)
        turn = result.next_turn
    summary = session.summary()
    words = session.ending_words()
    if session.ending and words:
        ending = session.ending
        if words.line:
            print("\n" + _wrap(f"{scenario.persona.name}: {words.line}", "  "), file=out)
        print(f"\n=== {ending.title} ({ending.outcome.value.replace('_', ' ')}) ===", file=out)
        print(_wrap(words.debrief), file=out)
        print("\nIn this attempt:", file=out)
        for line in recap.build(scenario, session.history).lines():
            print(_wrap(line, "        "), file=out)
        score = "none yet" if summary.score is None else f"{summary.score:.0f}/100"
        print(f"\nOverall score: {score} over {summary.turns} answers", file=out)
        for cid, value in summary.criteria.items():
            label = scenario.criterion(cid).label
            print(f"  {_bar(value)} {value * 100:5.0f}%  {label}", file=out)
    saved = history.saved() if history is not None else None
    if saved:
        print("\n" + _wrap(saved), file=out)
    if as_json:
        print(
            json.dumps(
                {
                    "scenario": scenario.id,
                    "seed": session.seed,
                    "content_hash": scenario.content_hash,
                    "turns": [r.to_dict() for r in session.history],
                    "result": summary.to_dict(),
                },
                indent=2,
            )
        )
    return 0


def _width() -> int:
    return max(40, min(100, shutil.get_terminal_size((100, 24)).columns - 1))


def _wrap(text: str, indent: str = "") -> str:
    """Wrap to the terminal so words are never split across lines.

    Hyphens and long words are not break points: a folder path or a reference number
    must stay whole so that it can be copied from the terminal.
    """
    width = _width()
    lead = text[: len(text) - len(text.lstrip())]
    return textwrap.fill(
        " ".join(text.split()),
        width=width,
        initial_indent=lead,
        subsequent_indent=indent or lead,
        break_on_hyphens=False,
        break_long_words=False,
    )


def _header(scenario: Scenario, out: TextIO, practice: bool) -> None:
    mode = "practice" if practice else "assessment"
    print(f"\n{scenario.title}  [{scenario.channel.value}, {mode} mode]", file=out)
    print(_wrap(scenario.summary), file=out)
    print(_wrap(f"You are speaking with {scenario.persona.name}, {scenario.persona.role}."), file=out)
    if scenario.desk:
        print("\nOn your desk:", file=out)
        for line in scenario.desk.to_text().splitlines():
            print(_wrap("  " + line, "      "), file=out)
    if practice:
        print("Type your answer and press Enter. /hint for a hint, /quit to stop.", file=out)


def _customer(scenario: Scenario, turn: CustomerTurn, out: TextIO) -> None:
    print(f"\n[{mood.SCALE} {_bar(turn.mood / 100)} {mood.text(turn.mood)}]", file=out)
    print(_wrap(f"{scenario.persona.name}: {turn.text}", "  "), file=out)


def _verdict(result: TurnResult, out: TextIO) -> None:
    print(f"  Turn score {result.score.score:.0f}/100, customer {mood.change(result.mood_change)}", file=out)
    for reason in result.score.auto_fail_reasons(result.answer):
        print(_wrap(f"  ! Auto-failed: {reason}", "      "), file=out)
    for criterion in result.score.criteria:
        mark = "+" if criterion.met else "-"
        words = ", ".join(f'"{result.answer[a:b]}"' for a, b in criterion.evidence[:3])
        detail = f"  ({words})" if criterion.met and words else ""
        if not criterion.met:
            detail = f" - {criterion.feedback}"
        print(_wrap(f"  {mark} {criterion.label}{detail}", "      "), file=out)


def _bar(fraction: float, width: int = 10) -> str:
    filled = max(0, min(width, round(fraction * width)))
    return "#" * filled + "." * (width - filled)
