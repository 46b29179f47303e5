"""Roster files as spreadsheets write them, and the import being all or nothing."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from simulator.classroom.roster_csv import MAX_BYTES, import_roster, parse_roster
from simulator.storage.classroom import ClassroomStore
from simulator.storage.paths import database_path
from simulator.storage.store import Store


@pytest.fixture
def classroom(tmp_path: Path) -> ClassroomStore:
    return ClassroomStore(Store(database_path(tmp_path)))


def test_excel_semicolons_with_bom_and_header_variants() -> None:
    data = codecs.BOM_UTF8 + b"Full Name;Cohort;E-mail\r\nAna Silva;Morning;ana@x\r\n\r\n;;\r\nBen  Ode;Morning;\r\n"
    plan = parse_roster(data)
    assert plan.ok and plan.delimiter == ";" and plan.header and plan.encoding == "utf-8"
    assert [(e.line, e.name, e.group) for e in plan.entries] == [(2, "Ana Silva", "Morning"), (5, "Ben Ode", "Morning")]
    assert [p.format() for p in plan.problems] == ["line 1: warning: columns ignored: E-mail"]


def test_first_and_last_name_columns_and_a_default_group() -> None:
    plan = parse_roster(b'Surname,First name\nSilva,Ana\n"O\'Neil, Jr",Cy\n', default_group="Evening")
    assert plan.ok
    assert [(e.name, e.group) for e in plan.entries] == [("Ana Silva", "Evening"), ("Cy O'Neil, Jr", "Evening")]


def test_no_header_means_name_then_group_and_tabs_are_found() -> None:
    plan = parse_roster("Ana Silva\tMorning\nBen Ode\n".encode("utf-16"))
    assert plan.ok and not plan.header and plan.delimiter == "\t" and plan.encoding == "utf-16"
    assert [(e.name, e.group) for e in plan.entries] == [("Ana Silva", "Morning"), ("Ben Ode", None)]


def test_windows_1252_is_read_with_a_warning() -> None:
    plan = parse_roster("name,group\nJosé Núñez,B\n".encode("cp1252"))
    assert plan.ok and plan.entries[0].name == "José Núñez" and plan.encoding == "cp1252"
    assert not plan.problems[0].error and "Windows-1252" in plan.problems[0].message


def test_duplicates_are_skipped_with_the_line_of_the_first() -> None:
    plan = parse_roster(b"name,group\nAna,A\nana ,a\nAna,B\n")
    assert [(e.name, e.group) for e in plan.entries] == [("Ana", "A"), ("Ana", "B")]
    assert [p.format() for p in plan.problems] == ["line 3: warning: ana is repeated (first on line 2): skipped"]


def test_each_bad_line_is_reported_with_its_number() -> None:
    long_name = "x" * 81
    plan = parse_roster(f"name,group\nAna,A\n,B\n{long_name},A\nBell\x07,A\nCleo,A,extra\n".encode())
    assert not plan.ok
    assert [(p.line, p.error) for p in plan.problems] == [(3, True), (4, True), (5, True), (6, False)]
    assert "no name" in plan.problems[0].message and "longer than 80" in plan.problems[1].message


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"email,phone\na@x,1\n", "no name column"),
        (b"\n\n", "no trainees"),
        (b"\x00\x01\x02garbage", "not text"),
        (b"name\n" + b"a" * MAX_BYTES, "larger than"),
    ],
)
def test_unusable_files_say_why(data: bytes, message: str) -> None:
    plan = parse_roster(data)
    assert not plan.ok
    assert any(message in p.message for p in plan.problems if p.error)


def test_import_stores_everything_or_nothing(classroom: ClassroomStore) -> None:
    bad = import_roster(classroom, b"name,group\nAna,A\n,B\n")
    assert bad.result is None and classroom.groups() == [] and classroom.store.trainees() == []
    good = import_roster(classroom, b"name,group\nAna,A\nBen,A\nBen,B\n")
    assert good.result is not None and good.result.trainees_created == ("Ana", "Ben")
    assert good.result.groups_created == ("A", "B") and good.result.memberships_added == 3
    assert [(g.name, g.member_count) for g in classroom.groups()] == [("A", 2), ("B", 1)]
