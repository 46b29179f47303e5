"""set_expectations: a specific timeframe, a reference number, or what happens next.

"Soon", "shortly" and "as soon as possible" are noted as near misses; "right
now" is the agent's own action (ownership), and past times ("since Monday")
are not expectations. Works on digits and on spoken numbers alike.
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection, verdict
from simulator.core.scoring.prefilter import PatternSet, compile_fast
from simulator.core.scoring.text import NUM, NUMBER_WORDS, Answer
from simulator.core.scoring.types import ScoringContext

_DAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thurs|fri)"
_MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)"
)
_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|business days?|working days?|weeks?|months?|hour|calendar days?)"
_CLOCK = rf"(?:{NUM}(?:\s*(?:am|pm|a\.m\.?|p\.m\.?|o'clock|oclock|in the (?:morning|afternoon|evening)|noon))|noon|midday|midnight|{NUM}:\d\d)"
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|twenty[- ]\w+|thirtieth|thirty[- ]first)"
_DATE = (
    rf"(?:{_MONTH}\s+(?:the\s+)?(?:{_ORDINAL}|\d{{1,2}})|(?:the\s+)?{_ORDINAL}(?:\s+of\s+{_MONTH})?|\d{{1,2}}/\d{{1,2}}|"
    rf"\d{{1,2}}\s+{_MONTH})"
)
_DEADLINE = (
    rf"(?:{_DAY}|tomorrow|tonight|today|{_CLOCK}|{_DATE}|the end of (?:the |this |next )?(?:day|week|month|business|today|{_DAY})|"
    rf"end of (?:the |this |next )?(?:day|week|month|business|today|{_DAY})|eod|cob|close of business|this (?:afternoon|evening|morning|week)|"
    rf"next (?:week|month|{_DAY})|(?:the )?(?:next|following) business day|lunch ?time|{_DAY} (?:morning|afternoon|evening))"
)
_FUTURE_TIME = [
    rf"\b(?:within|in|under|inside|over)\s+(?:the\s+)?(?:next\s+)?(?:about\s+|around\s+|roughly\s+|approximately\s+|less than\s+|another\s+|just\s+)?(?:{NUM}|an?|one|half an?)\s+(?:(?:to|or|-)\s*{NUM}\s+)?(?:more\s+)?{_UNIT}\b",
    rf"\b{NUM}\s*(?:to|-|or)\s*{NUM}\s+(?:more\s+)?{_UNIT}\b",
    r"\bwithin\s+(?:the\s+)?(?:hour|day|week|next hour|next day|next business day)\b",
    rf"\b(?:by|before|until|till|no later than|not later than|on or before|first thing|as of|from)\s+(?:the\s+)?{_DEADLINE}",
    rf"\b(?:on|this|next|coming|this coming)\s+{_DAY}\b",
    rf"\bbetween\s+{_CLOCK}\s+and\s+{_CLOCK}",
    rf"\bbetween\s+{NUM}\s+and\s+{NUM}\s*(?:am|pm|a\.m\.|p\.m\.|o'clock|today|tomorrow)",
    rf"\b{_CLOCK}\s+(?:today|tomorrow|tonight|on {_DAY})\b",
    r"\btomorrow (?:morning|afternoon|evening|at|by|before)\b",
    rf"\b(?:on|by|before|until|due|for)\s+{_DATE}\b",
    rf"\b{_DAY}\s+(?:{NUM}\s*(?:-|to)\s*)?{_CLOCK}",
    rf"\b{NUM}\s*(?:-|to)\s*{NUM}\s*(?:am|pm|a\.m\.|p\.m\.)",
    r"\b(?:daily|hourly) (?:updates?|emails?|calls?)\b",
    rf"\btakes?\s+(?:about\s+|around\s+|roughly\s+|approximately\s+|up to\s+|less than\s+|no more than\s+|only\s+)?(?:{NUM}|an?)\s+(?:more\s+)?{_UNIT}\b",
    r"\b(?:next|this|your next|the next)\s+(?:bill|statement|invoice|billing cycle|billing period|release|sprint|update|version)\b",
    r"\b(?:version|release|build|v)\s*\d+(?:\.\d+){1,8}",
    rf"\b{_DAY},?\s+(?:between\s+)?{NUM}\s*(?:-|to)\s*{NUM}\b",
    rf"\b{_DAY},?\s+(?:at|by|before|from)\s+{_CLOCK}",
]
# "tomorrow"/"today" alone count only with a future verb nearby ("it will arrive tomorrow").
_BARE_DAY = compile_fast(
    rf"\b(?:tomorrow|tonight|later today|today|{_DAY}|this (?:evening|afternoon|morning)|end of (?:the )?day|at\s+{_CLOCK}|"
    rf"(?:every|each)\s+(?:{NUM}\s+)?(?:hours?|days?|mornings?|afternoons?|evenings?))"
)
_THEIR_EVENT = compile_fast(
    r"\b(?:presentation|meeting|interview|flight|exam|deadline|appointment|event|trip|party|birthday|class|shift|"
    r"demo|launch|director|boss|review)s?\s+(?:is\s+|at\s+\S+\s+)?$"
)
_FUTURE_VERB = compile_fast(
    r"\b(?:will|'ll|should|going to|expect|arrive|arrives|delivered|delivering|ship|ships|shipped|"
    r"get back|back to you|receive|have it|get it|be there|be done|be fixed|be live|be resolved|call you|"
    r"email you|text you|update you|hear from|opens?|reopens?|closes?|starts?|begins?|available|free|due)\b"
)
_NUMWORD = (
    "zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|sixty|"
    "seventy|eighty|ninety|hundred|double|triple"
)
_REFERENCE = compile_fast(
    rf"\b(?:reference|ref|case|ticket|tracking|confirmation|claim|dispute|incident|complaint|return|rma|"
    # Each optional word brings its own spaces: four "\s*" in a row split a run of spaces O(n^3) ways.
    rf"order|job|booking|request|fault)(?:\s*(?:number|no\.?|num|id|code|#))?(?:\s*(?:is|:|of))?(?:\s*#)?\s*"
    rf"(?:[a-z]{{0,4}}[- ]?\d[\d -]{{2,}}\d|[a-z]{{1,4}}-?\d{{2,}}|(?:[a-z]{{1,5}}\s+)?(?:(?:{_NUMWORD})(?:\s+|-)){{2,16}}(?:{_NUMWORD}))"
)
_REFERENCE_WORD = compile_fast(
    r"\b(?:reference|case|ticket|tracking|confirmation|claim|dispute|complaint|incident|return)\s+(?:number|no|id|code)\b|"
    r"\btracking (?:link|details|reference)\b"
)
_NEXT = [
    r"\byou(?:'ll| will| are going to|'re going to)\s+(?:also\s+|then\s+|shortly\s+|soon\s+)?(?:get|receive|see|be getting|be receiving|have|hear|be contacted|be called|get a call)\b[^.?!]{0,60}?\b(?:email|e-mail|text|sms|message|call|letter|notification|confirmation|update|refund|credit|card|replacement|tracking|link|receipt|code|voucher|parcel|package|order|laptop|callback|call back|from|visit|technician|engineer|statement|reply|response|money|new one|label)",
    r"\b(?:a|the|our|my|one of our|your)\s+(?:[a-z-]+\s+){0,2}(?:specialist|supervisor|manager|team|engineer|technician|colleague|courier|agent|department|investigator|lead|someone|rep|representative|person|analyst|developer|dev team|tech)s?\s+(?:will|'ll|is going to|are going to|should)\s+(?:then\s+|also\s+|personally\s+)?(?:call|contact|email|reach|get back|follow up|be in touch|visit|come|review|investigate|look|phone|ring|text|message|confirm|send|deliver|arrive|pick|collect|update)",
    r"\bsomeone (?:will|'ll|is going to)\s+(?:call|contact|email|reach|get back|follow up|be in touch|visit|come)",
    r"\b(?:i'll|i will|we'll|we will|i'm going to|we're going to|i am going to)\s+(?:then\s+|also\s+|personally\s+)?(?:call|email|e-mail|text|message|phone|ring|write to|send)\s+(?:you|an? (?:email|text|message|confirmation|update|summary|link)|the (?:confirmation|tracking|details|summary|label|link))",
    r"\b(?:the|your)\s+(?:new\s+|replacement\s+)?(?:card|refund|order|parcel|package|laptop|replacement|credit|technician|engineer|fix|patch|release|money|funds|charges|update|hotspot|router|label|email|confirmation)\s+(?:will|should|is going to|'ll|are going to)\s+(?:then\s+|also\s+)?(?:arrive|be|reach|show|appear|come|ship|go|land|deploy|get|drop|reflect|post|disappear|need)",
    r"\b(?:the\s+)?next steps?\s+(?:is|are|will be|would be)\b",
    r"\bhere's what (?:happens|will happen|i'll do|we'll do)\b",
    r"\bwhat happens next\b",
    r"\bonce (?:that|this|the [a-z]+|it|you|we|i)\b[^.?!]{0,50}?\b(?:you'll|you will|we'll|we will|i'll|i will|it will|it'll)\b",
    r"\b(?:from there|after that|then),? (?:you'll|you will|a [a-z]+ will|the [a-z]+ will)\b",
    r"\b(?:and|then) (?:i'll |we'll )?(?:call|email|text|message|phone|ring) you (?:back |the |with |once |when |as soon )",
    r"\byou(?:'ll| will) (?:be able to|need to) (?:track|see|use|log in)\b",
]
_VAGUE = compile_fast(
    r"\b(?:soon|shortly|asap|as soon as (?:possible|we can|i can)|right away|right now|immediately|"
    r"at some point|in due course|eventually|in a bit|in a while|sometime|some time|quickly|promptly|"
    r"a few days|a couple of days|a couple days|any day now|when (?:we|i) can)\b"
)
_PAST = compile_fast(
    r"\b(?:ago|since|last|past|already been|was|were|has been|have been|had|sent|got|received|emailed|called|"
    r"happened|ordered|placed|started|did|arrived|charged|renewed|said|told|came|went|made|bought|paid|signed)\b"
)

# Patterns that start with a number or a clock time can only match where one is written.
_NUMBERISH = frozenset(
    [str(d) for d in range(10)]
    + NUMBER_WORDS.split("|")
    + ["noon", "midday", "midnight", "an hour", "a day", "a week", "a month", "half an"]
)
_NUMBER_FIRST = [p for p in _FUTURE_TIME if p.startswith((rf"\b{NUM}", rf"\b{_CLOCK}"))]
_TIME_RX = PatternSet([p for p in _FUTURE_TIME if p not in _NUMBER_FIRST])
_NUMBER_TIME_RX = PatternSet(_NUMBER_FIRST, needs=_NUMBERISH)
_NEXT_RX = PatternSet(_NEXT)


def set_expectations(answer: Answer, context: ScoringContext) -> Detection:
    text = answer.norm
    evidence: list[tuple[int, int]] = []
    for patterns in (_TIME_RX, _NUMBER_TIME_RX):
        for _index, match in patterns.finditer(text):
            if not (_past(answer, match.start()) or _not_ours(answer, match.start())):
                evidence.append(match.span())
    for match in _BARE_DAY.finditer(text):
        start, end = answer.clause_start(match.start()), answer.clause_end(match.end())
        # Speech runs sentences together, so look for the future verb near the time, not anywhere.
        clause = text[max(start, match.start() - 50) : min(end, match.end() + 25)]
        own_event = re.search(r"\byour [a-z ]{0,25}" + re.escape(match.group(0)), text[start : match.end()])
        if (
            _FUTURE_VERB.search(clause)
            and not own_event
            and not _THEIR_EVENT.search(text[start : match.start()])
            and not _past(answer, match.start())
        ):
            evidence.append(match.span())
    evidence += [m.span() for m in _REFERENCE.finditer(text)]
    evidence += [m.span() for m in _REFERENCE_WORD.finditer(text)]
    for _index, match in _NEXT_RX.finditer(text):
        if answer.negated(match.start()):
            continue
        clause = text[answer.clause_start(match.start()) : answer.clause_end(match.end())]
        # "the fix should be out shortly" says what, but not when.
        if not _VAGUE.search(clause):
            evidence.append(match.span())
    vague = [] if evidence else [m.span() for m in _VAGUE.finditer(text)]
    return verdict(evidence, vague, 'Words like "soon" or "right away" are not an expectation.', near_miss=0.25)


# "refunds are only possible within 14 days", "your close is on Friday", "it's not in the next release":
# a policy window, the customer's own date, or a denial is not an expectation.
_POLICY_BEFORE = compile_fast(
    r"\b(?:possible|allowed|eligible|accepted|policy|window|must|have to|need to|needs to|required|valid|only if)\b"
)
_THEIR_DATE = compile_fast(
    r"\byour (?:[a-z-]+ )?(?:close|deadline|presentation|meeting|renewal|appointment|interview|flight|launch|review|demo|"
    r"event|exam|due date|month-end|month end|go-live|birthday|trip|start|term|class|shift) (?:is|are|was|were)(?: due)?\s*$"
)


def _not_ours(answer: Answer, start: int) -> bool:
    before = answer.norm[answer.clause_start(start) : start]
    recent = " ".join(before.split()[-6:]) + " "
    return bool(_POLICY_BEFORE.search(recent) or _THEIR_DATE.search(before)) or answer.negated(start, window=6)


def _past(answer: Answer, start: int) -> bool:
    """A time phrase in a clause about the past ("it's been in transit for 3 days")."""
    before = answer.norm[answer.clause_start(start) : start]
    words = before.split()[-8:]
    return bool(_PAST.search(" ".join(words)))
