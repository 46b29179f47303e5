"""The trainer studio, driven through its window: author, validate, undo, save, import, playtest, review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QInputDialog, QMessageBox, QPlainTextEdit

from simulator.core.authoring.document import ScenarioDocument
from simulator.core.loader import load_file
from simulator.core.problems import ScenarioError
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.studio.gate import TrainerGate
from simulator.ui.studio.tuning import read_samples
from simulator.ui.studio.window import StudioWindow
from tests.conftest import DATA, SCENARIOS
from tests.ui.helpers import answers, card, make_window, type_answer

PASS = "correct horse battery"
TWINE = Path(__file__).resolve().parents[1] / "data" / "twine"


@pytest.fixture(autouse=True)
def no_surprise_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody expected fails the test instead of waiting forever for a click."""

    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(database_path(tmp_path / "data"))
    store.set_trainer_passphrase("Jo Trainer", PASS)
    return store


@pytest.fixture
def studio(qtbot, tmp_path: Path, store: Store) -> Iterator[StudioWindow]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "scenarios"
    folder.mkdir()
    window = StudioWindow(folder, store, "Jo Trainer", synchronous=True)
    # Closing a window with unsaved edits asks first (a modal dialog): tests leave edits unsaved.
    qtbot.addWidget(window, before_close_func=lambda w: w.undo_stack.setClean())
    window.show()
    yield window


def publish(qtbot, studio: StudioWindow, monkeypatch: pytest.MonkeyPatch) -> list[str]:  # type: ignore[no-untyped-def]
    """File > Publish (Ctrl+Shift+P), answering Yes to "Publish to trainees?"; returns the questions asked."""
    asked: list[str] = []

    def question(_parent: object, title: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    with monkeypatch.context() as patch:
        patch.setattr(QMessageBox, "question", question)
        qtbot.keyClick(studio, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    return asked


def answer_inputs(monkeypatch: pytest.MonkeyPatch, *texts: str) -> None:
    """The next QInputDialog questions get these answers, as a trainer would type them."""
    queue = list(texts)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (queue.pop(0), True))
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (queue.pop(0), True))


def test_build_from_template_edit_validate_undo_redo_save_reload(  # type: ignore[no-untyped-def]
    qtbot, studio: StudioWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    answer_inputs(monkeypatch, "night-shift", "checks_details", "resolved")
    qtbot.keyClick(studio, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New from template
    path = studio.folder / "drafts" / "night-shift.yaml"  # a new scenario is a draft
    assert path.exists() and studio.path == path and studio.problems == []
    assert not (studio.folder / "night-shift.yaml").exists()
    assert set(studio.graph.items_by_id) >= {"opening", "resolved", "escalated", "lost"}
    original = path.read_text(encoding="utf-8")
    assert "# The customer. mood runs" in original

    # Add a node after "opening" and a transition to it from opening.
    studio.select_node("opening")
    qtbot.keyClick(studio, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert "checks_details" in studio.graph.items_by_id
    # Unreachable: the live check says so and marks the node.
    assert any("cannot be reached" in p.message for p, _node in studio.problems)
    assert any("cannot be reached" in studio.problem_list.item(i).text() for i in range(studio.problem_list.count()))
    studio.select_node("opening")
    studio.add_transition("opening")  # asks for the target: "resolved"
    studio.select_node("opening")
    edges = studio.document.edges()  # type: ignore[union-attr]
    assert ("opening", "resolved", "missed.acknowledge_emotion") in edges

    # Point the new transition at a node that does not exist: a problem appears, pointing at "opening".
    table = studio.editor.transitions
    row = next(r for r in range(table.rowCount()) if table.item(r, 1).text() == "resolved")
    table.item(row, 1).setText("nowhere")
    assert any("nowhere" in p.message and node == "opening" for p, node in studio.problems)
    problem_item = next(
        studio.problem_list.item(i)
        for i in range(studio.problem_list.count())
        if "nowhere" in studio.problem_list.item(i).text()
    )
    studio.problem_list.itemClicked.emit(problem_item)
    assert studio.editor.node_id == "opening"

    # Undo makes it disappear, redo brings it back, undo again.
    studio.undo_action.trigger()
    assert not any("nowhere" in p.message for p, _node in studio.problems)
    studio.redo_action.trigger()
    assert any("nowhere" in p.message for p, _node in studio.problems)
    studio.undo_action.trigger()

    # Edit the hint through the form, then make the new node reachable and save.
    hint = studio.editor.fields["Hint"]
    assert isinstance(hint, QPlainTextEdit)
    hint.setPlainText("Say her name, then say what you will do.")
    table.item(row, 1).setText("checks_details")
    assert studio.problems == []
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert studio.undo_stack.isClean()
    saved = path.read_text(encoding="utf-8")
    assert "# The customer. mood runs" in saved and "# Customer turns." in saved  # the trainer's comments are kept
    scenario = load_file(path)
    assert scenario.node("opening").hint == "Say her name, then say what you will do."
    assert any(t.to == "checks_details" for t in scenario.node("opening").transitions)
    assert any(e.action == "scenario_saved" for e in studio.store.audit_log())

    # Publishing validates it and moves it where the library reads: the draft is gone.
    assert publish(qtbot, studio, monkeypatch) == ["Publish to trainees?"]
    published = studio.folder / "night-shift.yaml"
    assert published.read_text(encoding="utf-8") == saved and not path.exists()
    assert studio.path == published and "(draft)" not in studio.windowTitle()
    assert any(e.action == "scenario_published" for e in studio.store.audit_log())


def test_saving_an_invalid_file_asks_first(qtbot, studio: StudioWindow, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    answer_inputs(monkeypatch, "broken", "orphan")
    studio.new()
    path = studio.folder / "drafts" / "broken.yaml"
    before = path.read_text(encoding="utf-8")
    studio.add_node()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda _parent, title, *a, **k: asked.append(title) or QMessageBox.StandardButton.Cancel
    )
    assert studio.save() is False
    assert asked == ["Save a scenario with problems?"] and path.read_text(encoding="utf-8") == before


def test_import_a_twee_story_and_playtest_two_turns(
    qtbot, studio: StudioWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text))
    studio.import_twine(TWINE / "refund.twee")
    assert studio.path == studio.folder / "drafts" / "refund.yaml" and studio.problems == []
    assert {"start", "looking", "angry", "refunded", "manager"} <= set(studio.graph.items_by_id)
    assert shown and "Nowhere" in shown[0]  # the broken link is reported

    studio.select_node("start")
    studio.playtest_here()
    panel = studio.playtest
    assert "charged twice" in panel.transcript.toPlainText()
    qtbot.keyClicks(panel.answer, "I'm so sorry, that sounds really frustrating. I'll look into it right now.")
    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)
    text = panel.transcript.toPlainText()
    assert "✓ Acknowledges the customer's emotion" in text and "refund the second charge" in text
    assert "Node: looking" in panel.state.text()
    qtbot.keyClicks(panel.answer, "I'll refund it now, it will be back in three days.")
    qtbot.keyClick(panel.answer, Qt.Key.Key_Return)
    assert "Ending" in panel.transcript.toPlainText()
    studio.walk_paths()
    assert "reached" in studio.coverage.toPlainText().lower()
    # Restart from the same node with one key, with another mood.
    panel.mood.setValue(90)
    qtbot.keyClick(panel.answer, Qt.Key.Key_F5)
    assert "Node: start · customer upset (agitation 90/100)" in panel.state.text()


def test_trainer_overrides_a_verdict_and_the_audit_records_it(qtbot, tmp_path: Path, store: Store) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "data", store=store)
    qtbot.addWidget(window)
    trainee = store.add_trainee("Ana")
    window.set_trainee(trainee)
    window.show()
    qtbot.mouseClick(card(window, "stolen-wallet").practice_button, Qt.MouseButton.LeftButton)
    for line in answers("stolen-wallet--resolved_well.txt")[:2]:
        type_answer(qtbot, window, line)

    # A trainee pressing Ctrl+T meets the gate; a wrong passphrase does not open the studio.
    def wrong_then_cancel() -> None:
        gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
        gate.passphrase.setText("not the passphrase")
        gate._check()
        assert "not right" in gate.message.text()
        gate.reject()

    QTimer.singleShot(0, wrong_then_cancel)
    window.open_studio()
    assert window.studio is None

    def right() -> None:
        gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
        gate.passphrase.setText(PASS)
        gate._check()

    QTimer.singleShot(0, right)
    window.open_studio()
    studio = window.studio
    assert studio is not None
    qtbot.addWidget(studio, before_close_func=lambda w: w.undo_stack.setClean())
    review = studio.review
    review.ask_override = lambda _label, _scorer, current: (not current, "Her name was used, just misspelled.")
    studio.pages.setCurrentWidget(review)
    assert review.table.rowCount() == 1 and review.table.item(0, 1).text() == "Ana"
    review.table.selectRow(0)
    turn = review.tree.topLevelItem(0)
    criterion = turn.child(0)
    label, scorer = criterion.text(0), criterion.text(1)
    flipped = "missed" if scorer == "met" else "met"
    review.tree.setCurrentItem(criterion)
    qtbot.mouseClick(review.override_button, Qt.MouseButton.LeftButton)
    turn = review.tree.topLevelItem(0)
    changed = next(turn.child(i) for i in range(turn.childCount()) if turn.child(i).text(0) == label)
    assert changed.text(1) == scorer and changed.text(2) == f"{flipped} (override)"  # the original stays visible
    assert "misspelled" in changed.text(3)
    assert "Jo Trainer" in review.audit.item(0).text() and "override" in review.audit.item(0).text()
    assert review.table.item(0, 6).text().startswith("1 override")
    [override] = store.overrides(store.review_attempts()[0].id)
    assert override.trainer == "Jo Trainer" and override.met is (flipped == "met")
    assert override.original_met is (scorer == "met")


def test_a_300_node_scenario_opens_in_the_graph_and_stays_editable(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    from simulator.core.authoring.generate import generated_scenario_text

    path = studio.folder / "generated.yaml"
    path.write_text(generated_scenario_text(300), encoding="utf-8")
    studio.refresh_files(select=path)
    assert studio.path == path and studio.problems == []
    assert len(studio.graph.items_by_id) >= 300 and studio.graph.edge_count > 300
    studio.find_box.setText("n250")
    studio.find_node()
    assert studio.editor.node_id == "n250"
    studio.set_value(("nodes", studio.document.node_index("n250"), "hint"), "A hint.")  # type: ignore[union-attr]
    assert studio.problems == [] and not studio.undo_stack.isClean()


def _copy_wallet(studio: StudioWindow) -> Path:
    path = studio.folder / "stolen-wallet.yaml"
    path.write_text((SCENARIOS / "stolen-wallet.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    studio.refresh_files(select=path)
    return path


def test_persona_and_rubric_are_edited_in_forms_with_undo(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    path = _copy_wallet(studio)
    form = studio.scenario_editor
    studio.tabs.setCurrentWidget(form)
    name = form.fields["Name"]
    assert name.text() == "Maria Alvarez"  # type: ignore[attr-defined]
    name.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(name, "Maria Lopez")
    assert studio.document.get(("persona", "name")) == "Maria Lopez"  # type: ignore[union-attr]
    mood = form.fields["Starting mood"]
    mood.setValue(64)  # type: ignore[attr-defined]
    assert studio.document.get(("persona", "mood")) == 64  # type: ignore[union-attr]

    # The rubric: pick lock_card_first, change its weight, tick auto-fail, add a phrase.
    ids = [form.criteria.item(i).text() for i in range(form.criteria.count())]
    form.criteria.setCurrentRow(ids.index("lock_card_first"))
    assert form.fields["Weight"].value() == 3  # type: ignore[attr-defined]
    form.fields["Weight"].setValue(2.5)  # type: ignore[attr-defined]
    qtbot.mouseClick(form.fields["Auto-fail"], Qt.MouseButton.LeftButton)
    phrases = form.fields["Phrases"]
    assert isinstance(phrases, QPlainTextEdit)
    phrases.moveCursor(phrases.textCursor().MoveOperation.End)
    qtbot.keyClick(phrases, Qt.Key.Key_Return)
    qtbot.keyClicks(phrases, "suspend the card")
    base = ("rubric", ids.index("lock_card_first"))
    assert studio.document.get((*base, "weight")) == 2.5  # type: ignore[union-attr]
    assert studio.document.get((*base, "auto_fail")) is True  # type: ignore[union-attr]
    assert list(studio.document.get((*base, "phrases")))[-1] == "suspend the card"  # type: ignore[union-attr]

    # Add a scenario criterion of the trainer's own; remove another; undo brings it back in place.
    form.add_choice.setCurrentText("Mentions rent")
    form.add_criterion()
    assert studio.document.get(("rubric", len(ids), "id")) == "mentions_rent"  # type: ignore[union-attr]
    assert form.fields["Label"].text() == "Mentions rent"  # type: ignore[attr-defined]
    form.criteria.setCurrentRow(ids.index("personalize"))
    form.remove_criterion()
    remaining = [c.get("id") for c in studio.document.get(("rubric",))]  # type: ignore[union-attr]
    assert "personalize" not in remaining and remaining[-1] == "mentions_rent"
    studio.undo_stack.undo()
    assert [c.get("id") for c in studio.document.get(("rubric",))][ids.index("personalize")] == "personalize"  # type: ignore[union-attr]
    assert studio.problems == []

    # Undo everything: the text is the file again; redo up to here and save keeps the comments.
    kept = studio.undo_stack.index()
    while studio.undo_stack.canUndo():
        studio.undo_stack.undo()
    assert studio.document.text() == path.read_text(encoding="utf-8")  # type: ignore[union-attr]
    assert name.text() == "Maria Alvarez"  # type: ignore[attr-defined]
    studio.undo_stack.setIndex(kept)
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    draft = studio.drafts.draft_path("stolen-wallet")
    saved = draft.read_text(encoding="utf-8")
    assert "# A frightened bank customer at 2 a.m." in saved and "name: Maria Lopez" in saved
    scenario = load_file(draft)
    assert scenario.persona.mood == 64
    lock = scenario.criterion("lock_card_first")
    assert lock.weight == 2.5 and lock.auto_fail and "suspend the card" in lock.phrases
    assert [c.id for c in scenario.rubric][-1] == "mentions_rent"


def test_tune_the_rubric_until_the_scorer_agrees(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    _copy_wallet(studio)
    tuning = studio.tuning
    qtbot.keyClick(studio, Qt.Key.Key_U, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert studio.tabs.currentWidget() is tuning

    notes = tuning.load(DATA / "calibration" / "set_a.jsonl")
    assert tuning.samples.rowCount() > 10  # the stolen-wallet answers of the set
    assert notes and all("skipped" in note for note in notes)  # the other scenarios' answers, said so
    assert tuning.agreement.rowCount() > 0 and tuning.result is not None

    # A trainer's own answer: "suspend" is not yet a phrase of lock_card_first.
    tuning.samples.setRowCount(0)
    tuning.add_sample("Maria, I'm going to suspend the card this second.", {"lock_card_first": True})
    column = 1 + tuning.criterion_ids.index("lock_card_first")
    assert tuning.samples.item(0, column).checkState() == Qt.CheckState.Checked
    tuning.check()
    assert [d.criterion for d in tuning.result.disagreements] == ["lock_card_first"]  # type: ignore[union-attr]
    assert tuning.disagreements.item(0, 2).text() == "met / missed"
    # The criterion has examples: the trainer sees the closest one and how close the answer came.
    assert "nearest example “" in tuning.disagreements.item(0, 3).text().replace('"', "“")
    assert "(similarity 0." in tuning.disagreements.item(0, 3).text()
    assert tuning.samples.item(0, column).text() == "missed"

    # Add the phrase in the rubric form: the check reruns on the edited scenario and now agrees.
    form = studio.scenario_editor
    ids = [form.criteria.item(i).text() for i in range(form.criteria.count())]
    form.criteria.setCurrentRow(ids.index("lock_card_first"))
    phrases = form.fields["Phrases"]
    assert isinstance(phrases, QPlainTextEdit)
    phrases.setPlainText(phrases.toPlainText() + "\nsuspend the card")
    assert tuning.result is not None and tuning.result.disagreements == []
    assert tuning.samples.item(0, column).text() == "met"
    assert "agrees on 1 (100.0%)" in tuning.summary.text()

    saved = studio.folder / "samples.jsonl"
    tuning.save(saved)
    rows, skipped = read_samples(saved, "stolen-wallet")
    assert skipped == [] and rows[0]["labels"] == {"lock_card_first": True}


def test_minimap_shows_the_whole_graph_and_moves_the_view(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    from simulator.core.authoring.generate import generated_scenario_text

    path = studio.folder / "generated.yaml"
    path.write_text(generated_scenario_text(60), encoding="utf-8")
    studio.refresh_files(select=path)
    minimap = studio.graph.minimap
    assert not minimap.isVisible()  # the whole graph fits: nothing to navigate
    studio.graph.resetTransform()
    studio.graph.update_minimap()
    assert minimap.isVisible()
    target = studio.graph.items_by_id["n59"].sceneBoundingRect().center()
    before = studio.graph.visible_rect()
    assert not before.contains(target)
    qtbot.mouseClick(minimap.viewport(), Qt.MouseButton.LeftButton, pos=minimap.mapFromScene(target))
    assert studio.graph.visible_rect().contains(target)
    studio.minimap_action.trigger()
    assert not minimap.isVisible()


def test_checks_run_off_the_gui_thread_and_only_the_newest_counts(qtbot, tmp_path: Path, store: Store) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "stolen-wallet.yaml").write_text((SCENARIOS / "stolen-wallet.yaml").read_text("utf-8"), "utf-8")
    window = StudioWindow(folder, store, "Jo Trainer")  # a real worker thread
    qtbot.addWidget(window, before_close_func=lambda w: w.undo_stack.setClean())
    qtbot.waitUntil(lambda: window.document is not None and window.status.text() == "No problems", timeout=10000)
    hint = ("nodes", 0, "otherwise", "to")
    window.set_value(hint, "nowhere")
    window.set_value(hint, "nowhere-else")  # typed on: only this text's problems may be shown
    qtbot.waitUntil(lambda: window.status.text() == "1 problem(s)", timeout=10000)
    assert "nowhere-else" in window.problems[0][0].message
    assert window._checked_generation == window.document.generation  # type: ignore[union-attr]
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.status.text() == "No problems", timeout=10000)
    assert window.scenario is not None and window.playtest.scenario is window.scenario


def test_the_desk_and_line_conditions_are_edited_in_forms(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    from tests.core.test_memory import SCENARIO as MEMORY

    path = studio.folder / "memory.yaml"
    path.write_text(MEMORY, encoding="utf-8")
    studio.refresh_files(select=path)
    form = studio.scenario_editor
    studio.tabs.setCurrentWidget(form)
    record = form.fields["Record"]
    assert isinstance(record, QPlainTextEdit)
    assert record.toPlainText() == "Order: 4471, desk lamp"
    record.moveCursor(record.textCursor().MoveOperation.End)
    qtbot.keyClick(record, Qt.Key.Key_Return)
    qtbot.keyClicks(record, "Courier: FastShip, tracking FS-1")
    colleagues = form.fields["Colleagues"]
    assert isinstance(colleagues, QPlainTextEdit)
    assert colleagues.toPlainText() == "Priya Shah | shift lead"
    colleagues.selectAll()
    qtbot.keyClicks(colleagues, "Priya Shah | shift lead | until 6 p.m.")
    assert studio.document.get(("desk", "record", 1)) == {"label": "Courier", "value": "FastShip, tracking FS-1"}  # type: ignore[union-attr]
    assert studio.document.get(("desk", "colleagues", 0, "when")) == "until 6 p.m."  # type: ignore[union-attr]

    # A turn's variants show their conditions; what it asks for is a field of its own.
    studio.select_node("confirm")
    assert studio.editor.fields["Asks for"].text() == "fact.time"  # type: ignore[attr-defined]
    when = studio.editor.fields["Customer says 1 (when…): when"]
    assert when.text() == "fact.time"  # type: ignore[attr-defined]
    assert studio.problems == []
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_file(path).desk.record[1:] == ()  # trainees still play the published file
    desk = load_file(studio.drafts.draft_path("memory")).desk
    assert desk.record[1].value == "FastShip, tracking FS-1" and desk.colleagues[0].when == "until 6 p.m."


def test_switching_scenarios_moves_every_panel_and_an_edit_lands_in_the_file_shown(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, store: Store
) -> None:
    """Issue 15: a node of the first scenario stayed in the panel and Ctrl+S wrote its hint into the second file."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    first, second = folder / "delayed-order.yaml", folder / "stolen-wallet.yaml"
    for path in (first, second):
        path.write_bytes((SCENARIOS / path.name).read_bytes())
    before = {path: path.read_bytes() for path in (first, second)}
    window = StudioWindow(folder, store, "Jo Trainer", synchronous=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.undo_stack.setClean())
    window.show()
    window.activateWindow()  # shortcuts reach the active window only
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.path == first
    first_nodes = window.document.node_ids()  # type: ignore[union-attr]
    window.select_node(first_nodes[1])
    window.tuning.add_sample("I'm so sorry, I'll chase the courier now.")
    window.tabs.setCurrentWidget(window.playtest)
    window.playtest.restart()
    assert window.playtest.transcript.toPlainText()

    # The trainer picks the other file in the chooser with the keyboard, as they would.
    window.chooser.setFocus()
    qtbot.keyClick(window.chooser, Qt.Key.Key_Down)
    assert window.path == second
    second_scenario = load_file(second)
    assert window.editor.node_id == second_scenario.start
    assert window.editor.document is window.document
    assert not window.playtest.transcript.toPlainText()  # no transcript of the other scenario
    assert window.playtest.node.findText(first_nodes[1]) < 0 or first_nodes[1] in [n.id for n in second_scenario.nodes]
    assert window.tuning.samples.rowCount() == 0  # the first file's samples wait for it
    assert window.undo_stack.isClean() and "•" not in window.windowTitle()

    window.tabs.setCurrentWidget(window.editor)
    hint = window.editor.fields["Hint"]
    assert isinstance(hint, QPlainTextEdit)
    hint.setFocus()
    hint.setPlainText("Hint written while the wallet scenario was open.")
    qtbot.keyClick(hint, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert first.read_bytes() == before[first] and second.read_bytes() == before[second]  # trainees see no change
    assert not window.drafts.draft_path("delayed-order").exists()  # the other scenario got no draft
    edited = load_file(window.drafts.draft_path("stolen-wallet"))
    assert edited.node(second_scenario.start).hint == "Hint written while the wallet scenario was open."

    # An edit a stale panel still emits for the first scenario is dropped, not applied here.
    stale = ScenarioDocument.from_file(first)
    window.editor.document = stale
    window.editor.edited.emit(("nodes", 1, "hint"), "stale edit")
    assert window.undo_stack.isClean()

    # Back to the first file: its tuning samples are where the trainer left them.
    window.editor.document = window.document
    qtbot.keyClick(window.chooser, Qt.Key.Key_Up)
    assert window.path == first
    assert window.tuning.sample_rows()[0]["response"] == "I'm so sorry, I'll chase the courier now."


def test_auto_fail_no_means_the_same_in_the_studio_and_the_app(qtbot, studio: StudioWindow) -> None:  # type: ignore[no-untyped-def]
    """Issue 15: ``auto_fail: no`` was false for the app (YAML 1.1) and a ticked box in the studio (1.2)."""
    path = studio.folder / "stolen-wallet.yaml"
    text = (SCENARIOS / "stolen-wallet.yaml").read_text(encoding="utf-8")
    assert "    auto_fail: true\n" in text
    path.write_text(text.replace("    auto_fail: true\n", "    auto_fail: no\n", 1), encoding="utf-8")
    line = text[: text.index("    auto_fail: true\n")].count("\n") + 1

    # The app: the file is not loaded, with the line and what to write instead.
    with pytest.raises(ScenarioError) as raised:
        load_file(path)
    (problem,) = [p for p in raised.value.problems if "auto_fail" in p.message]
    assert problem.line == line and "write false" in problem.hint

    # The studio: the same problem, on the same line, and the box is neither ticked nor clear.
    studio.refresh_files(select=path)
    assert [(p.line, p.message) for p, _node in studio.problems] == [(problem.line, problem.message)]
    form = studio.scenario_editor
    studio.tabs.setCurrentWidget(form)
    rubric = studio.document.get(("rubric",))  # type: ignore[union-attr]
    row = next(i for i, c in enumerate(rubric) if c.get("auto_fail") == "no")
    form.criteria.setCurrentRow(row)
    box = form.fields["Auto-fail"]
    assert isinstance(box, QCheckBox)
    assert box.checkState() == Qt.CheckState.PartiallyChecked

    # Ticking it writes a real true: the problem goes and the app reads it as the studio shows it.
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert studio.document.get(("rubric", row, "auto_fail")) is True  # type: ignore[union-attr]
    assert studio.problems == [] and box.checkState() == Qt.CheckState.Checked
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert load_file(studio.drafts.draft_path("stolen-wallet")).rubric[row].auto_fail is True
