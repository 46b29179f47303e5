"""A projector session: one conversation for the room, answers credited, discussed, and saved per trainee."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.classroom.projector import ProjectorError, ProjectorPhase, ProjectorSession
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import Assignment, Status
from simulator.storage.store import Store, Trainee
from tests.classroom.conftest import GOOD, lines


@pytest.fixture
def classroom(tmp_path: Path) -> Iterator[ClassroomStore]:
    store = ClassroomStore(Store(tmp_path / "db.sqlite3"))
    yield store
    store.close()


@pytest.fixture
def room(classroom: ClassroomStore) -> list[Trainee]:
    classroom.import_roster([(n, "Cohort P") for n in ("Ana", "Ben", "Cleo", "Dev")])
    return classroom.members(classroom.group_named("Cohort P").id)  # type: ignore[union-attr]


@pytest.fixture
def assignment(classroom: ClassroomStore, scenario: Scenario) -> Assignment:
    group = classroom.group_named("Cohort P")
    assert group is not None
    return classroom.assign(group.id, scenario, "practice", 60)


def test_rotation_discussion_and_saving_credit_each_trainee(
    classroom: ClassroomStore, room: list[Trainee], assignment: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    ana, ben, cleo, dev = room
    projector = ProjectorSession(scenario, scorer, [ana, ben, cleo], assignment=assignment, seed=4)
    with pytest.raises(ProjectorError):
        projector.respond("too early")
    projector.start()
    answerers = []
    for number, line in enumerate(lines(GOOD)):
        assert projector.phase is ProjectorPhase.ANSWERING
        answerers.append(projector.answerer)
        projector.respond(line)
        assert projector.phase is ProjectorPhase.DISCUSSING and projector.last is not None
        with pytest.raises(ProjectorError, match="discussed first"):
            projector.respond("someone shouts an answer")
        projector.discussed(note=f"point {number}")
    assert answerers == [ana, ben, cleo, ana, ben]
    assert projector.phase is ProjectorPhase.FINISHED and projector.answerer is None
    assert [t.note for t in projector.transcript] == [f"point {n}" for n in range(5)]
    assert all(t.discussed_at is not None and t.discussed_at >= t.answered_at for t in projector.transcript)

    # The room's conversation is exactly the engine's with the same seed and answers.
    solo = Session(scenario, scorer, seed=4)
    solo.start()
    expected = [solo.respond(line).score.score for line in lines(GOOD)]
    assert [t.result.score.score for t in projector.transcript] == expected
    results = {r.trainee.name: r for r in projector.results()}
    assert set(results) == {"Ana", "Ben", "Cleo"}
    assert results["Ana"].score == pytest.approx((expected[0] + expected[3]) / 2)

    session, stored = projector.save(classroom)
    assert set(stored) == {ana.id, ben.id, cleo.id}  # Dev was not in the room: nothing stored for Dev
    assert session.kind == "projector" and session.assignment_id == assignment.id
    assert [t["trainee"] for t in session.detail["turns"]] == ["Ana", "Ben", "Cleo", "Ana", "Ben"]
    assert session.detail["outcome"] == "resolved" and session.detail["turns"][2]["note"] == "point 2"
    ana_turns = classroom.store.turns(stored[ana.id])
    assert [t.index for t in ana_turns] == [0, 3] and [t.answer for t in ana_turns] == [lines(GOOD)[0], lines(GOOD)[3]]
    record = classroom.store.attempt(stored[ana.id])
    assert record.finished and record.outcome == "resolved" and record.score == pytest.approx(results["Ana"].score)
    statuses = classroom.statuses(assignment.id)
    assert statuses[dev.id].status is Status.NOT_STARTED
    assert statuses[cleo.id].attempts_used == 1 and statuses[cleo.id].best_score == pytest.approx(expected[2])
    with pytest.raises(ProjectorError, match="already saved"):
        projector.save(classroom)


def test_the_trainer_picks_and_the_rotation_follows_arrivals_and_departures(
    room: list[Trainee], scenario: Scenario, scorer: RubricScorer
) -> None:
    ana, ben, cleo, dev = room
    projector = ProjectorSession(scenario, scorer, [ana, ben, cleo])
    projector.start()
    assert projector.answerer == ana
    projector.choose(cleo.id)  # the trainer picks Cleo instead
    projector.respond(lines(GOOD)[0])
    projector.discussed()
    assert projector.answerer == ana  # the rotation continues after Cleo, wrapping round
    projector.arrive(dev)
    projector.depart(ana.id)  # Ana leaves while it is her turn: the rotation moves on
    assert projector.answerer == ben
    projector.respond(lines(GOOD)[1])
    projector.discussed()
    assert projector.answerer == cleo
    with pytest.raises(ProjectorError, match="not in the room"):
        projector.choose(ana.id)
    projector.respond(lines(GOOD)[2])
    projector.discussed()
    assert projector.answerer == dev  # the late arrival takes their place at the end


def test_without_rotation_the_trainer_must_pick(room: list[Trainee], scenario: Scenario, scorer: RubricScorer) -> None:
    ana, ben, *_ = room
    projector = ProjectorSession(scenario, scorer, [ana, ben], rotation=False)
    projector.start()
    assert projector.answerer is None
    with pytest.raises(ProjectorError, match="pick who answers"):
        projector.respond(lines(GOOD)[0])
    projector.choose(ben.id)
    projector.respond(lines(GOOD)[0])
    projector.discussed()
    assert projector.answerer is None


def test_saving_before_the_end_stores_unfinished_resumable_attempts(
    classroom: ClassroomStore, room: list[Trainee], assignment: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    ana, ben, *_ = room
    projector = ProjectorSession(scenario, scorer, [ana, ben], assignment=assignment)
    with pytest.raises(ProjectorError, match="nothing to save"):
        projector.save(classroom)
    projector.start()
    projector.respond(lines(GOOD)[0])  # saved while the room is still discussing
    _, stored = projector.save(classroom)
    assert list(stored) == [ana.id]
    record = classroom.store.attempt(stored[ana.id])
    assert not record.finished and record.score is None
    assert Session.restore(scenario, scorer, record.snapshot).current is not None
    assert classroom.status(assignment.id, ana.id).status is Status.IN_PROGRESS
    with pytest.raises(ProjectorError):
        projector.respond(lines(GOOD)[1])


def test_an_assignment_for_another_mode_is_refused(
    room: list[Trainee], assignment: Assignment, scenario: Scenario, scorer: RubricScorer
) -> None:
    with pytest.raises(ValueError, match="another scenario or mode"):
        ProjectorSession(scenario, scorer, room, mode="assessment", assignment=assignment)
