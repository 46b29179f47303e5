"""The trainee's side of the classroom in the real window: assignments first in the library, played
from their card, results exported for the trainer, and a live session joined over loopback."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from simulator.classroom.assignment_file import export_assignment, trainee_key
from simulator.classroom.client import LiveClientError, Problem
from simulator.classroom.host import LiveHost, scenario_file_text
from simulator.classroom.protocol import PROTOCOL_VERSION, Refusal
from simulator.classroom.results_import import FileStatus, Rescorer, import_results_files
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment, Status
from simulator.storage.paths import database_path
from simulator.storage.store import Store, Trainee, now
from simulator.ui.classroom.live_play import LivePlayWindow
from simulator.ui.classroom.trainee_assignments import AssignmentCard
from simulator.ui.main_window import MainWindow
from tests.classroom.conftest import TRAINER_KEY
from tests.classroom.live_helpers import FakeHost, not_connected
from tests.ui.helpers import SCENARIOS, answers, make_window, type_answer

GOOD = "stolen-wallet--resolved_well.txt"
POOR = "stolen-wallet--hung_up.txt"


class Said:
    """Every message box the app showed (none is really opened in a test)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.boxes: list[tuple[str, str, str]] = []
        for kind in ("information", "warning", "critical", "question"):
            monkeypatch.setattr(QMessageBox, kind, self._record(kind))

    def _record(self, kind: str) -> Any:
        def show(_parent: object, title: str, text: str, *rest: object) -> QMessageBox.StandardButton:
            self.boxes.append((kind, title, text))
            return QMessageBox.StandardButton.Ok

        return show

    def last(self) -> tuple[str, str, str]:
        assert self.boxes, "no message was shown"
        return self.boxes[-1]


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> Said:
    return Said(monkeypatch)


@pytest.fixture
def scenario() -> Scenario:
    return Catalog([SCENARIOS]).get("stolen-wallet")


@pytest.fixture
def window(qtbot, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = make_window(tmp_path / "trainee")
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def as_ana(window: MainWindow) -> Trainee:
    ana = window.store.add_trainee("Ana")
    window.set_trainee(ana)
    return ana


def action(window: MainWindow, text: str) -> QAction:
    return next(a for a in window.findChildren(QAction) if a.text() == text)


def assignment_card(window: MainWindow) -> AssignmentCard:
    [card] = window.library.assignments.cards
    return card


def click_start(qtbot, card: AssignmentCard) -> None:  # type: ignore[no-untyped-def]
    """A click lands where the button is drawn: wait for the card's layout (it was clicked on a 1-pixel button)."""
    button = card.start_button
    qtbot.waitUntil(lambda: button.height() >= button.minimumSizeHint().height())
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def play_to_the_end(qtbot, window: MainWindow, path: str) -> None:  # type: ignore[no-untyped-def]
    """From the assignment card to the debrief, typing each answer and pressing Enter."""
    click_start(qtbot, assignment_card(window))
    assert window.pages.currentWidget() is window.conversation
    for line in answers(path):
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief


def test_an_assignment_comes_first_is_played_from_its_card_and_passes(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, scenario: Scenario, said: Said
) -> None:
    ana = window.store.add_trainee("Ana")
    trainer = ClassroomStore.open(database_path(tmp_path / "trainee"))  # the trainer's side, same database
    group = trainer.add_group("Morning cohort")
    trainer.add_member(group.id, ana.id)
    assignment = trainer.assign(group.id, scenario, "practice", 60, attempt_limit=2, due=now() + timedelta(days=7))
    window.set_trainee(ana)

    library = window.library
    panel = library.assignments
    assert panel.isVisible() and library.cards_layout.indexOf(panel) == 0  # above every scenario card
    assert panel.geometry().bottom() < library.cards[0].geometry().top()
    card = assignment_card(window)
    assert card.badge.text() == "○ Not started"
    assert card.reason_label.text() == "Needs 60 to pass"
    assert "Morning cohort · practice · Due " in card.facts_label.text()
    assert card.facts_label.text().endswith("2 of 2 attempts left")
    assert card.start_button.text() == "Start" and card.export_button.isHidden()

    play_to_the_end(qtbot, window, GOOD)
    qtbot.mouseClick(window.debrief.library_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is library
    card = assignment_card(window)
    assert card.badge.text() == "✓ Passed"
    assert card.reason_label.text().startswith("Passed with ")
    assert card.facts_label.text().endswith("1 of 2 attempts left")
    assert not card.export_button.isHidden()

    [attempt] = window.store.attempts(ana.id)
    [fact] = trainer.attempts_for(assignment.id)
    assert fact.id == attempt.id and fact.assignment_id == assignment.id and fact.source == "local"
    assert trainer.status(assignment.id, ana.id).status is Status.PASSED
    assert said.boxes == []
    trainer.close()


def test_without_assignments_the_library_is_as_before(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    as_ana(window)
    assert window.library.assignments.isHidden() and window.library.assignments.cards == []
    assert window.library.cards_layout.indexOf(window.library.cards[0]) == 1  # right after the hidden panel


def test_a_closed_assignment_refuses_a_new_attempt_and_an_open_one_resumes(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, scenario: Scenario, said: Said
) -> None:
    ana = window.store.add_trainee("Ana")
    trainer = ClassroomStore(window.store)
    group = trainer.add_group("Evening cohort")
    trainer.add_member(group.id, ana.id)
    assignment = trainer.assign(group.id, scenario, "assessment", 90, attempt_limit=1)
    window.set_trainee(ana)

    click_start(qtbot, assignment_card(window))
    type_answer(qtbot, window, answers(POOR)[0])
    qtbot.keyClick(window.conversation, Qt.Key.Key_Escape)  # leave half-way: the attempt stays open
    card = assignment_card(window)
    assert card.badge.text() == "◐ In progress" and card.start_button.text() == "Resume"
    assert card.facts_label.text().endswith("0 of 1 attempt left")
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)  # Enter on the card resumes, like its button
    assert window.pages.currentWidget() is window.conversation
    assert len(window.conversation.bubbles()) == 3  # the line, the answer, the next line
    for line in answers(POOR)[1:]:
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief
    window.show_library()
    card = assignment_card(window)
    assert card.badge.text() == "✗ Failed"
    assert card.reason_label.text() == "All 1 attempt used without reaching 90"

    click_start(qtbot, card)
    _kind, title, text = said.last()
    assert title == "This assignment is closed"
    assert text.startswith("All 1 attempt used without reaching 90, so a new attempt would not count")
    assert window.pages.currentWidget() is window.library
    assert len(window.store.attempts(ana.id)) == 1
    [fact] = trainer.attempts_for(assignment.id)
    assert fact.assignment_id == assignment.id and fact.mode == "assessment"


def test_an_assignment_file_in_and_a_results_file_out_to_the_trainers_database(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, scenario: Scenario, said: Said, monkeypatch: pytest.MonkeyPatch
) -> None:
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))  # the trainer's own machine
    group = trainer.add_group("Morning cohort")
    trainer.import_roster([("Ana", "Morning cohort")])
    assignment = trainer.assign(group.id, scenario, "practice", 60, attempt_limit=3)
    handout = tmp_path / "stolen-wallet.assignment.json"
    handout.write_bytes(export_assignment(assignment, "Ana", TRAINER_KEY, scenario_file_text(scenario)))
    ana = as_ana(window)
    assert window.library.assignments.isHidden()

    offered: list[str] = []

    def open_file(_parent: object, _title: str, folder: str, _filter: str) -> tuple[str, str]:
        offered.append(folder)
        return str(handout), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", open_file)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    kind, title, text = said.last()
    assert (kind, title) == ("information", "Assignment added")
    assert (
        text
        == "“Stolen wallet at 2 a.m.” for Morning cohort (practice, pass mark 60, 3 attempts) is now at the top of your library."
        "\n\nFirst file from the trainer of Morning cohort: their key is 5647-5AA7-5463-474C-0285. "
        "Check it matches the key your trainer's app shows."
    )
    assert assignment_card(window).badge.text() == "○ Not started"

    play_to_the_end(qtbot, window, GOOD)
    window.show_library()
    assert assignment_card(window).badge.text() == "✓ Passed"

    out = tmp_path / "usb"
    out.mkdir()
    suggested: list[str] = []

    def save_file(_parent: object, _title: str, name: str, _filter: str) -> tuple[str, str]:
        suggested.append(Path(name).name)
        return str(out / Path(name).name), ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_file)
    monkeypatch.setattr(QInputDialog, "getItem", lambda *args: pytest.fail("one assignment: nothing to choose"))
    action(window, "&Export results…").trigger()
    [name] = suggested
    assert name == f"stolen-wallet-Ana-{assignment.uid[:8]}.results.json"
    kind, title, text = said.last()
    assert (kind, title) == ("information", "Results saved")
    assert text.startswith(f"Saved 1 finished attempt at “Stolen wallet at 2 a.m.” to:\n{out / name}\n")

    summary = import_results_files(trainer, [out / name], Rescorer(lambda: window.catalog.scenarios))
    [outcome] = summary.files
    assert outcome.status is FileStatus.IMPORTED and outcome.imported == 1 and outcome.trainee == "Ana"
    assert not outcome.joined_group

    # Exported again from the card's own button: the same file, which the trainer's app recognises.
    qtbot.mouseClick(assignment_card(window).export_button, Qt.MouseButton.LeftButton)
    assert suggested == [name, name] and said.last()[1] == "Results saved"
    [again] = import_results_files(trainer, [out / name], Rescorer(lambda: window.catalog.scenarios)).files
    assert again.status is FileStatus.DUPLICATE
    trainee = next(t for t in trainer.store.trainees() if t.name == "Ana")
    assert trainer.status(assignment.id, trainee.id).status is Status.PASSED
    [local] = window.store.attempts(ana.id)
    [imported] = trainer.store.attempts(trainee.id)
    assert imported.score == pytest.approx(local.score)
    trainer.close()


def test_bad_assignment_files_and_nothing_to_export_are_said_plainly(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, tmp_path: Path, scenario: Scenario, said: Said, monkeypatch: pytest.MonkeyPatch
) -> None:
    ana = as_ana(window)
    trainer = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    assignment = trainer.assign(trainer.add_group("Morning cohort").id, scenario, "practice", 60)
    good = export_assignment(assignment, "Ana", TRAINER_KEY, scenario_file_text(scenario))
    trainer.close()
    files = {
        "half.assignment.json": good[: len(good) // 2],
        "edited.assignment.json": good.replace(b"Maria", b"Marta", 1),  # the scenario no longer matches its hash
        "newer.assignment.json": good.replace(b'"version":2', b'"version":9'),
        "photo.assignment.json": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    reasons = {
        "half.assignment.json": "Not a valid assignment file: ",
        "edited.assignment.json": "Changed after your trainer made it (its signature does not match): ask your trainer for a new file.",
        "newer.assignment.json": "Made by a newer version of Empathy Trainer: update the app.",
        "photo.assignment.json": "Not a valid assignment file: ",
        "missing.assignment.json": "It cannot be read (No such file or directory).",
    }
    for name, reason in reasons.items():
        monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, n=name: (str(tmp_path / n), ""))
        action(window, "&Open assignment file…").trigger()
        kind, title, text = said.last()
        assert (kind, title) == ("warning", "This assignment file cannot be used")
        assert text.startswith(f"{name}: {reason}"), text
        assert "Traceback" not in text
    assert ClassroomStore(window.store).assignments_for(ana.id) == []

    action(window, "&Export results…").trigger()
    assert said.last()[1:] == (
        "No assignments yet",
        "You have no assignments yet. Open the assignment file your trainer gave you "
        "(Class ▸ Open assignment file…), or join their live session.",
    )
    (tmp_path / "good.assignment.json").write_bytes(good)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args: (str(tmp_path / "good.assignment.json"), ""))
    action(window, "&Open assignment file…").trigger()
    assert said.last()[1] == "Assignment added"
    action(window, "&Export results…").trigger()
    assert said.last()[1] == "Nothing to export yet"


@pytest.fixture
def trainer(tmp_path: Path) -> Iterator[ClassroomStore]:
    classroom = ClassroomStore(Store(tmp_path / "trainer.sqlite3"))
    yield classroom
    classroom.close()


@pytest.fixture
def live_assignment(trainer: ClassroomStore, scenario: Scenario) -> Assignment:
    group = trainer.add_group("Morning cohort")
    trainer.import_roster([("Ana", "Morning cohort"), ("Ben", "Morning cohort")])
    return trainer.assign(group.id, scenario, "practice", 60)


@pytest.fixture
def host(live_assignment: Assignment, scenario: Scenario, tmp_path: Path) -> Iterator[LiveHost]:
    live = LiveHost(
        live_assignment, scenario, RubricScorer(), database=tmp_path / "trainer.sqlite3", bind="127.0.0.1", port=0
    )
    live.start()
    yield live
    live.stop()


def join(qtbot, window: MainWindow, address: str, code: str) -> Any:  # type: ignore[no-untyped-def]
    """Ctrl+J, type the address and the code as a trainee would, press Enter."""
    qtbot.keyClick(window, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)
    dialog = window.classroom.join_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.name.text() == "Ana"  # the trainee's name by default
    dialog.address.clear()
    qtbot.keyClicks(dialog.address, address)
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, code)
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    return dialog


def test_joining_a_live_session_playing_two_turns_until_the_trainer_ends_it(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, host: LiveHost, live_assignment: Assignment, said: Said
) -> None:
    ana = as_ana(window)
    host_name, port = host.address
    typed = f"{host.code[:3].lower()}-{host.code[3:].lower()} "  # lowercase, a dash, a stray space
    dialog = join(qtbot, window, f"{host_name}:{port}", typed)
    qtbot.waitUntil(lambda: window.classroom.live is not None, timeout=15_000)
    assert not dialog.isVisible()
    live = window.classroom.live
    assert isinstance(live, LivePlayWindow) and live.isVisible()
    assert live.windowTitle() == "Live session: Stolen wallet at 2 a.m. (Morning cohort)"
    assert live.title_label.text() == "Stolen wallet at 2 a.m. (Morning cohort): joined as Ana"
    conversation = live.conversation
    [first] = conversation.bubbles()
    assert "wallet" in first.text_label.text().lower()
    assert "Stolen wallet at 2 a.m." in conversation.mode_label.text()
    assert conversation.answer.hasFocus()

    script = answers(GOOD)
    for n, line in enumerate(script[:2], start=1):
        box = conversation.answer
        qtbot.keyClicks(box, line)
        qtbot.keyClick(
            box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier if n == 2 else Qt.KeyboardModifier.NoModifier
        )
        mine = conversation.bubbles()[2 * n - 1]
        assert mine.mine and mine.text_label.text() == line
        assert not mine.verdict.isHidden() and "Turn score" in mine.verdict.text()
        assert len(conversation.bubbles()) == 2 * n + 1  # the customer's next line is there
    assert "✓ Locks the card before anything else" in conversation.bubbles()[1].verdict.text()
    assert live.score_label.text().startswith("Score so far: ")
    assert conversation.mood_label.text().startswith("Customer: ")
    qtbot.waitUntil(lambda: live.received_label.text() == "✓ The trainer's app has 2 answers", timeout=15_000)

    [row] = host.dashboard().rows
    assert (row.name, row.phase.value, row.connected, row.turn_count) == ("Ana", "playing", True, 2)
    assert live.score_label.text() == f"Score so far: {row.score_so_far:.0f}"
    assert f"{row.mood}/100" in conversation.mood_label.text()

    host.end_session()
    qtbot.waitUntil(lambda: live.banner.isVisible(), timeout=15_000)
    assert live.banner.text() == (
        "■ The trainer ended the session. Your answers so far are saved in the trainer's app."
    )
    assert not conversation.answer.isEnabled() and not conversation.send_button.isEnabled()

    # The session's assignment is kept here too: the trainee can carry on with it alone.
    [status] = ClassroomStore(window.store).assignments_for(ana.id)
    assert status.assignment.uid == live_assignment.uid and status.assignment.secret == trainee_key(
        live_assignment.secret, "Ana"
    )
    assert assignment_card(window).badge.text() == "○ Not started"
    live.close()
    assert window.classroom.live is None
    assert said.boxes == []


def wrong_code(code: str) -> str:
    return "".join("B" if ch != "B" else "C" for ch in code)


def test_a_wrong_join_code_is_said_plainly_and_opens_no_live_view(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, host: LiveHost, said: Said
) -> None:
    as_ana(window)
    host_name, port = host.address
    dialog = join(qtbot, window, f"{host_name}:{port}", wrong_code(host.code))
    qtbot.waitUntil(lambda: dialog.message.text().startswith("⚠"), timeout=15_000)
    assert dialog.message.text() == (
        "⚠ Wrong join code: check the code on the trainer's screen. "
        "A join code has 6 letters and digits, like K7P 4XR (codes never use 0, O, 1, I or L)."
    )
    assert dialog.isVisible() and dialog.code.isEnabled() and dialog.join_button.isEnabled()
    assert dialog.focusWidget() is dialog.code
    assert window.classroom.live is None and host.dashboard().rows == ()
    assert said.boxes == []

    # What was typed stays: correcting the code is enough.
    assert dialog.address.text() == f"{host_name}:{port}"
    dialog.code.clear()
    qtbot.keyClicks(dialog.code, host.code)
    qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.classroom.live is not None, timeout=15_000)
    assert [r.name for r in host.dashboard().rows] == ["Ana"]
    window.classroom.live.close()  # type: ignore[union-attr]
    qtbot.waitUntil(lambda: not_connected(host, "Ana"), timeout=15_000)


def test_what_was_typed_and_where_it_points_are_checked_before_and_after_connecting(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, said: Said
) -> None:
    as_ana(window)
    dialog = join(qtbot, window, "192.168.1.20:47812", "K7P 0XR")
    assert dialog.message.text() == (
        "⚠ A join code has 6 letters and digits, like K7P 4XR (codes never use 0, O, 1, I or L)."
    )
    dialog.code.setText("K7P 4XR")
    dialog.address.setText("192.168.1.20:99999")
    dialog.join()
    assert dialog.message.text() == "⚠ '192.168.1.20:99999' has no valid port number after the colon."
    assert dialog.focusWidget() is dialog.address  # the field to fix

    closed = socket.create_server(("127.0.0.1", 0))
    free = closed.getsockname()[1]
    closed.close()
    dialog.address.setText(f"127.0.0.1:{free}")
    dialog.join()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("⚠"), timeout=15_000)
    assert dialog.message.text().startswith(f"⚠ Cannot reach 127.0.0.1:{free} (")
    assert dialog.message.text().endswith(
        "Check the address on the trainer's screen, and that this computer is on the same network as the trainer's."
    )

    web = socket.create_server(("127.0.0.1", 0))  # something else listens there: a web server, say
    served = threading.Thread(target=_answer_like_a_web_server, args=(web,), daemon=True)
    served.start()
    dialog.address.setText(f"127.0.0.1:{web.getsockname()[1]}")
    dialog.join()
    qtbot.waitUntil(lambda: dialog.message.text().startswith("⚠"), timeout=15_000)
    assert dialog.message.text() == (
        f"⚠ 127.0.0.1:{web.getsockname()[1]} is not an Empathy Trainer live session: "
        "check the address and the port number."
    )
    served.join(5)
    web.close()
    assert window.classroom.live is None and said.boxes == []


def _answer_like_a_web_server(server: socket.socket) -> None:
    conn, _ = server.accept()
    with conn:
        conn.recv(1024)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")


def test_playing_to_the_end_live_with_the_real_worker_then_leaving(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, host: LiveHost, said: Said
) -> None:
    """The app's own worker thread this time: scoring runs off the GUI thread, replies come back by signal."""
    window = make_window(tmp_path / "trainee", synchronous=False)
    qtbot.addWidget(window)
    window.show()
    window.load_in_background()
    as_ana(window)
    qtbot.waitUntil(window.isActiveWindow)
    host_name, port = host.address
    join(qtbot, window, f"{host_name}:{port}", host.code)
    qtbot.waitUntil(lambda: window.classroom.live is not None, timeout=15_000)
    live = window.classroom.live
    assert live is not None
    qtbot.waitUntil(lambda: live.play is not None, timeout=30_000)
    for n, line in enumerate(answers(GOOD), start=1):
        box = live.conversation.answer
        qtbot.waitUntil(lambda: live.conversation.send_button.isEnabled() or live.over, timeout=15_000)
        qtbot.keyClicks(box, line)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=n: len([b for b in live.conversation.bubbles() if not b.verdict.isHidden()]) == n)
    qtbot.waitUntil(live.banner.isVisible)
    assert live.banner.text().startswith("✓ You reached the end of the conversation (resolved). Your score: ")
    assert "— passed (needs 60)." in live.banner.text()
    assert not live.conversation.answer.isEnabled()
    qtbot.waitUntil(lambda: host.dashboard().rows[0].attempt_id is not None, timeout=15_000)
    [row] = host.dashboard().rows
    assert row.phase.value == "finished" and row.passed
    assert live.banner.text().startswith("✓ You reached")

    # Esc is a window shortcut: it reaches the live window only while that window is the active one,
    # as it is for a trainee who just typed the last answer in it.
    live.activateWindow()
    qtbot.waitUntil(live.isActiveWindow)
    qtbot.keyClick(live.conversation, Qt.Key.Key_Escape)  # leave: the window closes, the host hears goodbye
    assert window.classroom.live is None
    qtbot.waitUntil(lambda: not_connected(host, "Ana"), timeout=15_000)
    window.close()
    assert said.boxes == []


def test_a_dropped_connection_says_how_to_carry_on(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, live_assignment: Assignment, scenario: Scenario
) -> None:
    """A host that welcomes, then vanishes (its computer went to sleep, say)."""
    as_ana(window)
    server = socket.create_server(("127.0.0.1", 0))
    vanish = threading.Event()
    thread = threading.Thread(
        target=_welcome_then_vanish, args=(server, live_assignment, scenario, vanish), daemon=True
    )
    thread.start()
    address = f"127.0.0.1:{server.getsockname()[1]}"
    join(qtbot, window, address, "K7P 4XR")
    qtbot.waitUntil(lambda: window.classroom.live is not None, timeout=15_000)
    live = window.classroom.live
    assert live is not None and not live.banner.isVisible()
    vanish.set()
    qtbot.waitUntil(live.banner.isVisible, timeout=15_000)
    assert live.banner.text() == (
        "⚠ The connection to the trainer's app was lost. Your answers up to the last one received are saved "
        "there: join again (Ctrl+J) with the same name and code to carry on where you left off."
    )
    assert not live.conversation.answer.isEnabled()
    thread.join(5)
    server.close()

    qtbot.keyClick(live.conversation.answer, Qt.Key.Key_J, Qt.KeyboardModifier.ControlModifier)  # as the banner says
    assert window.classroom.live is None  # the old view closed ...
    dialog = window.classroom.join_dialog
    assert dialog is not None and dialog.isVisible()  # ... and the Join dialog is back, filled in as before
    assert (dialog.address.text(), dialog.code.text(), dialog.name.text()) == (
        address,
        "K7P 4XR",
        "Ana",
    )
    dialog.reject()


def _welcome_then_vanish(
    server: socket.socket, assignment: Assignment, scenario: Scenario, vanish: threading.Event
) -> None:
    from simulator.classroom.assignment_file import assignment_dict

    conn, _ = server.accept()
    with conn:
        host = FakeHost(conn, "K7P 4XR")  # the key exchange with the code the trainee types
        assert host.receive()["type"] == "join"
        welcome = {
            "type": "welcome",
            "v": PROTOCOL_VERSION,
            "session": "f" * 32,
            "title": "Stolen wallet at 2 a.m.",
            "name": "Ana",
            "seed": 7,
            "token": "t" * 32,
            "assignment": assignment_dict(assignment, "Ana"),
            "scenario_text": scenario_file_text(scenario),
            "resume": [],
        }
        host.send(welcome)
        vanish.wait(15)


def test_too_many_wrong_codes_lock_this_computer_out_and_say_for_how_long(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, host: LiveHost
) -> None:
    as_ana(window)
    host_name, port = host.address
    dialog = join(qtbot, window, f"{host_name}:{port}", wrong_code(host.code))
    seen = []
    for attempt in range(6):
        if attempt:
            qtbot.mouseClick(dialog.join_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: dialog.message.text().startswith("⚠"), timeout=15_000)
        seen.append(dialog.message.text())
        dialog.message.setText("")
    assert all(text.startswith("⚠ Wrong join code: check the code") for text in seen[:4])
    assert seen[4] == "⚠ Wrong join code, and too many wrong codes from this computer: try again in 5 min."
    assert seen[5] == "⚠ This computer is locked out after too many wrong codes: try again in 5 min."
    assert window.classroom.live is None


@pytest.mark.parametrize(
    ("code", "expected", "field"),
    [
        (Refusal.ENDED, "That session has ended.", "code"),
        (Refusal.FULL, "The session is full: ask your trainer to let you in.", "address"),
        (Refusal.TOO_MANY_CONNECTIONS, "The session is full", "address"),
        (
            Refusal.NAME_TAKEN,
            "The trainer's app did not accept your name: someone with this name is already in the session.",
            "name",
        ),
        (
            Refusal.NAME_NOT_LISTED,
            "The trainer's app did not accept your name: your name is not on this group's list",
            "name",
        ),
        (Refusal.NAME_INVALID, "The trainer's app did not accept your name: type your name", "name"),
        (Refusal.ALREADY_FINISHED, "You have already finished this session", "name"),
        (Refusal.VERSION_MISMATCH, "This app and the trainer's are different versions", "address"),
        (Refusal.TIMEOUT, "The trainer's app did not get the join code in time", "address"),
        (Refusal.TOO_MANY_INVALID, "The trainer's app did not understand this app's messages", "address"),
        (Problem.TIMED_OUT, "10.0.0.9:47812 did not answer like an Empathy Trainer", "address"),
        (Problem.NOT_A_HOST, "10.0.0.9:47812 is not an Empathy Trainer live session", "address"),
        (Problem.SCENARIO_DAMAGED, "The scenario arrived damaged", "address"),
        (Problem.CONNECTION_FAILED, "The connection to 10.0.0.9:47812 failed (reset by peer): try again.", "address"),
    ],
)
def test_every_refusal_is_put_in_words_and_points_at_the_field_to_fix(
    code: Refusal | Problem, expected: str, field: str
) -> None:
    from simulator.ui.classroom.live_join import join_problem

    # the message and the reason are nonsense: only the code (and the system's detail) count
    text, where = join_problem(LiveClientError("zzz", code, detail="reset by peer"), "10.0.0.9:47812")
    assert text.startswith(expected) and where == field
    assert text.endswith(".") and "Traceback" not in text and "zzz" not in text


def test_every_code_has_its_own_words() -> None:
    from simulator.ui.classroom.live_join import join_problem

    for code in [*Refusal, *Problem]:
        text, where = join_problem(LiveClientError("", code, retry_minutes=3, detail="x"), "10.0.0.9:47812")
        assert text.endswith(".") and where in ("address", "code", "name"), code
    said = {join_problem(LiveClientError("", code), "a")[0] for code in Refusal}
    assert len(said) >= len(Refusal) - 4  # a few codes share words (full, names, messages not understood)
