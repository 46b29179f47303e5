"""A broken or hostile scenario file in a scenario folder never stops the app from starting (issue 16).

Each case starts the real main window (lazy catalog with an index, as the app does) over a folder
holding the bundled scenarios and one hostile file, and checks the library still shows every good
scenario while the status line names the hostile file and why it was not loaded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from simulator.core.catalog import Catalog
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.main_window import MainWindow
from tests.ui.helpers import ROOT, SCENARIOS

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
    for i in range(9)
)
HOSTILE = {
    "self-alias": ("a: &a [*a]\n", "refers to the list or map that contains it"),
    "map-cycle": ("a: &a {b: *a}\n", "refers to the list or map that contains it"),
    "billion-laughs": (LAUGHS, "values"),
    "deep-lists": ("[" * 500 + "]" * 500 + "\n", "nest"),
    "deep-maps": ("a:\n" + "".join(" " * (i + 1) + "b:\n" for i in range(300)), "nested more than"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_the_app_starts_and_names_the_hostile_file(qtbot, tmp_path: Path, case: str) -> None:  # type: ignore[no-untyped-def]
    text, reason = HOSTILE[case]
    folder = tmp_path / "scenarios"
    shutil.copytree(SCENARIOS, folder)
    (folder / f"{case}.yaml").write_text(text, encoding="utf-8")
    store = Store(database_path(tmp_path))
    ana = store.add_trainee("Ana")
    window = MainWindow(
        Catalog([folder], index=tmp_path / "index.json", lazy=True),
        store,
        ROOT / "assets",
        QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        synchronous=True,
        typing_delay_ms=0,
        choose_trainee=lambda trainees: "Ana",
    )
    qtbot.addWidget(window)
    window.show()
    window.set_trainee(ana)
    window.load_in_background(lambda trainees: ana in trainees)
    window.show_library()
    assert len(window.library.cards) == 5  # every good scenario is still there
    message = window.statusBar().currentMessage()
    assert f"{case}.yaml" in message and reason in message, message
    assert window.isVisible()  # not closed by an "unexpected error"
