"""The scenarios we ship: valid, rich enough, and each scripted path ends where it should."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext
from tests.conftest import DATA, SCENARIOS

SEEDS = ("stolen-wallet", "blocked-project-manager", "delayed-order")
PATHS = sorted((DATA / "paths").glob("*.txt"))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog([SCENARIOS])


def test_all_bundled_scenarios_are_valid(catalog: Catalog) -> None:
    assert catalog.problems == []
    assert len(catalog.scenarios) >= 5
    assert {s.channel.value for s in catalog.scenarios} == {"phone", "chat", "email"}


@pytest.mark.parametrize("scenario_id", SEEDS)
def test_seed_scenarios_are_rich(catalog: Catalog, scenario_id: str) -> None:
    scenario = catalog.get(scenario_id)
    # The validator already guarantees every node is reachable from the start.
    assert len(scenario.nodes) >= 8
    assert len({e.outcome for e in scenario.endings}) >= 3


@pytest.mark.parametrize("scenario_id", (*SEEDS, "internet-outage", "subscription-refund"))
def test_every_node_is_written_out(catalog: Catalog, scenario_id: str) -> None:
    scenario = catalog.get(scenario_id)
    for node in scenario.nodes:
        assert node.hint and node.model_answer, node.id
        assert "respectful_tone" in node.criteria, node.id


def test_model_answers_earn_every_criterion_of_their_turn(catalog: Catalog) -> None:
    scorer = RubricScorer()
    misses = []
    for scenario in catalog.scenarios:
        for node in scenario.nodes:
            context = ScoringContext(
                criteria=scenario.criteria_for(node),
                customer_line=node.lines[0].text,
                customer_name=scenario.persona.name,
                channel=scenario.channel.value,
            )
            missed = scorer.score(node.model_answer, context).missed
            if missed:
                misses.append(f"{scenario.id}/{node.id}: {sorted(missed)}")
    assert not misses, misses


def _play(scenario: Scenario, answers: list[str]) -> Session:
    session = Session(scenario, RubricScorer())
    turn = session.start()
    for answer in answers:
        if turn is None:
            break
        turn = session.respond(answer).next_turn
    return session


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_scripted_path_reaches_its_ending(catalog: Catalog, path: Path) -> None:
    scenario_id, ending_id = path.stem.split("--")
    answers = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    session = _play(catalog.get(scenario_id), answers)
    assert session.finished, f"{path.name}: the conversation did not end"
    assert session.ending is not None and session.ending.id == ending_id
    assert len(session.history) == len(answers), "every scripted answer is used"


@pytest.mark.parametrize("scenario_id", SEEDS)
def test_seed_scenarios_have_three_paths_to_different_outcomes(catalog: Catalog, scenario_id: str) -> None:
    scenario = catalog.get(scenario_id)
    outcomes = {scenario.ending(p.stem.split("--")[1]).outcome for p in PATHS if p.stem.startswith(scenario_id + "--")}
    assert len(outcomes) >= 3


def test_good_answers_calm_and_poor_answers_anger(catalog: Catalog) -> None:
    good = _play(
        catalog.get("stolen-wallet"), (DATA / "paths" / "stolen-wallet--resolved_well.txt").read_text().splitlines()
    )
    poor = _play(catalog.get("stolen-wallet"), (DATA / "paths" / "stolen-wallet--hung_up.txt").read_text().splitlines())
    assert good.history[0].mood_change < 0 < poor.history[0].mood_change
    assert good.summary().score > 70 > 30 > poor.summary().score
