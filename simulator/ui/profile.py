"""Who is practising: asked on first run, and when switching trainee on a shared machine."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.application.data import Trainee
from simulator.ui import style


class ProfileDialog(QDialog):
    """Pick an existing trainee or type a new name. ``chosen_name()`` after ``exec()``."""

    def __init__(self, trainees: Sequence[Trainee], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is practising?")
        layout = QVBoxLayout(self)
        heading = QLabel("Welcome to Empathy Trainer" if not trainees else "Who is practising?")
        heading.setFont(style.scaled_font(self.font(), 1.3, bold=True))
        layout.addWidget(heading)
        self.list = QListWidget()
        self.list.setAccessibleName("Trainees on this computer")
        for trainee in trainees:
            item = QListWidgetItem(trainee.name)
            self.list.addItem(item)
        if trainees:
            layout.addWidget(QLabel("Choose your name:"))
            layout.addWidget(self.list)
            layout.addWidget(QLabel("Or, if you are new, type your name:"))
        else:
            self.list.hide()
            layout.addWidget(QLabel("What is your name? It keeps your practice history apart from others'."))
        self.name = QLineEdit()
        self.name.setAccessibleName("Your name")
        self.name.setPlaceholderText("Your name")
        layout.addWidget(self.name)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())
        self.list.currentItemChanged.connect(self._picked)
        self.name.textChanged.connect(self._sync)
        self._sync()
        self.name.setFocus()

    def chosen_name(self) -> str:
        typed = " ".join(self.name.text().split())
        if typed:
            return typed
        item = self.list.currentItem()
        return item.text() if item is not None else ""

    def _picked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self.name.clear()

    def _sync(self) -> None:
        if self.name.text().strip():
            self.list.clearSelection()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.name.text().strip()) or (self.list.count() > 0))
