"""Joining a trainer's live session: the address and code from the projector, and the trainee's name.

``LiveClient.connect`` blocks until the host welcomes or refuses, so it runs on a thread of its
own (not the window's worker, which keeps saving meanwhile) and the outcome comes back by a
queued signal. A refusal is put in words a trainee can act on, in the dialog, so they can fix the
code or the address without typing everything again.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from simulator.classroom.client import LiveClientError, Problem, TokenBook
from simulator.classroom.protocol import Refusal

if TYPE_CHECKING:
    from simulator.classroom.client import LiveClient

log = logging.getLogger(__name__)
CODE_ADVICE = "A join code has 6 letters and digits, like K7P 4XR (codes never use 0, O, 1, I or L)."
MAX_NAME = 80


NAME_REFUSALS = {
    Refusal.NAME_INVALID: "type your name (letters, not control or invisible characters)",
    Refusal.NAME_NOT_LISTED: "your name is not on this group's list: type it as your trainer has it",
    Refusal.NAME_TAKEN: "someone with this name is already in the session",
    Refusal.NAME_LOOKALIKE: (
        "a name that looks the same is already in the session: type your own name in plain letters, "
        "as your trainer has it"
    ),
}
NOT_UNDERSTOOD = (
    "The trainer's app did not understand this app's messages: check that both are up to date, then join again."
)


def join_problem(error: LiveClientError, address: str) -> tuple[str, str]:
    """What went wrong, for the trainee, and which field to look at again ("address", "code" or "name").

    Decided from the error's code only: the host's reason text is for the logs, never read here.
    """
    code, wait = error.code, f"{error.retry_minutes} min"
    if code is Refusal.WRONG_CODE:
        if error.retry_minutes:
            return f"Wrong join code, and too many wrong codes from this computer: try again in {wait}.", "code"
        return f"Wrong join code: check the code on the trainer's screen. {CODE_ADVICE}", "code"
    if code is Refusal.LOCKED_OUT:
        return f"This computer is locked out after too many wrong codes: try again in {wait}.", "code"
    if code is Refusal.ENDED:
        return "That session has ended. If your trainer starts a new one, use its new code.", "code"
    if code in (Refusal.FULL, Refusal.TOO_MANY_CONNECTIONS):
        return "The session is full: ask your trainer to let you in.", "address"
    if isinstance(code, Refusal) and code in NAME_REFUSALS:
        return f"The trainer's app did not accept your name: {NAME_REFUSALS[code]}.", "name"
    if code is Refusal.TOKEN_NEEDED:
        return (
            "This name is already in the session, and only the computer it joined on can carry on its "
            "conversation. If that was you, join again from that computer; if not, ask your trainer.",
            "name",
        )
    if code is Refusal.GUESSING:
        later = f"in {wait}" if error.retry_minutes else "in a few minutes"
        return (
            "The session is not letting anyone new in for now: too many wrong codes were typed. "
            f"Check the code on the trainer's screen and try again {later}.",
            "code",
        )
    if code is Refusal.BUSY:
        return "Many computers are joining the session at this moment: wait a few seconds, then join again.", "address"
    if code is Refusal.ALREADY_FINISHED:
        return "You have already finished this session: your answers are with the trainer.", "name"
    if code is Refusal.VERSION_MISMATCH:
        return "This app and the trainer's are different versions: one of you needs to update.", "address"
    if code is Refusal.TIMEOUT:
        return "The trainer's app did not get the join code in time: join again.", "address"
    if code in (Refusal.HELLO_FIRST, Refusal.INVALID_MESSAGE, Refusal.ANSWER_REFUSED, Refusal.TOO_MANY_INVALID):
        return NOT_UNDERSTOOD, "address"
    if code is Problem.UNREACHABLE:
        why = f" ({error.detail})" if error.detail else ""
        return (
            f"Cannot reach {address}{why}. Check the address on the trainer's screen, and that this computer "
            "is on the same network as the trainer's.",
            "address",
        )
    if code is Problem.NOT_A_HOST:
        return f"{address} is not an Empathy Trainer live session: check the address and the port number.", "address"
    if code is Problem.TIMED_OUT:
        return (
            f"{address} did not answer like an Empathy Trainer live session: check the address and the port.",
            "address",
        )
    if code is Problem.CONNECTION_FAILED:
        why = f" ({error.detail})" if error.detail else ""
        return f"The connection to {address} failed{why}: try again.", "address"
    if code is Problem.SCENARIO_DAMAGED:
        return "The scenario arrived damaged (its hash does not match): join again.", "address"
    if code is Problem.SCENARIO_UNLOADABLE:
        return f"The trainer's scenario cannot be loaded here: {error.detail}.", "address"
    if code is Problem.SCENARIO_MISMATCH:
        return "The trainer's app sent a different scenario than the assignment names: join again.", "address"
    if code is Problem.BAD_ADDRESS:
        return "That is not an address: type it as the trainer's screen shows it.", "address"
    if code is Problem.INTERNAL:
        return f"Unexpected problem: {error.detail}.", "address"
    return "The connection to the trainer's app failed: join again.", "address"  # LOST, SESSION_OVER


class LiveJoiner(QObject):
    """Runs ``LiveClient.connect`` on its own thread; the outcome arrives by queued signal."""

    joined = Signal(object)  # LiveClient
    failed = Signal(object)  # LiveClientError: its code says why

    def __init__(self, tokens: TokenBook, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tokens = tokens  # a rejoin shows the host the token of this app's earlier welcome
        self.busy = False

    def start(self, host: str, port: int, code: str, name: str) -> None:
        self.busy = True
        threading.Thread(target=self._connect, args=(host, port, code, name), name="live-join", daemon=True).start()

    def _connect(self, host: str, port: int, code: str, name: str) -> None:
        from simulator.classroom.client import LiveClient

        try:
            client = LiveClient.connect(host, port, code, name, tokens=self.tokens)
        except LiveClientError as exc:
            log.info("joining %s:%s failed (%s): %s", host, port, exc.code, exc)
            self.failed.emit(exc)
        except Exception as exc:  # never a traceback for the trainee; the log has it
            log.exception("joining a live session failed")
            self.failed.emit(LiveClientError(f"unexpected problem: {exc}", Problem.INTERNAL, detail=str(exc)))
        else:
            self.joined.emit(client)


class JoinDialog(QDialog):
    """Address, code and name; Join connects in the background and says exactly why it could not."""

    joined = Signal(object)  # LiveClient: the trainee is in the session

    def __init__(self, tokens: TokenBook, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Join a live session")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.joiner = LiveJoiner(tokens, self)
        self.joiner.joined.connect(self._joined)
        self.joiner.failed.connect(self._failed)
        self._cancelled = False
        self._target = ""
        intro = QLabel("Type what the trainer's screen shows. Your answers go to the trainer's app as you give them.")
        intro.setWordWrap(True)
        self.address = QLineEdit()
        self.address.setPlaceholderText("e.g. 192.168.1.20:47812")
        self.address.setAccessibleName("The trainer's address")
        self.code = QLineEdit()
        self.code.setPlaceholderText("e.g. K7P 4XR")
        self.code.setAccessibleName("Join code")
        self.name = QLineEdit()
        self.name.setMaxLength(MAX_NAME)
        self.name.setAccessibleName("Your name")
        form = QFormLayout()
        form.addRow("&Address:", self.address)
        form.addRow("Join &code:", self.code)
        form.addRow("Your &name:", self.name)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Problem")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.join_button = QPushButton("&Join")
        buttons.addButton(self.join_button, QDialogButtonBox.ButtonRole.AcceptRole)
        for button in buttons.buttons():  # Enter joins, whichever field has the focus
            if isinstance(button, QPushButton):
                button.setAutoDefault(button is self.join_button)
        self.join_button.setDefault(True)
        buttons.accepted.connect(self.join)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(460, self.sizeHint().height())

    def prepare(self, address: str, name: str) -> None:
        """Before showing: the last address used, the trainee's name; a code typed earlier stays."""
        if not self.address.text():
            self.address.setText(address)
        self.name.setText(name)
        if self.joiner.busy:  # a try cancelled earlier is still on its way: it is dropped when it arrives
            self.message.setText("Finishing the last try to connect…")
            return
        self.message.hide()
        self._cancelled = False
        self._enable(True)
        (self.code if self.address.text() else self.address).setFocus()

    def join(self) -> None:
        """Check what was typed, then connect on the joiner's thread."""
        from simulator.classroom.client import parse_address
        from simulator.classroom.joincode import ALPHABET, LENGTH, normalize

        if self.joiner.busy:
            self._say("Still connecting from the last try: wait a moment, then join again.", self.code)
            return
        if not self.address.text().strip():
            self._say("Type the trainer's address, as their screen shows it.", self.address)
            return
        try:
            host, port = parse_address(self.address.text())
        except LiveClientError as exc:
            self._say(f"{exc}.", self.address)
            return
        code = normalize(self.code.text())
        if len(code) != LENGTH or any(ch not in ALPHABET for ch in code):
            self._say(CODE_ADVICE, self.code)
            return
        name = " ".join(self.name.text().split())
        if not name:
            self._say("Type your name, as your trainer knows you.", self.name)
            return
        self._target = f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"
        self._cancelled = False
        self._enable(False)
        self.message.setText(f"Connecting to {self._target}…")
        self.message.show()
        self.joiner.start(host, port, code, name)

    def reject(self) -> None:
        self._cancelled = self.joiner.busy  # a connection still on its way is left as soon as it arrives
        super().reject()

    def _joined(self, client: LiveClient) -> None:
        self.joiner.busy = False
        if self._cancelled:
            threading.Thread(target=client.leave, name="live-leave", daemon=True).start()
            self._ready_again()
            return
        self._enable(True)
        self.message.hide()
        self.accept()
        self.joined.emit(client)

    def _failed(self, error: LiveClientError) -> None:
        self.joiner.busy = False
        if self._cancelled:
            self._ready_again()
            return
        self._enable(True)
        text, field = join_problem(error, self._target)
        self._say(text, {"code": self.code, "name": self.name}.get(field, self.address))

    def _ready_again(self) -> None:
        self._cancelled = False
        self.message.hide()
        self._enable(True)

    def _say(self, text: str, field: QLineEdit) -> None:
        self.message.setText(f"⚠ {text}")
        self.message.show()
        field.setFocus()
        field.selectAll()

    def _enable(self, on: bool) -> None:
        for widget in (self.address, self.code, self.name, self.join_button):
            widget.setEnabled(on)
