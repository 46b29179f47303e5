"""xAPI statements built from real attempts in a real database: vocabulary, results, and stable ids."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest

from simulator.core.model import Scenario
from simulator.records import statements as st
from simulator.records.statements import Learner, attempt_statements, duration
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from tests.records.helpers import play

ADL = "http://adlnet.gov/expapi/verbs/"
ISO_DURATION = re.compile(r"^PT(\d+H)?(\d+M)?(\d+(\.\d{1,2})?S)?$")


def build(
    store: Store, attempt_id: int, installation: str = "install-1", homepage: str = st.DEFAULT_HOMEPAGE
) -> list[st.Statement]:
    attempt = store.attempt(attempt_id)
    return attempt_statements(attempt, store.turns(attempt_id), Learner("Ana", homepage), installation)


def verbs(statements: list[st.Statement]) -> list[str]:
    return [s.body["verb"]["id"].removeprefix(ADL) for s in statements]


def categories(statement: st.Statement) -> list[str]:
    return [c["id"] for c in statement.body["context"].get("contextActivities", {}).get("category", [])]


def test_a_finished_attempt_is_launched_initialized_answered_per_turn_completed_passed_terminated(
    store: Store, scenario: Scenario
) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = play(store, scenario, ana.id)
    turns = store.turns(attempt_id)
    statements = build(store, attempt_id)
    assert verbs(statements) == [
        "launched",
        "initialized",
        *["answered"] * len(turns),
        "completed",
        "passed",
        "terminated",
    ]
    assert [s.role for s in statements][2:-3] == [f"answered/{t.index}" for t in turns]
    assert len({s.id for s in statements}) == len(statements)
    assert all(s.body["id"] == s.id and s.attempt_id == attempt_id for s in statements)
    # One registration for the whole attempt, and a cmi5 session id beside it.
    registrations = {s.body["context"]["registration"] for s in statements}
    sessions = {s.body["context"]["extensions"][st.CMI5_EXTENSION + "sessionid"] for s in statements}
    assert len(registrations) == 1 and len(sessions) == 1
    assert uuid.UUID(registrations.pop()).version == 5
    assert all(
        s.body["actor"]
        == {"objectType": "Agent", "name": "Ana", "account": {"homePage": "urn:empathy-trainer", "name": "Ana"}}
        for s in statements
    )


def test_cmi5_defined_statements_carry_the_cmi5_category_and_answered_does_not(
    store: Store, scenario: Scenario
) -> None:
    ana = store.add_trainee("Ana")
    statements = build(store, play(store, scenario, ana.id))
    by_verb = {v: s for v, s in zip(verbs(statements), statements, strict=False)}
    for verb in ("launched", "initialized", "terminated"):
        assert categories(by_verb[verb]) == [st.CMI5_CATEGORY]
    for verb in ("completed", "passed"):
        assert categories(by_verb[verb]) == [st.CMI5_CATEGORY, st.MOVEON_CATEGORY]
    answered = [s for s in statements if s.role.startswith("answered/")]
    assert all(categories(s) == [] for s in answered)
    assert all(
        s.body["context"]["contextActivities"]["parent"] == [by_verb["launched"].body["object"]] for s in answered
    )
    launched = by_verb["launched"].body["context"]["extensions"]
    assert launched[st.CMI5_EXTENSION + "launchmode"] == "Normal"
    assert launched[st.CMI5_EXTENSION + "moveon"] == "Completed"  # practice; assessments move on when passed
    assert by_verb["launched"].body["object"]["id"] == "urn:empathy-trainer:scenario:stolen-wallet"
    assert by_verb["launched"].body["context"]["revision"] == scenario.content_hash


def test_answered_carries_the_answer_its_score_and_every_criterion_verdict(store: Store, scenario: Scenario) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = play(store, scenario, ana.id, seconds_per_answer=4.256)
    turn = store.turns(attempt_id)[0]
    answered = build(store, attempt_id)[2].body
    assert answered["verb"]["id"] == ADL + "answered"
    assert answered["object"]["definition"]["interactionType"] == "long-fill-in"
    assert answered["result"]["response"] == turn.answer
    assert answered["result"]["score"] == {
        "scaled": round(turn.score / 100, 4),
        "raw": round(turn.score, 1),
        "min": 0,
        "max": 100,
    }
    assert answered["result"]["duration"] == "PT4.26S"
    criteria = answered["result"]["extensions"][st.EXT_CRITERIA]
    assert set(criteria) == {c["id"] for c in turn.criteria}
    assert criteria["lock_card_first"]["met"] is True
    for c in turn.criteria:
        assert criteria[c["id"]]["met"] == c["met"] and criteria[c["id"]]["score"] == c["score"]
    assert answered["result"]["extensions"][st.EXT_MOOD_BEFORE] == turn.mood_before
    extensions = answered["context"]["extensions"]
    assert extensions[st.EXT_CUSTOMER_LINE] == turn.customer_line and extensions[st.EXT_TURN] == 0
    assert extensions[st.EXT_INPUT_MODE] == "text" and extensions[st.EXT_MODE] == "practice"


def test_the_end_has_completion_success_score_and_duration(store: Store, scenario: Scenario) -> None:
    ana = store.add_trainee("Ana")
    attempt_id = play(store, scenario, ana.id)
    attempt = store.attempt(attempt_id)
    completed, judged, terminated = (s.body for s in build(store, attempt_id)[-3:])
    assert completed["result"] == {"completion": True, "duration": duration(attempt.duration_seconds or 0)}
    assert judged["result"]["success"] is True
    assert judged["result"]["score"]["raw"] == round(attempt.score or 0, 1)
    assert judged["result"]["extensions"][st.EXT_OUTCOME] == "resolved"
    assert judged["result"]["extensions"][st.EXT_ENDING] == "resolved_well"
    assert set(terminated["result"]) == {"duration"}
    assert all(ISO_DURATION.match(s["result"]["duration"]) for s in (completed, judged, terminated))
    assert terminated["timestamp"].endswith("Z") and terminated["timestamp"] == completed["timestamp"]


@pytest.mark.parametrize(
    ("path", "mode", "verb", "moveon"),
    [
        ("stolen-wallet--hung_up.txt", "practice", "failed", "Completed"),
        ("stolen-wallet--supervisor_handover.txt", "assessment", "failed", "Passed"),
        ("stolen-wallet--resolved_well.txt", "assessment", "passed", "Passed"),
    ],
)
def test_passed_only_when_the_customer_is_helped_without_an_auto_fail(
    store: Store, scenario: Scenario, path: str, mode: str, verb: str, moveon: str
) -> None:
    ana = store.add_trainee("Ana")
    statements = build(store, play(store, scenario, ana.id, path, mode=mode))
    assert verbs(statements)[-2] == verb
    assert statements[-2].body["result"]["success"] is (verb == "passed")
    assert statements[0].body["context"]["extensions"][st.CMI5_EXTENSION + "moveon"] == moveon
    assert statements[0].body["context"]["extensions"][st.EXT_MODE] == mode


def test_an_unfinished_attempt_has_only_what_happened_so_far(store: Store, scenario: Scenario) -> None:
    ana = store.add_trainee("Ana")
    statements = build(store, play(store, scenario, ana.id, stop_after=2))
    assert verbs(statements) == ["launched", "initialized", "answered", "answered"]


def test_building_again_from_the_reopened_database_gives_the_same_ids_and_bodies(
    tmp_path: Path, scenario: Scenario
) -> None:
    store = Store(database_path(tmp_path))
    ana = store.add_trainee("Ana")
    attempt_id = play(store, scenario, ana.id)
    first = build(store, attempt_id)
    store.close()
    again = Store(database_path(tmp_path))
    assert build(again, attempt_id) == first
    # A trainer's later override changes what the debrief shows, not what was recorded about the attempt.
    again.set_trainer_passphrase("Dana", "a long passphrase")
    again.override_verdict(attempt_id, 0, "lock_card_first", False, "not quite", "Dana")
    assert build(again, attempt_id) == first
    again.close()


def test_the_same_attempt_number_in_another_database_gets_other_ids(tmp_path: Path, scenario: Scenario) -> None:
    ids = []
    for name in ("one", "two"):
        store = Store(database_path(tmp_path / name))
        attempt_id = play(store, scenario, store.add_trainee("Ana").id)
        assert attempt_id == 1
        ids.append({s.id for s in build(store, attempt_id, installation="copied-image")})
        store.close()
    assert not ids[0] & ids[1]  # the start time (to the microsecond) differs even on copies of one database


def test_ids_follow_from_registration_and_role_alone(store: Store, scenario: Scenario) -> None:
    attempt_id = play(store, scenario, store.add_trainee("Ana").id)
    statements = build(store, attempt_id)
    registration = st.registration(store.attempt(attempt_id), "install-1")
    assert [s.id for s in statements] == [str(uuid.uuid5(uuid.UUID(registration), s.role)) for s in statements]
    other_home = build(store, attempt_id, homepage="https://lms.example.org")
    assert [s.id for s in other_home] == [s.id for s in statements]
    assert other_home[0].body["actor"]["account"]["homePage"] == "https://lms.example.org"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "PT0S"),
        (4.256, "PT4.26S"),
        (59.999, "PT1M"),
        (61, "PT1M1S"),
        (3600, "PT1H"),
        (3725.5, "PT1H2M5.50S"),
        (-1, "PT0S"),
    ],
)
def test_iso_8601_durations(seconds: float, text: str) -> None:
    assert duration(seconds) == text
    assert ISO_DURATION.match(text)


def test_timestamps_are_utc_with_milliseconds() -> None:
    from datetime import datetime, timedelta, timezone

    local = datetime(2025, 3, 1, 10, 0, 0, 123456, tzinfo=timezone(timedelta(hours=2)))
    assert st.timestamp(local) == "2025-03-01T08:00:00.123Z"
