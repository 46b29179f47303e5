"""How the rules' words and a learned model's probability make one verdict on a core criterion.

Its own small module (no numpy) because the scorer applies it to every answer and training applies
it on the dev split to choose each criterion's cuts: one definition, so the cuts are chosen for
exactly what is run.
"""

from __future__ import annotations

from typing import Protocol

# How sure the learned model must be before it overrules the rules' words, unless the model file
# says otherwise (each criterion's own cut is chosen on the dev split).
RULE_VETO = 0.05
TONE = "respectful_tone"


class Cuts(Protocol):
    @property
    def threshold(self) -> float: ...
    @property
    def sure_below(self) -> float: ...
    @property
    def rule_veto(self) -> float: ...


def combine(criterion_id: str, model: Cuts, p: float, *, evidence: bool, flagged: bool) -> tuple[bool, bool]:
    """(met, sure) from the rules' detection and the model's p: the one decision rule, shared by the
    scorer and by training's choice of cuts on dev (so the cuts are chosen for what is run).

    Words the rules found stand unless the model is clearly against them. Respect is the absence of a
    violation: a rule's flag stands unless the model is clearly for respect, reassurance the rules
    recognise stands unless the model is clearly against it, and otherwise the model decides;
    a tone miss is *sure* (may auto-fail a turn) only when the rules found the words and the model agrees.
    A tone miss from the model alone costs the criterion, never the turn.
    """
    if criterion_id == TONE:
        if flagged:
            if p >= 1.0 - model.rule_veto:
                return True, True
            return False, p < model.threshold
        if evidence:
            return p >= model.rule_veto, False
        return p >= model.threshold, False
    if evidence and p >= model.rule_veto:
        return True, True
    if p >= model.threshold:
        return True, True
    return False, (flagged and p < model.threshold) or p < model.sure_below
