"""Issue 15: the studio's scenario form offers exactly the numbers the schema (and so the loader) accepts."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtWidgets import QAbstractSpinBox, QDoubleSpinBox, QSpinBox

from simulator.core.schema import bounds
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.studio.scenario_editor import ScenarioEditor
from simulator.ui.studio.window import StudioWindow
from tests.conftest import SCENARIOS


def _studio(qtbot, tmp_path: Path) -> StudioWindow:  # type: ignore[no-untyped-def]
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIOS / "stolen-wallet.yaml", folder)
    window = StudioWindow(folder, Store(database_path(tmp_path / "data")), "Jo Trainer", synchronous=True)
    qtbot.addWidget(window, before_close_func=lambda w: w.undo_stack.setClean())
    window.show()
    window.refresh_files(select=folder / "stolen-wallet.yaml")
    return window


def test_minutes_reach_the_schema_maximum_and_weight_cannot_be_zero(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    studio = _studio(qtbot, tmp_path)
    form = studio.scenario_editor
    studio.tabs.setCurrentWidget(form)
    minutes = form.fields["Minutes"]
    assert isinstance(minutes, QSpinBox) and minutes.maximum() == 180
    minutes.setValue(150)  # the old form stopped at 120
    assert studio.document.get(("estimated_minutes",)) == 150  # type: ignore[union-attr]

    form.criteria.setCurrentRow(0)
    weight = form.fields["Weight"]
    assert isinstance(weight, QDoubleSpinBox)
    weight.setValue(0.0)  # the schema's exclusiveMinimum: the box stops one step above
    assert 0 < weight.value() <= 0.1
    assert studio.document.get(("rubric", 0, "weight")) == weight.value()  # type: ignore[union-attr]
    assert studio.problems == []


def test_every_number_in_the_form_has_the_schemas_range(qtbot) -> None:  # type: ignore[no-untyped-def]
    form = ScenarioEditor()
    qtbot.addWidget(form)
    spins = form.findChildren(QAbstractSpinBox)
    assert len(spins) >= 6
    for spin in spins:
        assert isinstance(spin, QSpinBox | QDoubleSpinBox)
        path = spin.property("schema_path")
        assert path, f"{spin.accessibleName()}: a number field not tied to the schema"
        limits = bounds(*str(path).split("."))
        step = 1 if isinstance(spin, QSpinBox) else 10.0 ** -spin.decimals()
        assert spin.minimum() == (limits.low or 0) + (step if limits.exclusive_low else 0), path
        assert spin.maximum() == limits.high, path
        assert isinstance(spin, QSpinBox) == limits.integer, path
        if limits.default is not None:
            assert spin.property("default_value") == limits.default, path
