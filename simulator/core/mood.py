"""How the customer's mood is put into words, the same in the terminal, window, projector and reports.

The number is agitation: 0 is calm, 100 is furious, so it is never drawn as a bar that looks
better the fuller it is, and a change is said as "calmer" or "more upset", never as a signed
number a trainee must decode.
"""

from __future__ import annotations

from simulator.core.model import MoodBand

SCALE = "calm ↔ upset"
WORDS = {MoodBand.CALM: "calm", MoodBand.TENSE: "tense", MoodBand.ANGRY: "upset"}
NAME = "Agitation"


def word(mood: int) -> str:
    return WORDS[MoodBand.of(mood)]


def text(mood: int) -> str:
    """``"upset (agitation 78/100)"``: the word first, the number for those who want it."""
    return f"{word(mood)} (agitation {mood}/100)"


def change(delta: int) -> str:
    """``"calmer (-15)"``, ``"more upset (+10)"`` or ``"no change"``."""
    if delta < 0:
        return f"calmer ({delta:+d})"
    if delta > 0:
        return f"more upset ({delta:+d})"
    return "no change"
