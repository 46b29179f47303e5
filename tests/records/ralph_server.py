"""Ralph (an xAPI LRS) on loopback for the tests, with its file-system backend.

    python tests/records/ralph_server.py PORT

The fixture in conftest.py sets RALPH_RUNSERVER_BACKEND=fs, RALPH_AUTH_FILE,
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH and RALPH_HISTORY_FILE. uvicorn
is started directly: ``ralph runserver`` adds a reloader process.

Workaround (Ralph 4.2 to 5.1): the statements router writes without an operation
type, so the file-system backend falls back to CREATE and every POST after the
first answers 500 because the file exists. An LRS file is appended to, so the
default becomes APPEND before the app is imported. This is Ralph's defect, not
xAPI's; the app's client is not adapted to it.
"""

from __future__ import annotations

import sys

from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

import uvicorn  # noqa: E402

if __name__ == "__main__":
    uvicorn.run("ralph.api:app", host="127.0.0.1", port=int(sys.argv[1]), log_level="warning", access_log=False)
