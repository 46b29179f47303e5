"""The cohort report as CSV files a spreadsheet opens: trainees, criteria, score distribution, trend, summary.

Text cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a
carriage return) are prefixed with an apostrophe: trainee names come from imported files.
Scores are written with one decimal, times in minutes, dates in ISO form.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

from simulator.classroom.report import CohortReport

Cell = str | int | float | None


def _safe(value: Cell) -> Cell:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    if isinstance(value, float):
        return round(value, 1)
    return value


def _score(value: float | None) -> float | None:
    return None if value is None else float(value)


def _csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_safe(v) for v in row] for row in rows)
    return out.getvalue()


TRAINEE_COLUMNS = (
    *("name", "status", "attempts", "best score", "last score", "minutes answering", "late", "extra", "note"),
    "review",  # the trainer's overrides that the scores count, with the comments saying why
)


def trainees_csv(report: CohortReport) -> str:
    return _csv(
        TRAINEE_COLUMNS,
        (
            [
                r.name,
                r.status.value,
                r.attempts,
                _score(r.best_score),
                _score(r.last_score),
                r.time_spent_seconds / 60,
                r.late,
                r.extra,
                r.reason,
                "; ".join(r.reviews),  # the trainer's overrides the scores count, and why
            ]
            for r in report.rows
        ),
    )


def criteria_csv(report: CohortReport) -> str:
    """Weakest first, as in the report; the mean as a percentage."""
    return _csv(
        ["criterion", "label", "mean %", "attempts"],
        ([c.id, c.label, 100 * c.mean, c.attempts] for c in report.criteria),
    )


def histogram_csv(report: CohortReport) -> str:
    return _csv(["from", "to", "trainees"], ([b.low, b.high, b.count] for b in report.histogram))


def trend_csv(report: CohortReport) -> str:
    return _csv(
        [report.trend_unit, "attempts", "mean score"],
        ([p.start.isoformat(), p.attempts, p.mean_score] for p in report.trend),
    )


def summary_csv(report: CohortReport) -> str:
    a = report.assignment
    rows: list[tuple[str, Cell]] = [
        ("group", a.group_name),
        ("scenario", a.scenario_title),
        ("mode", a.mode),
        ("pass threshold", a.pass_threshold),
        ("attempt limit", a.attempt_limit),
        ("due", a.due.isoformat() if a.due else None),
        ("generated", report.generated.isoformat()),
        ("members", report.members),
        ("passed", report.passed),
        ("failed", report.failed),
        ("in progress", report.in_progress),
        ("not started", report.not_started),
        ("pass rate %", None if report.pass_rate is None else 100 * report.pass_rate),
        ("mean best score", report.mean_best_score),
        ("median best score", report.median_best_score),
    ]
    return _csv(["item", "value"], rows)


def write_report_csv(report: CohortReport, folder: Path, stem: str = "cohort-report") -> list[Path]:
    """Write the five CSV files (UTF-8 with a byte-order mark, which Excel needs to read accents)."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = {
        "summary": summary_csv(report),
        "trainees": trainees_csv(report),
        "criteria": criteria_csv(report),
        "scores": histogram_csv(report),
        "trend": trend_csv(report),
    }
    written = []
    for name, text in parts.items():
        path = folder / f"{stem}-{name}.csv"
        path.write_text(text, encoding="utf-8-sig", newline="")
        written.append(path)
    return written
