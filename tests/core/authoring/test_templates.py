"""New scenarios start from a template that loads; copies keep every comment."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.authoring.document import DocumentError, ScenarioDocument
from simulator.core.authoring.templates import duplicate_text, new_scenario_text
from simulator.core.loader import load_text
from simulator.core.model import Channel, Outcome
from simulator.core.scoring.catalog import CORE_CRITERIA

WALLET = Path(__file__).resolve().parents[3] / "scenarios" / "stolen-wallet.yaml"


@pytest.mark.parametrize("channel", ["phone", "chat", "email"])
def test_template_loads_with_the_given_id_title_and_channel(channel: str) -> None:
    text = new_scenario_text("late-parcel", 'Late parcel: "where is it?"', channel)
    scenario = load_text(text, "late-parcel.yaml")
    assert scenario.id == "late-parcel" and scenario.title == 'Late parcel: "where is it?"'
    assert scenario.channel is Channel(channel)
    assert 2 <= len(scenario.nodes) <= 3
    assert sorted(e.outcome for e in scenario.endings) == sorted(Outcome)
    assert {spec.id for spec in scenario.rubric} == set(CORE_CRITERIA)
    assert ScenarioDocument.from_text(text).problems() == []
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#") or " # " in line]
    assert len(comments) >= 10  # every part is explained


def test_template_refuses_bad_ids_and_channels() -> None:
    with pytest.raises(DocumentError):
        new_scenario_text("Not An Id", "x")
    with pytest.raises(ValueError):
        new_scenario_text("ok-id", "x", "fax")


def test_duplicate_keeps_comments_and_changes_only_id_and_title() -> None:
    original = WALLET.read_text("utf-8")
    copy = duplicate_text(original, "stolen-wallet-2", "Stolen wallet (copy)")
    scenario = load_text(copy, "copy.yaml")
    assert scenario.id == "stolen-wallet-2" and scenario.title == "Stolen wallet (copy)"
    changed = [(a, b) for a, b in zip(original.splitlines(), copy.splitlines(), strict=True) if a != b]
    assert changed == [
        ("id: stolen-wallet", "id: stolen-wallet-2"),
        ("title: Stolen wallet at 2 a.m.", "title: Stolen wallet (copy)"),
    ]
    template_copy = duplicate_text(new_scenario_text("a", "A"), "b", "B")
    assert load_text(template_copy).id == "b" and "# The customer." in template_copy
