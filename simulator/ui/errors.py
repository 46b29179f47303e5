"""What the person sees when something goes wrong: a dialog in plain words, details in the log."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

if TYPE_CHECKING:
    from simulator.application.data import StorageError

log = logging.getLogger("simulator")


def setup_logging(folder: Path) -> Path | None:
    """A rotating log in the data folder; returns its path, or None if the folder is not writable."""
    from logging.handlers import RotatingFileHandler

    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "empathy-trainer.log"
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def show_storage_error(parent: QWidget | None, error: StorageError) -> None:
    log.error("storage problem: %s", error)
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("Your practice history cannot be saved")
    box.setText(f"The database file is {error.problem.value}:\n{error.path}")
    box.setInformativeText(error.advice)
    if error.detail:
        box.setDetailedText(error.detail)
    box.setAccessibleName("Database problem")
    box.exec()


def show_unexpected(parent: QWidget | None, error: BaseException, log_path: Path | None) -> None:
    where = f"\n\nDetails were written to {log_path}." if log_path else ""
    QMessageBox.critical(
        parent,
        "Something went wrong",
        f"Empathy Trainer ran into a problem it did not expect: {error}.{where}\n\n"
        "Your answers so far are saved. If it happens again, please send the log file to your trainer.",
    )


def install_excepthook(parent: Callable[[], QWidget | None], log_path: Callable[[], Path | None]) -> None:
    """Unhandled exceptions on the GUI thread: log them with the traceback and show a dialog."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled exception:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        if isinstance(error, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        from simulator.application.data import StorageError

        if isinstance(error, StorageError):
            show_storage_error(parent(), error)
        else:
            show_unexpected(parent(), error, log_path())

    sys.excepthook = hook
