"""Shared test helpers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No test depends on the developer's own scenario folders, or writes into their data folder."""
    monkeypatch.delenv("EMPATHY_TRAINER_SCENARIOS", raising=False)
    monkeypatch.setenv("EMPATHY_TRAINER_DATA", str(tmp_path_factory.mktemp("data")))
