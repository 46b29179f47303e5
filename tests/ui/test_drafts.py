"""Drafts and publishing, driven as a trainer and a trainee would: only a published scenario is played."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QInputDialog, QMessageBox
from shiboken6 import isValid

from simulator.core.catalog import Catalog
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.main_window import MainWindow
from simulator.ui.studio.gate import TrainerGate
from simulator.ui.studio.window import StudioWindow
from tests.ui.helpers import ROOT, SCENARIOS

PASS = "correct horse battery"


def titles(window: MainWindow) -> set[str]:
    return {c.scenario.title for c in window.library.cards}


@pytest.fixture
def app_and_studio(qtbot, tmp_path: Path, request: pytest.FixtureRequest) -> tuple[MainWindow, StudioWindow, Path]:  # type: ignore[no-untyped-def]
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "stolen-wallet.yaml").write_bytes((SCENARIOS / "stolen-wallet.yaml").read_bytes())
    store = Store(database_path(tmp_path / "data"))
    store.set_trainer_passphrase("Jo Trainer", PASS)
    window = MainWindow(
        Catalog([folder]),
        store,
        ROOT / "assets",
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        synchronous=True,
        typing_delay_ms=0,
        choose_trainee=lambda trainees: "Ana",
    )
    qtbot.addWidget(window)
    window.set_trainee(store.add_trainee("Ana"))
    window.show()
    window.show_library()

    def passphrase() -> None:
        gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
        gate.passphrase.setText(PASS)
        gate._check()

    QTimer.singleShot(0, passphrase)
    window.open_studio()
    studio = window.studio
    assert studio is not None
    # Closing with unsaved edits asks (a modal dialog); a test that quit the app has deleted the studio.
    request.addfinalizer(lambda: isValid(studio) and (studio.undo_stack.setClean(), studio.close()))
    studio.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is studio)
    return window, studio, folder


def test_a_new_scenario_reaches_the_library_only_when_published(  # type: ignore[no-untyped-def]
    qtbot, app_and_studio: tuple[MainWindow, StudioWindow, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, studio, folder = app_and_studio
    assert titles(window) == {"Stolen wallet at 2 a.m."}
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("night-shift", True))
    qtbot.keyClick(studio, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # File > New from template
    assert studio.path == folder / "drafts" / "night-shift.yaml"
    assert studio.chooser.currentText() == "night-shift (draft, not published)"
    assert "(draft)" in studio.windowTitle()
    assert titles(window) == {"Stolen wallet at 2 a.m."}  # a draft is not in the trainee's library

    asked: list[str] = []

    def yes(_parent: object, title: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    qtbot.keyClick(studio, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert asked == ["Publish to trainees?"]
    assert (folder / "night-shift.yaml").exists() and not (folder / "drafts" / "night-shift.yaml").exists()
    assert studio.chooser.currentText() == "night-shift"
    assert len(titles(window)) == 2  # the library read it again without a restart


def test_an_edit_to_a_published_scenario_waits_for_publishing(  # type: ignore[no-untyped-def]
    qtbot, app_and_studio: tuple[MainWindow, StudioWindow, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, studio, folder = app_and_studio
    published = folder / "stolen-wallet.yaml"
    before = published.read_bytes()
    studio.tabs.setCurrentWidget(studio.scenario_editor)
    title = studio.scenario_editor.fields["Title"]
    title.selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(title, "Stolen wallet, revised")
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert published.read_bytes() == before  # trainees still play the published version
    assert studio.chooser.currentText() == "stolen-wallet (draft)"
    assert titles(window) == {"Stolen wallet at 2 a.m."}

    # A problem in the draft: publishing refuses and says what is wrong; nothing is published.
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a, **k: warned.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    studio.set_value(("persona", "mood"), 400)
    qtbot.keyClick(studio, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert warned and "persona.mood" in warned[-1] and published.read_bytes() == before
    studio.undo_stack.undo()

    qtbot.keyClick(studio, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert published.read_bytes() != before and titles(window) == {"Stolen wallet, revised"}
    assert studio.chooser.currentText() == "stolen-wallet"


def test_discarding_a_draft_brings_back_the_published_version(  # type: ignore[no-untyped-def]
    qtbot, app_and_studio: tuple[MainWindow, StudioWindow, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _window, studio, folder = app_and_studio
    studio.set_value(("title",), "A title nobody wanted")
    qtbot.keyClick(studio, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert (folder / "drafts" / "stolen-wallet.yaml").exists()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)
    studio.discard_action.trigger()
    assert not (folder / "drafts" / "stolen-wallet.yaml").exists()
    assert studio.path == folder / "stolen-wallet.yaml"
    assert studio.document is not None and studio.document.get(("title",)) == "Stolen wallet at 2 a.m."
    assert any(e.action == "draft_discarded" for e in studio.store.audit_log())


def test_quitting_with_unsaved_studio_edits_asks_first(  # type: ignore[no-untyped-def]
    qtbot, app_and_studio: tuple[MainWindow, StudioWindow, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, studio, folder = app_and_studio
    studio.set_value(("title",), "Half-finished title")
    asked: list[str] = []

    def cancel(_parent: object, title: str, *_a: object, **_k: object) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", cancel)
    assert window.close() is False  # Cancel: the app and the studio stay, the edit is not lost
    assert asked == ["Unsaved changes"] and window.isVisible() and window.studio is studio
    assert studio.document is not None and studio.document.get(("title",)) == "Half-finished title"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert window.close() is True
    assert (folder / "drafts" / "stolen-wallet.yaml").exists()  # saved as a draft on the way out
