"""The conversation page: persona, mood, chat bubbles, the answer box and per-turn feedback.

Presentation only: it shows what the controller gives it and emits what the
trainee does. In practice mode it offers the hint, shows the criteria of the
turn and, after each answer, a one-line verdict; assessment mode shows none
of these.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QKeyEvent,
    QKeySequence,
    QLinearGradient,
    QPainter,
    QPaintEvent,
    QPixmap,
    QShortcut,
    QTextCursor,
)
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from simulator.core import mood as mood_words
from simulator.core.engine import CustomerTurn, TurnResult
from simulator.core.model import Scenario
from simulator.ui import style
from simulator.ui.desk import DeskPanel
from simulator.ui.voice import VoicePanel

BUBBLE_TEXT_WIDTH = 560


def avatar_pixmap(assets: Path, relative: str, name: str, size: int) -> QPixmap:
    """The persona's picture from assets/, or their initials on a disc when there is none."""
    pixmap = QPixmap(QSize(size, size))
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    path = assets / relative if relative else None
    renderer = QSvgRenderer(str(path)) if path and path.suffix == ".svg" and path.is_file() else None
    if renderer is not None and renderer.isValid():
        renderer.render(painter, QRectF(0, 0, size, size))
    elif path and path.is_file() and not QPixmap(str(path)).isNull():
        painter.drawPixmap(0, 0, QPixmap(str(path)).scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio))
    else:
        painter.setBrush(style.ACCENT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(0, 0, size, size)
        painter.setPen(QColor("white"))
        painter.setFont(style.scaled_font(painter.font(), 1.6, bold=True))
        initials = "".join(part[0] for part in name.split()[:2]).upper()
        painter.drawText(QRectF(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, initials)
    painter.end()
    return pixmap


class MoodMeter(QWidget):
    """A calm-to-upset track with a marker and named ends; the word and number are in the label above."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mood = 50
        self.setMinimumSize(160, 18 + self.fontMetrics().height())
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Customer mood")

    def set_mood(self, mood: int) -> None:
        self.mood = max(0, min(100, mood))
        self.setAccessibleDescription(f"{mood_words.text(self.mood)}, on a scale {mood_words.SCALE}")
        self.setToolTip(f"How upset the customer is: {mood_words.SCALE}. Further right is worse.")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = style.scaled_font(self.font(), 0.8)
        painter.setFont(small)
        text_height = painter.fontMetrics().height()
        bar = QRectF(0, 4, self.width() - 1, max(6, self.height() - 9 - text_height))
        gradient = QLinearGradient(bar.topLeft(), bar.topRight())
        gradient.setColorAt(0.0, QColor("#43a047"))
        gradient.setColorAt(0.5, QColor("#fbc02d"))
        gradient.setColorAt(1.0, QColor("#e53935"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(gradient)
        painter.drawRoundedRect(bar, 4, 4)
        x = bar.left() + bar.width() * self.mood / 100
        painter.setBrush(self.palette().color(self.foregroundRole()))
        painter.drawRoundedRect(QRectF(x - 3, 0, 6, bar.bottom() + 4), 2, 2)
        # The ends are named, so the marker's place reads as "how upset", never as "how good".
        painter.setPen(self.palette().color(self.foregroundRole()))
        labels = QRectF(0, bar.bottom() + 3, self.width(), text_height)
        painter.drawText(labels, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, "calm")
        painter.drawText(labels, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, "upset")
        painter.end()


class Bubble(QFrame):
    """One message. The customer's on the left, the trainee's on the right."""

    def __init__(self, text: str, mine: bool, author: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mine = mine
        self.setObjectName("mineBubble" if mine else "theirBubble")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        who = QLabel(author)
        who.setFont(style.scaled_font(self.font(), 0.85, bold=True))
        self.text_label = QLabel(text)
        self.text_label.setWordWrap(True)
        # A word-wrapped label shrinks to its narrowest wrap; ask for the width the text wants, up to a limit.
        natural = self.text_label.fontMetrics().horizontalAdvance(" ".join(text.split()))
        self.natural_width = min(natural + 4, BUBBLE_TEXT_WIDTH)
        self.text_label.setMinimumWidth(self.natural_width)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(who)
        layout.addWidget(self.text_label)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextFormat(Qt.TextFormat.RichText)
        self.verdict.hide()
        layout.addWidget(self.verdict)
        self.setAccessibleName(f"{author}: {text}")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMaximumWidth(BUBBLE_TEXT_WIDTH + 40)


class AnswerBox(QPlainTextEdit):
    """Enter sends, Shift+Enter starts a new line; holding Space in an empty box talks (push-to-talk)."""

    send = Signal()
    talk = Signal(bool)  # Space held down in an empty box / released

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push_to_talk = False  # set while a microphone is usable
        self._talking = False

    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and not event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            self.send.emit()
            return
        if event.key() == Qt.Key.Key_Space and (self._talking or self._wants_talk(event)):
            if not event.isAutoRepeat() and not self._talking:
                self._talking = True
                self.talk.emit(True)
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and self._talking and not event.isAutoRepeat():
            self._talking = False
            self.talk.emit(False)
            return
        super().keyReleaseEvent(event)

    def _wants_talk(self, event: QKeyEvent) -> bool:
        return (
            self.push_to_talk
            and not self.isReadOnly()
            and not self.toPlainText().strip()
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        )


def fit_bubble(bubble: Bubble, room: int) -> None:
    """At most the room the transcript has (a 1024x700 screen beside the desk): wrap, never scroll sideways."""
    bubble.text_label.setMinimumWidth(max(120, min(bubble.natural_width, room - 48)))


class ConversationView(QWidget):
    answer_submitted = Signal(str)
    quit_requested = Signal()
    customer_shown = Signal()  # the customer's line is on screen: the response timer starts

    def __init__(self, assets: Path, typing_delay_ms: int = 900, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assets = assets
        self.typing_delay_ms = typing_delay_ms
        self.scenario: Scenario | None = None
        self.practice = True
        self.turn: CustomerTurn | None = None
        self._pending_answer: Bubble | None = None
        self._bubbles: list[Bubble] = []
        self._build()

    # -- building ----------------------------------------------------------------

    def _build(self) -> None:
        root = QVBoxLayout(self)
        root.setContentsMargins(16, 12, 16, 12)
        root.setSpacing(10)
        self.desk = DeskPanel()
        self.desk.hide()

        header = QHBoxLayout()
        self.avatar = QLabel()
        self.avatar.setFixedSize(64, 64)
        self.avatar.setAccessibleName("Customer picture")
        who = QVBoxLayout()
        self.name_label = QLabel()
        self.name_label.setFont(style.scaled_font(self.font(), 1.35, bold=True))
        self.role_label = QLabel()
        self.role_label.setWordWrap(True)
        self.mode_label = QLabel()
        self.mode_label.setAccessibleName("Mode")
        who.addWidget(self.name_label)
        who.addWidget(self.role_label)
        who.addWidget(self.mode_label)
        mood = QVBoxLayout()
        self.mood_label = QLabel()
        self.mood_label.setAccessibleName("Customer mood")
        self.mood_meter = MoodMeter()
        mood.addWidget(self.mood_label)
        mood.addWidget(self.mood_meter)
        self.timer_label = QLabel("0:00")
        self.timer_label.setAccessibleName("Time on this answer")
        self.timer_label.setToolTip("Time since the customer's last message")
        self.timer_label.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        self.replay_button = QPushButton("↻ Replay")
        self.replay_button.setToolTip("Hear the customer's last line again (Ctrl+R)")
        self.replay_button.setAccessibleName("Replay the customer's last line")
        self.mute_button = QPushButton("Voice on")
        self.mute_button.setCheckable(True)
        self.mute_button.setToolTip("Mute or unmute the customer's voice (Ctrl+M)")
        self.mute_button.setAccessibleName("Mute the customer's voice")
        self.mute_button.toggled.connect(self._show_muted)
        self._show_muted(False)
        self.desk_button = QPushButton("Desk")
        self.desk_button.setCheckable(True)
        self.desk_button.setToolTip("Show or hide your desk: the record, policy, options and colleagues (Ctrl+D)")
        self.desk_button.setAccessibleName("Show your desk")
        self.desk_button.toggled.connect(lambda on: self.desk.setVisible(on and bool(self.desk.desk)))
        self.desk_button.hide()
        self.quit_button = QPushButton("Leave (Esc)")
        self.quit_button.setAccessibleName("Leave the conversation; it can be resumed from the library")
        self.quit_button.clicked.connect(self.quit_requested.emit)
        header.addWidget(self.avatar)
        header.addLayout(who, 3)
        header.addLayout(mood, 2)
        header.addSpacing(12)
        header.addWidget(self.timer_label)
        header.addWidget(self.replay_button)
        header.addWidget(self.mute_button)
        header.addWidget(self.desk_button)
        header.addWidget(self.quit_button)
        root.addLayout(header)

        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setAccessibleName("Conversation")
        self.messages = QWidget()
        self.messages_layout = QVBoxLayout(self.messages)
        self.messages_layout.setSpacing(8)
        self.messages_layout.addStretch(1)
        self.scroller.setWidget(self.messages)
        self.scroller.viewport().installEventFilter(self)  # bubbles follow the transcript's width
        # Keep the newest message in view: scroll once the layout has grown, not before.
        self.scroller.verticalScrollBar().rangeChanged.connect(self._follow)
        middle = QHBoxLayout()
        middle.setSpacing(10)
        middle.addWidget(self.scroller, 1)
        middle.addWidget(self.desk)
        root.addLayout(middle, 1)

        self.typing = QLabel()
        self.typing.setAccessibleName("Typing indicator")
        self.typing.hide()
        root.addWidget(self.typing)

        self.criteria_label = QLabel()
        self.criteria_label.setWordWrap(True)
        self.criteria_label.setAccessibleName("Criteria scored on this turn")
        self.hint_label = QLabel()
        self.hint_label.setWordWrap(True)
        self.hint_label.setAccessibleName("Hint")
        self.hint_label.hide()
        root.addWidget(self.criteria_label)
        root.addWidget(self.hint_label)

        entry = QHBoxLayout()
        self.answer = AnswerBox()
        self.answer.setPlaceholderText("Type your answer. Enter sends, Shift+Enter starts a new line.")
        self.answer.setAccessibleName("Your answer")
        self.answer.setMaximumHeight(110)
        self.answer.send.connect(self._send)
        buttons = QVBoxLayout()
        self.send_button = QPushButton("Send")
        self.send_button.setAccessibleName("Send answer")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self._send)
        self.hint_button = QPushButton("Hint (Ctrl+H)")
        self.hint_button.setAccessibleName("Show a hint")
        self.hint_button.clicked.connect(self.show_hint)
        buttons.addWidget(self.send_button)
        buttons.addWidget(self.hint_button)
        answer_column = QVBoxLayout()
        answer_column.addWidget(self.answer)
        self.voice = VoicePanel()
        answer_column.addWidget(self.voice)
        self.answer.talk.connect(lambda on: self.voice.start() if on else self.voice.stop())
        entry.addLayout(answer_column, 1)
        entry.addLayout(buttons)
        root.addLayout(entry)
        self.set_voice(False, False)
        QShortcut(QKeySequence("Ctrl+Space"), self, self.voice.toggle)
        QShortcut(QKeySequence("Ctrl+R"), self, self.replay_button.click)
        QShortcut(QKeySequence("Ctrl+M"), self, self.mute_button.toggle)

        QShortcut(QKeySequence("Ctrl+H"), self, self.show_hint)
        QShortcut(QKeySequence("Ctrl+D"), self, self.toggle_desk)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.quit_requested.emit)

        self._clock = QElapsedTimer()
        self._ticker = QTimer(self)
        self._ticker.setInterval(500)
        self._ticker.timeout.connect(self._tick)
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.timeout.connect(self._reveal)
        self._queued: CustomerTurn | None = None
        self.setStyleSheet(
            "QFrame#theirBubble { border-radius: 12px; background: palette(alternate-base);"
            " border: 1px solid palette(mid); }"
            "QFrame#mineBubble { border-radius: 12px; background: rgba(63, 111, 216, 40);"
            " border: 1px solid rgba(63, 111, 216, 120); }"
        )

    # -- what the controller calls -------------------------------------------------

    def begin(self, scenario: Scenario, practice: bool, history: list[TurnResult]) -> None:
        """A new or resumed attempt: header, mode, and the conversation so far."""
        self.scenario = scenario
        self.practice = practice
        persona = scenario.persona
        self.avatar.setPixmap(avatar_pixmap(self.assets, persona.avatar, persona.name, 64))
        self.name_label.setText(persona.name)
        self.role_label.setText(persona.role)
        channel = scenario.channel.value
        self.mode_label.setText(f"{scenario.title} · {channel} · {'practice' if practice else 'assessment'} mode")
        self.hint_button.setVisible(practice)
        self.criteria_label.setVisible(practice)
        self.hint_label.hide()
        self.desk.show_desk(scenario.desk)
        self.desk_button.setVisible(bool(scenario.desk))
        self.desk_button.setChecked(bool(scenario.desk))
        self._clear()
        for result in history:
            self._add(Bubble(result.customer_line, False, persona.name))
            bubble = self._add(Bubble(result.answer, True, "You"))
            if practice:
                self._set_verdict(bubble, result)
        self.set_mood(history[-1].mood_after if history else persona.mood)
        self.answer.clear()
        self.answer.setFocus()

    def _show_muted(self, muted: bool) -> None:
        # Standard icons: emoji glyphs are missing from many Linux fonts and showed as boxes.
        icon = QStyle.StandardPixmap.SP_MediaVolumeMuted if muted else QStyle.StandardPixmap.SP_MediaVolume
        self.mute_button.setIcon(self.style().standardIcon(icon))
        self.mute_button.setText("Muted" if muted else "Voice on")

    def set_voice(self, speaking: bool, listening: bool) -> None:
        """Show the customer-voice buttons and the microphone panel (phone scenarios with voice)."""
        self.replay_button.setVisible(speaking)
        self.mute_button.setVisible(speaking)
        self.voice.setVisible(listening)
        self.answer.push_to_talk = listening and self.voice.button.isEnabled()
        if listening:
            self.answer.setPlaceholderText(
                "Hold Space (or click Speak) to answer aloud, or type. Check the text, then press Enter."
            )
        else:
            self.answer.setPlaceholderText("Type your answer. Enter sends, Shift+Enter starts a new line.")

    def set_recognized(self, text: str) -> None:
        """What the recogniser heard, for the trainee to check and correct before sending."""
        self.answer.setPlainText(text)
        self.answer.moveCursor(QTextCursor.MoveOperation.End)
        self.answer.setFocus()
        if text:
            self.voice.say("Check the text: correct any word the recogniser got wrong, then press Enter to send.")
        else:
            self.voice.say("I couldn't make out any words. Try again, or type your answer.")

    def show_customer(self, turn: CustomerTurn) -> None:
        """The customer's next line; in chat and email it arrives after a short typing indicator."""
        self.turn = turn
        self.set_busy(True)
        assert self.scenario is not None
        if self.typing_delay_ms > 0 and self.scenario.channel.value in ("chat", "email"):
            verb = "is typing…" if self.scenario.channel.value == "chat" else "is writing an email…"
            self.typing.setText(f"{self.scenario.persona.name} {verb}")
            self.typing.show()
            self._queued = turn
            self._typing_timer.start(self.typing_delay_ms)
        else:
            self._queued = turn
            self._reveal()

    def show_result(self, result: TurnResult) -> None:
        """The verdict on the answer just sent (practice mode only) and the new mood."""
        if self._pending_answer is not None and self.practice:
            self._set_verdict(self._pending_answer, result)
        self._pending_answer = None
        self.set_mood(result.mood_after)

    def answer_failed(self, text: str) -> None:
        """Saving the answer failed: take the bubble back and give the text back to the trainee."""
        if self._pending_answer is not None:
            self._bubbles.remove(self._pending_answer)
            self._pending_answer.deleteLater()
            self._pending_answer = None
        self.answer.setPlainText(text)
        self.set_busy(False)

    def set_mood(self, value: int) -> None:
        self.mood_meter.set_mood(value)
        self.mood_label.setText(f"Customer: {mood_words.text(value)}")

    def set_busy(self, busy: bool) -> None:
        self.send_button.setEnabled(not busy)
        self.answer.setReadOnly(busy)

    def toggle_desk(self) -> None:
        if self.desk_button.isVisible():
            self.desk_button.toggle()

    def show_hint(self) -> None:
        if not self.practice or self.turn is None:
            return
        self.hint_label.setText(f"Hint: {self.turn.hint or 'No hint for this turn.'}")
        self.hint_label.show()

    def bubbles(self) -> list[Bubble]:
        """The messages on screen, oldest first."""
        return list(self._bubbles)

    # -- internals ------------------------------------------------------------------

    def _send(self) -> None:
        text = self.answer.toPlainText().strip()
        if not text or not self.send_button.isEnabled() or self.turn is None:
            return
        self._ticker.stop()
        self.hint_label.hide()
        self._pending_answer = self._add(Bubble(text, True, "You"))
        self.answer.clear()
        self.set_busy(True)
        self.answer_submitted.emit(text)

    def _reveal(self) -> None:
        turn, self._queued = self._queued, None
        self.typing.hide()
        if turn is None or self.scenario is None:
            return
        self._add(Bubble(turn.text, False, self.scenario.persona.name))
        labels = ", ".join(c.label for c in turn.criteria)
        self.criteria_label.setText(f"This turn is scored on: {labels}")
        self._clock.start()
        self._ticker.start()
        self._tick()
        self.set_busy(False)
        self.answer.setFocus()
        self.customer_shown.emit()

    def _tick(self) -> None:
        seconds = self._clock.elapsed() // 1000 if self._clock.isValid() else 0
        self.timer_label.setText(f"{seconds // 60}:{seconds % 60:02d}")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroller.viewport() and event.type() == QEvent.Type.Resize:
            for bubble in self._bubbles:
                fit_bubble(bubble, self.scroller.viewport().width())
        return super().eventFilter(watched, event)

    def _add(self, bubble: Bubble) -> Bubble:
        fit_bubble(bubble, self.scroller.viewport().width())
        row = QHBoxLayout()
        if bubble.mine:
            row.addStretch(1)
        row.addWidget(bubble)
        if not bubble.mine:
            row.addStretch(1)
        self.messages_layout.insertLayout(self.messages_layout.count() - 1, row)
        self._bubbles.append(bubble)
        return bubble

    def _follow(self, _minimum: int, maximum: int) -> None:
        self.scroller.verticalScrollBar().setValue(maximum)

    def _clear(self) -> None:
        while self.messages_layout.count() > 1:
            item = self.messages_layout.takeAt(0)
            layout = item.layout() if item is not None else None
            if layout is not None:
                while layout.count():
                    child = layout.takeAt(0)
                    widget = child.widget() if child is not None else None
                    if widget is not None:
                        widget.deleteLater()
        self._pending_answer = None
        self._bubbles = []

    @staticmethod
    def _set_verdict(bubble: Bubble, result: TurnResult) -> None:
        parts = []
        dark = style.is_dark(bubble)
        for criterion in result.score.criteria:
            color = style.MET if criterion.met else style.MISSED
            if dark:  # the meaning colours are too dim on a dark bubble
                color = color.lighter(170)
            mark = "✓" if criterion.met else "✗"
            parts.append(f'<span style="color:{color.name()}">{mark} {criterion.label}</span>')
        change = result.mood_change
        mood = mood_words.change(change)
        bubble.verdict.setText(
            f"<small>Turn score {result.score.score:.0f} · customer {mood}<br>{' &nbsp; '.join(parts)}</small>"
        )
        bubble.verdict.setAccessibleName(
            "Verdict: " + ", ".join(f"{c.label} {'met' if c.met else 'missed'}" for c in result.score.criteria)
        )
        bubble.verdict.show()
