"""Thousands of mutated scenario files: each loads or gives located problems, never anything else."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.core.loader import load_bytes
from simulator.core.model import Scenario
from simulator.core.problems import ScenarioError
from tests.conftest import SCENARIOS

SOURCES = [p.read_bytes() for p in sorted(SCENARIOS.glob("*.yaml"))]
TOKENS = [
    b":",
    b"- ",
    b"  ",
    b"\t",
    b"\n",
    b"&a ",
    b"*a",
    b"!!python/object:os.system ",
    b"'",
    b'"',
    b"{",
    b"}",
    b"[",
    b"]",
    b"#",
    b"null",
    b"123",
    b"-1",
    b"1e9",
    b"to: nowhere",
    b"when: met.",
    b"mood: 999",
    b"\x00",
    b"\xff\xfe",
    b"? ",
    b"<<: *a",
    b"id: start",
    b"|",
    b">",
]


def _check(raw: bytes) -> None:
    try:
        scenario = load_bytes(raw, "fuzz.yaml")
    except ScenarioError as exc:
        assert exc.problems, "a ScenarioError always says why"
        for problem in exc.problems:
            assert problem.line >= 1 and problem.col >= 1 and problem.message
    else:
        assert isinstance(scenario, Scenario)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    source=st.sampled_from(SOURCES),
    edits=st.lists(
        st.tuples(st.floats(0, 1), st.integers(0, 40), st.sampled_from(TOKENS), st.sampled_from(["ins", "del", "rep"])),
        min_size=1,
        max_size=6,
    ),
)
def test_byte_level_mutations(source: bytes, edits: list[tuple[float, int, bytes, str]]) -> None:
    data = bytearray(source)
    for where, length, token, kind in edits:
        at = int(where * len(data))
        if kind == "ins":
            data[at:at] = token
        elif kind == "del":
            del data[at : at + length]
        else:
            data[at : at + len(token)] = token
    _check(bytes(data))


@settings(max_examples=1000, deadline=None)
@given(source=st.sampled_from(SOURCES), seed=st.integers(0, 2**32 - 1), count=st.integers(1, 8))
def test_line_level_mutations(source: bytes, seed: int, count: int) -> None:
    """Swap, drop, duplicate and re-indent whole lines: structural damage a hurried editor does."""
    rng = random.Random(seed)
    lines = source.split(b"\n")
    for _ in range(count):
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        action = rng.choice(["swap", "drop", "dup", "indent", "dedent", "retarget"])
        if action == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "drop":
            del lines[i]
        elif action == "dup":
            lines.insert(j, lines[i])
        elif action == "indent":
            lines[i] = b"  " + lines[i]
        elif action == "dedent":
            lines[i] = lines[i][2:]
        else:
            lines[i] = lines[i].replace(b"to: ", b"to: x")
    _check(b"\n".join(lines))


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(raw: bytes) -> None:
    _check(raw)
