"""Delivery metrics for spoken answers, reported beside the rubric."""

from __future__ import annotations

import pytest

from simulator.core.scoring.delivery import delivery_metrics


def test_pace_and_fillers() -> None:
    text = "um so like i'll check that you know uh right now and i'd like to help you know what i mean"
    result = delivery_metrics(text, seconds=6.0, time_to_start=1.25)
    assert result.words == 21
    assert result.words_per_minute == pytest.approx(210.0)
    assert result.fillers == {"um": 1, "uh": 1, "like": 1, "you know": 1, "i mean": 1}
    assert result.filler_count == 5
    assert result.to_dict()["time_to_start"] == 1.25


def test_no_duration_gives_no_pace() -> None:
    assert delivery_metrics("hello there", seconds=0).words_per_minute == 0.0
