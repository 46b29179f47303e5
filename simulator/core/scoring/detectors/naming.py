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
    r"this|that's|first|right|okay|ok|it's|can|could|would|just|don't|so|sorry|rest|and|especially|um|uh|er|"
    r"but|honestly|because|if|when|what|how|your|you've|you'll|you|here's|there's|that|before|while|once|"
    r"absolutely|of course|yes|no|now|again|as|whatever|unfortunately|great|perfect|realistically|honestly|look|"
    r"listen|truly|really|seriously|genuinely|thanks|believe|trust|rest assured|hold on|bear with|one moment)\b)"
)
# Where an ambiguous name is being used as the ordinary word ("to be frank", "prices rose", "I will").
_WORD_USE: dict[str, re.Pattern[str]] = {
    "will": re.compile(
        r"\b(?:i|you|we|they|he|she|it|that|this|which|who|there|what|someone|somebody|everything|nothing|"
        r"everyone|anyone|team|one)\s+will$|"
        r"^will\s+(?:not|never|be|have|get|go|do|make|take|need|see|call|send|arrive|receive|keep|try|also|still|"
        r"definitely|probably|certainly|always|only|then|now|soon|help|look|check|reach|email|contact|come|show|ship|"
        r"update|work|stay|hear|follow|let|give|find|review|investigate|happen|cost|cover|refund|credit|apply|sort|"
        r"fix|handle|appear|land|reflect|process|confirm|text|message|ring|phone|be able|you|it|i|that|this|we)(?![\w'])"
    ),
    "frank": re.compile(
        r"\b(?:to be|being|be|quite|very|more|so|a|honest and|perfectly|brutally|totally|completely)\s+frank$|"
        r"^frank\s+(?:with|about|conversation|discussion|feedback|answer|talk|assessment|exchange|opinion|and honest)\b"
    ),
    "rose": re.compile(
        r"\b(?:a|the|red|white|pink|yellow|single|dozen|price|prices|cost|costs|rates?|sun|temperature|fees?|"
        r"charges?|bills?|amount|numbers?|demand|stock|shares|sales|complaints|renewal|subscription)\s+rose$|"
        r"^rose\s+(?:by|to|from|sharply|again|steadily|up|slightly|last|this|in)\b"
    ),
    "grace": re.compile(r"^grace\s+period\b|\b(?:with|saving|state of|by the|days of|no)\s+grace$|^grace\s+of\b"),
    "mark": re.compile(
        r"\b(?:the|a|question|check|bench|book|trade|birth|high|low|water|halfway|that|this)\s*mark$|"
        r"^mark\s+(?:it|this|that|the|as|your|down|off|up)\b"
    ),
    "hope": re.compile(
        r"\b(?:i|we|they|you|the|no|any|some|little|great|my|our|your|in|with|of|i do)\s+hope$|"
        r"^hope\s+(?:so|that|this|it|you|to|for|not|is)\b"
    ),
    "bill": re.compile(
        r"\b(?:the|your|a|this|that|my|next|monthly|phone|final|first|gas|electric|annual|latest|last)\s+bill$|"
        r"^bill\s+(?:you|me|it|them|for|is|was|will|shows|cycle|date|amount|payment|period|credit)\b"
    ),
    "may": re.compile(
        r"\b(?:i|you|we|they|it|that|this|there|which|who)\s+may$|^may\s+(?:i|be|have|take|need|not|\d)\b"
    ),
}


def personalize(answer: Answer, context: ScoringContext) -> Detection:
    names = _name_parts(context.customer_name)
    if not names:
        return Detection(0.0, note="(No customer name was given for this answer.)")
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
    after = answer.norm[end : end + 30]
    if not answer.is_asr_style:
        capitalised = answer.raw[start].isupper()
        sentence_start = not before.strip() or before.rstrip()[-1:] in ".!?"
        if capitalised and not sentence_start:
            return True
        if not capitalised:
            return False
    name = answer.norm[start:end]
    usage = _WORD_USE.get(name)
    if usage and (usage.search(before.rstrip() + " " + name) or usage.search(name + after)):
        return False
    return bool(_VOCATIVE_BEFORE.search(before) or _VOCATIVE_AFTER.match(after))
