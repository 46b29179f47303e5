"""Labelled answers (JSON Lines) as calibration samples: the corpus, the older sets, trainers' files.

A line names its scenario and, optionally, the customer turn (``node``): the turn's rubric is what
it is scored against, and labelled core criteria outside that rubric are still judged.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from simulator.core.catalog import Catalog, scenario_dirs
from simulator.core.model import CriterionSpec
from simulator.core.scoring.calibration import Sample
from simulator.core.scoring.scorer import CORE_RUBRIC
from simulator.core.scoring.types import ScoringContext


def context_for(data: dict[str, Any], catalog: Catalog | None) -> ScoringContext:
    """The scoring context a labelled line describes (KeyError for an unknown scenario or turn)."""
    criteria: tuple[CriterionSpec, ...] = CORE_RUBRIC
    name = str(data.get("customer_name", ""))
    channel = str(data.get("channel", "chat"))
    scenario_id = data.get("scenario")
    if scenario_id and catalog is not None:
        scenario = catalog.get(str(scenario_id))
        name = name or scenario.persona.name
        channel = str(data.get("channel", scenario.channel.value))
        node = data.get("node")
        criteria = scenario.criteria_for(scenario.node(str(node))) if node else scenario.rubric
    return ScoringContext(
        criteria=criteria, customer_line=str(data.get("customer_line", "")), customer_name=name, channel=channel
    )


def read_samples(path: Path, catalog: Catalog | None = None) -> list[Sample]:
    catalog = catalog or Catalog(scenario_dirs())
    samples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        data = json.loads(line)
        labels = {k: bool(v) for k, v in (data.get("labels") or {}).items()}
        samples.append(Sample(str(data["id"]), str(data["response"]), context_for(data, catalog), labels))
    return samples
