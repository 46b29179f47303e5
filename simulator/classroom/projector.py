"""A projector session: one conversation on the big screen, answered in turn by the trainees in the room.

One engine :class:`Session` for the room. For each customer turn someone answers (the trainer
picks, or the rotation offers the next present trainee), the answer is scored and credited to
them, and the room discusses it: the session waits in ``DISCUSSING`` until the trainer marks
the turn discussed, then moves on. Saving stores the transcript (who said what, when it was
discussed, the trainer's notes) and, for each trainee who answered, an attempt made of their
credited turns, so their progress and the cohort report include the session.

Not thread-safe: drive it from one thread (the UI may run :meth:`respond`, which scores, on
its worker and show the result when it returns).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from simulator.classroom.attempts import attempt_from_turns, turn_input
from simulator.core.engine import CustomerTurn, Session, TurnResult
from simulator.core.model import Scenario
from simulator.core.scoring.outcome import score_so_far
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.classroom import ClassroomStore
from simulator.storage.classroom_records import MODES, Assignment, ClassroomSession
from simulator.storage.store import Trainee, now


class ProjectorPhase(StrEnum):
    READY = "ready"  # not started
    ANSWERING = "answering"  # a customer line is on screen, waiting for an answer
    DISCUSSING = "discussing"  # the answer and its feedback are on screen; mark discussed to go on
    FINISHED = "finished"  # the conversation reached an ending (or the session was saved)


class ProjectorError(Exception):
    """The session was used out of order (answer while discussing, nobody to answer, ...)."""


@dataclass(frozen=True)
class ProjectorTurn:
    result: TurnResult
    trainee: Trainee
    shown_at: datetime
    answered_at: datetime
    input_mode: str = "text"
    discussed_at: datetime | None = None
    note: str = ""


@dataclass(frozen=True)
class TraineeResult:
    trainee: Trainee
    turns: tuple[ProjectorTurn, ...]

    @property
    def score(self) -> float | None:
        """Mean score of the turns credited to this trainee."""
        return score_so_far([t.result.score for t in self.turns])


class ProjectorSession:
    def __init__(
        self,
        scenario: Scenario,
        scorer: AnswerScorer,
        present: Sequence[Trainee],
        *,
        mode: str = "practice",
        assignment: Assignment | None = None,
        seed: int = 0,
        rotation: bool = True,
        clock: Callable[[], datetime] = now,
    ) -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}")
        if assignment is not None and (assignment.scenario_id != scenario.id or assignment.mode != mode):
            raise ValueError("the assignment is for another scenario or mode")
        self.scenario = scenario
        self.mode = mode
        self.assignment = assignment
        self.seed = seed
        self.rotation = rotation
        self.clock = clock
        self.session = Session(scenario, scorer, seed=seed)
        self.phase = ProjectorPhase.READY
        self.started: datetime | None = None
        self.saved: ClassroomSession | None = None
        self._present: list[Trainee] = []
        self._order: list[Trainee] = []  # everyone who was ever present, in order of arrival: the rotation
        self._answerer: Trainee | None = None
        self._last: Trainee | None = None
        self._turns: list[ProjectorTurn] = []
        self._shown_at: datetime | None = None
        for trainee in present:
            self.arrive(trainee)

    # -- the room ------------------------------------------------------------------

    @property
    def present(self) -> tuple[Trainee, ...]:
        return tuple(self._present)

    def arrive(self, trainee: Trainee) -> None:
        """A trainee joins the room (late arrivals take their place at the end of the rotation)."""
        if all(t.id != trainee.id for t in self._present):
            self._present.append(trainee)
            if all(t.id != trainee.id for t in self._order):
                self._order.append(trainee)
            if self._answerer is None and self.rotation and self.phase is ProjectorPhase.ANSWERING:
                self._answerer = self._next_in_rotation()

    def depart(self, trainee_id: int) -> None:
        """A trainee leaves; their credited turns stay theirs. If it was their turn, the rotation moves on."""
        leaving = self._answerer if self._answerer is not None and self._answerer.id == trainee_id else None
        self._present = [t for t in self._present if t.id != trainee_id]
        if leaving is not None:
            self._answerer = self._next_in_rotation(after=leaving) if self.rotation else None

    @property
    def answerer(self) -> Trainee | None:
        """Who answers the current turn (None: the trainer has to pick someone)."""
        return self._answerer

    def choose(self, trainee_id: int) -> Trainee:
        """The trainer picks who answers the current turn; the rotation then continues after them."""
        if self.phase is not ProjectorPhase.ANSWERING:
            raise ProjectorError("pick who answers while a customer line waits for an answer")
        for trainee in self._present:
            if trainee.id == trainee_id:
                self._answerer = trainee
                return trainee
        raise ProjectorError("that trainee is not in the room")

    # -- the conversation -------------------------------------------------------------

    def start(self) -> CustomerTurn:
        if self.phase is not ProjectorPhase.READY:
            raise ProjectorError("the session has already started")
        turn = self.session.start()
        self.started = self._shown_at = self.clock()
        self.phase = ProjectorPhase.ANSWERING
        self._answerer = self._next_in_rotation() if self.rotation else None
        return turn

    @property
    def current(self) -> CustomerTurn | None:
        """The customer line waiting for an answer (while discussing: the one that comes next)."""
        return self.session.current

    @property
    def last(self) -> ProjectorTurn | None:
        """The turn just answered (what the room discusses)."""
        return self._turns[-1] if self._turns else None

    @property
    def transcript(self) -> tuple[ProjectorTurn, ...]:
        return tuple(self._turns)

    def respond(self, text: str, input_mode: str = "text") -> TurnResult:
        """Score the answer and credit it to :attr:`answerer`; the session then waits in DISCUSSING."""
        if self.phase is not ProjectorPhase.ANSWERING:
            raise ProjectorError(
                "mark the last turn discussed first" if self.phase is ProjectorPhase.DISCUSSING else "not answering now"
            )
        if self._answerer is None:
            raise ProjectorError("pick who answers this turn")
        if not text.strip():
            raise ProjectorError("the answer is empty")
        assert self._shown_at is not None
        result = self.session.respond(text)
        self._turns.append(ProjectorTurn(result, self._answerer, self._shown_at, self.clock(), input_mode))
        self._last = self._answerer
        self.phase = ProjectorPhase.DISCUSSING
        return result

    def discussed(self, note: str = "") -> CustomerTurn | None:
        """The room has discussed the last answer: record it (with the trainer's note) and move on.

        Returns the next customer turn, or None when the conversation has ended.
        """
        if self.phase is not ProjectorPhase.DISCUSSING:
            raise ProjectorError("there is no answer being discussed")
        moment = self.clock()
        last = self._turns[-1]
        self._turns[-1] = ProjectorTurn(
            last.result, last.trainee, last.shown_at, last.answered_at, last.input_mode, moment, note.strip()
        )
        if self.session.finished:
            self.phase = ProjectorPhase.FINISHED
            self._answerer = None
            return None
        self.phase = ProjectorPhase.ANSWERING
        self._shown_at = moment
        self._answerer = self._next_in_rotation() if self.rotation else None
        return self.session.current

    # -- results ----------------------------------------------------------------------

    def results(self) -> list[TraineeResult]:
        """Per trainee who answered at least once, in the order they first answered."""
        by_trainee: dict[int, list[ProjectorTurn]] = {}
        trainees: dict[int, Trainee] = {}
        for turn in self._turns:
            by_trainee.setdefault(turn.trainee.id, []).append(turn)
            trainees[turn.trainee.id] = turn.trainee
        return [TraineeResult(trainees[tid], tuple(turns)) for tid, turns in by_trainee.items()]

    def transcript_detail(self) -> dict[str, Any]:
        """The transcript as stored with the session (plain JSON)."""
        ending = self.session.ending
        return {
            "seed": self.seed,
            "mode": self.mode,
            "rotation": self.rotation,
            "present": [{"id": t.id, "name": t.name} for t in self._present],
            "ending": ending.id if ending else None,
            "outcome": ending.outcome.value if ending else None,
            "turns": [
                {
                    "index": t.result.index,
                    "node_id": t.result.node_id,
                    "customer_line": t.result.customer_line,
                    "answer": t.result.answer,
                    "trainee_id": t.trainee.id,
                    "trainee": t.trainee.name,
                    "score": t.result.score.score,
                    "met": sorted(t.result.score.met),
                    "missed": sorted(t.result.score.missed),
                    "mood_before": t.result.mood_before,
                    "mood_after": t.result.mood_after,
                    "shown_at": t.shown_at.isoformat(),
                    "answered_at": t.answered_at.isoformat(),
                    "discussed_at": t.discussed_at.isoformat() if t.discussed_at else None,
                    "note": t.note,
                }
                for t in self._turns
            ],
        }

    def save(self, classroom: ClassroomStore) -> tuple[ClassroomSession, dict[int, int]]:
        """Store the session and each answering trainee's credited turns as an attempt, in one transaction.

        Once only; the session is over afterwards. Attempts are finished when the conversation reached
        an ending (else unfinished, with the room's engine snapshot). Returns the session row and the
        attempt id per trainee id.
        """
        if self.saved is not None:
            raise ProjectorError("the session is already saved")
        if self.started is None or not self._turns:
            raise ProjectorError("nothing to save: no answer was given")
        ending = self.session.ending
        moment = self.clock()
        snapshot = self.session.snapshot()
        attempts = {
            r.trainee.id: attempt_from_turns(
                self.scenario,
                self.mode,
                self.seed,
                self.started,
                [turn_input(t.result, t.shown_at, t.answered_at, t.input_mode) for t in r.turns],
                ending=ending,
                ended=moment,
                snapshot=snapshot,
            )
            for r in self.results()
        }
        assignment_id = self.assignment.id if self.assignment else None
        saved, stored = classroom.save_session(
            "projector", self.scenario, assignment_id, self.started, self.transcript_detail(), attempts
        )
        self.saved = saved
        self.phase = ProjectorPhase.FINISHED
        self._answerer = None
        return saved, stored

    def _next_in_rotation(self, after: Trainee | None = None) -> Trainee | None:
        """The next present trainee after ``after`` (default: the last who answered), in order of arrival."""
        reference = after or self._last
        if not self._present:
            return None
        present = {t.id for t in self._present}
        if reference is None:
            return self._present[0]
        order = [t.id for t in self._order]
        start = order.index(reference.id)
        for step in range(1, len(order) + 1):
            candidate = self._order[(start + step) % len(order)]
            if candidate.id in present:
                return candidate
        return self._present[0]
