"""Playtest from any node, with mood and variables shown and editable, verdicts for every answer."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from simulator.core import mood as mood_words
from simulator.core.engine import EngineError, Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer


def _parse(text: str, like: object) -> bool | int | float | str:
    """A variable typed into the table, read as the type the scenario declared."""
    if isinstance(like, bool):
        return text.strip().lower() in ("true", "yes", "1", "on")
    if isinstance(like, int):
        return int(text)
    if isinstance(like, float):
        return float(text)
    return text


class PlaytestPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.scenario: Scenario | None = None
        self.session: Session | None = None
        self.scorer = RubricScorer()
        self.node = QComboBox()
        self.node.setAccessibleName("Start from node")
        self.mood = QSpinBox()
        self.mood.setRange(0, 100)
        self.mood.setAccessibleName("Starting mood")
        self.variables = QTableWidget(0, 2)
        self.variables.setHorizontalHeaderLabels(["Variable", "Value"])
        self.variables.horizontalHeader().setStretchLastSection(True)
        self.variables.setAccessibleName("Variables")
        self.variables.setMaximumHeight(130)
        self.start_button = QPushButton("&Start here")
        self.start_button.setToolTip("Start (or restart) the playtest from the chosen node (F5)")
        self.start_button.clicked.connect(self.restart)
        self.state = QLabel()
        self.state.setAccessibleName("Playtest state")
        self.state.setWordWrap(True)  # one long line (node, mood, criteria) widened the studio past a laptop screen
        self.transcript = QTextBrowser()
        self.transcript.setAccessibleName("Playtest transcript")
        self.answer = QLineEdit()
        self.answer.setPlaceholderText("Answer as a trainee would, then press Enter")
        self.answer.setAccessibleName("Playtest answer")
        self.answer.returnPressed.connect(self.send)
        top = QHBoxLayout()
        top.addWidget(QLabel("From"))
        top.addWidget(self.node, 1)
        top.addWidget(QLabel("Mood"))
        top.addWidget(self.mood)
        top.addWidget(self.start_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.variables)
        layout.addWidget(self.state)
        layout.addWidget(self.transcript, 1)
        layout.addWidget(self.answer)

    def set_scenario(self, scenario: Scenario | None, node_id: str | None = None) -> None:
        """A new version of the scenario (after an edit): keep the chosen node if it still exists."""
        self.scenario = scenario
        current = node_id or self.node.currentText()
        self.node.clear()
        enabled = scenario is not None
        for widget in (self.start_button, self.answer):
            widget.setEnabled(enabled)
        if scenario is None:
            self.state.setText("The scenario has problems: fix them to playtest.")
            return
        self.node.addItems([node.id for node in scenario.nodes])
        self.node.setCurrentText(current if current in [n.id for n in scenario.nodes] else scenario.start)
        self.mood.setValue(scenario.persona.mood)
        self.variables.setRowCount(len(scenario.variables))
        for row, (name, value) in enumerate(scenario.variables):
            key = QTableWidgetItem(name)
            key.setFlags(key.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.variables.setItem(row, 0, key)
            self.variables.setItem(
                row, 1, QTableWidgetItem(str(value).lower() if isinstance(value, bool) else str(value))
            )

    def forget(self) -> None:
        """Another scenario was opened: nothing of the last one's playtest may stay on screen."""
        self.session = None
        self.transcript.clear()
        self.answer.clear()
        self.set_scenario(None)
        self.state.setText("Checking the scenario…")

    def restart(self) -> None:
        if self.scenario is None:
            return
        defaults = dict(self.scenario.variables)
        chosen: dict[str, bool | int | float | str] = {}
        for row in range(self.variables.rowCount()):
            name_item, value_item = self.variables.item(row, 0), self.variables.item(row, 1)
            if name_item is None or value_item is None:
                continue
            try:
                chosen[name_item.text()] = _parse(value_item.text(), defaults.get(name_item.text()))
            except ValueError:
                self.state.setText(f"{name_item.text()}: {value_item.text()!r} is not a number.")
                return
        self.session = Session(self.scenario, self.scorer)
        try:
            turn = self.session.start_at(self.node.currentText(), mood=self.mood.value(), variables=chosen)
        except EngineError as exc:
            self.state.setText(str(exc))
            return
        self.transcript.clear()
        self._customer(turn.node_id, turn.text)
        self._show_state()
        self.answer.setFocus()

    def send(self) -> None:
        text = self.answer.text().strip()
        if not text or self.session is None or self.session.finished:
            return
        self.answer.clear()
        result = self.session.respond(text)
        verdicts = []
        for criterion in result.score.criteria:
            mark = "✓" if criterion.met else "✗"
            colour = "#2e7d32" if criterion.met else "#c62828"
            evidence = ", ".join(f"“{html.escape(text[a:b])}”" for a, b in criterion.evidence[:2])
            verdicts.append(
                f"<span style='color:{colour}'>{mark} {html.escape(criterion.label)}</span>"
                + (f" <small>{evidence}</small>" if evidence else "")
            )
        self.transcript.append(
            f"<p><b>You:</b> {html.escape(text)}<br><small>score {result.score.score:.0f} · customer "
            f"{mood_words.change(result.mood_change)} · to {html.escape(result.target)}</small><br>"
            f"{'<br>'.join(verdicts)}</p>"
        )
        if self.session.current is not None and not self.session.finished:
            self._customer(self.session.current.node_id, self.session.current.text)
        elif self.session.ending is not None:
            ending = self.session.ending
            words = self.session.ending_words()
            line, debrief = (words.line, words.debrief) if words else ("", "")
            self.transcript.append(
                f"<p><b>Ending: {html.escape(ending.title)}</b> ({ending.outcome.value})<br>"
                f"<i>{html.escape(line)}</i><br><small>{html.escape(debrief)}</small></p>"
            )
        self._show_state()

    def _customer(self, node_id: str, text: str) -> None:
        self.transcript.append(f"<p><b>Customer</b> <small>[{html.escape(node_id)}]</small>: {html.escape(text)}</p>")

    def _show_state(self) -> None:
        if self.session is None:
            return
        variables = ", ".join(f"{k}={v}" for k, v in self.session.variables.items()) or "no variables"
        where = self.session.current.node_id if self.session.current and not self.session.finished else "ended"
        facts = ", ".join(f"{k}={v}" for k, v in self.session.memory.fact_values().items()) or "none"
        self.state.setText(
            f"Node: {where} · customer {mood_words.text(self.session.mood)} · {variables} · facts: {facts}"
        )
