"""The scorer agrees with the labelled calibration set: Cohen's kappa >= 0.8 on every core criterion.

The set (tests/data/calibration) was written by three independent raters
applying the rubric's definitions; a third of it is in speech-recogniser style.
"""

from __future__ import annotations

import json
from argparse import Namespace
from collections import Counter

import pytest

from simulator.cli.scoring_cmds import ContextResolver, read_items, samples
from simulator.core.scoring.calibration import agreement, calibrate
from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.scorer import RubricScorer
from tests.conftest import DATA, SCENARIOS

FILES = sorted((DATA / "calibration").glob("*.jsonl"))
KAPPA_BAR = 0.8


def _items():  # type: ignore[no-untyped-def]
    resolver = ContextResolver(Namespace(scenarios=[SCENARIOS]))
    items = []
    for path in FILES:
        with path.open(encoding="utf-8") as stream:
            items.extend(read_items(stream, resolver, errors=_Fail()))
    return items


class _Fail:
    def write(self, text: str) -> int:
        raise AssertionError(f"calibration file has a bad line: {text}")


def test_the_set_is_large_varied_and_balanced() -> None:
    rows = [json.loads(line) for path in FILES for line in path.read_text(encoding="utf-8").splitlines() if line]
    assert len(rows) >= 250
    assert len({r["id"] for r in rows}) == len(rows)
    assert set(Counter(r["scenario"] for r in rows)) >= {
        "stolen-wallet",
        "blocked-project-manager",
        "delayed-order",
        "internet-outage",
        "subscription-refund",
    }
    assert {r["channel"] for r in rows} == {"phone", "chat", "email"}
    asr = [r for r in rows if r["style"] == "asr"]
    assert len(asr) >= len(rows) / 3 - 5
    assert all(r["response"] == r["response"].lower() and "?" not in r["response"] for r in asr)
    for criterion in CORE_CRITERIA:
        ones = sum(r["labels"][criterion] for r in rows)
        assert 0.2 * len(rows) < ones < 0.85 * len(rows), criterion


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    result = calibrate(samples(_items()), RubricScorer())
    return result.agreements, [d.to_dict() for d in result.disagreements]


@pytest.mark.parametrize("criterion", sorted(CORE_CRITERIA))
def test_kappa_meets_the_bar(report, criterion: str) -> None:  # type: ignore[no-untyped-def]
    rows, disagreements = report
    row = next(r for r in rows if r.criterion == criterion)
    assert row.n >= 250
    missed = [d["id"] for d in disagreements if d["criterion"] == criterion]
    assert row.kappa >= KAPPA_BAR, f"{criterion}: kappa {row.kappa:.3f}; disagreements: {missed}"


@pytest.mark.parametrize("criterion", sorted(CORE_CRITERIA))
def test_asr_style_answers_score_as_well(report, criterion: str) -> None:  # type: ignore[no-untyped-def]
    """Speech-recognised answers must not be judged worse than typed ones."""
    items = {i.data["id"]: i for i in _items()}
    _rows, disagreements = report
    asr_ids = {k for k, i in items.items() if i.data.get("style") == "asr"}
    wrong = {d["id"] for d in disagreements if d["criterion"] == criterion and d["id"] in asr_ids}
    assert len(wrong) <= max(2, 0.05 * len(asr_ids)), sorted(wrong)


def test_kappa_arithmetic() -> None:
    # A textbook example: 20 yes/yes, 5 yes/no, 10 no/yes, 15 no/no -> kappa 0.4.
    pairs = [(True, True)] * 20 + [(True, False)] * 5 + [(False, True)] * 10 + [(False, False)] * 15
    result = agreement("x", pairs)
    assert result.agreement == pytest.approx(0.7)
    assert result.kappa == pytest.approx(0.4)
    assert result.precision == pytest.approx(20 / 30)
    assert result.recall == pytest.approx(20 / 25)
    # Constant labels that agree perfectly are full agreement, not a division by zero.
    assert agreement("x", [(True, True)] * 5).kappa == 1.0
    # A scorer that always says yes agrees often on an easy criterion but earns no kappa.
    assert agreement("x", [(True, True)] * 9 + [(False, True)]).kappa == pytest.approx(0.0)
