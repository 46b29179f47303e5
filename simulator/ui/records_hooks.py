"""Learning records in the main window: queueing as attempts go, the status-bar count, the menu, export.

Built with the window, so it imports little: the settings dialog, the trainer
gate and the file dialog load when first used (benchmarks/bench_startup.py).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QStatusBar, QWidget

from simulator.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from simulator.application.data import Trainee
    from simulator.records.config import Loaded
    from simulator.records.outbox import Counts
    from simulator.records.service import LearningRecords
    from simulator.ui.records_settings import RecordsSettingsDialog

log = logging.getLogger(__name__)


class RecordsHooks(QObject):
    """What the main window does with learning records: queue each attempt's statements as it goes,
    show how many wait, and offer the settings and export in a menu.

    ``changed`` carries the outbox's counts from any thread (the sender's) to the GUI thread.
    """

    changed = Signal(object)  # Counts

    def __init__(
        self,
        records: LearningRecords,
        runner: TaskRunner,
        status_bar: QStatusBar,
        trainee: Callable[[], Trainee | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.records = records
        self.runner = runner
        self.status_bar = status_bar
        self.trainee = trainee
        self.window = parent
        self.label = QLabel()
        self.label.setAccessibleName("Learning records waiting")
        self.label.hide()
        self.dialog: RecordsSettingsDialog | None = None
        self.changed.connect(self.show_counts)
        records.add_listener(self.changed.emit)

    def add_menu(self, menu: QMenu) -> tuple[QAction, QAction]:
        settings = QAction("&Learning records (LRS)…", self.window)
        settings.triggered.connect(self.open_settings)
        export = QAction("&Export learning records…", self.window)
        export.triggered.connect(lambda: self.export())
        menu.addAction(settings)
        menu.addAction(export)
        return settings, export

    def start(self) -> None:
        """Queue what an earlier run left out, then send in the background if an LRS is configured."""
        records = self.records

        def work() -> tuple[Loaded, Counts]:
            records.catch_up()
            return records.load(), records.counts()

        def done(data: tuple[Loaded, Counts]) -> None:
            loaded, counts = data
            records.start(loaded)
            self.show_counts(counts)
            if loaded.problem:
                log.warning("learning records: %s", loaded.problem)

        self.runner.run(work, done, self._quietly_failed)

    def record(self, attempt_id: int) -> None:
        """Queue what the attempt has earned so far (after its latest save, on the same worker)."""
        records = self.records
        self.runner.run(lambda: records.record_attempt(attempt_id), self.show_counts, self._quietly_failed)

    def show_counts(self, counts: Counts) -> None:
        """Shown only when an LRS is configured and something waits for it."""
        waiting = counts.pending if self.records.configured else 0
        self.label.setVisible(waiting > 0)
        self.label.setText(f"{waiting} learning record{'s' if waiting != 1 else ''} waiting")
        config = self.records.sender.config
        tip = f"Waiting to be sent to {config.endpoint}" if config else ""
        if counts.last_error:
            tip += f"\nLast problem: {counts.last_error}"
        self.label.setToolTip(tip)
        if self.dialog is not None:
            self.dialog.show_counts(counts)

    def stop(self) -> None:
        self.records.stop()

    # -- settings ---------------------------------------------------------------------------

    def open_settings(self) -> None:
        """Only with the trainer passphrase: a trainee cannot send the records elsewhere."""
        from simulator.ui.studio.gate import ask_trainer

        def signed_in(trainer: str) -> None:
            self.settings_dialog(trainer).exec()

        ask_trainer(self.records.store, self.runner.run, self.window, signed_in)

    def settings_dialog(self, trainer: str | None) -> RecordsSettingsDialog:
        from simulator.ui.records_settings import RecordsSettingsDialog

        dialog = RecordsSettingsDialog(self.records, self.runner, trainer, self.window)
        dialog.saved.connect(lambda _saved: self.runner.run(self.records.counts, self.show_counts))
        dialog.finished.connect(lambda _code: setattr(self, "dialog", None))
        self.dialog = dialog
        return dialog

    # -- export --------------------------------------------------------------------------------

    def export(self, path: Path | None = None) -> None:
        """The current trainee's attempts as xAPI statements in a JSON file (for an LMS without a live link)."""
        trainee = self.trainee()
        if trainee is None:
            return
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            name, _filter = QFileDialog.getSaveFileName(
                self.window,
                "Export learning records",
                str(Path.home() / f"learning-records-{trainee.name.replace(' ', '-')}.json"),
                "xAPI statements (*.json)",
            )
            if not name:
                return
            path = Path(name)
        records, target = self.records, path

        def work() -> int:
            from simulator.application import trainees

            return records.export(target, [a.id for a in trainees.attempts(records.store, trainee.id)])

        def done(count: int) -> None:
            self.status_bar.showMessage(f"Exported {count} learning record(s) of {trainee.name} to {target}.", 10_000)

        def failed(error: BaseException) -> None:
            if isinstance(error, OSError):
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.warning(
                    self.window, "Export learning records", f"{target} could not be written: {error.strerror or error}."
                )
            else:
                self.runner.default_error(error)

        self.runner.run(work, done, failed)

    def _quietly_failed(self, error: BaseException) -> None:
        """Queueing never interrupts practice: what was missed is queued at the next start (catch_up)."""
        log.warning("learning records could not be queued: %r", error)
