"""Shared classroom fixtures: a bundled scenario, one scorer (compiling it is slow) and a way to play."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from simulator.classroom.assignment_file import export_assignment
from simulator.classroom.results_import import Rescorer
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS
from tests.recording import record_attempt

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
    return record_attempt(store, scenario, scorer, trainee_id, lines(path), mode=mode, seed=seed, answer_seconds=6)


TRAINER_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))  # a fixed trainer key for tests


def handout(assignment: Assignment, trainee: str, text: str | None = None) -> bytes:
    """The signed assignment file the trainer makes for one trainee."""
    return export_assignment(assignment, trainee, TRAINER_KEY, text)


def rescorer(catalog: Catalog, scorer: RubricScorer) -> Rescorer:
    """The trainer's re-scoring: the bundled library and the session's scorer."""
    return Rescorer(lambda: catalog.scenarios, lambda: scorer)
