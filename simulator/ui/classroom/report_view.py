"""The cohort report in the app: summary, three charts, criteria and trainee tables; export and print.

The report itself is built by the Qt-free ``simulator.classroom.report`` (on the worker); this view
only shows a finished :class:`CohortReport` and hands it to the CSV, PDF and printer writers.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.classroom.report import CohortReport
from simulator.classroom.report_csv import write_report_csv
from simulator.ui.classroom.report_charts import chart_view, criteria_chart, distribution_chart, trend_chart
from simulator.ui.classroom.report_document import STATUS_TEXT, print_report, summary_line, write_pdf

HEADERS = ["Trainee", "Status", "Attempts", "Best", "Last", "Time (min)", "Why"]


def _cell(value: object, *, number: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem()
    item.setData(
        Qt.ItemDataRole.DisplayRole, value if number and value is not None else ("–" if value is None else str(value))
    )
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


class ReportView(QWidget):
    """``ask_path(kind, suggested)`` chooses where to export; tests replace it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: CohortReport | None = None
        self.ask_path: Callable[[str, str], Path | None] = self._ask_path
        self.title = QLabel("Choose a group's assignment to see its report.")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Report summary")
        self.csv_button = QPushButton("Export &CSV…")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.pdf_button = QPushButton("Export &PDF…")
        self.pdf_button.clicked.connect(lambda: self.export_pdf())
        self.print_button = QPushButton("P&rint…")
        self.print_button.clicked.connect(self.print_)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            button.setEnabled(False)
            buttons.addWidget(button)
        self.charts = QGridLayout()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Trainees")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.verticalHeader().hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(buttons)
        layout.addLayout(self.charts, 3)
        layout.addWidget(self.table, 2)

    def show_report(self, report: CohortReport) -> None:
        self.report = report
        self.title.setText(report.title)
        self.summary.setText(summary_line(report))
        while self.charts.count():
            taken = self.charts.takeAt(0)
            widget = taken.widget() if taken is not None else None
            if widget is not None:
                widget.deleteLater()
        self.charts.addWidget(chart_view(distribution_chart(report), "Score distribution"), 0, 0)
        self.charts.addWidget(chart_view(criteria_chart(report), "Criteria, weakest first"), 0, 1)
        self.charts.addWidget(chart_view(trend_chart(report), "Trend over time"), 0, 2)
        self.charts.setColumnStretch(0, 2)
        self.charts.setColumnStretch(1, 3)  # criteria labels are long
        self.charts.setColumnStretch(2, 2)
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(report.rows))
        for index, row in enumerate(report.rows):
            best = round(row.best_score) if row.best_score is not None else None
            last = round(row.last_score) if row.last_score is not None else None
            values = [
                _cell(row.name),
                _cell(STATUS_TEXT.get(row.status, str(row.status))),
                _cell(row.attempts, number=True),
                _cell(best, number=True),
                _cell(last, number=True),
                _cell(round(row.time_spent_seconds / 60), number=True),
                _cell(row.reason),
            ]
            for column, item in enumerate(values):
                self.table.setItem(index, column, item)
        self.table.setSortingEnabled(True)
        for button in (self.csv_button, self.pdf_button, self.print_button):
            button.setEnabled(True)

    # -- export --------------------------------------------------------------------------

    def _ask_path(self, kind: str, suggested: str) -> Path | None:
        if kind == "csv":
            chosen = QFileDialog.getExistingDirectory(self, "Folder for the CSV files")
        else:
            chosen, _ = QFileDialog.getSaveFileName(self, "Save the report as PDF", suggested, "PDF (*.pdf)")
        return Path(chosen) if chosen else None

    def _stem(self) -> str:
        assert self.report is not None
        a = self.report.assignment
        return "-".join(f"{a.group_name} {a.scenario_id} report".lower().split())

    def export_csv(self) -> list[Path]:
        if self.report is None or (folder := self.ask_path("csv", "")) is None:
            return []
        try:
            written = write_report_csv(self.report, folder, self._stem())
        except OSError as exc:
            QMessageBox.warning(self, "Cannot export", f"{folder}: {exc.strerror or exc}")
            return []
        self.summary.setText(f"{summary_line(self.report)}\nSaved {len(written)} CSV files in {folder}.")
        return written

    def export_pdf(self) -> Path | None:
        if self.report is None or (path := self.ask_path("pdf", f"{self._stem()}.pdf")) is None:
            return None
        if path.suffix.lower() != ".pdf":
            path = path.with_suffix(".pdf")
        # Charts are Qt graphics items, which live on the GUI thread: about half a second of waiting.
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            write_pdf(self.report, path)
        except OSError as exc:
            QMessageBox.warning(self, "Cannot export", f"{path}: {exc.strerror or exc}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        self.summary.setText(f"{summary_line(self.report)}\nSaved {path}.")
        return path

    def print_(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        if self.report is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QPrintDialog.DialogCode.Accepted:
            print_report(self.report, printer)
