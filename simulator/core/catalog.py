"""Where scenarios come from, and finding one by id or by path.

The bundled ``scenarios/`` folder sits beside the package in a checkout; the
``EMPATHY_TRAINER_SCENARIOS`` environment variable (a path list) replaces it,
so tests and trainers can point the app at their own folders.
"""

from __future__ import annotations

import os
from pathlib import Path

from simulator.core.loader import load_file, load_many
from simulator.core.model import Scenario
from simulator.core.problems import Problem, ScenarioError

ENV_VAR = "EMPATHY_TRAINER_SCENARIOS"
BUNDLED = Path(__file__).resolve().parents[2] / "scenarios"


def scenario_dirs(environ: dict[str, str] | None = None) -> list[Path]:
    env = os.environ if environ is None else environ
    configured = env.get(ENV_VAR, "")
    if configured:
        return [Path(p) for p in configured.split(os.pathsep) if p]
    return [BUNDLED]


class Catalog:
    """The scenarios found in a set of folders, indexed by id."""

    def __init__(self, dirs: list[Path]) -> None:
        self.dirs = dirs
        existing = [d for d in dirs if d.exists()]
        self.scenarios, self.problems = load_many(existing)
        self._by_id = {s.id: s for s in self.scenarios}

    def get(self, id_or_path: str) -> Scenario:
        """A scenario by id, or by file path (loaded and checked on the spot)."""
        if id_or_path in self._by_id:
            return self._by_id[id_or_path]
        path = Path(id_or_path)
        if path.suffix in (".yaml", ".yml") or path.exists():
            return load_file(path)
        known = ", ".join(sorted(self._by_id)) or "none"
        raise ScenarioError(
            [Problem(id_or_path, 1, 1, f"no scenario with id {id_or_path!r}", f"known scenarios: {known}")]
        )
