"""Conversation memory: a fact offered in one turn changes a later line, templates quote it,
endings follow what happened, and bad templates are located errors, never a crash."""

from __future__ import annotations

import pytest

from simulator.core.engine import Session, ending_words
from simulator.core.loader import load_text
from simulator.core.memory import replay
from simulator.core.problems import ScenarioError
from simulator.core.scoring.scorer import RubricScorer

SCENARIO = """\
format: 1
id: memory
title: Memory
summary: A customer waiting for a delivery.
channel: phone
difficulty: beginner
estimated_minutes: 2
learning_objectives: [Listen]
persona: {name: Dana Reed, role: a customer, mood: 60}
variables:
  rushed: false
desk:
  title: Order 4471
  record:
    - {label: Order, value: "4471, desk lamp"}
  policy: [Late orders ship free next day.]
  options: [Next-day courier]
  colleagues:
    - {name: Priya Shah, role: shift lead}
rubric:
  - id: set_expectations
    example: It will be with you by Friday, Dana.
  - id: respectful_tone
    example: I'm glad you called.
start: ask
nodes:
  - id: ask
    say: When will my lamp come?
    criteria: [set_expectations, respectful_tone]
    transitions:
      - when: fact.time
        to: confirm
        set: {rushed: true}
    otherwise: {to: confirm}
  - id: confirm
    asks: [fact.time]
    say:
      - when: fact.time
        text: "{fact.time}, you said? Can I have a reference, {fact.agent_name|then}?"
      - text: So when will it come?
    criteria: [set_expectations]
    otherwise: {to: done}
endings:
  - id: done
    outcome: resolved
    title: Done
    say:
      - when: fact.reference
        text: "Thanks, I've written down {fact.reference}."
      - text: Okay. Bye.
    debrief:
      - when: ever.set_expectations and var.rushed
        text: You gave {customer.first_name} a time ({fact.time|a time}) on the first turn.
      - text: "{customer.first_name} never heard when the lamp would come."
"""


def play(*answers: str) -> Session:
    session = Session(load_text(SCENARIO), RubricScorer(), seed=1)
    session.start()
    for answer in answers:
        session.respond(answer)
    return session


def test_a_fact_offered_changes_the_next_line_and_is_quoted() -> None:
    session = Session(load_text(SCENARIO), RubricScorer())
    session.start()
    result = session.respond("Hi, my name is Sam. It will be with you Thursday between nine and eleven.")
    assert result.next_turn is not None
    assert result.next_turn.text == "Thursday between nine and eleven, you said? Can I have a reference, Sam?"
    assert result.next_turn.asked_again == ()


def test_without_the_fact_the_customer_asks() -> None:
    session = Session(load_text(SCENARIO), RubricScorer())
    session.start()
    result = session.respond("I don't know, sorry.")
    assert result.next_turn is not None and result.next_turn.text == "So when will it come?"


def test_the_ending_follows_what_happened() -> None:
    good = play("It will be with you by Friday.", "Your reference is AB12345.")
    words = good.ending_words()
    assert words is not None
    assert words.line == "Thanks, I've written down AB12345."
    assert words.debrief == "You gave Dana a time (by Friday) on the first turn."
    poor = play("No idea.", "Bye.")
    words = poor.ending_words()
    assert words is not None
    assert words.line == "Okay. Bye." and words.debrief == "Dana never heard when the lamp would come."


def test_a_stored_attempt_tells_the_same_story() -> None:
    live = play("It will be with you by Friday.", "Your reference is AB12345.")
    memory = replay((r.answer, r.score.met) for r in live.history)
    assert live.ending is not None
    assert ending_words(live.scenario, live.ending, memory, live.mood, 2, live.variables) == live.ending_words()


def test_memory_survives_snapshot_and_restore() -> None:
    session = Session(load_text(SCENARIO), RubricScorer())
    session.start()
    session.respond("It will be with you by Friday, my name is Sam.")
    restored = Session.restore(session.scenario, RubricScorer(), session.snapshot())
    assert restored.memory.fact_values() == {"time": "by Friday", "agent_name": "Sam"}
    restored.respond("Reference AB12345.")
    assert (
        restored.ending_words()
        == play("It will be with you by Friday, my name is Sam.", "Reference AB12345.").ending_words()
    )


def test_a_trainee_typing_a_placeholder_sees_it_as_text() -> None:
    session = Session(load_text(SCENARIO), RubricScorer())
    session.start()
    session.respond("my name is {fact.reference} and it will be by Friday")
    assert session.current is not None
    assert "{" not in session.current.text


def test_the_desk_is_loaded() -> None:
    desk = load_text(SCENARIO).desk
    assert desk.title == "Order 4471" and desk.record[0].value == "4471, desk lamp"
    assert "Priya Shah, shift lead" in desk.to_text()


def problems(text: str) -> list[str]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "memory.yaml")
    return [p.format() for p in caught.value.problems]


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if marker in line)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"{fact.time}, you said?', '"{fact.weather}, you said?', "unknown fact 'weather'"),
        ('"{fact.time}, you said?', '"{time}, you said?', "does not start a placeholder"),
        ('"{fact.time}, you said?', '"{os.environ}, you said?', "unknown placeholder namespace"),
        ('"{fact.time}, you said?', '"{var.missing|x}, you said?', "variable 'missing', which is not declared"),
        (
            'text: "Thanks, I\'ve written down {fact.reference}."',
            'text: "Thanks {fact.reference}."\n        mood: calm',
            None,
        ),
        (
            '      - when: fact.time\n        text: "{fact.time}',
            '      - when: met.set_expectations\n        text: "{fact.time}',
            "a line is chosen before the trainee answers",
        ),
        (
            "      - when: fact.time\n        to: confirm",
            "      - when: fact.mood\n        to: confirm",
            "fact 'mood', which the trainee's words cannot give",
        ),
        ('text: "{customer.first_name} never heard', 'text: "{fact.time} never heard', "may be empty on some paths"),
    ],
)
def test_bad_memory_is_a_located_error(old: str, new: str, message: str | None) -> None:
    assert old in SCENARIO
    text = SCENARIO.replace(old, new)
    if message is None:  # a valid change: loads
        load_text(text)
        return
    found = problems(text)
    assert any(message in p for p in found), found
    marker = new.splitlines()[0].strip()
    assert any(p.startswith(f"memory.yaml:{line_of(text, marker)}:") for p in found if message in p), found


def test_asks_without_an_acknowledging_line_is_a_warning() -> None:
    text = SCENARIO.replace(
        '      - when: fact.time\n        text: "{fact.time}, you said?', '      - text: "{fact.time|Then}, you said?'
    )
    scenario = load_text(text, "memory.yaml")
    assert [w.message for w in scenario.warnings] == [
        "turn 'confirm' asks for fact.time but no line acknowledges it when it was already given"
    ]
    session = Session(scenario, RubricScorer(), seed=3)
    session.start()
    result = session.respond("It will be with you by Friday.")
    assert result.next_turn is not None
    assert result.next_turn.asked_again == ("fact.time",)


def test_core_criterion_without_a_scenario_example_is_a_warning() -> None:
    text = SCENARIO.replace("    example: I'm glad you called.\n", "")
    messages = [w.message for w in load_text(text).warnings]
    assert messages == ["core criterion 'respectful_tone' has no example in this scenario's own words"]
    # ...and its generic example names this customer, never another persona.
    spec = load_text(text.replace("  - id: respectful_tone", "  - id: personalize\n  - id: respectful_tone")).criterion(
        "personalize"
    )
    assert spec.example == "Thanks for staying with me, Dana."


def test_an_action_offered_before_its_turn_is_remembered_not_scored() -> None:
    text = SCENARIO.replace(
        "  - id: respectful_tone\n    example: I'm glad you called.\n",
        "  - id: respectful_tone\n    example: I'm glad you called.\n"
        "  - id: offers_courier\n    label: Offers the courier\n    phrases: [next-day courier, courier]\n"
        "    example: I'll send it by next-day courier.\n",
    ).replace(
        "      - text: So when will it come?",
        "      - when: ever.offers_courier and not fact.time\n        text: A courier, fine. But when?\n"
        "      - text: So when will it come?",
    )
    session = Session(load_text(text), RubricScorer())
    session.start()
    result = session.respond("I'll put it on a next-day courier for you.")
    assert result.heard == frozenset({"offers_courier"})
    assert "offers_courier" not in {c.id for c in result.score.criteria}
    assert result.next_turn is not None and result.next_turn.text == "A courier, fine. But when?"
    restored = Session.restore(session.scenario, RubricScorer(), session.snapshot())
    assert restored.history[0].heard == frozenset({"offers_courier"})


def test_a_variable_never_read_is_a_warning_at_its_declaration() -> None:
    text = SCENARIO.replace("  rushed: false\n", "  rushed: false\n  lamp_offered: false\n")
    warnings = load_text(text, "memory.yaml").warnings
    assert [w.message for w in warnings] == ["variable 'lamp_offered' is never read"]
    assert warnings[0].line == line_of(text, "lamp_offered: false")
    # Reading it in a line counts as a read: the warning goes.
    read = text.replace("text: Okay. Bye.", "text: Okay. Bye. {var.lamp_offered|no}")
    assert load_text(read).warnings == ()
