"""The trainee's progress page: every attempt in a sortable table, scores over time, CSV export.

Presentation only: the caller turns stored attempts into :class:`ProgressRow` values and
hands them to :meth:`ProgressView.set_rows`; :func:`write_csv` is pure and usable without Qt.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from PySide6.QtCharts import QChart, QChartView, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QDateTime,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.ui import style

__all__ = [
    "DEFAULT_EXPORT_NAME",
    "EMPTY_TEXT",
    "IN_PROGRESS",
    "SORT_ROLE",
    "ProgressRow",
    "ProgressTableModel",
    "ProgressView",
    "csv_header",
    "format_duration",
    "write_csv",
]

DEFAULT_EXPORT_NAME: Final = "empathy-trainer-progress.csv"
EMPTY_TEXT: Final = "No attempts yet — pick a scenario in the library to start practising."
IN_PROGRESS: Final = "in progress"
ALL_CRITERIA: Final = "All criteria"

#: The role the table sorts by: numbers and timestamps, so 9 sorts before 10 and dates by time.
SORT_ROLE: Final = int(Qt.ItemDataRole.UserRole) + 1

# Short column headers for the table (the full label is the header's tooltip).
_SHORT_HEADERS: Final[dict[str, str]] = {
    "acknowledge_emotion": "Emotion",
    "take_ownership": "Ownership",
    "set_expectations": "Expectations",
    "personalize": "Name",
    "ask_question": "Question",
    "offer_escalation": "Escalation",
    "respectful_tone": "Respect",
}
_MODE_LABELS: Final[dict[str, str]] = {"practice": "Practice", "assessment": "Assessment"}
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
_DAY_MS: Final = 24 * 60 * 60 * 1000


@dataclass(frozen=True)
class ProgressRow:
    """One attempt as the progress page shows it."""

    attempt_id: int
    started: datetime
    scenario_id: str
    scenario_title: str
    mode: str  # "practice" or "assessment"
    finished: bool
    outcome: str | None  # "resolved", "escalated", "customer_lost"; None while unfinished
    score: float | None  # 0-100
    duration_seconds: float | None
    criteria: Mapping[str, float] = field(default_factory=dict)  # criterion id -> 0..1 rate


# --------------------------------------------------------------------------------------- CSV


def _safe_text(value: str) -> str:
    """Defuse CSV/formula injection: spreadsheets run cells starting with =, +, -, @ as formulas."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def csv_header() -> list[str]:
    """The CSV columns: the attempt's fields, then one column per core criterion (its id)."""
    return [
        "attempt",
        "started",
        "scenario",
        "title",
        "mode",
        "finished",
        "outcome",
        "score",
        "duration_seconds",
        *CORE_CRITERIA,
    ]


def write_csv(rows: Sequence[ProgressRow], path: Path) -> None:
    """Write one line per attempt (UTF-8, header first); criteria as percentages, blank when absent.

    Raises OSError when the file cannot be written.
    """
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(csv_header())
        for row in rows:
            rates = [row.criteria.get(cid) for cid in CORE_CRITERIA]
            writer.writerow(
                [
                    str(row.attempt_id),
                    row.started.isoformat(timespec="seconds"),
                    _safe_text(row.scenario_id),
                    _safe_text(row.scenario_title),
                    _safe_text(row.mode),
                    "true" if row.finished else "false",
                    _safe_text(row.outcome or ""),
                    _number(row.score),
                    _number(row.duration_seconds),
                    *(_number(None if rate is None else rate * 100) for rate in rates),
                ]
            )


# ------------------------------------------------------------------------------------- table


def _local(moment: datetime) -> datetime:
    """Aware datetimes are shown in local time; naive ones are taken to be local already."""
    return moment.astimezone() if moment.tzinfo is not None else moment


def _msecs(moment: datetime) -> float:
    return moment.timestamp() * 1000.0


def format_duration(seconds: float | None) -> str:
    """``mm:ss`` (minutes may exceed 59); empty when unknown."""
    if seconds is None:
        return ""
    total = round(seconds)
    return f"{total // 60:02d}:{total % 60:02d}"


class ProgressTableModel(QAbstractTableModel):
    """Attempts as table rows: Date, Scenario, Mode, Outcome, Score, Duration, core criteria."""

    DATE, SCENARIO, MODE, OUTCOME, SCORE, DURATION = range(6)
    FIRST_CRITERION = 6
    _HEADERS: Final = ("Date", "Scenario", "Mode", "Outcome", "Score", "Duration")
    _TOOLTIPS: Final = (
        "When the attempt started",
        "The scenario played",
        "Practice or assessment",
        "How the conversation ended",
        "Overall score, 0-100",
        "How long the attempt took (minutes:seconds)",
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProgressRow] = []
        self._criteria: list[str] = list(CORE_CRITERIA)

    def set_rows(self, rows: Sequence[ProgressRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> ProgressRow:
        return self._rows[row]

    def criterion_at(self, column: int) -> str | None:
        index = column - self.FIRST_CRITERION
        return self._criteria[index] if 0 <= index < len(self._criteria) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.FIRST_CRITERION + len(self._criteria)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        criterion = self.criterion_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if criterion is None:
                return self._HEADERS[section]
            return _SHORT_HEADERS.get(criterion, CORE_CRITERIA[criterion].label)
        if role == Qt.ItemDataRole.ToolTipRole:
            if criterion is None:
                return self._TOOLTIPS[section]
            return f"{CORE_CRITERIA[criterion].label} (% of scored answers)"
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # Newest first for dates, smallest first for everything else.
            return Qt.SortOrder.DescendingOrder if section == self.DATE else Qt.SortOrder.AscendingOrder
        if role == Qt.ItemDataRole.TextAlignmentRole and section >= self.SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_ROLE:
            return self._sort_key(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= self.SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == self.OUTCOME and row.finished and row.outcome:
            return style.OUTCOME_COLORS.get(row.outcome)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.SCENARIO:
                return f"{row.scenario_title} ({row.scenario_id})"
            if column == self.DATE:
                return _local(row.started).strftime("%A %d %B %Y, %H:%M")
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._display(row, column)
            return text if text else "not scored"
        return None

    def _display(self, row: ProgressRow, column: int) -> str:
        if column == self.DATE:
            return _local(row.started).strftime("%Y-%m-%d %H:%M")
        if column == self.SCENARIO:
            return row.scenario_title
        if column == self.MODE:
            return _MODE_LABELS.get(row.mode, row.mode)
        if column == self.OUTCOME:
            if not row.finished or row.outcome is None:
                return IN_PROGRESS
            return style.OUTCOME_LABELS.get(row.outcome, row.outcome)
        if column == self.SCORE:
            return "" if row.score is None or not row.finished else f"{row.score:.0f}"
        if column == self.DURATION:
            return format_duration(row.duration_seconds)
        criterion = self.criterion_at(column)
        rate = row.criteria.get(criterion) if criterion is not None else None
        return "" if rate is None else f"{rate * 100:.0f}%"

    def _sort_key(self, row: ProgressRow, column: int) -> float | str:
        if column == self.DATE:
            return _msecs(row.started)
        if column in (self.SCENARIO, self.MODE, self.OUTCOME):
            return self._display(row, column).casefold()
        if column == self.SCORE:
            return row.score if row.score is not None and row.finished else -1.0
        if column == self.DURATION:
            return row.duration_seconds if row.duration_seconds is not None else -1.0
        criterion = self.criterion_at(column)
        rate = row.criteria.get(criterion) if criterion is not None else None
        return -1.0 if rate is None else rate


# ------------------------------------------------------------------------------------ charts


def _opaque(color: QColor) -> QColor:
    result = QColor(color)
    result.setAlpha(255)
    return result


def _day_axis(axis: QDateTimeAxis, first_ms: float, last_ms: float) -> None:
    """Ticks at noon, one label per day or per few days, spanning every point with some margin.

    Noon rather than midnight, so a daylight-saving hour never moves a tick to the day before.
    """
    first = QDateTime.fromMSecsSinceEpoch(int(first_ms)).date()
    last = QDateTime.fromMSecsSinceEpoch(int(last_ms)).date()
    start = QDateTime(first.addDays(-1), QTime(12, 0))
    days = first.daysTo(last) + 2  # from noon the day before to noon the day after
    step = max(1, math.ceil(days / 7))
    steps = max(1, math.ceil(days / step))
    start_ms = start.toMSecsSinceEpoch()
    axis.setRange(start, QDateTime.fromMSecsSinceEpoch(start_ms + steps * step * _DAY_MS))
    axis.setTickCount(steps + 1)
    axis.setFormat("d MMM")


def _date_text(ms: float) -> str:
    return QDateTime.fromMSecsSinceEpoch(int(ms)).toString("d MMM yyyy, HH:mm")


class _ChartsPanel(QWidget):
    """Two columns of (controls, chart, notes) side by side, stacked when the page is narrow.

    A grid keeps the two plot areas the same height when side by side, whatever sits above or
    below each chart.
    """

    NARROW: Final = 820

    def __init__(self, left: Sequence[QWidget], right: Sequence[QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._columns = (list(left), list(right))
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._narrow: bool | None = None
        self._arrange(narrow=False)

    def _arrange(self, narrow: bool) -> None:
        if narrow == self._narrow:
            return
        self._narrow = narrow
        for column in self._columns:
            for widget in column:
                self._grid.removeWidget(widget)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 0)
        for col in range(self._grid.columnCount()):
            self._grid.setColumnStretch(col, 0)
        for index, column in enumerate(self._columns):
            for offset, widget in enumerate(column):
                row, col = (index * len(column) + offset, 0) if narrow else (offset, index)
                self._grid.addWidget(widget, row, col)
                if offset == 1:  # the chart takes the spare room
                    self._grid.setRowStretch(row, 1)
            self._grid.setColumnStretch(0 if narrow else index, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._arrange(narrow=event.size().width() < self.NARROW)
        super().resizeEvent(event)


class _Legend(QWidget):
    """The criteria chart's legend: colour and full label per series, in two columns, never elided."""

    COLUMNS: Final = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(8, 0, 8, 0)
        self._grid.setHorizontalSpacing(16)
        self._grid.setVerticalSpacing(2)
        self._entries: list[QWidget] = []

    def set_entries(self, entries: Sequence[tuple[str, QColor]]) -> None:
        for entry in self._entries:
            self._grid.removeWidget(entry)
            entry.deleteLater()
        self._entries = []
        for index, (label, color) in enumerate(entries):
            entry = QWidget(self)
            row = QHBoxLayout(entry)
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(6)
            swatch = QLabel(entry)
            size = max(8, self.fontMetrics().height() - 4)
            pixmap = QPixmap(size, size)
            pixmap.fill(color)
            swatch.setPixmap(pixmap)
            text = QLabel(label, entry)
            text.setWordWrap(True)  # so a narrow page can shrink below the side-by-side width
            row.addWidget(swatch)
            row.addWidget(text, 1)
            entry.setAccessibleName(label)
            self._grid.addWidget(entry, index // self.COLUMNS, index % self.COLUMNS)
            self._entries.append(entry)

    def labels(self) -> list[str]:
        """The labels shown (for tests and accessibility checks)."""
        return [entry.accessibleName() for entry in self._entries if not entry.isHidden()]

    def show_only(self, label: str | None) -> None:
        for entry in self._entries:
            entry.setHidden(label is not None and entry.accessibleName() != label)


# -------------------------------------------------------------------------------------- view


class ProgressView(QWidget):
    """The progress page: attempts table, score and criteria charts, CSV export."""

    #: Emitted with the file written after a successful export.
    exported = Signal(object)
    #: Emitted with an attempt's id when the trainee opens its debrief (Enter or double-click on a row).
    open_requested = Signal(int)

    SCENARIO_MIN_WIDTH: Final = 140
    SCENARIO_MAX_WIDTH: Final = 280

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ProgressRow] = []
        self._scenario_content_width = 0
        #: Asks where to export; replace it in tests. Returns None when the user cancels.
        self.choose_export_path: Callable[[], Path | None] = self._ask_export_path

        self.empty_label = QLabel(EMPTY_TEXT)
        self.empty_label.setObjectName("progressEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setFont(style.scaled_font(self.font(), 1.25))
        self.empty_label.setAccessibleName("No attempts yet")
        self.empty_label.setFocusPolicy(Qt.FocusPolicy.TabFocus)

        self.summary_label = QLabel()
        self.summary_label.setFont(style.scaled_font(self.font(), 1.1, bold=True))
        self.summary_label.setAccessibleName("Progress summary")

        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setShortcut(QKeySequence("Ctrl+E"))
        self.export_button.setToolTip("Save every attempt as a CSV file for a spreadsheet (Ctrl+E)")
        self.export_button.setAccessibleName("Export progress as CSV")
        self.export_button.setAccessibleDescription("Saves one line per attempt to a CSV file you choose")
        self.export_button.clicked.connect(self.export_csv)

        self.model = ProgressTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Attempts")
        self.table.setAccessibleDescription(
            "One row per attempt; press Enter or double-click a row to open its debrief;"
            " click a column header to sort by it"
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the charts and the button
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.installEventFilter(self)
        header.setHighlightSections(False)
        header.setSortIndicator(ProgressTableModel.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        # Enter, or a double-click (a single click where the platform activates items that way).
        self.table.activated.connect(self._open_row)
        self.open_button = QPushButton("&Open debrief")
        self.open_button.setAccessibleName("Open the debrief of the selected attempt")
        self.open_button.setToolTip("Read the selected attempt answer by answer (Enter on a row, or double-click)")
        self.open_button.clicked.connect(lambda: self._open_row(self.table.currentIndex()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.open_button.setEnabled(current.isValid())
        )
        self.open_button.setEnabled(False)

        self.score_chart_view = self._chart_view("Overall score chart")
        self.criteria_chart_view = self._chart_view("Core criteria chart")

        self.criterion_combo = QComboBox()
        self.criterion_combo.setAccessibleName("Criterion shown in the chart")
        self.criterion_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.criterion_combo.currentIndexChanged.connect(self._show_selected_criteria)
        combo_label = QLabel("&Show:")
        combo_label.setBuddy(self.criterion_combo)
        self.criteria_legend = _Legend()
        self.criteria_legend.setAccessibleName("Criteria chart legend")
        self.score_note = QLabel()
        self.score_note.setWordWrap(True)
        self.score_note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.score_note.setContentsMargins(8, 0, 8, 0)

        self._build_layout(combo_label)
        self.set_rows([])

    # ------------------------------------------------------------------ public API

    def set_rows(self, rows: Sequence[ProgressRow]) -> None:
        """Show these attempts (any order; the table sorts them, the charts use time order)."""
        self._rows = list(rows)
        self.model.set_rows(self._rows)
        self._fit_columns()
        self._update_summary()
        self._rebuild_charts()
        self._stack.setCurrentWidget(self._content if self._rows else self.empty_label)

    def rows(self) -> list[ProgressRow]:
        return list(self._rows)

    def export_csv(self) -> None:
        """Ask for a file and write every attempt to it; a failure is shown, never raised."""
        if not self._rows:
            return
        path = self.choose_export_path()
        if path is None:
            return
        try:
            write_csv(self._rows, path)
        except OSError as error:
            reason = error.strerror or str(error)
            QMessageBox.critical(
                self,
                "Export failed",
                f"Could not write the progress file\n{path}\n\nReason: {reason}",
            )
            return
        self.exported.emit(path)

    def _open_row(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        self.open_requested.emit(self.model.row_at(self.proxy.mapToSource(index).row()).attempt_id)

    # ------------------------------------------------------------------ building

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table and event.type() == QEvent.Type.Resize:
            self._fit_scenario_column()
        return super().eventFilter(watched, event)

    def _fit_columns(self) -> None:
        """Every column as wide as its contents; the scenario column takes what room is left."""
        self.table.resizeColumnsToContents()
        self._scenario_content_width = self.table.horizontalHeader().sectionSize(ProgressTableModel.SCENARIO)
        self._fit_scenario_column()

    def _fit_scenario_column(self) -> None:
        header = self.table.horizontalHeader()
        scenario = ProgressTableModel.SCENARIO
        others = sum(header.sectionSize(c) for c in range(header.count()) if c != scenario)
        room = self.table.viewport().width() - others
        wanted = min(self._scenario_content_width, self.SCENARIO_MAX_WIDTH)
        # Fill the room when there is some; never narrower than a readable title (then scroll).
        header.resizeSection(scenario, max(room, wanted, self.SCENARIO_MIN_WIDTH))

    def _build_layout(self, combo_label: QLabel) -> None:
        top = QHBoxLayout()
        top.addWidget(self.summary_label, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.export_button)

        combo_row = QWidget()
        combo_layout = QHBoxLayout(combo_row)
        combo_layout.setContentsMargins(0, 0, 0, 0)
        combo_layout.addWidget(combo_label)
        combo_layout.addWidget(self.criterion_combo)
        combo_layout.addStretch(1)
        score_top = QWidget()  # keeps the score chart level with the criteria chart

        charts = _ChartsPanel(
            (score_top, self.score_chart_view, self.score_note),
            (combo_row, self.criteria_chart_view, self.criteria_legend),
        )

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.table)
        splitter.addWidget(charts)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([300, 500])
        self.table.setMinimumHeight(140)

        self._content = QWidget()
        content_layout = QVBoxLayout(self._content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(top)
        content_layout.addWidget(splitter, 1)

        self._stack = QStackedWidget()
        self._stack.addWidget(self.empty_label)
        self._stack.addWidget(self._content)
        layout = QVBoxLayout(self)
        layout.addWidget(self._stack)

        self.setTabOrder(self.export_button, self.table)
        self.setTabOrder(self.table, self.score_chart_view)
        self.setTabOrder(self.score_chart_view, self.criterion_combo)
        self.setTabOrder(self.criterion_combo, self.criteria_chart_view)

    def _chart_view(self, name: str) -> QChartView:
        view = QChartView()
        view.setRenderHint(QPainter.RenderHint.Antialiasing)
        view.setAccessibleName(name)
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.setMinimumSize(280, 220)
        return view

    def _new_chart(self, title: str) -> QChart:
        chart = QChart()
        chart.setTheme(QChart.ChartTheme.ChartThemeDark if style.is_dark(self) else QChart.ChartTheme.ChartThemeLight)
        chart.setTitle(title)
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        chart.setBackgroundRoundness(0)
        return chart

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._rebuild_charts()  # light <-> dark: the chart theme follows the palette

    # ------------------------------------------------------------------ content

    def _finished(self) -> list[ProgressRow]:
        done = [row for row in self._rows if row.finished and row.score is not None]
        return sorted(done, key=lambda row: row.started.timestamp())

    def _update_summary(self) -> None:
        done = self._finished()
        parts = [f"{len(self._rows)} attempt{'s' if len(self._rows) != 1 else ''}"]
        unfinished = sum(1 for row in self._rows if not row.finished)
        if unfinished:
            parts.append(f"{unfinished} {IN_PROGRESS}")
        scores = [row.score for row in done if row.score is not None]
        if scores:
            parts.append(f"average score {sum(scores) / len(scores):.0f}")
            parts.append(f"best {max(scores):.0f}")
        self.summary_label.setText(" · ".join(parts))

    def _rebuild_charts(self) -> None:
        done = self._finished()
        self._build_score_chart(done)
        self._build_criteria_chart(done)

    def _build_score_chart(self, done: list[ProgressRow]) -> None:
        chart = self._new_chart("Overall score")
        series = QLineSeries()
        series.setName("Overall score")
        for row in done:
            assert row.score is not None
            series.append(_msecs(row.started), row.score)
        self._style_series(series, style.ACCENT)
        chart.addSeries(series)
        chart.legend().setVisible(False)
        self._attach_axes(chart, done, "Score")
        series.hovered.connect(lambda point, state: self._show_point(point, state, "Score"))
        self._replace_chart(self.score_chart_view, chart)
        if done:
            latest = done[-1].score or 0.0
            best = max(row.score or 0.0 for row in done)
            description = (
                f"{len(done)} finished attempts from {_date_text(_msecs(done[0].started))} "
                f"to {_date_text(_msecs(done[-1].started))}; latest score {latest:.0f}, best {best:.0f}"
            )
        else:
            description = "No finished attempts yet"
        self.score_chart_view.setAccessibleDescription(description)
        unfinished = sum(1 for row in self._rows if not row.finished)
        note = "One point per finished attempt; hover a point for its date and score."
        if unfinished:
            note += f" {unfinished} attempt{'s' if unfinished != 1 else ''} {IN_PROGRESS} not shown."
        self.score_note.setText(note)

    def _build_criteria_chart(self, done: list[ProgressRow]) -> None:
        chart = self._new_chart("Core criteria")
        present = [cid for cid in CORE_CRITERIA if any(cid in row.criteria for row in done)]
        entries: list[tuple[str, QColor]] = []
        for index, cid in enumerate(present):
            label = CORE_CRITERIA[cid].label
            color = _opaque(style.criterion_color(cid, index))
            series = QLineSeries()
            series.setName(label)
            for row in done:
                if cid in row.criteria:
                    series.append(_msecs(row.started), row.criteria[cid] * 100)
            self._style_series(series, color)
            series.hovered.connect(lambda point, state, label=label: self._show_point(point, state, label))
            chart.addSeries(series)
            entries.append((label, color))
        # Qt's own legend elides long labels to "Ackn..." in one row; ours wraps into two columns.
        chart.legend().setVisible(False)
        self.criteria_legend.set_entries(entries)
        self._attach_axes(chart, done, "% of answers")
        self._replace_chart(self.criteria_chart_view, chart)
        self._fill_combo(present)
        self._show_selected_criteria()
        labels = ", ".join(CORE_CRITERIA[cid].label for cid in present)
        self.criteria_chart_view.setAccessibleDescription(
            f"One line per criterion over time: {labels}" if present else "No criteria scored yet"
        )

    def _style_series(self, series: QLineSeries, color: QColor) -> None:
        pen = QPen(color)
        pen.setWidthF(2.0)
        series.setPen(pen)
        series.setColor(color)
        series.setPointsVisible(True)
        series.setMarkerSize(4.0)

    def _attach_axes(self, chart: QChart, done: list[ProgressRow], y_title: str) -> None:
        x_axis = QDateTimeAxis()
        x_axis.setTitleText("Date")
        if done:
            _day_axis(x_axis, _msecs(done[0].started), _msecs(done[-1].started))
        else:
            now = QDateTime(QDate.currentDate(), QTime(12, 0))
            _day_axis(x_axis, float(now.toMSecsSinceEpoch()), float(now.toMSecsSinceEpoch()))
        y_axis = QValueAxis()
        y_axis.setRange(0, 100)
        y_axis.setTickCount(6)
        y_axis.setLabelFormat("%.0f")
        y_axis.setTitleText(y_title)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in chart.series():
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)

    def _replace_chart(self, view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        old.deleteLater()

    def _fill_combo(self, present: list[str]) -> None:
        previous = self.criterion_combo.currentData()
        self.criterion_combo.blockSignals(True)
        self.criterion_combo.clear()
        self.criterion_combo.addItem(ALL_CRITERIA, None)
        for cid in present:
            self.criterion_combo.addItem(CORE_CRITERIA[cid].label, cid)
        index = self.criterion_combo.findData(previous) if previous is not None else 0
        self.criterion_combo.setCurrentIndex(max(index, 0))
        self.criterion_combo.blockSignals(False)
        self.criterion_combo.setEnabled(bool(present))

    def _show_selected_criteria(self) -> None:
        chart = self.criteria_chart_view.chart()
        selected = self.criterion_combo.currentData()
        label = None if selected is None else CORE_CRITERIA[selected].label
        for series in chart.series():
            series.setVisible(label is None or series.name() == label)
        self.criteria_legend.show_only(label)

    def _show_point(self, point: QPointF, state: bool, label: str) -> None:
        if state:
            QToolTip.showText(self.cursor().pos(), f"{label}: {point.y():.0f}\n{_date_text(point.x())}", self)
        else:
            QToolTip.hideText()

    # ------------------------------------------------------------------ export dialog

    def _ask_export_path(self) -> Path | None:
        start = str(Path.home() / DEFAULT_EXPORT_NAME)
        name, _filter = QFileDialog.getSaveFileName(self, "Export progress", start, "CSV files (*.csv);;All files (*)")
        if not name:
            return None
        path = Path(name)
        return path if path.suffix else path.with_suffix(".csv")
