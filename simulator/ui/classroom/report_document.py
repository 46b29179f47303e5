"""The cohort report as a printable document: PDF export and printing share one QTextDocument.

Charts are drawn off screen at print size and embedded as images; tables are HTML, so
long rosters flow onto further pages instead of being cut.
"""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import QMarginsF, QUrl
from PySide6.QtGui import QPagedPaintDevice, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from simulator.application.data import Status
from simulator.classroom.report import CohortReport
from simulator.ui.classroom.report_charts import chart_image, criteria_chart, distribution_chart, trend_chart

STATUS_TEXT = {
    Status.NOT_STARTED: "not started",
    Status.IN_PROGRESS: "in progress",
    Status.PASSED: "passed",
    Status.FAILED: "failed",
}


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.0f} min" if seconds else "–"


def summary_line(report: CohortReport) -> str:
    rate = "–" if report.pass_rate is None else f"{report.pass_rate:.0%}"
    return (
        f"{report.members} trainees · {report.passed} passed · {report.failed} failed · "
        f"{report.in_progress} in progress · {report.not_started} not started · pass rate {rate} · "
        f"mean best score {_score(report.mean_best_score)} · median {_score(report.median_best_score)}"
    )


def report_html(report: CohortReport) -> str:
    """The report's text and tables; ``chart:`` images are added as resources by :func:`report_document`."""
    a = report.assignment
    due = a.due.strftime("%d %b %Y %H:%M") if a.due else "none"
    limit = str(a.attempt_limit) if a.attempt_limit else "unlimited"
    rows = "".join(
        "<tr>"
        f"<td>{html.escape(row.name)}</td><td>{STATUS_TEXT.get(row.status, str(row.status))}</td>"
        f"<td align='right'>{row.attempts}</td><td align='right'>{_score(row.best_score)}</td>"
        f"<td align='right'>{_score(row.last_score)}</td><td align='right'>{_minutes(row.time_spent_seconds)}</td>"
        f"<td>{html.escape(row.reason)}</td>"
        "</tr>"
        for row in report.rows
    )
    criteria = "".join(
        f"<tr><td>{html.escape(c.label)}</td><td align='right'>{c.mean:.0%}</td>"
        f"<td align='right'>{c.attempts}</td></tr>"
        for c in report.criteria
    )
    return f"""
<h1>{html.escape(report.title)}</h1>
<p>Mode: {html.escape(a.mode)} · pass mark {a.pass_threshold:.0f} · attempts allowed: {limit} · due: {due}<br/>
Generated {report.generated.strftime("%d %b %Y %H:%M")}</p>
<p><b>{html.escape(summary_line(report))}</b></p>
<p><img src="chart:distribution" width="620"/></p>
<p><img src="chart:criteria" width="620"/></p>
<p><img src="chart:trend" width="620"/></p>
<h2>Criteria, weakest first</h2>
<table border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse: collapse">
<tr><th align="left">Criterion</th><th>Average met</th><th>Attempts</th></tr>{criteria}</table>
<h2>Trainees</h2>
<table border="1" cellspacing="0" cellpadding="4" width="100%" style="border-collapse: collapse">
<tr><th align="left">Trainee</th><th align="left">Status</th><th>Attempts</th><th>Best</th><th>Last</th>
<th>Time</th><th align="left">Why</th></tr>{rows}</table>
"""


def report_document(report: CohortReport) -> QTextDocument:
    document = QTextDocument()
    for name, chart in (
        ("distribution", distribution_chart(report)),
        ("criteria", criteria_chart(report)),
        ("trend", trend_chart(report)),
    ):
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(f"chart:{name}"), chart_image(chart))
    document.setHtml(report_html(report))
    return document


def print_report(report: CohortReport, device: QPagedPaintDevice) -> None:
    """Lay the report out on ``device``'s pages (a PDF writer or a printer); Qt paginates the tables."""
    report_document(report).print_(device)


def write_pdf(report: CohortReport, path: Path) -> None:
    """An A4 PDF with the charts; written to a temporary name first so a failure leaves no half file."""
    temp = path.with_name(f".{path.name}.part")
    writer = QPdfWriter(str(temp))
    writer.setTitle(report.title)
    writer.setCreator("Empathy Trainer")
    writer.setResolution(150)
    writer.setPageLayout(
        QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait, QMarginsF(15, 15, 15, 15))
    )
    print_report(report, writer)
    del writer  # flushes and closes the file
    temp.replace(path)
