"""Play a scenario many times with generated answers, to find turns and endings nobody can reach.

The validator proves a node is connected; it cannot tell whether any real answer leads there
(a condition may need two criteria no sensible answer meets together). Playing the scenario
with good, average and poor answers, mixed turn by turn, shows what trainees will actually see.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from simulator.core.engine import CustomerTurn, Session
from simulator.core.model import Node, Scenario
from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.types import AnswerScorer, ScoringContext, TurnScore


class Quality(StrEnum):
    GOOD = "good"
    AVERAGE = "average"
    POOR = "poor"


AVERAGE_LINES = (
    "Okay, let me look into that for you.",
    "I see. One moment please.",
    "Right, I understand. Let me check.",
    "Okay. Can you give me a bit more detail?",
)
POOR_LINES = (
    "That's not my problem.",
    "There's nothing I can do about that.",
    "That's our policy, I'm afraid.",
    "You'll have to wait like everyone else.",
    "Calm down, it's not that serious.",
    "Stop shouting at me, it's your own fault.",
    "Whatever. You should have read the terms.",
)
# How often a turn's answer follows the run's own quality; the rest are drawn at random, so one
# run can recover or slip, which is what reaches the in-between branches.
DOMINANT = 0.6
_SENTENCE = re.compile(r"(?<!\bMr\.)(?<!\bMs\.)(?<!\bDr\.)(?<!\bMrs\.)(?<=[.!?])\s+")


@dataclass
class CoverageReport:
    """What the runs reached: every node and ending with how often, and what was never reached."""

    scenario_id: str
    runs: int
    node_visits: dict[str, int]
    ending_counts: dict[str, int]
    transitions: dict[tuple[str, str], int] = field(default_factory=dict)
    never_taken: list[tuple[str, str]] = field(default_factory=list)
    runs_by_quality: dict[str, int] = field(default_factory=dict)
    # (turn, what it asks for) -> runs in which the customer asked for something already given
    asked_again: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def reached_nodes(self) -> list[str]:
        return [n for n, count in self.node_visits.items() if count]

    @property
    def unreached_nodes(self) -> list[str]:
        return [n for n, count in self.node_visits.items() if not count]

    @property
    def reached_endings(self) -> list[str]:
        return [e for e, count in self.ending_counts.items() if count]

    @property
    def unreached_endings(self) -> list[str]:
        return [e for e, count in self.ending_counts.items() if not count]

    def to_text(self) -> str:
        """A plain summary for the studio's review panel and the command line."""
        lines = [f"Coverage of {self.scenario_id}: {self.runs} runs"]
        lines.append(f"  turns reached: {len(self.reached_nodes)} of {len(self.node_visits)}")
        lines.append("  endings:")
        for ending, count in self.ending_counts.items():
            lines.append(f"    {ending}: {count} run{'s' if count != 1 else ''}" if count else f"    {ending}: never")
        if self.unreached_nodes:
            lines.append(f"  never reached turns: {', '.join(self.unreached_nodes)}")
        if self.unreached_endings:
            lines.append(f"  never reached endings: {', '.join(self.unreached_endings)}")
        if self.never_taken:
            shown = ", ".join(f"{node} {label}" for node, label in self.never_taken[:10])
            more = f" and {len(self.never_taken) - 10} more" if len(self.never_taken) > 10 else ""
            lines.append(f"  transitions never taken: {shown}{more}")
        for (node, item), count in sorted(self.asked_again.items()):
            runs = f"{count} run{'s' if count != 1 else ''}"
            lines.append(f"  warning: {node} asks for {item} after the trainee gave it ({runs}); add 'when: {item}'")
        if not self.unreached_nodes and not self.unreached_endings:
            lines.append("  every turn and ending was reached")
        return "\n".join(lines)


class _MemoScorer:
    """Scores each (answer, turn) once: generated answers repeat a lot, and scoring is the cost."""

    def __init__(self, scorer: AnswerScorer) -> None:
        self.scorer = scorer
        self.cache: dict[tuple[str, tuple[str, ...], str, str, str], TurnScore] = {}

    def score(self, answer: str, context: ScoringContext) -> TurnScore:
        key = (
            answer,
            tuple(spec.id for spec in context.criteria),
            context.customer_line,
            context.customer_name,
            context.channel,
        )
        found = self.cache.get(key)
        if found is None:
            found = self.cache[key] = self.scorer.score(answer, context)
        return found


class AnswerMaker:
    """Generated answers of a chosen quality for one scenario's turns."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.first_name = scenario.persona.first_name
        self._examples: dict[str, list[str]] = {}

    def examples(self, node: Node) -> list[str]:
        """One sentence per criterion scored at ``node`` that should earn it."""
        found = self._examples.get(node.id)
        if found is None:
            found = self._examples[node.id] = [s for s in (self._example(cid) for cid in node.criteria) if s]
        return found

    def _example(self, criterion_id: str) -> str:
        spec = self.scenario.criterion(criterion_id)
        text = spec.example or (spec.exemplars[0] if spec.exemplars else "")
        if not text and spec.phrases:
            text = f"I'll {spec.phrases[0]} for you right now."
        if not text and criterion_id in CORE_CRITERIA:
            text = CORE_CRITERIA[criterion_id].example.replace("{name}", self.first_name)
        return text

    def answer(self, node: Node, quality: Quality, rng: random.Random) -> str:
        if quality is Quality.GOOD:
            return self._good(node, rng)
        if quality is Quality.AVERAGE:
            sentences = [s for s in _SENTENCE.split(node.model_answer) if s]
            if len(sentences) >= 2 and rng.random() < 0.5:
                half = sentences[: len(sentences) // 2] if rng.random() < 0.5 else sentences[len(sentences) // 2 :]
                return " ".join(half)
            return rng.choice(AVERAGE_LINES)
        return rng.choice(POOR_LINES)

    def _good(self, node: Node, rng: random.Random) -> str:
        examples = self.examples(node)
        roll = rng.random()
        if node.model_answer and (roll < 0.3 or not examples):
            return node.model_answer
        if not examples:
            return rng.choice(AVERAGE_LINES)
        if roll < 0.5:
            return " ".join(examples)
        # A random subset of the criteria: different criteria met is what takes different branches.
        chosen = rng.sample(examples, rng.randint(1, len(examples)))
        return " ".join(chosen)


def walk(scenario: Scenario, scorer: AnswerScorer, runs_per_quality: int = 20, seed: int = 0) -> CoverageReport:
    """Play ``scenario`` ``3 * runs_per_quality`` times and count the turns, transitions and endings reached.

    Each run has a dominant quality (good, average or poor) and mixes in the others turn by turn;
    the first run of each quality is pure. The same seed always gives the same report.
    """
    rng = random.Random(seed)
    maker = AnswerMaker(scenario)
    memo = _MemoScorer(scorer)
    node_visits = {node.id: 0 for node in scenario.nodes}
    ending_counts = {ending.id: 0 for ending in scenario.endings}
    taken: Counter[tuple[str, str]] = Counter()
    asked: Counter[tuple[str, str]] = Counter()
    runs = 0
    by_quality: dict[str, int] = {}
    for quality in Quality:
        for run in range(runs_per_quality):
            session = Session(scenario, memo, seed=rng.randrange(2**31))
            turn: CustomerTurn | None = session.start()
            seen: set[str] = set()
            repeats: set[tuple[str, str]] = set()
            for _step in range(scenario.max_turns + 1):  # the engine ends a run by max_turns anyway
                if turn is None:
                    break
                seen.add(turn.node_id)
                repeats.update((turn.node_id, item) for item in turn.asked_again)
                chosen = quality if run == 0 or rng.random() < DOMINANT else rng.choice(list(Quality))
                result = session.respond(maker.answer(scenario.node(turn.node_id), chosen, rng))
                taken[(result.node_id, result.transition)] += 1
                turn = result.next_turn
            for node_id in seen:
                node_visits[node_id] += 1
            asked.update(repeats)
            if session.ending is not None:
                ending_counts[session.ending.id] += 1
            runs += 1
            by_quality[quality.value] = by_quality.get(quality.value, 0) + 1
    never: list[tuple[str, str]] = []
    for node in scenario.nodes:
        if not node_visits[node.id]:
            continue
        labels = [f"transitions[{i}]" for i in range(len(node.transitions))] + ["otherwise"]
        never.extend((node.id, label) for label in labels if not taken[(node.id, label)])
    return CoverageReport(
        scenario_id=scenario.id,
        runs=runs,
        node_visits=node_visits,
        ending_counts=ending_counts,
        transitions=dict(taken),
        never_taken=never,
        runs_by_quality=by_quality,
        asked_again=dict(asked),
    )
