"""The learning records settings dialog, driven as a trainer uses it: type, test the connection, save."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QLabel, QLineEdit

from simulator.records.config import IN_DATABASE, IN_KEYRING, KeyringSecrets, LrsConfig
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.main_window import MainWindow
from simulator.ui.records_settings import RecordsSettingsDialog
from simulator.ui.tasks import TaskRunner
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import MemoryKeyring, Reply, free_port, http_server
from tests.ui.helpers import make_window

SECRET = "the-secret-9f1c"


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(database_path(tmp_path))
    yield store
    store.close()


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def records(store: Store, keyring: MemoryKeyring) -> Iterator[LearningRecords]:
    records = LearningRecords(store, secrets=KeyringSecrets(keyring))
    yield records
    records.stop(timeout=10)


def dialog(qtbot: Any, records: LearningRecords, trainer: str | None = "Dana") -> RecordsSettingsDialog:
    runner = TaskRunner(lambda error: pytest.fail(f"unexpected error: {error!r}"), synchronous=True)
    window = RecordsSettingsDialog(records, runner, trainer)
    runner.setParent(window)  # the window's runner, in the app
    qtbot.addWidget(window)
    window.show()
    return window


def fill(qtbot: Any, window: RecordsSettingsDialog, endpoint: str, key: str = "k", secret: str = SECRET) -> None:
    for field, text in ((window.endpoint, endpoint), (window.key, key), (window.secret, secret)):
        field.clear()
        qtbot.keyClicks(field, text)


def test_test_connection_says_exactly_what_failed(qtbot: Any, records: LearningRecords) -> None:
    window = dialog(qtbot, records)
    qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text() == "Enter the LRS's xAPI endpoint, e.g. https://lrs.example.org/xAPI/"
    port = free_port()
    fill(qtbot, window, f"http://127.0.0.1:{port}/xAPI")
    qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text().startswith(f"✗ 127.0.0.1:{port} refused the connection")
    with http_server(lambda seen: Reply(401, {"detail": "Invalid authentication credentials"})) as (url, _seen):
        fill(qtbot, window, url)
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text() == "✗ The LRS refused the credentials (401): check the key and secret."
    with http_server(
        lambda seen: Reply(200, {"version": ["1.0.3"]} if "about" in seen.path else {"statements": []})
    ) as (
        url,
        seen,
    ):
        fill(qtbot, window, url)
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text().startswith("✓ Connected to 127.0.0.1:")
    assert window.test_result.text().endswith("(xAPI 1.0.3): the LRS accepted the credentials.")
    assert not records.configured  # testing saves nothing
    assert all(SECRET not in str(s.headers) and SECRET not in s.path for s in seen)  # only base64 in Authorization


def test_the_form_names_what_is_missing(qtbot: Any, records: LearningRecords) -> None:
    window = dialog(qtbot, records)
    fill(qtbot, window, "lrs.example.org/xAPI", key="")
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert "must start with https://" in window.test_result.text()
    fill(qtbot, window, "https://lrs.example.org/xAPI", key="")
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text() == "Enter the key."
    window.auth.setCurrentIndex(window.auth.findData("header"))
    assert window.key.isHidden() and window.secret_label.text() == "&Header value"
    window.secret.clear()
    qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
    assert window.test_result.text() == "Enter the header value."
    assert not records.configured


def test_saving_keeps_the_secret_in_the_keyring_audits_it_and_starts_sending(
    qtbot: Any, store: Store, records: LearningRecords, keyring: MemoryKeyring
) -> None:
    window = dialog(qtbot, records)
    assert window.secret_note.text() == "The secret will be kept in the system keyring."
    with http_server(lambda seen: Reply(200, [])) as (url, _seen):
        fill(qtbot, window, url)
        qtbot.keyClicks(window.homepage, "https://lms.example.org")
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
        assert records.configured and records.sender.running
    assert window.secret_note.text() == "The secret is kept in the system keyring (memory keyring)."
    assert window.test_result.text() == f"Saved. Learning records go to {url}."
    assert list(keyring.secrets.values()) == [SECRET]
    assert SECRET not in str(store.db.execute("SELECT * FROM records_settings").fetchall())
    loaded = records.load()
    assert loaded.secret_in == IN_KEYRING and loaded.config == LrsConfig(
        url, key="k", secret=SECRET, homepage="https://lms.example.org"
    )
    [entry] = store.audit_log()
    assert (entry.trainer, entry.action, entry.detail) == (
        "Dana",
        "lrs_configured",
        {"endpoint": url, "auth": "key-secret", "key": "k"},
    )
    # Opened again, the dialog shows what is configured (the secret masked).
    again = dialog(qtbot, records)
    assert again.endpoint.text() == url and again.secret.text() == SECRET
    assert again.secret.echoMode() == QLineEdit.EchoMode.Password
    assert again.remove_button.isEnabled()


def test_without_a_keyring_the_dialog_says_the_secret_goes_into_the_database(qtbot: Any, store: Store) -> None:
    records = LearningRecords(store, secrets=KeyringSecrets(fail.Keyring()))  # as on headless Linux
    try:
        window = dialog(qtbot, records)
        assert window.secret_note.text().startswith(
            "No system keyring can be used here (no system keyring is available"
        )
        assert "the secret will be kept in Empathy Trainer's database file" in window.secret_note.text()
        fill(qtbot, window, "https://lrs.example.org/xAPI/")
        qtbot.mouseClick(window.save_button, Qt.MouseButton.LeftButton)
        assert "NoKeyringError" in window.secret_note.text()
        assert "the secret is kept in Empathy Trainer's database file" in window.secret_note.text()
        assert records.load().secret_in == IN_DATABASE
    finally:
        records.stop(timeout=10)


def test_remove_stops_sending_and_keeps_the_records(
    qtbot: Any, store: Store, records: LearningRecords, keyring: MemoryKeyring
) -> None:
    records.save(LrsConfig(f"http://127.0.0.1:{free_port()}/xAPI/", key="k", secret=SECRET))
    window = dialog(qtbot, records)
    qtbot.mouseClick(window.remove_button, Qt.MouseButton.LeftButton)
    assert not records.configured and not records.sender.running
    assert keyring.secrets == {} and records.load().config is None
    assert window.test_result.text() == "No LRS: nothing is sent anywhere. The records stay on this computer."
    assert [e.action for e in store.audit_log()] == ["lrs_removed"]


@needs_ralph
def test_test_connection_against_ralph(qtbot: Any, records: LearningRecords, tmp_path: Path) -> None:
    server = Ralph(tmp_path / "ralph")
    server.start()
    try:
        window = dialog(qtbot, records)
        fill(qtbot, window, server.endpoint, key=server.username, secret="wrong")
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
        assert window.test_result.text() == "✗ The LRS refused the credentials (401): check the key and secret."
        fill(qtbot, window, f"http://127.0.0.1:{server.port}/not-here/", key=server.username, secret=server.password)
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
        assert (
            f"There is no xAPI endpoint at http://127.0.0.1:{server.port}/not-here/ (404)" in window.test_result.text()
        )
        fill(qtbot, window, server.endpoint, key=server.username, secret=server.password)
        qtbot.mouseClick(window.test_button, Qt.MouseButton.LeftButton)
        assert window.test_result.text() == f"✓ Connected to 127.0.0.1:{server.port}: the LRS accepted the credentials."
    finally:
        server.stop()


def test_only_the_trainer_passphrase_opens_the_settings(qtbot: Any, tmp_path: Path) -> None:
    plain = make_window(tmp_path)  # a window built without learning records has no such menu
    qtbot.addWidget(plain)
    assert plain.records_ui is None
    store = plain.store
    store.set_trainer_passphrase("Dana", "trainer passphrase")
    records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))
    window = MainWindow(plain.catalog, store, plain.assets, plain.settings, synchronous=True, records=records)
    qtbot.addWidget(window)
    assert window.records_ui is not None
    seen: list[str] = []

    def answer_gate(passphrase: str) -> None:
        gate = QApplication.activeModalWidget()
        assert isinstance(gate, QDialog) and gate.windowTitle() == "Trainer mode"
        [field] = [f for f in gate.findChildren(QLineEdit) if f.accessibleName() == "Passphrase"]
        field.setText(passphrase)
        QTimer.singleShot(0, close_settings)  # runs inside the settings dialog's own event loop
        gate.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok).click()
        if gate.isVisible():  # a wrong passphrase: the gate stays open and says so; the trainee gives up
            [message] = [m for m in gate.findChildren(QLabel) if m.accessibleName() == "Trainer mode message"]
            seen.append(message.text())
            gate.reject()

    def close_settings() -> None:
        settings = QApplication.activeModalWidget()
        if isinstance(settings, RecordsSettingsDialog):
            seen.append(f"settings opened for {settings.trainer}")
            settings.reject()

    QTimer.singleShot(0, lambda: answer_gate("not the passphrase"))
    window.records_ui.open_settings()
    QTimer.singleShot(0, lambda: answer_gate("trainer passphrase"))
    window.records_ui.open_settings()
    assert seen == ["That passphrase is not right.", "settings opened for Dana"]
