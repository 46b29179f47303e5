"""Tune the rubric: sample answers with the verdicts a trainer expects, beside the scorer's verdicts.

The GUI face of the ``calibrate`` command. Samples are checked against the scenario as it is
being edited, and checked again after every valid edit, so a trainer can add a phrase and watch
the disagreements go. The scoring runs on the studio's worker.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.core.model import Scenario
from simulator.core.scoring.calibration import Calibration, Sample, calibrate
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import ScoringContext

WHOLE_RUBRIC = "Whole rubric"
AGREE, DISAGREE = QColor("#d9f2e0"), QColor("#f8d7d5")
MAX_SAMPLES = 5000  # a pasted file larger than this is a mistake, not a sample set
Runner = Callable[[Callable[[], Any], Callable[[Any], None]], None]


def read_samples(path: Path, scenario_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Rows of a calibration file (JSON Lines, as for ``calibrate``) that belong to this scenario.

    Returns the rows and what was skipped, by line, so a trainer's file never fails silently.
    """
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    with path.open("rb") as stream:
        for number, raw in enumerate(stream, 1):
            if len(rows) >= MAX_SAMPLES:
                notes.append(f"only the first {MAX_SAMPLES} answers were read")
                break
            try:
                data = json.loads(raw.decode("utf-8")) if raw.strip() else None
            except (UnicodeDecodeError, json.JSONDecodeError):
                notes.append(f"line {number}: not a JSON object; skipped")
                continue
            if data is None:
                continue
            if not isinstance(data, dict) or not isinstance(data.get("response"), str):
                notes.append(f"line {number}: no 'response' text; skipped")
            elif data.get("scenario") not in (None, scenario_id):
                notes.append(f"line {number}: for scenario {data['scenario']!r}; skipped")
            else:
                found = data.get("labels")
                labels: dict[str, Any] = found if isinstance(found, dict) else {}
                rows.append(
                    {
                        "id": str(data.get("id", f"line-{number}")),
                        "response": data["response"],
                        "node": data.get("node"),
                        "customer_line": str(data.get("customer_line", "")),
                        "labels": {str(k): bool(v) for k, v in labels.items() if v in (0, 1, True, False)},
                    }
                )
    return rows, notes


class TuningPanel(QWidget):
    """``run(work, done)`` is the studio's worker; tests pass one that runs at once."""

    def __init__(self, run: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run = run
        self.scenario: Scenario | None = None
        self.scorer = RubricScorer()
        self.result: Calibration | None = None
        self.criterion_ids: list[str] = []
        self._filling = False
        self.node = QComboBox()
        self.node.setAccessibleName("Criteria of")
        self.node.activated.connect(lambda _i: self._rebuild_columns())
        load = QPushButton("&Load samples…")
        load.clicked.connect(lambda: self.load())
        add = QPushButton("Add &answer")
        add.clicked.connect(lambda: self.add_sample(""))
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_sample)
        save = QPushButton("Save samples…")
        save.clicked.connect(lambda: self.save())
        self.check_button = QPushButton("&Check against the scorer")
        self.check_button.setShortcut("Ctrl+Return")
        self.check_button.clicked.connect(self.check)
        top = QHBoxLayout()
        top.addWidget(QLabel("Criteria of"))
        top.addWidget(self.node, 1)
        for button in (load, add, remove, save):
            top.addWidget(button)
        self.samples = QTableWidget(0, 1)
        self.samples.setAccessibleName("Sample answers")
        self.samples.setWordWrap(True)
        self.samples.itemChanged.connect(lambda _item: self._edited())
        self.summary = QLabel("Add answers and tick the criteria you expect them to meet (◐ = not labelled).")
        self.summary.setWordWrap(True)
        self.agreement = QTableWidget(0, 6)
        self.agreement.setAccessibleName("Agreement per criterion")
        self.agreement.setHorizontalHeaderLabels(["Criterion", "Answers", "Agree", "Precision", "Recall", "Kappa"])
        self.agreement.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.agreement.verticalHeader().hide()
        self.disagreements = QTableWidget(0, 4)
        self.disagreements.setAccessibleName("Disagreements")
        self.disagreements.setHorizontalHeaderLabels(["Answer", "Criterion", "You / scorer", "Scorer relied on"])
        self.disagreements.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.disagreements.verticalHeader().hide()
        results = QSplitter(Qt.Orientation.Horizontal)
        results.addWidget(self.agreement)
        results.addWidget(self.disagreements)
        results.setSizes([440, 400])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.samples)
        split.addWidget(results)
        split.setSizes([300, 220])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.check_button)
        layout.addLayout(bottom)

    # -- scenario and columns ----------------------------------------------------------

    def set_scenario(self, scenario: Scenario | None) -> None:
        """The scenario as last validated; with samples present they are checked against it again."""
        self.scenario = scenario
        chosen = self.node.currentText()
        self.node.clear()
        if scenario is not None:
            self.node.addItems([WHOLE_RUBRIC, *(n.id for n in scenario.nodes)])
            self.node.setCurrentText(chosen if self.node.findText(chosen) >= 0 else WHOLE_RUBRIC)
        self._rebuild_columns()
        if scenario is not None and self.samples.rowCount() and self.result is not None:
            self.check()

    def _criteria(self) -> list[str]:
        if self.scenario is None:
            return []
        node_id = self.node.currentText()
        if node_id and node_id != WHOLE_RUBRIC:
            return list(self.scenario.node(node_id).criteria)
        return [spec.id for spec in self.scenario.rubric]

    def _rebuild_columns(self) -> None:
        rows = self.sample_rows()
        self.criterion_ids = self._criteria()
        self._filling = True
        try:
            self.samples.setColumnCount(1 + len(self.criterion_ids))
            self.samples.setHorizontalHeaderLabels(["Answer", *self.criterion_ids])
            header = self.samples.horizontalHeader()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
            self.samples.setColumnWidth(0, 300)
            for column in range(1, self.samples.columnCount()):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            self.samples.setRowCount(0)
            for row in rows:
                self._append(row)
        finally:
            self._filling = False
        self._show_result()

    def swap_samples(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Another scenario was opened: show its samples (kept since it was last open) and return these.

        Samples are labelled against one scenario's criteria; they go away with their scenario, not
        with a switch, so switching back finds a trainer's unsaved work where they left it.
        """
        kept = self.sample_rows()
        self.scenario, self.result = None, None
        self.node.clear()
        self._rebuild_columns()
        self._filling = True
        try:
            self.samples.setRowCount(0)
            for row in rows:
                self._append(row)
        finally:
            self._filling = False
        self.agreement.setRowCount(0)
        self.disagreements.setRowCount(0)
        self.summary.setText("Add answers and tick the criteria you expect them to meet (◐ = not labelled).")
        return kept

    # -- samples -----------------------------------------------------------------------

    def _append(self, row: dict[str, Any]) -> None:
        index = self.samples.rowCount()
        self.samples.insertRow(index)
        answer = QTableWidgetItem(row["response"])
        answer.setData(Qt.ItemDataRole.UserRole, {k: v for k, v in row.items() if k not in ("response", "labels")})
        self.samples.setItem(index, 0, answer)
        labels: dict[str, bool] = row.get("labels", {})
        for column, criterion_id in enumerate(self.criterion_ids, 1):
            item = QTableWidgetItem()
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsUserTristate)
            if criterion_id in labels:
                item.setCheckState(Qt.CheckState.Checked if labels[criterion_id] else Qt.CheckState.Unchecked)
            else:
                item.setCheckState(Qt.CheckState.PartiallyChecked)
            item.setData(Qt.ItemDataRole.UserRole, labels)  # labels for criteria not shown are kept
            self.samples.setItem(index, column, item)

    def add_sample(self, response: str, labels: dict[str, bool] | None = None) -> None:
        self._filling = True
        try:
            number = self.samples.rowCount() + 1
            self._append({"id": f"answer-{number}", "response": response, "labels": labels or {}})
        finally:
            self._filling = False
        self.samples.setCurrentCell(self.samples.rowCount() - 1, 0)
        item = self.samples.item(self.samples.rowCount() - 1, 0)
        if not response and item is not None:
            self.samples.editItem(item)

    def remove_sample(self) -> None:
        if self.samples.currentRow() >= 0:
            self.samples.removeRow(self.samples.currentRow())
            self._edited()

    def sample_rows(self) -> list[dict[str, Any]]:
        """The table as calibration rows: what is saved, and what is scored."""
        rows: list[dict[str, Any]] = []
        for index in range(self.samples.rowCount()):
            answer = self.samples.item(index, 0)
            if answer is None:
                continue
            meta = dict(answer.data(Qt.ItemDataRole.UserRole) or {})
            labels: dict[str, bool] = {}
            for column, criterion_id in enumerate(self.criterion_ids, 1):
                item = self.samples.item(index, column)
                if item is None:
                    continue
                labels.update(item.data(Qt.ItemDataRole.UserRole) or {})
                labels.pop(criterion_id, None)
                if item.checkState() != Qt.CheckState.PartiallyChecked:
                    labels[criterion_id] = item.checkState() == Qt.CheckState.Checked
            rows.append({**meta, "response": answer.text(), "labels": labels})
        return rows

    def load(self, path: Path | None = None) -> list[str]:
        """Add the answers of a calibration file; returns (and shows) what was skipped."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Load sample answers", "", "JSON Lines (*.jsonl);;All (*)")
            if not chosen:
                return []
            path = Path(chosen)
        scenario_id = self.scenario.id if self.scenario else ""
        try:
            rows, notes = read_samples(path, scenario_id)
        except OSError as exc:
            rows, notes = [], [f"{path.name}: cannot read: {exc.strerror or exc}"]
        self._filling = True
        try:
            for row in rows:
                self._append(row)
        finally:
            self._filling = False
        skipped = f"; {len(notes)} skipped ({notes[0]}{' …' if len(notes) > 1 else ''})" if notes else ""
        self.summary.setText(f"Loaded {len(rows)} answers from {path.name}{skipped}.")
        self.summary.setToolTip("\n".join(notes))
        if rows:
            self.check()
        return notes

    def save(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Save sample answers", "samples.jsonl", "JSON Lines (*.jsonl)"
            )
            if not chosen:
                return
            path = Path(chosen)
        scenario_id = self.scenario.id if self.scenario else None
        lines = [json.dumps({"scenario": scenario_id, **row}, ensure_ascii=False) for row in self.sample_rows()]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        self.summary.setText(f"Saved {len(lines)} answers to {path.name}.")

    # -- checking ----------------------------------------------------------------------

    def _edited(self) -> None:
        if not self._filling and self.scenario is not None and self.samples.rowCount():
            self.check()  # small sets score in milliseconds: keep the verdicts beside the labels current

    def check(self) -> None:
        scenario = self.scenario
        if scenario is None:
            self.summary.setText("Fix the scenario's problems first: answers are scored against a valid scenario.")
            return
        node_id = self.node.currentText()
        node = scenario.node(node_id) if node_id and node_id != WHOLE_RUBRIC else None
        criteria = scenario.criteria_for(node) if node is not None else scenario.rubric
        default_line = node.lines[0].text if node is not None and node.lines else ""
        samples = [
            Sample(
                str(row.get("id") or f"answer-{number}"),
                row["response"],
                ScoringContext(
                    criteria, row.get("customer_line") or default_line, scenario.persona.name, scenario.channel.value
                ),
                {k: v for k, v in row["labels"].items() if k in self.criterion_ids},
            )
            for number, row in enumerate(self.sample_rows(), 1)
            if row["response"].strip()
        ]
        scorer = self.scorer
        self.summary.setText(f"Scoring {len(samples)} answers…")
        self.run(lambda: calibrate(samples, scorer), self._checked)

    def _checked(self, result: Calibration) -> None:
        self.result = result
        self._show_result()

    def _show_result(self) -> None:
        result = self.result
        self._filling = True
        try:
            self._colour_samples(result)
        finally:
            self._filling = False
        self.agreement.setRowCount(0)
        self.disagreements.setRowCount(0)
        if result is None:
            return
        shown = [a for a in result.agreements if a.criterion in self.criterion_ids]
        for row, item in enumerate(sorted(shown, key=lambda a: (a.kappa, a.agreement))):
            self.agreement.insertRow(row)
            values = [item.criterion, str(item.n), f"{item.agreement:.0%}", f"{item.precision:.2f}"]
            values += [f"{item.recall:.2f}", f"{item.kappa:.2f}"]
            for column, value in enumerate(values):
                cell = QTableWidgetItem(value)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.agreement.setItem(row, column, cell)
        wrong = [d for d in result.disagreements if d.criterion in self.criterion_ids]
        for row, d in enumerate(wrong):
            self.disagreements.insertRow(row)
            verdicts = f"{'met' if d.expected else 'missed'} / {'met' if d.scored else 'missed'}"
            words = ", ".join(f"“{w}”" for w in d.evidence or d.flags) or "no words found"
            if d.nearest:
                words += f" · nearest example {d.nearest}"
            for column, value in enumerate([d.response, d.criterion, verdicts, words]):
                cell = QTableWidgetItem(value)
                cell.setToolTip(d.response)
                cell.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                self.disagreements.setItem(row, column, cell)
        labelled = sum(a.n for a in shown)
        agreed = sum(a.tp + a.tn for a in shown)
        share = f"{agreed / labelled:.1%}" if labelled else "–"
        self.summary.setText(
            f"{len(result.verdicts)} answers, {labelled} labelled verdicts: the scorer agrees on {agreed} ({share}); "
            f"{len(wrong)} disagreement(s), weakest criteria first on the left."
        )

    def _colour_samples(self, result: Calibration | None) -> None:
        rows = self.sample_rows()
        for index, row in enumerate(rows):
            verdicts = result.verdicts.get(str(row.get("id"))) if result is not None else None
            for column, criterion_id in enumerate(self.criterion_ids, 1):
                item = self.samples.item(index, column)
                if item is None:
                    continue
                scored = verdicts.get(criterion_id) if verdicts else None
                expected = row["labels"].get(criterion_id)
                item.setText("" if scored is None else ("met" if scored else "missed"))
                item.setToolTip("" if scored is None else f"Scorer: {'met' if scored else 'missed'}")
                if scored is None or expected is None:
                    item.setBackground(QBrush())
                else:
                    item.setBackground(AGREE if scored == expected else DISAGREE)
