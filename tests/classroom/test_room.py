"""The live room without sockets: replayed answers, refusals, the dashboard, and what is handed to storage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from simulator.classroom.protocol import Refusal
from simulator.classroom.room import AnswerRefused, JoinRefused, LiveRoom, Phase
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom_records import Assignment
from tests.classroom.conftest import GOOD, POOR, lines


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 3, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=10)
        return self.now


def make_room(scenario: Scenario, scorer: RubricScorer, **options: object) -> LiveRoom:
    assignment = Assignment(
        id=1, uid="a" * 32, group_id=1, group_uid="g" * 32, group_name="G", scenario_id=scenario.id,
        scenario_title=scenario.title, scenario_hash=scenario.content_hash, mode="assessment", pass_threshold=60,
        attempt_limit=None, due=None, created=datetime(2025, 1, 1, tzinfo=UTC), secret="k",
    )  # fmt: skip
    seeds = iter(range(100))
    return LiveRoom(assignment, scenario, scorer, clock=Clock(), seeds=lambda: next(seeds), **options)  # type: ignore[arg-type]


def test_answers_are_replayed_in_order_and_the_dashboard_follows(scenario: Scenario, scorer: RubricScorer) -> None:
    room = make_room(scenario, scorer)
    ana, ben = room.join("  Ana "), room.join("Ben")
    assert (ana.name, ana.seed, ben.seed) == ("Ana", 0, 1)
    with pytest.raises(AnswerRefused, match="expected the answer to turn 0, not 1"):
        room.answer("ana", 1, "skipping ahead", 3)
    for index, line in enumerate(lines(GOOD)):
        room.answer("ana", index, line, 5000)  # a claimed response time longer than the turn is capped
    room.answer("ben", 0, lines(POOR)[0], 4)
    with pytest.raises(AnswerRefused, match="already over"):
        room.answer("ana", 5, "one more", 1)
    board = room.dashboard()
    rows = {r.name: r for r in board.rows}
    assert rows["Ana"].phase is Phase.FINISHED and rows["Ana"].outcome == "resolved" and rows["Ana"].passed
    assert rows["Ben"].phase is Phase.PLAYING and rows["Ben"].final_score is None and rows["Ben"].passed is None
    assert (board.joined, board.playing, board.finished, board.passed) == (2, 1, 1, 1)
    assert board.mean_final_score == rows["Ana"].final_score
    assert rows["Ben"].current_node is not None and rows["Ben"].turn_count == 1

    finished = room.take_unsaved(finished_only=True)
    assert [(key, name) for key, name, _ in finished] == [("ana", "Ana")]
    attempt = finished[0][2]
    assert attempt.finished and attempt.outcome == "resolved" and attempt.seed == 0 and attempt.mode == "assessment"
    # the claimed 5000 s are capped: no turn is shown before the previous one was answered (or the join)
    previous = [attempt.started] + [t.answered_at for t in attempt.turns[:-1]]
    assert [t.shown_at for t in attempt.turns] == previous
    assert room.take_unsaved(finished_only=True) == []  # handed over once
    room.end()
    (rest,) = room.take_unsaved(finished_only=False)
    assert rest[0] == "ben" and not rest[2].finished and len(rest[2].turns) == 1
    assert room.dashboard().rows[1].phase is Phase.STOPPED
    with pytest.raises(JoinRefused, match="ended"):
        room.join("Cleo")
    with pytest.raises(AnswerRefused, match="ended"):
        room.answer("ben", 1, "too late", 1)


def test_joining_rules(scenario: Scenario, scorer: RubricScorer) -> None:
    room = make_room(scenario, scorer, allowed_names=["Ana Silva", "Ben"], max_participants=2)
    with pytest.raises(JoinRefused, match="not on this group's list") as unlisted:
        room.join("Eve")
    assert unlisted.value.code is Refusal.NAME_NOT_LISTED
    ana = room.join("ana  SILVA")
    with pytest.raises(JoinRefused, match="already in the session") as taken:
        room.join("Ana Silva")
    assert taken.value.code is Refusal.NAME_TAKEN
    room.answer(ana.key, 0, lines(GOOD)[0], 3)
    room.leave("ana silva")
    assert room.dashboard().rows[0].phase is Phase.LEFT  # she answered: her place and her answers are kept
    with pytest.raises(JoinRefused, match="rejoin from the computer it joined on") as tokenless:
        room.join("Ana Silva")  # the name alone is not enough to take over her conversation
    assert tokenless.value.code is Refusal.TOKEN_NEEDED
    with pytest.raises(JoinRefused) as forged:
        room.join("Ana Silva", "x" * len(ana.token))
    assert forged.value.code is Refusal.TOKEN_NEEDED
    back = room.join("Ana Silva", ana.token)
    assert back is ana and back.seed == 0 and [r.text for r in room.resume_answers(ana.key)] == [lines(GOOD)[0]]
    room.join("Ben")
    full = make_room(scenario, scorer, max_participants=1)
    full.join("A")
    with pytest.raises(JoinRefused, match="full") as no_room:
        full.join("B")
    assert no_room.value.code is Refusal.FULL
    with pytest.raises(JoinRefused, match="invisible characters"):
        room.join("\x1b[31mred")
    with pytest.raises(JoinRefused, match="invisible characters"):
        room.join("Ana\u202e")  # a right-to-left override: "Ana" spoofed on the dashboard
    with pytest.raises(JoinRefused, match="invisible characters"):
        room.join("Ben\u200b")  # a zero-width space: a second "Ben"


def test_a_name_that_left_without_answering_frees_its_place(scenario: Scenario, scorer: RubricScorer) -> None:
    """Fake names with the code cannot fill a session for good: one that never answered holds nothing once gone."""
    room = make_room(scenario, scorer, max_participants=2)
    fakes = [room.join("Fake 1"), room.join("Fake 2")]
    with pytest.raises(JoinRefused) as full:
        room.join("Ana")
    assert full.value.code is Refusal.FULL
    for fake in fakes:
        room.leave(fake.key)
    assert room.dashboard().rows == ()
    assert room.join("Ana").name == "Ana" and room.join("Fake 1").token != fakes[0].token  # a new trainee, new token
    room.end()
    room.leave("fake 1")
    assert [r.name for r in room.dashboard().rows] == ["Ana", "Fake 1"]  # after the end, nobody is forgotten


def test_places_are_for_trainees_connected_at_once_and_the_names_kept_are_bounded(
    scenario: Scenario, scorer: RubricScorer
) -> None:
    """Fakes that answer once and leave are kept for the trainer, but hold no place, and only up to max_names."""
    room = make_room(scenario, scorer, max_participants=2, max_names=3)
    for name in ("Fake 1", "Fake 2"):
        fake = room.join(name)
        room.answer(fake.key, 0, "hello", 2)
        room.leave(fake.key)
    ana = room.join("Ana")  # both fakes left: two places free although they are kept
    assert [r.name for r in room.dashboard().rows] == ["Ana", "Fake 1", "Fake 2"]
    with pytest.raises(JoinRefused) as kept_full:
        room.join("Ben")  # one place is free, but three names are kept: the bound on the host's memory
    assert kept_full.value.code is Refusal.FULL
    room.join("Fake 1", room._participants["fake 1"].token)  # a kept trainee's own rejoin always fits
    with pytest.raises(JoinRefused) as full:
        room.join("Ben")
    assert full.value.code is Refusal.FULL
    assert ana.connected


def test_look_alike_names_are_refused_and_the_same_name_is_one_trainee(
    scenario: Scenario, scorer: RubricScorer
) -> None:
    room = make_room(scenario, scorer)
    room.join("Ana Silva")
    for lookalike in ("\u0410na Silva", "Ana Silv\u0430", "\u0391na Silva", "Ana  Si1va"):  # Cyrillic, Greek, 1 for l
        with pytest.raises(JoinRefused, match="looks the same") as refused:
            room.join(lookalike)
        assert refused.value.code is Refusal.NAME_LOOKALIKE, lookalike
    with pytest.raises(JoinRefused) as same:
        room.join("\uff21na silva")  # full-width A: NFKC makes it the same name, already connected
    assert same.value.code is Refusal.NAME_TAKEN
    assert room.join("Ana Silvas").name == "Ana Silvas"  # a different name is fine
    roster = make_room(scenario, scorer, allowed_names=["Ana"])
    with pytest.raises(JoinRefused) as unlisted:
        roster.join("\u0410na")  # a homoglyph does not slip past the roster either
    assert unlisted.value.code is Refusal.NAME_NOT_LISTED
