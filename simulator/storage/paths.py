"""Where the app keeps its data: the user's data folder, unless told otherwise.

Order: an explicit ``--data-dir``, then ``EMPATHY_TRAINER_DATA``, then the
platform's per-user data folder (platformdirs). Tests always set one of the
first two, so they never touch a real profile.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "EMPATHY_TRAINER_DATA"
DATABASE_NAME = "empathy-trainer.sqlite3"


def data_dir(explicit: Path | None = None, environ: dict[str, str] | None = None) -> Path:
    if explicit is not None:
        return explicit.expanduser()
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR):
        return Path(env[ENV_VAR]).expanduser()
    return Path(platformdirs.user_data_dir("empathy-trainer", appauthor=False))


def database_path(folder: Path) -> Path:
    return folder / DATABASE_NAME


def log_dir(folder: Path) -> Path:
    return folder / "logs"
