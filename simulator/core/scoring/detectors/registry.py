"""Which detector judges which core criterion (importing this compiles their patterns)."""

from __future__ import annotations

from simulator.core.scoring.detectors.base import Detection, Detector
from simulator.core.scoring.detectors.emotion import acknowledge_emotion
from simulator.core.scoring.detectors.escalation import offer_escalation
from simulator.core.scoring.detectors.expectations import set_expectations
from simulator.core.scoring.detectors.naming import personalize
from simulator.core.scoring.detectors.ownership import take_ownership
from simulator.core.scoring.detectors.questions import ask_question
from simulator.core.scoring.detectors.tone import respectful_tone

CORE_DETECTORS: dict[str, Detector] = {
    "acknowledge_emotion": acknowledge_emotion,
    "take_ownership": take_ownership,
    "set_expectations": set_expectations,
    "personalize": personalize,
    "ask_question": ask_question,
    "offer_escalation": offer_escalation,
    "respectful_tone": respectful_tone,
}

__all__ = ["CORE_DETECTORS", "Detection", "Detector"]
