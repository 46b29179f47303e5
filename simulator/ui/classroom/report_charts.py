"""Charts of a cohort report: score distribution, criteria weakest first, the trend over time.

The same QChart objects are shown in the app and drawn into the PDF, so what a trainer prints
is what they saw.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QGraphicsScene

from simulator.classroom.report import CohortReport

BAR = QColor("#3a6fd8")
WEAK = QColor("#d0564b")
OK = QColor("#4f9d69")


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    return chart


def distribution_chart(report: CohortReport) -> QChart:
    """How many trainees' best scores fall in each band; the pass mark is named in the title."""
    chart = _chart(f"Best scores (pass mark {report.assignment.pass_threshold:.0f})")
    bars = QBarSet("Trainees")
    bars.setColor(BAR)
    for band in report.histogram:
        bars.append(band.count)
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    x = QBarCategoryAxis()
    x.append([f"{band.low:.0f}+" for band in report.histogram])  # short: a band's label fits under its bar
    x.setTitleText("best score from")
    y = QValueAxis()
    y.setLabelFormat("%d")
    top = max([band.count for band in report.histogram] + [1])
    y.setRange(0, top)
    if top <= 10:
        y.setTickCount(top + 1)  # a tick per trainee: never a "2" label on a line at 2.4
    else:
        y.applyNiceNumbers()
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def criteria_chart(report: CohortReport, limit: int = 10) -> QChart:
    """Average per criterion, weakest at the top: what the next session should practise."""
    chart = _chart("Criteria, weakest first (average met, %)")
    shown = list(report.criteria[:limit])
    weak, fine = QBarSet("Below 60%"), QBarSet("60% and over")
    weak.setColor(WEAK)
    fine.setColor(OK)
    for item in reversed(shown):  # a horizontal bar chart draws its first category at the bottom
        value = item.mean * 100
        weak.append(value if value < 60 else 0)
        fine.append(value if value >= 60 else 0)
    series = QHorizontalBarSeries()
    series.append(weak)
    series.append(fine)
    series.setBarWidth(0.8)
    chart.addSeries(series)
    y = QBarCategoryAxis()
    y.append([_short(item.label) for item in reversed(shown)])
    x = QValueAxis()
    x.setRange(0, 100)
    x.setLabelFormat("%d")
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x)
    series.attachAxis(y)
    return chart


def trend_chart(report: CohortReport) -> QChart:
    """Mean score per day (or week) of the finished attempts started in it."""
    chart = _chart(f"Mean score per {report.trend_unit}")
    line, dots = QLineSeries(), QScatterSeries()
    dots.setMarkerSize(7)
    line.setColor(BAR)
    dots.setColor(BAR)
    for index, point in enumerate(report.trend):
        line.append(QPointF(index, point.mean_score))
        dots.append(QPointF(index, point.mean_score))
    chart.addSeries(line)
    chart.addSeries(dots)
    x = QBarCategoryAxis()
    x.append([point.start.strftime("%d %b") for point in report.trend] or ["–"])
    y = QValueAxis()
    y.setRange(0, 100)
    y.setLabelFormat("%d")
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    for series in (line, dots):
        series.attachAxis(y)
    line.attachAxis(x)
    dots.attachAxis(x)
    return chart


def _short(text: str, length: int = 34) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def chart_view(chart: QChart, name: str) -> QChartView:
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setAccessibleName(name)
    view.setMinimumSize(300, 240)
    return view


def chart_image(chart: QChart, width: int = 680, height: int = 320) -> QImage:
    """The chart drawn off screen at print size (for the PDF and for printing).

    A chart in a view that was never shown is never laid out, so the chart is put in a scene
    of its own, sized, and the scene is rendered.
    """
    scene = QGraphicsScene()
    scene.addItem(chart)
    chart.resize(width, height)
    scene.setSceneRect(QRectF(0, 0, width, height))
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter)
    painter.end()
    scene.removeItem(chart)
    return image
