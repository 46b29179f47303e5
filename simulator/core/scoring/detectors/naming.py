"""personalize: uses the customer's first or last name.

Names that are also ordinary words ("Will", "Frank", "Rose", "Grace") only
count where they work as a name: capitalised mid-sentence in typed text, next
to a comma, a greeting or a title, or at the very start or end of the answer.
Speech-recognised answers arrive lowercase, so there position decides.
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection
from simulator.core.scoring.text import Answer, merge_spans
from simulator.core.scoring.types import ScoringContext

# Given names and surnames that are also common English words.
COMMON_WORD_NAMES = frozenset(
    [
        "will",
        "frank",
        "rose",
        "grace",
        "hope",
        "faith",
        "joy",
        "may",
        "june",
        "april",
        "summer",
        "autumn",
        "dawn",
        "bill",
        "mark",
        "pat",
        "sandy",
        "jack",
        "rich",
        "hunter",
        "page",
        "young",
        "brown",
        "black",
        "green",
        "white",
        "king",
        "price",
        "rice",
        "hill",
        "wood",
        "stone",
        "bell",
        "long",
        "short",
        "little",
        "small",
        "strong",
        "sharp",
        "read",
        "reed",
        "hall",
        "house",
        "field",
        "ford",
        "love",
        "lane",
        "gay",
        "hart",
        "joy",
        "honor",
        "honour",
        "ray",
        "sonny",
        "rusty",
        "penny",
        "ruby",
        "amber",
        "pearl",
        "jade",
        "crystal",
        "iris",
        "lily",
        "daisy",
        "violet",
        "heather",
        "holly",
        "ivy",
        "olive",
        "river",
        "sky",
        "storm",
        "chase",
        "cash",
        "drew",
        "gene",
        "guy",
        "hank",
        "jean",
        "jimmy",
        "lance",
        "miles",
        "nick",
        "norm",
        "rob",
        "sue",
        "tom",
        "ward",
        "wade",
        "fisher",
        "baker",
        "cook",
        "carter",
        "mason",
        "porter",
        "parker",
        "walker",
        "turner",
        "miller",
        "smith",
        "taylor",
        "hunt",
        "wolf",
        "fox",
        "bird",
        "lamb",
        "swift",
        "bush",
        "moore",
        "west",
        "east",
        "north",
        "south",
        "cross",
        "case",
        "law",
        "best",
        "rich",
        "early",
        "golden",
        "noble",
        "moon",
        "star",
        "sun",
        "day",
        "knight",
        "bishop",
        "pope",
    ]
)
_TITLES = r"(?:mr|mrs|ms|miss|mx|dr|sir|madam|ma'am)\.?"
_VOCATIVE_BEFORE = re.compile(
    rf"(?:^|[,.!?;:]\s*|\b(?:hi|hello|hey|dear|thanks|thank you|okay|ok|sorry|so|right|alright|well|yes|no|"
    rf"great|look|listen|oh|absolutely|sure|understood|good morning|good evening|good afternoon|morning|evening|"
    rf"welcome|bye|goodbye|cheers|certainly|of course|um|uh|and|now|again|promise|{_TITLES})\s+)$"
)
_VOCATIVE_AFTER = re.compile(
    r"^(?:\s*[,.!?;:]|\s*$|\s+(?:i|i'm|i'll|i've|i'd|we|we're|we'll|let's|let|thank|thanks|please|you're|"
    r"this|that's|first|right|okay|ok|it's|can|could|would|just|don't|so|sorry|rest)\b)"
)


def personalize(answer: Answer, context: ScoringContext) -> Detection:
    names = _name_parts(context.customer_name)
    if not names:
        return Detection(0.0, note="No customer name is known for this turn.")
    evidence: list[tuple[int, int]] = []
    for name in names:
        pattern = re.compile(rf"(?:\b{_TITLES}\s+)?\b{re.escape(name)}(?:'s)?\b")
        for match in pattern.finditer(answer.norm):
            start = match.start()
            name_start = answer.norm.index(name, start)
            if name in COMMON_WORD_NAMES and not _used_as_name(answer, name_start, name_start + len(name), match):
                continue
            evidence.append(match.span())
    if evidence:
        return Detection(1.0, evidence=merge_spans(evidence))
    return Detection(0.0)


def _name_parts(full_name: str) -> list[str]:
    parts = [p.strip(".,").lower() for p in full_name.split()]
    return [p for p in parts if len(p) >= 2 and not re.fullmatch(_TITLES, p)]


def _used_as_name(answer: Answer, start: int, end: int, match: re.Match[str]) -> bool:
    if match.start() != start:  # preceded by a title: "Mr. Will", "ms rose"
        return True
    before = answer.norm[max(0, start - 30) : start]
    after = answer.norm[end : end + 12]
    if not answer.is_asr_style:
        capitalised = answer.raw[start].isupper()
        sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?"
        if capitalised and not sentence_start:
            return True
        if not capitalised:
            return False
    if _VOCATIVE_BEFORE.search(before) and _VOCATIVE_AFTER.match(after):
        return True
    # The very end of the answer: "...we'll sort it out, will"; "thanks will"
    return answer.norm[end:].strip(" .!?,") == "" and bool(_VOCATIVE_BEFORE.search(before))
