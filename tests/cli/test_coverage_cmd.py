"""``coverage``: the walk from the command line, failing on unreached turns and questions asked twice."""

from __future__ import annotations

from pathlib import Path

from tests.core.test_memory import SCENARIO


def test_a_scenario_that_asks_again_fails_and_says_where(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "memory.yaml"
    # Without its acknowledging variant the customer asks for the time after being given one.
    path.write_text(
        SCENARIO.replace(
            '      - when: fact.time\n        text: "{fact.time}, you said?',
            '      - text: "{fact.time|Then}, you said?',
        ),
        encoding="utf-8",
    )
    result = cli("coverage", "--runs", "5", str(path))
    assert result.code == 1
    assert "warning: confirm asks for fact.time after the trainee gave it" in result.out


def test_a_listening_scenario_passes(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "memory.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    result = cli("coverage", "--runs", "5", str(path))
    assert result.code == 0, result.out
    assert "every turn and ending was reached" in result.out
