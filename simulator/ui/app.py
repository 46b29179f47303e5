"""Starting the desktop app: display checks, data folder, database, profile, window.

Start-up problems a person can fix (no display, missing system libraries, a
locked or corrupt database) end with a clear message, never a traceback.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from simulator.application.compose import log_dir, open_store
from simulator.application.data import Trainee
from simulator.core.catalog import Catalog
from simulator.core.index import INDEX_FILE
from simulator.records.service import LearningRecords
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
        missing = missing_packages(XCB_LIBRARIES, shared_libraries())
        if missing:
            return (
                "Qt needs system libraries that are not installed: "
                + " ".join(missing)
                + ".\nInstall them with: sudo apt-get install "
                + " ".join(missing)
                + "\n(scripts/bootstrap.sh run does this for you)."
            )
    return None


# Where Debian and other distributions keep shared libraries; looked at before asking ldconfig.
LIBRARY_DIRS = (
    "/usr/lib/x86_64-linux-gnu",
    "/usr/lib/aarch64-linux-gnu",
    "/lib/x86_64-linux-gnu",
    "/lib/aarch64-linux-gnu",
    "/usr/lib64",
    "/usr/lib",
    "/lib64",
    "/lib",
)


def shared_libraries(dirs: tuple[str, ...] = LIBRARY_DIRS) -> set[str] | None:
    """Names (``xcb-cursor`` for libxcb-cursor.so.0) of the shared libraries installed; None if unknown.

    Listing the usual folders takes a millisecond; ``ctypes.util.find_library`` runs
    ``ldconfig -p`` once per library asked for, which cost 20 ms at every start.
    """
    names: set[str] = set()
    for folder in dirs:
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            if entry.startswith("lib") and ".so" in entry:
                names.add(entry[3 : entry.index(".so")])
    return names or None


def missing_packages(libraries: dict[str, str], known: set[str] | None) -> list[str]:
    """The Debian packages of the libraries not in ``known`` (asking ctypes when ldconfig gave nothing)."""
    if known is None:
        import ctypes.util

        return [pkg for lib, pkg in libraries.items() if ctypes.util.find_library(lib) is None]
    return [pkg for lib, pkg in libraries.items() if lib not in known]


def run(data: Path, scenario_dirs: list[Path], theme_choice: str | None = None) -> int:
    """The desktop app until its window closes; 1 if the database could not be used.

    To open quickly the window is drawn from the scenario index and the trainee
    remembered in the settings; the database and the scenarios are opened on the
    worker right after (see MainWindow.load_in_background). On a first run, with no
    trainee remembered, the only trainee there is is chosen, or a name asked for, once the
    worker has opened the database: no database call runs on this (the GUI) thread.
    """
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Empathy Trainer")
    app.setOrganizationName("Empathy Trainer")
    settings = QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat)
    theme.apply(app, theme_choice or str(settings.value("theme", "system")))
    store = open_store(data, open_now=False)
    catalog = Catalog(scenario_dirs, index=data / INDEX_FILE, lazy=True)
    records = LearningRecords(store)  # nothing is sent, and no thread runs, unless a trainer set up an LRS
    window = MainWindow(catalog, store, ROOT / "assets", settings, records=records)
    window.runner.hold()  # work queued before the window is on screen starts after it
    errors.install_excepthook(lambda: window, lambda: window.log_path)
    trainee = remembered_trainee(settings)
    if trainee is None:
        window.log_path = errors.setup_logging(log_dir(data))
        window.load_in_background(pick=lambda trainees: _only_or_last(trainees, settings))
    else:
        remembered = trainee
        window.load_in_background(lambda trainees: remembered in trainees)
        window.set_trainee(trainee)
    if window.records_ui is not None:
        window.records_ui.start()  # after the database opened: queues what an earlier run missed
    window.show()

    # Compile the scorer on the worker once the window is up (a trainee needs a second or two to
    # choose a scenario); started at once it would compete with the first paint for the GIL.
    # Voice first: it imports QtMultimedia on this thread, and an extension module imported here
    # while the worker imports the scorer's (pyahocorasick, tokenizers) deadlocked the app.
    def voice_then_scorer() -> None:
        start_voice(window, data, settings)
        window.practice.warm_up()

    QTimer.singleShot(WARM_UP_DELAY_MS, voice_then_scorer)
    if os.environ.get("EMPATHY_TRAINER_QUIT_WHEN_SHOWN"):
        # For the start-up benchmark: report when the library's cards are on screen, then leave.
        def shown() -> None:
            print(f"shown {time.time():.6f} cards={len(window.library.visible_cards())}", flush=True)
            app.quit()

        QTimer.singleShot(0, shown)
    QTimer.singleShot(0, window.runner.release)

    if window.log_path is None:

        def start_logging() -> None:  # after the first paint: the logging.handlers import costs 7 ms
            window.log_path = errors.setup_logging(log_dir(data))

        QTimer.singleShot(0, start_logging)
    code = app.exec()
    window.runner.wait()
    records.stop()
    store.close()
    return 1 if window.startup_failed else int(code)


def start_voice(window: MainWindow, data: Path, settings: QSettings) -> None:
    """Find the sound devices, start the voice thread and load the recognition model (after the window shows)."""
    from simulator.speech.recognizer import WhisperRecognizer
    from simulator.speech.tts import default_synthesizer
    from simulator.ui.audio_devices import QtMicrophone, QtSpeaker
    from simulator.ui.voice import VoiceServices

    model = settings.value("model_dir")
    voice = VoiceServices(
        synthesizer=default_synthesizer(data / "voice-cache"),
        recognizer=WhisperRecognizer(Path(str(model)) if model else None),
        microphone=QtMicrophone(window),
        speaker=QtSpeaker(window),
    )
    window.set_voice_services(voice)
    window.warm_up_voice()


def remembered_trainee(settings: QSettings) -> Trainee | None:
    """The trainee who used the app last on this machine, as the settings remember them (checked later)."""
    trainee_id, name = settings.value("trainee"), settings.value("trainee_name")
    try:
        return Trainee(int(str(trainee_id)), str(name)) if trainee_id is not None and name else None
    except ValueError:
        return None


def _only_or_last(trainees: list[Trainee], settings: QSettings) -> Trainee | None:
    """The trainee the settings remember by id (older settings have no name), or the only one there is."""
    wanted = str(settings.value("trainee"))
    for trainee in trainees:
        if str(trainee.id) == wanted:
            return trainee
    return trainees[0] if len(trainees) == 1 else None
