"""Open every window on one offscreen screen of a given size and print what does not fit, as JSON.

Used by test_windows_fit: ``python -m tests.ui.fit_driver DATA_DIR`` with
``QT_QPA_PLATFORM=offscreen:configfile=SCREEN.json`` (Qt's offscreen plugin takes its screens from
that file). A separate process per screen size because the screens are fixed when Qt starts.

It prints one JSON object: ``{"screen": [w, h], "checked": {view: n}, "problems": [text, ...]}``.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QWidget,
)

from tests.ui.helpers import ROOT, answers, make_window

CHECKED = (QAbstractButton, QLineEdit, QComboBox, QPlainTextEdit, QAbstractSpinBox)


def settle(app: QApplication) -> None:
    for _ in range(5):
        app.processEvents()


def _in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    """Inside a scroll area's content a control may be scrolled out of view: the scroll area is checked instead."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea) or (
            isinstance(parent, QAbstractScrollArea) and not isinstance(parent, (QPlainTextEdit, QComboBox))
        ):
            return True
        parent = parent.parentWidget()
    return False


def _clipped_by(widget: QWidget, window: QWidget) -> QWidget | None:
    """The first ancestor (below the window) whose rectangle does not hold the whole control."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not parent.rect().contains(QRect(widget.mapTo(parent, widget.rect().topLeft()), widget.size())):
            return parent
        parent = parent.parentWidget()
    return None


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QAbstractButton, QLineEdit)) else ""
    label = text or widget.accessibleName() or widget.objectName()
    return f"{type(widget).__name__} {label!r}"


def check(app: QApplication, window: QWidget, view: str, problems: list[str], checked: dict[str, int]) -> None:
    """Every visible control and tab fully inside its window, and the window inside the available screen."""
    settle(app)
    screen = window.screen().availableGeometry()
    frame = window.frameGeometry()
    if not screen.contains(frame):
        problems.append(f"{view}: window {frame.getRect()} is not inside the screen {screen.getRect()}")
    inside = window.rect()
    count = 0
    controls: list[tuple[QWidget, QRect]] = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window or _in_scroll_area(widget, window):
            continue
        if isinstance(widget, CHECKED):
            rect = QRect(widget.mapTo(window, widget.rect().topLeft()), widget.size())
            count += 1
            if not inside.contains(rect):
                problems.append(f"{view}: {_name(widget)} at {rect.getRect()} is outside the window {inside.getRect()}")
            elif (clipper := _clipped_by(widget, window)) is not None:
                problems.append(f"{view}: {_name(widget)} is cut off by its {type(clipper).__name__}")
            controls.append((widget, rect))
        if isinstance(widget, QScrollArea) and widget.horizontalScrollBar().maximum() > 0:
            problems.append(f"{view}: {_name(widget)} must be scrolled sideways to see all of it")
        if isinstance(widget, QTabBar):
            for index in range(widget.count()):
                tab = widget.tabRect(index)
                count += 1
                if not widget.rect().contains(tab) or not inside.contains(
                    QRect(widget.mapTo(window, tab.topLeft()), tab.size())
                ):
                    problems.append(f"{view}: tab {widget.tabText(index)!r} is cut off")
    for n, (one, one_rect) in enumerate(controls):
        for other, other_rect in controls[n + 1 :]:
            related = one.isAncestorOf(other) or other.isAncestorOf(one)
            if not related and one_rect.intersects(other_rect):
                problems.append(f"{view}: {_name(one)} and {_name(other)} overlap")
    checked[view] = count


def every_tab(
    app: QApplication, window: QWidget, tabs: QTabWidget, view: str, problems: list[str], checked: dict[str, int]
) -> None:
    for index in range(tabs.count()):
        tabs.setCurrentIndex(index)
        check(app, window, f"{view} / {tabs.tabText(index)}", problems, checked)


def main() -> None:
    data = Path(sys.argv[1])
    app = QApplication(sys.argv)
    problems: list[str] = []
    checked: dict[str, int] = {}
    main_window = make_window(data / "trainee")
    main_window.set_trainee(main_window.store.add_trainee("Ana Silva"))
    main_window.show()
    check(app, main_window, "main / library", problems, checked)
    main_window.start("stolen-wallet", "assessment")
    check(app, main_window, "main / assessment start", problems, checked)
    main_window.conversation.answer.setPlainText(answers("stolen-wallet--resolved_well.txt")[0])
    main_window.conversation._send()
    check(app, main_window, "main / conversation", problems, checked)
    for line in answers("stolen-wallet--resolved_well.txt")[1:]:
        main_window.conversation.answer.setPlainText(line)
        main_window.conversation._send()
    check(app, main_window, "main / debrief", problems, checked)
    main_window.show_progress()
    check(app, main_window, "main / progress", problems, checked)
    main_window.start("stolen-wallet", "practice")  # practice: the desk beside the transcript, and a hint
    for line in answers("stolen-wallet--resolved_well.txt")[:2]:
        main_window.conversation.answer.setPlainText(line)
        main_window.conversation._send()
    main_window.conversation.show_hint()
    check(app, main_window, "main / practice with the desk", problems, checked)

    from simulator.ui.studio.window import StudioWindow

    folder = data / "scenarios"
    shutil.copytree(ROOT / "scenarios", folder)
    settings = QSettings(str(data / "trainer.ini"), QSettings.Format.IniFormat)
    studio = StudioWindow(folder, main_window.store, "Jo Trainer", synchronous=True, settings=settings)
    studio.show()
    studio.refresh_files(select=folder / "stolen-wallet.yaml")
    studio.select_node("opening")
    every_tab(app, studio, studio.tabs, "studio", problems, checked)
    studio.playtest_here()  # what a playtest and a loaded tuning set write must not widen the window
    for line in answers("stolen-wallet--resolved_well.txt")[:2]:
        studio.playtest.answer.setText(line)
        studio.playtest.send()
    check(app, studio, "studio / playtest played", problems, checked)
    studio.tabs.setCurrentWidget(studio.tuning)
    studio.tuning.load(ROOT / "tests" / "data" / "calibration" / "set_a.jsonl")
    studio.tuning.check()
    check(app, studio, "studio / tuning checked", problems, checked)
    studio.pages.setCurrentWidget(studio.review)
    check(app, studio, "studio / review", problems, checked)
    studio.close()

    from simulator.application.compose import classroom_of
    from simulator.ui.classroom.window import ClassroomWindow

    classroom = ClassroomWindow(
        classroom_of(main_window.store),
        lambda: main_window.catalog.scenarios,
        main_window.runner.run,
        main_window.store.path,
        "Jo Trainer",
        settings=settings,
    )
    classroom.show()
    every_tab(app, classroom, classroom.tabs, "classroom", problems, checked)
    classroom.close()

    live_session(app, main_window, problems, checked)
    main_window.close()
    size = app.primaryScreen().availableGeometry().size()
    print(json.dumps({"screen": [size.width(), size.height()], "checked": checked, "problems": problems}))


def live_session(app: QApplication, main_window: QWidget, problems: list[str], checked: dict[str, int]) -> None:
    """A real host on this machine, joined the way the trainee's Join dialog does."""
    from simulator.classroom.client import LiveClient
    from simulator.classroom.host import LiveHost
    from simulator.core.scoring.scorer import RubricScorer
    from simulator.storage.classroom import ClassroomStore
    from simulator.storage.store import Store

    assert hasattr(main_window, "classroom") and hasattr(main_window, "catalog")
    scenario = main_window.catalog.get("stolen-wallet")
    database = Path(sys.argv[1]) / "host.sqlite3"
    trainer = ClassroomStore(Store(database))
    group = trainer.add_group("Morning cohort")
    trainer.import_roster([("Ana Silva", "Morning cohort")])
    assignment = trainer.assign(group.id, scenario, "practice", 60)
    host = LiveHost(assignment, scenario, RubricScorer(), database=database, bind="127.0.0.1", port=0)
    host.start()
    try:
        client = LiveClient.connect("127.0.0.1", host.address[1], host.code, "Ana Silva")
        main_window.classroom._joined(client)
        live = main_window.classroom.live
        for _ in range(200):
            settle(app)
            if live.play is not None:
                break
            host_wait = 0.02
            import time

            time.sleep(host_wait)
        check(app, live, "live session", problems, checked)
        live.close()
        settle(app)
    finally:
        host.stop()
        trainer.close()


if __name__ == "__main__":
    main()
