"""Assignments: give a scenario to a group with a mode, pass mark, attempt limit and due date."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.application.compose import ClassroomStore
from simulator.application.data import Assignment, AssignmentStatus, Group, Status
from simulator.application.signing import trainer_fingerprint
from simulator.classroom.assignment_file import SUFFIX, export_group_files
from simulator.core.model import Scenario

Run = Callable[..., None]
HEADERS = ["Scenario", "Mode", "Pass mark", "Attempts", "Due", "Passed", "In progress", "Not started", "Failed"]


@dataclass(frozen=True)
class AssignmentChoice:
    scenario: Scenario
    mode: str
    pass_threshold: float
    attempt_limit: int | None
    due: datetime | None


class AssignmentDialog(QDialog):
    """The rules of one assignment; sensible defaults: practice, pass at 70, no limit, due in a week."""

    def __init__(self, group: str, scenarios: list[Scenario], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Assign a scenario to {group}")
        self.scenarios = scenarios
        self.scenario = QComboBox()
        for scenario in scenarios:
            self.scenario.addItem(scenario.title, scenario.id)
        self.mode = QComboBox()
        self.mode.addItems(["practice", "assessment"])
        self.threshold = QSpinBox()
        self.threshold.setRange(0, 100)
        self.threshold.setValue(70)
        self.limit = QSpinBox()
        self.limit.setRange(0, 50)
        self.limit.setSpecialValueText("unlimited")
        self.has_due = QCheckBox("Due by the end of")
        self.has_due.setChecked(True)
        self.due = QDateEdit(QDate.currentDate().addDays(7))
        self.due.setCalendarPopup(True)
        self.has_due.toggled.connect(self.due.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due, 1)
        form = QFormLayout()
        form.addRow("Scenario", self.scenario)
        form.addRow("Mode", self.mode)
        form.addRow("Pass mark", self.threshold)
        form.addRow("Attempts allowed", self.limit)
        form.addRow("Due", due_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def choice(self) -> AssignmentChoice:
        due = None
        if self.has_due.isChecked():
            day = self.due.date()
            # The end of the chosen local day, as an aware time.
            due = datetime.combine(date(day.year(), day.month(), day.day()), time(23, 59, 59)).astimezone()
        return AssignmentChoice(
            self.scenarios[self.scenario.currentIndex()],
            self.mode.currentText(),
            float(self.threshold.value()),
            self.limit.value() or None,
            due,
        )


class AssignmentsPage(QWidget):
    """Assignments of the chosen group with how its trainees stand; ``ask_*`` are replaced in tests."""

    report_requested = Signal(int)
    projector_requested = Signal(int)
    live_requested = Signal(int)

    def __init__(
        self,
        classroom: ClassroomStore,
        scenarios: Callable[[], list[Scenario]],
        run: Run,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.classroom = classroom
        self.scenarios = scenarios
        self.run = run
        self.ask_choice: Callable[[str], AssignmentChoice | None] = self._ask_choice
        self.ask_save_path: Callable[[str], Path | None] = self._ask_save_path
        self.group = QComboBox()
        self.group.setAccessibleName("Group")
        self.group.activated.connect(lambda _i: self.load_assignments())
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Assignments")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.message = QLabel()
        self.message.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Group"))
        top.addWidget(self.group, 1)
        new = QPushButton("&New assignment…")
        new.clicked.connect(self.new_assignment)
        top.addWidget(new)
        actions = QHBoxLayout()
        for text, slot in (
            ("&Export assignment file…", self.export_file),
            ("Run on the &projector", lambda: self._emit(self.projector_requested)),
            ("Host a &live session", lambda: self._emit(self.live_requested)),
            ("Cohort &report", lambda: self._emit(self.report_requested)),
        ):
            button = QPushButton(text)
            button.clicked.connect(slot)
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        self.assignments: list[Assignment] = []

    # -- loading -----------------------------------------------------------------------

    def load(self) -> None:
        def show(groups: list[Group]) -> None:
            chosen = self.group.currentData()
            self.group.clear()
            for group in groups:
                self.group.addItem(group.name, group.id)
            index = self.group.findData(chosen)
            self.group.setCurrentIndex(index if index >= 0 else 0)
            self.load_assignments()

        self.run(self.classroom.groups, show)

    def group_id(self) -> int | None:
        data = self.group.currentData()
        return int(data) if data is not None else None

    def load_assignments(self, select: int | None = None) -> None:
        group_id = self.group_id()
        if group_id is None:
            self.table.setRowCount(0)
            self.message.setText("Create a group on the Groups page first.")
            return

        def work() -> list[tuple[Assignment, dict[int, AssignmentStatus]]]:
            return [(a, self.classroom.statuses(a.id)) for a in self.classroom.assignments(group_id)]

        self.run(work, lambda rows: self._show(rows, select))

    def _show(self, rows: list[tuple[Assignment, dict[int, AssignmentStatus]]], select: int | None) -> None:
        self.assignments = [a for a, _s in rows]
        self.table.setRowCount(len(rows))
        for index, (a, statuses) in enumerate(rows):
            counts = Counter(s.status for s in statuses.values())
            values = [
                a.scenario_title,
                a.mode,
                f"{a.pass_threshold:.0f}",
                str(a.attempt_limit or "unlimited"),
                a.due.astimezone().strftime("%d %b %Y") if a.due else "–",
                str(counts[Status.PASSED]),
                str(counts[Status.IN_PROGRESS]),
                str(counts[Status.NOT_STARTED]),
                str(counts[Status.FAILED]),
            ]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, a.id)
                self.table.setItem(index, column, item)
            if a.id == select:
                self.table.selectRow(index)
        if rows and self.table.currentRow() < 0:
            self.table.selectRow(0)
        self.message.setText("" if rows else "No assignments yet: New assignment… gives this group a scenario.")

    def selected(self) -> Assignment | None:
        row = self.table.currentRow()
        return self.assignments[row] if 0 <= row < len(self.assignments) else None

    def _emit(self, signal: SignalInstance) -> None:
        assignment = self.selected()
        if assignment is None:
            self.message.setText("Choose an assignment first.")
        else:
            signal.emit(assignment.id)

    # -- actions -----------------------------------------------------------------------

    def _ask_choice(self, group: str) -> AssignmentChoice | None:
        dialog = AssignmentDialog(group, self.scenarios(), self)
        return dialog.choice() if dialog.exec() else None

    def _ask_save_path(self, suggested: str) -> Path | None:
        chosen, _ = QFileDialog.getSaveFileName(self, "Save the assignment file", suggested, "Assignments (*.json)")
        return Path(chosen) if chosen else None

    def new_assignment(self) -> None:
        group_id = self.group_id()
        if group_id is None:
            self.message.setText("Create a group on the Groups page first.")
            return
        choice = self.ask_choice(self.group.currentText())
        if choice is None:
            return

        def work() -> Assignment:
            return self.classroom.assign(
                group_id, choice.scenario, choice.mode, choice.pass_threshold, choice.attempt_limit, choice.due
            )

        self.run(
            work,
            lambda a: self.load_assignments(select=a.id),
            lambda error: self.message.setText(f"Not assigned: {error}"),
        )

    def export_file(self) -> None:
        """An assignment file for trainees' machines without a network (it carries the scenario)."""
        assignment = self.selected()
        if assignment is None:
            self.message.setText("Choose an assignment first.")
            return
        scenario = next((s for s in self.scenarios() if s.id == assignment.scenario_id), None)
        stem = "-".join(f"{assignment.group_name} {assignment.scenario_id}".lower().split())
        path = self.ask_save_path(f"{stem}.assignment.json")
        if path is None:
            return

        def work() -> str:
            text = scenario.path.read_text(encoding="utf-8") if scenario is not None and scenario.path else None
            written = export_group_files(self.classroom, assignment, path.parent, path.name.removesuffix(SUFFIX), text)
            key = trainer_fingerprint(self.classroom.store.folder)
            return f"{len(written)} files (one per trainee) in {path.parent}, signed with key {key}"

        self.run(
            work,
            lambda saved: self.message.setText(
                f"Saved {saved}: each trainee opens theirs with Class → Open assignment file."
            ),
            lambda error: self.message.setText(f"Not saved: {error}"),
        )
