"""Shared fixtures for the command-line tests: run the CLI in-process and read the bundled scenarios."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
STOLEN_WALLET = SCENARIOS / "stolen-wallet.yaml"


@dataclass
class Result:
    code: int
    out: str
    err: str

    @property
    def out_lines(self) -> list[str]:
        return self.out.splitlines()

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()

    @property
    def flat(self) -> str:
        """The output with all whitespace runs folded: the player wraps long lines to the terminal."""
        return " ".join(self.out.split())


def flat(text: str) -> str:
    return " ".join(text.split())


Runner = Callable[..., Result]


@pytest.fixture(autouse=True)
def _bundled_scenarios_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """A trainer's EMPATHY_TRAINER_SCENARIOS must not change what the tests see."""
    monkeypatch.delenv("EMPATHY_TRAINER_SCENARIOS", raising=False)
    # No display: a bare `empathy-trainer` must fall back to the terminal player here, whatever other
    # test modules (tests/ui sets QT_QPA_PLATFORM=offscreen) put in the environment.
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Runner:
    """``cli(*argv, stdin=None)`` runs ``main(argv)`` and returns its exit code and captured output."""

    def run(*argv: str, stdin: str | None = None) -> Result:
        if stdin is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: --version, --help, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def _load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="session")
def bundled() -> dict[str, dict[str, Any]]:
    """The bundled scenarios as plain YAML data, by id (read independently of the simulator)."""
    scenarios: dict[str, dict[str, Any]] = {}
    for path in sorted(SCENARIOS.glob("*.yaml")):
        data = _load(path)
        scenarios[data["id"]] = data
    assert scenarios, "no bundled scenarios found"
    return scenarios


@pytest.fixture(scope="session")
def stolen_wallet() -> dict[str, Any]:
    return _load(STOLEN_WALLET)


@pytest.fixture(scope="session")
def stolen_wallet_text() -> str:
    return STOLEN_WALLET.read_text(encoding="utf-8")


def position(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """1-based (line, column) of ``needle`` (plus ``offset`` characters) in ``text``."""
    index = text.index(needle) + offset
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


@pytest.fixture(scope="session")
def locate() -> Callable[..., tuple[int, int]]:
    return position
