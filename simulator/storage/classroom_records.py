"""What the classroom tables hold, as immutable objects the UI and the classroom package read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.storage.store import AttemptRecord, TurnRecord

MODES = ("practice", "assessment")


class Source(StrEnum):
    """Where an attempt linked to an assignment came from."""

    LOCAL = "local"  # played in this app, started from the assignment
    LIVE = "live"  # received over the local network in a live session
    FILE = "file"  # imported from a trainee's results file
    PROJECTOR = "projector"  # the trainee's credited turns in a projector session


class Status(StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    PASSED = "passed"
    FAILED = "failed"


@dataclass(frozen=True)
class Group:
    id: int
    uid: str
    name: str
    created: datetime
    member_count: int = 0


@dataclass(frozen=True)
class Assignment:
    """A scenario given to a group, with the rules its status is judged by (see ``classroom_status``)."""

    id: int
    uid: str  # the same on the trainer's and the trainees' machines; files and live sessions name it
    group_id: int
    group_uid: str
    group_name: str
    scenario_id: str
    scenario_title: str
    scenario_hash: str  # the scenario file as assigned (sha256 of its bytes)
    mode: str  # "practice" or "assessment", as attempts record it
    pass_threshold: float  # 0-100: a finished attempt with an effective score at or above it passes
    attempt_limit: int | None  # None: unlimited
    due: datetime | None  # aware; attempts started after it do not count
    created: datetime  # aware; unlinked attempts started before it do not count
    secret: str  # key of the results files' HMAC; travels with the assignment to trainees
    origin: str = "local"  # "imported" on a trainee's machine that received it in a file or live session

    @property
    def title(self) -> str:
        return self.scenario_title


@dataclass(frozen=True)
class AttemptFact:
    """One attempt as the classroom rules see it: scores already have the trainer's overrides applied."""

    id: int
    trainee_id: int
    scenario_id: str
    mode: str
    started: datetime
    ended: datetime | None
    finished: bool
    outcome: str | None
    score: float | None  # effective attempt score; None without any turn
    criteria: dict[str, float]  # effective mean score (0-1) per criterion over the attempt's turns
    assignment_id: int | None  # the assignment it was made for, None when not linked
    source: str | None  # a Source value when linked
    seconds: float  # time answering: the sum of its turns' response times
    turn_count: int
    overridden: bool = False


@dataclass(frozen=True)
class AssignmentStatus:
    """How one trainee stands on one assignment; ``reason`` says it in words for the library card."""

    assignment: Assignment
    trainee_id: int
    status: Status
    attempts_used: int  # counted attempts, finished or not
    attempts_left: int | None  # None: unlimited
    best_score: float | None  # best effective score of a counted finished attempt
    last_score: float | None  # effective score of the latest counted finished attempt
    passed_at: datetime | None
    overdue: bool  # the due date has passed
    can_start: bool  # still open to a new attempt: not passed or failed, not overdue, attempts left
    open_attempt_id: int | None  # an unfinished counted attempt to resume
    counted: tuple[int, ...]  # attempt ids, oldest first
    late: int  # attempts started after the due date (not counted)
    extra: int  # attempts beyond the attempt limit (not counted)
    reason: str


@dataclass(frozen=True)
class TurnInput:
    """One scored turn to store: built from an engine TurnResult, a results file or a live session."""

    index: int
    node_id: str
    customer_line: str
    answer: str
    shown_at: datetime
    answered_at: datetime
    score: float
    criteria: list[dict[str, Any]]
    mood_before: int
    mood_after: int
    transition: str
    target: str
    input_mode: str = "text"


@dataclass(frozen=True)
class AttemptInput:
    """A whole attempt to store in one go (attempts that were not played turn by turn on this machine)."""

    scenario_id: str
    scenario_title: str
    scenario_hash: str
    mode: str
    seed: int
    started: datetime
    ended: datetime | None
    finished: bool
    outcome: str | None
    ending_id: str | None
    score: float | None
    auto_failed: bool
    criteria: dict[str, float]
    turns: tuple[TurnInput, ...]
    snapshot: dict[str, Any] = field(default_factory=dict)
    uid: str | None = None  # identity of an attempt made elsewhere: storing it twice is recognised


@dataclass(frozen=True)
class RosterResult:
    """What a roster import did (names in the order they were first seen)."""

    trainees_created: tuple[str, ...]
    trainees_existing: tuple[str, ...]
    groups_created: tuple[str, ...]
    memberships_added: int


@dataclass(frozen=True)
class ClassroomSession:
    id: int
    uid: str
    kind: str  # "projector" or "live"
    assignment_id: int | None
    scenario_id: str
    scenario_hash: str
    started: datetime
    ended: datetime | None
    detail: dict[str, Any]


@dataclass(frozen=True)
class StoredResults:
    """What storing one trainee's attempts for an assignment did."""

    trainee_id: int
    trainee_name: str
    attempt_ids: tuple[int, ...]
    duplicates: tuple[str, ...]  # external uids already stored: skipped
    joined_group: bool  # the trainee was not a member of the assignment's group and was added


@dataclass(frozen=True)
class ExportedAttempt:
    """A finished attempt with its turns (overrides attached) and where each turn led, for a results file."""

    record: AttemptRecord
    turns: tuple[TurnRecord, ...]
    routes: dict[int, tuple[str, str]]  # turn index -> (transition label, target node or ending)
