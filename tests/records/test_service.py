"""Queueing as the app does, catching up after a crash, and exporting statements to a JSON file."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from simulator.core.model import Scenario
from simulator.records.config import LrsConfig
from simulator.records.outbox import Outbox
from simulator.records.service import LearningRecords
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.records.conftest import Ralph, needs_ralph
from tests.records.helpers import FakeClock, play

ROOT = Path(__file__).resolve().parents[2]


def test_queueing_as_the_attempt_goes_adds_each_statement_once(
    store: Store, scenario: Scenario, records: LearningRecords
) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = play(store, scenario, ana.id, stop_after=0)  # started
    assert records.record_attempt(attempt_id).pending == 2
    assert records.record_attempt(attempt_id).pending == 2  # resumed, or the same hook twice
    store.discard(attempt_id)
    attempt_id = play(store, scenario, ana.id)
    turns = len(store.turns(attempt_id))
    assert records.record_attempt(attempt_id).pending == 2 + 2 + turns + 3
    roles = [r[0] for r in store.db.execute("SELECT role FROM records_outbox ORDER BY rowid").fetchall()]
    assert roles[2:] == [
        "launched",
        "initialized",
        *[f"answered/{i}" for i in range(turns)],
        "completed",
        "passed",
        "terminated",
    ]


def test_catching_up_queues_what_a_crash_left_out(store: Store, scenario: Scenario, records: LearningRecords) -> None:
    ana = store.add_trainee("Ana")
    queued = play(store, scenario, ana.id)
    records.record_attempt(queued)
    missed = play(store, scenario, ana.id, "stolen-wallet--hung_up.txt")  # saved, but the app died before queueing
    older = play(store, scenario, ana.id, stop_after=2)  # e.g. played before learning records existed
    before = records.counts().pending
    added = records.catch_up()
    assert added == len(records.statements(store.attempt(missed))) + len(records.statements(store.attempt(older)))
    assert records.counts().pending == before + added
    assert records.catch_up() == 0


def test_queued_statements_survive_the_app_being_killed(tmp_path: Path, scenario: Scenario) -> None:
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(ROOT)!r})
        from pathlib import Path
        from simulator.core.catalog import Catalog
        from simulator.records.service import LearningRecords
        from simulator.storage.store import Store
        from tests.records.helpers import play
        store = Store(Path({str(database_path(tmp_path))!r}))
        attempt = play(store, Catalog([Path({str(ROOT / "scenarios")!r})]).get("stolen-wallet"), store.add_trainee("Ana").id)
        print(LearningRecords(store).record_attempt(attempt).pending, flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    queued = int(done.stdout.strip())
    store = Store(database_path(tmp_path))
    assert LearningRecords(store).counts().pending == queued > 0
    store.close()


def test_export_writes_the_attempts_statements_as_one_json_array(
    tmp_path: Path, store: Store, scenario: Scenario, records: LearningRecords
) -> None:
    ana = store.add_trainee("Ana")
    first = play(store, scenario, ana.id)
    second = play(store, scenario, ana.id, "stolen-wallet--hung_up.txt")
    records.record_attempt(first)  # queued; the second is not (yet)
    target = tmp_path / "out" / "records.json"
    count = records.export(target, [second, first, first])
    exported = json.loads(target.read_text(encoding="utf-8"))
    expected = [s.body for a in (first, second) for s in records.statements(store.attempt(a))]
    assert count == len(exported) == len(expected)
    assert exported == expected  # oldest attempt first, each in the order things happened
    assert [s["verb"]["display"]["en-US"] for s in exported[-3:]] == ["completed", "failed", "terminated"]
    assert not [p for p in target.parent.iterdir() if p.name != "records.json"]  # no temporary file left
    assert records.all_attempt_ids() == [first, second]


def test_export_writes_statements_as_they_were_queued(
    tmp_path: Path, store: Store, scenario: Scenario, records: LearningRecords
) -> None:
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    records.record_attempt(attempt_id)  # queued with the default home page
    records.settings().save(
        LrsConfig("https://lrs.example.org/xAPI/", key="k", secret="s", homepage="https://lms.example.org")
    )
    target = tmp_path / "records.json"
    records.export(target, [attempt_id])
    exported = json.loads(target.read_text(encoding="utf-8"))
    queued = Outbox(store.db).bodies(s["id"] for s in exported)
    assert exported == [queued[s["id"]] for s in exported]  # what the LRS got or will get, id for id
    assert {s["actor"]["account"]["homePage"] for s in exported} == {"urn:empathy-trainer"}


@needs_ralph
def test_an_export_posted_to_an_lrs_is_accepted(
    tmp_path: Path, store: Store, scenario: Scenario, clock: FakeClock, ralph: Ralph
) -> None:
    records = LearningRecords(store, clock=clock)
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    records.export(tmp_path / "records.json", [attempt_id])
    answer = ralph.http.post(ralph.endpoint + "statements", data=(tmp_path / "records.json").read_bytes(),
                             headers={"Content-Type": "application/json"}, timeout=10)  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()) == sorted(s.id for s in records.statements(store.attempt(attempt_id)))
