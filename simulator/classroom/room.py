"""A live session's state without any networking: who joined, where each trainee is, the dashboard.

Each trainee plays on their own machine; the host replays every answer it receives through
its own engine :class:`Session` with the seed it gave that trainee. The engine is
deterministic, so the host sees exactly the conversation the trainee sees, and the numbers
on the dashboard and in the database are the host's own, not figures a client claimed.

Thread-safe: the host's network thread joins and leaves, its scoring workers replay answers, the UI
reads :meth:`dashboard`. Scoring runs under the participant's own lock, never the room's, so a slow
answer holds up only that trainee: the dashboard shows each trainee as of their last scored answer.
Lock order: a participant's lock, then the room's (never the other way round).

Identity: a name joins once; the host gives that trainee a token, and coming back after a dropped
connection needs it (anyone else typing the name is refused, never handed the earlier answers).
A name that left before answering anything is forgotten, so its place and the name are free again.
Places are for trainees connected at once (``max_participants``); one who answered and left is
kept for the trainer (and their own rejoin), up to ``max_names`` in all, so fake names with the
code cannot hold the session's places after they go, and cannot grow the host's memory without end.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from simulator.classroom import names
from simulator.classroom.attempts import attempt_from_turns, turn_input
from simulator.classroom.protocol import Refusal
from simulator.core.engine import Session, TurnResult
from simulator.core.model import Scenario
from simulator.core.scoring.outcome import score_so_far
from simulator.core.scoring.types import AnswerScorer
from simulator.storage.classroom_records import Assignment, AttemptInput, TurnInput
from simulator.storage.store import now


class Phase(StrEnum):
    JOINED = "joined"  # connected, no answer yet
    PLAYING = "playing"
    FINISHED = "finished"  # reached an ending
    LEFT = "left"  # disconnected before the end; may rejoin with the same name and token and carry on
    STOPPED = "stopped"  # the trainer ended the session before this trainee finished


class JoinRefused(Exception):
    """The name cannot join: ``code`` says why (the host sends it on), the message says it in words."""

    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code


class AnswerRefused(Exception):
    """The answer does not fit the conversation (wrong turn, already finished, session ended)."""


@dataclass(frozen=True)
class Resumed:
    """An answer already given, sent back to a trainee who rejoins so their app can replay it."""

    index: int
    text: str
    seconds: float
    input_mode: str


@dataclass(frozen=True)
class Progress:
    """What the dashboard shows of a trainee's conversation, as of their last scored answer."""

    current_node: str | None
    turn_count: int
    score_so_far: float | None
    mood: int
    outcome: str | None
    final_score: float | None


def _progress(session: Session) -> Progress:
    history = session.history
    so_far = score_so_far([r.score for r in history])
    ending = session.ending
    current = session.current
    return Progress(
        current_node=current.node_id if current is not None else (ending.id if ending else None),
        turn_count=len(history),
        score_so_far=so_far,
        mood=session.mood,
        outcome=ending.outcome.value if ending else None,
        final_score=so_far if ending is not None else None,
    )


@dataclass
class Participant:
    key: str  # the normalised, casefolded name (names.key)
    name: str
    seed: int
    session: Session  # touched only under ``lock``
    joined_at: datetime
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))  # what a rejoin must show
    skeleton: str = ""  # names.skeleton: look-alikes share it
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    progress: Progress | None = None
    scoring: int = 0  # answers being scored now (the participant is kept while > 0)
    phase: Phase = Phase.JOINED
    connected: bool = True
    answers: list[Resumed] = field(default_factory=list)
    turns: list[TurnInput] = field(default_factory=list)
    ended_at: datetime | None = None
    attempt_id: int | None = None
    saving: bool = False  # handed to the database writer
    dropped: int = 0  # messages of theirs the host refused
    last_activity: datetime | None = None


@dataclass(frozen=True)
class DashboardRow:
    name: str
    phase: Phase
    connected: bool
    joined_at: datetime
    current_node: str | None  # the node being answered, or the ending reached
    turn_count: int
    score_so_far: float | None  # mean of the host's turn scores
    mood: int
    outcome: str | None
    final_score: float | None
    passed: bool | None  # None until finished
    attempt_id: int | None  # stored attempt, once saved
    dropped: int
    last_activity: datetime | None


@dataclass(frozen=True)
class Dashboard:
    """A consistent snapshot for the trainer's screen; rows by name."""

    title: str
    rows: tuple[DashboardRow, ...]
    joined: int
    connected: int
    playing: int
    finished: int
    passed: int
    mean_final_score: float | None
    ended: bool
    at: datetime


class LiveRoom:
    """Participants of one live session of one assignment."""

    def __init__(
        self,
        assignment: Assignment,
        scenario: Scenario,
        scorer: AnswerScorer,
        *,
        allowed_names: Iterable[str] | None = None,
        max_participants: int = 200,
        max_names: int = 1000,
        clock: Callable[[], datetime] = now,
        seeds: Callable[[], int] = lambda: secrets.randbelow(2**31),
    ) -> None:
        self.assignment = assignment
        self.scenario = scenario
        self.scorer = scorer
        self.allowed = None if allowed_names is None else {names.key(n) for n in allowed_names}
        self.max_participants = max_participants  # connected at once
        self.max_names = max_names  # kept in all (one who answered and left is kept for the trainer)
        self.clock = clock
        self.seeds = seeds
        self.ended = False
        self.started = clock()
        self._participants: dict[str, Participant] = {}
        self._lock = threading.Lock()

    def join(self, name: str, token: str | None = None) -> Participant:
        """A new participant, or the one of that name coming back (with their token) after a dropped connection."""
        clean = names.clean(name)
        key = clean.casefold()
        with self._lock:
            if self.ended:
                raise JoinRefused(Refusal.ENDED, "the session has ended")
            if names.problem(clean):
                raise JoinRefused(Refusal.NAME_INVALID, "type your name (letters, not control or invisible characters)")
            if self.allowed is not None and key not in self.allowed:
                raise JoinRefused(
                    Refusal.NAME_NOT_LISTED, "your name is not on this group's list: type it as your trainer has it"
                )
            existing = self._participants.get(key)
            if existing is not None:
                return self._rejoin(existing, token)
            skeleton = names.skeleton(clean)
            if any(p.skeleton == skeleton for p in self._participants.values()):
                raise JoinRefused(
                    Refusal.NAME_LOOKALIKE, "a name that looks the same is already in the session: type yours plainly"
                )
            connected = sum(p.connected for p in self._participants.values())
            if connected >= self.max_participants or len(self._participants) >= self.max_names:
                raise JoinRefused(Refusal.FULL, "the session is full")
            seed = self.seeds()
            session = Session(self.scenario, self.scorer, seed=seed)
            session.start()
            moment = self.clock()
            participant = Participant(key, clean, seed, session, moment, skeleton=skeleton, last_activity=moment)
            participant.progress = _progress(session)
            self._participants[key] = participant
            return participant

    def _rejoin(self, existing: Participant, token: str | None) -> Participant:
        if existing.connected:
            raise JoinRefused(Refusal.NAME_TAKEN, "someone with this name is already in the session")
        if token is None or not hmac.compare_digest(token.encode(), existing.token.encode()):
            raise JoinRefused(
                Refusal.TOKEN_NEEDED,
                "this name is in the session already: rejoin from the computer it joined on, or ask the trainer",
            )
        if existing.phase is Phase.FINISHED:
            raise JoinRefused(Refusal.ALREADY_FINISHED, "you have already finished this session")
        existing.connected = True
        existing.phase = Phase.PLAYING if existing.turns else Phase.JOINED
        existing.last_activity = self.clock()
        return existing

    def answer(self, key: str, index: int, text: str, seconds: float, input_mode: str = "text") -> TurnResult:
        """Replay one answer through the participant's engine; raises :class:`AnswerRefused`.

        Scoring holds the participant's lock only: other trainees and the dashboard carry on meanwhile.
        """
        with self._lock:
            participant = self._participants.get(key)
            if participant is None:
                raise AnswerRefused("not in the session")
            participant.scoring += 1
        try:
            with participant.lock:
                with self._lock:
                    if self.ended:
                        raise AnswerRefused("the session has ended")
                    current = participant.session.current
                    if current is None:
                        raise AnswerRefused("the conversation is already over")
                    if index != current.index:
                        raise AnswerRefused(f"expected the answer to turn {current.index}, not {index}")
                    answered = self.clock()
                    # the trainee's app measures the response time; it cannot exceed the time since their last turn
                    previous = participant.turns[-1].answered_at if participant.turns else participant.joined_at
                    seconds = max(0.0, min(seconds, (answered - previous).total_seconds()))
                    shown = answered - timedelta(seconds=seconds)
                result = participant.session.respond(text)  # the slow part: no room lock held
                progress = _progress(participant.session)
                with self._lock:
                    participant.answers.append(Resumed(index, text, seconds, input_mode))
                    participant.turns.append(turn_input(result, shown, answered, input_mode))
                    participant.last_activity = answered
                    participant.progress = progress
                    if participant.session.finished:
                        participant.phase = Phase.FINISHED
                        participant.ended_at = answered
                    elif participant.phase is not Phase.STOPPED:
                        participant.phase = Phase.PLAYING
                    return result
        finally:
            with self._lock:
                participant.scoring -= 1
                self._forget_if_unused(participant)

    def leave(self, key: str) -> None:
        """The connection closed: the trainee may come back with their token; one who answered nothing is forgotten."""
        with self._lock:
            participant = self._participants.get(key)
            if participant is None:
                return
            participant.connected = False
            participant.last_activity = self.clock()
            if participant.phase in (Phase.JOINED, Phase.PLAYING):
                participant.phase = Phase.LEFT
            self._forget_if_unused(participant)

    def has(self, key: str) -> bool:
        with self._lock:
            return key in self._participants

    def _forget_if_unused(self, p: Participant) -> None:
        """A name that left without answering frees its slot (and the name) while the session runs."""
        unused = not p.connected and not p.turns and not p.scoring and not self.ended
        if unused and self._participants.get(p.key) is p:
            del self._participants[p.key]

    def drop(self, key: str) -> None:
        """Count a refused message against the participant (shown on the dashboard)."""
        with self._lock:
            if key in self._participants:
                self._participants[key].dropped += 1

    def end(self) -> None:
        """No more joins or answers; whoever has not finished is stopped where they are."""
        with self._lock:
            self.ended = True
            moment = self.clock()
            for participant in self._participants.values():
                if participant.phase is not Phase.FINISHED:
                    participant.phase = Phase.STOPPED
                    participant.ended_at = participant.ended_at or moment

    def take_unsaved(self, *, finished_only: bool) -> list[tuple[str, str, AttemptInput]]:
        """Attempts not yet handed to the database writer, as (key, name, attempt); marks them handed.

        ``finished_only`` while the session runs (a trainee who left may come back); at the end,
        every participant with at least one answer (after any answer of theirs still being scored).
        """
        with self._lock:
            candidates = list(self._participants.values())
        taken = []
        for p in candidates:
            if finished_only and p.phase is not Phase.FINISHED:
                continue
            with p.lock, self._lock:
                if p.saving or not p.turns or (finished_only and p.phase is not Phase.FINISHED):
                    continue
                p.saving = True
                taken.append((p.key, p.name, self._attempt(p)))
        return taken

    def mark_saved(self, key: str, attempt_id: int) -> None:
        with self._lock:
            self._participants[key].attempt_id = attempt_id

    def row(self, key: str) -> DashboardRow | None:
        """The trainee's dashboard row, or None when the name has been forgotten (left without answering)."""
        with self._lock:
            p = self._participants.get(key)
            return None if p is None else self._row(p)

    def resume_answers(self, key: str) -> list[Resumed]:
        with self._lock:
            p = self._participants.get(key)
            return [] if p is None else list(p.answers)

    def dashboard(self, title: str = "") -> Dashboard:
        with self._lock:
            rows = tuple(sorted((self._row(p) for p in self._participants.values()), key=lambda r: r.name.casefold()))
            ended = self.ended
        finals = [r.final_score for r in rows if r.final_score is not None]
        return Dashboard(
            title=title or self.assignment.scenario_title,
            rows=rows,
            joined=len(rows),
            connected=sum(r.connected for r in rows),
            playing=sum(r.phase in (Phase.JOINED, Phase.PLAYING) for r in rows),
            finished=sum(r.phase is Phase.FINISHED for r in rows),
            passed=sum(bool(r.passed) for r in rows),
            mean_final_score=sum(finals) / len(finals) if finals else None,
            ended=ended,
            at=self.clock(),
        )

    def _attempt(self, p: Participant) -> AttemptInput:
        return attempt_from_turns(
            self.scenario,
            self.assignment.mode,
            p.seed,
            p.joined_at,
            p.turns,
            ending=p.session.ending,
            ended=p.ended_at,
            snapshot=p.session.snapshot(),
        )

    def _row(self, p: Participant) -> DashboardRow:
        progress = p.progress
        assert progress is not None
        final = progress.final_score
        return DashboardRow(
            name=p.name,
            phase=p.phase,
            connected=p.connected,
            joined_at=p.joined_at,
            current_node=progress.current_node,
            turn_count=progress.turn_count,
            score_so_far=progress.score_so_far,
            mood=progress.mood,
            outcome=progress.outcome,
            final_score=final,
            passed=None if final is None else final >= self.assignment.pass_threshold,
            attempt_id=p.attempt_id,
            dropped=p.dropped,
            last_activity=p.last_activity,
        )
