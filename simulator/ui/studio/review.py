"""Review trainees' attempts: filter, read the transcript with evidence, override a verdict with a comment.

The scorer's verdict stays visible beside the override; the override is what reports use
(``effective_met``), and every change lands in the audit log with who, when and why.

Every database read and write goes through ``run(work, done)``, the studio's task runner: the
Store lives on the worker thread, and a slow or locked database never freezes the window.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.application import overrides, review
from simulator.application.compose import Store
from simulator.application.data import AuditEntry, ReviewRow, TurnRecord, effective_met
from simulator.core.scoring.outcome import attempt_score

ANY = "(any)"


class OverrideDialog(QDialog):
    """Met or missed, and why: a comment is required (it is what the trainee will read)."""

    def __init__(self, label: str, scorer_met: bool, current: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Override: {label}")
        self.met = QCheckBox("Criterion &met")
        self.met.setChecked(not current)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText("Why? (required; the trainee sees it in the review)")
        self.comment.setAccessibleName("Override comment")
        self.message = QLabel(f"The scorer said: {'met' if scorer_met else 'missed'}.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.met)
        layout.addWidget(self.comment)
        layout.addWidget(buttons)
        self.comment.setFocus()

    def _check(self) -> None:
        if not self.comment.toPlainText().strip():
            self.message.setText("Write a comment: every override says why.")
            return
        self.accept()


Runner = Callable[[Callable[[], Any], Callable[[Any], None]], None]


class ReviewView(QWidget):
    play_requested = Signal(Path)
    overridden = Signal(int)  # an attempt's verdict was overridden: the trainee's views and records follow

    def __init__(
        self,
        store: Store,
        trainer: str,
        current_hashes: Callable[[], dict[str, str]],
        run: Runner,
        ask_override: Callable[[str, bool, bool], tuple[bool, str] | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.store = store
        self.run = run
        self.trainer = trainer
        self.current_hashes = current_hashes
        self.ask_override = ask_override or self._ask_override
        self.rows: list[ReviewRow] = []
        self.turns: list[TurnRecord] = []
        self.current: ReviewRow | None = None
        self.trainee = QComboBox()
        self.trainee.setAccessibleName("Filter by trainee")
        self.scenario = QComboBox()
        self.scenario.setAccessibleName("Filter by scenario")
        self.mode = QComboBox()
        self.mode.addItems([ANY, "practice", "assessment"])
        self.mode.setAccessibleName("Filter by mode")
        self.since = QDateEdit(QDate.currentDate().addMonths(-3))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setAccessibleName("From date")
        self.until = QDateEdit(QDate.currentDate())
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setAccessibleName("To date")
        for combo in (self.trainee, self.scenario, self.mode):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.refresh())
        filters = QHBoxLayout()
        for label, widget in (
            ("Trainee", self.trainee),
            ("Scenario", self.scenario),
            ("Mode", self.mode),
            ("From", self.since),
            ("to", self.until),
        ):
            filters.addWidget(QLabel(label))
            filters.addWidget(widget)
        filters.addStretch(1)
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels(["Started", "Trainee", "Scenario", "Mode", "Score", "Outcome", "Notes"])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAccessibleName("Attempts")
        self.table.itemSelectionChanged.connect(self._attempt_chosen)
        self.header = QLabel("Choose an attempt")
        self.header.setWordWrap(True)
        self.header.setAccessibleName("Attempt summary")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Turn / criterion", "Scorer", "Counts as", "Evidence or comment"])
        self.tree.header().setStretchLastSection(True)
        for index, width in enumerate((300, 70, 130)):
            self.tree.setColumnWidth(index, width)
        self.tree.setWordWrap(True)
        self.tree.setAccessibleName("Transcript and verdicts")
        self.tree.itemActivated.connect(lambda _item, _col: self.override_selected())
        self.override_button = QPushButton("&Override verdict…")
        self.override_button.clicked.connect(self.override_selected)
        self.play_button = QPushButton("&Play recording")
        self.play_button.clicked.connect(self._play)
        self.audit = QListWidget()
        self.audit.setAccessibleName("Audit log")
        self.audit.setMaximumHeight(110)
        detail = QWidget()
        column = QVBoxLayout(detail)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header)
        column.addWidget(self.tree, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.override_button)
        buttons.addWidget(self.play_button)
        buttons.addStretch(1)
        column.addLayout(buttons)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(detail)
        splitter.setSizes([260, 460])
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(QLabel("Audit log (newest first)"))
        layout.addWidget(self.audit)

    # -- data --------------------------------------------------------------------------

    def load_filters(self) -> None:
        """Fill the trainee and scenario filters from the database (keeps the current choice)."""
        store = self.store
        self.run(lambda: review.attempts(store), self._fill_filters)

    def _fill_filters(self, rows: list[ReviewRow]) -> None:
        for combo, values in (
            (self.trainee, sorted({(r.trainee_name, r.trainee_id) for r in rows})),
            (self.scenario, sorted({(r.scenario_title, r.scenario_id) for r in rows})),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ANY, None)
            for label, value in values:
                combo.addItem(label, value)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            combo.blockSignals(False)
        if rows:
            oldest = min(r.started for r in rows).astimezone()
            self.since.blockSignals(True)
            self.since.setDate(QDate(oldest.year, oldest.month, oldest.day))
            self.since.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        since = datetime.combine(self.since.date().toPython(), time()).astimezone()  # type: ignore[arg-type]
        until = datetime.combine(self.until.date().toPython(), time()).astimezone() + timedelta(days=1)  # type: ignore[arg-type]
        mode = self.mode.currentText()
        store, trainee_id, scenario_id = self.store, self.trainee.currentData(), self.scenario.currentData()

        def read() -> tuple[list[ReviewRow], list[AuditEntry]]:
            rows = review.attempts(
                store,
                trainee_id=trainee_id,
                scenario_id=scenario_id,
                since=since,
                until=until,
                mode=None if mode == ANY else mode,
            )
            return rows, review.audit_log(store, 50)

        self.run(read, lambda found: self._show_rows(*found))

    def _show_rows(self, rows: list[ReviewRow], audit: list[AuditEntry]) -> None:
        self.rows = rows
        hashes = self.current_hashes()
        self.table.setRowCount(len(self.rows))
        for row, record in enumerate(self.rows):
            notes = []
            if record.override_count:
                notes.append(f"{record.override_count} override(s)")
            if record.scenario_id in hashes and hashes[record.scenario_id] != record.scenario_hash:
                notes.append("older scenario version")
            if not record.finished:
                notes.append("unfinished")
            values = [
                record.started.astimezone().strftime("%Y-%m-%d %H:%M"),
                record.trainee_name,
                record.scenario_title,
                record.mode.capitalize(),
                "" if record.score is None else f"{record.score:.0f}",
                (record.outcome or "").replace("_", " "),
                ", ".join(notes),
            ]
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._show_audit(audit)
        if self.current is not None:  # after an override: the same attempt, read again
            again = next((r for r in self.rows if r.id == self.current.id), None)
            if again is not None:
                self.show_attempt(again)

    def _show_audit(self, entries: list[AuditEntry]) -> None:
        self.audit.clear()
        for entry in entries:
            detail = entry.detail
            if entry.action == "override":
                what = (
                    f"turn {int(detail.get('turn', 0)) + 1} {detail.get('criterion')}: "
                    f"{'met' if detail.get('original_met') else 'missed'} → {'met' if detail.get('met') else 'missed'}"
                    f" — “{detail.get('comment', '')}”"
                )
            else:
                what = ", ".join(f"{k}={v}" for k, v in detail.items())
            stamp = entry.at.astimezone().strftime("%Y-%m-%d %H:%M")
            self.audit.addItem(f"{stamp}  {entry.trainer}  {entry.action}  {what}")

    def _attempt_chosen(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.rows):
            self.show_attempt(self.rows[row])

    def show_attempt(self, record: ReviewRow) -> None:
        self.current = record
        store = self.store
        self.run(lambda: review.turns(store, record.id), lambda turns: self._show_turns(record, turns))

    def _show_turns(self, record: ReviewRow, turns: list[TurnRecord]) -> None:
        if self.current is None or self.current.id != record.id:
            return  # another attempt was chosen meanwhile
        self.turns = turns
        hashes = self.current_hashes()
        older = record.scenario_id in hashes and hashes[record.scenario_id] != record.scenario_hash
        effective = attempt_score([t.result for t in self.turns], finished=record.finished).score
        text = f"<b>{record.trainee_name}</b> · {record.scenario_title} · {record.mode}"
        if effective is not None:
            text += f" · score {effective:.0f}"
            if record.scorer_score is not None and round(effective) != round(record.scorer_score):
                text += f" (scorer: {record.scorer_score:.0f})"
        if older:
            text += "<br><span style='color:#b45309'>This attempt ran against an older version of the scenario.</span>"
        self.header.setText(text)
        self.tree.clear()
        for turn in self.turns:
            top = QTreeWidgetItem(
                [f"Turn {turn.index + 1} · score {turn.effective_score:.0f}", "", "", f"Answer: {turn.answer}"]
            )
            top.setToolTip(3, f"Customer: {turn.customer_line}\n\nAnswer: {turn.answer}")
            top.setData(0, Qt.ItemDataRole.UserRole, (turn.index, None))
            top.setToolTip(0, turn.answer)
            self.tree.addTopLevelItem(top)
            for criterion in turn.criteria:
                override = criterion.get("override")
                evidence = ", ".join(
                    f"“{turn.answer[a:b]}”" for a, b in criterion.get("evidence", [])[:3] if b <= len(turn.answer)
                )
                note = f"{override['trainer']}: {override['comment']}" if override else evidence
                child = QTreeWidgetItem(
                    [
                        str(criterion.get("label", criterion["id"])),
                        "met" if criterion["met"] else "missed",
                        ("met" if effective_met(criterion) else "missed") + (" (override)" if override else ""),
                        note,
                    ]
                )
                child.setData(0, Qt.ItemDataRole.UserRole, (turn.index, criterion["id"]))
                top.addChild(child)
            top.setExpanded(True)
        self.play_button.setEnabled(any(t.spoken and t.spoken.recording for t in self.turns))

    # -- actions -----------------------------------------------------------------------

    def override_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            return
        turn_index, criterion_id = item.data(0, Qt.ItemDataRole.UserRole)
        if criterion_id is None or self.current is None:
            return
        turn = next(t for t in self.turns if t.index == turn_index)
        criterion = next(c for c in turn.criteria if c["id"] == criterion_id)
        answer = self.ask_override(
            str(criterion.get("label", criterion_id)), bool(criterion["met"]), effective_met(criterion)
        )
        if answer is None:
            return
        met, comment = answer
        store, attempt_id, trainer = self.store, self.current.id, self.trainer
        self.run(
            lambda: overrides.apply(store, attempt_id, turn_index, criterion_id, met, comment, trainer),
            lambda _override: self._overridden(attempt_id),
        )

    def _overridden(self, attempt_id: int) -> None:
        self.refresh()
        self.overridden.emit(attempt_id)

    def _ask_override(self, label: str, scorer_met: bool, current: bool) -> tuple[bool, str] | None:
        dialog = OverrideDialog(label, scorer_met, current, self)
        if not dialog.exec():
            return None
        return dialog.met.isChecked(), dialog.comment.toPlainText().strip()

    def _play(self) -> None:
        item = self.tree.currentItem()
        index = item.data(0, Qt.ItemDataRole.UserRole)[0] if item is not None else None
        for turn in self.turns:
            if turn.spoken and turn.spoken.recording and (index is None or turn.index == index):
                self.play_requested.emit(self.store.folder / turn.spoken.recording)
                return
