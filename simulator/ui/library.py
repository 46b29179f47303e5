"""The scenario library: a card per scenario, with filters, search and the trainee's record."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeySequence, QPainter, QPaintEvent, QPalette, QPen, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from simulator.core.index import ScenarioInfo
from simulator.ui import style
from simulator.ui.classroom.trainee_assignments import AssignmentsPanel

if TYPE_CHECKING:
    from simulator.application.data import AssignmentStatus


@dataclass(frozen=True)
class Record:
    """What the library shows about one scenario for the current trainee."""

    attempts: int = 0
    best_score: float | None = None
    unfinished_attempt: int | None = None


def sorted_infos(infos: Sequence[ScenarioInfo]) -> list[ScenarioInfo]:
    """The library's order: beginner scenarios first, then by title."""
    return sorted(infos, key=lambda s: (s.difficulty != "beginner", s.title))


class ScenarioCard(QFrame):
    start_requested = Signal(str, str)  # scenario id, mode
    resume_requested = Signal(int)

    def __init__(self, scenario: ScenarioInfo, record: Record, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario = scenario
        self.record = record
        self.setObjectName("scenarioCard")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(f"Scenario: {scenario.title}")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        top = QHBoxLayout()
        title = QLabel(scenario.title)
        title.setFont(style.scaled_font(self.font(), 1.25, bold=True))
        title.setWordWrap(True)
        facts = QLabel(f"{scenario.channel.title()} · {scenario.difficulty} · about {scenario.estimated_minutes} min")
        facts.setAccessibleName("Channel, difficulty and length")
        top.addWidget(title, 1)
        top.addWidget(facts)
        summary = QLabel(scenario.summary)
        summary.setWordWrap(True)
        who = QLabel(f"Customer: {scenario.persona_name}, {scenario.persona_role}")
        who.setTextFormat(Qt.TextFormat.PlainText)
        italic = who.font()
        italic.setItalic(True)
        who.setFont(italic)
        who.setWordWrap(True)
        bottom = QHBoxLayout()
        self.history_label = QLabel()
        self.history_label.setAccessibleName("Your record")
        bottom.addWidget(self.history_label, 1)
        self._resume = QPushButton("Resume")
        self._resume.setAccessibleName(f"Resume your unfinished attempt at {scenario.title}")
        self._resume.clicked.connect(self._resume_clicked)
        bottom.addWidget(self._resume)
        self.practice_button = QPushButton("Practice")
        self.practice_button.setAccessibleName(f"Practise {scenario.title} with hints and feedback")
        self.practice_button.clicked.connect(lambda: self.start_requested.emit(scenario.id, "practice"))
        self.assess_button = QPushButton("Assessment")
        self.assess_button.setAccessibleName(f"Graded attempt at {scenario.title}, no hints")
        self.assess_button.clicked.connect(lambda: self.start_requested.emit(scenario.id, "assessment"))
        bottom.addWidget(self.practice_button)
        bottom.addWidget(self.assess_button)
        layout.addLayout(top)
        layout.addWidget(summary)
        layout.addWidget(who)
        layout.addLayout(bottom)
        self.set_record(record)

    @property
    def resume_button(self) -> QPushButton | None:
        """The Resume button while there is an unfinished attempt to resume."""
        return self._resume if self.record.unfinished_attempt is not None else None

    def set_record(self, record: Record) -> None:
        self.record = record
        if record.attempts:
            best = f"best {record.best_score:.0f}/100" if record.best_score is not None else "not finished yet"
            self.history_label.setText(f"{record.attempts} attempt{'s' if record.attempts != 1 else ''} · {best}")
        else:
            self.history_label.setText("Not tried yet")
        self._resume.setHidden(record.unfinished_attempt is None)

    def _resume_clicked(self) -> None:
        if self.record.unfinished_attempt is not None:
            self.resume_requested.emit(self.record.unfinished_attempt)

    def paintEvent(self, event: QPaintEvent) -> None:
        """A rounded card, its border highlighted while it has focus (painted: a style sheet costs start-up time)."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        focused = self.hasFocus()
        width = 2.0 if focused else 1.0
        pen = QPen(palette.color(QPalette.ColorRole.Highlight if focused else QPalette.ColorRole.Mid), width)
        painter.setPen(pen)
        painter.setBrush(palette.color(QPalette.ColorRole.Base))
        half = width / 2
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(half, half, -half, -half), 10, 10)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.update()

    def matches(self, channel: str, difficulty: str, text: str) -> bool:
        s = self.scenario
        haystack = " ".join([s.title, s.summary, s.persona_name, s.persona_role, *s.learning_objectives]).lower()
        return (
            channel in ("", s.channel)
            and difficulty in ("", s.difficulty)
            and all(word in haystack for word in text.lower().split())
        )

    def keyPressEvent(self, event):  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            (self.resume_button or self.practice_button).click()
            return
        super().keyPressEvent(event)


class LibraryView(QWidget):
    """The trainee's assignments first (when they have any), then a card per scenario."""

    start_requested = Signal(str, str)
    resume_requested = Signal(int)
    assignment_requested = Signal(int)  # assignment id: start or resume it
    export_requested = Signal(int)  # assignment id: save its results file

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        heading = QLabel("Choose a conversation to practise")
        heading.setFont(style.scaled_font(self.font(), 1.5, bold=True))
        root.addWidget(heading)
        filters = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search scenarios (Ctrl+F)")
        self.search.setAccessibleName("Search scenarios")
        self.search.setClearButtonEnabled(True)
        self.channel = QComboBox()
        self.channel.setAccessibleName("Filter by channel")
        for label, value in (("All channels", ""), ("Phone", "phone"), ("Chat", "chat"), ("Email", "email")):
            self.channel.addItem(label, value)
        self.difficulty = QComboBox()
        self.difficulty.setAccessibleName("Filter by difficulty")
        for label, value in (
            ("All levels", ""),
            ("Beginner", "beginner"),
            ("Intermediate", "intermediate"),
            ("Advanced", "advanced"),
        ):
            self.difficulty.addItem(label, value)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.channel)
        filters.addWidget(self.difficulty)
        root.addLayout(filters)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setAccessibleName("Scenarios")
        self.cards_widget = QWidget()
        self.cards_layout = QVBoxLayout(self.cards_widget)
        self.cards_layout.setSpacing(10)
        self.assignments = AssignmentsPanel()
        self.assignments.start_requested.connect(self.assignment_requested.emit)
        self.assignments.export_requested.connect(self.export_requested.emit)
        self.cards_layout.addWidget(self.assignments)
        self.cards_layout.addStretch(1)
        self.scroller.setWidget(self.cards_widget)
        root.addWidget(self.scroller, 1)
        self.empty = QLabel("No scenario matches these filters.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()
        root.addWidget(self.empty)
        self.cards: list[ScenarioCard] = []
        self.search.textChanged.connect(self._filter)
        self.channel.currentIndexChanged.connect(self._filter)
        self.difficulty.currentIndexChanged.connect(self._filter)
        QShortcut(QKeySequence.StandardKey.Find, self, self.search.setFocus)

    def set_scenarios(self, scenarios: Sequence[ScenarioInfo], records: Mapping[str, Record]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = []
        for scenario in sorted_infos(scenarios):
            card = ScenarioCard(scenario, records.get(scenario.id, Record()))
            card.start_requested.connect(self.start_requested.emit)
            card.resume_requested.connect(self.resume_requested.emit)
            self.cards_layout.insertWidget(self.cards_layout.count() - 1, card)
            self.cards.append(card)
        self._filter()

    def set_records(self, records: Mapping[str, Record]) -> None:
        for card in self.cards:
            card.set_record(records.get(card.scenario.id, Record()))

    def set_assignments(self, statuses: Sequence[AssignmentStatus], available: Collection[str] | None = None) -> None:
        self.assignments.set_assignments(statuses, available)

    def visible_cards(self) -> list[ScenarioCard]:
        return [card for card in self.cards if not card.isHidden()]

    def _filter(self) -> None:
        channel = str(self.channel.currentData() or "")
        difficulty = str(self.difficulty.currentData() or "")
        text = self.search.text()
        for card in self.cards:
            card.setHidden(not card.matches(channel, difficulty, text))
        self.empty.setVisible(bool(self.cards) and not self.visible_cards())
