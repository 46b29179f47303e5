"""The learned half of the core scorer: a linear model per criterion over what the answer means.

Rules alone judge strings, and miss the same act said in other words ("I'm flagging both
transactions as fraud now"). Each criterion here has a logistic model over the answer's static
vector and clauses (see ``simulator.core.language``), every core rule's verdict and flags, and its
hashed words and word pairs, fitted on the labelled corpus's training split
(``scripts/train_scorer.py``). The rules still explain: when they found the words, those are the
evidence; when only the model is sure, the evidence is the clause that pushed it furthest, and a
trainee sees that clause highlighted.
"""

from __future__ import annotations

import itertools
import json
import math
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from simulator.core.language.vectors import DIM, TABLE_VERSION
from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.decision import RULE_VETO

MODEL_PATH = Path(__file__).with_name("core_model.json")
# The feature layout follows the catalog's order; changing it means refitting core_model.json.
CORE_IDS = tuple(CORE_CRITERIA)
# personalize is a fact about names, which the rules check exactly; the rest are judgements.
LEARNED_CRITERIA = tuple(cid for cid in CORE_IDS if cid != "personalize")
# Word and word-pair features, hashed (crc32, stable across machines and Python runs) into a fixed
# space: they let the model learn phrasings the rules never listed ("to be fair", "funnily enough").
HASH_DIM = 4096
_TOKEN = re.compile(r"[a-z0-9']+")
# Layout of a feature vector: answer vector, clause-wise maximum, every core rule's verdict and
# flags (one criterion's rule informs another: blame words say something about empathy), shape, words.
MEAN, MAX = slice(0, DIM), slice(DIM, 2 * DIM)
RULES_AT = 2 * DIM
SHAPE_AT = RULES_AT + 2 * len(CORE_IDS)
HASH_AT = SHAPE_AT + 2
N_FEATURES = HASH_AT + HASH_DIM


def hashed_terms(text: str) -> list[int]:
    """Feature indices of the words and adjacent word pairs of ``text`` (lowercased)."""
    words = _TOKEN.findall(text.lower())
    terms = words + [f"{a}_{b}" for a, b in itertools.pairwise(words)]
    return sorted({HASH_AT + zlib.crc32(t.encode("utf-8")) % HASH_DIM for t in terms})


def answer_features(
    text: str,
    vector: npt.NDArray[np.float32],
    clause_vectors: npt.NDArray[np.float32],
    rules: dict[str, tuple[float, bool]],
) -> npt.NDArray[np.float64]:
    """The feature vector the models read, shared by every criterion of one answer."""
    x = np.zeros(N_FEATURES, np.float64)
    x[MEAN] = vector
    if len(clause_vectors):
        x[MAX] = clause_vectors.max(axis=0)
    for i, cid in enumerate(CORE_IDS):
        score, flagged = rules.get(cid, (0.0, False))
        x[RULES_AT + 2 * i] = 1.0 if score >= 0.5 else 0.0
        x[RULES_AT + 2 * i + 1] = 1.0 if flagged else 0.0
    x[SHAPE_AT] = 1.0 if "?" in text else 0.0
    x[SHAPE_AT + 1] = math.log1p(min(len(text.split()), 400)) / 6.0
    x[hashed_terms(text)] = 1.0
    return x


@dataclass(frozen=True)
class LinearModel:
    """p(met) = sigmoid(w·x + b); met when p >= threshold; a miss is *sure* when p < sure_below.

    ``rule_veto``: the rules' words stand unless p < rule_veto (for tone: a flag stands unless
    p >= 1 - rule_veto)."""

    weights: npt.NDArray[np.float64]
    bias: float
    threshold: float = 0.5
    sure_below: float = 0.15
    rule_veto: float = RULE_VETO

    def logit(self, features: npt.NDArray[np.float64]) -> float:
        return float(features @ self.weights + self.bias)

    def probability(self, features: npt.NDArray[np.float64]) -> float:
        z = max(-40.0, min(40.0, self.logit(features)))
        return 1.0 / (1.0 + math.exp(-z))

    def clause_push(self, texts: list[str], vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        """How much each clause, on its own, pushes towards met: its meaning and its words."""
        meaning = np.asarray(vectors, np.float64) @ (self.weights[MEAN] + self.weights[MAX])
        words = np.array([self.weights[hashed_terms(t)].sum() for t in texts]) if texts else np.zeros(0)
        return meaning + words

    def to_dict(self) -> dict[str, Any]:
        return {
            "weights": [round(float(w), 6) for w in self.weights],
            "bias": round(self.bias, 6),
            "threshold": round(self.threshold, 4),
            "sure_below": round(self.sure_below, 4),
            "rule_veto": round(self.rule_veto, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearModel:
        weights = np.array(data["weights"], np.float64)
        if weights.shape != (N_FEATURES,):
            raise ValueError(f"expected {N_FEATURES} weights, found {weights.shape[0]}")
        veto = float(data.get("rule_veto", RULE_VETO))
        return cls(weights, float(data["bias"]), float(data["threshold"]), float(data["sure_below"]), veto)


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
