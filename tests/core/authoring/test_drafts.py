"""Drafts and publishing on real files: names stay inside the folder, only valid drafts publish."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.authoring.drafts import DraftError, Drafts
from simulator.core.loader import load_file
from simulator.core.problems import ScenarioError

SCENARIOS = Path(__file__).resolve().parents[3] / "scenarios"


@pytest.fixture
def drafts(tmp_path: Path) -> Drafts:
    (tmp_path / "stolen-wallet.yaml").write_bytes((SCENARIOS / "stolen-wallet.yaml").read_bytes())
    return Drafts(tmp_path)


def test_entries_list_each_scenario_once_with_its_draft(drafts: Drafts) -> None:
    (drafts.folder / "notes.txt").write_text("not a scenario")
    drafts.save_target("stolen-wallet").write_bytes((drafts.folder / "stolen-wallet.yaml").read_bytes())
    drafts.save_target("night-shift").write_text("id: night-shift\n")
    entries = {e.name: e for e in drafts.entries()}
    assert set(entries) == {"stolen-wallet", "night-shift"}
    assert entries["stolen-wallet"].editing == drafts.draft_path("stolen-wallet")
    assert entries["stolen-wallet"].label == "stolen-wallet (draft)"
    assert entries["night-shift"].label == "night-shift (draft, not published)"


@pytest.mark.parametrize("name", ["../evil", "/etc/passwd", "a/b", "", ".hidden", "Upper", "x" * 81])
def test_a_crafted_name_cannot_leave_the_folder(drafts: Drafts, name: str) -> None:
    with pytest.raises(DraftError):
        drafts.draft_path(name)
    with pytest.raises(DraftError):
        drafts.publish(name)


def test_publishing_validates_first_and_leaves_the_published_file_alone_on_a_problem(drafts: Drafts) -> None:
    published = drafts.folder / "stolen-wallet.yaml"
    before = published.read_bytes()
    broken = before.replace(b"mood: ", b"mood: 400 #", 1)
    drafts.save_target("stolen-wallet").write_bytes(broken)
    with pytest.raises(ScenarioError) as raised:
        drafts.publish("stolen-wallet")
    assert raised.value.problems and published.read_bytes() == before
    assert drafts.draft_path("stolen-wallet").read_bytes() == broken  # the trainer's work is kept


def test_publishing_moves_the_checked_bytes_into_place(drafts: Drafts) -> None:
    text = (drafts.folder / "stolen-wallet.yaml").read_text(encoding="utf-8")
    revised = text.replace("title: Stolen wallet at 2 a.m.", "title: Stolen wallet, revised", 1)
    drafts.save_target("stolen-wallet").write_text(revised, encoding="utf-8")
    scenario = drafts.publish("stolen-wallet")
    assert scenario.title == "Stolen wallet, revised"
    assert (drafts.folder / "stolen-wallet.yaml").read_text(encoding="utf-8") == revised
    assert not drafts.draft_path("stolen-wallet").exists()
    assert load_file(drafts.folder / "stolen-wallet.yaml").title == "Stolen wallet, revised"


def test_a_draft_using_a_published_scenario_id_is_not_published(drafts: Drafts) -> None:
    copy = (drafts.folder / "stolen-wallet.yaml").read_bytes()  # same id: stolen-wallet
    drafts.save_target("wallet-copy").write_bytes(copy)
    with pytest.raises(ScenarioError) as raised:
        drafts.publish("wallet-copy")
    assert "already used by the published stolen-wallet.yaml" in raised.value.problems[0].message
    assert not (drafts.folder / "wallet-copy.yaml").exists()


def test_discard_keeps_the_published_file(drafts: Drafts) -> None:
    drafts.save_target("stolen-wallet").write_text("anything")
    drafts.discard("stolen-wallet")
    assert not drafts.draft_path("stolen-wallet").exists()
    assert (drafts.folder / "stolen-wallet.yaml").exists()
    with pytest.raises(DraftError):
        drafts.publish("stolen-wallet")  # nothing left to publish
