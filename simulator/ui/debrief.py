"""The end-of-attempt debrief: how it ended, the score per criterion, the path taken and every answer.

Presentation only: everything shown is read from the :class:`AttemptSummary`
and :class:`TurnResult` objects the engine produced; nothing is re-scored.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeySequence, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from simulator.application.data import SpokenAnswer
from simulator.core import mood as mood_words
from simulator.core import recap
from simulator.core.engine import AttemptSummary, TurnResult, stored_ending_words
from simulator.core.model import Scenario
from simulator.core.scoring.types import CriterionResult
from simulator.ui import style
from simulator.ui.path_graph import PathGraph

MINUS = "\N{MINUS SIGN}"


# -- pure helpers (no widgets) ---------------------------------------------------


def css_color(color: QColor) -> str:
    """A colour as CSS ``rgba(...)``, which Qt rich text blends over the background."""
    return f"rgba({color.red()}, {color.green()}, {color.blue()}, {color.alphaF():.3f})"


def bar_color(value: float) -> QColor:
    if value >= 0.7:
        return style.MET
    if value >= 0.4:
        return style.NEAR_MISS
    return style.MISSED


def percent(value: float) -> str:
    return f"{round(max(0.0, min(1.0, value)) * 100)}%"


def criterion_label(scenario: Scenario, criterion_id: str) -> str:
    try:
        return scenario.criterion(criterion_id).label
    except KeyError:
        return criterion_id.replace("_", " ")


def criterion_colors(scenario: Scenario, extra_ids: Iterable[str] = ()) -> dict[str, QColor]:
    """One highlight per criterion; criteria without a fixed colour take the cycling ones in rubric order."""
    ids = list(dict.fromkeys([*(spec.id for spec in scenario.rubric), *extra_ids]))
    colors: dict[str, QColor] = {}
    index = 0
    for criterion_id in ids:
        colors[criterion_id] = style.criterion_color(criterion_id, index)
        if criterion_id not in style.CRITERION_COLORS:
            index += 1
    return colors


def answer_html(answer: str, results: Sequence[CriterionResult], colors: dict[str, QColor]) -> str:
    """The answer as inline HTML with evidence highlighted per criterion and flagged spans underlined.

    The answer is cut at every span boundary; each piece takes the colour of the first criterion
    whose evidence covers it, and its title names every criterion covering or flagging it.
    """
    size = len(answer)

    def clamp(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
        return [(max(0, a), min(size, b)) for a, b in spans if min(size, b) > max(0, a)]

    evidence = {r.id: clamp(r.evidence) for r in results if r.met or r.review is None}  # not for a reviewed miss
    flags = {r.id: clamp(r.flags) for r in results}
    labels = {r.id: r.label for r in results}
    bounds = sorted({0, size, *(p for spans in [*evidence.values(), *flags.values()] for s in spans for p in s)})
    pieces: list[str] = []
    for start, end in pairwise(bounds):
        text = html.escape(answer[start:end])
        covering = [cid for cid, spans in evidence.items() if any(a <= start and end <= b for a, b in spans)]
        flagged = [cid for cid, spans in flags.items() if any(a <= start and end <= b for a, b in spans)]
        pieces.append(_piece(text, covering, flagged, labels, colors))
    return "".join(pieces)


def _piece(
    text: str, covering: list[str], flagged: list[str], labels: dict[str, str], colors: dict[str, QColor]
) -> str:
    """One piece of the answer: plain, or a span coloured by its first criterion and/or underlined as flagged."""
    if not covering and not flagged:
        return text
    styles: list[str] = []
    titles: list[str] = []
    classes: list[str] = []
    if covering:
        styles.append(f"background-color: {css_color(colors.get(covering[0], style.criterion_color('')))}")
        titles.append(", ".join(labels[c] for c in covering))
        classes += [f"ev-{c}" for c in covering]
    if flagged:
        styles += ["text-decoration: underline", f"color: {style.MISSED.name()}"]
        titles.append("Flagged: " + ", ".join(labels[c] for c in flagged))
        classes += [f"flag-{c}" for c in flagged]
    title = html.escape(" · ".join(titles), quote=True)
    return f'<span class="{html.escape(" ".join(classes))}" style="{"; ".join(styles)}" title="{title}">{text}</span>'


# -- small widgets ---------------------------------------------------------------


def make_label(
    text: str,
    name: str | None = None,
    *,
    rich: bool = False,
    font: QFont | None = None,
    wrap: bool = True,
) -> QLabel:
    """A label that says what it shows to assistive technology too."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    label.setAccessibleName(name if name is not None else text)
    if font is not None:
        label.setFont(font)
    return label


def section_heading(text: str, base: QFont) -> QLabel:
    label = make_label(text, font=style.scaled_font(base, 1.25, bold=True))
    label.setContentsMargins(0, 12, 0, 2)
    return label


class ScoreBar(QWidget):
    """A thin horizontal bar, filled to ``value`` (0..1) in the colour its value earns."""

    def __init__(self, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value = max(0.0, min(1.0, value))
        self.color = bar_color(self.value)
        self.setMinimumWidth(120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(240, max(12, self.fontMetrics().height() - 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        rect = QRectF(self.rect()).adjusted(0.5, 2.5, -0.5, -2.5)
        radius = rect.height() / 2
        track = QColor(self.palette().color(QPalette.ColorRole.WindowText))
        track.setAlpha(40)
        painter.setBrush(track)
        painter.drawRoundedRect(rect, radius, radius)
        if self.value > 0:
            filled = QRectF(rect)
            filled.setWidth(max(rect.height(), rect.width() * self.value))
            painter.setBrush(self.color)
            painter.drawRoundedRect(filled, radius, radius)
        painter.end()


@dataclass(frozen=True)
class CriterionRow:
    criterion_id: str
    label: QLabel
    bar: ScoreBar
    percent: QLabel


class CriteriaPanel(QWidget):
    """One row per criterion: its label, a bar and the percentage."""

    def __init__(self, scenario: Scenario, criteria: dict[str, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.rows: list[CriterionRow] = []
        for line, (criterion_id, value) in enumerate(criteria.items()):
            text = criterion_label(scenario, criterion_id)
            spoken = f"{text}: {percent(value)}"
            label = make_label(text, spoken, wrap=False)
            bar = ScoreBar(value)
            bar.setAccessibleName(spoken)
            bar.setToolTip(spoken)
            pct = make_label(percent(value), spoken, wrap=False)
            pct.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            pct.setMinimumWidth(pct.fontMetrics().horizontalAdvance("100%") + 4)
            grid.addWidget(label, line, 0)
            grid.addWidget(bar, line, 1)
            grid.addWidget(pct, line, 2)
            self.rows.append(CriterionRow(criterion_id, label, bar, pct))
        if not self.rows:
            grid.addWidget(make_label("No answers were scored."), 0, 0)


class OutcomeBadge(QLabel):
    """The outcome as a coloured pill; its text colour is whichever palette colour contrasts more."""

    def __init__(self, outcome: str, parent: QWidget | None = None) -> None:
        super().__init__(style.OUTCOME_LABELS.get(outcome, outcome.replace("_", " ")), parent)
        self.outcome = outcome
        color = style.OUTCOME_COLORS.get(outcome, style.ACCENT)
        text = _contrasting(color, self.palette())
        self.setStyleSheet(
            f"QLabel {{ background-color: {color.name()}; color: {text.name()};"
            " border-radius: 9px; padding: 2px 10px; font-weight: bold; }"
        )
        self.setAccessibleName(f"Outcome: {self.text()}")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)


def _contrasting(background: QColor, palette: QPalette) -> QColor:
    candidates = [palette.color(QPalette.ColorRole.Window), palette.color(QPalette.ColorRole.WindowText)]
    return max(candidates, key=lambda c: abs(c.lightnessF() - background.lightnessF()))


# -- the sections ----------------------------------------------------------------


class DebriefHeader(QWidget):
    """Ending title and outcome, the customer's last words, the debrief text and the overall score."""

    def __init__(
        self,
        scenario: Scenario,
        summary: AttemptSummary,
        history: list[TurnResult],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        base = self.font()
        ending = summary.ending
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        left = QVBoxLayout()
        row.addLayout(left, 1)
        left.addWidget(make_label(f"{scenario.title} · debrief", font=style.scaled_font(base, 0.95)))
        title_row = QHBoxLayout()
        title_row.setSpacing(14)
        self.outcome_badge: OutcomeBadge | None = None
        if ending is not None:
            self.outcome_badge = OutcomeBadge(ending.outcome.value)
            title_row.addWidget(self.outcome_badge, 0, Qt.AlignmentFlag.AlignVCenter)
        title = ending.title if ending else "Not finished"
        self.title_label = make_label(title, f"Ending: {title}", font=style.scaled_font(base, 1.7, bold=True))
        title_row.addWidget(self.title_label, 1)
        left.addLayout(title_row)
        if ending is not None:
            words = stored_ending_words(scenario, ending, history)
            if words.line:
                quote = f"“{words.line}” — {scenario.persona.name}"
                self.line_label = make_label(quote, f"{scenario.persona.name} said: {words.line}")
                italic = style.scaled_font(base, 1.1)
                italic.setItalic(True)
                self.line_label.setFont(italic)
                left.addWidget(self.line_label)
            self.debrief_label = make_label(words.debrief)
        else:
            self.debrief_label = make_label("The conversation stopped before it reached an ending.")
        left.addWidget(self.debrief_label)
        row.addSpacing(24)
        row.addLayout(self._score_block(summary, base))

    def _score_block(self, summary: AttemptSummary, base: QFont) -> QVBoxLayout:
        block = QVBoxLayout()
        block.setSpacing(2)
        score = "unfinished" if summary.score is None else f"{summary.score:.0f} / 100"
        said = f"Overall score {score}" + (", with your trainer's review" if summary.reviewed else "")
        self.score_label = make_label(score, said, font=style.scaled_font(base, 2.6, bold=True))
        self.score_label.setWordWrap(False)
        self.score_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        answers = f"{summary.turns} answer{'s' if summary.turns != 1 else ''}"
        if summary.reviewed:
            answers += " · reviewed by your trainer"
        self.answers_label = make_label(answers, wrap=False)
        self.answers_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        block.addWidget(self.score_label)
        block.addWidget(self.answers_label)
        self.auto_failed_label: QLabel | None = None
        if summary.auto_failed:
            self.auto_failed_label = make_label(
                "auto-failed", "Auto-failed: a must-meet criterion was missed", font=style.scaled_font(base, 1.0, True)
            )
            self.auto_failed_label.setStyleSheet(f"color: {style.MISSED.name()}")
            self.auto_failed_label.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.auto_failed_label.setToolTip("A criterion that must be met was missed, so that turn scored 0.")
            block.addWidget(self.auto_failed_label)
        block.addStretch(1)
        return block


def delivery_text(answer: str, spoken: SpokenAnswer) -> str:
    """Pace, fillers and time to start of a spoken answer, in words a trainee reads at a glance."""
    from simulator.core.scoring.delivery import delivery_metrics

    metrics = delivery_metrics(spoken.recognized_text, spoken.audio_seconds, spoken.speech_start)
    parts = [f"{metrics.words_per_minute:.0f} words a minute"]
    if metrics.fillers:
        parts.append("fillers: " + ", ".join(f"“{name}” ×{count}" for name, count in metrics.fillers.items()))
    else:
        parts.append("no filler words")
    if spoken.speech_start is not None:
        parts.append(f"started speaking after {spoken.speech_start:.1f} s")
    if " ".join(answer.split()) != " ".join(spoken.recognized_text.split()):
        parts.append(f"recogniser heard: “{spoken.recognized_text}”")
    return " · ".join(parts)


class TurnCard(QFrame):
    """One answer: what the customer said, the highlighted answer, what was missed and a model answer."""

    play_requested = Signal(object)  # the recording's Path

    def __init__(
        self,
        scenario: Scenario,
        result: TurnResult,
        colors: dict[str, QColor],
        parent: QWidget | None = None,
        *,
        spoken: SpokenAnswer | None = None,
        recording: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.result = result
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setForegroundRole(QPalette.ColorRole.Text)
        self.setAutoFillBackground(True)
        base = self.font()
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        number = result.index + 1
        self.setAccessibleName(f"Turn {number}")
        header = QHBoxLayout()
        header.addWidget(make_label(f"Turn {number}", font=style.scaled_font(base, 1.15, bold=True)), 1)
        self.score_label = make_label(self._score_text(scenario), wrap=False)
        header.addWidget(self.score_label)
        layout.addLayout(header)
        name = scenario.persona.name
        line = result.customer_line.strip()
        self.customer_label = make_label(
            f"<b>{html.escape(name)}:</b> <i>{html.escape(line)}</i>", f"{name} said: {line}", rich=True
        )
        layout.addWidget(self.customer_label)
        self.answer_html = answer_html(result.answer, result.score.criteria, colors)
        self.answer_label = make_label(
            f'<p style="white-space: pre-wrap"><b>You:</b> {self.answer_html}</p>',
            f"You said: {result.answer}",
            rich=True,
        )
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.answer_label)
        self.legend_label = make_label(self._legend(colors), self._legend_name(), rich=True)
        layout.addWidget(self.legend_label)
        self.missed_label = make_label(self._missed_html(), self._missed_text(), rich=True)
        layout.addWidget(self.missed_label)
        self.review_label: QLabel | None = None
        reviews = self._reviews()
        if reviews:
            self.review_label = make_label(
                "<b>Your trainer's review:</b><br>" + "<br>".join(html.escape(r) for r in reviews),
                "Your trainer's review: " + " ".join(reviews),
                rich=True,
            )
            layout.addWidget(self.review_label)
        model = self._model_answer(scenario)
        self.model_label: QLabel | None = None
        if model:
            self.model_label = make_label(
                f"<b>Model answer:</b> {html.escape(model)}", f"Model answer: {model}", rich=True
            )
            self.model_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(self.model_label)
        self.delivery_label: QLabel | None = None
        self.play_button: QPushButton | None = None
        if spoken is not None:
            row = QHBoxLayout()
            text = delivery_text(result.answer, spoken)
            self.delivery_label = make_label(f"<b>Spoken:</b> {html.escape(text)}", f"Spoken: {text}", rich=True)
            row.addWidget(self.delivery_label, 1)
            if recording is not None:
                self.play_button = QPushButton("▶ Play recording")
                self.play_button.setAccessibleName(f"Play your spoken answer to turn {number}")
                self.play_button.clicked.connect(lambda: self.play_requested.emit(recording))
                row.addWidget(self.play_button)
            layout.addLayout(row)

    def _score_text(self, scenario: Scenario) -> str:
        text = f"Turn score {self.result.score.score:.0f} · customer {mood_words.change(self.result.mood_change)}"
        reasons = self.result.score.auto_fail_reasons(self.result.answer)
        if reasons:
            text += " · auto-failed. " + " ".join(reasons)
        return text

    def _reviews(self) -> list[str]:
        """One sentence per verdict a trainer overrode: what it is now, why, and what the scorer said."""
        lines = []
        for c in self.result.score.criteria:
            if c.review is None:
                continue
            now, then = ("met" if c.met else "missed"), ("met" if c.review.scorer_met else "missed")
            who = c.review.trainer or "Your trainer"
            lines.append(f"{c.label}: {now} — {who}: “{c.review.comment}” (the scorer said {then}).")
        return lines

    def _met(self) -> list[CriterionResult]:
        return [c for c in self.result.score.criteria if c.met]

    def _missed(self) -> list[CriterionResult]:
        return [c for c in self.result.score.criteria if not c.met]

    def _legend(self, colors: dict[str, QColor]) -> str:
        met = self._met()
        if not met:
            return "<small>Met: none</small>"
        pills = " ".join(
            f'<span style="background-color: {css_color(colors.get(c.id, style.criterion_color(c.id)))}">'
            f"&nbsp;✓ {html.escape(c.label)}&nbsp;</span>"
            for c in met
        )
        legend = f"<small>Met: {pills}</small>"
        if any(c.flags for c in self.result.score.criteria):
            legend += f' <small><u style="color: {style.MISSED.name()}">underlined</u> = flagged words</small>'
        return legend

    def _legend_name(self) -> str:
        met = self._met()
        return "Met: " + (", ".join(c.label for c in met) if met else "none")

    def _missed_html(self) -> str:
        missed = self._missed()
        if not missed:
            return "<b>What was missed:</b> nothing — every criterion of this turn was met."
        items = []
        for c in missed:
            near = " (near miss)" if c.score > 0 else ""
            item = f'<span style="color: {style.MISSED.name()}">✗</span> <b>{html.escape(c.label)}</b>{near}'
            if c.review is not None:  # the scorer's feedback was for its own verdict: the trainer's reason instead
                item += f" — your trainer: {html.escape(c.review.comment)}"
            elif c.feedback:
                item += f" — {html.escape(c.feedback)}"
            if c.example:
                item += f"<br><i>Try: “{html.escape(c.example)}”</i>"
            items.append(f"<li>{item}</li>")
        return f'<b>What was missed</b><ul style="margin-top: 2px">{"".join(items)}</ul>'

    def _missed_text(self) -> str:
        missed = self._missed()
        if not missed:
            return "What was missed: nothing"
        return "What was missed: " + "; ".join(
            f"{c.label}: {c.review.comment if c.review is not None else c.feedback}" for c in missed
        )

    def _model_answer(self, scenario: Scenario) -> str:
        try:
            return " ".join(scenario.node(self.result.node_id).model_answer.split())
        except KeyError:
            return ""


# -- the view --------------------------------------------------------------------


def recap_html(found: recap.Recap) -> str:
    """The recap as two short lists: what was done (with the words) and what was missed."""
    met, missed = style.MET.name(), style.MISSED.name()
    parts = [f"<p><b>{html.escape(found.headline)}</b></p>"]
    if found.done:
        rows = "".join(
            f'<li><span style="color:{met}">✓</span> {html.escape(d.label)} '
            f"<small>({html.escape(d.where)})</small></li>"
            for d in found.done
        )
        parts.append(f"<ul style='margin-left:-20px'>{rows}</ul>")
    if found.missed:
        rows = "".join(
            f'<li><span style="color:{missed}">✗</span> {html.escape(m.label)} '
            f"<small>(turn{'s' if len(m.turns) > 1 else ''} {', '.join(str(t) for t in m.turns)})</small></li>"
            for m in found.missed
        )
        parts.append(f"<p>Still to work on:</p><ul style='margin-left:-20px'>{rows}</ul>")
    if found.facts:
        given = found.facts_text(lambda value: f"<b>{html.escape(value)}</b>")
        parts.append(f"<p><small>You gave {given}.</small></p>")
    return "".join(parts)


class DebriefView(QWidget):
    """What a trainee sees when an attempt ends; ``show_attempt`` fills it."""

    retry_requested = Signal()
    library_requested = Signal()
    play_requested = Signal(object)  # a recording's Path

    def __init__(self, parent: QWidget | None = None) -> None:
        self._attempt: tuple[Scenario, AttemptSummary, Sequence[TurnResult]] | None = None
        super().__init__(parent)
        self.setAccessibleName("Debrief")
        self.header: DebriefHeader | None = None
        self.criteria_panel: CriteriaPanel | None = None
        self.path_graph: PathGraph | None = None
        self.turn_cards: list[TurnCard] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll_area.setAccessibleName("Debrief content")
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self._buttons())

    def _buttons(self) -> QWidget:
        bar = QFrame()
        bar.setFrameShape(QFrame.Shape.NoFrame)
        row = QHBoxLayout(bar)
        row.setContentsMargins(16, 8, 16, 12)
        row.addStretch(1)
        self.retry_button = self._button("Try again", "Ctrl+R", "Play this scenario again")
        self.retry_button.clicked.connect(lambda: self.retry_requested.emit())
        self.library_button = self._button("Choose another scenario", "Ctrl+L", "Back to the scenario library")
        self.library_button.clicked.connect(lambda: self.library_requested.emit())
        row.addWidget(self.library_button)
        row.addWidget(self.retry_button)
        self.retry_button.setDefault(True)
        return bar

    @staticmethod
    def _button(text: str, keys: str, description: str) -> QPushButton:
        button = QPushButton(text)
        button.setShortcut(QKeySequence(keys))
        shortcut = QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)
        button.setToolTip(f"{description} ({shortcut})")
        button.setAccessibleName(text)
        button.setAccessibleDescription(f"{description}; shortcut {shortcut}")
        return button

    def show_attempt(
        self,
        scenario: Scenario,
        summary: AttemptSummary,
        history: Sequence[TurnResult],
        spoken: Mapping[int, SpokenAnswer] | None = None,
        folder: Path | None = None,
    ) -> None:
        """Show the debrief of one attempt, replacing whatever was shown before.

        ``spoken`` holds, by turn index, how spoken answers were heard; recordings are under ``folder``.
        """
        spoken = spoken or {}
        self._attempt = (scenario, summary, history)
        content = QWidget()
        content.setAccessibleName(f"Debrief of {scenario.title}")
        column = QVBoxLayout(content)
        column.setContentsMargins(20, 16, 20, 16)
        column.setSpacing(6)
        base = self.font()
        self.header = DebriefHeader(scenario, summary, list(history))
        column.addWidget(self.header)
        column.addWidget(section_heading("In this attempt", base))
        found = recap.build(scenario, history)
        self.recap_label = make_label(recap_html(found), "\n".join(found.lines()), rich=True)
        column.addWidget(self.recap_label)
        reasons = [
            f"Answer {n}: {reason}"
            for n, turn in enumerate(history, 1)
            for reason in turn.score.auto_fail_reasons(turn.answer)
        ]
        self.auto_fail_reasons: QLabel | None = None
        if reasons:
            self.auto_fail_reasons = make_label("Why it auto-failed:\n" + "\n".join(reasons))
            self.auto_fail_reasons.setStyleSheet(f"color: {style.MISSED.name()}")
            column.addWidget(self.auto_fail_reasons)
        column.addWidget(section_heading("Score per criterion", base))
        self.criteria_panel = CriteriaPanel(scenario, summary.criteria)
        column.addWidget(self.criteria_panel)
        column.addWidget(section_heading("Your path through the conversation", base))
        self.path_graph = PathGraph()
        self.path_graph.show_path(scenario, history)
        column.addWidget(self.path_graph)
        column.addWidget(
            make_label(
                "Bold blue: the turns and endings you reached. Faint: paths not taken. "
                "Endings are coloured by outcome; hover a box to read the customer's line."
            )
        )
        column.addWidget(section_heading("Answer by answer", base))
        colors = criterion_colors(scenario, (c.id for r in history for c in r.score.criteria))
        self.turn_cards = []
        for result in history:
            heard = spoken.get(result.index)
            recording = folder / heard.recording if heard and heard.recording and folder else None
            card = TurnCard(scenario, result, colors, spoken=heard, recording=recording)
            card.play_requested.connect(self.play_requested.emit)
            self.turn_cards.append(card)
            column.addWidget(card)
        if not self.turn_cards:
            column.addWidget(make_label("No answers were given."))
        column.addStretch(1)
        self.scroll_area.setWidget(content)
        self.scroll_area.verticalScrollBar().setValue(0)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._attempt is not None:
            self.show_attempt(*self._attempt)
