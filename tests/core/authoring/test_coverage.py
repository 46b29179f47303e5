"""Coverage walks play the bundled scenarios with generated answers and report what they reach."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from simulator.core.authoring.coverage import POOR_LINES, AnswerMaker, Quality, walk
from simulator.core.authoring.templates import new_scenario_text
from simulator.core.loader import load_file, load_text
from simulator.core.scoring.scorer import RubricScorer

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


@pytest.fixture(scope="module")
def scorer() -> RubricScorer:
    return RubricScorer()


def test_stolen_wallet_reaches_every_ending_or_says_which_not(scorer: RubricScorer) -> None:
    scenario = load_file(SCENARIOS / "stolen-wallet.yaml")
    report = walk(scenario, scorer, runs_per_quality=20, seed=0)
    assert report.runs == 60 and report.runs_by_quality == {"good": 20, "average": 20, "poor": 20}
    endings = {e.id for e in scenario.endings}
    assert set(report.reached_endings) | set(report.unreached_endings) == endings
    assert not set(report.reached_endings) & set(report.unreached_endings)
    assert sum(report.ending_counts.values()) == report.runs  # every run ends
    assert report.unreached_endings == []  # today's scenario and generator reach them all
    text = report.to_text()
    assert "every turn and ending was reached" in text
    for ending in endings:
        assert f"    {ending}: " in text


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_bundled_scenario_report_is_consistent(path: Path, scorer: RubricScorer) -> None:
    scenario = load_file(path)
    report = walk(scenario, scorer, runs_per_quality=8, seed=1)
    nodes = {n.id for n in scenario.nodes}
    assert set(report.reached_nodes) | set(report.unreached_nodes) == nodes
    assert not set(report.reached_nodes) & set(report.unreached_nodes)
    assert scenario.start in report.reached_nodes
    assert report.node_visits[scenario.start] == report.runs
    for never in report.unreached_endings:
        assert "never reached endings: " in report.to_text() and never in report.to_text()
    assert all(node in report.reached_nodes for node, _label in report.never_taken)


def test_same_seed_same_report(scorer: RubricScorer) -> None:
    scenario = load_file(SCENARIOS / "delayed-order.yaml")
    first = walk(scenario, scorer, runs_per_quality=5, seed=7)
    again = walk(scenario, scorer, runs_per_quality=5, seed=7)
    assert first == again


def test_unreachable_by_answers_is_reported(scorer: RubricScorer) -> None:
    # A branch the validator accepts but no answer can take: mood can never be above 100.
    text = new_scenario_text("dead-branch", "Dead branch").replace(
        "      - when: met.acknowledge_emotion and met.take_ownership\n        to: next_steps",
        "      - when: mood > 100\n        to: next_steps",
    )
    text = text.replace(
        "      - when: met.take_ownership and met.set_expectations\n        to: next_steps",
        "      - when: mood > 100\n        to: next_steps",
    )
    scenario = load_text(text)
    report = walk(scenario, scorer, runs_per_quality=4)
    assert report.unreached_nodes == ["next_steps"]
    assert "resolved" in report.unreached_endings
    assert "never reached turns: next_steps" in report.to_text()


def test_answers_by_quality() -> None:
    scenario = load_file(SCENARIOS / "stolen-wallet.yaml")
    maker = AnswerMaker(scenario)
    node = scenario.node("card_locked")
    rng = random.Random(3)
    assert maker.answer(node, Quality.POOR, rng) in POOR_LINES
    goods = {maker.answer(node, Quality.GOOD, rng) for _ in range(30)}
    assert node.model_answer in goods and len(goods) > 3
    assert any("Thanks for staying with me, Maria." in g for g in goods)
    average = maker.answer(node, Quality.AVERAGE, rng)
    assert average and average != node.model_answer
