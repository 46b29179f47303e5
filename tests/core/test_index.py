"""The scenario index: cards without parsing YAML, and never a stale card for an edited file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from simulator.core.catalog import Catalog
from simulator.core.index import INDEX_FORMAT, ScenarioInfo, read_index, scenario_files, write_index
from tests.conftest import ROOT

BUNDLED = ROOT / "scenarios"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "scenarios"
    target.mkdir()
    for name in ("stolen-wallet.yaml", "delayed-order.yaml"):
        shutil.copy(BUNDLED / name, target / name)
    return target


def test_cards_come_from_the_index_without_loading(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    Catalog([folder], index=index)  # an eager load writes the index
    catalog = Catalog([folder], index=index, lazy=True)
    infos, invalid = catalog.infos()
    assert not catalog.loaded
    assert invalid == 0
    assert sorted(i.id for i in infos) == ["delayed-order", "stolen-wallet"]
    wallet = next(i for i in infos if i.id == "stolen-wallet")
    assert wallet == ScenarioInfo.from_scenario(Catalog([folder]).get("stolen-wallet"))
    assert wallet.channel == "phone" and wallet.persona_name


def test_an_edited_file_is_never_shown_from_the_index(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    Catalog([folder], index=index)
    wallet = folder / "stolen-wallet.yaml"
    wallet.write_text(wallet.read_text("utf-8").replace("title:", "title: Edited -", 1), "utf-8")
    catalog = Catalog([folder], index=index, lazy=True)
    infos, _ = catalog.infos()
    assert catalog.loaded  # the index no longer matched, so the catalog was loaded for real
    assert next(i for i in infos if i.id == "stolen-wallet").title.startswith("Edited -")
    # ... and the index now describes the edited file.
    assert read_index(index, scenario_files([folder])) is not None


@pytest.mark.parametrize("change", ["add", "remove"])
def test_added_or_removed_files_miss_the_index(folder: Path, tmp_path: Path, change: str) -> None:
    index = tmp_path / "index.json"
    Catalog([folder], index=index)
    if change == "add":
        shutil.copy(BUNDLED / "internet-outage.yaml", folder / "internet-outage.yaml")
    else:
        (folder / "delayed-order.yaml").unlink()
    assert read_index(index, scenario_files([folder])) is None


def test_invalid_files_are_counted_not_shown(folder: Path, tmp_path: Path) -> None:
    (folder / "broken.yaml").write_text("id: [unclosed\n", "utf-8")
    index = tmp_path / "index.json"
    eager = Catalog([folder], index=index)
    assert eager.problems
    cached = read_index(index, scenario_files([folder]))
    assert cached is not None
    infos, invalid = cached
    assert invalid == 1 and len(infos) == 2


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not json",
        "[]",
        json.dumps({"format": INDEX_FORMAT + 1, "files": {}}),
        json.dumps({"format": INDEX_FORMAT}),
    ],
)
def test_a_damaged_index_is_a_miss_not_an_error(folder: Path, tmp_path: Path, content: str) -> None:
    index = tmp_path / "index.json"
    index.write_text(content, "utf-8")
    assert read_index(index, scenario_files([folder])) is None
    catalog = Catalog([folder], index=index, lazy=True)
    assert len(catalog.infos()[0]) == 2


def test_a_tampered_entry_is_a_miss(folder: Path, tmp_path: Path) -> None:
    index = tmp_path / "index.json"
    Catalog([folder], index=index)
    data = json.loads(index.read_text("utf-8"))
    entry = next(iter(data["files"].values()))
    entry["scenario"]["estimated_minutes"] = "ten"
    index.write_text(json.dumps(data), "utf-8")
    assert read_index(index, scenario_files([folder])) is None


def test_an_unwritable_index_only_costs_speed(folder: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    index = blocker / "index.json"  # its folder is a file: nothing can be written there
    write_index(index, scenario_files([folder]), Catalog([folder]).scenarios)
    assert not index.exists()
    assert len(Catalog([folder], index=index, lazy=True).infos()[0]) == 2


def test_lazy_catalog_loads_once_on_first_real_use(folder: Path) -> None:
    catalog = Catalog([folder], lazy=True)
    assert not catalog.loaded
    wallet = catalog.get("stolen-wallet")
    assert catalog.loaded and catalog.get("stolen-wallet") is wallet
