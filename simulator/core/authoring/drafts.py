"""Drafts and publishing: what trainees play changes only when a trainer publishes it.

The library reads the scenario folder's top level; the studio saves into its ``drafts/``
subfolder, which the library never reads. A new scenario (template, copy, Twine import) is born a
draft; editing a published one makes a draft beside it, and trainees keep playing the published
file until the draft is published. Publishing validates the exact bytes it publishes and renames
the draft over the published file (one ``os.replace`` on one file system: a crash leaves either
the old file or the new one, never half of either).

Names are file stems checked against a pattern, so a crafted name cannot reach outside the folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from simulator.core.index import scenario_files
from simulator.core.loader import load_file, load_text
from simulator.core.model import Scenario
from simulator.core.problems import Problem, ScenarioError

DRAFTS = "drafts"
SUFFIX = ".yaml"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,79}$")


class DraftError(ValueError):
    """A name that is not a scenario file name, or a draft that is not there."""


@dataclass(frozen=True)
class Entry:
    """One scenario as the studio lists it: its published file, its draft, or both."""

    name: str
    published: Path | None
    draft: Path | None

    @property
    def editing(self) -> Path:
        """The file the studio opens: the draft when there is one (the trainer's newest work)."""
        path = self.draft or self.published
        assert path is not None
        return path

    @property
    def label(self) -> str:
        if self.draft is None:
            return self.name
        if self.published is None:
            return f"{self.name} (draft, not published)"
        return f"{self.name} (draft)"


class Drafts:
    """The published files of one scenario folder and their drafts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.drafts = folder / DRAFTS

    def name_of(self, path: Path) -> str:
        """The scenario name of a published or draft path of this folder."""
        name = path.stem
        if path.parent not in (self.folder, self.drafts) or not NAME.match(name):
            raise DraftError(f"{path} is not a scenario file of {self.folder}")
        return name

    def published_path(self, name: str) -> Path:
        return self.folder / (_checked(name) + SUFFIX)

    def draft_path(self, name: str) -> Path:
        return self.drafts / (_checked(name) + SUFFIX)

    def is_draft(self, path: Path) -> bool:
        return path.parent == self.drafts

    def exists(self, name: str) -> bool:
        return self.published_path(name).exists() or self.draft_path(name).exists()

    def entries(self) -> list[Entry]:
        """Every scenario of the folder, by name; files whose names are not scenario names are left out."""
        published = {p.stem: p for p in scenario_files([self.folder]) if p.suffix == SUFFIX and NAME.match(p.stem)}
        drafts = (
            {p.stem: p for p in scenario_files([self.drafts]) if p.suffix == SUFFIX and NAME.match(p.stem)}
            if self.drafts.is_dir()
            else {}
        )
        return [Entry(name, published.get(name), drafts.get(name)) for name in sorted({*published, *drafts})]

    def entry(self, name: str) -> Entry:
        published, draft = self.published_path(name), self.draft_path(name)
        return Entry(name, published if published.exists() else None, draft if draft.exists() else None)

    def save_target(self, name: str) -> Path:
        """Where the studio writes: always the draft (its folder is made on first use)."""
        self.drafts.mkdir(parents=True, exist_ok=True)
        return self.draft_path(name)

    def publish(self, name: str) -> Scenario:
        """Validate the draft and make it the published file; raises ScenarioError with every problem.

        Refused as well when another published file already uses the draft's scenario id: the
        library would have to choose between them.
        """
        draft = self.draft_path(name)
        if not draft.exists():
            raise DraftError(f"{name} has no draft to publish")
        data = draft.read_bytes()
        scenario = load_text(data.decode("utf-8", "replace"), str(draft))
        target = self.published_path(name)
        for other in scenario_files([self.folder]):
            if other == target or other.suffix != SUFFIX:
                continue
            try:
                taken = load_file(other).id == scenario.id
            except ScenarioError:
                continue
            if taken:
                raise ScenarioError(
                    [
                        Problem(
                            str(draft),
                            1,
                            1,
                            f"scenario id {scenario.id!r} is already used by the published {other.name}",
                            "give the draft its own id before publishing",
                        )
                    ]
                )
        if draft.read_bytes() != data:  # changed while we checked: publish only what was checked
            raise DraftError(f"{draft.name} changed while it was being checked: publish again")
        os.replace(draft, target)
        return scenario

    def discard(self, name: str) -> None:
        """Throw the draft away; the published file (if any) is untouched."""
        self.draft_path(name).unlink(missing_ok=True)


def _checked(name: str) -> str:
    if not NAME.match(name):
        raise DraftError(f"{name!r} is not a scenario file name (lower-case letters, digits, '-' and '_')")
    return name
