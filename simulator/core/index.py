"""What the library shows about each scenario file, cached on disk so the window opens before any YAML is parsed.

Loading a scenario fully (YAML, JSON Schema, semantic checks, model) costs
more than opening the window; the library needs only titles and facts. The
index is keyed by each file's SHA-256, so an edited, added or removed file is
never shown from a stale entry, and it is only a first paint: the app loads
the full catalog right after the window appears and shows that instead.
Nothing here imports the loader, YAML or jsonschema.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.core.model import Scenario

SCENARIO_SUFFIXES = (".yaml", ".yml")
# Bump when ScenarioInfo or the validator changes what a cached entry means.
INDEX_FORMAT = 1
# The index's file name in the data folder.
INDEX_FILE = "scenario-index.json"


def scenario_files(paths: list[Path]) -> list[Path]:
    """Expand directories into the scenario files inside them, sorted for stable output."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.suffix in SCENARIO_SUFFIXES and p.is_file()))
        else:
            files.append(path)
    return files


@dataclass(frozen=True)
class ScenarioInfo:
    """One library card's worth of a scenario."""

    id: str
    title: str
    summary: str
    channel: str
    difficulty: str
    estimated_minutes: int
    persona_name: str
    persona_role: str
    learning_objectives: tuple[str, ...]
    content_hash: str

    @classmethod
    def from_scenario(cls, scenario: Scenario) -> ScenarioInfo:
        return cls(
            id=scenario.id,
            title=scenario.title,
            summary=scenario.summary,
            channel=scenario.channel.value,
            difficulty=scenario.difficulty.value,
            estimated_minutes=scenario.estimated_minutes,
            persona_name=scenario.persona.name,
            persona_role=scenario.persona.role,
            learning_objectives=scenario.learning_objectives,
            content_hash=scenario.content_hash,
        )

    @classmethod
    def from_dict(cls, data: Any) -> ScenarioInfo:
        """Raises ValueError unless ``data`` is exactly what :meth:`to_dict` wrote."""
        names = {f.name for f in fields(cls)}
        if not isinstance(data, dict) or set(data) != names:
            raise ValueError("not a scenario entry")
        objectives = data["learning_objectives"]
        if not isinstance(objectives, list) or not all(isinstance(o, str) for o in objectives):
            raise ValueError("bad learning objectives")
        if type(data["estimated_minutes"]) is not int:
            raise ValueError("bad minutes")
        for name in names - {"learning_objectives", "estimated_minutes"}:
            if not isinstance(data[name], str):
                raise ValueError(f"bad {name}")
        return cls(**{**data, "learning_objectives": tuple(objectives)})

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "learning_objectives": list(self.learning_objectives)}


def file_hashes(files: list[Path]) -> dict[str, str] | None:
    """SHA-256 of each file's bytes by path; None if one cannot be read (the full load will say why)."""
    hashes: dict[str, str] = {}
    for file in files:
        try:
            hashes[str(file)] = hashlib.sha256(file.read_bytes()).hexdigest()
        except OSError:
            return None
    return hashes


def read_index(index: Path, files: list[Path]) -> tuple[list[ScenarioInfo], int] | None:
    """The cached cards and the number of files known to be invalid, if every file matches the cache."""
    hashes = file_hashes(files)
    if hashes is None:
        return None
    try:
        data = json.loads(index.read_text("utf-8"))
        if data.get("format") != INDEX_FORMAT or set(data["files"]) != set(hashes):
            return None
        infos: list[ScenarioInfo] = []
        invalid = 0
        for path, digest in hashes.items():
            entry = data["files"][path]
            if entry["sha256"] != digest:
                return None
            if entry["scenario"] is None:
                invalid += 1
            else:
                infos.append(ScenarioInfo.from_dict(entry["scenario"]))
        return infos, invalid
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # missing, unreadable or damaged: a cache miss, never an error


def write_index(index: Path, files: list[Path], scenarios: list[Scenario]) -> None:
    """Record what loading ``files`` produced; files that gave no scenario are remembered as invalid.

    Best effort: a read-only data folder only costs the next start its speed.
    """
    hashes = file_hashes(files)
    if hashes is None:
        return
    by_path = {str(s.path): s for s in scenarios if s.path is not None}
    entries = {}
    for path, digest in hashes.items():
        scenario = by_path.get(path)
        if scenario is not None and scenario.content_hash != digest:
            return  # edited between loading and hashing: do not cache the old content's card
        card = ScenarioInfo.from_scenario(scenario).to_dict() if scenario is not None else None
        entries[path] = {"sha256": digest, "scenario": card}
    temporary = index.with_name(index.name + ".tmp")
    with contextlib.suppress(OSError):
        index.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_text(json.dumps({"format": INDEX_FORMAT, "files": entries}), "utf-8")
        os.replace(temporary, index)
