"""The learned half of the core scorer: a linear model per criterion over what the answer means.

Rules alone judge strings, and miss the same act said in other words ("I'm flagging both
transactions as fraud now"). Each criterion here has a logistic model over the answer's static
vector (see ``simulator.core.language``) plus the rule detector's own verdict and flags, fitted on
the labelled corpus's training split (``scripts/train_scorer.py``). The rules still explain: when
they found the words, those are the evidence; when only the model is sure, the evidence is the
clause that pushed it furthest, and a trainee sees that clause highlighted.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simulator.core.language.vectors import DIM, TABLE_VERSION

MODEL_PATH = Path(__file__).with_name("core_model.json")
# personalize is a fact about names, which the rules check exactly; the rest are judgements.
LEARNED_CRITERIA = (
    "acknowledge_emotion",
    "take_ownership",
    "set_expectations",
    "ask_question",
    "offer_escalation",
    "respectful_tone",
)
EXTRA_FEATURES = ("rule_met", "rule_flagged", "question_mark", "words")
N_FEATURES = DIM + len(EXTRA_FEATURES)


def extra_features(rule_score: float, rule_flagged: bool, text: str) -> list[float]:
    words = len(text.split())
    return [
        1.0 if rule_score >= 0.5 else 0.0,
        1.0 if rule_flagged else 0.0,
        1.0 if "?" in text else 0.0,
        math.log1p(min(words, 400)) / 6.0,
    ]


@dataclass(frozen=True)
class LinearModel:
    """p(met) = sigmoid(w·x + b); met when p >= threshold; a miss is *sure* when p < sure_below."""

    weights: npt.NDArray[np.float64]
    bias: float
    threshold: float = 0.5
    sure_below: float = 0.15

    def logit(self, features: npt.NDArray[np.float64]) -> float:
        return float(features @ self.weights + self.bias)

    def probability(self, features: npt.NDArray[np.float64]) -> float:
        z = max(-40.0, min(40.0, self.logit(features)))
        return 1.0 / (1.0 + math.exp(-z))

    def semantic_push(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """How much each clause vector pushes towards met (the vector part of the logit)."""
        return np.asarray(vectors, np.float64) @ self.weights[:DIM]

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "sure_below": round(self.sure_below, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearModel:
        weights = np.array(data["weights"], np.float64)
        if weights.shape != (N_FEATURES,):
            raise ValueError(f"expected {N_FEATURES} weights, found {weights.shape[0]}")
        return cls(weights, float(data["bias"]), float(data["threshold"]), float(data["sure_below"]))


@dataclass(frozen=True)
class CoreModels:
    models: dict[str, LinearModel]
    meta: dict[str, Any]

    def get(self, criterion_id: str) -> LinearModel | None:
        return self.models.get(criterion_id)

    def to_json(self) -> str:
        data = {"table_version": TABLE_VERSION, "meta": self.meta}
        data["criteria"] = {cid: m.to_dict() for cid, m in sorted(self.models.items())}
        return json.dumps(data, indent=1) + "\n"


@lru_cache(maxsize=2)
def load_models(path: Path = MODEL_PATH) -> CoreModels:
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("table_version") != TABLE_VERSION:
        raise ValueError(f"{path} was trained for vector table v{data.get('table_version')}, not v{TABLE_VERSION}")
    models = {cid: LinearModel.from_dict(m) for cid, m in data["criteria"].items()}
    return CoreModels(models, dict(data.get("meta", {})))
