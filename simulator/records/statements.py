"""xAPI statements for one attempt, built from what the database holds about it.

The vocabulary follows cmi5 where it applies: ADL verbs, the cmi5 category on the
statements cmi5 defines (initialized, completed, passed, failed, terminated, and
launched, which the app issues as its own "LMS"), ``answered`` as a cmi5-allowed
statement about the turn with the scenario as its parent, ISO 8601 durations, and
one registration per attempt.

Ids are stable: a statement's id is a UUID 5 of the attempt's registration and the
statement's role ("launched", "answered/3", ...), and the registration is a UUID 5 of
the attempt's identity. Bodies use only what never changes once written (the turn as
scored, the attempt as closed), so building the statements again gives the same ids and
the same bodies.

A statement sent cannot change, so a trainer's review is told the way xAPI intends: each
override and each undo of one (each row of the attempt's review history in the audit) earns
one more ``scored`` statement, with the score as it counts after that change (computed by
``outcome.attempt_score``, like every view), the scorer's own score, the overrides then in
force with the trainer's comments, the trainer as ``instructor`` and a reference to the
``passed``/``failed`` statement it revises. The latest ``scored`` statement of a registration
is the attempt's current score. Each is rebuilt from the audit by replaying the history up to
it, so it too is the same every time it is built.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from simulator.core.scoring.outcome import attempt_score, stored_turn
from simulator.storage.store import AttemptRecord, AuditEntry, TurnRecord

# Never change: every id the app ever issued derives from it.
NAMESPACE = uuid.UUID("7725eb6f-1b9d-4f17-8937-031fbecd0f70")

VERB_BASE = "http://adlnet.gov/expapi/verbs/"
CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
CMI5_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
DEFAULT_HOMEPAGE = "urn:empathy-trainer"
PLATFORM = "Empathy Trainer"
# The app's own extensions and activities: URNs, so they claim no one's web address.
ACTIVITY_BASE = "urn:empathy-trainer:scenario:"
EXTENSION_BASE = "urn:empathy-trainer:xapi:"
EXT_CRITERIA = EXTENSION_BASE + "criteria"
EXT_MOOD_BEFORE = EXTENSION_BASE + "mood-before"
EXT_MOOD_AFTER = EXTENSION_BASE + "mood-after"
EXT_MODE = EXTENSION_BASE + "mode"
EXT_INPUT_MODE = EXTENSION_BASE + "input-mode"
EXT_TURN = EXTENSION_BASE + "turn"
EXT_CUSTOMER_LINE = EXTENSION_BASE + "customer-line"
EXT_OUTCOME = EXTENSION_BASE + "outcome"
EXT_ENDING = EXTENSION_BASE + "ending"
EXT_AUTO_FAILED = EXTENSION_BASE + "auto-failed"
EXT_TURNS = EXTENSION_BASE + "turns"
EXT_SCORER_SCORE = EXTENSION_BASE + "scorer-score"
EXT_OVERRIDES = EXTENSION_BASE + "overrides"
EXT_REVIEW_CHANGE = EXTENSION_BASE + "review-change"


@dataclass(frozen=True)
class Learner:
    """Who the statements are about: an xAPI account on the organisation's home page."""

    name: str
    homepage: str = DEFAULT_HOMEPAGE

    def agent(self) -> dict[str, Any]:
        return {"objectType": "Agent", "name": self.name, "account": {"homePage": self.homepage, "name": self.name}}


@dataclass(frozen=True)
class Statement:
    """One statement and where it came from (the outbox keeps ``attempt_id`` and ``role`` beside the body)."""

    id: str
    attempt_id: int
    role: str
    body: dict[str, Any]


def registration(attempt: AttemptRecord, installation: str) -> str:
    """The attempt's registration UUID: the database's installation id, the attempt's number and start
    time (to the microsecond), so copies of one database on several computers do not collide."""
    identity = f"{installation}/{attempt.id}/{attempt.started.isoformat()}"
    return str(uuid.uuid5(NAMESPACE, identity))


def statement_id(registration_id: str, role: str) -> str:
    return str(uuid.uuid5(uuid.UUID(registration_id), role))


def duration(seconds: float) -> str:
    """An ISO 8601 duration to the hundredth of a second (xAPI keeps no more): ``PT1H2M3.45S``."""
    centis = max(0, math.floor(seconds * 100 + 0.5))
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    whole, hundredths = divmod(rest, 100)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes:
        text += f"{minutes}M"
    if whole or hundredths or text == "PT":
        text += f"{whole}.{hundredths:02d}S" if hundredths else f"{whole}S"
    return text


def timestamp(moment: datetime) -> str:
    """UTC with milliseconds and a Z, the form LRSs store (naive times are taken as UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def scenario_activity(attempt: AttemptRecord) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": ACTIVITY_BASE + quote(attempt.scenario_id, safe=""),
        "definition": {"name": {"en-US": attempt.scenario_title}, "type": SIMULATION},
    }


def turn_activity(attempt: AttemptRecord, turn: TurnRecord) -> dict[str, Any]:
    return {
        "objectType": "Activity",
        "id": f"{ACTIVITY_BASE}{quote(attempt.scenario_id, safe='')}:node:{quote(turn.node_id, safe='')}",
        "definition": {
            "name": {"en-US": f"{attempt.scenario_title}: {turn.node_id}"},
            "type": INTERACTION,
            "interactionType": "long-fill-in",
        },
    }


def score(points: float) -> dict[str, Any]:
    """A 0-100 score as xAPI wants it: raw, its range, and scaled to 0-1."""
    raw = round(min(100.0, max(0.0, points)), 1)
    return {"scaled": round(raw / 100, 4), "raw": raw, "min": 0, "max": 100}


def passed(attempt: AttemptRecord) -> bool:
    """The pass rule: the customer's problem was resolved and no answer was an auto-fail."""
    return attempt.outcome == "resolved" and not attempt.auto_failed


def attempt_statements(
    attempt: AttemptRecord,
    turns: Sequence[TurnRecord],
    learner: Learner,
    installation: str,
    history: Sequence[AuditEntry] = (),
) -> list[Statement]:
    """Every statement the attempt has earned so far, in the order they happened.

    Started: launched and initialized. Each scored turn: answered, with the answer as the
    response and each criterion's verdict as a result extension. Finished: completed, then
    passed or failed (see :func:`passed`) with the score, then terminated; then one ``scored``
    per change in ``history`` (the attempt's review history, :meth:`Store.review_history`).
    """
    build = _Builder(attempt, learner, installation)
    statements = [build.launched(), build.initialized()]
    statements += [build.answered(turn) for turn in turns]
    if attempt.finished and attempt.ended is not None:
        statements += [build.completed(), build.judged(), build.terminated()]
        statements += [build.scored(entry, in_force, turns) for entry, in_force in review_states(history)]
    return statements


def review_states(history: Sequence[AuditEntry]) -> list[tuple[AuditEntry, list[dict[str, Any]]]]:
    """After each change of ``history``, the overrides in force then (oldest first; the last per criterion counts).

    Replayed from the audit because an undo deletes its override from the overrides table. An
    override's audit row names its id and so does its undo's; rows written before the id was kept
    are matched by turn, criterion, verdict, comment and trainer.
    """
    in_force: dict[str, dict[str, Any]] = {}
    states = []
    for entry in history:
        detail = entry.detail
        if entry.action == "override":
            key = str(detail.get("override", f"audit/{entry.id}"))
            in_force[key] = {
                "turn": detail["turn"],
                "criterion": detail["criterion"],
                "met": bool(detail["met"]),
                "scorer_met": bool(detail.get("original_met", not detail["met"])),
                "comment": detail.get("comment", ""),
                "trainer": entry.trainer,
                "at": timestamp(entry.at),
            }
        else:
            key = str(detail.get("override"))
            if key not in in_force:
                wanted = (detail.get("turn"), detail.get("criterion"), detail.get("met"), detail.get("comment"))
                key = next(
                    (
                        k
                        for k, o in in_force.items()
                        if k.startswith("audit/")
                        and (o["turn"], o["criterion"], o["met"], o["comment"]) == wanted
                        and o["trainer"] == detail.get("by", o["trainer"])
                    ),
                    key,
                )
            in_force.pop(key, None)
        states.append((entry, list(in_force.values())))
    return states


def _counted_turns(turns: Sequence[TurnRecord], in_force: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each turn's scorer criteria with the overrides ``in_force`` written in, as the store would show them."""
    latest = {(o["turn"], o["criterion"]): o for o in in_force}
    counted = []
    for turn in turns:
        criteria = []
        for c in turn.criteria:
            plain = {k: v for k, v in c.items() if k != "override"}
            override = latest.get((turn.index, c["id"]))
            if override is not None:
                plain["override"] = {k: override[k] for k in ("met", "comment", "trainer", "at")}
            criteria.append(plain)
        counted.append({"score": turn.score, "criteria": criteria})
    return counted


class _Builder:
    def __init__(self, attempt: AttemptRecord, learner: Learner, installation: str) -> None:
        # Statements are immutable and their ids fixed (an LRS refuses a changed body under a sent id),
        # so they carry the attempt as scored when played; a trainer's later override stays local.
        self.attempt = attempt.as_scored()
        self.learner = learner
        self.registration = registration(attempt, installation)
        self.session = statement_id(self.registration, "session")
        self.activity = scenario_activity(attempt)

    def launched(self) -> Statement:
        moveon = "Passed" if self.attempt.mode == "assessment" else "Completed"
        extra = {CMI5_EXTENSION + "launchmode": "Normal", CMI5_EXTENSION + "moveon": moveon}
        return self._statement("launched", self.attempt.started, context=self._context(cmi5=True, extra=extra))

    def initialized(self) -> Statement:
        return self._statement("initialized", self.attempt.started, context=self._context(cmi5=True))

    def answered(self, turn: TurnRecord) -> Statement:
        criteria = {
            c["id"]: {
                "label": c.get("label", c["id"]),
                "met": bool(c["met"]),  # the scorer's verdict as it was; overrides come later and stay local
                "score": c.get("score", 1.0 if c["met"] else 0.0),
                "weight": c.get("weight", 1.0),
                "auto_fail": bool(c.get("auto_fail", False)),
            }
            for c in turn.criteria
        }
        result = {
            "response": turn.answer,
            "score": score(turn.score),
            "duration": duration(turn.response_seconds),
            "extensions": {EXT_CRITERIA: criteria, EXT_MOOD_BEFORE: turn.mood_before, EXT_MOOD_AFTER: turn.mood_after},
        }
        extra = {EXT_TURN: turn.index, EXT_INPUT_MODE: turn.input_mode, EXT_CUSTOMER_LINE: turn.customer_line}
        context = self._context(cmi5=False, parent=True, extra=extra)
        return self._statement(
            f"answered/{turn.index}", turn.answered_at, "answered", turn_activity(self.attempt, turn), result, context
        )

    def completed(self) -> Statement:
        result = {"completion": True, "duration": self._duration()}
        return self._statement("completed", self._ended(), result=result, context=self._context(cmi5=True, moveon=True))

    def judged(self) -> Statement:
        """Passed or failed, with the score and how the conversation ended."""
        attempt = self.attempt
        verb = "passed" if passed(attempt) else "failed"
        result = {
            "success": verb == "passed",
            "score": score(attempt.score or 0.0),
            "duration": self._duration(),
            "extensions": {
                EXT_OUTCOME: attempt.outcome,
                EXT_ENDING: attempt.ending_id,
                EXT_AUTO_FAILED: attempt.auto_failed,
                EXT_TURNS: attempt.turn_count,
                EXT_CRITERIA: {k: round(v, 3) for k, v in sorted(attempt.criteria.items())},
            },
        }
        return self._statement(verb, self._ended(), result=result, context=self._context(cmi5=True, moveon=True))

    def scored(self, entry: AuditEntry, in_force: list[dict[str, Any]], turns: Sequence[TurnRecord]) -> Statement:
        """The attempt's score after one change of its review (see the module docstring)."""
        counted_turns = [stored_turn(t["score"], t["criteria"]) for t in _counted_turns(turns, in_force)]
        counted = attempt_score(counted_turns, finished=True)
        attempt = self.attempt
        result = {
            "success": attempt.outcome == "resolved" and not counted.auto_failed,
            "score": score(counted.score or 0.0),
            "extensions": {
                EXT_SCORER_SCORE: score(attempt.score or 0.0)["raw"],
                EXT_AUTO_FAILED: counted.auto_failed,
                EXT_CRITERIA: {k: round(v, 3) for k, v in sorted(counted.criteria.items())},
                EXT_OVERRIDES: in_force,
                EXT_REVIEW_CHANGE: "override" if entry.action == "override" else "undo",
            },
        }
        context = self._context(cmi5=False)
        context["instructor"] = Learner(entry.trainer, self.learner.homepage).agent()
        judged = statement_id(self.registration, "passed" if passed(attempt) else "failed")
        context["statement"] = {"objectType": "StatementRef", "id": judged}
        return self._statement(f"scored/{entry.id}", entry.at, "scored", result=result, context=context)

    def terminated(self) -> Statement:
        result = {"duration": self._duration()}
        return self._statement("terminated", self._ended(), result=result, context=self._context(cmi5=True))

    def _ended(self) -> datetime:
        assert self.attempt.ended is not None
        return self.attempt.ended

    def _duration(self) -> str:
        return duration(self.attempt.duration_seconds or 0.0)

    def _context(
        self, *, cmi5: bool, moveon: bool = False, parent: bool = False, extra: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        activities: dict[str, list[dict[str, Any]]] = {}
        if parent:
            activities["parent"] = [self.activity]
        if cmi5:
            activities["category"] = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
            if moveon:
                activities["category"].append({"objectType": "Activity", "id": MOVEON_CATEGORY})
        context: dict[str, Any] = {
            "registration": self.registration,
            "platform": PLATFORM,
            "revision": self.attempt.scenario_hash,
            "extensions": {CMI5_EXTENSION + "sessionid": self.session, EXT_MODE: self.attempt.mode, **(extra or {})},
        }
        if activities:
            context["contextActivities"] = activities
        return context

    def _statement(
        self,
        role: str,
        when: datetime,
        verb: str | None = None,
        obj: dict[str, Any] | None = None,
        result: dict[str, Any] | None = None,
        context: dict[str, Any] | None = None,
    ) -> Statement:
        name = verb or role
        ident = statement_id(self.registration, role)
        body: dict[str, Any] = {
            "id": ident,
            "actor": self.learner.agent(),
            "verb": {"id": VERB_BASE + name, "display": {"en-US": name}},
            "object": obj or self.activity,
        }
        if result is not None:
            body["result"] = result
        body["context"] = context if context is not None else self._context(cmi5=False)
        body["timestamp"] = timestamp(when)
        return Statement(ident, self.attempt.id, role, body)
