"""Run the real window in its own process, answer N turns through the GUI, then wait to be killed.

Used by test_crash_recovery: ``python -m tests.ui.crash_driver DATA_DIR N``. It prints
``ANSWERED N`` once the N-th answer has been scored and committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests.ui.helpers import answers, make_window


def main() -> None:
    data, count = Path(sys.argv[1]), int(sys.argv[2])
    app = QApplication(sys.argv)
    window = make_window(data, synchronous=False)
    window.set_trainee(window.store.add_trainee("Ana"))
    window.show()
    script = answers("stolen-wallet--resolved_well.txt")[:count]

    def wait_for(condition, then):  # type: ignore[no-untyped-def]
        def poll() -> None:
            if condition():
                then()
            else:
                QTimer.singleShot(20, poll)

        poll()

    def answer(index: int) -> None:
        if index == len(script):
            wait_for(lambda: not window.runner.busy, lambda: print(f"ANSWERED {count}", flush=True))
            return
        box = window.conversation.answer
        QTest.keyClicks(box, script[index])
        QTest.keyClick(box, Qt.Key.Key_Return)
        expected = 2 * index + 3  # customer, answer, customer ...
        wait_for(lambda: len(window.conversation.bubbles()) >= expected, lambda: answer(index + 1))

    def begin() -> None:
        window.start("stolen-wallet", "practice")
        wait_for(lambda: len(window.conversation.bubbles()) == 1, lambda: answer(0))

    wait_for(lambda: len(window.library.cards) == 5, begin)
    app.exec()


if __name__ == "__main__":
    main()
