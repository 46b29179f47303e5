"""Trainer mode: a passphrase set on first use; trainees without it never reach the studio.

The passphrase is checked with scrypt, deliberately slow: the check (and every other touch of
the database) runs on the background worker through ``run``, so the window keeps drawing and
answering while it works, and a database that cannot be read becomes a message in the gate.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from simulator.application import trainer as trainer_account
from simulator.application.compose import Store
from simulator.application.data import StorageError

# The task runner's ``run(work, on_done[, on_error])``: work on the worker, callbacks on the GUI thread;
# without ``on_error`` the runner's own handler tells the person (a database problem in its dialog).
Run = Callable[..., None]
log = logging.getLogger(__name__)


def storage_message(error: BaseException) -> str | None:
    """What to tell the trainer when the database failed; None for an error that is not the database's."""
    if isinstance(error, StorageError):
        return f"The database could not be read: {error}"
    return None


class TrainerGate(QDialog):
    """Asks for the trainer's passphrase, or on first use for a name and a new passphrase twice.

    ``trainer`` holds the trainer's name after ``accept``; the store keeps only a salted
    scrypt hash, so the passphrase itself is never written anywhere. Build it with
    :func:`ask_trainer`, which first learns on the worker whether an account exists.
    """

    def __init__(self, store: Store, run: Run, first_use: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.run = run
        self.trainer: str | None = None
        self.first_use = first_use
        self.checking = False
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
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        (self.name if self.first_use else self.passphrase).setFocus()

    def _check(self) -> None:
        if self.checking:  # OK pressed again while the passphrase is being checked
            return
        passphrase, store = self.passphrase.text(), self.store
        if self.first_use:
            name = self.name.text().strip()
            if not name:
                self.message.setText("Enter your name: it is recorded with every score you change.")
                return
            if passphrase != self.again.text():
                self.message.setText("The two passphrases differ. Type them again.")
                return
            self._busy("Setting the passphrase…")
            self.run(lambda: trainer_account.create(store, name, passphrase), self._signed_in, self._refused)
            return
        self._busy("Checking the passphrase…")
        self.run(lambda: trainer_account.sign_in(store, passphrase), self._signed_in, self._refused)

    def _busy(self, text: str) -> None:
        self.checking = True
        self.message.setText(text)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _settle(self) -> None:
        self.checking = False
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    def _signed_in(self, trainer: str | None) -> None:
        self._settle()
        if trainer is None:
            self.message.setText("That passphrase is not right.")
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        self.trainer = trainer
        self.accept()

    def _refused(self, error: BaseException) -> None:
        """A passphrase too short, an account made meanwhile, or a database that cannot be read: said here."""
        self._settle()
        if isinstance(error, ValueError):
            self.message.setText(str(error)[:1].upper() + str(error)[1:] + ".")
            return
        log.warning("trainer gate: the passphrase could not be checked: %r", error)
        self.message.setText(storage_message(error) or f"The passphrase could not be checked: {error}")


def ask_trainer(store: Store, run: Run, parent: QWidget | None, signed_in: Callable[[str], None]) -> None:
    """Show the gate (sign in, or create the account on first use) and call ``signed_in`` with the
    trainer's name once the passphrase is right; nothing when the person cancels.

    Whether an account exists is read on the worker first; if that read fails, the runner's error
    handler tells the person (the database's own message, with its file) and nothing opens.
    """

    def show(first_use: bool) -> None:
        gate = TrainerGate(store, run, first_use, parent)
        if gate.exec() and gate.trainer is not None:
            signed_in(gate.trainer)

    run(lambda: not trainer_account.has_trainer(store), show)
