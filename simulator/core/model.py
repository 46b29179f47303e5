"""The scenario model: what a scenario file holds, as immutable Python objects.

The loader builds these from YAML after validation, so code that receives a
:class:`Scenario` can trust every reference in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.core.problems import Problem

if TYPE_CHECKING:
    from simulator.core.conditions import Condition


class Channel(StrEnum):
    PHONE = "phone"
    CHAT = "chat"
    EMAIL = "email"


class Difficulty(StrEnum):
    BEGINNER = "beginner"
    INTERMEDIATE = "intermediate"
    ADVANCED = "advanced"


class Outcome(StrEnum):
    RESOLVED = "resolved"
    ESCALATED = "escalated"
    CUSTOMER_LOST = "customer_lost"


class MoodBand(StrEnum):
    """Coarse mood bands that customer-line variants are written for."""

    CALM = "calm"
    TENSE = "tense"
    ANGRY = "angry"

    @classmethod
    def of(cls, mood: int) -> MoodBand:
        if mood < 40:
            return cls.CALM
        if mood < 70:
            return cls.TENSE
        return cls.ANGRY


MOOD_MIN = 0
MOOD_MAX = 100


@dataclass(frozen=True)
class Voice:
    """Text-to-speech settings for the persona (used by the voice adapter)."""

    voice: str = "en-us"
    rate: int = 175
    pitch: int = 50
    volume: float = 1.0


@dataclass(frozen=True)
class Persona:
    name: str
    role: str
    mood: int
    backstory: str = ""
    avatar: str = ""
    voice: Voice = field(default_factory=Voice)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""


@dataclass(frozen=True)
class Feedback:
    met: str = ""
    missed: str = ""


@dataclass(frozen=True)
class CriterionSpec:
    """One rubric line: a core criterion by id, or a scenario-specific one with its own match rules.

    ``phrases`` and ``patterns`` are only used by scenario-specific criteria;
    core criteria have built-in detectors (see ``simulator.core.scoring``).
    """

    id: str
    label: str
    weight: float = 1.0
    feedback: Feedback = field(default_factory=Feedback)
    example: str = ""
    auto_fail: bool = False
    phrases: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    exemplars: tuple[str, ...] = ()
    counterexamples: tuple[str, ...] = ()
    negatable: bool = True
    core: bool = False


@dataclass(frozen=True)
class LineVariant:
    """One way of saying a line: for a mood band, and/or for when a condition on memory holds.

    ``text`` may hold placeholders (``{fact.time|then}``); see ``simulator.core.placeholders``.
    """

    text: str
    mood: MoodBand | None = None
    when: Condition | None = None


@dataclass(frozen=True)
class Effects:
    """What a transition does to the conversation state."""

    mood: int = 0
    set: tuple[tuple[str, bool | int | float | str], ...] = ()


@dataclass(frozen=True)
class Transition:
    to: str
    when: Condition | None = None
    effects: Effects = field(default_factory=Effects)
    note: str = ""


@dataclass(frozen=True)
class Node:
    """A customer turn: what the customer says and where each kind of answer leads."""

    id: str
    lines: tuple[LineVariant, ...]
    criteria: tuple[str, ...]
    transitions: tuple[Transition, ...]
    otherwise: Transition
    hint: str = ""
    model_answer: str = ""
    # What this customer turn asks for ("fact.time", "ever.lock_card"): if it is already
    # established, a line variant must acknowledge it instead of asking again.
    asks: tuple[str, ...] = ()


@dataclass(frozen=True)
class Ending:
    """How a conversation ends. ``lines`` and ``debriefs`` are variants chosen by what happened."""

    id: str
    outcome: Outcome
    title: str
    debriefs: tuple[LineVariant, ...]
    lines: tuple[LineVariant, ...] = ()

    @property
    def debrief(self) -> str:
        """The unconditional debrief text, for views of the scenario rather than of an attempt."""
        return _default(self.debriefs)

    @property
    def line(self) -> str:
        return _default(self.lines)


def _default(variants: tuple[LineVariant, ...]) -> str:
    for variant in variants:
        if variant.when is None:
            return variant.text
    return variants[0].text if variants else ""


@dataclass(frozen=True)
class DeskField:
    label: str
    value: str


@dataclass(frozen=True)
class Colleague:
    name: str
    role: str
    when: str = ""


@dataclass(frozen=True)
class Desk:
    """What a real agent would have on screen: the record, the policy, the options, who to call.

    The rubric should expect only what the desk shows or the customer said.
    """

    title: str = ""
    record: tuple[DeskField, ...] = ()
    policy: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    colleagues: tuple[Colleague, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.record or self.policy or self.options or self.colleagues)

    def to_text(self) -> str:
        """The desk as plain text, for the terminal player and exports."""
        lines: list[str] = []
        if self.record:
            lines.append(self.title or "Record")
            lines.extend(f"  {f.label}: {f.value}" for f in self.record)
        for heading, items in (("Policy", self.policy), ("You may offer", self.options)):
            if items:
                lines.append(heading)
                lines.extend(f"  - {item}" for item in items)
        if self.colleagues:
            lines.append("Colleagues")
            lines.extend(f"  - {c.name}, {c.role}" + (f" ({c.when})" if c.when else "") for c in self.colleagues)
        return "\n".join(lines)


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    summary: str
    channel: Channel
    difficulty: Difficulty
    estimated_minutes: int
    learning_objectives: tuple[str, ...]
    persona: Persona
    rubric: tuple[CriterionSpec, ...]
    variables: tuple[tuple[str, bool | int | float | str], ...]
    start: str
    nodes: tuple[Node, ...]
    endings: tuple[Ending, ...]
    max_turns: int = 30
    path: Path | None = None
    content_hash: str = ""
    desk: Desk = field(default_factory=Desk)
    # Problems that do not stop the scenario from playing (see ``Problem.warning``).
    warnings: tuple[Problem, ...] = ()

    def node(self, node_id: str) -> Node:
        for node in self.nodes:
            if node.id == node_id:
                return node
        raise KeyError(node_id)

    def ending(self, ending_id: str) -> Ending:
        for ending in self.endings:
            if ending.id == ending_id:
                return ending
        raise KeyError(ending_id)

    def is_ending(self, target: str) -> bool:
        return any(e.id == target for e in self.endings)

    def criterion(self, criterion_id: str) -> CriterionSpec:
        for spec in self.rubric:
            if spec.id == criterion_id:
                return spec
        raise KeyError(criterion_id)

    def criteria_for(self, node: Node) -> tuple[CriterionSpec, ...]:
        return tuple(self.criterion(cid) for cid in node.criteria)
