"""acknowledge_emotion: names, validates or reflects the customer's feeling or the
weight of their situation.

Empathy is not sympathy: a bare apology or a bare "I understand" is noted as a
near miss. A feeling word only counts in an acknowledging frame ("that sounds
frightening", "I'd be worried too", "I understand your frustration"), not when
negated ("no need to be upset") or sarcastic ("oh, I'm sure it's hard").
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection, verdict
from simulator.core.scoring.prefilter import PatternSet, compile_fast
from simulator.core.scoring.text import NUM, Answer
from simulator.core.scoring.types import ScoringContext

EMOTION = (
    r"(?:frighten\w*|terrif\w*|scar(?:y|ed|ing|e)|alarm\w*|worr\w*|anxious|anxiety|stress\w*|"
    r"frustrat\w*|upset\w*|annoy\w*|infuriat\w*|madden\w*|angry|anger|angered|furious|fury|irritat\w*|"
    r"disappoint\w*|exhaust\w*|overwhelm\w*|panic\w*|distress\w*|unsettl\w*|nerve[- ]?wracking|"
    r"awful|horrible|horrid|terrible|nightmare|shock\w*|violat\w*|hurt\w*|tough|hard|difficult|rough|"
    r"draining|concern\w*|pressure\w*|unfair|confus\w*|embarrass\w*|helpless|vulnerable|fed up|let down|"
    r"tricked|misled|blindsided|betrayed|unacceptable|not okay|not ok|not acceptable|not fair|"
    r"inconvenien\w+(?= for you| to you)|unnerving|scary|daunting|heartbreaking|painful|miserable|"
    r"a lot to (?:deal with|handle|take in)|the last thing you need\w*|a long time|a big deal|"
    r"serious|urgent|important to you|frightful|uneasy|nervous|on edge|at the end of your rope|"
    r"at your wits' end|sick of|tired of|livid|dreadful|worst|unbearable|ordeal|headache|"
    r"hassle|mess|chaos|pain|burden|struggl\w*|challenging|demanding|unsettled|desperate|let you down|"
    r"shaken|shaking|uncomfortable|awkward|endless|forever|ignored|passed around|caught (?:you )?off guard|"
    r"had enough|thrown [a-z ]{0,20}off|test (?:anyone's|anybody's|your|my) patience|out of pocket|stranded|"
    r"powerless|worn out|at a loss|sinking feeling|violating|invasive|"
    r"dismissed|brushed off|fobbed off|let-down|taken advantage of|cheated|disrespected|a trick|trapped|"
    r"a real cost|costly|wear (?:anyone|anybody|you|people) down|(?:try|test|drive) (?:anyone|anybody)\w*|"
    r"(?:anyone|anybody)'s patience|fuming|seething|gutted|raging|steaming|rotten|nerve-wracking|"
    r"the worst (?:possible )?(?:time|timing|moment))"
)
# Intensifiers before a feeling word ("it is such a frustrating", "that must be a really long wait"),
# one word per repeat and at most eight: listed as phrases ("such a", "a really") beside their own
# words, "such a such a ..." could be split 2^n ways and took seconds per answer (issue 16).
_INTENSIFIER_WORDS = (
    "so|really|very|incredibly|extremely|truly|understandably|genuinely|absolutely|deeply|quite|such|pretty|"
    "super|hugely|an?|like|just|a real"
)
_INTENSIFIERS = rf"(?:(?:{_INTENSIFIER_WORDS})\s+){{0,8}}"
# The same after "that/this/it ... is": "awfully", "a seriously", "a lot of" too, but not "like".
_INTENSIFIERS_TOO = (
    r"(?:(?:so|really|very|incredibly|extremely|truly|understandably|genuinely|absolutely|deeply|quite|such|"
    r"pretty|super|awfully|hugely|an?|a seriously|a\s+lot of|a real)\s+){0,8}"
)
_FRAMES = [
    r"\b(?:i |i'd |i do |we )?(?:totally|completely|fully|really|absolutely) (?:get|understand|see) (?:how|why|that|what)\b",
    r"\b(?:timing|this|that|it) (?:couldn't|could not) (?:have )?(?:be|been|come at a) (?:worse|a worse time)\b",
    r"\b(?:not|never|no|hardly) (?:a |an )?(?:nice|good|great|fun|pleasant|easy) (?:feeling|experience|thing|surprise|"
    r"position|situation|place)\b",
    r"\b(?:that'd|that would|it'd|it would|this would|that'll) (?:make|drive|leave) (?:me|anyone|anybody|most people) "
    r"(?:\w+ )?(?:mad|angry|upset|furious|crazy|nervous|anxious|worried|frustrated|livid)\b",
    r"\b(?:i'd|i would) hate\b",
    r"\byou(?:'ve| have) had (?:a |an |such a |such an |some )?(?:really |very |incredibly |truly )?(?:rough|tough|hard|"
    r"frustrating|stressful|awful|horrible|terrible|difficult|miserable|long)\b",
    r"\b(?:isn't|is not|wasn't|was not|not) (?:fair|right|okay|ok|acceptable|good enough|on)\b(?! to say)",
    r"\b(?:isn't|is not|not) (?:a |an )?(?:small|minor|little|trivial) (?:issue|thing|problem|matter|bug)\b",
    r"\b(?:a |that's a |that is a |it's a )?(?:fair|reasonable|valid|legitimate|understandable|natural) (?:worry|concern|"
    r"frustration|reaction|feeling|fear)\b",
    r"\bmatters? (?:too much|so much|a lot|enormously|hugely|to you)\b",
    r"\b(?:i'm|i am) (?:so |really |very |truly )?sorry (?:that )?you(?:'ve| have)? (?:lost|spent|wasted|had|gone|been)\b",
    r"\bi (?:completely |totally |fully |really |absolutely |do ){0,8}understand (?:not |you not )?(?:wanting|needing|feeling|"
    r"being|having to)\b",
    r"\bi (?:can |completely |totally |fully |really |absolutely |do ){0,8}(?:see|understand|get) why [a-z' ]{0,40}?"
    r"\b(?:felt|feels|seemed|seems|looked|looks)\b",
    r"\b(?:nobody|no one|no-one) (?:likes|wants|enjoys|deserves) (?:feeling|to feel|being|to be|having to)\b",
    r"\bwould (?:wear|test|try|drive|frustrate|upset|worry|scare|anger|annoy) (?:anyone|anybody|me|most people)\b",
    # Any subject: "finding an unexpected charge is upsetting", "two days of lost work is a big deal"
    rf"\b(?:is|'s|must be|must feel|must have been|must have felt|sounds|feels|would feel|would be|can be|"
    rf"has been|have been|gets|is getting)\s+{_INTENSIFIERS}{EMOTION}",
    r"\bi (?:can |completely |totally |fully |really |absolutely |do ){0,8}(?:see|understand|get|appreciate) why "
    r"(?:you(?:'re| are|'d| would| feel| might| may)|it (?:felt|feels|seemed|seems)|that (?:felt|feels)|this (?:felt|feels|is))",
    r"\bi (?:can |completely |totally |fully |really |absolutely |do ){0,8}(?:understand|know|see|appreciate|get|imagine) "
    r"(?:just )?how (?:\w+ ){0,2}(?:it|this|that|things) (?:is|are|must be|has been|feels|felt|gets|can be|would be)\b",
    r"\bmakes (?:total |complete |perfect )?sense (?:that )?(?:it (?:feels|felt)|you(?:'d| would| feel|'re| are))",
    # "that sounds frightening", "this must be so stressful", "what a nightmare"
    rf"\b(?:that|this|it|which|all (?:of )?this|all that|the situation|this situation|what you're going through|"
    rf"what you've been through|your situation|the whole thing)\s*(?:'s|is|was|has been|must be|must have been|"
    rf"must feel|would be|would feel|sounds|sound|seems|feels|looks|must sound|can be|is being|is)\s+"
    rf"(?:like\s+)?{_INTENSIFIERS_TOO}{EMOTION}",
    r"\bwhat an? (?:\w+\s+)?(?:nightmare|ordeal|awful|horrible|terrible|stressful|frightening|scary|frustrating|"
    r"worrying|mess|headache|situation to be in|thing to (?:wake up to|deal with|happen))",
    r"\b(?:how|so) (?:frightening|scary|stressful|frustrating|worrying|upsetting|awful|horrible|terrible|"
    r"alarming|unsettling|exhausting|disappointing|annoying|infuriating)",
    # "I can hear how frustrated you are", "I can only imagine"
    rf"\bi (?:can|could|can certainly|can absolutely|can really|can totally|can definitely|can only|can just)\s+"
    rf"(?:hear|see|imagine|tell|sense|feel|appreciate|understand)\s+(?:how|that|why|what|you're|you are|you'd|"
    rf"you must|this|the|you've|you have)\b[^.?!]{{0,60}}?\b(?:{EMOTION}|much|important|long|serious|urgent|matters|stuck|blocked)",
    r"\bi can (?:only |just )?imagine\b",
    # "I understand your frustration", "I know how important this is"
    rf"\bi\s+(?:completely\s+|totally\s+|fully\s+|really\s+|absolutely\s+|do\s+|definitely\s+|truly\s+|"
    rf"certainly\s+|genuinely\s+|can\s+|honestly\s+){{0,8}}(?:understand|get|appreciate|hear|recogni[sz]e|know|see|"
    rf"realise|realize|acknowledge|feel)\s+(?:your|the|how|why|that|what|just how|you're|you are|you've|you have|"
    rf"you feel|this is|this has|it's|it is|it's been|this must)\b[^.?!]{{0,50}}?\b(?:{EMOTION}|much|important|"
    rf"long|serious|urgent|matters|stuck|blocked|depend\w*|waiting|chas\w*|the position|position you're in|"
    rf"where you're coming from|feel|feeling|feelings)",
    r"\bi hear you\b",
    # "I'd be worried too", "anyone would be upset"
    rf"\b(?:i'd|i would|anyone would|anybody would|anyone'd|most people would|i'd also|i would also|i think i'd|"
    rf"i know i'd|i'd honestly|i'd definitely|anyone)\s+(?:be\s+|feel\s+|have been\s+|be just as\s+|feel just as\s+|"
    rf"be really\s+|be pretty\s+|be so\s+|be very\s+|be absolutely\s+|be extremely\s+|be equally\s+|have\s+|"
    rf"would\s+){{0,8}}{EMOTION}",
    r"\bin your (?:shoes|position|place)\b",
    # "you must be exhausted", "you're understandably upset"
    rf"\byou (?:must|must've|must have|would|'d|might|may|probably|likely)\s+(?:be|feel|been|have been|be feeling|"
    rf"have felt)\s+(?:so\s+|really\s+|very\s+|incredibly\s+|pretty\s+|completely\s+|quite\s+|absolutely\s+){{0,8}}{EMOTION}",
    rf"\b(?:you're|you are|you've been|you have been|you feel|you're feeling|you are feeling|you sound|you seem|"
    rf"you were)\s+(?:so\s+|really\s+|understandably\s+|clearly\s+|obviously\s+|rightly\s+|completely\s+|"
    rf"justifiably\s+|naturally\s+|very\s+|quite\s+|pretty\s+|under\s+(?:a lot of\s+|so much\s+)?){{0,8}}{EMOTION}",
    r"\b(?:you have|you've got|you had) every (?:right|reason) to (?:be|feel)\b",
    r"\b(?:completely|totally|perfectly|entirely|very|so|absolutely|fully|more than)\s+(?:understandable|fair|valid|"
    r"reasonable|natural|justified|legitimate)\b",
    rf"\b(?:your|the|that)\s+(?:{EMOTION}|feelings?|reaction|anger|worry|concern)\s+(?:is|are)\s+(?:completely\s+|"
    rf"totally\s+|entirely\s+|absolutely\s+|perfectly\s+|so\s+)?(?:understandable|valid|justified|fair|warranted|"
    rf"legitimate|reasonable|natural|normal)",
    r"\bno wonder (?:you're|you are|you feel|you'd)\b",
    rf"\bof course (?:you're|you are|you'd|you would be|you feel)\s+(?:\w+\s+)?{EMOTION}",
    r"\bit makes (?:total |complete |perfect )?sense (?:that )?(?:you're|you are|you'd|you would|you feel)\b",
    r"\b(?:you're|you are) right to (?:be|feel|worry)\b",
    rf"\b(?:rightly|understandably|justifiably) (?:so|{EMOTION})\b",
    # The weight of the situation: "a week blocked is a long time", "third time you've had to ask"
    rf"\b(?:a|one|{NUM}|several|two|three|a whole|an entire)\s+(?:whole\s+|full\s+)?(?:days?|weeks?|months?|nights?)\s+"
    rf"(?:blocked|of being blocked|stuck|without|of waiting|offline|is (?:a |far |way |much )?(?:too |really |very |so )?long)",
    r"\b(?:the|a|your)?\s*(?:third|3rd|second|fourth)\s+time\b[^.?!]{0,40}?\b(?:shouldn't|should not|too|frustrat\w*|"
    r"not okay|not acceptable|unacceptable|had to|you've had|you have had|chas\w*|ask\w*|follow\w*)",
    r"\b(?:three|3|two|several|multiple|many) times\b[^.?!]{0,30}?\b(?:is|are|too many|shouldn't|should not|unacceptable)",
    r"\byou (?:shouldn't|should not) (?:have (?:had )?to|need to|be having to)\s+(?:chase|follow up|ask|wait|call|deal|"
    r"keep|repeat|go through|worry|be|chasing|sit|fight|struggle|push|beg|jump|explain|spend|lose|pay|gamble|risk)",
    r"\b(?:that's|that is|it's|it is|this is)\s+(?:not|never)\s+(?:the (?:experience|service|standard)|what you|how you|"
    r"okay|ok|acceptable|fair|good enough|right)\b",
    r"\bon top of (?:everything|all of that|all that|that|a deadline|your)\b",
    r"\b(?:under|with|facing|feeling)\s+(?:so much|a lot of|this much|that much|all (?:this|that)|real|huge|serious|"
    r"enormous|constant|daily)\s+pressure\b",
    r"\b(?:your|the)\s+(?:director|boss|manager|team|client|presentation|deadline)\s+[^.?!]{0,40}?\b(?:pressure|"
    r"on you|chasing you|asking you|pushing you|breathing down|waiting on you|depending on you|counting on you|"
    r"every day|daily)",
    r"\b(?:i'm|i am) (?:so |really |very |truly )?sorry (?:that )?(?:you(?:'ve| have)? (?:had to|been|gone through|"
    r"dealt|waited|experienced)|you're (?:going through|dealing with|feeling|in this|having to|stuck|blocked|worried|"
    r"scared|frustrated|upset)|this (?:has|happened to you|has put you)|you've been put|your team)",
    r"\bthat must have been\b",
    r"\bthank you for (?:your patience|bearing with us) (?:through|with) (?:all|this|such)\b",
    r"\b(?:i|we) (?:know|understand|appreciate|realise|realize) (?:how much|how important|how urgent|how serious|"
    r"how long|how hard|how difficult|how stressful|how frustrating|what a|that this (?:is|has|matters))\b",
    r"\b(?:this|it|that) (?:really )?matters\b",
    r"\bnot being able to [a-z ]{3,40} (?:is|must be|would be)\b",
]
_FRAME_RX = PatternSet(_FRAMES)
_SARCASM = compile_fast(
    r"(?:^|[.!?,]\s*)(?:oh|wow|well),?\s+(?:i'm sure|sure|yes|right|great|poor you)|\bi'm sure (?:it's|it is|that's|"
    r"you're|you are|this is|you)\b[^.?!]{0,20}?(?:very|so|really|terribly|awfully)|\bpoor you\b|\bmust be nice\b"
)
_DISMISS = compile_fast(
    r"\b(?:no need to|don't|do not|there's no reason to|you shouldn't|stop|why are you|why be|nothing to)\s+"
    r"(?:be\s+|get\s+|feel\s+|so\s+){0,8}(?:\w+\s+)?$"
)
_BARE = compile_fast(
    r"\b(?:(?:i'm|i am|we're|we are)\s+(?:so\s+|very\s+|really\s+|truly\s+|terribly\s+|deeply\s+)?sorry|"
    r"sorry|apologi[sz]e|apologies|i understand|i see|i get it|i hear that|that's unfortunate|unfortunately)\b"
)


def acknowledge_emotion(answer: Answer, context: ScoringContext) -> Detection:
    text = answer.norm
    evidence: list[tuple[int, int]] = []
    flags: list[tuple[int, int]] = []
    for _index, match in _FRAME_RX.finditer(text):
        start = match.start()
        clause = text[answer.clause_start(start) : start]
        if _SARCASM.search(text[answer.clause_start(start) : match.end()]):
            flags.append(match.span())
            continue
        if _DISMISS.search(clause) or _negated_frame(answer, match) or _IMPERSONAL.match(text, match.end()):
            continue
        evidence.append(match.span())
    if evidence or flags:
        return verdict(evidence, flags, "Sarcasm is not empathy.")
    bare = [m.span() for m in _BARE.finditer(text)]
    return verdict([], bare, 'A bare apology or "I understand" is sympathy, not empathy.', near_miss=0.25)


# "it's hard to say when": difficulty of the agent's task, not the customer's feeling.
_IMPERSONAL = compile_fast(r"\s+to (?:say|tell|know|predict|estimate|give|find|get|pin down|confirm|guarantee)\b")
_NEG_INSIDE = compile_fast(
    r"\b(?:not|n't|never|no)\s+(?:(?:that|so|really|too|very)\s*)?(?:bad|big|serious|hard|difficult)\b"
)


def _negated_frame(answer: Answer, match: re.Match[str]) -> bool:
    """'it's not that bad', 'this isn't a big deal': the feeling word is denied, not acknowledged."""
    return bool(_NEG_INSIDE.search(match.group(0))) or answer.negated(match.start(), window=2)
