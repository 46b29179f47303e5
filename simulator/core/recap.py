"""What this trainee did and missed in this attempt, from its verdicts and facts.

A fixed debrief paragraph can contradict the transcript ("you never gave a date" after a
date was given). The recap is built only from what happened: the criteria met, with the
turn and the words that earned them; the criteria scored but never met; turns that lost the
customer's respect; and the facts the trainee gave. The debrief page, the terminal player
and reports all show this one recap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from simulator.core import facts as fact_finder
from simulator.core.engine import TurnResult
from simulator.core.memory import known_to
from simulator.core.model import Scenario

QUOTE_CHARS = 70
FACT_LABELS = {
    "time": "a time",
    "reference": "a reference number",
    "amount": "an amount",
    "agent_name": "your name",
}


@dataclass(frozen=True)
class Done:
    criterion: str
    label: str
    turn: int  # 1-based, as the trainee counts; 0 for conduct kept on every turn (respect)
    quote: str
    missed_turns: tuple[int, ...] = ()  # later (or earlier) turns where it was scored and not met

    @property
    def where(self) -> str:
        text = "every turn" if self.turn == 0 else f"turn {self.turn}: “{self.quote}”"
        if self.missed_turns:
            turns = ", ".join(str(t) for t in self.missed_turns)
            text += f"; not on turn{'s' if len(self.missed_turns) > 1 else ''} {turns}"
        return text


@dataclass(frozen=True)
class Missed:
    criterion: str
    label: str
    turns: tuple[int, ...]  # the 1-based turns where it was scored and missed
    example: str


@dataclass(frozen=True)
class GivenFact:
    kind: str
    value: str
    turn: int


@dataclass(frozen=True)
class Recap:
    done: tuple[Done, ...]
    missed: tuple[Missed, ...]
    facts: tuple[GivenFact, ...]
    auto_failed_turns: tuple[int, ...]

    @property
    def headline(self) -> str:
        """One sentence a trainee reads first."""
        if not self.done and not self.missed:
            return "No answers were scored in this attempt."
        met = len(self.done)
        total = met + len(self.missed)
        partial = sum(1 for d in self.done if d.missed_turns)
        text = f"You showed {met} of the {total} things this customer needed"
        if partial:
            text += f", {partial} of them not on every turn that called for it"
        if self.auto_failed_turns:
            turns = ", ".join(str(t) for t in self.auto_failed_turns)
            text += f"; turn{'s' if len(self.auto_failed_turns) > 1 else ''} {turns} scored 0"
        return text + "."

    def facts_text(self, mark: Callable[[str], str] = lambda value: value) -> str:
        """ "a time: today 4-6 p.m. (turn 2), within 5 minutes (turn 3); a reference number: ..." """
        groups: dict[str, list[GivenFact]] = {}
        for fact in self.facts:
            groups.setdefault(fact.kind, []).append(fact)
        plural = {"time": "times", "reference": "reference numbers", "amount": "amounts", "agent_name": "your name"}
        parts = []
        for kind, items in groups.items():
            label = FACT_LABELS[kind] if len(items) == 1 else plural[kind]
            parts.append(f"{label}: " + ", ".join(f"{mark(f.value)} (turn {f.turn})" for f in items))
        return "; ".join(parts)

    def lines(self) -> list[str]:
        """The recap as plain lines, for the terminal and exports."""
        out = [self.headline]
        for item in self.done:
            out.append(f"  did: {item.label} ({item.where})")
        for miss in self.missed:
            where = ", ".join(str(t) for t in miss.turns)
            out.append(f"  missed: {miss.label} (turn{'s' if len(miss.turns) > 1 else ''} {where})")
        if self.facts:
            out.append(f"  you gave {self.facts_text()}")
        return out


def build(scenario: Scenario, history: Sequence[TurnResult]) -> Recap:
    """The recap of an attempt: live (``session.history``) or stored, the same either way."""
    first_met: dict[str, Done] = {}
    missed_on: dict[str, list[int]] = {}
    labels: dict[str, str] = {}
    examples: dict[str, str] = {}
    auto_failed: list[int] = []
    given: dict[tuple[str, str], GivenFact] = {}
    known = known_to(scenario)
    for result in history:
        turn = result.index + 1
        if result.score.auto_failed:
            auto_failed.append(turn)
        for criterion in result.score.criteria:
            labels.setdefault(criterion.id, criterion.label)
            examples.setdefault(criterion.id, criterion.example)
            if criterion.met:
                if criterion.id not in first_met:
                    first_met[criterion.id] = Done(
                        criterion.id, criterion.label, turn, _quote(result.answer, criterion.evidence)
                    )
            else:
                missed_on.setdefault(criterion.id, []).append(turn)
        for kind, fact in fact_finder.extract(result.answer, known).items():
            # Every distinct value, at the turn it was first given: said again later, the first turn stands.
            given.setdefault((kind, fact.value.lower()), GivenFact(kind, fact.value, turn))
    order = {spec.id: index for index, spec in enumerate(scenario.rubric)}
    done = sorted(first_met.values(), key=lambda d: (order.get(d.criterion, 99), d.turn))
    # Respect lost on any turn is a miss even if other turns were fine: it is what the customer remembers.
    missed = [
        Missed(cid, labels[cid], tuple(turns), examples.get(cid, ""))
        for cid, turns in missed_on.items()
        if cid not in first_met or _is_conduct(scenario, cid)
    ]
    missed.sort(key=lambda m: order.get(m.criterion, 99))
    done = [
        Done(d.criterion, d.label, 0, "")
        if _is_conduct(scenario, d.criterion)
        else Done(d.criterion, d.label, d.turn, d.quote, tuple(missed_on.get(d.criterion, ())))
        for d in done
        if not (_is_conduct(scenario, d.criterion) and d.criterion in missed_on)
    ]
    return Recap(
        done=tuple(done),
        missed=tuple(missed),
        facts=tuple(sorted(given.values(), key=lambda f: (fact_finder.FACT_KINDS.index(f.kind), f.turn))),
        auto_failed_turns=tuple(auto_failed),
    )


def _is_conduct(scenario: Scenario, criterion_id: str) -> bool:
    """Criteria that must hold on every turn (respect), not be shown once."""
    try:
        spec = scenario.criterion(criterion_id)
    except KeyError:
        return criterion_id == "respectful_tone"
    return spec.auto_fail or criterion_id == "respectful_tone"


def _quote(answer: str, evidence: tuple[tuple[int, int], ...]) -> str:
    if evidence:
        start, end = evidence[0]
        words = answer[max(0, start) : max(start, end)]
    else:
        words = answer
    words = " ".join(words.split())
    return words if len(words) <= QUOTE_CHARS else words[: QUOTE_CHARS - 1].rstrip() + "…"
