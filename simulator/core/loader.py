"""Load scenario files: safe YAML, then the JSON Schema, then semantic checks, then the model.

Any failure becomes a :class:`ScenarioError` listing located problems; no
other exception escapes for bad input (a property-based test holds us to it).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from simulator.core import conditions, schema_check, yamlsafe
from simulator.core.index import scenario_files
from simulator.core.model import (
    Channel,
    Colleague,
    CriterionSpec,
    Desk,
    DeskField,
    Difficulty,
    Effects,
    Ending,
    Feedback,
    LineVariant,
    MoodBand,
    Node,
    Outcome,
    Persona,
    Scenario,
    Transition,
    Voice,
)
from simulator.core.problems import Problem, ScenarioError
from simulator.core.scoring.catalog import CORE_CRITERIA, CUSTOM_KEYS
from simulator.core.validate import check_semantics


def load_file(path: str | Path) -> Scenario:
    """Load and fully check one scenario file."""
    path = Path(path)
    name = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ScenarioError([Problem(name, 1, 1, f"cannot read file: {exc.strerror or exc}")]) from None
    return load_bytes(raw, name, path=path)


def load_bytes(raw: bytes, name: str = "<scenario>", *, path: Path | None = None) -> Scenario:
    if len(raw) > yamlsafe.MAX_BYTES:
        raise ScenarioError([Problem(name, 1, 1, f"file is larger than {yamlsafe.MAX_BYTES // 1000} kB")])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(
            [Problem(name, line, 1, "file is not UTF-8 text", "save the file as UTF-8 in your editor")]
        ) from None
    return load_text(text, name, path=path, content_hash=hashlib.sha256(raw).hexdigest())


def load_text(
    text: str,
    name: str = "<scenario>",
    *,
    path: Path | None = None,
    content_hash: str = "",
) -> Scenario:
    if not content_hash:
        content_hash = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    data, source = parse(text, name)
    problems = schema_check.check(data, source, name)
    if problems:
        raise ScenarioError(problems)
    found = check_semantics(data, source, name)
    errors = [p for p in found if not p.warning]
    if errors:
        raise ScenarioError(errors)
    return _build(data, path, content_hash, tuple(sorted(p for p in found if p.warning)))


def parse(text: str, name: str = "<scenario>") -> tuple[dict[str, Any], yamlsafe.SourceMap]:
    """The YAML mapping and its source positions; ScenarioError when the text is not even that."""
    if "\x00" in text:
        raise ScenarioError([Problem(name, 1, 1, "file contains NUL bytes", "this is not a text file")])
    try:
        data, source = yamlsafe.load(text)
    except yamlsafe.YamlError as exc:
        raise ScenarioError([Problem(name, exc.line, exc.col, exc.message, exc.hint)]) from None
    if not isinstance(data, dict):
        raise ScenarioError(
            [
                Problem(
                    name,
                    1,
                    1,
                    "a scenario file must be a mapping of keys such as id, title, nodes",
                    "see docs/authoring.md",
                )
            ]
        )
    return data, source


def _build(data: dict[str, Any], path: Path | None, content_hash: str, warnings: tuple[Problem, ...]) -> Scenario:
    persona_data = data["persona"]
    voice_data = persona_data.get("voice", {})
    persona = Persona(
        name=persona_data["name"],
        role=persona_data["role"],
        mood=persona_data["mood"],
        backstory=persona_data.get("backstory", ""),
        avatar=persona_data.get("avatar", ""),
        voice=Voice(
            voice=voice_data.get("voice", "en-us"),
            rate=voice_data.get("rate", 175),
            pitch=voice_data.get("pitch", 50),
            volume=float(voice_data.get("volume", 1.0)),
        ),
    )
    rubric = tuple(_criterion(spec, persona) for spec in data["rubric"])
    all_ids = tuple(spec.id for spec in rubric)
    nodes = tuple(_node(node, all_ids) for node in data["nodes"])
    endings = tuple(
        Ending(
            id=e["id"],
            outcome=Outcome(e["outcome"]),
            title=e["title"],
            debriefs=_variants(e["debrief"]),
            lines=_variants(e["say"]) if "say" in e else (),
        )
        for e in data["endings"]
    )
    return Scenario(
        id=data["id"],
        title=data["title"],
        summary=data["summary"].strip(),
        channel=Channel(data["channel"]),
        difficulty=Difficulty(data["difficulty"]),
        estimated_minutes=data["estimated_minutes"],
        learning_objectives=tuple(data["learning_objectives"]),
        persona=persona,
        rubric=rubric,
        variables=tuple((data.get("variables") or {}).items()),
        start=data["start"],
        nodes=nodes,
        endings=endings,
        max_turns=data.get("max_turns", 30),
        path=path,
        content_hash=content_hash,
        desk=_desk(data.get("desk") or {}),
        warnings=warnings,
    )


def _desk(data: dict[str, Any]) -> Desk:
    return Desk(
        title=data.get("title", ""),
        record=tuple(DeskField(f["label"], f["value"]) for f in data.get("record", [])),
        policy=tuple(data.get("policy", [])),
        options=tuple(data.get("options", [])),
        colleagues=tuple(Colleague(c["name"], c["role"], c.get("when", "")) for c in data.get("colleagues", [])),
    )


def _variants(say: str | list[dict[str, Any]]) -> tuple[LineVariant, ...]:
    if isinstance(say, str):
        return (LineVariant(say.strip()),)
    return tuple(
        LineVariant(
            v["text"].strip(),
            MoodBand(v["mood"]) if "mood" in v else None,
            conditions.parse(v["when"]) if "when" in v else None,
        )
        for v in say
    )


def _criterion(spec: dict[str, Any], persona: Persona) -> CriterionSpec:
    core = CORE_CRITERIA.get(spec["id"])
    custom = any(key in spec for key in CUSTOM_KEYS)
    feedback = spec.get("feedback", {})
    return CriterionSpec(
        id=spec["id"],
        label=spec.get("label") or (core.label if core else spec["id"]),
        weight=float(spec.get("weight", 1.0)),
        feedback=Feedback(
            met=feedback.get("met") or (core.met if core else ""),
            missed=feedback.get("missed") or (core.missed if core else ""),
        ),
        # The core example is generic; it names this scenario's customer, never another persona.
        example=spec.get("example") or (core.example.replace("{name}", persona.first_name) if core else ""),
        auto_fail=bool(spec.get("auto_fail", False)),
        phrases=tuple(spec.get("phrases", ())),
        patterns=tuple(spec.get("patterns", ())),
        exemplars=tuple(spec.get("exemplars", ())),
        counterexamples=tuple(spec.get("counterexamples", ())),
        negatable=bool(spec.get("negatable", True)),
        core=core is not None and not custom,
    )


def _node(data: dict[str, Any], all_criteria: tuple[str, ...]) -> Node:
    lines = _variants(data["say"])
    transitions = tuple(_transition(t) for t in data.get("transitions", []))
    return Node(
        id=data["id"],
        lines=lines,
        criteria=tuple(data.get("criteria", all_criteria)),
        transitions=transitions,
        otherwise=_transition(data["otherwise"]),
        hint=data.get("hint", "").strip(),
        model_answer=data.get("model_answer", "").strip(),
        asks=tuple(data.get("asks", ())),
    )


def _transition(data: dict[str, Any]) -> Transition:
    when = conditions.parse(data["when"]) if "when" in data else None
    return Transition(
        to=data["to"],
        when=when,
        effects=Effects(mood=data.get("mood", 0), set=tuple((data.get("set") or {}).items())),
        note=data.get("note", ""),
    )


def load_many(paths: list[Path]) -> tuple[list[Scenario], list[Problem]]:
    """Load every scenario under ``paths``; also reports scenario ids used by two files."""
    scenarios: list[Scenario] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for file in scenario_files(paths):
        try:
            scenario = load_file(file)
        except ScenarioError as exc:
            problems.extend(exc.problems)
            continue
        except (RecursionError, MemoryError) as exc:  # a bound was missed somewhere: skip the file, never the app
            problems.append(Problem(str(file), 1, 1, f"the file is too deeply nested or too large to load ({exc})"))
            continue
        if scenario.id in seen:
            problems.append(
                Problem(
                    str(file),
                    _id_line(file),
                    1,
                    f"scenario id {scenario.id!r} is already used by {seen[scenario.id]}",
                    "give each scenario file its own id",
                )
            )
            continue
        seen[scenario.id] = file
        scenarios.append(scenario)
    return scenarios, problems


def _id_line(file: Path) -> int:
    try:
        for number, line in enumerate(file.read_text("utf-8").splitlines(), 1):
            if line.startswith("id:"):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 1
