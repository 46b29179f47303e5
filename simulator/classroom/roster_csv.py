"""Reading a roster from the CSV a trainer has at hand (a spreadsheet export, a typed list).

Tolerant of what spreadsheets write: a UTF-8 byte-order mark, UTF-16 ("Unicode text"),
Windows-1252, ``;``, ``,`` or tab separators, header variants (name / full name / first
and last name; group / cohort / class / team), no header at all, blank lines and repeated
rows. Strict about what would go wrong silently: every problem names its line, and an
import with any error imports nothing (:func:`import_roster` is one transaction).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.storage.classroom_sql import unprintable

if TYPE_CHECKING:
    from simulator.storage.classroom import ClassroomStore
    from simulator.storage.classroom_records import RosterResult

MAX_BYTES = 1_000_000
MAX_ROWS = 5000
MAX_NAME = 80

NAME_HEADERS = {
    "name", "full name", "fullname", "trainee", "trainee name", "agent", "agent name", "student",
    "student name", "participant", "learner", "learner name", "employee", "employee name",
}  # fmt: skip
FIRST_HEADERS = {"first name", "firstname", "first", "given name", "forename"}
LAST_HEADERS = {"last name", "lastname", "last", "surname", "family name"}
GROUP_HEADERS = {"group", "group name", "cohort", "cohort name", "class", "class name", "team", "team name"}
# Columns spreadsheets often carry beside names: a first row of these is a header too (then ignored).
OTHER_HEADERS = {"email", "e mail", "mail", "phone", "id", "number", "no", "#", "department", "role", "notes"}


@dataclass(frozen=True)
class RosterLine:
    line: int
    name: str
    group: str | None


@dataclass(frozen=True)
class RosterProblem:
    line: int  # 0: the file as a whole
    message: str
    error: bool  # False: a warning, the import goes ahead

    def format(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {'error' if self.error else 'warning'}: {self.message}"


@dataclass(frozen=True)
class RosterPlan:
    """What a roster file says, before anything is stored: show ``problems`` and ask to go ahead."""

    entries: tuple[RosterLine, ...]
    problems: tuple[RosterProblem, ...]
    delimiter: str
    encoding: str
    header: bool

    @property
    def ok(self) -> bool:
        return not any(p.error for p in self.problems)

    def pairs(self) -> list[tuple[str, str | None]]:
        return [(e.name, e.group) for e in self.entries]


@dataclass(frozen=True)
class RosterImport:
    plan: RosterPlan
    result: RosterResult | None  # None: the plan had errors and nothing was imported


def _header_key(cell: str) -> str:
    return " ".join(re.sub(r"[_\-.]+", " ", cell.replace("\ufeff", "")).casefold().split())


def _decode(data: bytes) -> tuple[str, str, list[RosterProblem]]:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "utf-16", []
    try:
        return data.decode("utf-8-sig"), "utf-8", []
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise ValueError("the file is not text (save it from the spreadsheet as CSV UTF-8)") from None
    return text, "cp1252", [RosterProblem(0, "not UTF-8: read as Windows-1252; check accented names", False)]


def _delimiter(first_line: str) -> str:
    outside, quoted = [], False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted:
            outside.append(ch)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _clean(value: str) -> str:
    return " ".join(value.split())


def _name_problem(name: str) -> str | None:
    if len(name) > MAX_NAME:
        return f"the name is longer than {MAX_NAME} characters"
    if unprintable(name):
        return "the name contains control or invisible characters"
    return None


def parse_roster(data: bytes, default_group: str | None = None) -> RosterPlan:
    """Read a roster file; ``default_group`` is used for rows without a group (None: trainees only)."""
    problems: list[RosterProblem] = []
    if len(data) > MAX_BYTES:
        return RosterPlan(
            (), (RosterProblem(0, f"the file is larger than {MAX_BYTES // 1000} kB", True),), ",", "", False
        )
    try:
        text, encoding, problems = _decode(data)
    except ValueError as exc:
        return RosterPlan((), (RosterProblem(0, str(exc), True),), ",", "", False)
    if "\x00" in text:
        return RosterPlan((), (RosterProblem(0, "the file is not text (it contains NUL bytes)", True),), ",", "", False)
    first = next((line for line in text.splitlines() if line.strip(" ,;\t")), "")
    delimiter = _delimiter(first)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', skipinitialspace=True)
    fallback = _clean(default_group) if default_group else None

    name_col: int | None = 0
    first_col = last_col = None
    group_col: int | None = 1
    header = False
    width = 2
    first_row = True
    entries: list[RosterLine] = []
    seen: dict[tuple[str, str], int] = {}
    try:
        for cells in rows:
            line = rows.line_num
            if not any(c.strip() for c in cells):
                continue  # blank lines and lines of bare separators
            if first_row:
                first_row = False
                keys = [_header_key(c) for c in cells]
                if any(k in NAME_HEADERS | FIRST_HEADERS | LAST_HEADERS | GROUP_HEADERS | OTHER_HEADERS for k in keys):
                    header = True
                    name_col = next((i for i, k in enumerate(keys) if k in NAME_HEADERS), None)
                    first_col = next((i for i, k in enumerate(keys) if k in FIRST_HEADERS), None)
                    last_col = next((i for i, k in enumerate(keys) if k in LAST_HEADERS), None)
                    group_col = next((i for i, k in enumerate(keys) if k in GROUP_HEADERS), None)
                    width = len(cells)
                    used = {name_col, first_col, last_col, group_col}
                    ignored = [c.strip() for i, c in enumerate(cells) if i not in used and c.strip()]
                    if name_col is None and first_col is None and last_col is None:
                        found = ", ".join(repr(c.strip()) for c in cells)
                        problems.append(
                            RosterProblem(line, f"no name column (expected 'name' or 'full name'; found {found})", True)
                        )
                        break
                    if ignored:
                        problems.append(RosterProblem(line, f"columns ignored: {', '.join(ignored)}", False))
                    continue
            if len(entries) >= MAX_ROWS:
                problems.append(RosterProblem(line, f"more than {MAX_ROWS} rows: split the file", True))
                break
            entry = _row(cells, line, name_col, first_col, last_col, group_col, width, header, fallback, problems)
            if entry is None:
                continue
            key = (entry.name.casefold(), (entry.group or "").casefold())
            if key in seen:
                problems.append(
                    RosterProblem(line, f"{entry.name} is repeated (first on line {seen[key]}): skipped", False)
                )
                continue
            seen[key] = line
            entries.append(entry)
    except csv.Error as exc:
        problems.append(RosterProblem(rows.line_num, f"cannot read the line: {exc}", True))
    if not entries and not any(p.error for p in problems):
        problems.append(RosterProblem(0, "no trainees in the file", True))
    return RosterPlan(tuple(entries), tuple(problems), delimiter, encoding, header)


def _row(
    cells: list[str],
    line: int,
    name_col: int | None,
    first_col: int | None,
    last_col: int | None,
    group_col: int | None,
    width: int,
    header: bool,
    fallback: str | None,
    problems: list[RosterProblem],
) -> RosterLine | None:
    def cell(index: int | None) -> str:
        return _clean(cells[index]) if index is not None and index < len(cells) else ""

    name = cell(name_col) or " ".join(p for p in (cell(first_col), cell(last_col)) if p)
    group = cell(group_col) or fallback
    if header and any(c.strip() for c in cells[width:]):
        problems.append(RosterProblem(line, "more values than columns in the header: extra values ignored", False))
    if not header and any(c.strip() for c in cells[2:]):
        problems.append(RosterProblem(line, "only the first two values (name, group) are read", False))
    if not name:
        problems.append(RosterProblem(line, "no name on this line", True))
        return None
    for what, value in (("trainee", name), ("group", group or "")):
        issue = _name_problem(value)
        if issue:
            problems.append(RosterProblem(line, f"{what}: {issue}", True))
            return None
    return RosterLine(line, name, group)


def import_roster(classroom: ClassroomStore, data: bytes, default_group: str | None = None) -> RosterImport:
    """Parse and, when there is no error, store the whole roster in one transaction."""
    plan = parse_roster(data, default_group)
    if not plan.ok:
        return RosterImport(plan, None)
    return RosterImport(plan, classroom.import_roster(plan.pairs()))
