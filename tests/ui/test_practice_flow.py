"""Whole attempts through the real window: type, press Enter, read the verdict, reach the debrief."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from simulator.storage.database import Problem, StorageError
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui import errors
from simulator.ui.main_window import MainWindow
from tests.ui.helpers import answers, card, make_window, type_answer, window_as_ana


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:  # type: ignore[no-untyped-def]
    return window_as_ana(qtbot, tmp_path)


def test_a_whole_practice_attempt(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.pages.currentWidget() is window.library
    assert len(window.library.cards) == 5
    qtbot.mouseClick(card(window, "stolen-wallet").practice_button, Qt.MouseButton.LeftButton)
    conversation = window.conversation
    assert window.pages.currentWidget() is conversation
    assert conversation.answer.hasFocus()
    [first] = conversation.bubbles()
    assert "my wallet's gone" in first.text_label.text().lower() or "wallet was stolen" in first.text_label.text()
    assert "Acknowledges the customer's emotion" in conversation.criteria_label.text()
    assert conversation.mood_label.text() == "Customer: upset (agitation 78/100)"

    script = answers("stolen-wallet--resolved_well.txt")
    type_answer(qtbot, window, script[0])
    mine = conversation.bubbles()[1]
    assert mine.mine and mine.text_label.text() == script[0]
    assert not mine.verdict.isHidden()
    assert "✓ Locks the card before anything else" in mine.verdict.text()
    assert conversation.mood_label.text() == "Customer: tense (agitation 58/100)"
    assert len(conversation.bubbles()) == 3  # the customer's reply is there

    for line in script[1:]:
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief
    # The database holds the finished attempt, every answer and its verdicts.
    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]
    assert attempt.finished and attempt.outcome == "resolved" and attempt.mode == "practice"
    turns = window.store.turns(attempt.id)
    assert [t.answer for t in turns] == script
    assert all(t.response_seconds >= 0 for t in turns)
    assert any(c["id"] == "lock_card_first" and c["met"] for c in turns[0].criteria)


def test_shift_enter_starts_a_new_line(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    box = window.conversation.answer
    qtbot.keyClicks(box, "first line")
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(box, "second line")
    assert box.toPlainText() == "first line\nsecond line"
    assert len(window.conversation.bubbles()) == 1  # nothing was sent
    box.clear()  # an unsent answer would make closing the window ask (tests/ui/test_unsent_answer.py)


def test_assessment_mode_hides_hints_criteria_and_verdicts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(card(window, "stolen-wallet").assess_button, Qt.MouseButton.LeftButton)
    conversation = window.conversation
    assert conversation.hint_button.isHidden() and conversation.criteria_label.isHidden()
    qtbot.keyClick(conversation, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert conversation.hint_label.isHidden()
    type_answer(qtbot, window, "I'm locking your card right now. That sounds frightening.")
    assert conversation.bubbles()[1].verdict.isHidden()
    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]
    assert attempt.mode == "assessment"


def test_hint_in_practice_mode(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    qtbot.mouseClick(window.conversation.hint_button, Qt.MouseButton.LeftButton)
    assert window.conversation.hint_label.isVisible()
    assert window.conversation.hint_label.text().startswith("Hint: She needs two things")


def test_leave_and_resume_where_it_stopped(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    script = answers("stolen-wallet--resolved_well.txt")
    window.start("stolen-wallet", "practice")
    type_answer(qtbot, window, script[0])
    type_answer(qtbot, window, script[1])
    qtbot.keyClick(window.conversation, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.library
    wallet = card(window, "stolen-wallet")
    assert wallet.resume_button is not None
    assert "1 attempt · not finished yet" in wallet.history_label.text()
    qtbot.mouseClick(wallet.resume_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.conversation
    bubbles = window.conversation.bubbles()
    assert [b.mine for b in bubbles] == [False, True, False, True, False]
    assert bubbles[1].text_label.text() == script[0]
    for line in script[2:]:
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief
    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]
    assert attempt.finished and attempt.ending_id == "resolved_well"


def test_retry_from_the_debrief(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    for line in answers("stolen-wallet--hung_up.txt"):
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief
    with qtbot.waitSignal(window.practice.started, timeout=2000):
        window.debrief.retry_requested.emit()
    assert window.pages.currentWidget() is window.conversation
    assert len(window.conversation.bubbles()) == 1
    assert len(window.store.attempts(window.trainee.id)) == 2  # type: ignore[union-attr]
    window.debrief.library_requested.emit()
    assert window.pages.currentWidget() is window.library


def test_library_filters_and_search(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    library = window.library
    library.channel.setCurrentIndex(library.channel.findData("chat"))
    assert [c.scenario.id for c in library.visible_cards()] == ["internet-outage"]
    library.channel.setCurrentIndex(0)
    qtbot.keyClicks(library.search, "wallet")
    assert [c.scenario.id for c in library.visible_cards()] == ["stolen-wallet"]
    qtbot.keyClicks(library.search, " zzz")
    assert library.visible_cards() == [] and library.empty.isVisible()


def test_progress_page_lists_attempts(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    for line in answers("stolen-wallet--hung_up.txt"):
        type_answer(qtbot, window, line)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.pages.currentWidget() is window.progress
    assert window.progress.model.rowCount() == 1  # type: ignore[attr-defined]


def test_locked_database_keeps_the_answer(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    store = Store(database_path(tmp_path), busy_timeout_ms=100)
    window = make_window(tmp_path, store=store)
    qtbot.addWidget(window)
    window.set_trainee(store.add_trainee("Ana"))
    shown: list[StorageError] = []
    monkeypatch.setattr(errors, "show_storage_error", lambda parent, error: shown.append(error))
    window.start("stolen-wallet", "practice")
    other = sqlite3.connect(str(database_path(tmp_path)), isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    text = "I'm locking your card right now so nothing else can go through."
    type_answer(qtbot, window, text)
    other.execute("ROLLBACK")
    other.close()
    assert [e.problem for e in shown] == [Problem.LOCKED]
    assert window.conversation.answer.toPlainText() == text  # nothing the trainee typed is lost
    assert len(window.conversation.bubbles()) == 1
    qtbot.keyClick(window.conversation.answer, Qt.Key.Key_Return)  # send again once the lock is gone
    [attempt] = store.attempts(window.trainee.id)  # type: ignore[union-attr]
    assert [t.answer for t in store.turns(attempt.id)] == [text]
    assert window.practice.attempt is not None and window.practice.attempt.session.current.index == 1  # type: ignore[union-attr]


@pytest.mark.usefixtures("app_globals")
def test_startup_with_a_corrupt_database_shows_a_dialog(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from simulator.ui import app

    database_path(tmp_path).write_bytes(b"garbage" * 500)
    shown: list[StorageError] = []
    monkeypatch.setattr(app.errors, "show_storage_error", lambda parent, error: shown.append(error))
    assert app.run(tmp_path, [Path("scenarios")]) == 1
    assert shown and shown[0].problem is Problem.CORRUPT and shown[0].path == database_path(tmp_path)


def test_background_runner_really_uses_a_worker_thread(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path, synchronous=False)
    qtbot.addWidget(window)
    trainee = window.store.add_trainee("Ana")
    window.set_trainee(trainee)
    qtbot.waitUntil(lambda: len(window.library.cards) == 5, timeout=5000)
    window.start("stolen-wallet", "practice")
    qtbot.waitUntil(lambda: len(window.conversation.bubbles()) == 1, timeout=5000)
    type_answer(qtbot, window, "That sounds frightening. I'm locking your card right now.")
    qtbot.waitUntil(lambda: len(window.conversation.bubbles()) == 3, timeout=5000)
    window.runner.wait()
    assert len(window.store.turns(window.practice.attempt.id)) == 1  # type: ignore[union-attr]


def test_a_past_attempt_opens_in_the_debrief_from_progress(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.start("stolen-wallet", "practice")
    for line in answers("stolen-wallet--resolved_well.txt"):
        type_answer(qtbot, window, line)
    first_score = window.debrief.header.score_label.text()  # type: ignore[union-attr]
    window.start("delayed-order", "assessment")  # a second attempt, left unfinished
    type_answer(qtbot, window, "I understand how stressful this is. Let me check the order for you now.")
    window.leave_conversation()
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    progress = window.progress
    table = progress.table
    assert not progress.open_button.isEnabled()
    # Newest first: the wallet attempt is the second row. Arrow down to it and press Enter.
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert progress.open_button.isEnabled()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert window.pages.currentWidget() is window.debrief
    assert window.debrief.header.score_label.text() == first_score  # type: ignore[union-attr]
    assert len(window.debrief.turn_cards) == len(answers("stolen-wallet--resolved_well.txt"))
    # Retry from that debrief starts the same scenario again.
    qtbot.mouseClick(window.debrief.retry_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.conversation
    assert window.practice.attempt is not None and window.practice.attempt.scenario.id == "stolen-wallet"
