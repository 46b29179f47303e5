"""A whole attempt through the real window at a scenario with a desk and memory: the desk sits
beside the chat, the customer quotes what the trainee gave, and the debrief tells this attempt."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt

from simulator.core.catalog import Catalog
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.main_window import MainWindow
from tests.core.test_memory import SCENARIO
from tests.ui.helpers import ROOT, card, type_answer


def make(tmp_path: Path) -> MainWindow:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "memory.yaml").write_text(SCENARIO, encoding="utf-8")
    window = MainWindow(
        Catalog([folder]),
        Store(database_path(tmp_path)),
        ROOT / "assets",
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        synchronous=True,
        typing_delay_ms=0,
        choose_trainee=lambda trainees: "Ana",
    )
    window.set_trainee(window.store.add_trainee("Ana"))
    return window


def test_desk_memory_and_a_debrief_of_this_attempt(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make(tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(card(window, "memory").practice_button, Qt.MouseButton.LeftButton)
    conversation = window.conversation
    assert conversation.desk.isVisible()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach only the active window
    desk_text = conversation.desk.body.text()
    assert "Order 4471" in desk_text and "Priya Shah" in desk_text and "Next-day courier" in desk_text
    qtbot.keyClick(conversation.answer, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not conversation.desk.isVisible()
    qtbot.keyClick(conversation.answer, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert conversation.desk.isVisible()
    assert conversation.mood_label.text() == "Customer: tense (agitation 60/100)"

    type_answer(qtbot, window, "Hi, my name is Sam. It will be with you Thursday between nine and eleven.")
    last = conversation.bubbles()[-1]
    assert last.text_label.text() == "Thursday between nine and eleven, you said? Can I have a reference, Sam?"
    type_answer(qtbot, window, "Of course, your reference is AB12345.")

    debrief = window.debrief
    assert window.pages.currentWidget() is debrief
    assert debrief.header is not None
    assert debrief.header.line_label.text() == "“Thanks, I've written down AB12345.” — Dana Reed"
    assert (
        debrief.header.debrief_label.text()
        == "You gave Dana a time (Thursday between nine and eleven) on the first turn."
    )
    recap = debrief.recap_label.text()
    assert "You showed 2 of the 2 things" in recap and "AB12345" in recap and "Sam" in recap
    assert "Still to work on" not in recap


def test_a_resumed_attempt_reads_the_same_debrief(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make(tmp_path)
    qtbot.addWidget(window)
    window.show()
    qtbot.mouseClick(card(window, "memory").practice_button, Qt.MouseButton.LeftButton)
    type_answer(qtbot, window, "I'm not sure, sorry.")
    type_answer(qtbot, window, "Goodbye.")
    header = window.debrief.header
    assert header is not None
    assert header.line_label.text() == "“Okay. Bye.” — Dana Reed"
    assert header.debrief_label.text() == "Dana never heard when the lamp would come."
    assert "Still to work on" in window.debrief.recap_label.text()
