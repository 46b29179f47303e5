"""``validate``: bundled scenarios pass; broken files are reported as FILE:LINE:COL with hints."""

from __future__ import annotations

import json
import re
from pathlib import Path

from .conftest import SCENARIOS

PROBLEM_LINE = re.compile(r"^(?P<file>.+):(?P<line>\d+):(?P<col>\d+): (?P<message>.+)$")

# The opening node's second transition; card_locked stays reachable through the other nodes.
UNKNOWN_TARGET_OLD = "      - when: met.lock_card_first and met.take_ownership\n        to: card_locked\n"
UNKNOWN_TARGET_NEW = "      - when: met.lock_card_first and met.take_ownership\n        to: card_lokced\n"
SYNTAX_OLD = "channel: phone\n"
SYNTAX_NEW = "channel: phone: landline\n"


def problem_lines(output: str) -> list[re.Match[str]]:
    return [m for m in map(PROBLEM_LINE.match, output.splitlines()) if m]


def write_unknown_target(tmp_path: Path, text: str) -> tuple[Path, str]:
    assert text.count(UNKNOWN_TARGET_OLD) == 1
    broken = text.replace(UNKNOWN_TARGET_OLD, UNKNOWN_TARGET_NEW)
    path = tmp_path / "unknown-target.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def write_syntax_error(tmp_path: Path, text: str) -> tuple[Path, str]:
    assert text.count(SYNTAX_OLD) == 1
    broken = text.replace(SYNTAX_OLD, SYNTAX_NEW)
    path = tmp_path / "syntax-error.yaml"
    path.write_text(broken, encoding="utf-8")
    return path, broken


def test_bundled_scenarios_have_no_problems(cli):
    files = sorted(SCENARIOS.glob("*.yaml"))
    result = cli("validate")
    assert result.code == 0
    assert result.out_lines == [f"{len(files)} scenario files checked: no problems."]
    assert result.err == ""


def test_bundled_scenarios_json(cli):
    files = sorted(SCENARIOS.glob("*.yaml"))
    result = cli("validate", "--json", str(SCENARIOS))
    assert result.code == 0
    assert json.loads(result.out) == {"checked": len(files), "valid": len(files), "problems": []}


def test_single_file_uses_singular_wording(cli):
    result = cli("validate", str(SCENARIOS / "stolen-wallet.yaml"))
    assert result.code == 0
    assert result.out_lines == ["1 scenario file checked: no problems."]


def test_global_scenarios_option_is_the_default_path(cli, tmp_path, stolen_wallet_text):
    (tmp_path / "only.yaml").write_text(stolen_wallet_text, encoding="utf-8")
    write_syntax_error(tmp_path, stolen_wallet_text)
    result = cli("--scenarios", str(tmp_path), "validate")
    assert result.code == 1
    assert result.out_lines[-1] == "1 problem(s) in 2 files."


def test_unknown_transition_target(cli, tmp_path, stolen_wallet_text, locate):
    path, text = write_unknown_target(tmp_path, stolen_wallet_text)
    line, col = locate(text, UNKNOWN_TARGET_NEW, len(UNKNOWN_TARGET_NEW) - len("card_lokced\n"))
    assert text.splitlines()[line - 1] == "        to: card_lokced"

    result = cli("validate", str(path))
    assert result.code == 1
    lines = result.out_lines
    expected_prefix = f"{path}:{line}:{col}: "
    hits = [i for i, text_line in enumerate(lines) if text_line.startswith(expected_prefix)]
    assert len(hits) == 1, lines
    assert "unknown" in lines[hits[0]]
    assert "'card_lokced'" in lines[hits[0]]
    hint = lines[hits[0] + 1]
    assert hint.startswith("    hint: ")
    assert "card_locked" in hint  # the suggestion names the id that was meant
    # Every problem line is FILE:LINE:COL: message, each followed by its hint.
    problems = problem_lines(result.out)
    assert problems and all(m["file"] == str(path) for m in problems)
    assert lines[-1] == f"{len(problems)} problem(s) in 1 file."


def test_yaml_syntax_error(cli, tmp_path, stolen_wallet_text, locate):
    path, text = write_syntax_error(tmp_path, stolen_wallet_text)
    line, col = locate(text, SYNTAX_NEW, len("channel: phone"))
    assert text.splitlines()[line - 1] == "channel: phone: landline"

    result = cli("validate", str(path))
    assert result.code == 1
    lines = result.out_lines
    assert lines[0].startswith(f"{path}:{line}:{col}: ")
    assert "YAML syntax error" in lines[0]
    assert lines[1].startswith("    hint: ")
    assert "quoted" in lines[1]
    assert lines[2] == "1 problem(s) in 1 file."
    assert len(lines) == 3


def test_json_lists_the_problems(cli, tmp_path, stolen_wallet_text, locate):
    syntax_path, syntax_text = write_syntax_error(tmp_path, stolen_wallet_text)
    unknown_path, unknown_text = write_unknown_target(tmp_path, stolen_wallet_text)
    result = cli("validate", "--json", str(tmp_path))
    assert result.code == 1
    report = json.loads(result.out)
    assert report["checked"] == 2
    assert report["valid"] == 0
    problems = report["problems"]
    for problem in problems:
        assert set(problem) == {"file", "line", "col", "message", "hint", "severity"}
        assert problem["hint"], problem
    assert problems == sorted(problems, key=lambda p: (p["file"], p["line"], p["col"]))

    syntax = [p for p in problems if p["file"] == str(syntax_path)]
    assert len(syntax) == 1
    assert (syntax[0]["line"], syntax[0]["col"]) == locate(syntax_text, SYNTAX_NEW, len("channel: phone"))

    line, col = locate(unknown_text, UNKNOWN_TARGET_NEW, len(UNKNOWN_TARGET_NEW) - len("card_lokced\n"))
    unknown = [p for p in problems if p["file"] == str(unknown_path) and "card_lokced" in p["message"]]
    assert [(p["line"], p["col"]) for p in unknown] == [(line, col)]


def test_missing_path_is_reported(cli, tmp_path):
    missing = tmp_path / "nowhere.yaml"
    result = cli("validate", str(missing))
    assert result.code == 1
    assert f"{missing}:1:1: no such file or folder" in result.out_lines


def test_missing_path_alongside_a_good_file(cli, tmp_path):
    missing = tmp_path / "nowhere"
    result = cli("validate", "--json", str(SCENARIOS / "stolen-wallet.yaml"), str(missing))
    assert result.code == 1
    report = json.loads(result.out)
    assert report["checked"] == 1
    assert report["valid"] == 1
    assert report["problems"] == [
        {
            "file": str(missing),
            "line": 1,
            "col": 1,
            "message": "no such file or folder",
            "hint": "",
            "severity": "error",
        }
    ]


def test_duplicate_scenario_ids_in_one_folder(cli, tmp_path, stolen_wallet_text, locate):
    first = tmp_path / "a-wallet.yaml"
    second = tmp_path / "b-wallet.yaml"
    first.write_text(stolen_wallet_text, encoding="utf-8")
    second.write_text(stolen_wallet_text, encoding="utf-8")
    line, _ = locate(stolen_wallet_text, "\nid: stolen-wallet\n", 1)

    result = cli("validate", str(tmp_path))
    assert result.code == 1
    problems = problem_lines(result.out)
    assert len(problems) == 1
    problem = problems[0]
    assert problem["file"] == str(second)
    assert int(problem["line"]) == line
    assert "'stolen-wallet'" in problem["message"]
    assert str(first) in problem["message"]
    assert "hint: " in result.out
    assert result.out_lines[-1] == "1 problem(s) in 2 files."


def test_empty_folder_message_matches_exit_code(cli, tmp_path):
    result = cli("validate", str(tmp_path))
    # Either it is fine (exit 0) or the output must not claim that there were no problems.
    assert result.code == 0 or "no problems" not in result.out
