"""Issue 15, views that stay true, and quitting: driven like a person in the real windows.

Quitting the app (Ctrl+Q) with the classroom's live session running asks before ending it, and
ending it tells every trainee; a trainee's live attempt shows in their library and progress at
once, without a restart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from simulator.classroom.client import LiveClient
from simulator.classroom.host import LiveHost
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment
from simulator.storage.store import Store
from simulator.ui.classroom.live_play import LivePlayWindow
from simulator.ui.classroom.window import ClassroomWindow
from simulator.ui.main_window import MainWindow
from simulator.ui.studio.gate import TrainerGate
from tests.ui.helpers import SCENARIOS, answers, card, make_window

GOOD = "stolen-wallet--resolved_well.txt"
Button = QMessageBox.StandardButton


class Asked:
    """Every question the app asked, answered from a script (no real dialog opens in a test)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.questions: list[tuple[str, str]] = []
        self.replies: list[Button] = []
        monkeypatch.setattr(QMessageBox, "question", self._ask)
        for kind in ("information", "warning", "critical"):
            monkeypatch.setattr(QMessageBox, kind, self._unexpected)

    def _ask(self, _parent: object, title: str, text: str, *rest: object) -> Button:
        self.questions.append((title, text))
        assert self.replies, f"unexpected question: {title}: {text}"
        return self.replies.pop(0)

    @staticmethod
    def _unexpected(_parent: object, title: str, text: str, *rest: object) -> Button:
        raise AssertionError(f"unexpected message: {title}: {text}")


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> Asked:
    return Asked(monkeypatch)


@pytest.fixture
def scenario() -> Scenario:
    return Catalog([SCENARIOS]).get("stolen-wallet")


# -- A: quitting ends the classroom's live session, after asking -------------------------------


def open_classroom(window: MainWindow) -> ClassroomWindow:
    """Go ▸ Classroom…, the trainer's passphrase typed into the gate."""

    def fill() -> None:
        gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
        gate.passphrase.setText("correct horse battery")
        gate._check()

    QTimer.singleShot(0, fill)
    next(a for a in window.actions() if a.text() == "&Classroom…").trigger()
    classroom = window.classroom_window
    assert classroom is not None and classroom.isVisible()
    return classroom


@pytest.fixture
def trainer_app(qtbot, tmp_path: Path, scenario: Scenario) -> Iterator[tuple[MainWindow, Assignment]]:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "data" / "db.sqlite3")
    store.set_trainer_passphrase("Jo Trainer", "correct horse battery")
    classroom = ClassroomStore(store)
    group = classroom.add_group("Morning cohort")
    classroom.import_roster([("Ana", "Morning cohort")])
    assignment = classroom.assign(group.id, scenario, "practice", 60)
    window = make_window(tmp_path / "data", store=store)
    qtbot.addWidget(window)
    window.set_trainee(store.add_trainee("Jo"))
    window.show()
    yield window, assignment
    classroom = window.classroom_window
    if classroom is not None:  # a failed test: shut the host down without asking
        if classroom.host_view is not None:
            classroom.host_view.stop()
            classroom.host_view = None
        classroom.close()
    window.close()


def host_from_classroom(classroom: ClassroomWindow, assignment: Assignment) -> LiveHost:
    classroom.host_live(assignment.id, port=0)  # loopback, any free port
    host = classroom.host_view.host
    assert isinstance(host, LiveHost)
    return host


def trainee_answers_once(host: LiveHost, scenario: Scenario, name: str = "Ana") -> LiveClient:
    client = LiveClient.connect("127.0.0.1", host.address[1], host.code, name)
    client.play(RubricScorer()).respond(answers(GOOD)[0])
    return client


def press_ctrl_q(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def test_quitting_asks_first_then_ends_the_live_session_for_every_trainee(  # type: ignore[no-untyped-def]
    qtbot, trainer_app: tuple[MainWindow, Assignment], scenario: Scenario, asked: Asked
) -> None:
    window, assignment = trainer_app
    classroom = open_classroom(window)
    host = host_from_classroom(classroom, assignment)
    client = trainee_answers_once(host, scenario)
    qtbot.waitUntil(lambda: classroom.host_view.refresh().rows[0].turn_count == 1, timeout=15_000)

    # Cancel: everything keeps running, nothing closes.
    asked.replies.append(Button.Cancel)
    press_ctrl_q(qtbot, window)
    assert asked.questions == [
        ("End the live session?", "End the live session? 1 trainee is connected; their answers so far are saved.")
    ]
    assert window.isVisible() and classroom.isVisible() and window.classroom_window is classroom
    board = host.dashboard()
    assert not board.ended and board.connected == 1
    assert not client.ended.is_set()

    # Yes: the session ends for the trainee, what they have so far is saved, both windows close.
    asked.replies.append(Button.Yes)
    press_ctrl_q(qtbot, window)
    assert len(asked.questions) == 2
    assert not window.isVisible() and not classroom.isVisible()
    assert client.wait_ended(10)
    assert client.end_reason == "The trainer ended the session."
    assert host.dashboard().ended
    client.close()
    trainer = ClassroomStore(Store(window.store.path))
    try:
        [status] = [s for s in trainer.statuses(assignment.id).values() if s.attempts_used]
        assert status.status.value == "in progress"  # Ana's one answer, kept as an unfinished attempt
    finally:
        trainer.close()


def test_closing_the_classroom_asks_the_same_way_and_an_ended_session_closes_quietly(  # type: ignore[no-untyped-def]
    qtbot, trainer_app: tuple[MainWindow, Assignment], scenario: Scenario, asked: Asked
) -> None:
    window, assignment = trainer_app
    classroom = open_classroom(window)
    host = host_from_classroom(classroom, assignment)

    asked.replies.append(Button.Cancel)
    assert not classroom.close()  # the title bar's close button
    assert asked.questions == [
        ("End the live session?", "End the live session? No trainees are connected; their answers so far are saved.")
    ]
    assert classroom.isVisible() and not host.dashboard().ended

    qtbot.mouseClick(classroom.host_view.end_button, Qt.MouseButton.LeftButton)  # ended by the trainer
    qtbot.waitUntil(lambda: host.dashboard().ended, timeout=10_000)
    assert classroom.close()  # nothing left to end: no question
    assert len(asked.questions) == 1
    qtbot.waitUntil(lambda: window.classroom_window is None)
    press_ctrl_q(qtbot, window)
    assert not window.isVisible() and len(asked.questions) == 1


# -- B: a live attempt shows in the trainee's library and progress at once ---------------------


@pytest.fixture
def live_host(tmp_path: Path, scenario: Scenario) -> Iterator[LiveHost]:
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    group = trainer.add_group("Morning cohort")
    trainer.import_roster([("Ana", "Morning cohort")])
    assignment = trainer.assign(group.id, scenario, "practice", 60)
    trainer.close()
    host = LiveHost(
        assignment, scenario, RubricScorer(), database=tmp_path / "trainer.sqlite3", bind="127.0.0.1", port=0
    )
    host.start()
    yield host
    host.stop()


@pytest.fixture
def trainee_app(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path / "trainee")
    qtbot.addWidget(window)
    window.set_trainee(window.store.add_trainee("Ana"))
    window.show()
    yield window
    window.close()


def join(qtbot, window: MainWindow, host: LiveHost) -> LivePlayWindow:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = window.classroom.join_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.address.setText("")
    qtbot.keyClicks(dialog.address, f"127.0.0.1:{host.address[1]}")
    dialog.code.setText("")
    qtbot.keyClicks(dialog.code, host.code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.classroom.live is not None, timeout=15_000)
    live = window.classroom.live
    assert isinstance(live, LivePlayWindow)
    qtbot.waitUntil(lambda: live.play is not None, timeout=15_000)
    return live


def say(qtbot, live: LivePlayWindow, lines: list[str], until: Callable[[], Any]) -> None:  # type: ignore[no-untyped-def]
    for line in lines:
        box = live.conversation.answer
        qtbot.keyClicks(box, line)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        if live.over:
            break
    qtbot.waitUntil(until, timeout=15_000)


def test_a_finished_live_attempt_shows_in_the_library_and_progress_without_a_restart(  # type: ignore[no-untyped-def]
    qtbot, trainee_app: MainWindow, live_host: LiveHost, asked: Asked
) -> None:
    window = trainee_app
    assert window.pages.currentWidget() is window.library
    assert card(window, "stolen-wallet").history_label.text() == "Not tried yet"
    live = join(qtbot, window, live_host)
    say(qtbot, live, answers(GOOD), lambda: live.over)
    assert live.banner.text().startswith("✓ You reached the end of the conversation (resolved). Your score: ")
    score = live.score_label.text().removeprefix("Score so far: ")

    # The library behind the live window already says so: one attempt, its score the best.
    wallet = card(window, "stolen-wallet")
    assert wallet.history_label.text() == f"1 attempt · best {score}/100"
    assert wallet.resume_button is None

    # And the progress page has it, as a finished attempt with that score.
    window.show_progress()
    row = window.progress.model.row_at(0)
    assert (row.scenario_id, row.finished, row.outcome, f"{row.score:.0f}") == (
        "stolen-wallet",
        True,
        "resolved",
        score,
    )
    assert row.duration_seconds is not None and row.duration_seconds >= 0

    # Leaving keeps it; the progress page on screen stays true.
    qtbot.keyClick(live.conversation, Qt.Key.Key_Escape)
    assert window.classroom.live is None
    assert window.progress.model.rowCount() == 1
    assert asked.questions == []

    # The copy counts for the session's assignment (kept here) and for nothing else, and a results
    # file leaves it out: the trainer's app recorded the attempt that counts.
    from simulator.storage.classroom import ClassroomStore

    classroom = ClassroomStore(window.store)  # type: ignore[arg-type]
    kept = classroom.assignment_by_uid(live_host.assignment.uid)
    assert kept is not None
    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]
    status = classroom.status(kept.id, window.trainee.id)  # type: ignore[union-attr]
    assert list(status.counted) == [attempt.id]
    links = window.store.db.execute(
        "SELECT assignment_id, source FROM assignment_attempts WHERE attempt_id = ?", [attempt.id]
    ).fetchall()
    assert [tuple(r) for r in links] == [(kept.id, "live")]
    assert classroom.export_attempts(kept.id, window.trainee.id) == []  # type: ignore[union-attr]


def test_the_progress_page_on_screen_reloads_when_a_live_attempt_finishes(  # type: ignore[no-untyped-def]
    qtbot, trainee_app: MainWindow, live_host: LiveHost, asked: Asked
) -> None:
    window = trainee_app
    window.show_progress()
    assert window.progress.model.rowCount() == 0
    live = join(qtbot, window, live_host)
    say(qtbot, live, answers(GOOD), lambda: live.over)
    assert window.pages.currentWidget() is window.progress
    assert window.progress.model.rowCount() == 1
    assert window.progress.model.row_at(0).finished
    live.close()
    assert asked.questions == []


@pytest.mark.qt_log_ignore(r"This plugin does not support raise\(\)")  # offscreen: bringing the window forward
def test_an_unfinished_live_attempt_is_not_left_behind_to_resume(  # type: ignore[no-untyped-def]
    qtbot, trainee_app: MainWindow, live_host: LiveHost, asked: Asked
) -> None:
    window = trainee_app
    live = join(qtbot, window, live_host)
    say(qtbot, live, answers(GOOD)[:2], lambda: live.received_label.text() == "✓ The trainer's app has 2 answers")
    # Mid-session the library counts the attempt being played; Resume brings the live window back.
    wallet = card(window, "stolen-wallet")
    assert wallet.history_label.text() == "1 attempt · not finished yet"
    assert wallet.resume_button is not None
    qtbot.mouseClick(wallet.resume_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.library  # no second copy of the conversation here
    assert window.statusBar().currentMessage() == "This attempt is being played in the live session's window."

    live_host.end_session()  # the trainer ends it before Ana reached the end
    qtbot.waitUntil(live.banner.isVisible, timeout=15_000)
    live.close()
    # The trainer's app keeps the unfinished attempt; this computer keeps no half attempt to resume.
    wallet = card(window, "stolen-wallet")
    assert wallet.history_label.text() == "Not tried yet" and wallet.resume_button is None
    assert window.store.attempts(window.trainee.id) == []  # type: ignore[union-attr]
    assert asked.questions == []
