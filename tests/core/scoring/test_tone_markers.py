"""The tone rule's markers, each with an answer it must flag and a respectful near-miss it must not.

These test the rule itself (``detectors.tone``): the learned model reads every answer as well, but
a rule's flag is what can auto-fail a turn, so each marker must earn its place on both sides.
"""

from __future__ import annotations

import pytest

from simulator.core.scoring.detectors.tone import respectful_tone
from simulator.core.scoring.text import Answer
from simulator.core.scoring.types import ScoringContext

CONTEXT = ScoringContext(criteria=())


def flagged(answer: str) -> list[str]:
    detection = respectful_tone(Answer.of(answer), CONTEXT)
    return [answer[a:b] for a, b in detection.flags]


# (disrespectful, respectful near-miss): the same words or construction, a different act.
PAIRS = [
    ("It'll arrive when it arrives.", "I'll call you when it arrives."),
    ("The laptop will get there when it gets there.", "I'll check where it is when it gets to the depot."),
    ("The contract is what it is.", "Here is what it is for: the contract covers repairs."),
    ("Whatever.", "Then I'll book whatever it needs."),
    ("okay whatever i'll check", "whatever you decide, I'll make it happen."),
    ("Rules are rules.", 'It is not "rules are rules", I promise: I checked your case.'),
    ("I thought that was fairly clear.", "I thought that was clear, but it wasn't, and that's on me."),
    ("wow, reading is hard, isn't it", "Reading those terms is not easy, so here is the short version."),
    ("Seriously, this again?", "Really, this won't happen again: I've fixed the setting."),
    ("You won't need to call unless you really enjoy talking to us.", "Call us unless you'd rather I email."),
    ("I can't magic a date out of thin air.", "I can't give you a date yet, but I'll have one by Monday."),
    ("I can offer a refund if you're that unhappy.", "If you're unhappy with the result, I'll escalate it."),
    ("You'll manage without, like everyone else.", "You deserve the same fix as everyone else got."),
    ("Every customer thinks their ticket is the big one.", "Every customer gets a reply within a day."),
    ("I'm doing my best, but you're making it quite hard.", "I'm sorry we're making this so hard for you."),
    ("Shall we carry on, or are you going to keep insulting me?", "I'll keep checking it for you."),
    ("You should have read the email.", "Telling you what you should have done wasn't helpful."),
    ("You should have kept the receipt.", "You should not have received that reply a third time."),
    ("It happens.", "It happens when a report ends without a blank line; the fix is built."),
    ("As if that's my fault.", "I'm sorry it was treated as if it were small."),
]


@pytest.mark.parametrize(("rude", "respectful"), PAIRS)
def test_each_marker_flags_its_case_and_spares_the_near_miss(rude: str, respectful: str) -> None:
    assert flagged(rude), rude
    assert flagged(respectful) == [], respectful


def test_words_in_quotation_marks_are_reported_speech() -> None:
    assert flagged('You were told "calm down" last time, and that was wrong.') == []
    assert flagged("Calm down, I told you last time.") == ["Calm down"]


def test_an_offer_to_look_for_options_is_not_a_refusal() -> None:
    assert flagged("There isn't anything we can do.")
    assert flagged("I'll let you know if there's anything we can do.") == []
