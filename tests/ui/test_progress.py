"""The progress page: table contents and sorting, charts, empty state, CSV export."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6.QtCharts")

from PySide6.QtCharts import QChart, QDateTimeAxis, QLineSeries, QValueAxis
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QMessageBox

from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.ui.progress import (
    DEFAULT_EXPORT_NAME,
    EMPTY_TEXT,
    IN_PROGRESS,
    ProgressRow,
    ProgressTableModel,
    ProgressView,
    csv_header,
    write_csv,
)

COLS = ProgressTableModel

# The offscreen platform plugin warns whenever a top-level window is shown; that is not ours.
pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")


def row(
    attempt_id: int,
    started: datetime,
    *,
    title: str = "Stolen wallet at 2 a.m.",
    scenario_id: str = "stolen-wallet",
    mode: str = "practice",
    outcome: str | None = "resolved",
    score: float | None = 70.0,
    duration: float | None = 300.0,
    criteria: dict[str, float] | None = None,
) -> ProgressRow:
    finished = outcome is not None
    return ProgressRow(
        attempt_id=attempt_id,
        started=started,
        scenario_id=scenario_id,
        scenario_title=title,
        mode=mode,
        finished=finished,
        outcome=outcome,
        score=score,
        duration_seconds=duration,
        criteria=criteria if criteria is not None else {},
    )


@pytest.fixture
def rows() -> list[ProgressRow]:
    """Six attempts over a week, given out of order; two unfinished."""
    return [
        row(
            3,
            datetime(2025, 3, 5, 14, 30),
            score=10.0,
            duration=65.4,
            outcome="customer_lost",
            criteria={"acknowledge_emotion": 0.0, "respectful_tone": 0.5},
        ),
        row(
            1,
            datetime(2025, 3, 1, 9, 0),
            title="Delayed order",
            scenario_id="delayed-order",
            score=9.0,
            duration=612.0,
            outcome="escalated",
            criteria={"acknowledge_emotion": 0.25, "take_ownership": 0.5},
        ),
        row(
            2,
            datetime(2025, 3, 3, 18, 15),
            mode="assessment",
            score=85.25,
            duration=301.0,
            criteria={"acknowledge_emotion": 1.0, "take_ownership": 0.75, "respectful_tone": 1.0},
        ),
        row(4, datetime(2025, 3, 6, 8, 0), outcome=None, score=None, duration=None),
        row(
            5,
            datetime(2025, 3, 7, 20, 45),
            title='=HYPERLINK("http://evil")',
            scenario_id="-evil",
            score=100.0,
            duration=59.6,
            criteria={"acknowledge_emotion": 1.0, "take_ownership": 1.0, "personalize": 1 / 3},
        ),
        row(
            6,
            datetime(2025, 3, 8, 7, 5),
            outcome=None,
            score=None,
            duration=30.0,
            criteria={"offer_escalation": 1.0},  # unfinished: not charted
        ),
    ]


@pytest.fixture
def view(qtbot: Any, rows: list[ProgressRow]) -> ProgressView:
    widget = ProgressView()
    qtbot.addWidget(widget)
    widget.resize(1100, 800)
    widget.set_rows(rows)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def column_texts(view: ProgressView, column: int) -> list[str]:
    proxy = view.proxy
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def header_texts(view: ProgressView) -> list[str]:
    proxy = view.proxy
    return [proxy.headerData(c, Qt.Orientation.Horizontal) for c in range(proxy.columnCount())]


# ------------------------------------------------------------------------------------ table


def test_table_has_one_row_per_attempt_and_the_columns(view: ProgressView) -> None:
    assert view.proxy.rowCount() == 6
    headers = header_texts(view)
    assert headers[:6] == ["Date", "Scenario", "Mode", "Outcome", "Score", "Duration"]
    assert len(headers) == 6 + len(CORE_CRITERIA)
    # Each criterion column explains itself with the full label.
    for offset, cid in enumerate(CORE_CRITERIA):
        tooltip = view.proxy.headerData(6 + offset, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert CORE_CRITERIA[cid].label in tooltip


def test_default_order_is_newest_first_with_the_cell_texts(view: ProgressView) -> None:
    assert column_texts(view, COLS.DATE) == [
        "2025-03-08 07:05",
        "2025-03-07 20:45",
        "2025-03-06 08:00",
        "2025-03-05 14:30",
        "2025-03-03 18:15",
        "2025-03-01 09:00",
    ]
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLS.DATE
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert column_texts(view, COLS.OUTCOME) == [
        IN_PROGRESS,
        "Resolved",
        IN_PROGRESS,
        "Customer lost",
        "Resolved",
        "Escalated",
    ]
    assert column_texts(view, COLS.SCORE) == ["", "100", "", "10", "85", "9"]
    assert column_texts(view, COLS.DURATION) == ["00:30", "01:00", "", "01:05", "05:01", "10:12"]
    assert column_texts(view, COLS.MODE)[4] == "Assessment"
    assert column_texts(view, COLS.SCENARIO)[-1] == "Delayed order"
    emotion = COLS.FIRST_CRITERION + list(CORE_CRITERIA).index("acknowledge_emotion")
    assert column_texts(view, emotion) == ["", "100%", "", "0%", "100%", "25%"]
    name = COLS.FIRST_CRITERION + list(CORE_CRITERIA).index("personalize")
    assert column_texts(view, name)[1] == "33%"


def click_header(qtbot: Any, view: ProgressView, column: int) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_clicking_score_sorts_numerically(qtbot: Any, view: ProgressView) -> None:
    click_header(qtbot, view, COLS.SCORE)
    header = view.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLS.SCORE
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    scores = [s for s in column_texts(view, COLS.SCORE) if s]
    assert scores == ["9", "10", "85", "100"]  # as strings this would be 10, 100, 85, 9
    # Unfinished attempts (no score) sort below every score.
    assert column_texts(view, COLS.SCORE)[:2] == ["", ""]

    click_header(qtbot, view, COLS.SCORE)
    assert [s for s in column_texts(view, COLS.SCORE) if s] == ["100", "85", "10", "9"]


def test_duration_and_date_sort_by_value(view: ProgressView) -> None:
    view.proxy.sort(COLS.DURATION, Qt.SortOrder.AscendingOrder)
    assert [d for d in column_texts(view, COLS.DURATION) if d] == ["00:30", "01:00", "01:05", "05:01", "10:12"]
    view.proxy.sort(COLS.DATE, Qt.SortOrder.AscendingOrder)
    assert column_texts(view, COLS.DATE)[0] == "2025-03-01 09:00"


def test_set_rows_again_keeps_newest_first(view: ProgressView, rows: list[ProgressRow]) -> None:
    extra = row(7, datetime(2025, 3, 9, 12, 0), score=50.0)
    view.set_rows([*rows, extra])
    assert view.proxy.rowCount() == 7
    assert column_texts(view, COLS.DATE)[0] == "2025-03-09 12:00"


# ----------------------------------------------------------------------------------- charts


def test_score_chart_has_one_point_per_finished_attempt(view: ProgressView, rows: list[ProgressRow]) -> None:
    chart = view.score_chart_view.chart()
    (series,) = chart.series()
    assert isinstance(series, QLineSeries)
    assert series.pointsVisible()
    finished = sorted((r for r in rows if r.finished), key=lambda r: r.started)
    points = series.points()
    assert len(points) == len(finished) == 4
    assert [p.y() for p in points] == [r.score for r in finished]
    assert [p.x() for p in points] == [r.started.timestamp() * 1000 for r in finished]
    x_axis = chart.axes(Qt.Orientation.Horizontal)[0]
    y_axis = chart.axes(Qt.Orientation.Vertical)[0]
    assert isinstance(x_axis, QDateTimeAxis)
    assert isinstance(y_axis, QValueAxis)
    assert (y_axis.min(), y_axis.max()) == (0, 100)
    assert x_axis.min().toMSecsSinceEpoch() < points[0].x()
    assert x_axis.max().toMSecsSinceEpoch() > points[-1].x()


def test_criteria_chart_has_one_series_per_criterion_present(view: ProgressView) -> None:
    chart = view.criteria_chart_view.chart()
    names = [s.name() for s in chart.series()]
    # offer_escalation appears only in an unfinished attempt, so it is not charted.
    present = ["acknowledge_emotion", "take_ownership", "personalize", "respectful_tone"]
    assert names == [CORE_CRITERIA[cid].label for cid in present]
    # The legend shows the full labels (Qt's own legend would elide them to "Ackn...").
    assert view.criteria_legend.labels() == names
    emotion = chart.series()[0]
    assert isinstance(emotion, QLineSeries)
    assert emotion.pointsVisible()
    assert [p.y() for p in emotion.points()] == [25.0, 100.0, 0.0, 100.0]

    combo = view.criterion_combo
    assert [combo.itemText(i) for i in range(combo.count())] == ["All criteria", *names]
    combo.setCurrentIndex(2)  # take_ownership alone
    assert [s.isVisible() for s in chart.series()] == [False, True, False, False]
    assert view.criteria_legend.labels() == [CORE_CRITERIA["take_ownership"].label]
    combo.setCurrentIndex(0)
    assert all(s.isVisible() for s in chart.series())
    assert view.criteria_legend.labels() == names


def test_charts_stack_when_narrow_and_sit_side_by_side_when_wide(qtbot: Any, view: ProgressView) -> None:
    score, criteria = view.score_chart_view, view.criteria_chart_view

    def origin(widget: Any) -> QPoint:
        point: QPoint = widget.mapTo(view, QPoint(0, 0))
        return point

    assert origin(criteria).x() > origin(score).x()
    assert origin(criteria).y() == origin(score).y()
    view.resize(600, 900)
    qtbot.waitUntil(lambda: origin(criteria).y() > origin(score).y(), timeout=1000)
    assert origin(criteria).x() == origin(score).x()


def test_chart_theme_follows_the_palette(view: ProgressView) -> None:
    assert view.score_chart_view.chart().theme() == QChart.ChartTheme.ChartThemeLight
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Window, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.WindowText, QColor(230, 230, 230))
    view.setPalette(dark)
    assert view.score_chart_view.chart().theme() == QChart.ChartTheme.ChartThemeDark
    assert view.criteria_chart_view.chart().theme() == QChart.ChartTheme.ChartThemeDark
    assert len(view.criteria_chart_view.chart().series()) == 4  # rebuilt, not emptied


def test_accessible_names(view: ProgressView) -> None:
    assert view.table.accessibleName()
    assert view.score_chart_view.accessibleName()
    assert view.criteria_chart_view.accessibleName()
    assert view.export_button.accessibleName()
    assert view.criterion_combo.accessibleName()
    assert view.export_button.shortcut().toString() == "Ctrl+E"
    for widget in (view.table, view.score_chart_view, view.criteria_chart_view, view.export_button):
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus


# ------------------------------------------------------------------------------ empty state


def test_empty_state_shows_the_friendly_label(qtbot: Any) -> None:
    widget = ProgressView()
    qtbot.addWidget(widget)
    widget.set_rows([])
    widget.show()
    qtbot.waitExposed(widget)
    assert widget.empty_label.isVisible()
    assert widget.empty_label.text() == EMPTY_TEXT
    assert not widget.table.isVisible()
    assert not widget.score_chart_view.isVisible()
    assert not widget.criteria_chart_view.isVisible()


def test_empty_after_rows_and_back(view: ProgressView, rows: list[ProgressRow]) -> None:
    assert not view.empty_label.isVisible()
    assert view.table.isVisible()
    view.set_rows([])
    assert view.empty_label.isVisible()
    (series,) = view.score_chart_view.chart().series()
    assert isinstance(series, QLineSeries)
    assert series.count() == 0
    assert view.criteria_chart_view.chart().series() == []
    view.set_rows(rows)
    assert view.table.isVisible()


# ----------------------------------------------------------------------------------- export


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")  # plain UTF-8, no BOM
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_write_csv_pure(tmp_path: Path, rows: list[ProgressRow]) -> None:
    path = tmp_path / "out.csv"
    write_csv(rows[:2], path)
    lines = read_csv(path)
    assert lines[0] == [
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
    assert lines[0] == csv_header()
    assert lines[1] == [
        "3",
        "2025-03-05T14:30:00",
        "stolen-wallet",
        "Stolen wallet at 2 a.m.",
        "practice",
        "true",
        "customer_lost",
        "10.0",
        "65.4",
        "0.0",  # acknowledge_emotion
        "",
        "",
        "",
        "",
        "",
        "50.0",  # respectful_tone
    ]
    assert lines[2][:9] == [
        "1",
        "2025-03-01T09:00:00",
        "delayed-order",
        "Delayed order",
        "practice",
        "true",
        "escalated",
        "9.0",
        "612.0",
    ]
    assert lines[2][9:11] == ["25.0", "50.0"]
    assert len(lines) == 3
    assert b"\r\n" in path.read_bytes()  # the csv module's line ends, not doubled


def test_write_csv_guards_against_formula_injection(tmp_path: Path) -> None:
    dangerous = [
        row(1, datetime(2025, 1, 1), title="=1+1", scenario_id="+x"),
        row(2, datetime(2025, 1, 2), title="-2", scenario_id="@SUM(A1)"),
        row(3, datetime(2025, 1, 3), title="Fine = fine", scenario_id="ok-id"),
        row(4, datetime(2025, 1, 4), title="Maria's café ☕", outcome=None, score=None, duration=None),
    ]
    path = tmp_path / "out.csv"
    write_csv(dangerous, path)
    lines = read_csv(path)
    assert [(line[2], line[3]) for line in lines[1:]] == [
        ("'+x", "'=1+1"),
        ("'@SUM(A1)", "'-2"),
        ("ok-id", "Fine = fine"),
        ("stolen-wallet", "Maria's café ☕"),
    ]
    # An unfinished attempt: no outcome, score or duration.
    assert lines[4][5:9] == ["false", "", "", ""]


def test_write_csv_keeps_timezone(tmp_path: Path) -> None:
    started = datetime(2025, 3, 1, 9, 0, 5, 123456, tzinfo=timezone(timedelta(hours=2)))
    path = tmp_path / "tz.csv"
    write_csv([row(1, started)], path)
    assert read_csv(path)[1][1] == "2025-03-01T09:00:05+02:00"


def test_export_button_writes_the_csv(qtbot: Any, view: ProgressView, tmp_path: Path) -> None:
    target = tmp_path / DEFAULT_EXPORT_NAME
    view.choose_export_path = lambda: target
    with qtbot.waitSignal(view.exported, timeout=1000) as blocker:
        qtbot.mouseClick(view.export_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [target]
    lines = read_csv(target)
    assert lines[0] == csv_header()
    assert len(lines) == 7
    by_id = {line[0]: line for line in lines[1:]}
    assert by_id["5"][2:4] == ["'-evil", '\'=HYPERLINK("http://evil")']
    assert by_id["5"][7] == "100.0"
    assert by_id["5"][9:13] == ["100.0", "100.0", "", "33.3"]
    assert by_id["4"][5:9] == ["false", "", "", ""]


def test_export_cancelled_writes_nothing(qtbot: Any, view: ProgressView, tmp_path: Path) -> None:
    view.choose_export_path = lambda: None
    with qtbot.assertNotEmitted(view.exported):
        view.export_csv()
    assert list(tmp_path.iterdir()) == []


def test_export_to_unwritable_path_shows_the_error(
    qtbot: Any, view: ProgressView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []

    def fake_critical(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        calls.append(args)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "critical", fake_critical)
    monkeypatch.setattr(QMessageBox, "warning", fake_critical)
    view.choose_export_path = lambda: tmp_path  # a directory: open() fails
    with qtbot.assertNotEmitted(view.exported):
        view.export_csv()  # must not raise
    assert len(calls) == 1
    parent, title, text = calls[0][:3]
    assert parent is view
    assert "Export failed" in title
    assert str(tmp_path) in text
    assert "directory" in text.lower()  # the reason, not a traceback
    assert "Traceback" not in text


def test_ctrl_e_triggers_export(qtbot: Any, view: ProgressView, tmp_path: Path) -> None:
    target = tmp_path / "shortcut.csv"
    view.choose_export_path = lambda: target
    view.activateWindow()
    view.table.setFocus()
    with qtbot.waitSignal(view.exported, timeout=1000):
        qtbot.keyClick(view.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert target.exists()
