"""Plays by trainees who never saw the rules (tests/data/plays), replayed as scripted tests.

Each file is one agent's answers, turn by turn, to a bundled scenario played with seed 7 in the
terminal player: an excellent typed agent, an excellent agent speaking (speech-recogniser style),
a mediocre one and a rude one. Excellent plays must resolve, rude ones never, and no answer of an
excellent or mediocre play may zero its turn by an auto-fail. The players' notes on what the
customer said are in the ``*--notes.md`` files beside them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.model import Outcome
from simulator.core.scoring.scorer import RubricScorer

ROOT = Path(__file__).resolve().parents[2]
PLAYS = sorted((ROOT / "tests" / "data" / "plays").glob("*--*.txt"))
CATALOG = Catalog([ROOT / "scenarios"])
SCORER = RubricScorer()
# Plays whose expectation the scorer or scenario does not meet yet, with what goes wrong.
KNOWN: dict[str, str] = {}


def replay(path: Path) -> Session:
    scenario_id, _persona = path.stem.split("--")
    session = Session(CATALOG.get(scenario_id), SCORER, seed=7)
    session.start()
    for answer in path.read_text(encoding="utf-8").splitlines():
        if answer.strip() and session.ending is None:
            session.respond(answer)
    return session


def marks(path: Path) -> list[pytest.MarkDecorator]:
    reason = KNOWN.get(path.stem)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem, marks=marks(p)) for p in PLAYS])
def test_independent_play_ends_as_its_agent_deserves(path: Path) -> None:
    persona = path.stem.split("--")[1]
    session = replay(path)
    assert session.ending is not None, "the play ran out of answers: the scenario's path changed under it"
    outcome = session.ending.outcome
    if persona.startswith("excellent"):
        assert outcome is Outcome.RESOLVED
    if persona == "rude":
        assert outcome is not Outcome.RESOLVED
    if persona != "rude":
        zeroed = [t.index for t in session.history if t.score.auto_failed]
        assert zeroed == [], f"respectful answers auto-failed at turns {zeroed}"
