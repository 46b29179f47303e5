"""The shape of a results file (format version 1), as strict specs: anything else is refused.

The limits are generous for real attempts (a scenario has at most a few dozen turns) and keep
a hostile file from costing the trainer's machine more than a few megabytes of work.
"""

from __future__ import annotations

from simulator.core.checks import Bool, Int, List, Map, Num, Obj, Opt, Str, Time
from simulator.core.schema import ID_MAX, ID_PATTERN

FORMAT = "empathy-trainer/results"
VERSION = 1
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_ATTEMPTS = 200
MAX_TURNS = 200

HEX64 = Str(64, 64, pattern="[0-9a-f]{64}")
UID = Str(64, 8, pattern="[0-9a-f]+")
IDENT = Str(100, 1)
# A scenario id is a slug by the loader's own definition: it names files, so never "../x" or "/etc/x".
SCENARIO_ID = Str(ID_MAX, 1, pattern=ID_PATTERN)
SPAN = List(Int(0, 100_000), 2, 2)

CRITERION = Obj(
    {
        "id": IDENT,
        "label": Str(300),
        "met": Bool(),
        "score": Num(0, 1),
        "evidence": List(SPAN, 200),
        "flags": List(SPAN, 200),
        "feedback": Str(4000),
        "example": Str(4000),
        "weight": Num(0, 1000),
        "auto_fail": Bool(),
        "note": Str(4000),
        "certain": Bool(),
        "nearest": Str(4000),
    },
    optional=frozenset(
        {"evidence", "flags", "feedback", "example", "weight", "auto_fail", "note", "certain", "nearest"}
    ),
)

# A trainer's review as the trainee's app showed it (informational: the importer counts the scorer's
# verdicts, since it cannot tell a trainer's override on the trainee's machine from a trainee's edit).
OVERRIDE = Obj(
    {
        "criterion": IDENT,
        "met": Bool(),
        "scorer_met": Bool(),
        "comment": Str(4000),
        "trainer": Str(80),
        "at": Time(),
    }
)

TURN = Obj(
    {
        "index": Int(0, 10_000),
        "node_id": IDENT,
        "customer_line": Str(10_000),
        "answer": Str(10_000),
        "input_mode": Str(10, choices=frozenset({"text", "voice"})),
        "shown_at": Time(),
        "answered_at": Time(),
        "score": Num(0, 100),
        "criteria": List(CRITERION, 64),
        "mood_before": Int(0, 100),
        "mood_after": Int(0, 100),
        "transition": Str(100),
        "target": IDENT,
        "overrides": List(OVERRIDE, 64),
    },
    optional=frozenset({"overrides"}),
)

ATTEMPT = Obj(
    {
        "uid": UID,
        "scenario_id": SCENARIO_ID,
        "scenario_title": Str(300),
        "scenario_hash": HEX64,
        "mode": Str(20, choices=frozenset({"practice", "assessment"})),
        "seed": Int(-(2**63), 2**63 - 1),
        "started": Time(),
        "ended": Time(),
        "finished": Bool(),
        "outcome": Opt(Str(40)),
        "ending_id": Opt(IDENT),
        "score": Num(0, 100),
        "auto_failed": Bool(),
        "criteria": Map(IDENT, Num(0, 1), 64),
        "turns": List(TURN, MAX_TURNS, 1),
        "scorer_score": Num(0, 100),
    },
    optional=frozenset({"scorer_score"}),
)

DOCUMENT = Obj(
    {
        "format": Str(40, choices=frozenset({FORMAT})),
        "version": Int(VERSION, VERSION),
        "app": Str(40),
        "exported": Time(),
        "assignment": Obj({"uid": UID, "scenario_id": SCENARIO_ID, "scenario_hash": HEX64}),
        "trainee": Str(80, 1),
        "attempts": List(ATTEMPT, MAX_ATTEMPTS, 1),
        "signature": Obj({"alg": Str(20, choices=frozenset({"HMAC-SHA256"})), "value": HEX64}),
    }
)
