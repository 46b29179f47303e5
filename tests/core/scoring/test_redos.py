"""Scoring any answer takes bounded, near-linear time (issue 16: "Scorer ReDoS").

The attacks measured against the scorer are kept here as reproductions: "such a " repeated after a
feeling word doubled the time with every repeat (233 characters took 52 s), runs of number words
were quadratic (56 kB took 20 s). The proof has three parts: every pattern the scorer runs has no
unbounded repeated group (a deterministic check of the parsed pattern); every pattern survives
the probes built from its own repeated parts; and random answers built from those parts score
within a generous time per kilobyte. The time bounds are loose on purpose (an exponential pattern
misses them by orders of magnitude, a healthy one sits far under them): figures belong to
``benchmarks/bench_redos.py``.
"""

from __future__ import annotations

import time
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.core.engine import Session
from simulator.core.loader import load_file, load_text
from simulator.core.model import CriterionSpec, Scenario
from simulator.core.problems import ScenarioError
from simulator.core.scoring import pattern_safety
from simulator.core.scoring.adversarial import ScorerPattern, attack_corpus, scorer_patterns
from simulator.core.scoring.pattern_safety import Budget, check, danger, probes, unbounded_groups
from simulator.core.scoring.phrases import phrase_regex
from simulator.core.scoring.prefilter import FastPattern
from simulator.core.scoring.scorer import CORE_RUBRIC, CUT_NOTE, RubricScorer
from simulator.core.scoring.text import MAX_ANSWER_CHARS, NUMBER_WORDS
from simulator.core.scoring.types import ScoringContext
from tests.core.conftest import MINIMAL, line_of

ROOT = Path(__file__).resolve().parents[3]
SCORER = RubricScorer()
# Generous: the worst attack scores in well under 0.1 s at 4,000 characters (bench_redos.py); the
# patterns this replaced took seconds at 200 characters and minutes at 250.
SECONDS_PER_ANSWER = 3.0
# For the probes of one pattern on this machine, whatever else the test run is doing.
LOOSE = Budget(base=0.02, per_char=60e-6, measurable=0.03, growth=4.5)


@cache
def scenarios() -> tuple[Scenario, ...]:
    return tuple(load_file(path) for path in sorted((ROOT / "scenarios").glob("*.yaml")))


def every_rubric() -> ScoringContext:
    """One context with the core rubric and every bundled scenario's own criteria."""
    criteria: list[CriterionSpec] = list(CORE_RUBRIC)
    for scenario in scenarios():
        criteria += [spec for spec in scenario.rubric if not spec.core]
    return ScoringContext(criteria=tuple(criteria), customer_line="Where is my order?", customer_name="Maria Lopez")


def scenario_patterns() -> dict[str, str]:
    """Every pattern the bundled scenarios compile: their phrases (as compiled) and patterns."""
    found = {}
    for scenario in scenarios():
        for spec in scenario.rubric:
            for phrase in spec.phrases:
                found[f"{scenario.id}/{spec.id}: phrase {phrase!r}"] = phrase_regex(phrase)
            for index, pattern in enumerate(spec.patterns):
                found[f"{scenario.id}/{spec.id}: pattern {index}"] = pattern
    return found


SCORER_PATTERNS: dict[str, ScorerPattern] = scorer_patterns()


def _timed_score(text: str, context: ScoringContext) -> float:
    start = time.perf_counter()
    SCORER.score(text, context)
    return time.perf_counter() - start


# --- the reproductions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        # The measurements, and longer: 233 characters took 52 s before.
        "I hear your frustration. It is " + "such a " * 40 + "x",
        "I understand " + "so so " * 40 + "x. patience",
        "Worried? That is " + "a really " * 30 + "x",
        "I'll " + "also be " * 40 + "x",
        "within " + "twenty one " * 360 + "x",
        "reference" + " " * 3990 + "x",
        "x" + "frighten" * 490,
    ],
    ids=["such a", "so so", "a really", "also be", "number words", "spaces", "long word"],
)
def test_the_measured_attacks_score_in_bounded_time(answer: str) -> None:
    assert _timed_score(answer, every_rubric()) < SECONDS_PER_ANSWER


def test_every_attack_of_the_corpus_scores_in_bounded_time_against_every_bundled_rubric() -> None:
    context = every_rubric()
    slow = []
    for attack in attack_corpus():
        text = attack.text(MAX_ANSWER_CHARS)
        seconds = _timed_score(text, context)
        if seconds > SECONDS_PER_ANSWER:
            slow.append(f"{attack.name}: {seconds:.1f} s")
    assert not slow


def test_an_attack_through_the_apps_path_is_bounded_on_every_bundled_scenario() -> None:
    answer = "I hear your frustration. It is " + "such a " * 500 + "x"
    for scenario in scenarios():
        session = Session(scenario, SCORER, seed=1)
        session.start()
        start = time.perf_counter()
        session.respond(answer)  # scores the turn and listens for the rest of the rubric
        assert time.perf_counter() - start < 2 * SECONDS_PER_ANSWER, scenario.id


# --- the static proof -----------------------------------------------------------------------------


def test_the_scorer_runs_hundreds_of_patterns_and_all_are_found() -> None:
    # If a detector module stopped exposing its patterns at module level, this proof would shrink.
    assert len(SCORER_PATTERNS) >= 300
    assert any(where.startswith("emotion._FRAME_RX") for where in SCORER_PATTERNS)


@pytest.mark.parametrize("where", sorted(SCORER_PATTERNS))
def test_no_scorer_pattern_repeats_a_group_without_a_limit(where: str) -> None:
    assert unbounded_groups(SCORER_PATTERNS[where].pattern) == []


@pytest.mark.parametrize("where", sorted(scenario_patterns()))
def test_no_bundled_scenario_pattern_repeats_a_group_without_a_limit(where: str) -> None:
    assert unbounded_groups(scenario_patterns()[where]) == []


def test_the_static_check_finds_the_shapes_that_were_slow() -> None:
    assert unbounded_groups(r"\bit is (?:such a\s+|such\s+|a\s+)*(?:frustrating)")
    assert unbounded_groups(r"(?:twenty|one)(?:\s+(?:twenty|one))*")
    assert unbounded_groups(r"(\w+\s?)+$")
    assert unbounded_groups(r"(?:(?:ab|cd){0,8} ){0,8}")  # 64 repeats in all
    assert not unbounded_groups(r"\bi (?:really |do ){0,8}understand\s+\w+")
    assert not unbounded_groups(r"\b(?:\w+ ){0,3}?address")


# --- the probes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("where", sorted(SCORER_PATTERNS))
def test_every_scorer_pattern_survives_probes_built_from_its_own_repeats(where: str) -> None:
    found = SCORER_PATTERNS[where]
    finding = check(found.pattern, budget=LOOSE, scan=found.scan)
    assert finding is None, str(finding)


@pytest.mark.parametrize("where", sorted(scenario_patterns()))
def test_every_bundled_scenario_pattern_survives_the_probes(where: str) -> None:
    pattern = scenario_patterns()[where]
    finding = check(pattern, budget=LOOSE, scan=_fast(pattern))
    assert finding is None, str(finding)


def _fast(pattern: str) -> pattern_safety.Scan:
    compiled = FastPattern(pattern)
    return lambda text: sum(1 for _ in compiled.finditer(text))


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?:a|a){0,16}(?:a|a){0,16}b",  # bounded, but 2^32 ways to fail
        r".*.*.*x",  # cubic
        r"(?:such a |such |a ){0,16}(?:such a |such |a ){0,16}frustrat",
    ],
)
def test_the_probes_catch_slow_patterns_that_the_static_check_lets_through(pattern: str) -> None:
    assert not unbounded_groups(pattern)
    assert check(pattern) is not None


def test_probes_pump_each_alternative_of_a_repeated_group() -> None:
    units = {probe.unit for probe in probes(r"\bis (?:so |such a |a )*(?:bad)")}
    assert {"so ", "such a ", "a "} <= units


# --- trainers' patterns are checked when a scenario loads --------------------------------------------


def _with_pattern(pattern: str) -> str:
    quoted = pattern.replace("'", "''")
    return MINIMAL.replace("    phrases: [refund]", f"    phrases: [refund]\n    patterns: ['{quoted}']")


@pytest.mark.parametrize(
    ("pattern", "why"),
    [
        (r"\bit is (?:such a |such |a )*frustrat", "without a limit"),
        (r".*.*.*sorry", "grows much faster"),
    ],
)
def test_a_dangerous_pattern_is_refused_at_load_with_its_file_and_line(pattern: str, why: str) -> None:
    text = _with_pattern(pattern)
    with pytest.raises(ScenarioError) as raised:
        load_text(text, "tiny.yaml")
    problems = [p for p in raised.value.problems if "scoring an answer take minutes" in p.message]
    assert len(problems) == 1
    problem = problems[0]
    assert problem.file == "tiny.yaml" and problem.line == line_of(text, "patterns:")
    assert why in problem.message and "limit" in problem.hint


def test_a_safe_pattern_loads_and_is_not_checked_twice() -> None:
    scenario = load_text(_with_pattern(r"\bfull refund\b"), "tiny.yaml")
    assert scenario.rubric[-1].patterns == (r"\bfull refund\b",)
    assert danger.cache_info().hits + danger.cache_info().misses > 0
    assert danger(r"\bfull refund\b") is None


def test_every_bundled_scenario_still_loads() -> None:
    assert len(scenarios()) == len(list((ROOT / "scenarios").glob("*.yaml")))


# --- the length limit ---------------------------------------------------------------------------------


def test_a_long_answer_is_scored_on_its_first_4000_characters_and_says_so() -> None:
    context = ScoringContext(criteria=CORE_RUBRIC, customer_name="Maria Lopez")
    head = "That sounds really frustrating, Maria. I'll check the order now. "
    answer = head + "blah " * 2000 + "Calm down."
    score = SCORER.score(answer, context)
    assert "acknowledge_emotion" in score.met and "take_ownership" in score.met
    # The rude words past the limit are not read...
    assert "respectful_tone" in score.met
    # ...and every verdict says what was read; evidence still points into the answer as written.
    assert all(CUT_NOTE in c.feedback and CUT_NOTE in c.note for c in score.criteria)
    assert all(0 <= a < b <= MAX_ANSWER_CHARS for c in score.criteria for a, b in c.evidence)
    emotion = score.get("acknowledge_emotion")
    assert emotion is not None and "frustrating" in answer[slice(*emotion.evidence[0])]


def test_an_answer_within_the_limit_is_read_whole() -> None:
    context = ScoringContext(criteria=CORE_RUBRIC, customer_name="Maria Lopez")
    answer = "I'll check it now. " + "blah " * 780 + "Calm down."
    assert len(answer) <= MAX_ANSWER_CHARS
    score = SCORER.score(answer, context)
    assert "respectful_tone" not in score.met
    assert not any(CUT_NOTE in c.feedback for c in score.criteria)


# --- the property ------------------------------------------------------------------------------------

# The pieces the patterns are made of: their pumped units, feeling and number words, punctuation.
_PIECES = sorted(
    {probe.unit for found in list(SCORER_PATTERNS.values())[::7] for probe in probes(found.pattern)}
    | {f"{word} " for word in NUMBER_WORDS.split("|")}
    | {"such a ", "so ", "a really ", "frustrating ", "i understand ", "it is ", "that is ", "i'll ", "also be "}
    | {" ", "  ", "\n", ", ", ". ", "? ", "!", "-", "'", "x", "\U0001f600", "4", "10:30 "}
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    pieces=st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12),
    repeats=st.integers(min_value=1, max_value=600),
)
def test_random_answers_from_the_patterns_own_pieces_score_in_time_per_kilobyte(
    pieces: list[str], repeats: int
) -> None:
    answer = ("".join(pieces) * repeats)[: 2 * MAX_ANSWER_CHARS]
    seconds = _timed_score(answer, every_rubric())
    read_kb = min(len(answer), MAX_ANSWER_CHARS) / 1000
    # About 20 ms per kB at worst on the benchmark; this allows fifty times that.
    assert seconds < 0.5 + 1.0 * read_kb, f"{seconds:.2f} s for {len(answer)} characters"
