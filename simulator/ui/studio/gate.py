"""Trainer mode: a passphrase set on first use; trainees without it never reach the studio."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from simulator.storage.store import Store


class TrainerGate(QDialog):
    """Asks for the trainer's passphrase, or on first use for a name and a new passphrase twice.

    ``trainer`` holds the trainer's name after ``accept``; the store keeps only a salted
    scrypt hash, so the passphrase itself is never written anywhere.
    """

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.trainer: str | None = None
        self.first_use = not store.has_trainer()
        self.setWindowTitle("Trainer mode")
        self.name = QLineEdit()
        self.name.setAccessibleName("Trainer name")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Passphrase again")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Trainer mode message")
        form = QFormLayout()
        if self.first_use:
            intro = QLabel(
                "Set the trainer passphrase for this computer. Trainees without it cannot open the studio, "
                "edit scenarios or change scores. At least 8 characters."
            )
            intro.setWordWrap(True)
            form.addRow(intro)
            form.addRow("Your &name", self.name)
            form.addRow("&Passphrase", self.passphrase)
            form.addRow("&Again", self.again)
        else:
            form.addRow("&Passphrase", self.passphrase)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        (self.name if self.first_use else self.passphrase).setFocus()

    def _check(self) -> None:
        passphrase = self.passphrase.text()
        if self.first_use:
            name = self.name.text().strip()
            if not name:
                self.message.setText("Enter your name: it is recorded with every score you change.")
                return
            if passphrase != self.again.text():
                self.message.setText("The two passphrases differ. Type them again.")
                return
            try:
                self.store.set_trainer_passphrase(name, passphrase)
            except ValueError as exc:
                self.message.setText(str(exc))
                return
            self.trainer = name
            self.accept()
            return
        trainer = self.store.verify_trainer(passphrase)
        if trainer is None:
            self.message.setText("That passphrase is not right.")
            self.passphrase.selectAll()
            return
        self.trainer = trainer
        self.accept()
