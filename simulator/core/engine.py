"""The conversation engine: a step API over a scenario, with no UI and no IO.

``Session.start()`` gives the first customer turn; ``respond(text)`` scores the
answer with any :class:`AnswerScorer`, follows the first transition whose
condition holds (or the fallback), applies its effects and returns a
:class:`TurnResult`. ``snapshot()``/``restore()`` make a session resumable
after a crash. The session keeps :class:`~simulator.core.memory.Memory` of what the
trainee established, so conditions and lines can react to it. Line variants are chosen by
condition, then mood band, then a seeded generator keyed by turn, so the same seed and
answers always give the same conversation.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from simulator.core import placeholders
from simulator.core.conditions import Env
from simulator.core.memory import Memory, acknowledges, choose_variant, known_to, replay
from simulator.core.model import (
    MOOD_MAX,
    MOOD_MIN,
    CriterionSpec,
    Ending,
    LineVariant,
    Node,
    Outcome,
    Scenario,
    Transition,
)
from simulator.core.scoring.outcome import attempt_score
from simulator.core.scoring.types import AnswerScorer, ScoringContext, TurnScore

SNAPSHOT_VERSION = 1


class EngineError(Exception):
    """The session was used out of order (respond before start, after the end...)."""


@dataclass(frozen=True)
class CustomerTurn:
    index: int
    node_id: str
    text: str
    mood: int
    hint: str
    model_answer: str
    criteria: tuple[CriterionSpec, ...]
    # What this turn asks for that the trainee had already given, with no line that says so:
    # a customer who is not listening. The coverage walk reports these to the author.
    asked_again: tuple[str, ...] = ()


@dataclass(frozen=True)
class EndingWords:
    """An ending's last line and debrief as they read for this attempt."""

    line: str
    debrief: str


@dataclass(frozen=True)
class TurnResult:
    index: int
    node_id: str
    customer_line: str
    answer: str
    score: TurnScore
    mood_before: int
    mood_after: int
    transition: str
    target: str
    next_turn: CustomerTurn | None
    ending: Ending | None
    # Criteria not scored on this turn that the answer met anyway (an option offered early):
    # remembered as ``ever.ID`` so later lines do not ask for it, never counted in the score.
    heard: frozenset[str] = frozenset()

    @property
    def remembered(self) -> frozenset[str]:
        """What this answer adds to the conversation's memory: criteria met or heard."""
        return self.score.met | self.heard

    @property
    def mood_change(self) -> int:
        return self.mood_after - self.mood_before

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "node": self.node_id,
            "customer_line": self.customer_line,
            "answer": self.answer,
            "score": self.score.to_dict(),
            "mood_before": self.mood_before,
            "mood_after": self.mood_after,
            "transition": self.transition,
            "target": self.target,
            **({"heard": sorted(self.heard)} if self.heard else {}),
        }


@dataclass(frozen=True)
class AttemptSummary:
    """How an attempt stands: its ending and its score (None until finished), see ``outcome``."""

    scenario_id: str
    finished: bool
    ending: Ending | None
    score: float | None
    criteria: dict[str, float]
    auto_failed: bool
    turns: int
    reviewed: bool = False  # a trainer overrode a verdict: the numbers include it

    @property
    def outcome(self) -> Outcome | None:
        return self.ending.outcome if self.ending else None

    @classmethod
    def of(
        cls, scenario_id: str, ending: Ending | None, finished: bool, history: Sequence[TurnResult]
    ) -> AttemptSummary:
        """The summary of ``history`` (whose turn scores may carry a trainer's reviews)."""
        total = attempt_score([r.score for r in history], finished=finished)
        return cls(
            scenario_id=scenario_id,
            finished=finished,
            ending=ending,
            score=total.score,
            criteria=total.criteria,
            auto_failed=total.auto_failed,
            turns=total.turns,
            reviewed=total.reviewed,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario_id,
            "finished": self.finished,
            "ending": self.ending.id if self.ending else None,
            "outcome": self.ending.outcome.value if self.ending else None,
            "score": None if self.score is None else round(self.score, 1),
            "criteria": {k: round(v, 3) for k, v in self.criteria.items()},
            "auto_failed": self.auto_failed,
            "turns": self.turns,
        }


class Session:
    """One play-through of a scenario by one trainee."""

    def __init__(self, scenario: Scenario, scorer: AnswerScorer, seed: int = 0) -> None:
        self.scenario = scenario
        self.scorer = scorer
        self.seed = seed
        self.mood = scenario.persona.mood
        self.variables: dict[str, bool | int | float | str] = dict(scenario.variables)
        self.history: list[TurnResult] = []
        self.memory = Memory(known=known_to(scenario))
        self.current: CustomerTurn | None = None
        self.ending: Ending | None = None
        self._started = False

    @property
    def finished(self) -> bool:
        return self.ending is not None

    def start(self) -> CustomerTurn:
        if self._started:
            raise EngineError("session already started")
        self._started = True
        self.current = self._enter(self.scenario.node(self.scenario.start), 0)
        return self.current

    def start_at(
        self,
        node_id: str,
        *,
        mood: int | None = None,
        variables: dict[str, bool | int | float | str] | None = None,
    ) -> CustomerTurn:
        """Start from any node with a chosen mood and variables: the studio's playtest.

        Unknown variable names are refused, so a playtest cannot reach a state the scenario
        itself never could.
        """
        if self._started:
            raise EngineError("session already started")
        try:
            node = self.scenario.node(node_id)
        except KeyError:
            raise EngineError(f"no node {node_id!r} in scenario {self.scenario.id!r}") from None
        if mood is not None:
            self.mood = max(0, min(100, int(mood)))
        for name, value in (variables or {}).items():
            if name not in self.variables:
                raise EngineError(f"unknown variable {name!r}")
            self.variables[name] = value
        self._started = True
        self.current = self._enter(node, 0)
        return self.current

    def respond(self, answer: str) -> TurnResult:
        """Score ``answer`` to the current customer turn and move the conversation on."""
        if self.current is None:
            raise EngineError("the session is finished" if self.finished else "call start() first")
        turn = self.current
        node = self.scenario.node(turn.node_id)
        context = ScoringContext(
            criteria=turn.criteria,
            customer_line=turn.text,
            customer_name=self.scenario.persona.name,
            channel=self.scenario.channel.value,
        )
        score = self.scorer.score(answer, context)
        heard = self._listen(answer, context)
        self.memory.learn(turn.index, answer, score.met | heard)
        met, missed = _as_heard(score, self.scenario)
        env = Env(
            met=met,
            missed=missed,
            score=score.score,
            mood=self.mood,
            turn=turn.index + 1,
            variables=dict(self.variables),
            ever=frozenset(self.memory.ever),
            facts=self.memory.fact_values(),
        )
        label, transition = self._choose(node, env)
        mood_before = self.mood
        self.mood = max(MOOD_MIN, min(MOOD_MAX, self.mood + transition.effects.mood))
        for name, value in transition.effects.set:
            self.variables[name] = value
        target = transition.to
        if not self.scenario.is_ending(target) and turn.index + 1 >= self.scenario.max_turns:
            label, target = "max_turns", self._give_up_ending().id
        next_turn: CustomerTurn | None = None
        if self.scenario.is_ending(target):
            self.ending = self.scenario.ending(target)
            self.current = None
        else:
            next_turn = self._enter(self.scenario.node(target), turn.index + 1)
            self.current = next_turn
        result = TurnResult(
            index=turn.index,
            node_id=turn.node_id,
            customer_line=turn.text,
            answer=answer,
            score=score,
            mood_before=mood_before,
            mood_after=self.mood,
            transition=label,
            target=target,
            next_turn=next_turn,
            ending=self.ending,
            heard=heard,
        )
        self.history.append(result)
        return result

    def _listen(self, answer: str, context: ScoringContext) -> frozenset[str]:
        """Criteria of the rubric not scored on this turn that the answer meets: for memory only.

        Conduct (respect, any auto-fail criterion) is left out: it is judged where it is scored.
        """
        scored = {spec.id for spec in context.criteria}
        others = tuple(
            spec
            for spec in self.scenario.rubric
            if spec.id not in scored and not spec.auto_fail and spec.id != "respectful_tone"
        )
        if not others:
            return frozenset()
        return self.scorer.score(answer, replace(context, criteria=others)).met

    def ending_words(self) -> EndingWords | None:
        """The ending's line and debrief for what happened in this attempt (None until it ends)."""
        if self.ending is None:
            return None
        return ending_words(self.scenario, self.ending, self.memory, self.mood, len(self.history), self.variables)

    def summary(self) -> AttemptSummary:
        return AttemptSummary.of(self.scenario.id, self.ending, self.finished, self.history)

    def snapshot(self) -> dict[str, Any]:
        """Everything needed to resume this session; plain JSON types only."""
        return {
            "version": SNAPSHOT_VERSION,
            "scenario": self.scenario.id,
            "content_hash": self.scenario.content_hash,
            "seed": self.seed,
            "mood": self.mood,
            "variables": dict(self.variables),
            "memory": self.memory.to_dict(),
            "started": self._started,
            "current": None
            if self.current is None
            else {
                "index": self.current.index,
                "node": self.current.node_id,
                "text": self.current.text,
                "mood": self.current.mood,
            },
            "ending": self.ending.id if self.ending else None,
            "history": [r.to_dict() for r in self.history],
        }

    @classmethod
    def restore(cls, scenario: Scenario, scorer: AnswerScorer, snapshot: dict[str, Any]) -> Session:
        """Rebuild a session from :meth:`snapshot`; raises :class:`EngineError` if it does not fit."""
        if snapshot.get("version") != SNAPSHOT_VERSION:
            raise EngineError(f"unsupported snapshot version {snapshot.get('version')!r}")
        if snapshot.get("scenario") != scenario.id:
            raise EngineError(f"snapshot is for scenario {snapshot.get('scenario')!r}, not {scenario.id!r}")
        session = cls(scenario, scorer, seed=int(snapshot["seed"]))
        try:
            session.mood = int(snapshot["mood"])
            session.variables = dict(snapshot["variables"])
            session._started = bool(snapshot["started"])
            for item in snapshot["history"]:
                session.history.append(_result_from_dict(scenario, item))
            memory = snapshot.get("memory")
            known = known_to(scenario)
            session.memory = (
                Memory.from_dict(memory, known)
                if isinstance(memory, dict)
                else replay(((r.answer, r.remembered) for r in session.history), known)
            )
            current = snapshot.get("current")
            if current:
                node = scenario.node(current["node"])
                session.current = CustomerTurn(
                    index=int(current["index"]),
                    node_id=node.id,
                    text=current["text"],
                    mood=int(current.get("mood", session.mood)),
                    hint=node.hint,
                    model_answer=node.model_answer,
                    criteria=scenario.criteria_for(node),
                )
            if snapshot.get("ending"):
                session.ending = scenario.ending(snapshot["ending"])
        except (KeyError, TypeError, ValueError) as exc:
            raise EngineError(f"snapshot does not match scenario {scenario.id!r}: {exc}") from None
        return session

    # -- internals -------------------------------------------------------------

    def _enter(self, node: Node, index: int) -> CustomerTurn:
        variant = self._pick_line(node, index)
        lookup = self.memory.lookup(self.scenario.persona, self.variables)
        return CustomerTurn(
            index=index,
            node_id=node.id,
            text=placeholders.render(variant.text, lookup),
            mood=self.mood,
            hint=node.hint,
            model_answer=node.model_answer,
            criteria=self.scenario.criteria_for(node),
            asked_again=tuple(
                item for item in node.asks if self.memory.established(item) and not acknowledges(variant, item)
            ),
        )

    def _pick_line(self, node: Node, index: int) -> LineVariant:
        env = self.memory.env(mood=self.mood, turn=index, variables=self.variables)
        candidates = choose_variant(node.lines, env, self.mood)
        if len(candidates) == 1:
            return candidates[0]
        rng = random.Random(f"{self.seed}:{index}:{node.id}")
        return rng.choice(candidates)

    @staticmethod
    def _choose(node: Node, env: Env) -> tuple[str, Transition]:
        for index, transition in enumerate(node.transitions):
            if transition.when is not None and transition.when.evaluate(env):
                return f"transitions[{index}]", transition
        return "otherwise", node.otherwise

    def _give_up_ending(self) -> Ending:
        for ending in self.scenario.endings:
            if ending.outcome is Outcome.CUSTOMER_LOST:
                return ending
        return self.scenario.endings[0]


def ending_words(
    scenario: Scenario,
    ending: Ending,
    memory: Memory,
    mood: int,
    turns: int,
    variables: dict[str, bool | int | float | str] | None = None,
) -> EndingWords:
    """An ending's variants chosen and rendered against what the attempt established.

    Also used for stored attempts, whose memory is rebuilt with :func:`replay`.
    """
    values = dict(scenario.variables) if variables is None else variables
    env = memory.env(mood=mood, turn=turns, variables=values)
    lookup = memory.lookup(scenario.persona, values)

    def pick(variants: tuple[LineVariant, ...]) -> str:
        chosen = choose_variant(variants, env, mood) if variants else []
        return " ".join(placeholders.render(chosen[0].text, lookup).split()) if chosen else ""

    return EndingWords(line=pick(ending.lines), debrief=pick(ending.debriefs))


def _as_heard(score: TurnScore, scenario: Scenario) -> tuple[frozenset[str], frozenset[str]]:
    """Met and missed as the customer reacts to them: an unsure conduct flag gets the benefit of the doubt.

    A tone flag the scorer is not sure of (``certain=False``) costs the criterion in the score,
    but the customer does not take offence at it: a respectful answer must not send the
    conversation down the "you were rude" branch.
    """
    doubtful = {
        c.id
        for c in score.criteria
        if not c.met and not c.certain and (c.auto_fail or c.id == "respectful_tone" or _conduct(scenario, c.id))
    }
    return score.met | doubtful, score.missed - doubtful


def _conduct(scenario: Scenario, criterion_id: str) -> bool:
    try:
        return scenario.criterion(criterion_id).auto_fail
    except KeyError:
        return False


def stored_ending_words(scenario: Scenario, ending: Ending, history: list[TurnResult]) -> EndingWords:
    """An ending's words for a stored attempt: memory and variables rebuilt from its turns."""
    memory = replay(((r.answer, r.remembered) for r in history), known_to(scenario))
    variables: dict[str, bool | int | float | str] = dict(scenario.variables)
    for result in history:
        try:
            node = scenario.node(result.node_id)
        except KeyError:
            continue
        transition: Transition | None = None
        if result.transition == "otherwise":
            transition = node.otherwise
        elif result.transition.startswith("transitions["):
            index = result.transition[len("transitions[") : -1]
            if index.isdigit() and int(index) < len(node.transitions):
                transition = node.transitions[int(index)]
        for name, value in transition.effects.set if transition else ():
            variables[name] = value
    mood = history[-1].mood_after if history else scenario.persona.mood
    return ending_words(scenario, ending, memory, mood, len(history), variables)


def _result_from_dict(scenario: Scenario, data: dict[str, Any]) -> TurnResult:
    target = data["target"]
    ending = scenario.ending(target) if scenario.is_ending(target) else None
    return TurnResult(
        index=int(data["index"]),
        node_id=data["node"],
        customer_line=data["customer_line"],
        answer=data["answer"],
        score=TurnScore.from_dict(data["score"]),
        mood_before=int(data["mood_before"]),
        mood_after=int(data["mood_after"]),
        transition=data["transition"],
        target=target,
        next_turn=None,
        ending=ending,
        heard=frozenset(str(x) for x in data.get("heard", []) if isinstance(x, str)),
    )
