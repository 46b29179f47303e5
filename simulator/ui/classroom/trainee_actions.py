"""The trainee's Class menu: an assignment file in, a results file out, and joining a live session.

File and database work runs on the window's worker; the person is told in plain words what
happened (where a file was saved, how many attempts), and why when it could not be done.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSize, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from simulator.ui.geometry import fit_window
from simulator.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from simulator.application.compose import Store
    from simulator.application.data import AssignmentStatus, Trainee
    from simulator.classroom.client import LiveClient, TokenBook, Welcome
    from simulator.core.catalog import Catalog
    from simulator.core.scoring.types import AnswerScorer
    from simulator.ui.classroom.live_join import JoinDialog
    from simulator.ui.classroom.live_play import LivePlayWindow, LocalCopy
    from simulator.ui.classroom.trainee_files import Adopted, Exported

RESULTS_SUFFIX = ".results.json"


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "."


class TraineeClassroom(QObject):
    """What a trainee does with their trainer's classroom, for the main window's Class menu."""

    assignments_changed = Signal()  # an assignment was added or updated here: the library reloads
    attempts_changed = Signal()  # a live attempt was kept (or its unfinished copy removed): library, progress reload

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        runner: TaskRunner,
        settings: QSettings,
        trainee: Callable[[], Trainee | None],
        scorer: Callable[[], AnswerScorer],
        assets: Path,
        *,
        status: Callable[[str, int], None],
        typing_delay_ms: int = 900,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.window = parent
        self.store = store
        self.catalog = catalog
        self.runner = runner
        self.settings = settings
        self.trainee = trainee
        self.scorer = scorer
        self.assets = assets
        self.status = status
        self.typing_delay_ms = typing_delay_ms
        self.join_dialog: JoinDialog | None = None
        self.tokens: TokenBook | None = None  # this app's live-session tokens, in memory while it runs
        self.live: LivePlayWindow | None = None
        self._join_name: tuple[int, str] | None = None  # who joined last, with which name: a rejoin needs it

    def _folder(self) -> str:
        return str(self.settings.value("classroom/folder", str(Path.home())))

    def _remember(self, folder: Path) -> None:
        self.settings.setValue("classroom/folder", str(folder))

    # -- assignment files ----------------------------------------------------------------

    def open_assignment_file(self) -> None:
        trainee = self.trainee()
        if trainee is None:
            return
        chosen, _ = QFileDialog.getOpenFileName(
            self.window,
            "Open an assignment file from your trainer",
            self._folder(),
            "Assignment files (*.assignment.json);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
        self._remember(path.parent)
        from simulator.ui.classroom.trainee_files import adopt_file

        def failed(error: BaseException) -> None:
            if isinstance(error, OSError):
                why = f"it cannot be read ({error.strerror or error})"
            elif isinstance(error, (ValueError, UnicodeError)):  # AssignmentFileError is a ValueError
                why = str(error)
            else:
                self.runner.default_error(error)
                return
            QMessageBox.warning(
                self.window,
                "This assignment file cannot be used",
                f"{path.name}: {_sentence(why)}\n\nAsk your trainer to send the assignment file again.",
            )

        self.runner.run(lambda: adopt_file(self.store, self.catalog, path, trainee.id), self._adopted, failed)

    def _adopted(self, adopted: Adopted) -> None:
        a = adopted.assignment
        mode = "graded assessment" if a.mode == "assessment" else "practice"
        rules = f"{mode}, pass mark {a.pass_threshold:.0f}"
        if a.attempt_limit is not None:
            rules += f", {a.attempt_limit} attempt{'s' if a.attempt_limit != 1 else ''}"
        if a.due is not None:
            from simulator.ui.classroom.trainee_assignments import day_text

            rules += f", due {day_text(a.due)}"
        text = f"“{a.title}” for {a.group_name} ({rules}) is now at the top of your library."
        if adopted.note:
            text += f"\n\n{adopted.note}"
        self.assignments_changed.emit()
        QMessageBox.information(self.window, "Assignment added", text)

    # -- results files ---------------------------------------------------------------------

    def export_results(self, assignment_id: int | None = None) -> None:
        """Save the trainee's results for an assignment (asked which, when not given) as a file."""
        trainee = self.trainee()
        if trainee is None:
            return

        def load() -> list[AssignmentStatus]:
            from simulator.application.compose import classroom_of

            return classroom_of(self.store).assignments_for(trainee.id)

        def chosen(statuses: list[AssignmentStatus]) -> None:
            if assignment_id is not None:
                pick = next((s for s in statuses if s.assignment.id == assignment_id), None)
            else:
                pick = self._choose(statuses)
            if pick is not None:
                self._save(trainee, pick)

        self.runner.run(load, chosen)

    def _choose(self, statuses: list[AssignmentStatus]) -> AssignmentStatus | None:
        if not statuses:
            QMessageBox.information(
                self.window,
                "No assignments yet",
                "You have no assignments yet. Open the assignment file your trainer gave you "
                "(Class ▸ Open assignment file…), or join their live session.",
            )
            return None
        done = [s for s in statuses if s.best_score is not None]
        if not done:
            QMessageBox.information(
                self.window,
                "Nothing to export yet",
                "None of your assignments has a finished attempt yet: finish one, then export your results.",
            )
            return None
        if len(done) == 1:
            return done[0]
        labels = [
            f"{i + 1}. {s.assignment.title} ({s.assignment.group_name}): {s.status.value}" for i, s in enumerate(done)
        ]
        item, ok = QInputDialog.getItem(self.window, "Export results", "Which assignment's results?", labels, 0, False)
        return done[labels.index(item)] if ok and item in labels else None

    def _save(self, trainee: Trainee, status: AssignmentStatus) -> None:
        from simulator.classroom.results_file import results_filename
        from simulator.ui.classroom.trainee_files import export_to

        assignment = status.assignment
        suggested = Path(self._folder()) / results_filename(assignment, trainee.name)
        chosen, _ = QFileDialog.getSaveFileName(
            self.window, "Save your results for your trainer", str(suggested), "Results files (*.results.json)"
        )
        if not chosen:
            return
        path = Path(chosen)
        if not path.name.endswith(RESULTS_SUFFIX):  # the trainer's import looks for this ending
            path = path.with_name(path.name.removesuffix(".json") + RESULTS_SUFFIX)
        self._remember(path.parent)

        def saved(exported: Exported) -> None:
            n = exported.attempts
            QMessageBox.information(
                self.window,
                "Results saved",
                f"Saved {n} finished attempt{'s' if n != 1 else ''} at “{assignment.title}” to:\n{exported.path}\n\n"
                "Give this file to your trainer (USB stick, e-mail or a shared folder). It is sealed: "
                "if anyone changes it, your trainer's app will refuse it.",
            )

        def failed(error: BaseException) -> None:
            if isinstance(error, OSError):
                title, text = "Results not saved", f"{path} cannot be written ({error.strerror or error})."
            elif isinstance(error, ValueError):
                title, text = "Nothing to export yet", _sentence(str(error)) + " Finish an attempt, then export."
            else:
                self.runner.default_error(error)
                return
            QMessageBox.warning(self.window, title, text)

        self.runner.run(lambda: export_to(self.store, assignment.id, trainee.id, path), saved, failed)

    # -- live sessions -------------------------------------------------------------------

    def join_live(self) -> JoinDialog | None:
        """The Join dialog (not blocking: it connects in the background and stays open to say why not)."""
        from simulator.ui.classroom.live_join import JoinDialog

        trainee = self.trainee()
        if trainee is None:
            return None
        if self.live is not None and self.live.over:
            self.live.close()  # ended or dropped: joining again (same name, same code) carries on
        if self.live is not None:
            self.live.raise_()
            self.live.activateWindow()
            self.status("You are in a live session already: leave it (Esc) before joining another.", 8000)
            return None
        if self.join_dialog is None:
            from simulator.classroom.client import TokenBook

            self.tokens = self.tokens or TokenBook()  # a rejoin needs the token of this app's earlier welcome
            self.join_dialog = JoinDialog(self.tokens, self.window)
            self.join_dialog.joined.connect(self._joined)
        elif self.join_dialog.isVisible():
            return self.join_dialog  # open already (perhaps connecting): leave what is typed alone
        last = self._join_name
        name = last[1] if last is not None and last[0] == trainee.id else trainee.name
        self.join_dialog.prepare(str(self.settings.value("live/address", "")), name)
        self.join_dialog.show()
        return self.join_dialog

    def _joined(self, client: LiveClient) -> None:
        from simulator.ui.classroom.live_play import LivePlayWindow, LocalCopy

        trainee = self.trainee()
        dialog = self.join_dialog
        if dialog is not None:
            self.settings.setValue("live/address", dialog.address.text().strip())
            if trainee is not None:
                self._join_name = (trainee.id, " ".join(dialog.name.text().split()))
        welcome = client.welcome
        if trainee is not None:  # queued before the window's copy begins, so the copy can link to it
            self._keep_assignment(welcome, trainee.id)
        copy = (
            LocalCopy(self.store, trainee.id, welcome.assignment.mode, welcome.assignment.uid)
            if trainee is not None
            else None
        )
        window = LivePlayWindow(
            client,
            self.runner,
            self.scorer,
            self.assets,
            typing_delay_ms=self.typing_delay_ms,
            copy=copy,
            parent=self.window,
        )
        fit_window(window, self.settings, "live", QSize(1000, 760))
        window.copy_changed.connect(self.attempts_changed)
        window.left.connect(lambda: self._left(copy))
        window.rejoin_requested.connect(self.join_live)
        self.live = window
        window.show()
        window.activateWindow()
        if copy is not None:  # after the copy began (same worker): the library shows it, with Resume

            def began(started: bool) -> None:
                if started:
                    self.attempts_changed.emit()

            self.runner.run(lambda: copy.started, began)

    def _keep_assignment(self, welcome: Welcome, trainee_id: int) -> None:
        """Adopt the session's assignment on this computer (on the worker, before anything else)."""
        from simulator.ui.classroom.trainee_files import adopt_assignment

        def kept(adopted: Adopted) -> None:
            self.assignments_changed.emit()
            if adopted.note:
                self.status(adopted.note, 15_000)

        def not_kept(error: BaseException) -> None:
            self.status(f"The session's assignment could not be kept on this computer: {error}", 15_000)

        self.runner.run(
            lambda: adopt_assignment(self.store, self.catalog, welcome.assignment, welcome.scenario_text, trainee_id),
            kept,
            not_kept,
        )

    def _left(self, copy: LocalCopy | None) -> None:
        self.live = None
        if copy is None:
            return

        def settled(_dropped: bool) -> None:
            if copy.started:  # the views may show the copy as it was: show it as it stays
                self.attempts_changed.emit()

        # On the worker, after any answer still being saved: an unfinished copy goes, a finished one stays.
        self.runner.run(copy.drop_unfinished, settled, lambda _error: None)

    def playing_live(self, attempt_id: int) -> bool:
        """Whether the attempt is this computer's copy of the live session being played; if so, show that window."""
        live = self.live
        if live is None or live.copy is None or live.copy.attempt_id != attempt_id:
            return False
        live.raise_()
        live.activateWindow()
        self.status("This attempt is being played in the live session's window.", 8000)
        return True

    def close_live(self) -> None:
        """The app is closing: leave the live session cleanly (the worker says goodbye to the host)."""
        if self.join_dialog is not None:
            self.join_dialog.reject()
        if self.live is not None:
            self.live.close()
