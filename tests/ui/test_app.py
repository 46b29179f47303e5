"""Starting the app: what is opened before the window, what after, and what a person is told."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from simulator.storage.database import Problem, StorageError
from simulator.storage.paths import database_path
from simulator.storage.store import Store, Trainee
from simulator.ui import app
from simulator.ui.tasks import TaskRunner
from tests.ui.helpers import ROOT, SCENARIOS, make_window


def test_the_window_path_imports_neither_the_loader_nor_the_database_library() -> None:
    """What the window needs first must stay light; these load on the worker after it is shown."""
    heavy = ["yaml", "jsonschema", "sqlite_utils", "simulator.core.engine", "simulator.core.scoring.scorer"]
    code = f"import sys, simulator.cli.main, simulator.ui.app\nprint([m for m in {heavy!r} if m in sys.modules])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def _remember(data: Path, trainee: Trainee) -> None:
    settings = QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat)
    settings.setValue("trainee", trainee.id)
    settings.setValue("trainee_name", trainee.name)
    settings.sync()


@pytest.mark.usefixtures("app_globals")
def test_a_corrupt_database_found_after_the_window_opened_is_reported_and_the_app_exits(
    qapp: QApplication, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    _remember(tmp_path, Trainee(1, "Ana"))
    database_path(tmp_path).write_bytes(b"garbage" * 500)
    shown: list[StorageError] = []
    monkeypatch.setattr(app.errors, "show_storage_error", lambda parent, error: shown.append(error))
    safety = QTimer()  # the test fails instead of hanging if the window never closes
    safety.setSingleShot(True)
    safety.timeout.connect(qapp.quit)
    safety.start(15_000)
    try:
        assert app.run(tmp_path, [SCENARIOS]) == 1
    finally:
        safety.stop()
    assert [e.problem for e in shown] == [Problem.CORRUPT]  # told once, not once per queued task


def test_a_remembered_trainee_missing_from_the_database_is_asked_for(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window = make_window(tmp_path)  # synchronous runner; its chooser answers "Ana"
    qtbot.addWidget(window)
    ghost = Trainee(42, "Someone from an older database")
    window.set_trainee(ghost)
    window.load_in_background(lambda trainees: ghost in trainees)
    assert window.trainee is not None and window.trainee.name == "Ana"
    assert [t.name for t in window.store.trainees()] == ["Ana"]
    assert window.settings.value("trainee_name") == "Ana"


def test_the_library_is_drawn_before_the_database_is_opened(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    store = Store(database_path(tmp_path))
    ana = store.add_trainee("Ana")
    store.close()
    lazy = Store(database_path(tmp_path), open_now=False)
    window = make_window(tmp_path, synchronous=False, store=lazy)
    qtbot.addWidget(window)
    window.runner.hold()
    window.set_trainee(ana)
    assert len(window.library.cards) == 5  # drawn from the catalog at once
    assert lazy._db is None  # nothing has touched the database yet
    window.load_in_background(lambda trainees: ana in trainees)
    window.runner.release()
    window.runner.wait()
    qtbot.waitUntil(lambda: not window.runner.busy, timeout=5000)
    assert lazy._db is not None and window.trainee == ana


def test_held_work_starts_only_when_released(qtbot) -> None:  # type: ignore[no-untyped-def]
    runner = TaskRunner(lambda error: None)
    ran = threading.Event()
    results: list[str] = []
    runner.hold()
    runner.run(lambda: ran.set() or "done", results.append)
    assert not ran.wait(0.2)
    runner.release()
    qtbot.waitUntil(lambda: results == ["done"], timeout=5000)


def test_missing_xcb_libraries_are_named_with_their_packages(tmp_path: Path) -> None:
    for name in ("libxcb-cursor.so.0", "libxcb-icccm.so.4.0.0", "libEGL.so.1", "README"):
        (tmp_path / name).write_text("", "utf-8")
    known = app.shared_libraries((str(tmp_path), str(tmp_path / "absent")))
    assert known == {"xcb-cursor", "xcb-icccm", "EGL"}
    missing = app.missing_packages(app.XCB_LIBRARIES, known)
    assert "libxcb-cursor0" not in missing and "libegl1" not in missing
    assert "libxcb-keysyms1" in missing and "libxkbcommon-x11-0" in missing
    problem = app.display_problem({"DISPLAY": ":0"})
    assert problem is None or "sudo apt-get install" in problem  # this machine has them, or says which
