"""The core rubric: ids, labels and default feedback every scenario can use.

The detectors that judge these live in ``simulator.core.scoring.detectors``;
this module holds only the words trainees read, so scenarios can override them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CoreCriterion:
    id: str
    label: str
    met: str
    missed: str
    # Generic on purpose: no persona, no product. "{name}" becomes the scenario's customer.
    example: str


CORE_CRITERIA: dict[str, CoreCriterion] = {
    c.id: c
    for c in (
        CoreCriterion(
            "acknowledge_emotion",
            "Acknowledges the customer's emotion",
            "You named or validated how the customer feels.",
            "Name the feeling, or what the situation means for the customer.",
            "That sounds really stressful, and I can see why you're worried.",
        ),
        CoreCriterion(
            "take_ownership",
            "Takes ownership with a concrete action",
            "You said what you will do, not what the customer must do.",
            'State an action you take or offer: "I\'ll…", "let me…", "I\'ve just…".',
            "Let me take care of this for you right now; I'm starting on it while we talk.",
        ),
        CoreCriterion(
            "set_expectations",
            "Sets clear expectations",
            "You gave a specific time, a reference number or what happens next.",
            "Give a specific timeframe, a reference number, or say exactly what happens next.",
            "You'll get an email within 24 hours, and your case number is 4471.",
        ),
        CoreCriterion(
            "personalize",
            "Uses the customer's name",
            "You used the customer's name.",
            "Use the customer's first or last name at least once.",
            "Thanks for staying with me, {name}.",
        ),
        CoreCriterion(
            "ask_question",
            "Listens actively and asks a question",
            "You asked a genuine question to understand the customer.",
            "Ask a genuine question to understand or confirm; rhetorical or blaming questions don't count.",
            "Can you tell me a little more about what happened?",
        ),
        CoreCriterion(
            "offer_escalation",
            "Offers a clear escalation path",
            "You offered a clear escalation path.",
            "Offer or state escalation to a supervisor, specialist or senior team when it helps.",
            "If it isn't fixed by Friday, I'll escalate it to our senior engineering team.",
        ),
        CoreCriterion(
            "respectful_tone",
            "Stays respectful",
            "You stayed respectful and professional.",
            "Avoid blaming, dismissing, minimising, lecturing or mirroring the customer's tone.",
            "I can hear how frustrating this is, and I want to fix it with you.",
        ),
    )
}

# A rubric line with any of these keys is the scenario's own criterion, not a core one.
CUSTOM_KEYS = ("phrases", "patterns", "exemplars")
