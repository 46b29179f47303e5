"""ask_question: a genuine question to the customer, with or without a question mark.

Typed questions end in "?"; spoken ones arrive without punctuation, so an
inverted auxiliary ("can you tell me", "did you notice") or a wh-word at the
start of a clause also counts. Rhetorical and blaming questions ("why did you
wait so long?") are flagged and never credited.
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection, verdict
from simulator.core.scoring.prefilter import PatternSet, compile_fast
from simulator.core.scoring.text import Answer
from simulator.core.scoring.types import ScoringContext

_RHETORICAL_PATTERNS = (
    r"\bor is that too much\b|\bwhy (?:did|didn't|did not|would|wouldn't|haven't|hadn't|weren't|don't|do|have|are|were|is|can't|couldn't)"
    r" (?:you|anyone|it)\b(?! (?:think|feel|like|prefer|want|need)\b)|"
    r"\bwhat (?:did|do|else did|more do) you (?:expect|want me to do|think would happen|think i can do)\b|"
    r"\bhow (?:could|would|can|did) you (?:not|possibly|expect|miss|forget|ignore)\b|"
    r"\bdid you (?:even|not|actually|really|honestly|bother)\b|\bdidn't you (?:read|see|get|check|notice|think)\b|"
    r"\bhaven't you (?:read|checked|seen|tried)\b|\bdo you (?:even|really|honestly|seriously)\b|"
    r"\bdo you (?:understand|realize|realise|know how many|think i|think this|think we|expect)\b|"
    r"\bare you (?:even|serious|kidding|joking|done|listening|finished|really)\b|"
    r"\b(?:can|could|would|will) you (?:stop|calm|lower|not|just let me|let me finish|please stop|please calm|relax|listen)\b|"
    r"\bwho do you think\b|\bis that (?:really )?(?:so |too )?(?:much|hard) to\b|\bisn't it obvious\b|"
    r"\bhow many times\b|\bwhat part of\b|\bwhat's (?:the )?(?:big deal|rush|problem|your problem)\b|"
    r"(?:^|[.!?]\s*)(?:seriously|really|honestly)\s*\?|(?:^|[.!?]\s*)(?:wow|oh|really|seriously|finally|great)\b[^.?!]{0,20}\?|"
    r"\b(?:oh|wow),? (?:sure|great|right)\b[^.?!]*|\bwhy is this so\b|\bdon't you think\b|\bwhat more\b|"
    r"\bwhat were you thinking\b|\bwhy (?:the|all the) (?:attitude|drama|yelling|shouting)\b|"
    r"\bisn't that (?:obvious|clear)\b|\bwhat do you want from me\b|\bwhere were you\b"
)
# One alternative per pattern, so each gets its own literal prefilter.
_RHETORICAL = PatternSet(re.split(r"\|(?=\\b|\(\?:\^)", _RHETORICAL_PATTERNS))
# Words after which a wh-word or "is/does" opens a question ("okay so when did you...").
_LEADIN_WORDS = frozenset(
    [
        "okay",
        "ok",
        "so",
        "and",
        "alright",
        "right",
        "great",
        "sure",
        "thanks",
        "now",
        "first",
        "firstly",
        "also",
        "just",
        "um",
        "uh",
        "er",
        "well",
        "perfect",
        "then",
        "next",
        "quickly",
        "meanwhile",
        "but",
        "lastly",
        "finally",
        "good",
        "wonderful",
        "understood",
        "excellent",
        "ma'am",
        "sir",
        "madam",
        "please",
    ]
)
_LEADIN_PAIRS = frozenset(
    [
        "all right",
        "thank you",
        "got it",
        "before we",
        "of all",
        "to start",
        "the meantime",
        "i may",
        "may i",
        "i ask",
        "tell me",
        "more thing",
    ]
)
# Strong question signals, counted anywhere in a clause: inverted auxiliaries with "you", "does that work".
_STRONG_FORMS = [
    r"\b(?:can|could|would|will|do|did|have|are|were|has|had|should|may|might|shall)\s+you\b(?!\s+know\b)",
    r"\b(?:does|would|will|did|is) (?:that|this|it|either|one of those|any of (?:those|these)) (?:work|sound|suit|help|"
    r"make sense|seem|look|feel)(?: (?:ok|okay|alright|good|better|fair|right|for you|to you|with you))?\b",
    r"\bwhich (?:one|option|of (?:these|those|them|the two)|would you|do you|works?\b(?! out)|suits?|sounds?) ?",
    r"\b(?:does|is) that (?:right|correct|okay|ok|alright|fair)\b",
    r"\bsound (?:good|okay|ok|fair)\b$",
    r"\b(?:is|are) there (?:anything|any)\b",
    r"\bwhat(?:'s| is) (?:the best|your|the (?:easiest|right|email|address|number|postcode|phone|account))\b",
]
# Weaker forms that open a question only at the start of a clause.
_QUESTION_FORMS = [
    r"\b(?:can|could|may|shall|should)\s+i\s+(?:ask|get|have|take|confirm|check|grab|just|please|put|place|"
    r"transfer|call|text|email|send|verify|go ahead|help|offer|suggest|arrange|book|set|also|quickly)\b",
    r"\bwould (?:it|that|this|tomorrow|friday|monday|a|an|either)\b[^.?!]{0,40}?\b(?:work|help|suit|be (?:ok|okay|"
    r"alright|all right|helpful|useful|easier|better|convenient)|make)\b",
    r"\b(?:does|did|is|was|will|would)\s+(?:that|this|it|anything|everything|either|one of those|any of (?:those|these|that))\s+"
    r"(?:work|sound|help|suit|make sense|answer|cover|seem|look|feel|ring|match|okay|ok|alright|right|correct|fair|"
    r"change|happen|still|reasonable|acceptable|fine|good|better)\b",
    r"\bis (?:there|that|this|it|the|your|everything)\b(?=[^.?!]{0,60}(?:\?|$|\b(?:right|correct|okay|ok)\b))",
    r"\b(?:is|are) there (?:any|anything|a|another|someone|other|more)\b",
    r"\bhow (?:does|do|about|would|can|did|long|many|much|often|soon|are you|is (?:your|the|that|it))\b",
    r"\bwhich (?:one|option|of (?:these|those|them)|would|do|card|address|account|email|day|time|works?\b(?! out))\b",
    r"\bwhich [a-z]+(?: [a-z]+)? (?:is|are|was|were|do|does|did|would|should|can|will|number|works?|suits?)\b",
    r"\bwhat(?:'s| (?:time|day|date|is|was|are|were|would|will|did|do|does|can|could|kind|type|number|email|address|"
    r"happened|else|exactly|other|works?|'s|is your|would you|sort|amount|model|version|browser|device|shows|"
    r"error|message))\b",
    r"\bwhen(?:'s| (?:did|was|were|do|does|is|would|will|can|could|are|should))\b",
    r"\bwhere(?:'s| (?:did|was|were|do|does|is|would|are|should))\b",
    r"\bwho(?:'s| (?:is|was|are|were|did|do|does|would|should|else))\b",
    r"\bwhy (?:do|does|is|was|are) (?:you think|it|the|that|this|your)\b",
    r"\b(?:any|anything) else (?:i can|we can|you need|you'd like|you would like)\b(?=[^.?!]{0,40}\?)",
    r"\bhave (?:you|they|we) (?:had|tried|noticed|received|seen|been|got|checked|used|made)\b",
    r"\b(?:do|did) (?:you|they|we|your|any)\b",
]
_IMPERATIVE = compile_fast(
    r"\b(?:tell me|walk me through|talk me through|help me understand|i'd like to know|i would like to know|"
    r"i need to know|i'm wondering|i am wondering|i was wondering|i'm curious|i am curious|could you let me know|"
    r"can you let me know|please (?:tell|share|describe|confirm|let me know (?:if|whether|which|when|what|how))|"
    r"let me know (?:which|whether|what|when|if you'd prefer|if you would prefer)|"
    r"i'd love to (?:know|hear|understand)|i just need (?:you )?to (?:confirm|check|verify|ask)|"
    r"(?:can|could|may) i (?:just )?(?:ask|confirm|check|get|have|take)|do you mind (?:if|telling|me)|"
    r"would you mind)\b"
)
_STRONG_RX = PatternSet(_STRONG_FORMS)
_FORMS_RX = PatternSet(_QUESTION_FORMS)
# Speech has no question marks: "... is thursday at two pm okay", "... is the email still current".
_SPOKEN_TAIL = compile_fast(
    r"\b(?:is|are|would|will|does|did|can|could|was)\b[^.?!]{0,45}\b(?:okay|ok|alright|all right|fine|good|right|"
    r"correct|current|up to date|convenient|better|still the same|still valid|still active)\s*$"
)


def ask_question(answer: Answer, context: ScoringContext) -> Detection:
    text = answer.norm
    # A rhetorical or sarcastic question spoils its whole sentence ("have you tried X, or is that too much to ask?").
    rhetorical = [_sentence_of(text, m.span()) for _index, m in _RHETORICAL.finditer(text)]
    evidence: list[tuple[int, int]] = []

    def genuine(span: tuple[int, int]) -> bool:
        return not any(a < span[1] and span[0] < b for a, b in rhetorical)

    for span in _questions_marked(text):
        if span[1] - span[0] > 1 and genuine(span):
            evidence.append(span)
    names = _name_words(context.customer_name) | {"mr", "ms", "mrs", "miss", "dr"}
    for strong, patterns in ((True, _STRONG_RX), (False, _FORMS_RX)):
        for _index, match in patterns.finditer(text):
            if genuine(match.span()) and _at_clause_start(answer, match.start(), strong, names):
                evidence.append(match.span())
    if answer.is_asr_style:
        for match in _SPOKEN_TAIL.finditer(text):
            if genuine(match.span()):
                evidence.append(match.span())
    for match in _IMPERATIVE.finditer(text):
        if genuine(match.span()):
            evidence.append(match.span())
    return verdict(
        evidence,
        rhetorical,
        "Rhetorical or blaming questions don't help you understand the customer; ask a genuine one.",
    )


# "I can have you sorted", "we'll do you a favour": an auxiliary after a subject is no inversion.
_DECLARATIVE_BEFORE = compile_fast(r"\b(?:i|we|they|he|she|i'll|we'll|i'd|we'd|can|could|will|would|should|to)\s+$")


def _at_clause_start(answer: Answer, start: int, strong: bool, names: frozenset[str]) -> bool:
    """Wh-words and "is/does" open a question only at the start of a clause; "can you" anywhere."""
    before = answer.norm[max(0, start - 40) : start]
    if strong:
        return not _DECLARATIVE_BEFORE.search(before)
    stripped = before.rstrip()
    if not stripped or stripped[-1] in ".!?;:,\n":
        return True
    words = stripped.split()
    # A lead-in word, or a name ("maria when did you..."), opens a question.
    return words[-1] in _LEADIN_WORDS or " ".join(words[-2:]) in _LEADIN_PAIRS or words[-1] in names


def _name_words(name: str) -> frozenset[str]:
    return frozenset(w.lower().strip(".,") for w in name.split() if w)


def _sentence_of(text: str, span: tuple[int, int]) -> tuple[int, int]:
    start = max(text.rfind(mark, 0, span[0]) for mark in ".!?\n") + 1
    ends = [i for i in (text.find(mark, span[1]) for mark in ".!?\n") if i >= 0]
    return start, (min(ends) + 1 if ends else len(text))


def _questions_marked(text: str) -> list[tuple[int, int]]:
    """Sentences that end in a question mark, found in one pass."""
    spans: list[tuple[int, int]] = []
    start = 0
    for index, char in enumerate(text):
        if char in ".!\n":
            start = index + 1
        elif char == "?":
            begin = start
            while begin < index and text[begin].isspace():
                begin += 1
            spans.append((begin, index + 1))
            start = index + 1
    return spans
