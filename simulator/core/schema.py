"""The JSON Schema of scenario files: the single source of ``scenarios/schema.json``.

Editors (VS Code's YAML extension and others) use the exported file for
completion and inline errors; the loader uses the same dict, so the two can
never disagree. ``python -m simulator schema --write`` regenerates the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

FORMAT_VERSION = 1

# The one definition of a scenario (and node, criterion) id: a slug, so an id can name a file safely.
ID_PATTERN = "[a-z0-9][a-z0-9_-]*"
ID_MAX = 64
_ID = {"type": "string", "pattern": f"^{ID_PATTERN}$", "maxLength": ID_MAX}
_TEXT = {"type": "string", "minLength": 1, "maxLength": 4000}
_SCALAR = {"type": ["boolean", "number", "string"]}
_MOOD_DELTA = {
    "type": "integer",
    "minimum": -100,
    "maximum": 100,
    "description": "How much the customer's mood moves: negative calms, positive angers.",
}
_SET = {
    "type": "object",
    "description": "Scenario variables to set, e.g. {card_locked: true}.",
    "additionalProperties": _SCALAR,
    "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$"},
}

_WHEN = {
    **_TEXT,
    "description": "Say this only when the condition holds, e.g. fact.time or ever.lock_card_first "
    "(memory of the attempt: ever.ID, fact.KIND, var.ID, mood, turn).",
}
_VARIANTS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "additionalProperties": False,
        "required": ["text"],
        "properties": {"text": _TEXT, "when": _WHEN, "mood": {"enum": ["calm", "tense", "angry"]}},
    },
}
_ASK = {"type": "string", "pattern": "^(fact|ever)\\.[a-z0-9_][a-z0-9_-]*$", "maxLength": 80}
_SHORT = {"type": "string", "minLength": 1, "maxLength": 300}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://empathy-trainer.invalid/schema/scenario-1.json",
    "title": "Empathy Trainer scenario",
    "description": "A branching role-play conversation. See docs/authoring.md.",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "format",
        "id",
        "title",
        "summary",
        "channel",
        "difficulty",
        "estimated_minutes",
        "learning_objectives",
        "persona",
        "rubric",
        "start",
        "nodes",
        "endings",
    ],
    "properties": {
        "$schema": {"type": "string"},
        "format": {"const": FORMAT_VERSION, "description": "Scenario format version."},
        "id": {**_ID, "description": "Unique scenario id, lowercase with dashes."},
        "title": {**_TEXT, "maxLength": 120},
        "summary": _TEXT,
        "channel": {"enum": ["phone", "chat", "email"]},
        "difficulty": {"enum": ["beginner", "intermediate", "advanced"]},
        "estimated_minutes": {"type": "integer", "minimum": 1, "maximum": 180},
        "learning_objectives": {"type": "array", "minItems": 1, "items": _TEXT},
        "max_turns": {
            "type": "integer",
            "minimum": 1,
            "maximum": 200,
            "default": 30,
            "description": "Safety stop: after this many answers the customer gives up.",
        },
        "persona": {
            "type": "object",
            "additionalProperties": False,
            "required": ["name", "role", "mood"],
            "properties": {
                "name": {**_TEXT, "maxLength": 80, "description": "Full name; the scorer credits first or last name."},
                "role": {**_TEXT, "maxLength": 200},
                "mood": {
                    "type": "integer",
                    "minimum": 0,
                    "maximum": 100,
                    "description": "Starting mood: 0 calm ... 100 furious.",
                },
                "backstory": {"type": "string", "maxLength": 4000},
                "avatar": {"type": "string", "maxLength": 200, "description": "Image path relative to assets/."},
                "voice": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "voice": {"type": "string", "maxLength": 80, "description": "espeak-ng voice, e.g. en-us+f3."},
                        "rate": {
                            "type": "integer",
                            "minimum": 80,
                            "maximum": 400,
                            "default": 175,
                            "description": "Words per minute.",
                        },
                        "pitch": {"type": "integer", "minimum": 0, "maximum": 99, "default": 50},
                        "volume": {"type": "number", "minimum": 0, "maximum": 1, "default": 1.0},
                    },
                },
            },
        },
        "desk": {
            "type": "object",
            "additionalProperties": False,
            "description": "What the agent has on screen: the record, the policy, the options, colleagues. "
            "The rubric should expect only what the desk shows or the customer says.",
            "properties": {
                "title": {**_SHORT, "maxLength": 80, "description": "e.g. Card account, Order 4471"},
                "record": {
                    "type": "array",
                    "maxItems": 20,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["label", "value"],
                        "properties": {"label": {**_SHORT, "maxLength": 40}, "value": _SHORT},
                    },
                },
                "policy": {"type": "array", "maxItems": 12, "items": _SHORT},
                "options": {"type": "array", "maxItems": 12, "items": _SHORT},
                "colleagues": {
                    "type": "array",
                    "maxItems": 8,
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["name", "role"],
                        "properties": {
                            "name": {**_SHORT, "maxLength": 60},
                            "role": {**_SHORT, "maxLength": 120},
                            "when": {**_SHORT, "maxLength": 120, "description": "e.g. on call until 6 a.m."},
                        },
                    },
                },
            },
        },
        "variables": {
            "type": "object",
            "description": "Scenario variables and their starting values.",
            "additionalProperties": _SCALAR,
            "propertyNames": {"pattern": "^[a-z_][a-z0-9_]*$"},
        },
        "rubric": {
            "type": "array",
            "minItems": 1,
            "description": "Criteria scored in this scenario: core ids and scenario-specific ones.",
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id"],
                "properties": {
                    "id": _ID,
                    "label": {**_TEXT, "maxLength": 200},
                    "weight": {"type": "number", "exclusiveMinimum": 0, "maximum": 10, "default": 1.0},
                    "feedback": {
                        "type": "object",
                        "additionalProperties": False,
                        "properties": {"met": _TEXT, "missed": _TEXT},
                    },
                    "example": _TEXT,
                    "auto_fail": {
                        "type": "boolean",
                        "description": "Missing this criterion zeroes the turn, as on QA scorecards.",
                    },
                    "phrases": {
                        "type": "array",
                        "items": _TEXT,
                        "description": "Scenario criteria: any phrase met earns it; words may be 2 apart.",
                    },
                    "patterns": {
                        "type": "array",
                        "items": _TEXT,
                        "description": "Scenario criteria: regular expressions on the lowercased answer.",
                    },
                    "exemplars": {
                        "type": "array",
                        "items": _TEXT,
                        "description": "Scenario criteria: answers (or clauses) that meet it, in varied words; "
                        "an answer clause close enough in meaning earns it.",
                    },
                    "counterexamples": {
                        "type": "array",
                        "items": _TEXT,
                        "description": "Scenario criteria: near-misses that must not earn it (the topic, not the act).",
                    },
                    "negatable": {
                        "type": "boolean",
                        "description": "When true (default), a match right after not/can't/won't does not count.",
                    },
                },
            },
        },
        "start": _ID,
        "nodes": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "say"],
                "properties": {
                    "id": _ID,
                    "say": {
                        "description": "What the customer says: text, or variants by condition and mood band. "
                        "Text may quote memory: {fact.time|then}, {customer.first_name}, {var.NAME}.",
                        "oneOf": [
                            _TEXT,
                            {
                                "type": "array",
                                "minItems": 1,
                                "items": {
                                    "type": "object",
                                    "additionalProperties": False,
                                    "required": ["text"],
                                    "properties": {
                                        "text": _TEXT,
                                        "mood": {"enum": ["calm", "tense", "angry"]},
                                        "when": _WHEN,
                                    },
                                },
                            },
                        ],
                    },
                    "hint": _TEXT,
                    "model_answer": _TEXT,
                    "asks": {
                        "type": "array",
                        "items": _ASK,
                        "description": "What this turn asks for (fact.time, ever.CRITERION): when it is already "
                        "established, a variant whose 'when' tests it must acknowledge it.",
                    },
                    "criteria": {
                        "type": "array",
                        "items": _ID,
                        "description": "Criteria scored on this turn (default: the whole rubric).",
                    },
                    "transitions": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["when", "to"],
                            "properties": {
                                "when": {**_TEXT, "description": "e.g. met.lock_card and score >= 60"},
                                "to": _ID,
                                "mood": _MOOD_DELTA,
                                "set": _SET,
                                "note": {"type": "string"},
                            },
                        },
                    },
                    "otherwise": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["to"],
                        "description": "Fallback when no transition's condition holds.",
                        "properties": {
                            "to": _ID,
                            "mood": _MOOD_DELTA,
                            "set": _SET,
                            "note": {"type": "string"},
                        },
                    },
                },
            },
        },
        "endings": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["id", "outcome", "title", "debrief"],
                "properties": {
                    "id": _ID,
                    "outcome": {"enum": ["resolved", "escalated", "customer_lost"]},
                    "title": {**_TEXT, "maxLength": 120},
                    "say": {
                        "description": "The customer's last words: text, or variants with 'when'.",
                        "oneOf": [_TEXT, _VARIANTS],
                    },
                    "debrief": {
                        "description": "What the ending means for the trainee: text, or variants with 'when' "
                        "so it never states what did not happen.",
                        "oneOf": [_TEXT, _VARIANTS],
                    },
                },
            },
        },
    },
}


@dataclass(frozen=True)
class Bounds:
    """A number field's limits as the schema states them, so a form cannot offer what the loader refuses."""

    low: float | None
    high: float | None
    exclusive_low: bool = False
    default: float | None = None
    integer: bool = False


def field_schema(*path: str) -> dict[str, Any]:
    """The schema of the field at ``path`` (property names; arrays are stepped through to their items)."""
    node: dict[str, Any] = SCHEMA
    for key in path:
        while node.get("type") == "array":
            node = node["items"]
        properties = node.get("properties", {})
        if key not in properties:
            raise KeyError(f"the scenario schema has no field {'.'.join(path)!r}")
        node = properties[key]
    return node


def bounds(*path: str) -> Bounds:
    """The limits of the number field at ``path``, e.g. ``bounds("rubric", "weight")``."""
    node = field_schema(*path)
    if node.get("type") not in ("integer", "number"):
        raise TypeError(f"scenario field {'.'.join(path)!r} is not a number")
    exclusive = "exclusiveMinimum" in node
    return Bounds(
        low=node["exclusiveMinimum"] if exclusive else node.get("minimum"),
        high=node.get("maximum"),
        exclusive_low=exclusive,
        default=node.get("default"),
        integer=node["type"] == "integer",
    )


def schema_json() -> str:
    """The schema as the text written to ``scenarios/schema.json``."""
    return json.dumps(SCHEMA, indent=2, ensure_ascii=False) + "\n"
