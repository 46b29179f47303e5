"""Override use cases: apply, list and undo, each audited; an undo shows everywhere at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.application import overrides
from simulator.application.attempts import Attempts, play_through
from simulator.core.catalog import Catalog
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.store import Store
from tests.conftest import DATA, SCENARIOS


@pytest.fixture
def played(tmp_path: Path) -> tuple[Store, int, float]:
    store = Store(tmp_path / "db.sqlite3")
    ana = store.add_trainee("Ana")
    scenario = Catalog([SCENARIOS]).get("stolen-wallet")
    lines = [x for x in (DATA / "paths" / "stolen-wallet--resolved_well.txt").read_text().splitlines() if x.strip()]
    attempt_id = play_through(Attempts(store, RubricScorer), ana.id, scenario, lines)
    store.set_trainer_passphrase("Dana", "a long passphrase")
    score = store.attempt(attempt_id).score
    assert score is not None
    return store, attempt_id, score


def test_apply_then_undo_brings_the_scorers_score_back_and_audits_both(played) -> None:  # type: ignore[no-untyped-def]
    store, attempt_id, scorer = played
    made = overrides.apply(store, attempt_id, 0, "lock_card_first", False, "asked twice", "Dana")
    assert made.met is False and made.original_met is True and made.trainer == "Dana"
    assert overrides.listed(store, attempt_id) == [made]
    assert store.attempt(attempt_id).score != pytest.approx(scorer)

    undone = overrides.undo(store, made.id, "Dana")
    assert undone == made and overrides.listed(store, attempt_id) == []
    after = store.attempt(attempt_id)
    assert after.score == pytest.approx(scorer) and not after.reviewed
    actions = [e.action for e in store.audit_log()]
    assert actions[:2] == ["override_undone", "override"]


def test_undo_of_a_second_override_restores_the_first(played) -> None:  # type: ignore[no-untyped-def]
    store, attempt_id, _ = played
    first = overrides.apply(store, attempt_id, 0, "lock_card_first", False, "asked twice", "Dana")
    second = overrides.apply(store, attempt_id, 0, "lock_card_first", True, "re-listened: it was first", "Dana")
    assert store.turns(attempt_id)[0].result.get("lock_card_first").met is True  # type: ignore[union-attr]
    overrides.undo(store, second.id, "Dana")
    assert overrides.listed(store, attempt_id) == [first]
    assert store.turns(attempt_id)[0].result.get("lock_card_first").met is False  # type: ignore[union-attr]


def test_only_a_trainer_may_undo_and_only_what_exists(played) -> None:  # type: ignore[no-untyped-def]
    store, attempt_id, _ = played
    made = overrides.apply(store, attempt_id, 0, "lock_card_first", False, "asked twice", "Dana")
    with pytest.raises(ValueError, match="not a trainer"):
        overrides.undo(store, made.id, "Ana")
    with pytest.raises(ValueError, match="no override"):
        overrides.undo(store, made.id + 99, "Dana")
    assert overrides.listed(store, attempt_id) == [made]
