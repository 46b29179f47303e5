"""The Qt binding itself: a defect in it would crash every long session, whatever the app does.

PySide6 6.12.0 on Python 3.11 returned None from void methods without taking a reference, so
each ``label.setText(...)`` cost None one reference; after some thousands of calls (a long
conversation, a big table) the interpreter aborted with "deallocating None". pyproject.toml
keeps that version out; this test catches any binding that does it again.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QLabel, QListWidget, QTableWidget, QTableWidgetItem

pytestmark = pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 on")


def test_void_qt_calls_do_not_steal_references_to_none(qtbot) -> None:  # type: ignore[no-untyped-def]
    label, table, items = QLabel(), QTableWidget(3, 3), QListWidget()
    for widget in (label, table, items):
        qtbot.addWidget(widget)
    calls = 500
    before = sys.getrefcount(None)
    for index in range(calls):
        label.setText(str(index))
        table.setItem(index % 3, 1, QTableWidgetItem("x"))
        items.addItem("y")
    lost = before - sys.getrefcount(None)
    assert lost < calls // 10, f"None lost {lost} references over {3 * calls} void calls: the Qt binding is broken"
