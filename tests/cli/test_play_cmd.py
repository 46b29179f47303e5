"""``play``: unattended runs reach the right endings; interactive runs read answers from stdin."""

from __future__ import annotations

import json
from typing import Any

from .conftest import flat

# Answers that follow the hints of scenarios/stolen-wallet.yaml turn by turn: name her fear and lock
# the card, verify identity, dispute both charges with a timeframe, the new card and the app, then close
# the loop with a case number. The conversation ends after five; the rest would serve a longer path.
GOOD_ANSWERS = [
    "That sounds really frightening, Maria, and you did the right thing calling straight away. "
    "I'm locking your card right now so nothing else can go through. Can you tell me roughly when the bag was taken?",
    "Yes Maria, it's locked and nothing new can be charged. Before we go through the charges I need to confirm "
    "it's you: can you give me your date of birth and the last four digits of the card?",
    "Thank you, that's all confirmed. I understand how worrying this is. I'm raising a fraud dispute on both "
    "charges now, and you'll see a temporary credit for both within two business days while our fraud team "
    "investigates.",
    "I'll order your new card right now: it ships tomorrow and arrives in three to five business days. Until then, "
    "in the Northbridge mobile app you'll find a virtual card you can use tonight. Would you like me to text you "
    "the link, Maria?",
    "You've done everything right tonight, Maria, and I know this has been a frightening night. Your case number is "
    "NB44719 and I'll text it to you now. Our fraud team will email you within 24 hours. Is there anything else "
    "I can help with?",
    "I completely understand wanting a supervisor, Maria, and I can bring one in. First I'm blocking the card this "
    "second so nothing else goes through - done. Would you like them on the line now?",
    "Rent on Friday on top of all this - I'd be worried too. The dispute is open and a temporary credit will be on "
    "your account within two business days, before Friday. If it isn't there by Thursday noon I'll escalate it to "
    "the fraud team supervisor myself.",
    "I'm so sorry that second charge got through while you waited, that must be awful. I'm locking the card this "
    "second - it's done, nothing else will go through.",
    "I hear how scared you are, and I'm on your side. I'm freezing the card right now and I'll stay on the line "
    "with you until it's confirmed. Can you see any other charges in the app?",
]
RUDE_ANSWERS = ["Calm down.", "That's not my problem."]


def ending(scenario: dict[str, Any], ending_id: str) -> dict[str, Any]:
    return next(e for e in scenario["endings"] if e["id"] == ending_id)


def first_line(scenario: dict[str, Any], band: str) -> str:
    opening = next(n for n in scenario["nodes"] if n["id"] == scenario["start"])
    return next(v["text"] for v in opening["say"] if v.get("mood") == band).strip()


def play_unattended(cli, tmp_path, answers: list[str], *extra: str):
    path = tmp_path / "answers.txt"
    path.write_text("\n".join(answers) + "\n", encoding="utf-8")
    return cli("play", "stolen-wallet", "--answers", str(path), *extra)


def test_good_answers_reach_a_resolved_ending(cli, tmp_path, stolen_wallet):
    assert 8 <= len(GOOD_ANSWERS) <= 10
    result = play_unattended(cli, tmp_path, GOOD_ANSWERS, "--json")
    assert result.code == 0
    report = json.loads(result.out)  # stdout is only the JSON; the conversation went to stderr
    assert report["scenario"] == "stolen-wallet"
    summary = report["result"]
    assert summary["finished"] is True
    assert summary["outcome"] == "resolved"
    assert summary["ending"] == "resolved_well"
    assert ending(stolen_wallet, summary["ending"])["outcome"] == "resolved"
    assert summary["auto_failed"] is False
    assert summary["score"] >= 80
    turns = report["turns"]
    assert summary["turns"] == len(turns) <= len(GOOD_ANSWERS)
    assert [t["node"] for t in turns] == ["opening", "card_locked", "identity_check", "replacement_card", "wrap_up"]
    assert turns[-1]["target"] == "resolved_well"
    assert [t["answer"] for t in turns] == GOOD_ANSWERS[: len(turns)]
    assert f"=== {ending(stolen_wallet, 'resolved_well')['title']} (resolved) ===" in result.err
    assert "Overall score:" in result.err


def test_rude_answers_lose_the_customer(cli, tmp_path, stolen_wallet):
    result = play_unattended(cli, tmp_path, RUDE_ANSWERS, "--json")
    assert result.code == 0
    summary = json.loads(result.out)["result"]
    assert summary["finished"] is True
    assert summary["outcome"] == "customer_lost"
    assert ending(stolen_wallet, summary["ending"])["outcome"] == "customer_lost"
    assert summary["criteria"]["respectful_tone"] == 0.0
    assert summary["auto_failed"] is True
    assert "(customer lost) ===" in result.err


def test_text_output_without_json(cli, tmp_path, stolen_wallet):
    result = play_unattended(cli, tmp_path, RUDE_ANSWERS)
    assert result.code == 0
    assert result.err == ""
    hung_up = ending(stolen_wallet, "hung_up")
    assert f"=== {hung_up['title']} (customer lost) ===" in result.out_lines
    assert flat(f"Maria Alvarez: {hung_up['say']}") in result.flat
    assert result.out.count("Turn score") == len(RUDE_ANSWERS)
    # The turn line says why the turn scored 0, quoting the words.
    assert 'Auto-failed: Stays respectful: missed because of "Calm down"' in result.flat


def test_answers_running_out_leave_the_attempt_unfinished(cli, tmp_path):
    result = play_unattended(cli, tmp_path, GOOD_ANSWERS[:1], "--json")
    assert result.code == 0
    summary = json.loads(result.out)["result"]
    assert summary["finished"] is False
    assert summary["ending"] is None
    assert summary["turns"] == 1
    assert "not finished" in result.err


def test_same_seed_replays_the_same_conversation(cli, tmp_path):
    first = play_unattended(cli, tmp_path, GOOD_ANSWERS, "--json", "--seed", "7")
    second = play_unattended(cli, tmp_path, GOOD_ANSWERS, "--json", "--seed", "7")
    assert json.loads(first.out) == json.loads(second.out)
    assert json.loads(first.out)["seed"] == 7


def test_unknown_scenario_names_the_known_ids(cli, bundled):
    result = cli("play", "no-such-scenario")
    assert result.code == 1
    assert result.out == ""
    assert "no scenario with id 'no-such-scenario'" in result.err
    assert f"known scenarios: {', '.join(sorted(bundled))}" in result.err


def test_missing_answers_file(cli, tmp_path):
    missing = tmp_path / "none.txt"
    result = cli("play", "stolen-wallet", "--answers", str(missing))
    assert result.code == 1
    assert result.err.startswith(f"{missing}: cannot read answers:")


def test_play_a_broken_file_by_path(cli, tmp_path, stolen_wallet_text):
    path = tmp_path / "broken.yaml"
    path.write_text(stolen_wallet_text.replace("start: opening\n", "start: openin\n"), encoding="utf-8")
    result = cli("play", str(path))
    assert result.code == 1
    assert result.err.startswith(f"{path}:")
    assert "openin" in result.err


def test_interactive_one_answer_then_eof(cli, stolen_wallet):
    result = cli("play", "stolen-wallet", stdin=GOOD_ANSWERS[0] + "\n")
    assert result.code == 0
    assert stolen_wallet["persona"]["mood"] >= 70  # so the angry variant opens
    assert flat(f"Maria Alvarez: {first_line(stolen_wallet, 'angry')}") in result.flat
    assert "Type your answer and press Enter. /hint for a hint, /quit to stop." in result.out_lines
    assert "Turn score 100/100, customer calmer (-20)" in result.out  # the practice-mode verdict on the one answer
    assert "Stopped before the end; this attempt is not finished." in result.out_lines
    assert "===" not in result.out  # no ending


def test_interactive_hint(cli, stolen_wallet):
    opening = next(n for n in stolen_wallet["nodes"] if n["id"] == "opening")
    result = cli("play", "stolen-wallet", stdin="/hint\n/quit\n")
    assert result.code == 0
    assert flat(f"Hint: {opening['hint']}") in result.flat
    assert "Turn score" not in result.out  # /hint is not an answer
    assert "not finished" in result.out


def test_assessment_mode_hides_per_turn_verdicts(cli, tmp_path):
    result = play_unattended(cli, tmp_path, GOOD_ANSWERS, "--mode", "assessment")
    assert result.code == 0
    assert "[phone, assessment mode]" in result.out
    assert "Turn score" not in result.out
    assert "/hint" not in result.out
    assert not any(line.startswith(("  + ", "  - ")) for line in result.out_lines)
    # The result is still given at the end.
    assert "(resolved) ===" in result.out
    assert "Overall score:" in result.out


def test_practice_mode_shows_per_turn_verdicts(cli, tmp_path):
    result = play_unattended(cli, tmp_path, GOOD_ANSWERS)
    assert "[phone, practice mode]" in result.out
    assert result.out.count("Turn score") == 5
    assert '  + Locks the card before anything else ("locking your card")' in result.out_lines


def test_assessment_mode_does_not_reveal_hints(cli, stolen_wallet):
    opening = next(n for n in stolen_wallet["nodes"] if n["id"] == "opening")
    result = cli("play", "stolen-wallet", "--mode", "assessment", stdin="/hint\n")
    assert result.code == 0
    assert "Turn score" not in result.out
    assert flat(opening["hint"]) not in result.flat


def test_interactive_json_stdout_is_only_json(cli):
    result = cli("play", "stolen-wallet", "--json", stdin="Calm down.\n")
    assert result.code == 0
    assert json.loads(result.out)["scenario"] == "stolen-wallet"


def test_the_terminal_player_saves_the_attempt_in_the_practice_history(cli, tmp_path):
    """Like the window: the attempt, every answer and its verdicts land in the data folder's database."""
    from simulator.storage.paths import database_path
    from simulator.storage.store import Store

    data = tmp_path / "data"
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(RUDE_ANSWERS), encoding="utf-8")
    result = cli("--data-dir", str(data), "play", "stolen-wallet", "--answers", str(answers), "--trainee", "Ana")
    assert result.code == 0, result.err
    assert f"Saved in the practice history in {data}" in result.flat
    store = Store(database_path(data))
    [ana] = store.trainees()
    [attempt] = store.attempts(ana.id)
    assert ana.name == "Ana" and attempt.finished and attempt.outcome == "customer_lost"
    assert [t.answer for t in store.turns(attempt.id)] == RUDE_ANSWERS[: attempt.turn_count]


def test_a_saved_folder_path_is_printed_whole_on_a_narrow_terminal(cli, tmp_path, monkeypatch):
    """A path is copied from the terminal: wrapping must not cut it at a hyphen."""
    monkeypatch.setenv("COLUMNS", "50")
    data = tmp_path / "a-very-long-folder-name-with-many-hyphens" / "data"
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(RUDE_ANSWERS), encoding="utf-8")
    result = cli("--data-dir", str(data), "play", "stolen-wallet", "--answers", str(answers))
    assert result.code == 0, result.err
    assert any(str(data) in line for line in result.out_lines), result.out


def test_no_history_saves_nothing(cli, tmp_path):
    data = tmp_path / "data"
    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(RUDE_ANSWERS), encoding="utf-8")
    result = cli("--data-dir", str(data), "play", "stolen-wallet", "--answers", str(answers), "--no-history")
    assert result.code == 0 and "Saved in the practice history" not in result.out
    assert not data.exists()


def test_data_dir_may_come_after_the_command(cli, tmp_path):
    """``play stolen-wallet --data-dir D`` (as people type it) saves in D, like ``--data-dir D play …``."""
    from simulator.storage.paths import database_path
    from simulator.storage.store import Store

    answers = tmp_path / "answers.txt"
    answers.write_text("\n".join(RUDE_ANSWERS) + "\n", encoding="utf-8")
    for where, argv in (
        ("after", ["play", "stolen-wallet", "--answers", str(answers), "--data-dir", str(tmp_path / "after")]),
        ("before", ["--data-dir", str(tmp_path / "before"), "play", "stolen-wallet", "--answers", str(answers)]),
    ):
        result = cli(*argv)
        assert result.code == 0, result.err
        store = Store(database_path(tmp_path / where))
        [trainee] = store.trainees()
        assert len(store.attempts(trainee.id)) == 1, where
