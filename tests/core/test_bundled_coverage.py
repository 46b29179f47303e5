"""Every bundled scenario: the coverage walk reaches every turn and ending, and no customer asks
for what the trainee already gave (issue 14's bar for the rewritten scenarios)."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.authoring.coverage import walk
from simulator.core.loader import load_file
from simulator.core.scoring.scorer import RubricScorer

SCENARIOS = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
SCORER = RubricScorer()


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_every_turn_and_ending_is_reached_and_nothing_is_asked_twice(path: Path) -> None:
    scenario = load_file(path)
    assert [w.format() for w in scenario.warnings] == []
    report = walk(scenario, SCORER, runs_per_quality=60, seed=0)
    assert report.unreached_nodes == [], report.to_text()
    assert report.unreached_endings == [], report.to_text()
    assert report.asked_again == {}, report.to_text()
