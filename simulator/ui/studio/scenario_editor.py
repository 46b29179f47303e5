"""The form for what is not a node: the scenario's title and settings, the persona, the rubric.

Each field is bound to one path in the document; an edit emits ``edited(path, value)`` (one
undoable SetValue in the studio), and :meth:`refresh` puts the document's values back after an
undo without rebuilding the widgets, so the field being typed in keeps its cursor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from simulator.core.authoring.document import ScenarioDocument
from simulator.core.model import Channel, Difficulty
from simulator.core.schema import bounds
from simulator.core.scoring.catalog import CORE_CRITERIA

Path = tuple[str | int, ...]
LIST_KEYS = {"learning_objectives", "phrases", "patterns", "exemplars", "counterexamples"}


@dataclass
class Binding:
    """One widget and where its value lives; ``path`` is a function because a criterion's index moves."""

    widget: QWidget
    path: Callable[[], Path | None]
    kind: str  # text, lines, int, float, bool, choice


# Desk lists edited as one line per row: "Label: value" for the record, "Name | role | when" for colleagues.
ROW_KINDS = {"fields": (("label", "value"), ":"), "colleagues": (("name", "role", "when"), "|")}


def _row_of(kind: str, line: str) -> dict[str, str]:
    keys, separator = ROW_KINDS[kind]
    parts = [part.strip() for part in line.split(separator, len(keys) - 1)]
    row = {key: part for key, part in zip(keys, parts, strict=False) if part}
    return row if all(key in row for key in keys[:2]) else {}


def _line_of(kind: str, row: object) -> str:
    keys, separator = ROW_KINDS[kind]
    if not isinstance(row, dict):
        return str(row)
    if kind == "colleagues":
        return f" {separator} ".join(str(row[key]) for key in keys if row.get(key))
    return f"{row.get('label', '')}{separator} {row.get('value', '')}"


def _read(binding: Binding) -> Any:
    widget = binding.widget
    if isinstance(widget, QPlainTextEdit):
        text = widget.toPlainText()
        if binding.kind in ROW_KINDS:
            rows = [_row_of(binding.kind, line) for line in text.splitlines() if line.strip()]
            return [row for row in rows if row] or None
        if binding.kind == "lines":
            lines = [line.strip() for line in text.splitlines() if line.strip()]
            return lines or None
        return text.strip() or None
    if isinstance(widget, QLineEdit):
        return widget.text().strip() or None
    if isinstance(widget, QCheckBox):
        checked = widget.checkState() == Qt.CheckState.Checked
        return True if checked else None  # unticked: the key goes, as the guide writes files
    if isinstance(widget, QComboBox):
        return widget.currentText() or None
    if isinstance(widget, QDoubleSpinBox):
        value = widget.value()
        return int(value) if value == int(value) else value
    if isinstance(widget, QSpinBox):
        return widget.value()
    raise TypeError(widget)


def _write(binding: Binding, value: Any) -> None:
    """Show ``value`` without firing the widget's change signal, and only when it differs."""
    widget = binding.widget
    widget.blockSignals(True)
    try:
        if isinstance(widget, QPlainTextEdit) and binding.kind in ROW_KINDS:
            text = "\n".join(_line_of(binding.kind, v) for v in value) if isinstance(value, list) else ""
            if widget.toPlainText() != text:
                widget.setPlainText(text)
        elif isinstance(widget, QPlainTextEdit):
            text = "\n".join(str(v) for v in value) if isinstance(value, list) else str(value or "").strip()
            if widget.toPlainText() != text:
                widget.setPlainText(text)
        elif isinstance(widget, QLineEdit):
            if widget.text() != str(value or ""):
                widget.setText(str(value or ""))
        elif isinstance(widget, QCheckBox):
            # The box shows what the app will do: only a real true ticks it. Anything else that is not
            # empty (``no`` is text in YAML 1.2) is shown half-ticked; the problems list says why.
            widget.setTristate(value not in (True, False, None))
            widget.setCheckState(
                Qt.CheckState.Checked
                if value is True
                else Qt.CheckState.Unchecked
                if value in (False, None)
                else Qt.CheckState.PartiallyChecked
            )
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(str(value or ""))
        elif isinstance(widget, QDoubleSpinBox | QSpinBox):
            number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
            default = widget.property("default_value")
            chosen = number if number is not None else (default if default is not None else widget.minimum())
            if isinstance(widget, QDoubleSpinBox):
                widget.setValue(float(chosen))
            else:
                widget.setValue(int(chosen))
    finally:
        widget.blockSignals(False)


class ScenarioEditor(QScrollArea):
    """Emits ``edited(path, value)``, ``insert_requested(path, data, label)``, ``remove_requested(path, label)``."""

    edited = Signal(object, object)
    insert_requested = Signal(object, object, str)
    remove_requested = Signal(object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: ScenarioDocument | None = None
        self.bindings: list[Binding] = []
        self.fields: dict[str, QWidget] = {}
        self._emitting = False
        self.setWidgetResizable(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self._scenario_group())
        layout.addWidget(self._persona_group())
        layout.addWidget(self._desk_group())
        layout.addWidget(self._rubric_group(), 1)
        self.setWidget(body)

    # -- building ----------------------------------------------------------------------

    def _bind(self, form: QFormLayout, label: str, widget: QWidget, path: Callable[[], Path | None], kind: str) -> None:
        widget.setAccessibleName(label)
        binding = Binding(widget, path, kind)
        self.bindings.append(binding)
        self.fields[label] = widget
        form.addRow(label, widget)
        signal = {
            QPlainTextEdit: "textChanged",
            QLineEdit: "textEdited",
            QCheckBox: "checkStateChanged",  # not toggled: half-ticked to ticked is no toggle
            QComboBox: "activated",
            QDoubleSpinBox: "valueChanged",
            QSpinBox: "valueChanged",
        }[type(widget)]
        getattr(widget, signal).connect(lambda *_args: self._emit(binding))

    @staticmethod
    def _text(rows: int, placeholder: str = "") -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)
        edit.setPlaceholderText(placeholder)
        edit.setFixedHeight(edit.fontMetrics().lineSpacing() * rows + 12)
        return edit

    @staticmethod
    def _spin(*path: str, fallback: float | None = None, decimals: int = 1) -> QSpinBox | QDoubleSpinBox:
        """A spin box whose range (and default) is the schema's for ``path``: the form offers what loads.

        An exclusive minimum becomes the smallest step above it; ``fallback`` is shown for a required
        field with no default (a blank one the problems list will name).
        """
        limits = bounds(*path)
        spin: QSpinBox | QDoubleSpinBox
        if limits.integer:
            spin = QSpinBox()
            step: float = 1
        else:
            spin = QDoubleSpinBox()
            spin.setDecimals(decimals)
            step = 10.0**-decimals
            spin.setSingleStep(step * 5)
        low = -(2**31 - 1) if limits.low is None else limits.low + (step if limits.exclusive_low else 0)
        high = 2**31 - 1 if limits.high is None else limits.high
        if isinstance(spin, QSpinBox):
            spin.setRange(int(low), int(high))
        else:
            spin.setRange(float(low), float(high))
        spin.setProperty("schema_path", ".".join(path))
        spin.setProperty("default_value", limits.default if limits.default is not None else fallback)
        return spin

    @staticmethod
    def _choice(values: list[str]) -> QComboBox:
        combo = QComboBox()
        combo.addItems(values)
        return combo

    def _scenario_group(self) -> QGroupBox:
        group = QGroupBox("Scenario")
        form = QFormLayout(group)
        top: Callable[[str], Callable[[], Path]] = lambda key: lambda: (key,)  # noqa: E731
        self._bind(form, "Title", QLineEdit(), top("title"), "text")
        self._bind(form, "Summary", self._text(3), top("summary"), "text")
        self._bind(form, "Channel", self._choice([c.value for c in Channel]), top("channel"), "choice")
        self._bind(form, "Difficulty", self._choice([d.value for d in Difficulty]), top("difficulty"), "choice")
        self._bind(form, "Minutes", self._spin("estimated_minutes", fallback=8), top("estimated_minutes"), "int")
        self._bind(form, "Most turns", self._spin("max_turns"), top("max_turns"), "int")
        self.start = self._choice([])
        self._bind(form, "First turn", self.start, top("start"), "choice")
        objectives = self._text(3, "One learning objective per line")
        self._bind(form, "Objectives", objectives, top("learning_objectives"), "lines")
        return group

    def _persona_group(self) -> QGroupBox:
        group = QGroupBox("Customer persona")
        form = QFormLayout(group)
        persona: Callable[..., Callable[[], Path]] = lambda *keys: lambda: ("persona", *keys)  # noqa: E731
        self._bind(form, "Name", QLineEdit(), persona("name"), "text")
        self._bind(form, "Role", QLineEdit(), persona("role"), "text")
        mood = self._spin("persona", "mood", fallback=50)
        mood.setToolTip("0 calm … 100 furious: where the customer starts")
        self._bind(form, "Starting mood", mood, persona("mood"), "int")
        self._bind(form, "Backstory", self._text(3), persona("backstory"), "text")
        self._bind(form, "Avatar", QLineEdit(), persona("avatar"), "text")
        voice = QLineEdit()
        voice.setPlaceholderText("espeak-ng voice, e.g. en-us+f3")
        self._bind(form, "Voice", voice, persona("voice", "voice"), "text")
        self._bind(form, "Words per minute", self._spin("persona", "voice", "rate"), persona("voice", "rate"), "int")
        self._bind(form, "Pitch", self._spin("persona", "voice", "pitch"), persona("voice", "pitch"), "int")
        return group

    def _desk_group(self) -> QGroupBox:
        group = QGroupBox("Agent's desk (what the trainee sees beside the conversation)")
        form = QFormLayout(group)
        desk: Callable[[str], Callable[[], Path]] = lambda key: lambda: ("desk", key)  # noqa: E731
        self._bind(form, "Desk title", QLineEdit(), desk("title"), "text")
        self._bind(form, "Record", self._text(4, "One field per line: Label: value"), desk("record"), "fields")
        self._bind(form, "Policy", self._text(3, "One policy line per line"), desk("policy"), "lines")
        self._bind(form, "Options", self._text(3, "What the agent may offer, one per line"), desk("options"), "lines")
        colleagues = self._text(2, "One per line: Name | role | when available")
        self._bind(form, "Colleagues", colleagues, desk("colleagues"), "colleagues")
        return group

    def _rubric_group(self) -> QGroupBox:
        group = QGroupBox("Rubric")
        outer = QHBoxLayout(group)
        left = QVBoxLayout()
        self.criteria = QListWidget()
        self.criteria.setAccessibleName("Rubric criteria")
        self.criteria.currentRowChanged.connect(lambda _row: self._show_criterion())
        left.addWidget(self.criteria, 1)
        self.add_choice = QComboBox()
        self.add_choice.setAccessibleName("Criterion to add")
        self.add_choice.setEditable(True)
        self.add_choice.setToolTip("A core criterion from the list, or a new id for a scenario-specific one")
        add = QPushButton("Add criterion")
        add.clicked.connect(self.add_criterion)
        remove = QPushButton("Remove")
        remove.clicked.connect(self.remove_criterion)
        left.addWidget(self.add_choice)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        left.addLayout(buttons)
        outer.addLayout(left, 2)
        form = QFormLayout()
        # Narrow (a 1024x700 screen beside the graph): labels go above their fields, no sideways scrolling.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        outer.addLayout(form, 3)
        self.criterion_index: int | None = None

        def at(*keys: str) -> Callable[[], Path | None]:
            return lambda: ("rubric", self.criterion_index, *keys) if self.criterion_index is not None else None

        self._bind(form, "Label", QLineEdit(), at("label"), "text")
        self._bind(form, "Weight", self._spin("rubric", "weight"), at("weight"), "float")
        self._bind(form, "Auto-fail", QCheckBox("Missing it fails the whole attempt"), at("auto_fail"), "bool")
        self._bind(form, "Phrases", self._text(3, "One phrase per line (scenario criteria)"), at("phrases"), "lines")
        self._bind(form, "Patterns", self._text(2, "One regular expression per line"), at("patterns"), "lines")
        self._bind(form, "Exemplars", self._text(3, "Answers that meet it, one per line"), at("exemplars"), "lines")
        self._bind(
            form,
            "Counter-examples",
            self._text(2, "Near-misses that must not earn it, one per line"),
            at("counterexamples"),
            "lines",
        )
        self._bind(form, "Feedback when met", self._text(2), at("feedback", "met"), "text")
        self._bind(form, "Feedback when missed", self._text(2), at("feedback", "missed"), "text")
        self._bind(form, "Example answer", self._text(2), at("example"), "text")
        return group

    # -- showing -----------------------------------------------------------------------

    def show_document(self, document: ScenarioDocument) -> None:
        self.document = document
        self.criterion_index = None
        self.refresh()

    def refresh(self) -> None:
        """Show the document's values again (after an undo, or an edit elsewhere)."""
        document = self.document
        if document is None or self._emitting:
            return
        self.start.blockSignals(True)
        self.start.clear()
        self.start.addItems(document.node_ids())
        self.start.blockSignals(False)
        ids = [str(item.get("id", "")) for item in document.get(("rubric",)) or [] if isinstance(item, dict)]
        current = self.criteria.currentRow()
        self.criteria.blockSignals(True)
        self.criteria.clear()
        for criterion_id in ids:
            self.criteria.addItem(QListWidgetItem(criterion_id))
        self.criteria.setCurrentRow(min(current, len(ids) - 1) if current >= 0 else (0 if ids else -1))
        self.criteria.blockSignals(False)
        self.add_choice.clear()
        self.add_choice.addItems([cid for cid in CORE_CRITERIA if cid not in ids])
        self._show_criterion()

    def _show_criterion(self) -> None:
        row = self.criteria.currentRow()
        self.criterion_index = row if row >= 0 else None
        criterion_id = self.criteria.item(row).text() if row >= 0 else ""
        core = CORE_CRITERIA.get(criterion_id)
        label = self.fields["Label"]
        assert isinstance(label, QLineEdit)
        label.setPlaceholderText(core.label if core else "What the criterion checks, in a few words")
        for key, placeholder in (("Feedback when met", "met"), ("Feedback when missed", "missed")):
            widget = self.fields[key]
            assert isinstance(widget, QPlainTextEdit)
            widget.setPlaceholderText(getattr(core, placeholder) if core else "")
        for binding in self.bindings:
            path = binding.path()
            binding.widget.setEnabled(path is not None)
            if path is not None and self.document is not None:
                _write(binding, self.document.get(path))
            elif path is None:
                _write(binding, None)

    # -- editing -----------------------------------------------------------------------

    def _emit(self, binding: Binding) -> None:
        path = binding.path()
        if path is None or self.document is None:
            return
        self._emitting = True
        try:
            self.edited.emit(path, _read(binding))
        finally:
            self._emitting = False

    def add_criterion(self) -> None:
        criterion_id = "_".join(self.add_choice.currentText().strip().lower().split())
        if not criterion_id or self.document is None:
            return
        rubric = self.document.get(("rubric",)) or []
        if any(isinstance(item, dict) and item.get("id") == criterion_id for item in rubric):
            self.criteria.setCurrentRow(
                [self.criteria.item(i).text() for i in range(self.criteria.count())].index(criterion_id)
            )
            return
        data: dict[str, Any] = {"id": criterion_id}
        if criterion_id not in CORE_CRITERIA:
            data["label"] = criterion_id.replace("_", " ").capitalize()
            data["phrases"] = ["a phrase that shows it"]
        self.insert_requested.emit(("rubric", len(rubric)), data, f"Add criterion {criterion_id}")
        self.criteria.setCurrentRow(self.criteria.count() - 1)

    def remove_criterion(self) -> None:
        row = self.criteria.currentRow()
        if row >= 0 and self.document is not None:
            self.remove_requested.emit(("rubric", row), f"Remove criterion {self.criteria.item(row).text()}")
