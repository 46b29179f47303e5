"""Conversation memory: what an attempt has established so far.

A customer who listens reacts to what was said, not to a fixed script. Memory holds the
criteria met on any turn so far (``ever.ID``), the facts taken from the trainee's words
(``fact.time``, ``fact.reference``...) and the scenario's variables. Conditions on
transitions and line variants test it; customer lines and endings quote it through
:mod:`simulator.core.placeholders`.

Memory can always be rebuilt from an attempt's answers and verdicts (:func:`replay`), so a
stored attempt's debrief tells the same story as the live one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from simulator.core import facts as fact_finder
from simulator.core import placeholders
from simulator.core.conditions import Condition, Env, Value
from simulator.core.model import LineVariant, MoodBand, Persona, Scenario


@dataclass(frozen=True)
class Given:
    """A fact the trainee gave: its value and the 0-based turn it was given on."""

    value: str
    turn: int


@dataclass
class Memory:
    ever: set[str] = field(default_factory=set)
    facts: dict[str, Given] = field(default_factory=dict)
    # References the scenario already shows (the customer's order number): not new facts.
    known: frozenset[str] = frozenset()

    def learn(self, turn: int, answer: str, met: Iterable[str]) -> None:
        """Take in one answer: its met criteria and any facts it gives (a later value replaces an earlier one)."""
        self.ever.update(met)
        for kind, fact in fact_finder.extract(answer, self.known).items():
            self.facts[kind] = Given(fact.value, turn)

    def fact_values(self) -> dict[str, str]:
        return {kind: given.value for kind, given in self.facts.items()}

    def established(self, item: str) -> bool:
        """Whether an ``asks`` item (``fact.KIND`` or ``ever.ID``) is already known."""
        namespace, _, name = item.partition(".")
        if namespace == "fact":
            return name in self.facts
        if namespace == "ever":
            return name in self.ever
        return False

    def env(self, *, mood: int, turn: int, variables: Mapping[str, Value]) -> Env:
        """The condition environment for choosing a line: no current answer, so no met/missed."""
        return Env(
            mood=mood,
            turn=turn,
            variables=dict(variables),
            ever=frozenset(self.ever),
            facts=self.fact_values(),
        )

    def lookup(self, persona: Persona, variables: Mapping[str, Value]) -> _Lookup:
        return _Lookup(self, persona, variables)

    def to_dict(self) -> dict[str, object]:
        return {
            "ever": sorted(self.ever),
            "facts": {kind: {"value": g.value, "turn": g.turn} for kind, g in self.facts.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object], known: frozenset[str] = frozenset()) -> Memory:
        ever = data.get("ever", [])
        raw = data.get("facts", {})
        memory = cls(ever={str(x) for x in ever} if isinstance(ever, list) else set(), known=known)
        if isinstance(raw, dict):
            for kind, item in raw.items():
                if kind in fact_finder.FACT_KINDS and isinstance(item, dict):
                    memory.facts[kind] = Given(placeholders.clean(item.get("value", "")), int(item.get("turn", 0)))
        return memory


class _Lookup:
    """Resolves template placeholders against memory, the persona and the variables."""

    def __init__(self, memory: Memory, persona: Persona, variables: Mapping[str, Value]) -> None:
        self.memory, self.persona, self.variables = memory, persona, variables

    def __call__(self, namespace: str, name: str) -> object:
        if namespace == "fact":
            given = self.memory.facts.get(name)
            return given.value if given else None
        if namespace == "customer":
            return self.persona.first_name if name == "first_name" else self.persona.name
        if namespace == "var":
            return self.variables.get(name)
        return None


def known_to(scenario: Scenario) -> frozenset[str]:
    """References the trainee can read before answering: on the desk or in the customer's lines."""
    texts = [item.value for item in scenario.desk.record]
    texts.extend(variant.text for node in scenario.nodes for variant in node.lines)
    return fact_finder.known_references(texts)


def replay(turns: Iterable[tuple[str, Iterable[str]]], known: frozenset[str] = frozenset()) -> Memory:
    """Memory rebuilt from ``(answer, met criteria)`` pairs in turn order."""
    memory = Memory(known=known)
    for index, (answer, met) in enumerate(turns):
        memory.learn(index, answer, met)
    return memory


def choose_variant(variants: Iterable[LineVariant], env: Env, mood: int) -> list[LineVariant]:
    """The variants that may be said now: by condition first, then by mood band.

    Variants whose ``when`` holds win over those without one; among the winners, those
    written for the current mood band win over those written for any mood; among conditional
    winners the first in the file is taken.
    """
    pool = list(variants)
    conditional = [v for v in pool if v.when is not None and v.when.evaluate(env)]
    candidates = conditional or [v for v in pool if v.when is None] or pool
    band = MoodBand.of(mood)
    fitting = [v for v in candidates if v.mood == band] or [v for v in candidates if v.mood is None] or candidates
    # Conditions are the author's priorities: the first that holds wins, in file order. Only
    # plain variants are drawn at random, for variety.
    return fitting[:1] if conditional else fitting


def acknowledges(variant: LineVariant, item: str) -> bool:
    """Whether a variant is written for the case where ``item`` (``fact.time``, ``ever.X``) is known."""
    when: Condition | None = variant.when
    if when is None:
        return False
    namespace, _, name = item.partition(".")
    return any(ns == namespace and ident == name for ns, ident, _ in when.references())
