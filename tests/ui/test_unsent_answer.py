"""Leaving a conversation with a typed, unsent answer asks first, and the answer is kept (issue 17).

Esc, the Leave button and Quit (Ctrl+Q / closing the window) used to throw it away silently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from simulator.ui.main_window import MainWindow
from tests.ui.helpers import answers, card, make_window, type_answer, window_as_ana

DRAFT = "Maria, I am locking the card right now, and then"


class Asked:
    """Every question the app asked, answered with ``reply`` (no dialog is really opened)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.titles: list[str] = []
        self.reply = QMessageBox.StandardButton.No
        monkeypatch.setattr(QMessageBox, "question", self._ask)

    def _ask(self, _parent: object, title: str, _text: str, *_rest: Any) -> QMessageBox.StandardButton:
        self.titles.append(title)
        return self.reply


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    return Asked(monkeypatch)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    return window_as_ana(qtbot, tmp_path)


def _mid_attempt_with_a_draft(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    type_answer(qtbot, window, answers("stolen-wallet--resolved_well.txt")[0])
    qtbot.keyClicks(window.conversation.answer, DRAFT)


def test_esc_with_an_unsent_answer_asks_and_staying_keeps_it_in_the_box(qtbot, window, asked) -> None:  # type: ignore[no-untyped-def]
    _mid_attempt_with_a_draft(qtbot, window)
    qtbot.keyClick(window.conversation, Qt.Key.Key_Escape)
    assert asked.titles == ["Leave with an unsent answer?"]
    assert window.pages.currentWidget() is window.conversation
    assert window.conversation.answer.toPlainText() == DRAFT


def test_leaving_keeps_the_answer_for_the_resume(qtbot, window, asked) -> None:  # type: ignore[no-untyped-def]
    _mid_attempt_with_a_draft(qtbot, window)
    asked.reply = QMessageBox.StandardButton.Yes
    qtbot.keyClick(window.conversation, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.library
    wallet = card(window, "stolen-wallet")
    assert wallet.resume_button is not None
    qtbot.mouseClick(wallet.resume_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.conversation
    assert window.conversation.answer.toPlainText() == DRAFT
    # Sent now, it is an answer like any other and never comes back as a draft.
    qtbot.keyClick(window.conversation.answer, Qt.Key.Key_Return)
    assert window.conversation.answer.toPlainText() == ""
    assert [b.text_label.text() for b in window.conversation.bubbles() if b.mine][-1] == DRAFT


def test_quit_with_an_unsent_answer_asks_and_the_draft_survives_a_restart(qtbot, tmp_path, window, asked) -> None:  # type: ignore[no-untyped-def]
    _mid_attempt_with_a_draft(qtbot, window)
    assert not window.close()  # "No": nothing closes
    assert window.isVisible() and window.conversation.answer.toPlainText() == DRAFT
    asked.reply = QMessageBox.StandardButton.Yes
    assert window.close()
    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]

    again = make_window(tmp_path)
    qtbot.addWidget(again)
    again.set_trainee(window.trainee)  # type: ignore[arg-type]
    again.show()
    again.resume(attempt.id)
    qtbot.waitUntil(lambda: again.pages.currentWidget() is again.conversation)
    assert again.conversation.answer.toPlainText() == DRAFT


def test_nothing_typed_leaves_without_asking(qtbot, window, asked) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    qtbot.keyClick(window.conversation, Qt.Key.Key_Escape)
    assert asked.titles == [] and window.pages.currentWidget() is window.library
