"""The trainer's classroom: groups, assignments, projector and live sessions, results, cohort reports.

Behind the trainer passphrase (like the studio). Every database read and write goes through the
app's one worker (``run``), so the classroom never uses the connection at the same time as the
main window; a live session's host has its own threads and its own connection.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from simulator.application.compose import ClassroomStore
from simulator.application.data import Assignment, Trainee
from simulator.classroom.report import CohortReport, cohort_report
from simulator.classroom.results_import import ImportSummary, Rescorer, import_results_files
from simulator.core.model import Scenario
from simulator.ui.classroom.assignments import AssignmentsPage
from simulator.ui.classroom.report_view import ReportView
from simulator.ui.classroom.roster import RosterPage
from simulator.ui.geometry import fit_window

log = logging.getLogger(__name__)
Run = Callable[..., None]


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class ResultsPage(QWidget):
    """Import trainees' results files: each file gets a line saying what became of it."""

    def __init__(
        self,
        classroom: ClassroomStore,
        run: Run,
        scenarios: Callable[[], list[Scenario]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.classroom = classroom
        self.run = run
        self.rescorer = Rescorer(scenarios)  # answers are re-scored on the trainer's own scenarios
        self.ask_files: Callable[[], list[Path]] = self._ask_files
        self.confirm_unknown: Callable[[list[str]], bool] = self._confirm_unknown
        self.headline = QLabel("Import the results files trainees exported (Class → Export results…).")
        self.headline.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Imported files")
        self.table.setHorizontalHeaderLabels(["File", "Result", "What happened"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        button = QPushButton("&Import results files…")
        button.clicked.connect(lambda: self.import_files())
        top = QHBoxLayout()
        top.addWidget(self.headline, 1)
        top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        self.last: ImportSummary | None = None

    def _ask_files(self) -> list[Path]:
        chosen, _ = QFileDialog.getOpenFileNames(self, "Import results files", "", "Results (*.json);;All files (*)")
        return [Path(p) for p in chosen]

    def import_files(self, paths: list[Path] | None = None) -> None:
        files = paths if paths is not None else self.ask_files()
        if not files:
            return
        self.headline.setText(f"Importing {len(files)} files…")
        self.run(lambda: import_results_files(self.classroom, files, self.rescorer), self._checked)

    def _confirm_unknown(self, names: list[str]) -> bool:
        answer = QMessageBox.question(
            self,
            "Trainees not on the roster",
            "These results files are from names not on the group's roster:\n\n"
            + "\n".join(names)
            + "\n\nImport them anyway and add these names to the group?",
        )
        return answer == QMessageBox.StandardButton.Yes

    def _checked(self, summary: ImportSummary) -> None:
        """Names not on the roster are refused unless the trainer says yes here; then only those files go again."""
        unknown = [f for f in summary.files if f.not_on_roster]
        if not unknown or not self.confirm_unknown(
            sorted({f.message.split(": rejected: ")[-1].split(" is not")[0] for f in unknown})
        ):
            self._show(summary)
            return
        again = [f.path for f in unknown]

        def work() -> ImportSummary:
            redone = import_results_files(self.classroom, again, self.rescorer, accept_unknown=True)
            by_path = {f.path: f for f in redone.files}
            return ImportSummary(tuple(by_path.get(f.path, f) if f.not_on_roster else f for f in summary.files))

        self.run(work, self._show)

    def _show(self, summary: ImportSummary) -> None:
        self.last = summary
        self.headline.setText(summary.headline())
        self.table.setRowCount(len(summary.files))
        for row, outcome in enumerate(summary.files):
            for column, value in enumerate([outcome.path.name, outcome.status.value, outcome.message]):
                self.table.setItem(row, column, QTableWidgetItem(value))


class ClassroomWindow(QMainWindow):
    """``scenarios()`` lists the library's scenarios; ``database`` is the file a live host writes to."""

    def __init__(
        self,
        classroom: ClassroomStore,
        scenarios: Callable[[], list[Scenario]],
        run: Run,
        database: Path,
        trainer: str,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self.classroom = classroom
        self.scenarios = scenarios
        self.run = run
        self.database = database
        self.trainer = trainer
        self.host_view: Any = None  # a LiveDashboard while a session runs
        self.projector: Any = None
        self.setWindowTitle(f"Empathy Trainer: classroom ({trainer})")
        fit_window(self, settings, "classroom", QSize(1200, 800))
        self.roster = RosterPage(classroom, run)
        self.assignments = AssignmentsPage(classroom, scenarios, run)
        self.results = ResultsPage(classroom, run, scenarios)
        self.report = ReportView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.roster, "&Groups")
        self.tabs.addTab(self.assignments, "&Assignments")
        self.live_page = _placeholder("Choose an assignment and press “Host a live session”.")
        self.tabs.addTab(self.live_page, "&Live session")
        self.projector_page = _placeholder("Choose an assignment and press “Run on the projector”.")
        self.tabs.addTab(self.projector_page, "&Projector")
        self.tabs.addTab(self.results, "Re&sults")
        self.tabs.addTab(self.report, "&Report")
        self.setCentralWidget(self.tabs)
        self.roster.changed.connect(self.assignments.load)
        self.assignments.report_requested.connect(self.show_report)
        self.assignments.projector_requested.connect(self.run_projector)
        self.assignments.live_requested.connect(self.host_live)
        self.tabs.currentChanged.connect(self._tab_changed)
        full = QAction("Full screen (projector)", self)
        full.setShortcut(QKeySequence("F11"))
        full.triggered.connect(lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen())
        self.addAction(full)
        self.roster.load()
        self.assignments.load()

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.assignments:
            self.assignments.load()

    def _scenario(self, assignment: Assignment) -> Scenario | None:
        scenario = next((s for s in self.scenarios() if s.id == assignment.scenario_id), None)
        if scenario is None:
            QMessageBox.warning(self, "Scenario missing", f"{assignment.scenario_id} is not in the library any more.")
        return scenario

    def _replace_tab(self, old: QWidget, new: QWidget, title: str) -> None:
        index = self.tabs.indexOf(old)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, new, title)
        self.tabs.setCurrentIndex(index)
        old.deleteLater()

    # -- report --------------------------------------------------------------------------

    def show_report(self, assignment_id: int) -> None:
        scenario_of = {s.id: s for s in self.scenarios()}

        def work() -> CohortReport:
            assignment = self.classroom.assignment(assignment_id)
            return cohort_report(self.classroom, assignment_id, scenario=scenario_of.get(assignment.scenario_id))

        self.tabs.setCurrentWidget(self.report)
        self.report.title.setText("Building the report…")
        self.run(work, self.report.show_report)

    # -- projector -----------------------------------------------------------------------

    def run_projector(self, assignment_id: int) -> None:
        from simulator.classroom.projector import ProjectorSession
        from simulator.core.scoring.scorer import RubricScorer
        from simulator.ui.classroom.projector_view import ProjectorView

        if self.projector is not None and self.projector.model.phase.value in ("answering", "discussing"):
            self.tabs.setCurrentWidget(self.projector)
            return

        def work() -> tuple[Assignment, list[Trainee]]:
            assignment = self.classroom.assignment(assignment_id)
            return assignment, self.classroom.members(assignment.group_id)

        def show(loaded: tuple[Assignment, list[Trainee]]) -> None:
            assignment, members = loaded
            scenario = self._scenario(assignment)
            if scenario is None:
                return
            session = ProjectorSession(scenario, RubricScorer(), members, mode=assignment.mode, assignment=assignment)
            view = ProjectorView(session, members, self.classroom, self.run)
            view.saved.connect(lambda _id: self.assignments.load())
            old = self.projector or self.projector_page
            self.projector = view
            self._replace_tab(old, view, "&Projector")

        self.run(work, show)

    # -- live session --------------------------------------------------------------------

    def host_live(self, assignment_id: int, port: int | None = None) -> None:
        from simulator.classroom.discovery import interface_choices
        from simulator.classroom.host import LiveHost
        from simulator.core.scoring.scorer import RubricScorer
        from simulator.ui.classroom.dashboard import LiveDashboard

        if self.host_view is not None and not self.host_view.host.dashboard().ended:
            self.tabs.setCurrentWidget(self.host_view)
            return

        def show(assignment: Assignment) -> None:
            scenario = self._scenario(assignment)
            if scenario is None:
                return
            options: dict[str, Any] = {"database": self.database, "title": assignment.title}
            if port is not None:
                options.update(bind="127.0.0.1", port=port)
            try:
                host = LiveHost(assignment, scenario, RubricScorer(), **options)
                host.start()
            except (OSError, ValueError) as exc:
                QMessageBox.warning(self, "Cannot host the session", f"{exc}")
                return
            view = LiveDashboard(host, interface_choices())  # the default route's address first
            old = self.host_view or self.live_page
            if self.host_view is not None:
                self.host_view.stop()
            self.host_view = view
            self._replace_tab(old, view, "&Live session")

        self.run(lambda: self.classroom.assignment(assignment_id), show)

    def confirm_end_live(self) -> bool:
        """While a live session runs, ask before ending it; Yes ends it for everyone (False: Cancel)."""
        view = self.host_view
        if view is None:
            return True
        board = view.refresh()
        if board.ended:
            return True
        n = board.connected
        who = (
            "No trainees are connected"
            if n == 0
            else ("1 trainee is connected" if n == 1 else f"{n} trainees are connected")
        )
        answer = QMessageBox.question(
            self,
            "End the live session?",
            f"End the live session? {who}; their answers so far are saved.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        view.end()  # every trainee's app is told the session ended; what each has so far is stored
        return True

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.confirm_end_live():
            event.ignore()
            return
        if self.host_view is not None:
            self.host_view.stop()  # sends the end, stores what is left, closes the connections and the database
        super().closeEvent(event)
