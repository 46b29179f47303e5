"""The scenario model: what a scenario file holds, as immutable Python objects.

The loader builds these from YAML after validation, so code that receives a
:class:`Scenario` can trust every reference in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

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
    text: str
    mood: MoodBand | None = None


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


@dataclass(frozen=True)
class Ending:
    id: str
    outcome: Outcome
    title: str
    debrief: str
    line: str = ""


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
