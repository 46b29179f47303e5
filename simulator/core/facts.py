"""Facts a trainee's answer establishes: a time offered, a reference number, an amount, their name.

The customer should react to what the agent actually gave, so the engine keeps these as
conversation memory (``fact.time`` in conditions, ``{fact.time}`` in customer lines). Only the
agent's own commitments count: a time inside "your rent goes out on Friday" is the customer's
date, not something the agent offered, and is skipped.

Every pattern here is linear (no nested repetition) and the input is cut to
:data:`MAX_ANSWER` characters first, so a crafted answer cannot make extraction slow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from simulator.core.scoring.text import MAX_ANSWER_CHARS

FACT_KINDS = ("time", "reference", "amount", "agent_name")
MAX_ANSWER = MAX_ANSWER_CHARS  # the scorer's limit: one definition
MAX_VALUE = 60

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|"
    "forty-eight|forty eight|twenty-four|twenty four|seventy-two|seventy two|a couple of|a few|an|a"
)
_DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_AMPM = r"(?:a\.?m\.?|p\.?m\.?)"
_N = r"(?:\d{1,3}|" + _NUMBER_WORDS + r")"
_CLOCK = r"(?:\d{1,2}(?::\d{2})?\s?" + _AMPM + r"|\d{1,2}:\d{2}|(?:" + _NUMBER_WORDS + r")\s(?:" + _AMPM + "|o'clock))"
_HOUR = (
    r"(?:\d{1,2}(?::\d{2})?(?:\s?" + _AMPM + r")?"
    r"|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|noon|midday)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|(?:business |working )?days?|weeks?)"
_PART_OF_DAY = r"(?:\s(?:morning|afternoon|evening|night))?"
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_TIME_PARTS = (
    # "between nine and eleven", "from 9 to 11"
    r"\b(?:between|from)\s" + _HOUR + r"\s(?:and|to|-)\s" + _HOUR + r"(?:\s?(?:" + _AMPM + r"|in the \w+))?",
    # "within two business days", "in 20 minutes", "in the next hour"
    r"\b(?:within|in|inside)\s(?:the\s(?:next\s)?)?(?:" + _N + r"(?:\sto\s" + _N + r")?\s)?" + _UNIT + r"\b",
    # "three to five business days" without a preposition
    r"\b" + _N + r"\sto\s" + _N + r"\s" + _UNIT + r"\b",
    # "by Friday", "on Thursday", "next Monday", "Thursday"
    r"\b(?:(?:by|on|before|until|till|next|this|first thing)\s)?(?:" + _DAYS + r")" + _PART_OF_DAY + r"\b",
    # "today", "tonight", "tomorrow morning", "end of the day"
    r"\b(?:by\s|before\s)?(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week))" + _PART_OF_DAY + r"\b",
    r"\b(?:by\s)?(?:the\s)?end of (?:the\s)?(?:day|week|business)\b|\bclose of business\b",
    # "at 3 pm", "by 10:30"
    r"\b(?:(?:at|by|before|after|around)\s)?" + _CLOCK,
    r"\b(?:at|by|before|around)\s(?:noon|midday|midnight)\b",
    # "March 4", "4 March", "the 12th"
    r"\b(?:(?:on|by)\s)?(?:(?:" + _MONTHS + r")\s" + _ORDINAL + r"|" + _ORDINAL + r"\s(?:of\s)?(?:" + _MONTHS + r"))\b",
    r"\b(?:on|by)\sthe\s\d{1,2}(?:st|nd|rd|th)\b",
)
_TIME = re.compile("|".join(f"(?:{part})" for part in _TIME_PARTS), re.IGNORECASE)

_REF_WORD = r"(?:reference|ref|case|ticket|claim|order|confirmation|incident|tracking|return)"
_REF_LEAD = re.compile(r"\b" + _REF_WORD + r"(?:\s(?:number|no\.?|id|code))?(?:\sis|:|\s-)?\s(?:#\s?)?", re.IGNORECASE)
_REF_TOKEN = re.compile(r"[A-Za-z]{0,4}-?\d[A-Za-z0-9-]{2,19}\b")
_SPELLED = re.compile(
    r"(?:(?:[a-z]|zero|oh|one|two|three|four|five|six|seven|eight|nine)\b[\s-]*){3,14}", re.IGNORECASE
)

_MONEY_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|a)"
)
_AMOUNT = re.compile(
    r"(?:[$£€]\s?\d[\d,]{0,9}(?:\.\d{1,2})?)"
    r"|(?:\b\d[\d,]{0,9}(?:\.\d{1,2})?\s(?:dollars|pounds|euros|bucks)\b)"
    r"|(?:\b" + _MONEY_WORD + r"(?:[\s-](?:and\s)?" + _MONEY_WORD + r"){0,7}\s(?:dollars|pounds|euros|bucks)\b)",
    re.IGNORECASE,
)

# "my name is sam" is clear in any case; "this is Sam" only with a capital (not "this is awful").
_NAME_LEADS = re.compile(
    r"\b(?i:my name(?:'s| is))\s([A-Za-z][a-z]{1,19})\b"
    r"|\b(?i:this is|you(?:'re| are) (?:speaking|talking) (?:with|to)|i'm|i am)\s([A-Z][a-z]{1,19})\b"
    r"|^(?:\s*(?i:hi|hello|hey))?[,\s]*([A-Z][a-z]{1,19})\s(?i:here)\b"
)
_NOT_NAMES = frozenset(
    {
        "sorry",
        "afraid",
        "here",
        "happy",
        "glad",
        "going",
        "just",
        "really",
        "so",
        "very",
        "the",
        "a",
        "an",
        "not",
        "calling",
        "about",
        "urgent",
        "serious",
        "frustrating",
        "awful",
        "terrible",
        "important",
        "normal",
        "correct",
        "right",
        "fine",
        "okay",
        "ok",
        "definitely",
        "totally",
        "absolutely",
        "completely",
        "frightening",
        "scary",
        "understandable",
        "unacceptable",
        "me",
        "us",
        "what",
        "that",
        "why",
        "how",
        "our",
        "your",
        "my",
    }
)
_COMMITMENT = re.compile(
    r"\b(?:i'll|we'll|i will|we will|i've|we've|i have|we have|i can|we can|i'm going to|we're going to|let me|"
    r"you'll|will|it'll|they'll|should|is booked|is due|arrives?|ships?)\b",
    re.IGNORECASE,
)
_CUSTOMERS_OWN = re.compile(
    r"\b(?:your|you said|you mentioned|you've had|you have had|starts?|starting|was|wasn't|were|weren't|"
    r"did|didn't|had|hadn't|ago|last|since|supposed to|promised)\b",
    re.IGNORECASE,
)
_CLAUSE = re.compile(r"(?<![.;!?])[.;!?]+\s+|,\s(?:but|and|so)\s|\sbut\s")


@dataclass(frozen=True)
class Fact:
    """One fact: its kind, the value shown to the trainee and the span of the answer it came from."""

    kind: str
    value: str
    start: int
    end: int


def extract(answer: str, known: frozenset[str] = frozenset()) -> dict[str, Fact]:
    """The facts ``answer`` establishes, at most one per kind (the first the agent commits to).

    ``known`` holds references already on the desk or in the customer's words (normalised by
    :func:`reference_key`): an agent reading back the customer's own order number gives nothing new.
    """
    text = answer[:MAX_ANSWER]
    found: dict[str, Fact] = {}
    for kind, finder in (
        ("time", _times),
        ("reference", lambda t: _references(t, known)),
        ("amount", _amounts),
        ("agent_name", _agent_names),
    ):
        fact = finder(text)
        if fact is not None:
            found[kind] = fact
    return found


def _clause_at(text: str, start: int, end: int) -> str:
    left = 0
    for match in _CLAUSE.finditer(text, 0, start):
        left = match.end()
    right_match = _CLAUSE.search(text, end)
    return text[left : right_match.start() if right_match else len(text)]


def _commitment(text: str, start: int, end: int) -> int:
    """2: the span sits in the agent's own commitment; 1: a plain mention; 0: the customer's date or the past."""
    clause = _clause_at(text, start, end)
    if _COMMITMENT.search(clause):
        return 2
    return 0 if _CUSTOMERS_OWN.search(clause) else 1


def _committed(text: str, start: int, end: int) -> bool:
    return _commitment(text, start, end) > 0


_PLEASANTRY = re.compile(r"(?:help|with|for|assist)(?:\s+you)?(?:\s+with)?\s+$", re.IGNORECASE)


def _pleasantry(text: str, start: int, end: int) -> bool:
    """ "Anything else I can help you with today?" names a day but promises nothing."""
    return text[start:end].lower() in ("today", "tonight") and bool(
        _PLEASANTRY.search(text[max(0, start - 30) : start])
    )


def reference_key(value: str) -> str:
    """A reference with case and separators dropped, so "VC-220417" and "vc220417" are one."""
    return re.sub(r"[^A-Z0-9]", "", value.upper())


def known_references(texts: Iterable[str]) -> frozenset[str]:
    """Reference-like tokens (letters and digits, 4+ characters with a digit) in scenario texts."""
    found: set[str] = set()
    for text in texts:
        for token in _REF_TOKEN.finditer(text[:MAX_ANSWER]):
            found.add(reference_key(token.group(0)))
    return frozenset(found)


def _tidy(value: str) -> str:
    value = " ".join(value.split()).strip(" ,.;:-")
    return value[:MAX_VALUE]


def _times(text: str) -> Fact | None:
    spans: list[tuple[int, int]] = []
    for match in _TIME.finditer(text):
        if match.end() - match.start() < 3:
            continue
        if spans and match.start() - spans[-1][1] <= 2:
            spans[-1] = (spans[-1][0], match.end())  # "Thursday between nine and eleven"
        else:
            spans.append((match.start(), match.end()))
    # The agent's own commitment first; among those the most specific ("Friday by eight pm" over "tomorrow").
    ranked = sorted((-_commitment(text, start, end), start - end, index) for index, (start, end) in enumerate(spans))
    for rank, _length, index in ranked:
        if rank < 0 and not _pleasantry(text, *spans[index]):
            start, end = spans[index]
            return Fact("time", _tidy(text[start:end]), start, end)
    return None


def _references(text: str, known: frozenset[str]) -> Fact | None:
    for lead in _REF_LEAD.finditer(text):
        rest = text[lead.end() : lead.end() + 80]
        token = _REF_TOKEN.match(rest)
        if token:
            if reference_key(token.group(0)) in known:
                continue
            return Fact("reference", _tidy(token.group(0)).upper(), lead.end(), lead.end() + token.end())
        spelled = _SPELLED.match(rest)
        if spelled:
            parts = re.findall(r"[a-z]+", spelled.group(0).lower())
            chars = [_DIGIT_WORDS.get(p, p.upper() if len(p) == 1 else "") for p in parts]
            value = "".join(chars).rstrip("IA")  # "... one nine I will text it": the I is the agent
            if len(value) >= 3 and any(c.isdigit() for c in value) and reference_key(value) not in known:
                end = lead.end() + spelled.end()
                return Fact("reference", value[:MAX_VALUE], lead.end(), end)
    return None


def _amounts(text: str) -> Fact | None:
    for match in _AMOUNT.finditer(text):
        if _committed(text, match.start(), match.end()):
            return Fact("amount", _tidy(match.group(0)), match.start(), match.end())
    return None


def _agent_names(text: str) -> Fact | None:
    for match in _NAME_LEADS.finditer(text):
        name = next(group for group in match.groups() if group)
        if name.lower() in _NOT_NAMES:
            continue
        start = match.start(match.lastindex or 0)
        return Fact("agent_name", name[:1].upper() + name[1:].lower(), start, start + len(name))
    return None
