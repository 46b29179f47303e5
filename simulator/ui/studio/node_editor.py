"""The form for one customer turn or ending; each field edit becomes one undoable command."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.core.authoring.document import ScenarioDocument

Path = tuple[str | int, ...]
OUTCOMES = ("resolved", "escalated", "customer_lost")


class NodeEditor(QWidget):
    """Emits ``edited(path, value)``; the studio turns that into a SetValue command."""

    edited = Signal(object, object)  # path tuple, new value
    add_transition_requested = Signal(str)
    remove_transition_requested = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: ScenarioDocument | None = None
        self.node_id: str | None = None
        self.base: Path = ()
        self._loading = False
        self._emitting = False
        self.title = QLabel("Select a node in the graph")
        self.title.setAccessibleName("Selected node")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.form = QFormLayout()
        self.fields: dict[str, QWidget] = {}
        self.transitions = QTableWidget(0, 4)
        self.transitions.setHorizontalHeaderLabels(["When", "Goes to", "Mood", "Note"])
        self.transitions.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.transitions.setAccessibleName("Transitions")
        self.transitions.itemChanged.connect(self._transition_edited)
        self.add_button = QPushButton("&Add transition")
        self.add_button.clicked.connect(self._add_transition)
        self.remove_button = QPushButton("&Remove transition")
        self.remove_button.clicked.connect(self._remove_transition)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        self.transitions_label = QLabel("Transitions (checked in order; the last row is the fallback)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addWidget(self.transitions_label)
        layout.addWidget(self.transitions, 1)
        layout.addLayout(buttons)
        self._show_transitions(False)

    # -- showing ---------------------------------------------------------------------

    def show_node(self, document: ScenarioDocument, node_id: str) -> None:
        self.document, self.node_id = document, node_id
        self._loading = True
        try:
            self._clear()
            if node_id in document.ending_ids():
                self._show_ending(document, node_id)
            else:
                self._show_turn(document, node_id)
        finally:
            self._loading = False

    def show_nothing(self, document: ScenarioDocument) -> None:
        """A document is open but no node is selected (a new file without a start node yet)."""
        self.document, self.node_id = document, None
        self._clear()
        self.title.setText("Select a node in the graph")

    def refresh(self) -> None:
        """After an undo or redo: show the same node again (or nothing if it is gone).

        Skipped while one of this form's own fields is emitting its edit: that field already
        shows the value, and rebuilding the form would delete it inside its own signal.
        """
        if self.document is None or self.node_id is None or self._emitting:
            return
        if self.node_id in self.document.node_ids() or self.node_id in self.document.ending_ids():
            self.show_node(self.document, self.node_id)
        else:
            self._clear()
            self.title.setText("Select a node in the graph")

    def _show_turn(self, document: ScenarioDocument, node_id: str) -> None:
        index = document.node_index(node_id)
        self.base = ("nodes", index)
        self.title.setText(f"Customer turn: {node_id}")
        self._variants("Customer says", (*self.base, "say"), document.get((*self.base, "say")))
        asks = document.get((*self.base, "asks")) or []
        self._line("Asks for", (*self.base, "asks"), ", ".join(str(a) for a in asks), is_list=True)
        self.fields["Asks for"].setToolTip(
            "What this line asks for (fact.time, fact.reference, ever.CRITERION): when it was already given, "
            "a variant with a matching 'when' must acknowledge it"
        )
        self._text("Hint", (*self.base, "hint"), str(document.get((*self.base, "hint")) or ""), rows=2)
        model = str(document.get((*self.base, "model_answer")) or "")
        self._text("Model answer", (*self.base, "model_answer"), model)
        criteria = document.get((*self.base, "criteria")) or []
        self._line("Criteria", (*self.base, "criteria"), ", ".join(str(c) for c in criteria), is_list=True)
        self._show_transitions(True)
        self._fill_transitions(document)

    def _show_ending(self, document: ScenarioDocument, ending_id: str) -> None:
        index = document.ending_ids().index(ending_id)
        self.base = ("endings", index)
        self.title.setText(f"Ending: {ending_id}")
        self._line("Title", (*self.base, "title"), str(document.get((*self.base, "title")) or ""))
        outcome = QComboBox()
        outcome.addItems(OUTCOMES)
        outcome.setCurrentText(str(document.get((*self.base, "outcome")) or "resolved"))
        outcome.setAccessibleName("Outcome")
        outcome.currentTextChanged.connect(lambda text: self._emit((*self.base, "outcome"), text))
        self._add("Outcome", outcome)
        self._variants("Customer's last line", (*self.base, "say"), document.get((*self.base, "say")), rows=2)
        self._variants("Debrief", (*self.base, "debrief"), document.get((*self.base, "debrief")))
        self._show_transitions(False)

    def _variants(self, label: str, path: Path, value: object, rows: int = 4) -> None:
        """One text, or each variant's text with its mood band and its 'when' condition."""
        if not isinstance(value, list):
            self._text(label, path, str(value or ""), rows=rows)
            return
        for number, variant in enumerate(value):
            if not isinstance(variant, dict):
                continue
            mood = variant.get("mood")
            when = variant.get("when")
            parts = [p for p in (f"{mood} mood" if mood else "", "when…" if when is not None else "") if p]
            shown = f"{label} {number + 1}" + (f" ({', '.join(parts)})" if parts else "")
            self._text(shown, (*path, number, "text"), str(variant.get("text", "")), rows=rows)
            if when is not None:
                self._line(f"{shown}: when", (*path, number, "when"), str(when))

    def _fill_transitions(self, document: ScenarioDocument) -> None:
        rows: list[tuple[Path, dict[str, Any]]] = []
        for number, transition in enumerate(document.get((*self.base, "transitions")) or []):
            rows.append(((*self.base, "transitions", number), transition))
        otherwise = document.get((*self.base, "otherwise"))
        if otherwise is not None:
            rows.append(((*self.base, "otherwise"), otherwise))
        self.transitions.setRowCount(len(rows))
        for row, (path, data) in enumerate(rows):
            when = "otherwise" if path[-1] == "otherwise" else str(data.get("when", ""))
            values = [when, str(data.get("to", "")), str(data.get("mood", "") or ""), str(data.get("note", "") or "")]
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(256, path)  # Qt.UserRole
                if path[-1] == "otherwise" and column == 0:
                    item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                self.transitions.setItem(row, column, item)

    # -- fields ----------------------------------------------------------------------

    def _clear(self) -> None:
        while self.form.rowCount():
            row = self.form.takeRow(0)
            for part in (row.labelItem, row.fieldItem):
                widget = part.widget() if part is not None else None
                if widget is not None:
                    widget.hide()
                    widget.deleteLater()  # not at once: we may be inside one of its signals
        self.fields = {}
        self.transitions.setRowCount(0)

    def _add(self, label: str, widget: QWidget) -> None:
        widget.setAccessibleName(label)
        self.fields[label] = widget
        self.form.addRow(label, widget)

    def _text(self, label: str, path: Path, value: str, rows: int = 4) -> None:
        edit = QPlainTextEdit(value.strip())
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * rows + 12)
        edit.textChanged.connect(lambda: self._emit(path, edit.toPlainText()))
        self._add(label, edit)

    def _line(self, label: str, path: Path, value: str, *, is_list: bool = False) -> None:
        edit = QLineEdit(value)

        def changed(text: str) -> None:
            if is_list:
                self._emit(path, [part.strip() for part in text.split(",") if part.strip()])
            else:
                self._emit(path, text)

        edit.textEdited.connect(changed)
        self._add(label, edit)

    def _emit(self, path: Path, value: object) -> None:
        if not self._loading:
            self._emitting = True
            try:
                self.edited.emit(path, value)
            finally:
                self._emitting = False

    def _transition_edited(self, item: QTableWidgetItem) -> None:
        if self._loading:
            return
        path = item.data(256)
        key = ("when", "to", "mood", "note")[item.column()]
        text = item.text().strip()
        value: object = text
        if key == "mood":
            try:
                value = int(text) if text else None
            except ValueError:
                value = text  # kept as typed: validation names the problem
        elif key == "note" and not text:
            value = None
        self._emit((*path, key), value)

    def _add_transition(self) -> None:
        if self.node_id is not None:
            self.add_transition_requested.emit(self.node_id)

    def _remove_transition(self) -> None:
        row = self.transitions.currentRow()
        item = self.transitions.item(row, 0) if row >= 0 else None
        if item is None or self.node_id is None:
            return
        path = item.data(256)
        if path[-1] != "otherwise":
            self.remove_transition_requested.emit(self.node_id, int(path[-1]))

    def _show_transitions(self, visible: bool) -> None:
        for widget in (self.transitions_label, self.transitions, self.add_button, self.remove_button):
            widget.setVisible(visible)
