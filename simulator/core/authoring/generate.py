"""A large generated scenario (hundreds of turns) for the studio's benchmark and responsiveness test.

Real scenarios have ten or so turns; the studio must still feel instant on a file thirty times
that size. The generated graph is shaped like a real one: a forward spine every turn can follow,
2-3 conditional branches per turn (some jumping back), and endings of every outcome.
"""

from __future__ import annotations

import random
from typing import Any

from simulator.core.authoring.document import ScenarioDocument
from simulator.core.authoring.templates import new_scenario_text

CONDITIONS = (
    "missed.respectful_tone",
    "met.acknowledge_emotion and met.take_ownership",
    "met.set_expectations",
    "met.ask_question or score >= 70",
    "met.offer_escalation",
    "score >= 60 and mood < 50",
    "var.escalated and met.set_expectations",
)
CUSTOMER_LINES = (
    "I've been waiting for part {n} of my order for two weeks and nobody tells me anything.",
    "This is the third time I'm calling about issue {n}. Why is it still not fixed?",
    "Okay, and what happens with item {n} now? I need it before Friday.",
    "Honestly, I'm close to cancelling. Step {n} was supposed to be done yesterday.",
    "Can you at least tell me when case {n} will be looked at?",
)
ENDINGS: tuple[tuple[str, str, str], ...] = (
    ("resolved_well", "resolved", "Sorted, and the customer feels heard"),
    ("resolved_uneasy", "resolved", "Sorted, but the customer is still uneasy"),
    ("supervisor", "escalated", "Handed to a supervisor"),
    ("specialist_callback", "escalated", "A specialist will call back"),
    ("customer_left", "customer_lost", "The customer gave up"),
)


def _nodes(count: int, rng: random.Random) -> list[dict[str, Any]]:
    ending_ids = [ending_id for ending_id, _, _ in ENDINGS]
    nodes: list[dict[str, Any]] = []
    for index in range(count):
        transitions: list[dict[str, Any]] = []
        conditions = rng.sample(CONDITIONS, rng.randint(2, 3))
        conditions.sort(key=lambda c: c != "missed.respectful_tone")  # rude answers are caught first
        for number, condition in enumerate(conditions):
            if condition == "missed.respectful_tone":
                target = "customer_left" if rng.random() < 0.5 else f"n{min(index + 1, count - 1)}"
            elif index > 3 and number == len(conditions) - 1 and rng.random() < 0.15:
                target = f"n{index - rng.randint(1, 3)}"  # a loop back: the customer repeats themselves
            else:
                ahead = index + rng.randint(2, 15)
                target = f"n{ahead}" if ahead < count else rng.choice(ending_ids)
            if target == f"n{index}":
                target = ending_ids[index % len(ending_ids)]
            transition: dict[str, Any] = {"when": condition, "to": target, "mood": rng.choice((-15, -5, 5, 15))}
            if condition == "met.offer_escalation":
                transition["set"] = {"escalated": True}
            transitions.append(transition)
        spine = f"n{index + 1}" if index + 1 < count else ending_ids[index % len(ending_ids)]
        nodes.append(
            {
                "id": f"n{index}",
                "say": rng.choice(CUSTOMER_LINES).format(n=index),
                "hint": "Acknowledge the wait, say what you will do, and when.",
                "model_answer": (
                    f"I'm sorry this has dragged on, Sam - that's frustrating. I'll chase part {index} myself "
                    "right now and call you back by 4 p.m. today with an update. Does that work for you?"
                ),
                "criteria": [
                    "acknowledge_emotion",
                    "take_ownership",
                    "set_expectations",
                    "ask_question",
                    "offer_escalation",
                    "respectful_tone",
                ],
                "transitions": transitions,
                "otherwise": {"to": spine, "mood": 5},
            }
        )
    # The last turns lead to every ending, so all of them are reachable.
    for number, (ending_id, _, _) in enumerate(ENDINGS):
        node = nodes[max(0, count - 1 - number)]
        node["transitions"].append({"when": "turn >= 1", "to": ending_id})
    return nodes


def generated_scenario_text(nodes: int = 300, seed: int = 0) -> str:
    """A valid scenario with ``nodes`` customer turns; the same arguments always give the same text."""
    if nodes < 1:
        raise ValueError("a scenario needs at least one turn")
    rng = random.Random(seed)
    document = ScenarioDocument.from_text(
        new_scenario_text("generated", f"Generated scenario ({nodes} turns)", "chat"), "<generated>"
    )
    document.set(("max_turns",), 60)
    document.set(("variables",), {"escalated": False})
    document.set(("start",), "n0")
    document.set(("nodes",), _nodes(nodes, rng))
    document.set(
        ("endings",),
        [
            {"id": ending_id, "outcome": outcome, "title": title, "debrief": f"{title}. Generated for benchmarks."}
            for ending_id, outcome, title in ENDINGS
        ],
    )
    return document.text()
