"""The one atomic file writer: old file or whole new file, and a private file is never readable by others."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from simulator.core import atomic
from simulator.core.atomic import write_atomically


def test_it_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.yaml"
    target.write_bytes(b"old")

    def no_space(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", no_space)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]


def test_a_private_file_is_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "key"
    write_atomically(target, b"secret", private=True)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
