"""Timing and reporting helpers the benchmarks share (imported as ``_timing`` from a script here)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from typing import Any


def median_ms(action: Callable[[], Any], runs: int) -> float:
    """Median wall time of ``action`` in milliseconds, after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def rounded_medians(results: Mapping[str, float]) -> dict[str, float]:
    """``{"open_ms": 12.345}`` -> ``{"open": 12.3}``: the report's ``median_ms`` table."""
    return {key.removesuffix("_ms"): round(value, 1) for key, value in results.items()}


def print_medians(labels: Mapping[str, str], medians: Mapping[str, float]) -> None:
    """One aligned line per operation: its label from ``labels`` and its median in milliseconds."""
    width = max(len(label) for label in labels.values())
    print(f"  {'operation'.ljust(width)}  median")
    for key, value in medians.items():
        print(f"  {labels[key].ljust(width)}  {value:7.1f} ms")
