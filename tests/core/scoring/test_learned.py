"""The learned half of the scorer: fitting, cuts, the model file, and how it changes verdicts."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from simulator.core.language.vectors import DIM
from simulator.core.scoring import training
from simulator.core.scoring.learned import N_FEATURES, CoreModels, LinearModel, load_models
from simulator.core.scoring.scorer import CORE_RUBRIC, RubricScorer, core_spec
from simulator.core.scoring.types import ScoringContext


def test_logistic_fit_separates_separable_data() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 5))
    y = (x[:, 0] - x[:, 1] > 0).astype(np.int8)
    w, b = training.fit_logistic(x, y, l2=0.1)
    predicted = (x @ w + b > 0).astype(np.int8)
    assert (predicted == y).mean() > 0.97
    assert w[0] > 0 > w[1]


def test_the_threshold_is_the_cut_with_the_best_kappa() -> None:
    p = np.array([0.1, 0.2, 0.3, 0.65, 0.7, 0.9])
    y = np.array([0, 0, 0, 0, 1, 1], np.int8)
    assert 0.65 < training.choose_threshold(p, y) <= 0.7


def test_sure_below_only_covers_pure_misses() -> None:
    p = np.linspace(0.0, 0.49, 50)
    y = np.zeros(50, np.int8)
    y[20] = 1  # a met answer at p=0.196: no cut above it is pure
    cut = training.choose_sure_below(p, y, threshold=0.5)
    assert 0.1 < cut < 0.2


def test_model_file_round_trips_and_refuses_another_table(tmp_path: Path) -> None:
    model = LinearModel(np.arange(N_FEATURES, dtype=np.float64) / 1000, -0.5, 0.45, 0.1)
    models = CoreModels({"take_ownership": model}, {"train_answers": 3})
    path = tmp_path / "m.json"
    path.write_text(models.to_json())
    loaded = load_models(path)
    assert loaded.models["take_ownership"].threshold == pytest.approx(0.45)
    assert loaded.meta == {"train_answers": 3}
    data = json.loads(path.read_text())
    data["table_version"] = 999
    other = tmp_path / "other.json"
    other.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="vector table"):
        load_models(other)
    data["table_version"] = 1
    data["criteria"]["take_ownership"]["weights"] = [0.0]
    other.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="weights"):
        load_models(other)


def constant(p: float, sure_below: float = 0.15) -> LinearModel:
    """A model that says ``p`` whatever the answer."""
    return LinearModel(np.zeros(N_FEATURES), float(np.log(p / (1 - p))), 0.5, sure_below)


RESPECT = (core_spec("respectful_tone"),)


def tone_context() -> ScoringContext:
    spec = core_spec("respectful_tone")
    from dataclasses import replace

    return ScoringContext(
        criteria=(replace(spec, auto_fail=True), core_spec("take_ownership")), customer_name="Frank Becker"
    )


def test_an_uncertain_tone_miss_costs_the_criterion_but_never_zeroes_the_turn() -> None:
    # The rules flag "calm down"; the model leans the other way (0.6 > its 0.5 cut), not clearly enough
    # to clear the flag: the criterion is missed, but the two disagree, so the turn is not zeroed.
    scorer = RubricScorer(models=CoreModels({"respectful_tone": constant(0.6)}, {}))
    score = scorer.score("Calm down, it's only a few days. I'll check the order.", tone_context())
    tone = score.get("respectful_tone")
    assert tone is not None and not tone.met and not tone.certain
    assert score.auto_failed == () and score.score > 0
    assert "not counted against the turn" in tone.note


def test_a_sure_tone_miss_with_the_words_to_show_auto_fails_and_says_why() -> None:
    scorer = RubricScorer(models=CoreModels({"respectful_tone": constant(0.01)}, {}))
    answer = "Calm down, it's only a few days."
    score = scorer.score(answer, tone_context())
    assert score.auto_failed == ("respectful_tone",) and score.score == 0
    (reason,) = score.auto_fail_reasons(answer)
    assert reason.startswith("Stays respectful: missed because of") and '"' in reason and "scored 0" in reason


def test_a_sure_model_without_words_to_cite_does_not_auto_fail_on_tone() -> None:
    scorer = RubricScorer(models=CoreModels({"respectful_tone": constant(0.01)}, {}))
    score = scorer.score("Thanks for waiting. I'll check the order.", tone_context())
    assert score.auto_failed == ()


def test_a_met_verdict_without_rule_words_cites_the_clause_that_carried_it() -> None:
    scorer = RubricScorer(models=CoreModels({}, {}))
    vector = scorer._vectors.embed("flagging transactions as fraud")
    weights = np.concatenate([vector * 40, np.zeros(N_FEATURES - DIM)])
    model = LinearModel(weights, -20.0, 0.5, 0.1)
    scorer = RubricScorer(models=CoreModels({"take_ownership": model}, {}))
    answer = "Thanks for calling tonight. Flagging both transactions as fraud right now."
    result = scorer.score(answer, ScoringContext(criteria=CORE_RUBRIC)).get("take_ownership")
    assert result is not None and result.met
    assert [answer[a:b] for a, b in result.evidence] == ["Flagging both transactions as fraud right now"]


def test_the_bundled_model_covers_every_learned_criterion() -> None:
    models = load_models()
    assert set(models.models) == set(training.LEARNED_CRITERIA)
    assert all(0 < m.threshold < 1 and 0 <= m.sure_below <= m.threshold for m in models.models.values())
