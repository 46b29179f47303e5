"""Starting points for a new scenario: a small, valid, commented template, or a copy of another file.

A blank page is the hardest part of writing a scenario; a template that already loads, with a
comment on every part, lets a trainer learn the format by changing it rather than by reading.
"""

from __future__ import annotations

from simulator.core.authoring.document import ID_PATTERN, DocumentError, ScenarioDocument
from simulator.core.model import Channel

# The id, title and channel are set through the document afterwards, so any title (quotes,
# colons, non-English text) is written with correct YAML quoting.
TEMPLATE = """\
# yaml-language-server: $schema=./schema.json
#
# A new scenario. Every key is explained in docs/authoring.md, and the studio checks the file
# as you type. Replace the example lines with your own customer's words.
format: 1
id: new-scenario
title: New scenario
summary: >
  Who contacts you, about what, and how they feel. Two or three sentences trainees read in the
  library before they start.
channel: phone                 # phone | chat | email
difficulty: beginner           # beginner | intermediate | advanced
estimated_minutes: 5
learning_objectives:           # what the trainee should practise; shown before and after a run
  - Acknowledge the customer's feelings before procedure
  - Take ownership and set clear expectations
max_turns: 10                  # safety stop: after this many answers the customer gives up

# The customer. mood runs from 0 (calm) to 100 (furious); each transition below moves it.
persona:
  name: Sam Taylor             # the scorer credits the trainee for using the first or last name
  role: a customer whose order arrived damaged
  mood: 60
  backstory: >
    Notes for you, the author, so every line sounds like the same person.

# Scenario variables remember what happened, for conditions later on (var.replacement_sent).
variables:
  replacement_sent: false

# What is scored. The seven core criteria need only an id; weight is how much each one counts,
# and auto_fail zeroes a turn when it is missed (as on QA scorecards).
rubric:
  - id: acknowledge_emotion
    weight: 2
  - id: take_ownership
    weight: 2
  - id: set_expectations
  - id: personalize
  - id: ask_question
  - id: offer_escalation
  - id: respectful_tone
    weight: 2
    auto_fail: true

start: opening                 # the first customer turn

# Customer turns. Each answer is scored on the turn's criteria; the transitions are tried in
# order and the first whose condition holds is taken ("met.x", "missed.x", score, mood, var.x);
# "otherwise" is where any other answer goes.
nodes:
  - id: opening
    say:                       # one line, or variants by mood band (calm, tense, angry)
      - mood: angry
        text: My order arrived smashed to pieces and nobody has answered my emails. I want this fixed today.
      - text: Hi. My order arrived damaged and I'd like it sorted out, please.
    hint: Name how they feel, then say what you will do.
    model_answer: >
      That's really disappointing, Sam, especially after waiting for it. I'll sort this out for you
      right now - can you tell me your order number?
    criteria: [acknowledge_emotion, take_ownership, ask_question, personalize, respectful_tone]
    transitions:
      - when: missed.respectful_tone
        to: lost
        mood: 25
        note: dismissed or blamed
      - when: met.acknowledge_emotion and met.take_ownership
        to: next_steps
        mood: -20
    otherwise:
      to: still_waiting
      mood: 10

  - id: still_waiting
    say: I've heard "we'll look into it" before. What are you actually going to do?
    hint: Be concrete - a replacement, a time, and a way up if it goes wrong again.
    model_answer: >
      You're right to ask. I'm sending a replacement today by express delivery, so it arrives by
      Thursday. If it doesn't, I'll pass this straight to my supervisor.
    criteria: [take_ownership, set_expectations, offer_escalation, respectful_tone]
    transitions:
      - when: missed.respectful_tone
        to: lost
        mood: 20
      - when: met.take_ownership and met.set_expectations
        to: next_steps
        mood: -15
        set: {replacement_sent: true}
      - when: met.offer_escalation
        to: escalated
        mood: -5
    otherwise:
      to: lost
      mood: 15

  - id: next_steps
    say: Okay, thank you. So what happens now?
    hint: Say exactly what happens next and when, and give a reference.
    model_answer: >
      A replacement goes out today by express delivery and arrives by Thursday; your reference is
      R 4471. I'll email you the tracking link within the hour.
    criteria: [set_expectations, take_ownership, respectful_tone]
    transitions:
      - when: met.set_expectations
        to: resolved
        mood: -15
        set: {replacement_sent: true}
    otherwise:
      to: escalated
      mood: 10

# How it can end. outcome is resolved, escalated or customer_lost; the debrief is what the
# trainee reads afterwards, so say what led here and what would have helped.
endings:
  - id: resolved
    outcome: resolved
    title: Sorted, with a clear next step
    say: Great, thank you - that's all I needed.
    debrief: The customer knows what happens next and when, and felt heard on the way.
  - id: escalated
    outcome: escalated
    title: Passed to a supervisor
    say: I'd like to speak to someone else, please.
    debrief: >
      Without a concrete next step the customer wanted someone else. A time and a reference
      often make the escalation unnecessary.
  - id: lost
    outcome: customer_lost
    title: The customer gave up
    say: Forget it. I'll ask my bank for the money back.
    debrief: A dismissive or vague answer ended the conversation. Acknowledge first, then act.
"""


def new_scenario_text(scenario_id: str, title: str, channel: str = "phone") -> str:
    """A new scenario that loads as is, with ``scenario_id``, ``title`` and ``channel`` filled in."""
    if not ID_PATTERN.match(scenario_id) or len(scenario_id) > 64:
        raise DocumentError(f"{scenario_id!r} is not a valid scenario id: use lowercase letters, digits, - and _")
    Channel(channel)  # ValueError for anything but phone, chat or email
    document = ScenarioDocument.from_text(TEMPLATE, "<template>")
    document.set(("id",), scenario_id)
    document.set(("title",), title.strip() or scenario_id)
    document.set(("channel",), channel)
    return document.text()


def duplicate_text(text: str, new_id: str, new_title: str) -> str:
    """A copy under a new id and title, every comment and line of the original kept."""
    if not ID_PATTERN.match(new_id) or len(new_id) > 64:
        raise DocumentError(f"{new_id!r} is not a valid scenario id: use lowercase letters, digits, - and _")
    document = ScenarioDocument.from_text(text, "<copy>")
    document.set(("id",), new_id)
    document.set(("title",), new_title.strip() or new_id)
    return document.text()
