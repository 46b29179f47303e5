"""A trainer's override reaches every view of the trainee, after a restart too (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from simulator.application.attempts import Attempts, play_through
from simulator.core.scoring.outcome import attempt_score
from simulator.core.scoring.scorer import RubricScorer
from simulator.ui.main_window import MainWindow
from tests.ui.helpers import answers, card, make_window

COMMENT = "She had to ask twice before the card was locked."


@pytest.fixture
def overridden(tmp_path: Path) -> tuple[Path, int, float, float]:
    """Ana's finished attempt with one verdict overridden by a trainer: (data, attempt id, scorer's, counted)."""
    window = make_window(tmp_path)
    store = window.store
    ana = store.add_trainee("Ana")
    scenario = window.catalog.get("stolen-wallet")
    attempt_id = play_through(
        Attempts(store, RubricScorer), ana.id, scenario, answers("stolen-wallet--resolved_well.txt")
    )
    scorer = store.attempt(attempt_id).score
    store.set_trainer_passphrase("Dana", "a long passphrase")
    store.override_verdict(attempt_id, 0, "lock_card_first", False, COMMENT, "Dana")
    counted = attempt_score([t.result for t in store.turns(attempt_id)], finished=True).score
    window.close()
    window.deleteLater()
    assert scorer is not None and counted is not None and round(counted) < round(scorer)
    return tmp_path, attempt_id, scorer, counted


def test_the_trainees_library_progress_and_debrief_show_the_overridden_score(qtbot, overridden) -> None:  # type: ignore[no-untyped-def]
    data, attempt_id, scorer, counted = overridden
    window: MainWindow = make_window(data)  # a fresh start: nothing kept in memory from before
    qtbot.addWidget(window)
    [ana] = window.store.trainees()
    window.set_trainee(ana)
    window.show()

    history = card(window, "stolen-wallet").history_label.text()
    assert f"best {counted:.0f}/100" in history and f"{scorer:.0f}" not in history

    window.show_progress()
    row = window.progress.model.row_at(0)
    assert row.attempt_id == attempt_id and row.score == pytest.approx(counted)

    window.open_attempt(attempt_id)
    debrief = window.debrief
    assert window.pages.currentWidget() is debrief and debrief.header is not None
    assert debrief.header.score_label.text() == f"{counted:.0f} / 100"
    assert "reviewed by your trainer" in debrief.header.answers_label.text()
    first = debrief.turn_cards[0]
    assert first.review_label is not None
    review = first.review_label.text()
    assert COMMENT in review and "Dana" in review and "the scorer said met" in review
    assert "Locks the card before anything else" in first.missed_label.text()  # now counted as missed
    assert "✓ Locks the card" not in first.legend_label.text()
    qtbot.mouseClick(debrief.library_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.library
