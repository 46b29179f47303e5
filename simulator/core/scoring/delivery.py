"""Delivery metrics for spoken answers: pace, filler words, time to start.

Reported beside the rubric, never mixed into it: a nervous "um" should not
cost an empathy point, but a trainee should see it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_FILLERS = {
    "um": r"\b(?:um+|umm+|erm+)\b",
    "uh": r"\b(?:uh+|er+|ah+)\b",
    # "like" as a filler, not "I'd like to" or "looks like".
    "like": r"(?<!would )(?<!'d )(?<!looks )(?<!sounds )(?<!feel )(?<!feels )(?<!just )(?<!seems )"
    r"(?<!something )(?<!anything )\blike\b(?! to\b| this\b| that\b| a\b| an\b| the\b| you\b| it\b)",
    "you know": r"(?<!let )(?<!to )(?<!if )(?<!do )\byou know\b"
    r"(?! (?:what|how|that|when|where|if|whether|the|about)\b)",
    "i mean": r"\bi mean\b",
    "sort of": r"\b(?:sort|kind) of\b(?= (?:um|uh|like|you know))",
}
_FILLER_RX = {name: re.compile(pattern) for name, pattern in _FILLERS.items()}
_WORD = re.compile(r"[a-z0-9']+")


@dataclass(frozen=True)
class Delivery:
    words: int
    seconds: float
    words_per_minute: float
    fillers: dict[str, int] = field(default_factory=dict)
    time_to_start: float | None = None

    @property
    def filler_count(self) -> int:
        return sum(self.fillers.values())

    def to_dict(self) -> dict[str, object]:
        return {
            "words": self.words,
            "seconds": round(self.seconds, 2),
            "words_per_minute": round(self.words_per_minute, 1),
            "fillers": dict(self.fillers),
            "filler_count": self.filler_count,
            "time_to_start": None if self.time_to_start is None else round(self.time_to_start, 2),
        }


def delivery_metrics(text: str, seconds: float, time_to_start: float | None = None) -> Delivery:
    """Pace and fillers of a spoken answer lasting ``seconds`` (speech only, after it started)."""
    lowered = text.lower()
    words = len(_WORD.findall(lowered))
    fillers = {name: len(rx.findall(lowered)) for name, rx in _FILLER_RX.items()}
    wpm = words / seconds * 60.0 if seconds > 0 else 0.0
    return Delivery(
        words=words,
        seconds=seconds,
        words_per_minute=wpm,
        fillers={k: v for k, v in fillers.items() if v},
        time_to_start=time_to_start,
    )
