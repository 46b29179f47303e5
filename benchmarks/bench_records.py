"""Benchmark: learning records, from attempts in the database to statements stored in a real LRS.

Plays attempts through the real engine into a fresh database, then measures building
their xAPI statements, queueing them in the outbox, and draining the outbox to Ralph
(file-system backend, on loopback, started as the tests start it) in batches. Needs the
test extra (ralph-malph[lrs]); without Ralph only the local steps are measured.

    .venv/bin/python benchmarks/bench_records.py [--statements 1000] [--batch 50] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.application.attempts import Attempts, play_through  # noqa: E402
from simulator.core.catalog import Catalog  # noqa: E402
from simulator.core.scoring.scorer import RubricScorer  # noqa: E402
from simulator.records.config import KeyringSecrets, LrsConfig  # noqa: E402
from simulator.records.service import LearningRecords  # noqa: E402
from simulator.storage.store import Store  # noqa: E402

LAUNCHER = ROOT / "tests" / "records" / "ralph_server.py"
PATHS = ROOT / "tests" / "data" / "paths"


def play_attempts(store: Store, wanted_statements: int) -> list[int]:
    """Attempts of every bundled path, round robin, until they earn ``wanted_statements`` statements."""
    catalog = Catalog([ROOT / "scenarios"])
    attempts = Attempts(store, RubricScorer)
    trainee = store.add_trainee("Bench")
    paths = sorted(PATHS.glob("*.txt"))
    ids: list[int] = []
    earned = 0
    while earned < wanted_statements:
        path = paths[len(ids) % len(paths)]
        scenario = catalog.get(path.name.split("--")[0])
        answers = (x for x in path.read_text(encoding="utf-8").splitlines() if x.strip())
        attempt = play_through(attempts, trainee.id, scenario, answers, seed=len(ids))
        earned += store.attempt(attempt).turn_count  # one 'answered' statement per turn
        earned += 5
        ids.append(attempt)
    return ids


class Ralph:
    def __init__(self, folder: Path) -> None:
        import bcrypt

        self.folder = folder
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        digest = bcrypt.hashpw(b"bench-secret", bcrypt.gensalt(rounds=4)).decode()
        users = [{"username": "bench", "hash": digest, "scopes": ["all"], "agent": {"mbox": "mailto:b@example.org"}}]
        (folder / "auth.json").write_text(json.dumps(users), encoding="utf-8")
        (folder / "data").mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("RALPH_") and "proxy" not in k.lower()}
        env.update(
            RALPH_RUNSERVER_BACKEND="fs",
            RALPH_AUTH_FILE=str(folder / "auth.json"),
            RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(folder / "data"),
            RALPH_HISTORY_FILE=str(folder / "history.json"),
            RALPH_APP_DIR=str(folder / "app"),
        )
        log = (folder / "ralph.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, str(LAUNCHER), str(self.port)], env=env, cwd=folder, stdout=log, stderr=log
        )
        started = time.perf_counter()
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__heartbeat__", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                if self.process.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("Ralph did not start; see " + str(folder / "ralph.log")) from None
                time.sleep(0.05)
        self.startup_s = time.perf_counter() - started

    def config(self) -> LrsConfig:
        return LrsConfig(f"http://127.0.0.1:{self.port}/xAPI/", key="bench", secret="bench-secret")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


class NoKeyring:
    """The benchmark never touches the machine's keyring."""

    name = "none"
    priority = 0

    def get_password(self, service: str, username: str) -> str | None:
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError("no keyring in the benchmark")

    def delete_password(self, service: str, username: str) -> None:
        pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=1000, help="about how many statements to make and send")
    parser.add_argument("--batch", type=int, default=50, help="statements per POST")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.sqlite3")
        started = time.perf_counter()
        ids = play_attempts(store, args.statements)
        results["play_attempts_s"] = round(time.perf_counter() - started, 2)
        records = LearningRecords(store, secrets=KeyringSecrets(NoKeyring()), batch_size=args.batch)
        started = time.perf_counter()
        built = [s for i in ids for s in records.statements(store.attempt(i))]
        results["statements"] = len(built)
        results["attempts"] = len(ids)
        results["build_ms_per_attempt"] = round((time.perf_counter() - started) * 1000 / len(ids), 3)
        started = time.perf_counter()
        for attempt_id in ids:
            records.record_attempt(attempt_id)  # as the app does: once per attempt event
        results["queue_ms_per_attempt"] = round((time.perf_counter() - started) * 1000 / len(ids), 3)
        started = time.perf_counter()
        records.export(Path(folder) / "export.json", ids)
        results["export_s"] = round(time.perf_counter() - started, 3)
        if importlib.util.find_spec("ralph") is None:
            results["lrs"] = "Ralph is not installed (pip install -e '.[test]'): sending not measured"
        else:
            lrs_folder = Path(folder) / "ralph"
            lrs_folder.mkdir()
            server = Ralph(lrs_folder)
            try:
                results["ralph_startup_s"] = round(server.startup_s, 2)
                records.sender.configure(server.config())
                started = time.perf_counter()
                done = records.sender.drain()
                elapsed = time.perf_counter() - started
                assert done.failure is None and records.counts().pending == 0, done
                results["batch"] = args.batch
                results["drain_s"] = round(elapsed, 2)
                results["statements_per_s"] = round(done.sent / elapsed, 1)
            finally:
                server.stop()
        store.close()
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for key, value in results.items():
            print(f"  {key:<22} {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
