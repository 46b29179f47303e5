"""``score``: JSON Lines in, one JSON result per good line out, bad lines reported and skipped."""

from __future__ import annotations

import json

import pytest

CORE_IDS = [
    "acknowledge_emotion",
    "take_ownership",
    "set_expectations",
    "personalize",
    "ask_question",
    "offer_escalation",
    "respectful_tone",
]
GOOD = {
    "id": "g1",
    "customer_name": "Maria Alvarez",
    "channel": "phone",
    "customer_line": "My wallet was stolen and there are charges I didn't make!",
    "response": (
        "Maria, that sounds really frightening. I'm locking your card right now. Can you tell me when it happened?"
    ),
}
RUDE = {
    "id": "r1",
    "customer_name": "Maria Alvarez",
    "response": "Calm down, that's not my problem.",
}


def jsonl(*records: object) -> str:
    return "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)


def parse(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def check_shape(result: dict, response: str) -> None:
    assert set(result) == {"id", "score", "criteria"}
    assert 0 <= result["score"] <= 100
    for criterion in result["criteria"].values():
        assert set(criterion) == {"met", "score", "evidence", "feedback"}
        assert isinstance(criterion["met"], bool)
        assert 0 <= criterion["score"] <= 1
        assert isinstance(criterion["feedback"], str) and criterion["feedback"]
        for start, end in criterion["evidence"]:
            assert 0 <= start < end <= len(response)


def test_scores_a_file(cli, tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_text(jsonl(GOOD, RUDE), encoding="utf-8")
    result = cli("score", str(path))
    assert result.code == 0
    assert result.err == ""
    good, rude = parse(result.out)
    check_shape(good, GOOD["response"])
    check_shape(rude, RUDE["response"])
    assert (good["id"], rude["id"]) == ("g1", "r1")
    assert list(good["criteria"]) == CORE_IDS  # no scenario: the core rubric

    text = GOOD["response"]
    criteria = good["criteria"]
    assert criteria["personalize"]["met"] is True
    assert any("Maria" in text[a:b] for a, b in criteria["personalize"]["evidence"])
    assert criteria["acknowledge_emotion"]["met"] is True
    assert any("frightening" in text[a:b] for a, b in criteria["acknowledge_emotion"]["evidence"])
    assert criteria["ask_question"]["met"] is True
    assert any(text[a:b].endswith("?") for a, b in criteria["ask_question"]["evidence"])
    assert criteria["respectful_tone"]["met"] is True
    assert criteria["offer_escalation"]["met"] is False
    assert good["score"] > 50

    assert rude["criteria"]["respectful_tone"]["met"] is False
    assert rude["score"] < good["score"]


@pytest.mark.parametrize("argv", [("score", "-"), ("score",)], ids=["dash", "default"])
def test_scores_standard_input(cli, tmp_path, argv):
    path = tmp_path / "answers.jsonl"
    path.write_text(jsonl(GOOD, RUDE), encoding="utf-8")
    from_file = cli("score", str(path))
    from_stdin = cli(*argv, stdin=jsonl(GOOD, RUDE))
    assert from_stdin.code == 0
    assert [r["id"] for r in parse(from_stdin.out)] == ["g1", "r1"]
    assert from_stdin.out == from_file.out


def test_bad_lines_are_reported_and_skipped(cli, tmp_path):
    good2 = {**GOOD, "id": "g2"}
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        jsonl(
            GOOD,  # 1
            "{not json",  # 2
            {"id": "no-response"},  # 3
            {"response": "I'm on it."},  # 4
            {"id": "u", "scenario": "no-such-scenario", "response": "I'm on it."},  # 5
            {"id": "n", "scenario": "stolen-wallet", "node": "no_such_node", "response": "I'm on it."},  # 6
            "[1, 2, 3]",  # 7
            "",  # 8: blank lines are ignored
            good2,  # 9
        ),
        encoding="utf-8",
    )
    result = cli("score", str(path))
    assert result.code == 1  # the good lines are scored, and the exit code says some were not
    assert [r["id"] for r in parse(result.out)] == ["g1", "g2"]
    errors = result.err_lines
    assert [line.split(":")[0] for line in errors] == [f"line {n}" for n in (2, 3, 4, 5, 6, 7)]
    assert all(line.endswith("; skipped") for line in errors)
    assert errors[0].startswith("line 2: not valid JSON")
    assert errors[1] == "line 3: missing field 'response'; skipped"
    assert errors[2] == "line 4: missing field 'id'; skipped"
    assert "no-such-scenario" in errors[3]
    assert "no_such_node" in errors[4] and "stolen-wallet" in errors[4]
    assert errors[5] == "line 7: expected an object; skipped"


@pytest.mark.parametrize(
    "node",
    ["opening", "still_charging", "card_locked", "identity_check", "money_worry", "replacement_card", "wrap_up"],
)
def test_node_criteria_come_from_the_scenario(cli, stolen_wallet, node):
    spec = next(n for n in stolen_wallet["nodes"] if n["id"] == node)
    line = {"id": node, "scenario": "stolen-wallet", "node": node, "response": "I'm locking your card right now."}
    result = cli("score", stdin=jsonl(line))
    assert result.code == 0, result.err
    (scored,) = parse(result.out)
    assert list(scored["criteria"]) == spec["criteria"]


def test_scenario_without_node_uses_its_rubric_and_persona(cli, stolen_wallet):
    response = (
        "Maria, I'm raising a fraud dispute on both charges now, and you'll see a temporary credit within two days."
    )
    result = cli("score", stdin=jsonl({"id": 7, "scenario": "stolen-wallet", "response": response}))
    assert result.code == 0
    (scored,) = parse(result.out)
    assert scored["id"] == 7
    assert list(scored["criteria"]) == [c["id"] for c in stolen_wallet["rubric"]]
    # The customer's name comes from the scenario's persona when the line does not give one.
    personalize = scored["criteria"]["personalize"]
    assert personalize["met"] is True
    assert [response[a:b] for a, b in personalize["evidence"]] == ["Maria"]
    dispute = scored["criteria"]["dispute_charges"]
    assert dispute["met"] is True
    assert any("dispute" in response[a:b] for a, b in dispute["evidence"])
    # Scenario-specific feedback is used: lock_card_first was missed here.
    missed = next(c for c in stolen_wallet["rubric"] if c["id"] == "lock_card_first")["feedback"]["missed"]
    assert scored["criteria"]["lock_card_first"] == {"met": False, "score": 0.0, "evidence": [], "feedback": missed}


def test_auto_fail_criterion_zeroes_the_score(cli):
    line = {"id": "x", "scenario": "stolen-wallet", "node": "opening", "response": "Calm down, that's not my problem."}
    result = cli("score", stdin=jsonl(line))
    (scored,) = parse(result.out)
    assert scored["criteria"]["respectful_tone"]["met"] is False
    assert scored["score"] == 0


def test_missing_file(cli, tmp_path):
    missing = tmp_path / "none.jsonl"
    result = cli("score", str(missing))
    assert result.code == 1
    assert result.out == ""
    assert result.err.strip() == f"{missing}: cannot open: No such file or directory"


def test_file_that_is_not_utf8(cli, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(json.dumps({"id": "x", "response": "Très bien, José."}, ensure_ascii=False).encode("latin-1"))
    result = cli("score", str(path))
    assert result.code == 1
    assert str(path) in result.err or "line 1" in result.err


def strict_json(line: str) -> object:
    """Parse as any other JSON reader would: NaN and Infinity are not JSON."""

    def refuse(name: str) -> object:
        raise ValueError(f"{name} in the output")

    return json.loads(line, parse_constant=refuse)


def test_hostile_lines_are_skipped_with_a_reason_and_the_rest_of_the_batch_is_scored(tmp_path):
    """The real command in its own process, on the input that used to abort it or print invalid JSON."""
    import subprocess
    import sys
    from pathlib import Path

    good = json.dumps({"id": "first", "response": "I'm sorry, Maria. I'll lock the card now."}).encode()
    lines = [
        good,  # 1
        b"[" * 100_000 + b"]" * 100_000,  # 2: deep nesting (RecursionError in json)
        b'{"id": ' + b"7" * 5000 + b', "response": "hi"}',  # 3: over Python's int digit limit
        b'{"id": NaN, "response": "hi"}',  # 4: printed as invalid JSON before
        b'{"id": Infinity, "response": "hi"}',  # 5
        b'{"id": "caf\xe9", "response": "hi"}',  # 6: Latin-1, not UTF-8
        b'{"id": "huge", "response": "' + b"a" * 3_000_000 + b'"}',  # 7: a 3 MB line
        b'{"id": 1.5, "response": "hi"}',  # 8: ids are text or whole numbers
        b'{"id": "x", "response": "hi", "labels": {"personalize": 2}}',  # 9
        b'{"id": "d", "response": "hi", "nest": ' + b"[" * 40 + b"]" * 40 + b"}",  # 10: deep but parseable
        json.dumps({"id": 1234567890123456789, "response": "Let me check that for you."}).encode(),  # 11: big id
        json.dumps({"id": "last", "response": "I understand. I'll call you back today."}).encode(),  # 12
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-m", "simulator", "score", str(path)],
        capture_output=True,
        cwd=root,
        timeout=120,
        check=False,
    )
    err = done.stderr.decode()
    assert "Traceback" not in err
    assert done.returncode == 1
    results = [strict_json(line) for line in done.stdout.decode().splitlines()]
    assert [r["id"] for r in results] == ["first", 1234567890123456789, "last"]  # type: ignore[index]
    assert err.splitlines() == [
        "line 2: not valid JSON: nested more than 32 deep; skipped",
        "line 3: a number has more than 4300 digits; skipped",
        "line 4: NaN is not allowed; skipped",
        "line 5: Infinity is not allowed; skipped",
        "line 6: not UTF-8 text; skipped",
        "line 7: longer than 256 KiB; skipped",
        "line 8: id: expected text or a whole number; skipped",
        "line 9: labels.personalize: expected true, false, 0 or 1; skipped",
        "line 10: not valid JSON: nested more than 32 deep; skipped",
    ]


def test_every_line_scored_exits_0_and_prints_strict_json(cli):
    result = cli("score", stdin=jsonl(GOOD, {**RUDE, "id": -3}))
    assert result.code == 0 and result.err == ""
    assert [strict_json(line)["id"] for line in result.out_lines] == ["g1", -3]  # type: ignore[index]
