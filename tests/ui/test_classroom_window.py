"""The trainer's classroom window, driven like a trainer: roster, assignment, projector, live session, results, report."""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from simulator.classroom.assignment_file import read_assignment
from simulator.classroom.client import LiveClient
from simulator.classroom.results_file import export_results, results_filename
from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Status
from simulator.storage.store import Store
from simulator.ui.classroom.assignments import AssignmentChoice
from simulator.ui.classroom.window import ClassroomWindow
from simulator.ui.tasks import TaskRunner
from tests.classroom.conftest import GOOD, POOR, lines, play
from tests.classroom.live_helpers import wait_for
from tests.conftest import SCENARIOS

ROSTER = "\ufeffName;Group\nAna Silva;Morning\nBen Okafor;Morning\n\nCleo Martin;Morning\nBen Okafor;Morning\n"


@pytest.fixture(autouse=True)
def no_surprise_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def unexpected(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"unexpected dialog: {args[1:3]}")

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)


@pytest.fixture
def scenarios() -> list[Scenario]:
    return [Catalog([SCENARIOS]).get("stolen-wallet")]


@pytest.fixture
def window(qtbot, tmp_path: Path, scenarios: list[Scenario]) -> Iterator[ClassroomWindow]:  # type: ignore[no-untyped-def]
    store = Store(tmp_path / "trainer.sqlite3")
    classroom = ClassroomStore(store)

    def unexpected(error: BaseException) -> None:
        raise error  # a task nobody expected to fail fails the test

    runner = TaskRunner(unexpected, synchronous=True)  # the app's worker, running tasks inline
    window = ClassroomWindow(classroom, lambda: scenarios, runner.run, store.path, "Jo Trainer")
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    store.close()


def assign(window: ClassroomWindow, scenarios: list[Scenario], mode: str = "practice") -> int:
    window.assignments.ask_choice = lambda _group: AssignmentChoice(scenarios[0], mode, 70, 3, None)
    window.assignments.load()
    window.assignments.new_assignment()
    assignment = window.assignments.selected()
    assert assignment is not None
    return assignment.id


def test_roster_csv_and_an_assignment(qtbot, window: ClassroomWindow, scenarios, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER, encoding="utf-8")
    window.roster.import_csv(csv)
    assert "3 new trainees" in window.roster.message.text()
    assert window.roster.groups.item(0).text() == "Morning  (3)"
    assert [window.roster.members.item(i).text() for i in range(3)] == ["Ana Silva", "Ben Okafor", "Cleo Martin"]
    window.roster.ask_text = lambda _title, _label: "Dev Patel"
    window.roster.add_trainee()
    assert window.roster.members.count() == 4

    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01garbage" * 10)
    shown: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(str(a[2])))
        window.roster.import_csv(bad)
    assert shown and "nothing imported" in window.roster.message.text()
    assert window.roster.members.count() == 4  # nothing half-imported

    assign(window, scenarios)
    table = window.assignments.table
    assert table.rowCount() == 1 and table.item(0, 0).text() == scenarios[0].title
    assert table.item(0, 7).text() == "4"  # not started

    saved = tmp_path / "out" / "morning.assignment.json"
    saved.parent.mkdir()
    window.assignments.ask_save_path = lambda _suggested: saved
    window.assignments.export_file()
    written = sorted(p.name for p in saved.parent.iterdir())
    assert written == [f"morning-{n}.assignment.json" for n in ("Ana-Silva", "Ben-Okafor", "Cleo-Martin", "Dev-Patel")]
    ticket = read_assignment((saved.parent / "morning-Ana-Silva.assignment.json").read_bytes())
    assert ticket.assignment.scenario_id == "stolen-wallet" and ticket.trainee == "Ana Silva"


def roster(window: ClassroomWindow, tmp_path: Path) -> None:
    csv = tmp_path / "roster.csv"
    csv.write_text(ROSTER, encoding="utf-8")
    window.roster.import_csv(csv)


def test_projector_session_credits_each_answer_and_saves_results(  # type: ignore[no-untyped-def]
    qtbot, window: ClassroomWindow, scenarios, tmp_path: Path
) -> None:
    roster(window, tmp_path)
    assignment_id = assign(window, scenarios)
    button = next(b for b in window.assignments.findChildren(QPushButton) if b.text() == "Run on the &projector")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    view = window.projector
    assert window.tabs.currentWidget() is view
    assert view.customer.text().startswith("“") and view.model.answerer is not None  # rotation picked someone
    names = []
    for line in lines(GOOD):
        names.append(view.model.answerer.name)
        view.answer.setPlainText(line)
        qtbot.keyClick(view.answer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert "scored" in view.verdicts.toPlainText()
        assert not view.answer.isEnabled()  # the room discusses before anyone answers again
        qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert names[:3] == ["Ana Silva", "Ben Okafor", "Cleo Martin"]  # taking turns in order
    assert "conversation has ended" in view.status.text()
    qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
    assert view.status.text().startswith("Saved: 3 trainees' results")
    sessions = window.classroom.sessions(assignment_id)
    assert len(sessions) == 1
    statuses = window.classroom.statuses(assignment_id)
    # Each trainee's credited turns are their attempt: three good shares of a good conversation pass.
    assert [(s.attempts_used, s.status) for s in statuses.values()] == [(1, Status.PASSED)] * 3


def test_live_session_dashboard_with_three_trainees_over_loopback(  # type: ignore[no-untyped-def]
    qtbot, window: ClassroomWindow, scenarios, tmp_path: Path
) -> None:
    roster(window, tmp_path)
    assignment_id = assign(window, scenarios, mode="assessment")
    window.host_live(assignment_id, port=0)
    dashboard = window.host_view
    assert window.tabs.currentWidget() is dashboard
    host = dashboard.host
    assert host.code.upper()[:3] in dashboard.join.text().replace("-", "").upper()
    paths = {"Ana Silva": GOOD, "Ben Okafor": GOOD, "Cleo Martin": POOR}

    def trainee(name: str) -> None:
        client = LiveClient.connect("127.0.0.1", host.address[1], host.code, name)
        playing = client.play(RubricScorer())
        for line in lines(paths[name]):
            playing.respond(line)
        wait_for(lambda: client.messages.qsize() >= len(lines(paths[name])), what=f"{name}'s acks")
        client.close()

    threads = [threading.Thread(target=trainee, args=(name,)) for name in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    qtbot.waitUntil(lambda: dashboard.refresh().finished == 3 and all(r.attempt_id for r in host.dashboard().rows),
                    timeout=20000)  # fmt: skip
    board = dashboard.refresh()
    assert (board.joined, board.finished, board.passed) == (3, 3, 2)
    rows = {dashboard.table.item(r, 0).text(): dashboard.table.item(r, 6).text() for r in range(3)}
    assert rows == {"Ana Silva": "passed", "Ben Okafor": "passed", "Cleo Martin": "not passed"}
    assert "3 finished · 2 passed" in dashboard.summary.text()
    assert any("joined" in dashboard.log.item(i).text() for i in range(dashboard.log.count()))
    qtbot.mouseClick(dashboard.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dashboard.refresh().ended, timeout=10000)
    assert "session ended" in dashboard.summary.text() and not dashboard.end_button.isEnabled()
    # The host saved each trainee's attempt in the trainer's database, linked to the assignment.
    statuses = window.classroom.statuses(assignment_id)
    # Cleo's poor attempt counts but leaves her two more tries (the limit is 3).
    assert sorted(s.status.value for s in statuses.values()) == ["in progress", "passed", "passed"]
    assert sorted(s.attempts_used for s in statuses.values()) == [1, 1, 1]


def test_results_files_import_and_the_cohort_report_as_pdf(  # type: ignore[no-untyped-def]
    qtbot, window: ClassroomWindow, scenarios, tmp_path: Path
) -> None:
    roster(window, tmp_path)
    assignment_id = assign(window, scenarios)
    assignment = window.classroom.assignment(assignment_id)
    from simulator.classroom.assignment_file import export_assignment
    from tests.classroom.conftest import TRAINER_KEY

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    files = []
    for name, path in (("Ana Silva", GOOD), ("Ben Okafor", POOR)):
        theirs = ClassroomStore(Store(tmp_path / name / "db.sqlite3"))
        me = theirs.store.add_trainee(name)
        ticket = export_assignment(assignment, name, TRAINER_KEY)
        local = theirs.adopt_assignment(read_assignment(ticket).assignment, me.id)
        attempt = play(theirs.store, scenarios[0], RubricScorer(), me.id, path)
        theirs.link_attempt(local.id, attempt)
        target = inbox / results_filename(local, name)
        target.write_bytes(export_results(theirs, local.id, me.id))
        files.append(target)
        theirs.store.close()
    tampered = inbox / "tampered.json"
    tampered.write_bytes(files[1].read_bytes().replace(b'"Ben Okafor"', b'"Ben Okafar"'))
    window.results.import_files([*files, tampered, files[0]])
    summary = window.results.last
    assert summary is not None
    assert summary.headline() == "2 files imported (2 attempts), 1 already imported, 1 rejected"
    assert window.results.table.item(2, 1).text() == "rejected"

    window.show_report(assignment_id)
    report = window.report.report
    assert report is not None and window.tabs.currentWidget() is window.report
    assert (report.members, report.passed) == (3, 1)
    assert window.report.table.rowCount() == 3
    pdf = tmp_path / "report.pdf"
    window.report.ask_path = lambda _kind, _suggested: pdf
    qtbot.mouseClick(window.report.pdf_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
        assert sorted(p.name for p in tmp_path.glob("page-*.png"))  # the PDF renders
    window.report.ask_path = lambda _kind, _suggested: tmp_path / "csv"
    written = window.report.export_csv()
    assert {p.name.rsplit("-", 1)[1] for p in written} >= {"trainees.csv", "criteria.csv"}


def test_a_trainee_cannot_open_the_classroom_without_the_passphrase(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from simulator.ui.studio.gate import TrainerGate
    from tests.ui.helpers import make_window

    store = Store(tmp_path / "data" / "db.sqlite3")
    store.set_trainer_passphrase("Jo Trainer", "correct horse battery")
    window = make_window(tmp_path / "data", store=store)
    qtbot.addWidget(window)
    window.set_trainee(store.add_trainee("Ana"))
    window.show()

    def answer(passphrase: str) -> Callable[[], None]:
        def fill() -> None:
            gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
            gate.passphrase.setText(passphrase)
            gate._check()
            if gate.isVisible():
                gate.reject()

        return fill

    QTimer.singleShot(0, answer("let me in"))
    menu_item = next(a for a in window.actions() if a.text() == "&Classroom…")
    assert menu_item.shortcut().toString() == "Ctrl+Shift+L"
    menu_item.trigger()  # Go > Classroom…
    assert window.classroom_window is None
    QTimer.singleShot(0, answer("correct horse battery"))
    window.open_classroom()
    classroom = window.classroom_window
    assert classroom is not None and classroom.trainer == "Jo Trainer"
    classroom.close()
    window.runner.wait()


def test_the_trainer_chooses_the_network_and_the_host_listens_on_that_address_only(  # type: ignore[no-untyped-def]
    qtbot, window: ClassroomWindow, scenarios, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import socket

    from simulator.classroom import discovery

    # This computer's addresses, as the system would list them: a "LAN" one (the default route), one that
    # is not this computer's (the network went away), and loopback. All on 127/8: no traffic leaves it.
    monkeypatch.setattr(discovery, "local_addresses", lambda: ["127.0.0.2"])
    monkeypatch.setattr(discovery, "interface_choices", lambda: ["127.0.0.2", "192.0.2.254", "127.0.0.1"])
    roster(window, tmp_path)
    assignment_id = assign(window, scenarios)
    window.host_live(assignment_id)
    dashboard = window.host_view
    host = dashboard.host
    port = host.address[1]
    assert host.address == ("127.0.0.2", port)  # the default route's address, not every interface
    choices = [dashboard.interface.itemData(i) for i in range(dashboard.interface.count())]
    assert choices == ["127.0.0.2", "192.0.2.254", "127.0.0.1"]
    assert "this computer only" in dashboard.interface.itemText(2)
    assert f"127.0.0.2:{port}" in dashboard.join.text()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()  # nothing listens on the other address
    ana = LiveClient.connect("127.0.0.2", port, host.code, "Ana Silva")

    dashboard.interface.setCurrentIndex(1)  # an address that is not this computer's: refused, nothing changes
    assert (
        dashboard.interface_problem.isVisible() and "Cannot listen on 192.0.2.254" in dashboard.interface_problem.text()
    )
    assert dashboard.interface.currentIndex() == 0 and host.address == ("127.0.0.2", port)

    dashboard.interface.setCurrentIndex(2)  # this computer only
    assert host.address[0] == "127.0.0.1" and not dashboard.interface_problem.isVisible()
    new_port = host.address[1]
    assert f"127.0.0.1:{new_port}" in dashboard.join.text() and "127.0.0.2" not in dashboard.join.text()
    ben = LiveClient.connect("127.0.0.1", new_port, host.code, "Ben Okafor")
    wait_for(lambda: dashboard.refresh().connected == 2, what="both trainees")  # Ana stayed connected
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.2", port), timeout=5).close()  # the old listener is closed
    for client in (ana, ben):
        client.close()
    dashboard.end()
