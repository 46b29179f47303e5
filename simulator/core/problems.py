"""Problems found in a scenario file, located by line and column for editors and trainers."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a scenario file.

    Lines and columns are 1-based, as editors and ``file:line:col`` links expect.
    """

    file: str
    line: int
    col: int
    message: str
    hint: str = ""
    # A warning does not stop the scenario from loading: it plays, but an author should look.
    warning: bool = False

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {'warning: ' if self.warning else ''}{self.message}"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "message": self.message,
            "hint": self.hint,
            "severity": "warning" if self.warning else "error",
        }


class ScenarioError(Exception):
    """A scenario file could not be loaded; ``problems`` says every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(p.format() for p in self.problems))
