"""respectful_tone: met unless the answer blames, dismisses, minimises, lectures,
is sarcastic, unprofessional, or mirrors rudeness.

This is a list of markers, each a regular expression on the lowercased answer.
A match is a flag: it is highlighted in the debrief as what cost the point.
"""

from __future__ import annotations

import re

from simulator.core.scoring.detectors.base import Detection
from simulator.core.scoring.prefilter import PatternSet, compile_fast
from simulator.core.scoring.text import NUM, Answer, merge_spans
from simulator.core.scoring.types import ScoringContext

_MARKERS: dict[str, tuple[str, ...]] = {
    "dismisses": (
        r"\b(?:calm|settle) down\b",
        r"\bchill(?: out)?\b",
        r"\brelax\b",
        r"\b(?:that's|that is|it's|it is|this is|this isn't|that isn't|it isn't|is|isn't|is not|not|that's not|it's not) (?:really )?(?:my|our) (?:problem|fault|issue|job|department|concern|responsibility|area)\b",
        r"\b(?:going to|gonna|will|would|'ll|'s going to|is going to)\s+(?:just )?(?:tell|say)(?: to)?(?: you)? (?:the )?(?:exact |very )?same\b",
        r"\b(?:there's|there is)? ?(?:really )?no point\b",
        r"\b(?:shouting|yelling|escalating|complaining|screaming|threatening|swearing|getting angry|being rude)(?: at me)? (?:won't|will not|isn't going to|doesn't|does not) (?:make|help|change|get|speed)\b",
        r"\bwon't make it (?:go |arrive |come |happen )?(?:any )?(?:faster|quicker|sooner)\b",
        r"\bstop interrupting\b",
        r"\b(?:so|let) (?:i can|me) do my job\b",
        r"\battitude\b",
        r"\b(?:don't|do not) (?:really )?feel like helping\b",
        r"\bno need to be (?:rude|nasty|like that|difficult|aggressive|abusive|so rude)\b",
        r"\b(?:try|trying) being (?:polite|nice|civil|patient)\b",
        r"\bfor once\b",
        r"\b(?:just )?(?:bad|tough|hard) luck\b",
        r"\bunlucky\b",
        r"\b(?:that's|it's|that is|it is) (?:entirely |totally |completely )?(?:up to you|your call|your problem)\b(?! (?:which|whether|if|how|when|what))[,.!]?(?: i guess| honestly)?",
        r",? i guess[.!]?$",
        r"^\W*(?:that's|it's|that is|it is) (?:entirely |totally )?(?:your choice|your decision)\W*(?:sir|madam|ma'am)?\W*$",
        r"\bbecause (?:that's|it's|that is|it is) (?:the|our) (?:policy|rule|rules)\b",
        r"\bfine by me\b",
        r"\b(?:a |an )?(?:fairly|pretty|relatively|quite|very|really|just a) (?:minor|small|trivial|low[- ]priority)\b",
        r"\b(?:isn't|is not|not) (?:at the )?top of (?:the|our|my) (?:list|priorities|queue)\b",
        r"\bhundreds of (?:other )?(?:customers|clients|tickets|emails|calls)\b",
        r"\b(?:isn't|is not|not|aren't|are not) the only (?:thing|customer|client|one|person|ticket|problem)\b",
        r"\b(?:please )?stop (?:emailing|calling|contacting|messaging|chasing|ringing|writing)\b",
        r"\bwhen we get (?:to|round to|around to) it\b",
        r"\bnot (?:much|anything) (?:more |else )?(?:i|we) can (?:tell|say|offer|do)\b",
        r"\bnothing (?:more|further|else) (?:i|we) can (?:do|offer|say)\b",
        r"\b(?:i|we) can't (?:really |actually )?do anything\b",
        r"\byeah,? well\b",
        r"\bfor me too\b",
        r"\b(?:these|such) things take time\b",
        r"\b(?:other|more) (?:customers|clients|people|callers) (?:ahead|waiting|before|to deal with|too|as well|than you)\b",
        r"\bwe (?:do )?have other (?:customers|clients)\b",
        r"\b(?:don't|do not) (?:talk|speak) to me like that\b",
        r"\bmoving on\b",
        r"\b(?:policy is policy|rules are rules)\b",
        r"\bif you (?:insist|must)\b",
        r"\b(?:isn't|is not|it's not|it is not|not that) (?:complicated|difficult|hard|rocket science)\b",
        r"\bwow,? finally\b",
        r"\bi (?:don't|do not) know,? (?:sir|madam|ma'am|what to tell you|maybe)\b",
        r"\bwhat do you want me to do\b",
        r"\bnot (?:much|anything) (?:i|we) can do\b",
        r"\bnot my (?:problem|job|department|issue|concern)\b",
        r"(?<!if )(?<!whether )\b(?:there's|there is|there isn't|there is not) (?:really |honestly |simply |just )?(?:nothing|not much|not anything|anything) (?:more )?(?:i|we) can do\b",
        r"\bnothing (?:more )?(?:i|we) can do\b",
        r"\b(?:i|we) can't do anything\b",
        r"\bi (?:don't|do not) care\b",
        r"\bcouldn't care less\b",
        r"\bdeal with it\b",
        r"\btake it or leave it\b",
        r"\bget over it\b",
        # "Whatever." as a shrug; "I'll book whatever it needs" is not one.
        r"(?:^|[.!?,;]\s*)whatever\s*(?=[.!?,;]|$)|\b(?:yeah|ok|okay|fine),? whatever\b|\bwhatever,? (?:sir|madam|ma'am|mate)\b",
        # A tautology that refuses an answer: "it'll arrive when it arrives", "it is what it is".
        r"\b(?:'ll|will) (\w+)(?: there| here| back)? when (?:it|they) \1|\bis what it is\b(?! (?:for|about|called|used|worth|like))",
        r"\bi (?:don't|do not) have (?:all day|time for this)\b",
        r"\b(?:i'm|i am) (?:going to|gonna) hang up\b",
        r"\bthat's (?:just )?(?:the way it is|how it is|life)\b",
        r"\brules are rules\b",
        r"\b(?:that's|it's) (?:the|our) policy,? (?:period|end of story)\b",
        r"\bend of (?:story|discussion)\b",
        r"\b(?:a|the) (?:supervisor|manager) (?:will|would)(?: just)? (?:tell|say)(?: you)? the same\b",
    ),
    "minimises": (
        rf"\b(?:it's|it is|that's|that is|its|it was|that was) (?:only|just) (?:a |an )?(?:few\b|couple\b|little\b|small\b|minor\b|tiny\b|\$?{NUM}\b)",
        rf"\bonly (?:a few|a couple of|\$?{NUM}) (?:days|day|hours|dollars|bucks|weeks|minutes|rows?|lines?)\b",
        rf"\b(?:it's|it is) only (?:been )?(?:a |an )?(?:few |couple |{NUM} )?(?:days?|hours?|weeks?|dollars|bucks|row)\b",
        r"\b(?:not|no) (?:such )?a? ?big deal\b",
        r"\bnot the end of the world\b",
        r"\b(?:it )?could (?:be|have been) worse\b",
        r"\b(?:it's|it is|that's|that is) not (?:that|so|really that) (?:bad|serious|big|important|urgent|long|much)\b",
        r"\b(?:you're|you are) (?:over ?reacting|being dramatic|exaggerating|being unreasonable)\b",
        r"\bno need to (?:panic|be upset|get upset|be angry|get angry|be so|get so|shout|yell)\b",
        r"\b(?:it's|it is) (?:just |only )?a (?:minor|small|tiny|little) (?:bug|issue|thing|problem|delay|glitch)\b",
        r"\b(?:just|only) a (?:minor|small|tiny|little) (?:bug|issue|thing|problem|delay|glitch|charge|amount)\b",
        r"\b(?:these|such) things happen\b",
        r"\bit happens\b(?! (?:when|if|because|while|after|before|whenever|only|on|every))",
        r"\bnothing to worry about\b",
    ),
    "blames": (
        r"\byou (?:really )?should(?:'ve| have|n't have| not have) ",
        r"\byou ought to have\b",
        r"\bif (?:you|your [a-z]+) (?:had|'d)(?: just| only)? (?:read|checked|called|looked|listened|followed|paid|kept|been|cancelled|canceled|turned|reported|told|sent|given)\b",
        r"\bif you (?:just |only )?(?:read|check|checked|look|looked|listen|listened)\b",
        r"\bthe first time,? (?:you|it)(?:'d| would)\b",
        r"\bdid you (?:not|even|actually|really) [a-z]+",
        r"\b(?<!not )(?<!isn't )(?<!wasn't )(?<!none of this is )your (?:own )?fault\b",
        r"\b(?:it's|it is|that's|that is) (?:on you|your (?:own )?(?:responsibility|problem))\b",
        r"\byou(?:'re| are) the one who\b",
        r"\byou (?:clearly |obviously )?(?:didn't|did not|failed to|forgot to|never) (?:read|check|follow|notice|look|bother|pay attention|cancel|turn off|set)\b",
        r"\bwhy (?:did|didn't|did not|would|wouldn't|haven't|hadn't|have|weren't|don't|do) you (?!think|feel|like|prefer|want)",
        r"\bwhy (?:are|were) you (?:so |being |getting |yelling|shouting|calling|only|just)",
        r"\b(?:it's|it is|that's|that is) (?:not )?(?:our|the company's) fault\b",
        r"\bnot our fault\b",
        r"\bblame (?:the|your)\b",
        r"\byou (?:agreed|signed up|accepted|ticked|clicked|chose|opted) (?:to|for|the)\b",
        r"\b(?:isn't|is not|wasn't|was not) (?:really )?(?:our|my) (?:responsibility|problem|fault|concern)\b",
        r"\b(?:that's|it's) (?:on you|on your end|your end|your side)\b",
    ),
    "lectures": (
        r"\bas i (?:already |just |previously |have |'ve )?(?:said|told you|mentioned|explained|stated|pointed out)\b",
        r"\blike i (?:already |just )?(?:said|told you|mentioned)\b",
        r"\bi(?:'ve| have)? already (?:told|explained|said|mentioned)(?: (?:you|this|that|it))?\b",
        r"\bi(?:'ve| have) told you\b",
        r"\bper my (?:last|previous|earlier) (?:email|message|note|reply)\b",
        r"\bhow many times\b",
        r"\bfor the (?:last|third|second|hundredth|fifth) time\b",
        r"\byou (?:need|have|must) to understand\b",
        r"\blet me be (?:clear|very clear|perfectly clear)\b",
        r"\bfor future reference\b",
        r"\bnext time,? (?:you|make sure|please|try|read|check)\b",
        r"\bin (?:the )?future,? you\b",
        r"\byou should (?:always|really|know|read|have known)\b",
        r"\bread the (?:terms|policy|fine print|manual|faq|email|instructions|conditions)\b",
        r"\b(?:it's|it is|it was) (?:clearly|all|plainly) (?:stated|written|explained)\b",
        r"\bclearly (?:says|states|stated)\b",
        r"\bit says (?:so )?(?:right there|clearly)\b",
        r"\bcommon sense\b",
        r"\beveryone knows\b",
        r"\bdid you (?:even |not |actually |really )(?:read|check|look|bother|listen)\b",
        r"\b(?:didn't|haven't) you (?:read|seen|checked|got|received)\b",
        r"\bdo you (?:even |really |honestly )?(?:understand|realize|realise|get it)\b",
        r"\bare you (?:even )?listening\b",
    ),
    "is sarcastic": (
        r"(?:^|[.!?]\s*|,\s*)oh,? (?:great|wonderful|perfect|sure|really|wow|well|brilliant|lovely)\b",
        r"\bi'm sure (?:you|your|it|that|it's|that's)\b(?!.{0,40}\b(?:can|will|we|i'll)\b)",
        r"\b(?:very|really|so) (?:urgent|important|serious) indeed\b",
        r"(?:^|[.!?,]\s*)(?:oh|wow),? (?:i'm sure|sure|right|yes)\b",
        r"\bmust be nice\b",
        r"\bcongratulations\b",
        r"\bgood for you\b",
        r"\bgood luck with that\b",
        r"\bthanks for nothing\b",
        r"\byeah,? right\b",
        r"\bsure you (?:did|do|have|were)\b",
        r"\bwhatever you say\b",
        r"\bwhat a (?:surprise|shock)\b",
        r"(?:^|[.!?]\s*)as if\b",
        r"\bwow,? (?:just |okay|ok|really)\b",
        r"\bboo[- ]?hoo\b",
        r"\bcry me a river\b",
        r"\bwelcome to (?:the club|my world)\b",
        r"\b(?:that's|how) (?:so )?(?:tragic|terrible) for you\b",
        r"\bis that (?:really )?(?:so |too )?(?:much|hard) to ask\b",
        r"\b(?:seriously|really),? (?:this|that|you) again\b",
        r"\bunless you (?:really |actually )?(?:enjoy|like|love) (?:talking|chatting|calling|waiting|writing)\b",
        r"\b(?:can't|cannot) (?:just )?(?:magic|conjure)\b",
    ),
    "is condescending": (
        r"\bi(?:'d| would)? (?:have )?thought (?:that|it|this) was (?:fairly |pretty |quite |very |perfectly )?(?:clear|obvious)\b(?!,? but)",
        r"\breading is (?:hard|difficult|tough)\b",
        r"\bif you(?:'re| are) (?:that|so) (?:unhappy|upset|bothered|worried|desperate)\b",
        r"\blike (?:everyone|everybody|every other customer|all the other customers) else\b",
        r"\b(?:every|most) (?:other )?customers? (?:thinks?|do(?:es)? manage|manages?)\b",
        r"\byou(?:'re| are) (?:making|not making) (?:this|it|my job) (?:\w+ )?(?:hard|difficult|harder)\b",
        r"\byou (?:keep|going to keep|'re going to keep) (?:insulting|shouting|yelling|interrupting|swearing)\b",
    ),
    "is unprofessional": (
        r"\b(?:shut up|stupid|idiot|idiotic|dumb|moron|ridiculous|pathetic|nonsense|crazy|insane|hysterical)\b",
        r"\b(?:damn|hell|crap|crappy|sucks|pissed|screw|bloody|wtf|omg|lol|ugh|meh)\b",
        r"\b(?:fuck|f\*ck|f\*\*k|fck|fuk|feck)\w*",
        r"\b(?:shit|sh\*t|sh1t)\w*",
        r"\b(?:sweetheart|sweetie|honey|hun|buddy|pal|dude|mate|darling|love|bro)\b(?!\s+(?:to|it|that|the|your|our|this))",
        r"\b(?:don't|do not|stop) (?:shout|yell|scream|rais)(?:ing)?\w* (?:at me|your voice)?",
        r"\bstop (?:shouting|yelling|screaming|being|complaining|whining)\b",
        r"\bwatch your (?:tone|language|mouth)\b",
        r"\blower your voice\b",
        r"\byou people\b",
        r"\byeah,? yeah\b",
        r"\bnot my call\b",
    ),
}

_KINDS = tuple(kind for kind, patterns in _MARKERS.items() for _ in patterns)
_COMPILED = PatternSet(p for patterns in _MARKERS.values() for p in patterns)
_SHOUTING = re.compile(r"\b[A-Z]{3,}(?:\s+[A-Z]{2,}){2,16}\b")
# Phrases that contain a marker but are respectful, e.g. reassuring the customer.
_SAFE = compile_fast(
    r"\b(?:(?:is|was|it's|that's|this is)(?: absolutely| definitely| certainly)? not your fault|none of this is your fault|"
    r"isn't your fault|wasn't your fault|no fault of yours|not at all your fault|"
    r"this is not a minor|it's not a minor|isn't a minor|not just a minor|"
    r"you shouldn't have (?:to|had to)|you should not have (?:to|had to)|you shouldn't need to|"
    r"why don't you (?:tell me|let me|take)|why don't we|(?:don't|do not|no need to|shouldn't|never) feel (?:stupid|silly|bad|dumb)|"
    r"(?:no|not) (?:a )?(?:minor|small) (?:issue|thing|problem)|it's not on you|this is on us|that's on us|it's on us|"
    r"(?:you're|you are) not (?:stupid|silly|dumb|being (?:difficult|unreasonable))|not stupid|"
    r"than you should(?:'ve| have)|you should(?:'ve| have) (?:heard|been (?:told|given|contacted|informed|updated|called)|"
    r"had|received|got(?:ten)?|been able)|your fault (?:reference|ref|number|ticket|report|id|code|has|is being|was logged)|"
    r"(?:flag|log|report|raise|fix|trace|repair|escalate) your fault|"
    # Owning that the customer was wronged: "telling you what you should have done wasn't helpful".
    r"what you should(?:'ve| have)|you should(?:n't| not) have (?:received|been|had|got|gotten|needed))"
)


# Words in quotation marks are the agent reporting what was said ("not 'rules are rules', I promise"),
# not saying it; the learned model still reads the whole answer.
_QUOTED = re.compile(r'"[^"\n]{1,200}"|\u201c[^\u201d\n]{1,200}\u201d')


def respectful_tone(answer: Answer, context: ScoringContext) -> Detection:
    safe = [m.span() for m in _SAFE.finditer(answer.norm)]
    safe += [m.span() for m in _QUOTED.finditer(answer.raw)]
    flags: list[tuple[int, int]] = []
    kinds: list[str] = []
    for index, match in _COMPILED.finditer(answer.norm):
        kind = _KINDS[index]
        span = match.span()
        if any(a <= span[0] < b or a < span[1] <= b for a, b in safe):
            continue
        flags.append(span)
        if kind not in kinds:
            kinds.append(kind)
    for match in _SHOUTING.finditer(answer.raw):
        flags.append(match.span())
        if "shouts" not in kinds:
            kinds.append("shouts")
    if not flags:
        # Reassurance the rules recognise ("it's not your fault", "don't feel stupid") is cited as
        # the words of respect: the learned model, which reads "fault" and "stupid" as rude, may
        # then overrule it only when it is beyond doubt.
        reassurance = [m.span() for m in _SAFE.finditer(answer.norm)]
        return Detection(1.0, evidence=merge_spans(reassurance))
    return Detection(0.0, flags=merge_spans(flags), note="The answer " + " and ".join(kinds) + ".")
