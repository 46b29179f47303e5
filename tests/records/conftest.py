"""Fixtures for learning records: a real database with played attempts, and a real LRS (Ralph) on loopback."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from simulator.core.catalog import Catalog
from simulator.core.model import Scenario
from simulator.records.config import KeyringSecrets, LrsConfig
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.conftest import SCENARIOS
from tests.records.helpers import FakeClock, MemoryKeyring, free_port

RALPH_INSTALLED = all(importlib.util.find_spec(m) is not None for m in ("ralph", "uvicorn", "bcrypt", "requests"))
needs_ralph = pytest.mark.skipif(
    not RALPH_INSTALLED,
    reason="Ralph, the LRS these tests send to, is not installed: .venv/bin/pip install -e '.[test]'",
)
LAUNCHER = Path(__file__).resolve().parent / "ralph_server.py"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Loopback servers are reached directly, whatever proxy the machine running the tests has."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return Catalog([SCENARIOS]).get("stolen-wallet")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    store = Store(database_path(tmp_path))
    yield store
    store.close()


@pytest.fixture
def keyring() -> MemoryKeyring:
    return MemoryKeyring()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def records(store: Store, keyring: MemoryKeyring, clock: FakeClock) -> Iterator[LearningRecords]:
    records = LearningRecords(store, secrets=KeyringSecrets(keyring), clock=clock)
    yield records
    records.stop()


class Ralph:
    """Ralph's LRS with its file-system backend, in its own process, stoppable and restartable."""

    username = "trainer"
    password = "correct horse battery staple"

    def __init__(self, folder: Path) -> None:
        import bcrypt

        self.folder = folder
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}/xAPI/"
        self.data = folder / "statements"
        self.data.mkdir(parents=True, exist_ok=True)
        hashed = bcrypt.hashpw(self.password.encode(), bcrypt.gensalt(rounds=4)).decode()
        users = [
            {"username": self.username, "hash": hashed, "scopes": ["all"], "agent": {"mbox": "mailto:t@example.org"}}
        ]
        (folder / "auth.json").write_text(json.dumps(users), encoding="utf-8")
        self.process: subprocess.Popen[bytes] | None = None
        import requests

        self.http = requests.Session()
        self.http.trust_env = False  # no proxy for loopback
        self.http.auth = (self.username, self.password)
        self.http.headers["X-Experience-API-Version"] = "1.0.3"

    def config(self, **changes: Any) -> LrsConfig:
        values: dict[str, Any] = {"endpoint": self.endpoint, "key": self.username, "secret": self.password}
        return LrsConfig(**{**values, **changes})

    def start(self, timeout: float = 60.0) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_") and k not in PROXY_VARIABLES}
        env.update(
            RALPH_RUNSERVER_BACKEND="fs",
            RALPH_AUTH_FILE=str(self.folder / "auth.json"),
            RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(self.data),
            RALPH_HISTORY_FILE=str(self.folder / "history.json"),
            RALPH_APP_DIR=str(self.folder / "app"),
            RALPH_RUNSERVER_MAX_SEARCH_HITS_COUNT="10000",
        )
        log = (self.folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(self.port)], env=env, cwd=self.folder, stdout=log, stderr=log
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Ralph exited: {(self.folder / 'ralph.log').read_text(errors='replace')[-2000:]}")
            try:
                if self.http.get(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1).status_code == 200:
                    return
            except Exception:
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("Ralph did not answer its heartbeat")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def statement(self, statement_id: str) -> dict[str, Any] | None:
        """GET /xAPI/statements?statementId=... through Ralph's own API (with requests, not the app's client)."""
        answer = self.http.get(self.endpoint + "statements", params={"statementId": statement_id}, timeout=10)
        answer.raise_for_status()
        found = answer.json().get("statements", [])
        assert len(found) <= 1
        return found[0] if found else None

    def stored_ids(self) -> list[str]:
        """Every statement id in Ralph's storage file, once per stored copy (duplicates would show here)."""
        ids: list[str] = []
        for file in self.data.rglob("*.jsonl"):
            ids += [json.loads(line)["id"] for line in file.read_text(encoding="utf-8").splitlines() if line.strip()]
        return ids


def _ralph(folder: Path) -> Iterator[Ralph]:
    server = Ralph(folder)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def ralph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ralph]:
    """One LRS for the tests that only add statements (every test's database has its own ids)."""
    if not RALPH_INSTALLED:
        pytest.skip("Ralph is not installed")
    yield from _ralph(tmp_path_factory.mktemp("ralph"))


@pytest.fixture
def own_ralph(tmp_path: Path) -> Iterator[Ralph]:
    """An LRS of the test's own, to stop and restart."""
    if not RALPH_INSTALLED:
        pytest.skip("Ralph is not installed")
    yield from _ralph(tmp_path / "ralph")
