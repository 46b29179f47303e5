"""Composition: where the data folder is, and opening the databases in it.

The desktop app and the command line build their Store here and then hand it, unopened or
open, to the use cases; they never construct storage objects themselves. ``Store`` and
``ClassroomStore`` are re-exported as the types the shells pass around (they call no method
of them: every read and write is an application function, on the desktop run on the worker).
"""

from __future__ import annotations

from pathlib import Path

from simulator.storage.classroom import ClassroomStore
from simulator.storage.paths import data_dir, database_path, log_dir
from simulator.storage.store import Store

__all__ = [
    "ClassroomStore",
    "Store",
    "classroom_of",
    "data_dir",
    "database_path",
    "log_dir",
    "open_classroom",
    "open_store",
]


def open_store(folder: Path, *, open_now: bool = True) -> Store:
    """The attempt database of a data folder; with ``open_now=False`` the file is first touched on
    the first query (the desktop app opens it on the worker), so problems surface there."""
    return Store(database_path(folder), open_now=open_now)


def classroom_of(store: Store) -> ClassroomStore:
    """The classroom tables (groups, assignments, sessions) over the same connection."""
    return ClassroomStore(store)


def open_classroom(folder: Path) -> ClassroomStore:
    """The classroom tables of a data folder on a connection of their own (close it after); the
    command line and a live-session host's thread use this."""
    return ClassroomStore.open(database_path(folder))
