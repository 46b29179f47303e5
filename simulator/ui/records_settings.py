"""The learning records settings: which LRS gets the attempts' xAPI statements, and a connection test.

Opened by a trainer, behind the trainer passphrase (see records_hooks): a trainee
cannot point the app's records at another server. Loading and saving run on the
window's worker, like the store they use; the connection test has a runner of its
own so a slow LRS never holds up saving answers. The secret is shown only masked
and never logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from simulator.records.config import IN_KEYRING, AuthKind, Loaded, LrsConfig, normalize_endpoint
from simulator.records.statements import DEFAULT_HOMEPAGE
from simulator.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from simulator.records.errors import Check
    from simulator.records.outbox import Counts
    from simulator.records.service import LearningRecords

log = logging.getLogger(__name__)

AUTH_CHOICES = (
    (AuthKind.KEY_SECRET, "Key and secret", "&Key", "&Secret"),
    (AuthKind.BASIC, "User name and password", "&User name", "&Password"),
    (AuthKind.HEADER, "Authorization header", "", "&Header value"),
)
INTRO = (
    "Send every attempt's learning records (xAPI statements) to your organisation's Learning Record "
    "Store. They wait on this computer while it is offline and go when the LRS can be reached. "
    "Without an LRS here, Empathy Trainer sends nothing anywhere."
)


class RecordsSettingsDialog(QDialog):
    """Endpoint, credentials, "Test connection", Save, and Remove (stop sending)."""

    saved = Signal(object)  # Loaded: where the secret went, or Loaded(None) after Remove

    def __init__(
        self, records: LearningRecords, runner: TaskRunner, trainer: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.records = records
        self.runner = runner
        self.trainer = trainer
        # The test may wait for a slow LRS: not on the worker that saves the trainee's answers.
        self.tester = TaskRunner(self._failed, synchronous=runner.synchronous, parent=self)
        self.setWindowTitle("Learning records (LRS)")
        self.setMinimumWidth(560)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.endpoint = QLineEdit()
        self.endpoint.setPlaceholderText("https://lrs.example.org/xAPI/")
        self.endpoint.setAccessibleName("LRS endpoint")
        self.auth = QComboBox()
        self.auth.setAccessibleName("Authentication")
        for kind, text, _key, _secret in AUTH_CHOICES:
            self.auth.addItem(text, kind.value)
        self.key = QLineEdit()
        self.key.setAccessibleName("Key")
        self.secret = QLineEdit()
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Secret")
        self.homepage = QLineEdit()
        self.homepage.setPlaceholderText(DEFAULT_HOMEPAGE)
        self.homepage.setAccessibleName("Learner account home page")
        self.homepage.setToolTip(
            "The home page of the learners' accounts in the statements (e.g. your LMS's address); "
            "each trainee's name is the account name."
        )
        self.key_label = QLabel("&Key")
        self.key_label.setBuddy(self.key)
        self.secret_label = QLabel("&Secret")
        self.secret_label.setBuddy(self.secret)
        self.secret_note = QLabel()
        self.secret_note.setWordWrap(True)
        self.secret_note.setAccessibleName("Where the secret is kept")
        self.test_button = QPushButton("&Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = QLabel()
        self.test_result.setWordWrap(True)
        self.test_result.setAccessibleName("Connection test result")
        self.queue = QLabel()
        self.queue.setWordWrap(True)
        self.queue.setAccessibleName("Learning records waiting")
        form = QFormLayout()
        form.addRow("&Endpoint", self.endpoint)
        form.addRow("&Authentication", self.auth)
        form.addRow(self.key_label, self.key)
        form.addRow(self.secret_label, self.secret)
        form.addRow("Learner &home page", self.homepage)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton("&Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.remove_button = buttons.addButton("&Remove LRS", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.remove_button.setToolTip("Stop sending; the records stay on this computer")
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.save_button.clicked.connect(self.save)
        self.remove_button.clicked.connect(self.remove)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.secret_note)
        layout.addWidget(self.test_button)
        layout.addWidget(self.test_result)
        layout.addWidget(self.queue)
        layout.addWidget(buttons)
        self.auth.currentIndexChanged.connect(self._auth_changed)
        self._auth_changed()
        self.remove_button.setEnabled(False)
        self.endpoint.setFocus()
        self.runner.run(self._load, self._loaded)

    # -- loading -------------------------------------------------------------------------

    def _load(self) -> tuple[Loaded, Counts, str | None]:
        return self.records.load(), self.records.counts(), self.records.secrets.problem()

    def _loaded(self, data: tuple[Loaded, Counts, str | None]) -> None:
        loaded, counts, keyring_problem = data
        config = loaded.config
        if config is not None:
            self.endpoint.setText(config.endpoint)
            self.auth.setCurrentIndex(max(0, self.auth.findData(config.auth.value)))
            self.key.setText(config.key)
            self.secret.setText(config.secret)
            self.homepage.setText("" if config.homepage == DEFAULT_HOMEPAGE else config.homepage)
        self.remove_button.setEnabled(loaded.configured)
        if loaded.problem:
            self.test_result.setText(loaded.problem)
        self._show_secret_place(loaded.secret_in if config is not None else None, keyring_problem)
        self.show_counts(counts)

    def show_counts(self, counts: Counts) -> None:
        text = f"Waiting to be sent: {counts.pending}. Sent: {counts.sent}."
        if counts.rejected:
            text += f" Rejected by the LRS: {counts.rejected} (kept on this computer)."
        if counts.pending and counts.last_error:
            text += f"\nLast problem: {counts.last_error}"
        self.queue.setText(text)

    def _show_secret_place(self, where: str | None, problem: str | None) -> None:
        if where == IN_KEYRING:
            self.secret_note.setText(f"The secret is kept in the system keyring ({self.records.secrets.name}).")
        elif where is not None or problem:
            tense = "is" if where is not None else "will be"
            self.secret_note.setText(
                f"No system keyring can be used here ({problem or 'none was available when it was saved'}): "
                f"the secret {tense} kept in Empathy Trainer's database file, readable by anyone who can read "
                "your files. Use credentials that may only write statements."
            )
        else:
            self.secret_note.setText("The secret will be kept in the system keyring.")

    def _auth_changed(self) -> None:
        _kind, _text, key_label, secret_label = AUTH_CHOICES[max(0, self.auth.currentIndex())]
        self.key_label.setText(key_label or "&Key")
        self.key_label.setVisible(bool(key_label))
        self.key.setVisible(bool(key_label))
        self.secret_label.setText(secret_label)
        self.secret.setPlaceholderText("e.g. Basic dXNlcjpwYXNz… or Bearer …" if not key_label else "")

    # -- the form ------------------------------------------------------------------------------

    def config(self) -> LrsConfig:
        """What the form says; ValueError naming what to fix."""
        endpoint = normalize_endpoint(self.endpoint.text())
        kind = AuthKind(self.auth.currentData())
        key = self.key.text().strip() if kind is not AuthKind.HEADER else ""
        secret = self.secret.text()
        if kind is not AuthKind.HEADER and not key:
            raise ValueError(f"Enter the {self.key_label.text().replace('&', '').lower()}.")
        if not secret.strip():
            raise ValueError(f"Enter the {self.secret_label.text().replace('&', '').lower()}.")
        homepage = self.homepage.text().strip() or DEFAULT_HOMEPAGE
        return LrsConfig(endpoint, kind, key, secret, homepage)

    def test_connection(self) -> None:
        try:
            config = self.config()
        except ValueError as exc:
            self.test_result.setText(str(exc))
            return
        self.test_result.setText(f"Testing {config.endpoint}…")
        self.test_button.setEnabled(False)

        def check() -> Check:
            from simulator.records.client import LrsClient

            return LrsClient(config).check()

        self.tester.run(check, self._tested)

    def _tested(self, check: Check) -> None:
        self.test_button.setEnabled(True)
        self.test_result.setText(("✓ " if check.ok else "✗ ") + check.message)

    def save(self) -> None:
        try:
            config = self.config()
        except ValueError as exc:
            self.test_result.setText(str(exc))
            return
        records, trainer = self.records, self.trainer

        def work() -> tuple[Loaded, Counts]:
            from simulator.application import trainer as trainer_account

            saved = records.save(config)
            if trainer:
                detail = {"endpoint": config.endpoint, "auth": config.auth.value, "key": config.key}
                trainer_account.audit(records.store, trainer, "lrs_configured", detail)
            return saved, records.counts()

        self.runner.run(work, self._saved)

    def _saved(self, data: tuple[Loaded, Counts]) -> None:
        saved, counts = data
        self._show_secret_place(saved.secret_in, saved.problem)
        self.remove_button.setEnabled(True)
        where = saved.config.endpoint if saved.config else "the LRS"
        self.test_result.setText(f"Saved. Learning records go to {where}.")
        self.show_counts(counts)
        self.saved.emit(saved)

    def remove(self) -> None:
        records, trainer = self.records, self.trainer

        def work() -> Counts:
            from simulator.application import trainer as trainer_account

            records.remove()
            if trainer:
                trainer_account.audit(records.store, trainer, "lrs_removed", {})
            return records.counts()

        def done(counts: Counts) -> None:
            self.endpoint.clear()
            self.key.clear()
            self.secret.clear()
            self.homepage.clear()
            self.remove_button.setEnabled(False)
            self.test_result.setText("No LRS: nothing is sent anywhere. The records stay on this computer.")
            self._show_secret_place(None, None)
            self.show_counts(counts)
            self.saved.emit(Loaded(None))

        self.runner.run(work, done)

    def _failed(self, error: BaseException) -> None:
        log.warning("LRS connection test failed unexpectedly: %r", error)
        self.test_button.setEnabled(True)
        self.test_result.setText(f"✗ The test could not run: {error}")
