"""Fitting the learned half of the core scorer (used by ``scripts/train_scorer.py``).

Logistic regression by Newton's method with an L2 penalty, in numpy alone: about 4,900 features
(most of them hashed words) and two thousand answers solve in seconds through the Woodbury
identity. The
decision threshold is chosen on the dev split (never the frozen test sets); ``sure_below`` is the
probability under which the dev split holds no answer the raters marked met, so only an
unambiguous miss can auto-fail a turn.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from simulator.core.scoring.calibration import Sample, agreement
from simulator.core.scoring.learned import LEARNED_CRITERIA, CoreModels, LinearModel
from simulator.core.scoring.scorer import RubricScorer, _Meaning
from simulator.core.scoring.text import Answer

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Rows:
    x: Matrix
    y: npt.NDArray[np.int8]
    ids: list[str]


def feature_rows(
    samples: Iterable[Sample], criterion_id: str, rules: RubricScorer, cache: dict[str, Matrix] | None = None
) -> Rows:
    """One row per sample labelled on ``criterion_id``: the features the scorer computes at run time.

    ``cache`` (by sample id) spares recomputing an answer's features for each criterion."""
    cache = {} if cache is None else cache
    xs: list[Matrix] = []
    ys: list[int] = []
    ids: list[str] = []
    for sample in samples:
        if criterion_id not in sample.labels:
            continue
        if sample.id not in cache:
            answer = Answer.of(sample.response)
            cache[sample.id] = _Meaning(rules._vectors, answer.raw).features(rules, answer, sample.context)
        xs.append(cache[sample.id])
        ys.append(int(bool(sample.labels[criterion_id])))
        ids.append(sample.id)
    return Rows(np.array(xs, np.float64), np.array(ys, np.int8), ids)


def fit_logistic(x: Matrix, y: npt.NDArray[np.int8], l2: float = 1.0, iterations: int = 30) -> tuple[Matrix, float]:
    """Weights and bias minimising class-balanced log loss + l2/2·|w|² (the bias barely penalised).

    Newton's method; with more features than answers (hashed words) each step is solved through
    the Woodbury identity in answer space, so a 5,000-feature fit on 2,000 answers takes seconds.
    """
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.full(d + 1, l2)
    penalty[-1] = 1e-2
    # Balance the classes: a rare "met" (escalation) must not be drowned by the many misses.
    positives = max(1, int(y.sum()))
    negatives = max(1, n - positives)
    sample_weight = np.where(y == 1, n / (2 * positives), n / (2 * negatives))
    theta = np.zeros(d + 1)
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -40, 40)))
        gradient = design.T @ (sample_weight * (p - y)) + penalty * theta
        curvature = np.maximum(sample_weight * p * (1 - p), 1e-10)
        if d + 1 <= n:
            hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
        else:
            inverse = 1.0 / penalty
            scaled = design * inverse  # X P^-1
            inner = np.diag(1.0 / curvature) + scaled @ design.T
            step = inverse * gradient - scaled.T @ np.linalg.solve(inner, scaled @ gradient)
        theta -= step
        if float(np.abs(step).max()) < 1e-6:
            break
    return theta[:-1], float(theta[-1])


def choose_threshold(p: Matrix, y: npt.NDArray[np.int8]) -> float:
    """The cut with the best Cohen's kappa on the dev split (ties: closest to 0.5)."""
    best = (-2.0, 0.0, 0.5)
    for cut in np.arange(0.2, 0.81, 0.025):
        k = agreement("", zip((y == 1).tolist(), (p >= cut).tolist(), strict=True)).kappa
        key = (round(k, 4), -abs(cut - 0.5), float(cut))
        best = max(best, key)
    return best[2]


def choose_sure_below(p: Matrix, y: npt.NDArray[np.int8], threshold: float, margin: float = 0.9) -> float:
    """A cut under which the dev split holds no met answer at all (with a margin): a "sure" miss."""
    met = p[y == 1]
    lowest = float(met.min()) if len(met) else threshold
    return min(threshold, lowest) * margin


def train(train: Sequence[Sample], dev: Sequence[Sample], rules: RubricScorer, l2: float = 1.0) -> CoreModels:
    models: dict[str, LinearModel] = {}
    seen_train: dict[str, Matrix] = {}
    seen_dev: dict[str, Matrix] = {}
    for criterion_id in LEARNED_CRITERIA:
        rows = feature_rows(train, criterion_id, rules, seen_train)
        weights, bias = fit_logistic(rows.x, rows.y, l2)
        draft = LinearModel(weights, bias)
        held = feature_rows(dev, criterion_id, rules, seen_dev)
        p = np.array([draft.probability(row) for row in held.x])
        threshold = choose_threshold(p, held.y) if len(held.y) else 0.5
        sure = choose_sure_below(p, held.y, threshold) if len(held.y) else 0.0
        models[criterion_id] = LinearModel(weights, bias, threshold, sure)
    return CoreModels(models, {"train_answers": len(train), "dev_answers": len(dev), "l2": l2})
