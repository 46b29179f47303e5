"""A trainer's override reaches every view of the trainee, after a restart too (issue 15)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from simulator.application.attempts import Attempts, play_through
from simulator.core.scoring.outcome import attempt_score
from simulator.core.scoring.scorer import RubricScorer
from simulator.records.config import KeyringSecrets
from simulator.records.service import LearningRecords
from simulator.ui.main_window import MainWindow
from simulator.ui.studio.gate import TrainerGate
from tests.records.helpers import MemoryKeyring
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


def test_a_trainer_overrides_in_the_studio_review_and_the_trainee_sees_it_at_once(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    plain = make_window(tmp_path)
    store = plain.store
    records = LearningRecords(store, secrets=KeyringSecrets(MemoryKeyring()))  # queued locally: no LRS set up
    window = MainWindow(plain.catalog, store, plain.assets, plain.settings, synchronous=True, records=records)
    plain.deleteLater()
    qtbot.addWidget(window)
    ana = store.add_trainee("Ana")
    attempt_id = play_through(
        Attempts(store, RubricScorer),
        ana.id,
        window.catalog.get("stolen-wallet"),
        answers("stolen-wallet--resolved_well.txt"),
    )
    scorer = store.attempt(attempt_id).score
    assert scorer is not None
    store.set_trainer_passphrase("Dana", "a long passphrase")
    window.set_trainee(ana)
    window.show()
    assert f"best {scorer:.0f}/100" in card(window, "stolen-wallet").history_label.text()

    # The trainer signs in at the gate and overrides "locks the card first" on the first answer.
    def sign_in() -> None:
        gate = next(w for w in QApplication.topLevelWidgets() if isinstance(w, TrainerGate) and w.isVisible())
        gate.passphrase.setText("a long passphrase")
        gate._check()

    QTimer.singleShot(0, sign_in)
    window.open_studio()
    studio = window.studio
    assert studio is not None
    review = studio.review
    review.ask_override = lambda _label, scorer_met, current: (False, COMMENT)
    studio.pages.setCurrentWidget(review)
    review.table.selectRow(0)
    first = review.tree.topLevelItem(0)
    lock = next(
        first.child(i)
        for i in range(first.childCount())
        if first.child(i).data(0, Qt.ItemDataRole.UserRole)[1] == "lock_card_first"
    )
    assert lock.text(1) == "met"
    review.tree.setCurrentItem(lock)
    qtbot.mouseClick(review.override_button, Qt.MouseButton.LeftButton)
    counted = attempt_score([t.result for t in store.turns(attempt_id)], finished=True).score
    assert counted is not None and round(counted) < round(scorer)
    assert review.table.item(0, review_score_column(review)).text().startswith(f"{counted:.0f}")
    # The learning records get one more statement with the new score and the comment, queued at once.
    queued = store.db.execute(
        "SELECT body FROM records_outbox WHERE attempt_id = ? AND role LIKE 'scored/%'", [attempt_id]
    ).fetchall()
    assert len(queued) == 1 and json.loads(queued[0][0])["result"]["score"]["raw"] == round(counted, 1)
    assert COMMENT in queued[0][0]
    studio.undo_stack.setClean()
    studio.close()

    # The trainee's views, without a restart: library, progress and debrief show the new score and why.
    qtbot.waitUntil(lambda: f"best {counted:.0f}/100" in card(window, "stolen-wallet").history_label.text())
    window.show_progress()
    assert window.progress.model.row_at(0).score == pytest.approx(counted)
    window.open_attempt(attempt_id)
    debrief = window.debrief
    assert debrief.header is not None and debrief.header.score_label.text() == f"{counted:.0f} / 100"
    review_text = debrief.turn_cards[0].review_label.text()
    assert COMMENT in review_text and "Dana" in review_text and "the scorer said met" in review_text


def review_score_column(review) -> int:  # type: ignore[no-untyped-def]
    """The review table's score column, found by its header as a trainer reads it."""
    headers = [review.table.horizontalHeaderItem(i).text().casefold() for i in range(review.table.columnCount())]
    return next(i for i, h in enumerate(headers) if h.startswith("score"))
