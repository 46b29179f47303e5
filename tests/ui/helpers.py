"""Building and driving the real main window in tests, the way a person uses it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from simulator.core.catalog import Catalog
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.library import ScenarioCard
from simulator.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
PATHS = ROOT / "tests" / "data" / "paths"


def answers(name: str) -> list[str]:
    return [line for line in (PATHS / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def make_window(data: Path, *, synchronous: bool = True, store: Store | None = None) -> MainWindow:
    store = store or Store(database_path(data))
    window = MainWindow(
        Catalog([SCENARIOS]),
        store,
        ROOT / "assets",
        QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat),
        synchronous=synchronous,
        typing_delay_ms=0,
        choose_trainee=lambda trainees: "Ana",
    )
    return window


def window_as_ana(qtbot: object, data: Path) -> MainWindow:
    """A shown main window with Ana signed in, closed by qtbot after the test."""
    window = make_window(data)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    window.set_trainee(window.store.add_trainee("Ana"))
    window.show()
    return window


def card(window: MainWindow, scenario_id: str) -> ScenarioCard:
    return next(c for c in window.library.cards if c.scenario.id == scenario_id)


def type_answer(qtbot: object, window: MainWindow, text: str) -> None:
    """Type into the answer box and press Enter, as a trainee does."""
    box = window.conversation.answer
    box.setFocus()
    qtbot.keyClicks(box, text)  # type: ignore[attr-defined]
    qtbot.keyClick(box, Qt.Key.Key_Return)  # type: ignore[attr-defined]


def settle() -> None:
    QApplication.processEvents()
