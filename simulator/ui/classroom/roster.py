"""Groups and their trainees: add by hand or import a roster CSV (previewed, all or nothing)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from simulator.application.compose import ClassroomStore
from simulator.application.data import Group, Trainee
from simulator.classroom.roster_csv import RosterImport, import_roster

Run = Callable[..., None]


class RosterPage(QWidget):
    """``run(work, done)`` is the app's one worker; ``ask_text``/``ask_file`` are replaced in tests."""

    changed = Signal()

    def __init__(self, classroom: ClassroomStore, run: Run, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.classroom = classroom
        self.run = run
        self.ask_text: Callable[[str, str], str | None] = self._ask_text
        self.ask_file: Callable[[], Path | None] = self._ask_file
        self.groups = QListWidget()
        self.groups.setAccessibleName("Groups")
        self.groups.currentRowChanged.connect(lambda _row: self.load_members())
        self.members = QListWidget()
        self.members.setAccessibleName("Trainees in the group")
        self.message = QLabel("Import a roster CSV (name, group) or add groups and trainees by hand.")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        add_group = QPushButton("Add &group…")
        add_group.clicked.connect(self.add_group)
        import_button = QPushButton("&Import roster CSV…")
        import_button.clicked.connect(lambda: self.import_csv())
        add_trainee = QPushButton("Add &trainee…")
        add_trainee.clicked.connect(self.add_trainee)
        remove = QPushButton("&Remove from group")
        remove.clicked.connect(self.remove_member)
        left = QVBoxLayout()
        left.addWidget(QLabel("Groups"))
        left.addWidget(self.groups, 1)
        for button in (add_group, import_button):
            left.addWidget(button)
        right = QVBoxLayout()
        right.addWidget(QLabel("Trainees"))
        right.addWidget(self.members, 1)
        row = QHBoxLayout()
        row.addWidget(add_trainee)
        row.addWidget(remove)
        right.addLayout(row)
        columns = QHBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.message)

    # -- loading -----------------------------------------------------------------------

    def load(self, select: int | None = None) -> None:
        def show(groups: list[Group]) -> None:
            current = select if select is not None else self.group_id()
            self.groups.blockSignals(True)
            self.groups.clear()
            for group in groups:
                item = QListWidgetItem(f"{group.name}  ({group.member_count})")
                item.setData(Qt.ItemDataRole.UserRole, group.id)
                self.groups.addItem(item)
                if group.id == current:
                    self.groups.setCurrentItem(item)
            if self.groups.currentRow() < 0 and groups:
                self.groups.setCurrentRow(0)
            self.groups.blockSignals(False)
            self.load_members()

        self.run(self.classroom.groups, show)

    def group_id(self) -> int | None:
        item = self.groups.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def load_members(self) -> None:
        group_id = self.group_id()
        if group_id is None:
            self.members.clear()
            return

        def show(members: list[Trainee]) -> None:
            self.members.clear()
            for trainee in members:
                item = QListWidgetItem(trainee.name)
                item.setData(Qt.ItemDataRole.UserRole, trainee.id)
                self.members.addItem(item)

        self.run(lambda: self.classroom.members(group_id), show)

    # -- editing -----------------------------------------------------------------------

    def _ask_text(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        return text.strip() if ok and text.strip() else None

    def _ask_file(self) -> Path | None:
        chosen, _ = QFileDialog.getOpenFileName(self, "Import a roster", "", "CSV files (*.csv *.txt);;All files (*)")
        return Path(chosen) if chosen else None

    def _refused(self, error: BaseException) -> None:
        self.message.setText(f"Not saved: {error}")

    def add_group(self) -> None:
        name = self.ask_text("Add group", "Name of the group (e.g. November cohort):")
        if name:
            self.run(lambda: self.classroom.add_group(name), lambda group: self._saved(group.id), self._refused)

    def add_trainee(self) -> None:
        group_id = self.group_id()
        if group_id is None:
            self.message.setText("Add or choose a group first.")
            return
        name = self.ask_text("Add trainee", "Trainee's name:")
        if not name:
            return
        store = self.classroom.store

        def work() -> None:
            from simulator.application import trainees

            self.classroom.add_member(group_id, trainees.add(store, name).id)

        self.run(work, lambda _none: self._saved(group_id), self._refused)

    def remove_member(self) -> None:
        group_id, item = self.group_id(), self.members.currentItem()
        if group_id is None or item is None:
            return
        trainee_id = int(item.data(Qt.ItemDataRole.UserRole))
        self.run(lambda: self.classroom.remove_member(group_id, trainee_id), lambda _none: self._saved(group_id))

    def _saved(self, group_id: int | None) -> None:
        self.load(select=group_id)
        self.changed.emit()

    def import_csv(self, path: Path | None = None) -> None:
        path = path or self.ask_file()
        if path is None:
            return

        def work() -> RosterImport:
            return import_roster(self.classroom, path.read_bytes())

        def done(result: RosterImport) -> None:
            problems = [p.format() for p in result.plan.problems]
            if result.result is None:
                self.message.setText(f"{path.name}: nothing imported.\n" + "\n".join(problems[:8]))
                QMessageBox.warning(self, "Roster not imported", f"{path.name}:\n" + "\n".join(problems[:20]))
                return
            r = result.result
            text = (
                f"{path.name}: {len(r.trainees_created)} new trainees, {len(r.trainees_existing)} already known, "
                f"{len(r.groups_created)} new groups, {r.memberships_added} added to groups."
            )
            self.message.setText("\n".join([text, *problems[:8]]))
            self._saved(None)

        self.run(work, done, lambda error: self.message.setText(f"{path.name}: cannot read ({error})."))
