"""Every window fits a laptop screen, and opens again where and how big the user left it (issue 17).

The screen sizes are real offscreen screens (Qt's offscreen plugin reads them from a JSON file given
as ``offscreen:configfile=``), so each size runs the windows in a process of its own: fit_driver.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect, QSettings, QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMainWindow, QSplitter, QTextEdit

from simulator.ui.geometry import fit_window
from tests.ui.helpers import ROOT


def screen_file(tmp_path: Path, width: int, height: int) -> Path:
    screen = {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height}
    path = tmp_path / "screens.json"
    path.write_text(json.dumps({"screens": [screen | {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return path


@pytest.mark.parametrize(("width", "height"), [(1024, 700), (1366, 768)])
def test_every_window_and_every_control_fits_the_screen(tmp_path: Path, width: int, height: int) -> None:
    env = os.environ | {"QT_QPA_PLATFORM": f"offscreen:configfile={screen_file(tmp_path, width, height)}"}
    done = subprocess.run(
        [sys.executable, "-m", "tests.ui.fit_driver", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["screen"] == [width, height]  # the driver really ran on the screen asked for
    views = report["checked"]
    for view in ("main / library", "main / conversation", "studio / review", "classroom / &Groups", "live session"):
        assert views.get(view, 0) > 0, f"{view} was not checked: {views}"
    # five editor tabs, a played playtest, a checked tuning set and the review page
    assert len([v for v in views if v.startswith("studio /")]) == 8
    assert len([v for v in views if v.startswith("classroom /")]) == 6
    assert report["problems"] == []


def _window(settings: QSettings) -> QMainWindow:
    window = QMainWindow()
    splitter = QSplitter()
    splitter.setObjectName("sides")
    splitter.addWidget(QTextEdit())
    splitter.addWidget(QTextEdit())
    window.setCentralWidget(splitter)
    fit_window(window, settings, "test", QSize(5000, 5000))
    return window


def test_a_first_window_takes_at_most_nine_tenths_of_the_screen_centred(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = QGuiApplication.primaryScreen().availableGeometry()
    window = _window(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert window.width() == int(screen.width() * 0.9) and window.height() == int(screen.height() * 0.9)
    assert abs(window.geometry().center().x() - screen.center().x()) <= 1
    small = QMainWindow()
    qtbot.addWidget(small)
    fit_window(small, None, "small", QSize(300, 200))
    assert small.size() == QSize(300, 200)  # a preferred size that fits is kept


def test_geometry_and_splitters_saved_on_close_come_back_and_are_clamped_to_a_smaller_screen(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path
) -> None:
    screen = QGuiApplication.primaryScreen().availableGeometry()
    path = str(tmp_path / "s.ini")
    first = _window(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(first)
    first.show()
    first.setGeometry(QRect(30, 40, 500, 400))
    splitter = first.findChild(QSplitter, "sides")
    splitter.setSizes([100, 380])
    sizes = splitter.sizes()
    first.close()

    again = _window(QSettings(path, QSettings.Format.IniFormat))  # as the next run of the app reads the file
    qtbot.addWidget(again)
    again.show()
    assert again.geometry() == QRect(30, 40, 500, 400)
    assert again.findChild(QSplitter, "sides").sizes() == sizes

    # Saved on a big monitor (or one unplugged since): clamped into the screen there is now.
    settings = QSettings(path, QSettings.Format.IniFormat)
    settings.setValue("windows/test/rect", [screen.width() + 400, 300, screen.width() + 900, screen.height() + 500])
    settings.sync()
    moved = _window(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(moved)
    assert screen.contains(moved.geometry())
    assert moved.size() == screen.size()

    settings.setValue("windows/test/rect", ["garbage", None])  # a hand-edited file: ignored, not a crash
    settings.sync()
    fresh = _window(QSettings(path, QSettings.Format.IniFormat))
    qtbot.addWidget(fresh)
    assert screen.contains(fresh.geometry())
