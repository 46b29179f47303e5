"""``empathy-trainer records export|status|send`` on a real data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from keyring.backends import fail

from simulator.cli.main import main
from simulator.core.model import Scenario
from simulator.records.config import KeyringSecrets, LrsConfig, Settings
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import play


@pytest.fixture
def data(tmp_path: Path, scenario: Scenario) -> Path:
    """A data folder with Ana's two attempts and Ben's one."""
    store = Store(database_path(tmp_path))
    ana, ben = store.add_trainee("Ana"), store.add_trainee("Ben")
    play(store, scenario, ana.id)
    play(store, scenario, ana.id, "stolen-wallet--hung_up.txt")
    play(store, scenario, ben.id, stop_after=2)
    store.close()
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_everything_one_trainee_or_chosen_attempts(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data), "records", "export", str(data / "all.json"))
    everything = json.loads((data / "all.json").read_text(encoding="utf-8"))
    assert code == 0 and out.strip() == f"Wrote {len(everything)} statement(s) of 3 attempt(s) to {data / 'all.json'}"
    assert {s["actor"]["name"] for s in everything} == {"Ana", "Ben"}

    run(capsys, "--data-dir", str(data), "records", "export", "--trainee", "ana", str(data / "ana.json"))
    ana = json.loads((data / "ana.json").read_text(encoding="utf-8"))
    assert ana == [s for s in everything if s["actor"]["name"] == "Ana"]

    code, out, _ = run(capsys, "--data-dir", str(data), "records", "export", "--attempt", "3", "-")
    assert code == 0 and json.loads(out) == [s for s in everything if s["actor"]["name"] == "Ben"]


def test_export_says_what_it_cannot_find(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(capsys, "--data-dir", str(data), "records", "export", "--attempt", "9", "x.json")[2]
        == "records export: no attempt 9\n"
    )
    assert (
        "no trainee called 'Zoe'"
        in run(capsys, "--data-dir", str(data), "records", "export", "--trainee", "Zoe", "-")[2]
    )


def test_status_and_send_without_an_lrs_send_nothing(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--data-dir", str(data), "records", "status")
    assert code == 0 and "LRS: none configured; nothing is sent anywhere" in out
    code, _, err = run(capsys, "--data-dir", str(data), "records", "send")
    assert code == 1 and err == "records send: no LRS is configured; nothing was sent\n"


@needs_ralph
def test_send_catches_up_and_delivers_to_the_configured_lrs(
    data: Path, ralph: Ralph, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store(database_path(data))
    Settings(store.db, KeyringSecrets(fail.Keyring())).save(ralph.config())  # no keyring: the secret is in the database
    expected = LearningRecords(store).export_bodies([1, 2, 3])
    store.close()
    code, out, _ = run(capsys, "--data-dir", str(data), "records", "send")
    assert code == 0 and out.strip() == f"sent: {len(expected)}  already there: 0  rejected: 0  waiting: 0"
    assert all(ralph.statement(s["id"]) is not None for s in expected)
    code, out, _ = run(capsys, "--data-dir", str(data), "records", "status")
    assert f"LRS: {ralph.endpoint} (secret in the database (no keyring available))" in out
    assert f"waiting: 0  sent: {len(expected)}  rejected by the LRS: 0" in out


def test_send_names_the_problem_when_the_lrs_is_down(data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.records.helpers import free_port

    store = Store(database_path(data))
    port = free_port()
    Settings(store.db, KeyringSecrets(fail.Keyring())).save(
        LrsConfig(f"http://127.0.0.1:{port}/xAPI/", key="k", secret="s")
    )
    store.close()
    code, out, err = run(capsys, "--data-dir", str(data), "records", "send")
    assert code == 1 and out.startswith("sent: 0")
    assert (
        err.strip()
        == f"records send: 127.0.0.1:{port} refused the connection: nothing is listening there. Check the address and port, and that the LRS is running."
    )
