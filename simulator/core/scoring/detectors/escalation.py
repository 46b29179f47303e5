"""offer_escalation: offers or states escalation to a supervisor, manager, specialist or senior team.

Refusals ("I can't put you through to a manager") and dismissals ("a
supervisor will tell you the same") are flagged; the customer's own people
("your director", "as a project manager") are not escalation.
"""

from __future__ import annotations

from simulator.core.scoring.detectors.base import Detection, verdict
from simulator.core.scoring.prefilter import compile_fast
from simulator.core.scoring.text import Answer, merge_spans
from simulator.core.scoring.types import ScoringContext

_TARGETS = compile_fast(
    r"\b(?:escalat\w*|supervisors?|managers?|team ?leads?|team leaders?|my lead|shift lead|duty manager|"
    r"specialists?|senior (?:\w+ )?(?:team|engineers?|agents?|colleagues?|support|staff|technicians?|members?|"
    r"management|people|person|reps?|specialists?|advisors?|advisers?|leadership|developers?|analysts?|manager)|"
    r"someone (?:more )?senior|higher[- ]up\w*|second[- ]line|third[- ]line|tier (?:2|3|two|three)|"
    r"level (?:2|3|two|three)|fraud (?:team|department|unit|specialists?|investigators?|investigations)|"
    r"engineering (?:lead|manager|director)|head of \w+|account manager|complaints team|retention team|"
    r"back[- ]office team|(?:our|my) director|priority (?:\w+ )?(?:team|queue|support))\b"
)
_NOT_OURS = compile_fast(
    r"\b(?:your|his|her|their|the customer's|a project|as a project|project|your own)\s+"
    r"(?:\w+\s+)?$"
)
_REFUSAL_AFTER = compile_fast(
    r"^\W*(?:\w+\s+){0,3}?(?:can't|cannot|won't|will not|wouldn't|isn't|is not|aren't|are not|doesn't|does not|"
    r"couldn't|would (?:just )?(?:tell|say)|will (?:just )?(?:tell|say)|is (?:not )?(?:available|going to change)|"
    r"(?:'s|is|are) (?:just )?going to (?:tell|say)|don't|do not|can only|only (?:tell|say)|"
    r"won't (?:help|change)|isn't going to|doesn't change|has no|can't do|would only)\b"
)
_REFUSAL_BEFORE = compile_fast(
    r"\b(?:no|not|never|can't|cannot|won't|don't|do not|unable|nobody|no one|without|there's no|there is no|"
    r"isn't a|not going to|pointless|no point|no use|won't be|need to call|need to contact|have to call|"
    r"have to contact|need to ring|need to email|should call|should contact)\b"
)


# When the customer has just asked for a manager, "I'll transfer you now" is the escalation.
_ASKED = compile_fast(r"\b(?:supervisor|manager|someone senior|someone else|your boss|escalate|higher up|in charge)\b")
_HANDOVER = compile_fast(
    r"\b(?:transfer(?:ring)? you|put(?:ting)? you through|connect(?:ing)? you|bring (?:them|him|her) in|"
    r"get (?:them|him|her) (?:on|for you)|hand (?:you|this) over)\b"
)


def offer_escalation(answer: Answer, context: ScoringContext) -> Detection:
    text = answer.norm
    if _ASKED.search(context.customer_line.lower()):
        handover = [m.span() for m in _HANDOVER.finditer(text) if not answer.negated(m.start())]
        if handover:
            return Detection(1.0, evidence=merge_spans(handover))
    evidence: list[tuple[int, int]] = []
    flags: list[tuple[int, int]] = []
    for match in _TARGETS.finditer(text):
        start, end = match.span()
        if _NOT_OURS.search(text[max(0, start - 30) : start]):
            continue
        clause_before = text[answer.clause_start(start) : start]
        words_before = " ".join(clause_before.split()[-6:])
        if _REFUSAL_BEFORE.search(words_before) or _REFUSAL_AFTER.search(text[end : end + 60]):
            flags.append((start, end))
            continue
        evidence.append((start, end))
    return verdict(evidence, flags, "Refusing or talking down escalation closes the door; offer a clear path instead.")
