"""A small valid scenario that tests mutate, and a way to find the line of a marker."""

from __future__ import annotations

MINIMAL = """\
format: 1
id: tiny
title: Tiny scenario
summary: A customer with a small problem.
channel: chat
difficulty: beginner
estimated_minutes: 2
learning_objectives: [Be kind]
persona:
  name: Dana Fox
  role: a customer
  mood: 50
variables:
  helped: false
rubric:
  - id: acknowledge_emotion
  - id: take_ownership
    weight: 2
  - id: respectful_tone
    auto_fail: true
  - id: mentions_refund
    label: Mentions the refund
    phrases: [refund]
start: first
nodes:
  - id: first
    say:
      - mood: angry
        text: I am furious about this!
      - text: My parcel never came.
    hint: Be kind.
    model_answer: That sounds frustrating. I'll sort it out now.
    criteria: [acknowledge_emotion, take_ownership, respectful_tone, mentions_refund]
    transitions:
      - when: missed.respectful_tone
        to: lost
        mood: 30
      - when: met.take_ownership and score >= 50
        to: second
        mood: -20
        set: {helped: true}
    otherwise:
      to: second
      mood: 10
  - id: second
    say: So what now?
    criteria: [take_ownership, mentions_refund]
    transitions:
      - when: met.mentions_refund and var.helped
        to: happy
    otherwise:
      to: lost
endings:
  - id: happy
    outcome: resolved
    title: Sorted
    say: Thanks!
    debrief: Well done.
  - id: lost
    outcome: customer_lost
    title: Gone
    debrief: The customer left.
"""


def line_of(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based line number of the ``occurrence``-th line containing ``needle``."""
    seen = 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            seen += 1
            if seen == occurrence:
                return number
    raise AssertionError(f"{needle!r} not found")
