"""Labelled answers (JSON Lines) as calibration samples: the corpus, the older sets, trainers' files.

A line names its scenario and, optionally, the customer turn (``node``): the turn's rubric is what
it is scored against, and labelled core criteria outside that rubric are still judged.

:data:`ANSWER_LINE` is the one definition of such a line, used by ``score``, ``calibrate``, the
studio's tuning panel and the corpus reports alike: every field the app reads is checked (types,
lengths, labels 0/1), fields it does not read (a writer's note) are left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.core.catalog import Catalog, scenario_dirs
from simulator.core.checks import Bool, Int, Invalid, Map, Obj, OneOf, Opt, Str, check, json_lines
from simulator.core.model import CriterionSpec
from simulator.core.problems import ScenarioError
from simulator.core.scoring.calibration import Sample
from simulator.core.scoring.scorer import CORE_RUBRIC
from simulator.core.scoring.types import ScoringContext

MAX_RESPONSE = 10_000  # characters of one answer; a typed or spoken turn is far shorter
MAX_LINE_BYTES = 256 * 1024  # one line of an answers file; longer is skipped unread
_TEXT = Str(200)
_FIELDS = {
    "id": OneOf((Str(200, 1), Int(-(2**63), 2**63 - 1)), "text or a whole number"),
    "response": Str(MAX_RESPONSE),
    "scenario": Opt(_TEXT),
    "node": Opt(_TEXT),
    "channel": Str(40),
    "customer_name": _TEXT,
    "customer_line": Str(4000),
    "labels": Opt(Map(Str(200, 1), OneOf((Bool(), Int(0, 1)), "true, false, 0 or 1"), 500)),
    "style": Str(40),
}
ANSWER_LINE = Obj(_FIELDS, optional=frozenset(_FIELDS) - {"id", "response"}, ignore_unknown=True)
# The studio's tuning panel numbers a line without an id itself.
SAMPLE_LINE = Obj(_FIELDS, optional=frozenset(_FIELDS) - {"response"}, ignore_unknown=True)


class AnswersFileError(ValueError):
    """A labelled answers file that cannot be used; the message names the file and line."""


@dataclass(frozen=True)
class Answer:
    line: int
    data: dict[str, Any]


def context_for(data: dict[str, Any], catalog: Catalog | None) -> ScoringContext:
    """The scoring context a labelled line describes (KeyError for an unknown scenario or turn)."""
    criteria: tuple[CriterionSpec, ...] = CORE_RUBRIC
    name = str(data.get("customer_name", ""))
    channel = str(data.get("channel", "chat"))
    scenario_id = data.get("scenario")
    if scenario_id and catalog is not None:
        scenario = catalog.get(str(scenario_id))
        name = name or scenario.persona.name
        channel = str(data.get("channel", scenario.channel.value))
        node = data.get("node")
        criteria = scenario.criteria_for(scenario.node(str(node))) if node else scenario.rubric
    return ScoringContext(
        criteria=criteria, customer_line=str(data.get("customer_line", "")), customer_name=name, channel=channel
    )


def read_answers(path: Path) -> list[Answer]:
    """Every line of a labelled answers file, checked against :data:`ANSWER_LINE`; the first bad one raises."""
    answers = []
    try:
        with path.open("rb") as stream:
            for number, value in json_lines(stream, MAX_LINE_BYTES):
                try:
                    if isinstance(value, Invalid):
                        raise value
                    check(value, ANSWER_LINE, "")
                except Invalid as exc:
                    raise AnswersFileError(f"{path}, line {number}: {exc}") from None
                answers.append(Answer(number, value))
    except OSError as exc:
        raise AnswersFileError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return answers


def sample_of(answer: Answer, catalog: Catalog | None, path: Path) -> Sample:
    data = answer.data
    try:
        context = context_for(data, catalog)
    except ScenarioError as exc:
        raise AnswersFileError(f"{path}, line {answer.line}: {exc.problems[0].message}") from None
    except KeyError:
        where = f"scenario {data.get('scenario')!r} has no node {data.get('node')!r}"
        raise AnswersFileError(f"{path}, line {answer.line}: {where}") from None
    labels = {k: bool(v) for k, v in (data.get("labels") or {}).items()}
    return Sample(str(data["id"]), data["response"], context, labels)


def read_samples(path: Path, catalog: Catalog | None = None) -> list[Sample]:
    catalog = catalog or Catalog(scenario_dirs())
    return [sample_of(answer, catalog, path) for answer in read_answers(path)]
