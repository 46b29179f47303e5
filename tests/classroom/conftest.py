"""Shared classroom fixtures: a bundled scenario, one scorer (compiling it is slow) and a way to play."""

from __future__ import annotations

from datetime import timedelta

import pytest

from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.store import Store, now
from tests.conftest import DATA, SCENARIOS

GOOD = "stolen-wallet--resolved_well.txt"
POOR = "stolen-wallet--hung_up.txt"
HANDOVER = "stolen-wallet--supervisor_handover.txt"


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return Catalog([SCENARIOS])


@pytest.fixture(scope="session")
def scenario(catalog: Catalog) -> Scenario:
    return catalog.get("stolen-wallet")


@pytest.fixture(scope="session")
def scorer() -> RubricScorer:
    return RubricScorer()


def lines(name: str) -> list[str]:
    return [line for line in (DATA / "paths" / name).read_text().splitlines() if line.strip()]


def play(
    store: Store,
    scenario: Scenario,
    scorer: RubricScorer,
    trainee_id: int,
    path: str,
    mode: str = "practice",
    seed: int = 1,
) -> int:
    """Play a scripted path to its end through the engine, recording it as the desktop app does."""
    session = Session(scenario, scorer, seed=seed)
    session.start()
    attempt = store.start_attempt(trainee_id, scenario, mode, seed, session.snapshot())
    for line in lines(path):
        shown = now()
        result = session.respond(line)
        summary = session.summary() if session.finished else None
        store.record_turn(
            attempt,
            result,
            session.snapshot(),
            shown_at=shown,
            answered_at=shown + timedelta(seconds=6),
            summary=summary,
        )
    return attempt
