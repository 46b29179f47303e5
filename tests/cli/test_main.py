"""The entry point: --version, --help, the menu without a command, and ``python -m simulator``."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib

import pytest

from simulator import __version__

from .conftest import ROOT, flat

COMMANDS = ["validate", "list", "play", "score", "calibrate", "schema"]


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert result.out == f"empathy-trainer {__version__}\n"
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert __version__ == pyproject["project"]["version"]


def test_help_lists_every_command(cli):
    result = cli("--help")
    assert result.code == 0
    assert result.out.startswith("usage: empathy-trainer")
    for command in COMMANDS:
        assert command in result.out


def test_unknown_command_is_a_usage_error(cli):
    result = cli("frobnicate")
    assert result.code == 2
    assert "invalid choice: 'frobnicate'" in result.err


def check_menu(out: str, bundled: dict) -> None:
    lines = out.splitlines()
    assert lines[0] == "Empathy Trainer: choose a scenario"
    for number, scenario_id in enumerate(sorted(bundled), 1):
        data = bundled[scenario_id]
        assert f"  {number}. {data['title']}  ({data['channel']}, {data['difficulty']})" in lines
    assert f"Number (1-{len(bundled)}), or q to quit: " in out


@pytest.mark.parametrize("stdin", ["q\n", ""], ids=["q", "eof"])
def test_no_command_lists_scenarios_and_quits(cli, bundled, stdin):
    result = cli(stdin=stdin)
    assert result.code == 0
    check_menu(result.out, bundled)
    assert "You>" not in result.out


def test_no_command_plays_the_chosen_scenario(cli, bundled, stolen_wallet):
    number = sorted(bundled).index("stolen-wallet") + 1
    result = cli(stdin=f"{number}\n")
    assert result.code == 0
    check_menu(result.out, bundled)
    assert "Stolen wallet at 2 a.m.  [phone, practice mode]" in result.out
    opening = next(n for n in stolen_wallet["nodes"] if n["id"] == "opening")
    angry = next(v["text"] for v in opening["say"] if v.get("mood") == "angry").strip()
    assert flat(f"Maria Alvarez: {angry}") in result.flat
    assert "this attempt is not finished" in result.out


def test_no_command_with_no_scenarios(cli, tmp_path):
    result = cli("--scenarios", str(tmp_path))
    assert result.code == 1
    assert "No scenarios found." in result.err


def test_interrupt_exits_130(cli, monkeypatch):
    class Interrupted:
        def readline(self) -> str:
            raise KeyboardInterrupt

    monkeypatch.setattr(sys, "stdin", Interrupted())
    result = cli("play", "stolen-wallet")
    assert result.code == 130
    assert result.err.strip() == "Interrupted."


def test_module_entry_point():
    env = {k: v for k, v in os.environ.items() if k != "EMPATHY_TRAINER_SCENARIOS"}
    completed = subprocess.run(
        [sys.executable, "-m", "simulator", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.startswith("usage: empathy-trainer")
    assert "Practise difficult customer conversations offline." in completed.stdout
    for command in COMMANDS:
        assert command in completed.stdout
