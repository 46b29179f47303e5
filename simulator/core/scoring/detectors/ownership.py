"""take_ownership: the agent states a concrete action they take, are taking or offer to take.

A first-person subject with an auxiliary ("I'll", "let me", "I've just",
"I can", "would you like me to") followed by an action verb. Negated forms
("I can't", "I won't be able to") and deflections ("you'll need to call")
never match, and are flagged so the debrief can say why.
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection, verdict
from simulator.core.scoring.prefilter import compile_fast
from simulator.core.scoring.text import Answer
from simulator.core.scoring.types import ScoringContext

_ACTIONS = (
    "cancel|block|lock|freez|froz|stop|check|look|review|escalat|transfer|connect|put|send|sent|"
    "email|e-mail|call|ring|phone|text|message|follow|updat|process|refund|issu|arrang|order|ship|"
    "expedit|open|fil|rais|creat|log|reset|replac|disput|flag|investigat|chas|contact|reach|speak|"
    "talk|get|got|make|ensur|set|book|schedul|fix|sort|handl|tak|took|pull|verif|confirm|walk|help|"
    "stay|push|prioriti[sz]|add|credit|waiv|revers|reship|re-ship|track|monitor|keep|find|ask|loop|"
    "bring|assign|request|submit|start|initiat|report|record|hold|reserv|upgrad|offer|apply|appli|"
    "run|ran|test|deliver|dispatch|reimburs|compensat|provid|give|gave|go ahead|dig|double-check|"
    "close|remov|resend|re-send|mov|chang|adjust|correct|restor|reconnect|reactivat|activat|secur|"
    "protect|notif|inform|alert|let (?:you|the|them|your|our)|see (?:what|if|whether|to it)|"
    "note|document|prepar|draft|generat|mail|post|courier|swap|exchang|cover|absorb|pay|match|"
    "refund|void|extend|grant|approv|authori[sz]|sign off|shar|attach|forward|pass|hand|elevat|plac|"
    "compar|reopen|re-open|switch|turn|go through|go over|go back|swap|rebook|re-book|waiv|discount|"
    "upgrad|walk|guid|show|text|jump|coordinat|liais|remind|priorit|fast-track|fast track|"
    "follow up|call back|ring back|email back|write|reply|respond|sort out|clear|unblock|reinstat|"
    "refresh|reboot|restart|rerun|re-run|diagnos|troubleshoot|ring|page|buzz|recheck|re-check|"
    "reroute|re-route|redirect|locat|trac|retriev|recover|sit down|stick with|personally|own|"
    "organi[sz]|queue|patch|deploy|releas|ping|nudg|hound|sync|join|schedule|call you|text you|"
    "reproduc|replicat|recreat|do (?:\\w+ )?things?\\b|do that|do this|do it|do a\\b|do the\\b"
)
_ACTION = rf"(?:{_ACTIONS})[a-z'-]*"
# Each alternative is one unit that no other pair of alternatives spells: "also be", "be happy to"
# and a second "quickly" let "also be also be ..." split 2^n ways before a failing verb (issue 16).
_ADVERBS = (
    r"(?:just|now|also|personally|immediately|quickly|already|right now|first|then|definitely|"
    r"certainly|absolutely|actually|still|happily|gladly|go ahead and|gone ahead and|went ahead and|"
    r"be able to|happy to|glad to|going to|gonna|try to|try and|make sure to|"
    r"make sure i|want to|like to|love to|be|get to|currently|"
    r"straight away|today|double|in the meantime|meanwhile|urgently|of course|totally|uh|um|er|erm|like|you know|"
    r"right away|first thing)"
)
_SUBJECTS = (
    r"(?:i'll|i will|i'm going to|i am going to|i'm gonna|i shall|i'd like to|i would like to|"
    r"i'd be happy to|i would be happy to|i'd be glad to|i'm happy to|i am happy to|i'm glad to|"
    r"let me|allow me to|i can|i could|i've|i have|i just|i already|i'm|i am|i personally|"
    r"we'll|we will|we're going to|we are going to|we can|we've|we have|we're|we are|we could|"
    r"let's|let us|would you like me to|do you want me to|shall i|should i|want me to|"
    r"if you'd like,? i|if you like,? i|i want to|i'm about to|i went|i've gone|i made|i put|"
    r"i sent|i raised|i logged|i flagged|i escalated|i blocked|i locked|i froze|i cancelled|i canceled|"
    r"i checked|i called|i spoke|i booked|i set|i opened|i filed|i added|i processed|i requested|i submitted)"
)
_OWN = compile_fast(
    rf"\b{_SUBJECTS}(?!n't|not\b| not\b|'t)"
    rf"(?:\s+{_ADVERBS}){{0,8}}(?:\s*,)?\s+{_ACTION}\b"
)
# Offers that carry the action in the customer's answer: "would you like me to?".
_OFFER = compile_fast(
    rf"\b(?:would you like me to|do you want me to|shall i|want me to|would it help if i|how about i|"
    r"i'm on it|i'm on this|leave (?:it|this) with me|consider it done|i've got (?:this|it)|"
    r"i'll take (?:it|this) from here|let's (?:take care|get|sort|fix|go|do|start|look|check)|"
    r"would you (?:rather|prefer)(?: that)? i|would you be open to|or would you like me to|"
    r"(?:^|[.!?]\s*|\b(?:okay|ok|sure|right|understood|alright),?\s+)(?:on it|running|checking|booking|sending|"
    r"arranging|escalating|processing|logging|raising|opening|looking into|pulling up|refunding|cancell?ing|"
    r"locking|blocking|freezing|transferring|connecting you|putting you through)\b"
    r"(?! (?:it |this |that )?(?:won't|will not|doesn't|does not|isn't|is not|wouldn't|would not|can't))|"
    # "I've bumped this", "we've credited your account": any past participle but thinking and telling verbs.
    r"\b(?:i've|i have|we've|we have)(?:\s+(?:just|already|now|also|personally|gone ahead and|gone and)){0,8}\s+"
    r"(?!(?:been|had|heard|seen|noticed|read|understood|explained|told|said|mentioned|tried|wondered|wanted|needed|"
    r"hoped|thought|felt|learned|learnt|realised|realized|received|waited|asked you|looked at it|already told)\b)"
    r"[a-z]+ed\b|"
    rf"(?:is it ok|is it okay|would it be ok|would it be okay|is it alright|do you mind|would you mind|okay|ok) if i {_ACTION})\b"
)
# Deflections and refusals: flagged, never credited.
_DEFLECT = compile_fast(
    r"\b(?:i|we) (?:can't|cannot|can not|won't|will not|am not able to|'m not able to|'m unable to|"
    r"am unable to|won't be able to|will not be able to|don't|do not|couldn't|could not|'m not going to|"
    r"am not going to|wouldn't|would not)\b[^.?!]{0,40}|"
    r"\b(?:i'm|i am|we're|we are) (?:not able|unable|not going|not allowed|not authori[sz]ed)\b[^.?!]{0,30}|"
    r"\byou(?:'ll| will)? (?:need|have|must|should|'d need|would need) to (?:call|contact|go|reach|email|"
    r"visit|speak|talk|submit|fill|log|check|ask|wait|phone|ring|raise|file|open)\b[^.?!]{0,30}|"
    r"\byou (?:can|could|may) (?:call|contact|email|try|visit|go|reach)\b[^.?!]{0,30}|"
    r"\b(?:please )?(?:call|contact|email|ring|phone) (?:the|our|your) [a-z ]{0,20}(?:line|team|department|"
    r"number|desk)\b|\bthere's nothing (?:i|we) can\b|\bnot something (?:i|we) can\b"
)


_SARCASTIC_OPENING = compile_fast(r"^\W*(?:oh|wow|yeah),? (?:sure|great|right|yes|fine)\b")


def take_ownership(answer: Answer, context: ScoringContext) -> Detection:
    if _SARCASTIC_OPENING.search(answer.norm):
        return Detection(0.0, note="A sarcastic offer is not ownership.")
    evidence = [m.span() for m in _OWN.finditer(answer.norm)]
    evidence += [m.span() for m in _OFFER.finditer(answer.norm)]
    evidence = [s for s in evidence if not _inside_negation(answer, s)]
    flags = [] if evidence else [m.span() for m in _DEFLECT.finditer(answer.norm)]
    return verdict(
        evidence, flags, "Saying what you can't do, or what the customer must do, hands the problem back to them."
    )


_CONDITIONAL = compile_fast(
    r"\b(?:if only|i wish|wish i|unless|i hoped|(?:i|we) (?:would|could|should) have|if you(?:'d| would)? (?:just )?"
    r"(?:stop|stopped|calm|calmed|let me|listen|listened|quit|be quiet|stop talking))\b"
)
# A first-person clause inside a relative or indirect one promises nothing: "see what I can offer".
_EMBEDDED = compile_fast(r"\b(?:what|whatever|anything|everything|something|how|whether|if|wish|unless|hope)\s*$")
# "We'll let you know when there's an update": an action with no content and no time.
_EMPTY = compile_fast(
    r"(?:we'll|we will|i'll|i will)\s+(?:let you know|keep you (?:posted|updated|informed)|get back to you|update you|"
    r"share an update|be in touch|get to it)\b[^.?!]{0,40}?\b(?:when|as soon as|soon|once|if|at some point|eventually)\b"
)


_PURPOSE = compile_fast(r"\b(?:so|so that|in order that|before|until|then|to make sure|once)\s*$")


def _inside_negation(answer: Answer, span: tuple[int, int]) -> bool:
    """Conditional ("if only I could") or purpose ("so I can help") clauses promise nothing."""
    start = span[0]
    clause = answer.norm[answer.clause_start(start) : start]
    recent = " ".join(clause.split()[-6:])
    if _CONDITIONAL.search(recent) or _EMBEDDED.search(clause) or _EMPTY.match(answer.norm, start):
        return True
    return bool(_PURPOSE.search(clause)) and bool(re.match(r"(?:i|we) (?:can|could)\b", answer.norm[start:]))
