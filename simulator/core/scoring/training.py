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
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from simulator.core.scoring.calibration import Sample, agreement
from simulator.core.scoring.decision import RULE_VETO, TONE, combine
from simulator.core.scoring.learned import LEARNED_CRITERIA, SHAPE_AT, CoreModels, LinearModel
from simulator.core.scoring.scorer import RubricScorer, _Meaning
from simulator.core.scoring.text import Answer

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Rows:
    x: Matrix
    y: npt.NDArray[np.int8]
    ids: list[str]
    # What the criterion's rule found on each answer: words that earn it, words that cost it.
    words: npt.NDArray[np.bool_] | None = None
    flagged: npt.NDArray[np.bool_] | None = None


Seen = dict[str, tuple[Matrix, dict[str, tuple[bool, bool]]]]


def feature_rows(samples: Iterable[Sample], criterion_id: str, rules: RubricScorer, cache: Seen | None = None) -> Rows:
    """One row per sample labelled on ``criterion_id``: the features the scorer computes at run time.

    ``cache`` (by sample id) spares recomputing an answer's features and rules for each criterion."""
    cache = {} if cache is None else cache
    xs: list[Matrix] = []
    ys: list[int] = []
    ids: list[str] = []
    words: list[bool] = []
    flagged: list[bool] = []
    for sample in samples:
        if criterion_id not in sample.labels:
            continue
        if sample.id not in cache:
            answer = Answer.of(sample.response)
            meaning = _Meaning(rules._vectors, answer.raw)
            features = meaning.features(rules, answer, sample.context)
            found = {}
            for cid in LEARNED_CRITERIA:
                d = meaning.rule(rules, cid, answer, sample.context)
                found[cid] = (d.met and bool(d.evidence), bool(d.flags))
            cache[sample.id] = (features, found)
        features, found = cache[sample.id]
        xs.append(features)
        ys.append(int(bool(sample.labels[criterion_id])))
        ids.append(sample.id)
        words.append(found[criterion_id][0])
        flagged.append(found[criterion_id][1])
    return Rows(np.array(xs, np.float64), np.array(ys, np.int8), ids, np.array(words), np.array(flagged))


def fit_logistic(x: Matrix, y: npt.NDArray[np.int8], l2: float = 1.0, iterations: int = 30) -> tuple[Matrix, float]:
    """Weights and bias minimising class-balanced log loss + l2/2·|w|² (the bias barely penalised).

    Newton's method; with more features than answers (hashed words) each step is solved through
    the Woodbury identity in answer space, so a 5,000-feature fit on 2,000 answers takes seconds.
    """
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    penalty = np.full(d + 1, float(l2))  # a float array: an int l2 would zero the bias penalty below
    penalty[-1] = 1e-2
    # Balance the classes: a rare "met" (escalation) must not be drowned by the many misses.
    positives = max(1, int(y.sum()))
    negatives = max(1, n - positives)
    sample_weight = np.where(y == 1, n / (2 * positives), n / (2 * negatives))
    theta = np.zeros(d + 1)
    wide = d + 1 > n
    # Wide case: design·P⁻¹·designᵀ = x·xᵀ/l2 + 11ᵀ/bias_penalty is the same every step, so it is
    # formed once (the costly n×d×n product) and each Newton step is one n×n solve.
    gram = (x @ x.T) / penalty[0] + 1.0 / penalty[-1] if wide else None
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(design @ theta, -40, 40)))
        gradient = design.T @ (sample_weight * (p - y)) + penalty * theta
        curvature = np.maximum(sample_weight * p * (1 - p), 1e-10)
        if gram is None:
            hessian = (design * curvature[:, None]).T @ design + np.diag(penalty)
            step = np.linalg.solve(hessian, gradient)
        else:
            inverse = 1.0 / penalty
            inner = np.diag(1.0 / curvature) + gram
            step = inverse * gradient - inverse * (design.T @ np.linalg.solve(inner, design @ (inverse * gradient)))
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


def _kappa(y: npt.NDArray[np.int8], met: list[bool]) -> float:
    return agreement("", zip((y == 1).tolist(), met, strict=True)).kappa


def choose_cuts(criterion_id: str, model: LinearModel, p: Matrix, rows: Rows) -> tuple[float, float, float]:
    """(kappa, threshold, rule_veto) with the best kappa on dev for the decision the scorer runs.

    The rules' words and the model are combined by ``decision.combine``; choosing the model's cut
    alone would tune a decision that is never made. Ties go to the cut nearest 0.5 and the
    smallest veto (the rules' words overruled least)."""
    assert rows.words is not None and rows.flagged is not None
    best = (-2.0, 0.0, 0.0, 0.5, RULE_VETO)
    for veto in VETOES:
        for cut in np.arange(0.2, 0.81, 0.025):
            trial = replace(model, threshold=float(cut), rule_veto=veto)
            met = [
                combine(criterion_id, trial, float(pi), evidence=bool(w), flagged=bool(f))[0]
                for pi, w, f in zip(p, rows.words, rows.flagged, strict=True)
            ]
            k = round(_kappa(rows.y, met), 4)
            best = max(best, (k, -abs(float(cut) - 0.5), -veto, float(cut), veto))
    return best[0], best[3], best[4]


# The rules' words are overruled only by a model that is clearly against them: larger vetoes raise
# agreement on the long replies of the dev split but let the model (fitted mostly on long replies)
# overrule plain short answers ("I can hear how frustrated you are.").
VETOES = (0.02, 0.05, 0.1)
# Features a criterion's model must not use. Rude replies in the corpus run short, so length alone
# predicts disrespect there; the definition says a curt but polite answer is respectful.
WITHOUT: dict[str, tuple[int, ...]] = {TONE: (SHAPE_AT + 1,)}


def train(
    train: Sequence[Sample], dev: Sequence[Sample], rules: RubricScorer, l2: float | Sequence[float] = 1.0
) -> CoreModels:
    """Fit each learned criterion; its regularisation (from ``l2``), cut and rule veto chosen on dev."""
    l2s = [float(l2)] if isinstance(l2, int | float) else [float(v) for v in l2]
    models: dict[str, LinearModel] = {}
    seen_train: Seen = {}
    seen_dev: Seen = {}
    chosen: dict[str, float] = {}
    for criterion_id in LEARNED_CRITERIA:
        rows = feature_rows(train, criterion_id, rules, seen_train)
        held = feature_rows(dev, criterion_id, rules, seen_dev)
        if criterion_id in WITHOUT:
            # A zero column gets a zero weight (the penalty pulls it there and no gradient pushes back).
            rows = replace(rows, x=rows.x.copy())
            rows.x[:, list(WITHOUT[criterion_id])] = 0.0
        best: tuple[float, LinearModel] | None = None
        for strength in l2s:
            weights, bias = fit_logistic(rows.x, rows.y, strength)
            draft = LinearModel(weights, bias)
            if not len(held.y):
                best, chosen[criterion_id] = (0.0, draft), strength
                break
            p = np.array([draft.probability(row) for row in held.x])
            kappa, threshold, veto = choose_cuts(criterion_id, draft, p, held)
            sure = choose_sure_below(p, held.y, threshold)
            if best is None or kappa > best[0]:
                best = (kappa, LinearModel(weights, bias, threshold, sure, veto))
                chosen[criterion_id] = strength
        assert best is not None
        models[criterion_id] = best[1]
    meta = {"train_answers": len(train), "dev_answers": len(dev), "l2": chosen}
    return CoreModels(models, meta)
