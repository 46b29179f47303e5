"""The trainee's assignments at the top of the library: status, rules, and Start or Resume.

Statuses are computed on the worker (``ClassroomStore.assignments_for``); these widgets only
show them. Passed and failed differ by a mark and a word, not only by colour.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from simulator.application.data import AssignmentStatus, Status
from simulator.ui import style

BADGES: dict[Status, tuple[str, str]] = {
    # mark and word, so the status reads without colour; colour only adds to it
    Status.NOT_STARTED: ("○", "Not started"),
    Status.IN_PROGRESS: ("◐", "In progress"),
    Status.PASSED: ("✓", "Passed"),
    Status.FAILED: ("✗", "Failed"),
}
BADGE_COLORS = {Status.PASSED: style.MET, Status.FAILED: style.MISSED, Status.IN_PROGRESS: style.ACCENT}


def badge_text(status: Status) -> str:
    mark, word = BADGES[status]
    return f"{mark} {word}"


def day_text(moment: datetime) -> str:
    """A due date in the trainee's local time; the time only when it is not the end of the day."""
    local = moment.astimezone()
    day = f"{local:%a} {local.day} {local:%b %Y}"
    return day if (local.hour, local.minute) == (23, 59) else f"{day}, {local:%H:%M}"


def due_text(status: AssignmentStatus) -> str:
    due = status.assignment.due
    if due is None:
        return "No due date"
    return f"Overdue: was due {day_text(due)}" if status.overdue else f"Due {day_text(due)}"


def attempts_text(status: AssignmentStatus) -> str:
    limit = status.assignment.attempt_limit
    if limit is None:
        return "Unlimited attempts"
    left = status.attempts_left if status.attempts_left is not None else limit
    return f"{left} of {limit} attempt{'s' if limit != 1 else ''} left"


class AssignmentCard(QFrame):
    """One assignment: what it is, how the trainee stands, and the button to carry on."""

    start_requested = Signal(int)  # assignment id: start (or resume) it
    export_requested = Signal(int)  # assignment id: save a results file

    def __init__(self, status: AssignmentStatus, available: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        assignment = status.assignment
        self.setObjectName("assignmentCard")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        top = QHBoxLayout()
        title = QLabel(assignment.title)
        title.setTextFormat(Qt.TextFormat.PlainText)
        title.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        title.setWordWrap(True)
        self.badge = QLabel(badge_text(status.status))
        self.badge.setFont(style.scaled_font(self.font(), 1.1, bold=True))
        self.badge.setAccessibleName("Assignment status")
        color = BADGE_COLORS.get(status.status)
        if color is not None:
            self.badge.setStyleSheet(f"color: {(color.lighter(160) if style.is_dark(self) else color).name()}")
        top.addWidget(title, 1)
        top.addWidget(self.badge)
        mode = "graded assessment" if assignment.mode == "assessment" else "practice"
        self.facts_label = QLabel(f"{assignment.group_name} · {mode} · {due_text(status)} · {attempts_text(status)}")
        self.facts_label.setTextFormat(Qt.TextFormat.PlainText)
        self.facts_label.setWordWrap(True)
        self.facts_label.setAccessibleName("Assignment rules")
        reason = status.reason[:1].upper() + status.reason[1:]
        if not available:
            reason += ". This scenario is not on this computer yet: ask your trainer for its assignment file"
        self.reason_label = QLabel(reason)
        self.reason_label.setTextFormat(Qt.TextFormat.PlainText)
        self.reason_label.setWordWrap(True)
        self.reason_label.setAccessibleName("Where you stand")
        bottom = QHBoxLayout()
        bottom.addWidget(self.reason_label, 1)
        self.export_button = QPushButton("Export results…")
        self.export_button.setAccessibleName(f"Save your results for {assignment.title} as a file for your trainer")
        self.export_button.setVisible(status.best_score is not None)
        self.export_button.clicked.connect(lambda: self.export_requested.emit(assignment.id))
        resume = status.open_attempt_id is not None
        self.start_button = QPushButton("Resume" if resume else "Start")
        self.start_button.setAccessibleName(
            f"{'Resume your open attempt at' if resume else 'Start'} the assignment {assignment.title}"
        )
        self.start_button.clicked.connect(lambda: self.start_requested.emit(assignment.id))
        bottom.addWidget(self.export_button)
        bottom.addWidget(self.start_button)
        layout.addLayout(top)
        layout.addWidget(self.facts_label)
        layout.addLayout(bottom)
        self.setAccessibleName(f"Assignment: {assignment.title}, {BADGES[status.status][1].lower()}")

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.start_button.click()
            return
        super().keyPressEvent(event)


class AssignmentsPanel(QWidget):
    """ "Assigned to you", above the scenario cards; hidden when the trainee has no assignment."""

    start_requested = Signal(int)
    export_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(10)
        heading = QLabel("Assigned to you")
        heading.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        layout.addWidget(heading)
        self.cards_layout = QVBoxLayout()
        self.cards_layout.setSpacing(10)
        layout.addLayout(self.cards_layout)
        self.rest = QLabel("All scenarios")
        self.rest.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        layout.addWidget(self.rest)
        self.cards: list[AssignmentCard] = []
        self.hide()

    def set_assignments(self, statuses: Sequence[AssignmentStatus], available: Collection[str] | None = None) -> None:
        """Statuses in library order (open work first); ``available``: scenario ids on this computer."""
        for card in self.cards:
            card.hide()
            card.deleteLater()
        self.cards = []
        for status in statuses:
            ok = available is None or status.assignment.scenario_id in available
            card = AssignmentCard(status, ok)
            card.start_requested.connect(self.start_requested.emit)
            card.export_requested.connect(self.export_requested.emit)
            self.cards_layout.addWidget(card)
            self.cards.append(card)
        self.setVisible(bool(self.cards))

    def card(self, assignment_id: int) -> AssignmentCard | None:
        return next((c for c in self.cards if c.status.assignment.id == assignment_id), None)
