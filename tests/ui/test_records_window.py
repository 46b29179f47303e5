"""Learning records in the real window: queued as a trainee plays, counted in the status bar, exported,
and never a network connection of the app's own unless a trainer configured an LRS."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog

from simulator.core.catalog import Catalog
from simulator.records.config import KeyringSecrets, LrsConfig
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.main_window import MainWindow
from tests.records.helpers import MemoryKeyring, Reply, free_port, http_server
from tests.ui.helpers import ROOT, SCENARIOS, answers, card, type_answer

INET = (socket.AF_INET, socket.AF_INET6)


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def connections(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Any]]:
    """Every IPv4/IPv6 connection any code in this process opens (or tries to) while the test runs."""
    seen: list[tuple[str, Any]] = []
    real_connect, real_connect_ex, real_create = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.create_connection,
    )

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in INET:
            seen.append(("connect", address))
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in INET:
            seen.append(("connect_ex", address))
        return real_connect_ex(self, address)

    def create_connection(address: Any, *args: Any, **kwargs: Any) -> socket.socket:
        seen.append(("create_connection", address))
        return real_create(address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "create_connection", create_connection)
    return seen


def records_window(qtbot: Any, data: Path, records: Callable[[Store], LearningRecords]) -> MainWindow:
    """The real window with learning records, wired as app.run wires them (synchronous worker)."""
    store = Store(database_path(data))
    window = MainWindow(
        Catalog([SCENARIOS]),
        store,
        ROOT / "assets",
        QSettings(str(data / "settings.ini"), QSettings.Format.IniFormat),
        synchronous=True,
        typing_delay_ms=0,
        choose_trainee=lambda trainees: "Ana",
        records=records(store),
    )
    qtbot.addWidget(window)
    assert window.records_ui is not None
    window.records_ui.start()
    window.set_trainee(store.add_trainee("Ana"))
    window.show()
    return window


@pytest.fixture
def stop_senders() -> Iterator[list[LearningRecords]]:
    started: list[LearningRecords] = []
    yield started
    for records in started:
        records.stop(timeout=10)


def menu_action(window: MainWindow, menu: str, text: str) -> QAction:
    """An item of the window's menu bar, found as a person finds it: by the menu and the item's words."""
    [tools] = [a.menu() for a in window.menuBar().actions() if a.text() == menu]
    [action] = [a for a in tools.actions() if a.text() == text]
    return action


def play_whole_attempt(qtbot: Any, window: MainWindow) -> None:
    qtbot.mouseClick(card(window, "stolen-wallet").practice_button, Qt.MouseButton.LeftButton)
    for line in answers("stolen-wallet--resolved_well.txt"):
        type_answer(qtbot, window, line)
    assert window.pages.currentWidget() is window.debrief


def test_without_an_lrs_a_whole_attempt_opens_no_network_connection(
    qtbot: Any, tmp_path: Path, connections: list[tuple[str, Any]]
) -> None:
    window = records_window(qtbot, tmp_path, LearningRecords)  # exactly as app.run builds it
    play_whole_attempt(qtbot, window)
    assert window.records_ui is not None
    window.records_ui.export(tmp_path / "records.json")
    window.close()
    assert connections == []
    # The records exist, on this computer only.
    records = window.records_ui.records
    assert records.counts().pending == len(json.loads((tmp_path / "records.json").read_text(encoding="utf-8"))) > 0
    assert not records.configured and not records.sender.running
    assert window.records_ui.label.isHidden()


def test_the_connection_watch_does_see_the_sender_when_an_lrs_is_configured(
    qtbot: Any, tmp_path: Path, connections: list[tuple[str, Any]], stop_senders: list[LearningRecords]
) -> None:
    """The companion of the test above: the same watch, with an LRS set up, sees the app connect to it."""
    with http_server(lambda seen: Reply(200, [])) as (url, requests):

        def configured(store: Store) -> LearningRecords:
            records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))
            records.settings().save(LrsConfig(url, key="k", secret="s"))
            stop_senders.append(records)
            return records

        window = records_window(qtbot, tmp_path, configured)
        play_whole_attempt(qtbot, window)
        assert window.records_ui is not None
        records = window.records_ui.records
        qtbot.waitUntil(lambda: records.counts().pending == 0 and records.counts().sent > 0, timeout=20_000)
    port = int(url.split(":")[2].split("/")[0])
    assert any(address[:2] == ("127.0.0.1", port) for _kind, address in connections)
    assert {r.method for r in requests} == {"POST"}


def test_the_status_bar_counts_what_waits_for_the_lrs_and_hides_when_all_went(
    qtbot: Any, tmp_path: Path, stop_senders: list[LearningRecords]
) -> None:
    port = free_port()  # the LRS is down at first

    def configured(store: Store) -> LearningRecords:
        records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))
        records.settings().save(LrsConfig(f"http://127.0.0.1:{port}/xAPI/", key="k", secret="s"))
        stop_senders.append(records)
        return records

    window = records_window(qtbot, tmp_path, configured)
    assert window.records_ui is not None
    label, records = window.records_ui.label, window.records_ui.records
    assert label.isHidden()  # nothing waits yet
    play_whole_attempt(qtbot, window)
    total = records.counts().pending + records.counts().sent
    qtbot.waitUntil(lambda: "refused the connection" in label.toolTip(), timeout=20_000)
    assert label.isVisible() and label.text() == f"{total} learning records waiting"
    with http_server(lambda seen: Reply(200, [])) as (url, _requests):
        records.save(LrsConfig(url, key="k", secret="s"))  # the trainer fixes the address
        qtbot.waitUntil(label.isHidden, timeout=20_000)
    assert records.counts().sent == total


def test_export_from_the_menu_writes_the_trainees_attempts(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = records_window(qtbot, tmp_path, LearningRecords)
    play_whole_attempt(qtbot, window)
    target = tmp_path / "exports" / "ana.json"
    asked: list[str] = []

    def save_as(parent: object, title: str, suggested: str, filter: str) -> tuple[str, str]:
        asked.append(Path(suggested).name)
        return str(target), filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    menu_action(window, "&Tools", "&Export learning records…").trigger()
    statements = json.loads(target.read_text(encoding="utf-8"))
    assert asked == ["learning-records-Ana.json"]
    assert [s["verb"]["display"]["en-US"] for s in statements][:2] == ["launched", "initialized"]
    assert statements[-1]["verb"]["display"]["en-US"] == "terminated"
    assert {s["actor"]["name"] for s in statements} == {"Ana"}
    assert window.statusBar().currentMessage() == f"Exported {len(statements)} learning record(s) of Ana to {target}."


def test_the_window_path_loads_no_network_keyring_or_http_code() -> None:
    """Constructing the app's records costs the window nothing: the HTTP stack and keyring load on use."""
    heavy = [
        "urllib.request",
        "http.client",
        "ssl",
        "keyring",
        "simulator.records.client",
        "simulator.records.statements",
    ]
    code = (
        "import sys, simulator.cli.main, simulator.ui.app, simulator.ui.records_hooks\n"
        "from pathlib import Path\n"
        "from simulator.records.service import LearningRecords\n"
        "from simulator.storage.store import Store\n"
        "LearningRecords(Store(Path('unused.sqlite3'), open_now=False))\n"
        f"print([m for m in {heavy!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"
