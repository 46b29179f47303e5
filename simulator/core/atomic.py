"""One way to replace a file on disk: the old file or the whole new one, never half of either.

Scenario saves, exports, assignment files and key files all go through here: a crash, a full
disk or a SIGKILL mid-write must leave what was there before.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write beside ``path``, flush to disk, then rename over it.

    ``private`` makes the file readable by its owner only (0600) before any byte is written,
    as a secret key must never be readable by others even for a moment.
    """
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        if private:
            os.chmod(temporary, 0o600)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
