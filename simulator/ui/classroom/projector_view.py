"""The projector session: one conversation on the wall in large type, trainees taking turns to answer.

The model is ``simulator.classroom.projector.ProjectorSession``; this view shows the customer's
line, who answers, the verdicts for the room to discuss, and saves everyone's results at the end.
Scoring one answer takes about a millisecond, so it runs here rather than on the worker.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from simulator.application.compose import ClassroomStore
from simulator.application.data import ClassroomSession, Trainee
from simulator.classroom.projector import ProjectorError, ProjectorPhase, ProjectorSession
from simulator.core import mood as mood_words
from simulator.core import recap
from simulator.core.engine import CustomerTurn, TurnResult
from simulator.ui.desk import desk_html

Run = Callable[..., None]


def _big(widget: QWidget, points: float) -> None:
    font = QFont(widget.font())
    font.setPointSizeF(points)
    widget.setFont(font)


class ProjectorView(QWidget):
    saved = Signal(int)  # the classroom session id

    def __init__(
        self, session: ProjectorSession, members: list[Trainee], classroom: ClassroomStore, run: Run,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.model = session
        self.classroom = classroom
        self.run = run
        self.title = QLabel(f"{session.scenario.title} — {session.scenario.persona.name}")
        _big(self.title, 20)
        self.customer = QLabel()
        self.customer.setWordWrap(True)
        self.customer.setAccessibleName("Customer says")
        _big(self.customer, 26)
        self.answerer = QComboBox()
        self.answerer.setAccessibleName("Who answers")
        _big(self.answerer, 16)
        self.answerer.activated.connect(self._chosen)
        self.rotate = QCheckBox("Take turns in order")
        self.rotate.setChecked(session.rotation)
        self.rotate.toggled.connect(lambda on: setattr(self.model, "rotation", on))
        self.answer = QPlainTextEdit()
        self.answer.setAccessibleName("The trainee's answer")
        self.answer.setPlaceholderText("Type what the trainee says (Ctrl+Enter scores it)")
        _big(self.answer, 18)
        self.answer.setFixedHeight(130)
        self.score_button = QPushButton("&Score the answer")
        self.score_button.clicked.connect(self.submit)
        self.next_button = QPushButton("&Discussed: next turn")
        self.next_button.clicked.connect(self.next_turn)
        self.save_button = QPushButton("Save the session's &results")
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Return"), self, self.submit)
        QShortcut(QKeySequence("Ctrl+Right"), self, self.next_turn)
        self.verdicts = QTextBrowser()
        self.verdicts.setAccessibleName("Verdicts")
        _big(self.verdicts, 16)
        self.present = QListWidget()
        self.present.setAccessibleName("Trainees in the room")
        for trainee in members:
            item = QListWidgetItem(trainee.name)
            item.setData(Qt.ItemDataRole.UserRole, trainee.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            here = any(t.id == trainee.id for t in session.present)
            item.setCheckState(Qt.CheckState.Checked if here else Qt.CheckState.Unchecked)
            self.present.addItem(item)
        self.members = {t.id: t for t in members}
        self.present.itemChanged.connect(self._presence)
        self.status = QLabel()
        _big(self.status, 14)
        side = QVBoxLayout()
        self.desk = QLabel(desk_html(session.session.scenario.desk))
        self.desk.setTextFormat(Qt.TextFormat.RichText)
        self.desk.setWordWrap(True)
        self.desk.setAccessibleName("The agent's desk: record, policy, options, colleagues")
        self.desk.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        desk_scroller = QScrollArea()
        desk_scroller.setWidgetResizable(True)
        desk_scroller.setWidget(self.desk)
        _big(self.desk, 12)
        has_desk = bool(session.session.scenario.desk)
        desk_title = QLabel("The agent's desk")
        _big(desk_title, 13)
        desk_title.setVisible(has_desk)
        desk_scroller.setVisible(has_desk)
        side.addWidget(desk_title)
        side.addWidget(desk_scroller, 2)
        side.addWidget(QLabel("In the room (tick who is here)"))
        side.addWidget(self.present, 1)
        side.addWidget(self.rotate)
        side_box = QWidget()
        side_box.setLayout(side)
        who = QHBoxLayout()
        who.addWidget(QLabel("Answering:"))
        who.addWidget(self.answerer, 1)
        buttons = QHBoxLayout()
        for button in (self.score_button, self.next_button, self.save_button):
            buttons.addWidget(button)
        main = QVBoxLayout()
        main.addWidget(self.title)
        main.addWidget(self.customer)
        main.addLayout(who)
        main.addWidget(self.answer)
        main.addLayout(buttons)
        main.addWidget(self.verdicts, 1)
        main.addWidget(self.status)
        main_box = QWidget()
        main_box.setLayout(main)
        split = QSplitter()
        split.addWidget(main_box)
        split.addWidget(side_box)
        split.setSizes([900, 260])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self._show_turn(session.start() if session.phase is ProjectorPhase.READY else session.current)

    # -- showing -----------------------------------------------------------------------

    def _show_turn(self, turn: CustomerTurn | None) -> None:
        if turn is None:
            ending = self.model.session.ending
            words = self.model.session.ending_words()
            title = ending.title if ending is not None else "The conversation is over"
            last = f"“{html.escape(words.line, quote=False)}”<br>" if words and words.line else ""
            self.customer.setText(f"{last}<i>{html.escape(title)}</i>")
            if words is not None:
                session = self.model.session
                found = recap.build(session.scenario, session.history)
                self.verdicts.setPlainText(words.debrief + "\n\n" + "\n".join(found.lines()))
            self.status.setText("The conversation has ended: save the session's results.")
        else:
            self.customer.setText(f"“{html.escape(turn.text, quote=False)}”")
            self.status.setText(f"Customer: {mood_words.text(turn.mood)} · turn {turn.index + 1}")
            self.answer.clear()
        self._update_answerers()
        self._update_buttons()

    def _update_answerers(self) -> None:
        self.answerer.clear()
        for trainee in self.model.present:
            self.answerer.addItem(trainee.name, trainee.id)
        current = self.model.answerer
        if current is not None:
            self.answerer.setCurrentIndex(self.answerer.findData(current.id))
        else:
            self.answerer.setCurrentIndex(-1)

    def _update_buttons(self) -> None:
        phase = self.model.phase
        self.answer.setEnabled(phase is ProjectorPhase.ANSWERING)
        self.score_button.setEnabled(phase is ProjectorPhase.ANSWERING)
        self.next_button.setEnabled(phase is ProjectorPhase.DISCUSSING)
        self.save_button.setEnabled(bool(self.model.transcript) and phase is not ProjectorPhase.DISCUSSING)

    def _chosen(self, _index: int) -> None:
        data = self.answerer.currentData()
        if data is not None:
            self.model.choose(int(data))

    def _presence(self, item: QListWidgetItem) -> None:
        trainee = self.members[int(item.data(Qt.ItemDataRole.UserRole))]
        if item.checkState() == Qt.CheckState.Checked:
            self.model.arrive(trainee)
        else:
            self.model.depart(trainee.id)
        self._update_answerers()

    # -- the room's actions ------------------------------------------------------------

    def submit(self) -> TurnResult | None:
        if self.model.answerer is None and self.answerer.currentData() is not None:
            self._chosen(self.answerer.currentIndex())
        try:
            result = self.model.respond(self.answer.toPlainText())
        except ProjectorError as exc:
            self.status.setText(f"Not scored: {exc}.")
            return None
        who = self.model.transcript[-1].trainee.name
        lines = [f"<p><b>{html.escape(who)}</b> scored <b>{result.score.score:.0f}</b>"
                 f" · customer {mood_words.change(result.mood_change)}</p><ul>"]  # fmt: skip
        answer = result.answer
        for criterion in result.score.criteria:
            words = ", ".join(f"“{html.escape(answer[a:b])}”" for a, b in criterion.evidence)
            mark = "✓" if criterion.met else "✗"
            colour = "#2e7d32" if criterion.met else "#c62828"
            lines.append(f"<li><span style='color:{colour}'>{mark} {html.escape(criterion.label)}</span> {words}</li>")
        lines.append("</ul><p>Discuss it, then <b>Discussed: next turn</b> (Ctrl+→).</p>")
        self.verdicts.setHtml("".join(lines))
        self._update_buttons()
        return result

    def next_turn(self) -> None:
        try:
            turn = self.model.discussed()
        except ProjectorError as exc:
            self.status.setText(f"{exc}.")
            return
        self.verdicts.clear()
        self._show_turn(turn)

    def save(self) -> None:
        self.save_button.setEnabled(False)
        self.status.setText("Saving…")

        def done(saved: tuple[ClassroomSession, dict[int, int]]) -> None:
            session, attempts = saved
            names = ", ".join(f"{r.trainee.name} {r.score:.0f}" for r in self.model.results() if r.score is not None)
            self.status.setText(f"Saved: {len(attempts)} trainees' results ({names}).")
            self.saved.emit(session.id)

        def failed(error: BaseException) -> None:
            self.status.setText(f"Not saved: {error}")
            self._update_buttons()

        self.run(lambda: self.model.save(self.classroom), done, failed)
