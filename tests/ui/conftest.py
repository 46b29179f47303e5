"""GUI tests: offscreen Qt, automatically marked ``gui`` so core tests can run alone (-m 'not gui')."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/ui/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def app_globals(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """app.run installs an excepthook and a log handler for the process; put both back afterwards."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    handlers = list(logging.getLogger().handlers)
    yield
    for handler in logging.getLogger().handlers:
        if handler not in handlers:
            logging.getLogger().removeHandler(handler)
            handler.close()


@pytest.fixture(autouse=True)
def _no_unexpected_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """A question box nobody answers would block the suite for ever (offscreen, modal): fail instead.

    Tests that expect a question replace ``QMessageBox.question`` themselves (their monkeypatch wins).
    """
    from PySide6.QtWidgets import QMessageBox

    def unexpected(_parent: object, title: str, text: str, *_rest: object) -> object:
        raise AssertionError(f"the app asked a question no test expected: {title!r}: {text!r}")

    monkeypatch.setattr(QMessageBox, "question", unexpected)
