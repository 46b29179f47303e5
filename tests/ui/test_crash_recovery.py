"""Kill the app with SIGKILL mid-attempt: after restart every answered turn is there, and it resumes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.ui.helpers import ROOT, answers, card, make_window, type_answer

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def test_sigkill_mid_attempt_loses_no_answered_turn(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    answered = 3
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.ui.crash_driver", str(tmp_path), str(answered)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.strip() == f"ANSWERED {answered}", process.stderr.read() if process.stderr else ""
        os.kill(process.pid, signal.SIGKILL)
        assert process.wait(timeout=10) == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()

    # Restart: a new window on the same data folder.
    store = Store(database_path(tmp_path))
    trainee = store.add_trainee("Ana")
    [attempt] = store.unfinished(trainee.id)
    script = answers("stolen-wallet--resolved_well.txt")
    assert [t.answer for t in store.turns(attempt.id)] == script[:answered]
    window = make_window(tmp_path, store=store)
    qtbot.addWidget(window)
    window.set_trainee(trainee)
    wallet = card(window, "stolen-wallet")
    assert wallet.resume_button is not None
    qtbot.mouseClick(wallet.resume_button, Qt.MouseButton.LeftButton)
    assert len(window.conversation.bubbles()) == 2 * answered + 1
    for line in script[answered:]:
        type_answer(qtbot, window, line)
    finished = store.attempt(attempt.id)
    assert finished.finished and finished.ending_id == "resolved_well"
    assert [t.answer for t in store.turns(attempt.id)] == script
