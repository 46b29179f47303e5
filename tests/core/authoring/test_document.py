"""ScenarioDocument edits a scenario without losing the trainer's comments, order or wrapping."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core.authoring.document import DocumentError, ScenarioDocument, merge_text
from simulator.core.loader import load_text
from simulator.core.problems import ScenarioError

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"
WALLET = SCENARIOS / "stolen-wallet.yaml"


@pytest.fixture
def wallet() -> ScenarioDocument:
    return ScenarioDocument.from_file(WALLET)


def test_unedited_text_is_the_file_byte_for_byte() -> None:
    for path in sorted(SCENARIOS.glob("*.yaml")):
        assert ScenarioDocument.from_file(path).text() == path.read_text("utf-8"), path.name


def test_changing_a_hint_keeps_comments_order_and_wrapping(wallet: ScenarioDocument) -> None:
    original = WALLET.read_text("utf-8")
    wallet.set(("nodes", 0, "hint"), "Say you heard her, then lock the card.")
    text = wallet.text()
    assert text.startswith("# yaml-language-server: $schema=./schema.json\n#\n# A frightened bank customer")
    changed = [(a, b) for a, b in zip(original.splitlines(), text.splitlines(), strict=True) if a != b]
    assert changed == [
        (
            "    hint: She needs two things in your first sentence - that you heard how scary this is, and that you are stopping the card now.",
            "    hint: Say you heard her, then lock the card.",
        )
    ]
    top_keys = [line.split(":")[0] for line in text.splitlines() if line[:1].isalpha()]
    assert top_keys[:4] == ["format", "id", "title", "summary"]
    assert top_keys[-3:] == ["start", "nodes", "endings"]
    scenario = load_text(text, "edited.yaml")
    assert scenario.node("opening").hint == "Say you heard her, then lock the card."


def test_inline_comments_survive_an_edit() -> None:
    text = WALLET.read_text("utf-8").replace("max_turns: 14", "max_turns: 14  # safety stop")
    document = ScenarioDocument.from_text(text, "commented.yaml")
    document.set(("nodes", 1, "hint"), "Lock it now.")
    assert "max_turns: 14  # safety stop" in document.text()
    assert document.problems() == []


def test_set_then_set_old_restores_the_exact_text(wallet: ScenarioDocument) -> None:
    original = WALLET.read_text("utf-8")
    edits = [
        (("nodes", 0, "hint"), "Short."),
        (("nodes", 0, "model_answer"), "One line only."),
        (("summary",), "A new summary\nover two lines."),
        (("rubric", 7, "phrases"), ["lock card", "freeze card"]),
        (("nodes", 2, "transitions", 0, "note"), "a new note"),
        (("nodes", 0, "transitions", 2, "note"), None),
        (("persona", "voice", "rate"), 190),
    ]
    for path, value in edits:
        old = wallet.set(path, value)
        assert wallet.text() != original, path
        wallet.set(path, old)
        assert wallet.text() == original, path


def test_get_reads_values_and_missing_paths_are_none(wallet: ScenarioDocument) -> None:
    assert wallet.get(("id",)) == "stolen-wallet"
    assert wallet.get(("nodes", 0, "criteria"))[0] == "acknowledge_emotion"
    assert wallet.get(("nodes", 0, "nope")) is None
    assert wallet.get(("nodes", 99, "id")) is None
    assert wallet.get(("id", "deeper")) is None


def test_multi_line_text_becomes_a_block_scalar(wallet: ScenarioDocument) -> None:
    wallet.set(("nodes", 0, "hint"), "First line.\nSecond line.\n")
    assert "    hint: |\n      First line.\n      Second line.\n" in wallet.text()
    long = "word " * 40
    wallet.set(("nodes", 0, "model_answer"), long.strip())
    text = wallet.text()
    assert "    model_answer: >\n" in text  # it was a folded block and stays one
    assert max(len(line) for line in text.split("model_answer:")[1].splitlines()[1:3]) <= 110
    assert load_text(text).node("opening").model_answer == long.strip()


def test_added_keys_go_where_the_guide_puts_them(wallet: ScenarioDocument) -> None:
    wallet.set(("nodes", 4, "hint"), None)
    wallet.set(("nodes", 4, "hint"), "Back again.")
    keys = list(wallet.get(("nodes", 4)))
    assert keys.index("hint") == keys.index("say") + 1


def test_add_node_and_transition(wallet: ScenarioDocument) -> None:
    before = len(wallet.get(("nodes", wallet.node_index("wrap_up"), "transitions")) or [])
    index = wallet.add_node("callback_offer", "Can someone call me back tomorrow?", after="wrap_up")
    assert index == wallet.node_index("wrap_up") + 1
    problems = wallet.problems()
    assert [p.message for p in problems] == ["node 'callback_offer' cannot be reached from the start"]
    assert wallet.node_for_line(problems[0].line) == "callback_offer"
    t_index = wallet.add_transition("wrap_up", "callback_offer", when="missed.set_expectations", mood=5)
    assert t_index == before
    assert wallet.problems() == []
    scenario = wallet.scenario()
    assert scenario is not None
    assert scenario.node("callback_offer").otherwise.to == "resolved_well"
    assert ("wrap_up", "callback_offer", "missed.set_expectations · mood +5") in wallet.edges()


def test_remove_and_insert_undo_exactly(wallet: ScenarioDocument) -> None:
    original = wallet.text()
    index, data = wallet.remove_node("money_worry")
    assert "money_worry" not in wallet.node_ids()
    wallet.insert_node(index, data)
    assert wallet.text() == original
    target = wallet.get(("nodes", wallet.node_index("opening"), "transitions", 1, "to"))
    removed = wallet.remove_transition("opening", 1)
    assert removed["to"] == target
    wallet.insert_transition("opening", 1, removed)
    assert wallet.text() == original
    t_index = wallet.add_transition("identity_check", "hung_up")
    node = wallet.node_index("identity_check")
    assert wallet.get(("nodes", node, "transitions", t_index, "when")) == "score >= 60"
    wallet.remove_transition("identity_check", t_index)
    assert wallet.text() == original


def test_transitions_list_is_created_and_removed_with_its_last_item() -> None:
    document = ScenarioDocument.from_text(WALLET.read_text("utf-8"))
    document.add_node("extra", "Anything else?")
    original = document.text()
    document.add_transition("extra", "hung_up", when="missed.respectful_tone")
    assert document.get(("nodes", document.node_index("extra"), "transitions", 0, "to")) == "hung_up"
    document.remove_transition("extra", 0)
    assert document.text() == original


def test_broken_reference_is_located_at_its_node(wallet: ScenarioDocument) -> None:
    wallet.set(("nodes", wallet.node_index("replacement_card"), "otherwise", "to"), "wrap_upp")
    problems = wallet.problems()
    assert problems, "a dangling reference must be reported"
    dangling = [p for p in problems if "unknown node or ending 'wrap_upp'" in p.message]
    assert len(dangling) == 1
    assert "did you mean 'wrap_up'" in dangling[0].hint
    assert wallet.node_for_line(dangling[0].line) == "replacement_card"
    assert wallet.scenario() is None


def test_node_for_line_maps_nodes_endings_and_other_lines(wallet: ScenarioDocument) -> None:
    lines = wallet.text().splitlines()
    assert wallet.node_for_line(lines.index("  - id: panic") + 1) == "panic"
    assert wallet.node_for_line(lines.index("  - id: panic") + 5) == "panic"
    assert wallet.node_for_line(lines.index("  - id: hung_up") + 3) == "hung_up"
    assert wallet.node_for_line(1) is None
    assert wallet.node_for_line(lines.index("start: opening") + 1) is None


def test_rename_updates_every_reference(wallet: ScenarioDocument) -> None:
    references = len(re.findall(r"^\s*(?:- )?to: card_locked$", wallet.text(), re.MULTILINE))
    assert references >= 2
    changed = wallet.rename_node("card_locked", "card_blocked")
    assert changed == references
    wallet.rename_node("opening", "hello")
    wallet.rename_node("hung_up", "caller_left")
    assert wallet.get(("start",)) == "hello"
    text = wallet.text()
    assert not re.search(r"(?:to|id): card_locked$", text, re.MULTILINE)
    assert "var.card_locked" in text  # the variable keeps its name
    assert "hung_up" not in text
    assert wallet.problems() == []
    with pytest.raises(DocumentError):
        wallet.rename_node("panic", "hello")
    with pytest.raises(DocumentError):
        wallet.rename_node("panic", "Not An Id")


def test_edges_label_conditions_and_mood(wallet: ScenarioDocument) -> None:
    edges = wallet.edges()
    assert edges[0] == ("opening", "panic", "missed.respectful_tone · mood +20")
    assert ("opening", "still_charging", "otherwise · mood +10") in edges
    assert {source for source, _, _ in edges} == set(wallet.node_ids())


def test_add_ending_and_duplicate_ids(wallet: ScenarioDocument) -> None:
    endings = len(wallet.ending_ids())
    assert wallet.add_ending("branch_visit", "customer_lost", "Goes to the branch") == endings
    wallet.add_transition("panic", "branch_visit", when="mood >= 90")
    assert wallet.problems() == []
    with pytest.raises(DocumentError):
        wallet.add_node("panic", "again")
    with pytest.raises(DocumentError):
        wallet.add_ending("opening", "resolved", "x")


def test_save_is_atomic_and_rereadable(wallet: ScenarioDocument, tmp_path: Path) -> None:
    wallet.set(("title",), "Stolen wallet, edited")
    target = tmp_path / "wallet.yaml"
    wallet.save(target)
    assert [p.name for p in tmp_path.iterdir()] == ["wallet.yaml"]
    again = ScenarioDocument.from_file(target)
    assert again.get(("title",)) == "Stolen wallet, edited"
    assert again.text() == target.read_text("utf-8") == wallet.text()


def test_not_a_scenario_mapping_is_a_scenario_error() -> None:
    for text in ("- just\n- a list\n", "key: [unclosed\n", "a\x00b"):
        with pytest.raises(ScenarioError):
            ScenarioDocument.from_text(text, "bad.yaml")
    document = ScenarioDocument.from_text("id: only-an-id\n", "partial.yaml")
    assert document.problems()
    assert document.node_ids() == []


def test_merge_keeps_untouched_original_spelling() -> None:
    original = "a: [1,\n    2]\nb: x\n"
    baseline = "a: [1, 2]\nb: x\n"
    assert merge_text(original, baseline, "a: [1, 2]\nb: y\n") == "a: [1,\n    2]\nb: y\n"
    assert merge_text(original, baseline, "a: [1, 3]\nb: x\n") == "a: [1, 3]\nb: x\n"
    assert merge_text(original, baseline, baseline) == original


def test_editing_continues_after_save_with_the_saved_text_as_base(tmp_path: Path) -> None:
    target = tmp_path / "wallet.yaml"
    target.write_text(WALLET.read_text("utf-8"), "utf-8")
    document = ScenarioDocument.from_file(target)
    document.set(("title",), "First edit")
    document.save(target)
    saved = target.read_text("utf-8")
    assert (
        "    phrases: [lock card, block card, freeze card, cancel card, stop card, lock it, block it, freeze it, cancel it,\n"
        in saved
    )
    document.set(("estimated_minutes",), 9)
    changed = [(a, b) for a, b in zip(saved.splitlines(), document.text().splitlines(), strict=True) if a != b]
    assert changed == [("estimated_minutes: 8", "estimated_minutes: 9")]


def test_opening_to_check_does_not_build_the_round_trip_tree() -> None:
    document = ScenarioDocument.from_text(WALLET.read_text("utf-8").replace("to: panic", "to: panik"), "w.yaml")
    problems = document.problems()
    assert [document.node_for_line(p.line) for p in problems if "panik" in p.message] == ["opening"]
    assert document._tree_value is None  # cheap enough for the studio's background check


def test_snapshot_text_matches_text_and_is_cached(wallet: ScenarioDocument) -> None:
    wallet.prepare()
    assert wallet.snapshot_text() == (0, WALLET.read_text("utf-8"))
    wallet.set(("title",), "Snapshot")
    snapshot = wallet.snapshot_text()
    assert snapshot is not None
    generation, text = snapshot
    assert generation == wallet.generation == 1
    assert text == wallet.text() and "title: Snapshot" in text


def test_snapshot_that_races_an_edit_is_discarded(wallet: ScenarioDocument, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit made while a worker dumps: the half-old text must never be cached or used."""
    wallet.set(("title",), "Before")
    real_dump = ScenarioDocument._dump
    raced = False

    def dump_during_an_edit(self: ScenarioDocument, yaml: object = None) -> str:
        nonlocal raced
        text = real_dump(self, yaml)  # type: ignore[arg-type]
        if not raced:
            raced = True
            self.set(("title",), "During")  # the GUI thread edits in the middle of the dump
        return text

    monkeypatch.setattr(ScenarioDocument, "_dump", dump_during_an_edit)
    assert wallet.snapshot_text() is None
    monkeypatch.setattr(ScenarioDocument, "_dump", real_dump)
    assert "title: During" in wallet.text()


def test_save_starts_a_new_generation_with_the_dump_as_baseline(tmp_path: Path) -> None:
    target = tmp_path / "wallet.yaml"
    target.write_text(WALLET.read_text("utf-8"), "utf-8")
    document = ScenarioDocument.from_file(target)
    document.set(("title",), "Saved")
    before = document.generation
    document.save(target)
    assert document.generation > before
    assert document._baseline is not None  # the next edit does not dump the whole file again on the GUI thread
    document.set(("estimated_minutes",), 9)
    assert document.text() == target.read_text("utf-8").replace("estimated_minutes: 8", "estimated_minutes: 9")
