"""Where scenarios come from, and finding one by id or by path.

The bundled ``scenarios/`` folder sits beside the package in a checkout; the
``EMPATHY_TRAINER_SCENARIOS`` environment variable (a path list) replaces it,
so tests and trainers can point the app at their own folders.

The desktop app creates its catalog ``lazy`` with an index file: the library
is drawn from the index at once and the scenarios are loaded and checked on
the worker right after the window appears. Loading is guarded by a lock, so
whichever thread asks first does it and the other waits for the result.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from simulator.core.index import SCENARIO_SUFFIXES, ScenarioInfo, read_index, scenario_files, write_index
from simulator.core.problems import Problem, ScenarioError

if TYPE_CHECKING:
    from simulator.core.model import Scenario

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

    def __init__(self, dirs: list[Path], *, index: Path | None = None, lazy: bool = False) -> None:
        self.dirs = dirs
        self.index = index
        self._lock = threading.Lock()
        self._scenarios: list[Scenario] | None = None
        self._problems: list[Problem] = []
        self._by_id: dict[str, Scenario] = {}
        if not lazy:
            self.load()

    @property
    def loaded(self) -> bool:
        return self._scenarios is not None

    def load(self) -> None:
        """Load and check every scenario file (once; later calls return at once)."""
        with self._lock:
            if self._scenarios is not None:
                return
            from simulator.core.loader import load_many

            existing = [d for d in self.dirs if d.exists()]
            scenarios, self._problems = load_many(existing)
            self._by_id = {s.id: s for s in scenarios}
            if self.index is not None:
                write_index(self.index, scenario_files(existing), scenarios)
            self._scenarios = scenarios

    def reload(self) -> None:
        """Read every file again: the studio saved or created one."""
        with self._lock:
            self._scenarios = None
        self.load()

    @property
    def scenarios(self) -> list[Scenario]:
        self.load()
        assert self._scenarios is not None
        return self._scenarios

    @property
    def problems(self) -> list[Problem]:
        self.load()
        return self._problems

    def infos(self) -> tuple[list[ScenarioInfo], int]:
        """The library's cards and how many files could not be loaded: from the index while it is current."""
        if not self.loaded and self.index is not None:
            cached = read_index(self.index, scenario_files([d for d in self.dirs if d.exists()]))
            if cached is not None:
                return cached
        return [ScenarioInfo.from_scenario(s) for s in self.scenarios], len({p.file for p in self.problems})

    def get(self, id_or_path: str) -> Scenario:
        """A scenario by id, or by file path (loaded and checked on the spot)."""
        self.load()
        if id_or_path in self._by_id:
            return self._by_id[id_or_path]
        path = Path(id_or_path)
        if path.suffix in SCENARIO_SUFFIXES or path.exists():
            from simulator.core.loader import load_file

            return load_file(path)
        known = ", ".join(sorted(self._by_id)) or "none"
        raise ScenarioError(
            [Problem(id_or_path, 1, 1, f"no scenario with id {id_or_path!r}", f"known scenarios: {known}")]
        )
