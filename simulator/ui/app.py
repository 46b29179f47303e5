"""Starting the desktop app: display checks, data folder, database, profile, window.

Start-up problems a person can fix (no display, missing system libraries, a
locked or corrupt database) end with a clear message, never a traceback.
"""

from __future__ import annotations

import ctypes.util
import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from simulator.core.catalog import Catalog
from simulator.storage.database import StorageError
from simulator.storage.paths import database_path, log_dir
from simulator.storage.store import Store, Trainee
from simulator.ui import errors, theme
from simulator.ui.main_window import MainWindow

# Debian packages Qt's xcb platform plugin needs on a real X display, by the library it loads.
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xkb": "libxcb-xkb1",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}
ROOT = Path(__file__).resolve().parents[2]
WARM_UP_DELAY_MS = 400


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why a window cannot open here, in words a person can act on; None when it can."""
    env = os.environ if environ is None else environ
    platform = env.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc")):
        return None
    if not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        return "No graphical display was found (DISPLAY is not set)."
    if sys.platform.startswith("linux") and not platform.startswith("wayland"):
        missing = [pkg for lib, pkg in XCB_LIBRARIES.items() if ctypes.util.find_library(lib) is None]
        if missing:
            return (
                "Qt needs system libraries that are not installed: "
                + " ".join(missing)
                + ".\nInstall them with: sudo apt-get install "
                + " ".join(missing)
                + "\n(scripts/bootstrap.sh run does this for you)."
            )
    return None


def run(data: Path, scenario_dirs: list[Path], theme_choice: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Empathy Trainer")
    app.setOrganizationName("Empathy Trainer")
    settings = QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat)
    theme.apply(app, theme_choice or str(settings.value("theme", "system")))
    log_path = errors.setup_logging(log_dir(data))
    try:
        store = Store(database_path(data))
    except StorageError as exc:
        errors.show_storage_error(None, exc)
        return 1
    window = MainWindow(Catalog(scenario_dirs), store, ROOT / "assets", settings)
    window.log_path = log_path
    errors.install_excepthook(lambda: window, log_path)
    trainee = _remembered_trainee(store, settings)
    if trainee is None:
        name = window.choose_trainee(store.trainees())
        if not name:
            return 0
        trainee = store.add_trainee(name)
    window.set_trainee(trainee)
    window.show()
    # Compile the scorer on the worker once the window is up (a trainee needs a second or two to
    # choose a scenario); started at once it would compete with the first paint for the GIL.
    QTimer.singleShot(WARM_UP_DELAY_MS, window.practice.warm_up)
    if os.environ.get("EMPATHY_TRAINER_QUIT_WHEN_SHOWN"):
        # For the start-up benchmark: report when the library is on screen, then leave.
        def shown() -> None:
            print(f"shown {time.time():.6f}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    code = app.exec()
    window.runner.wait()
    store.close()
    return int(code)


def _remembered_trainee(store: Store, settings: QSettings) -> Trainee | None:
    """The trainee who used the app last on this machine, or the only one there is."""
    trainees = store.trainees()
    wanted = str(settings.value("trainee"))
    for trainee in trainees:
        if str(trainee.id) == wanted:
            return trainee
    return trainees[0] if len(trainees) == 1 else None
