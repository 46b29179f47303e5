"""The literal prefilter is an optimisation only: it must never change a match."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.core.scoring.detectors import emotion, escalation, expectations, ownership, questions, tone
from simulator.core.scoring.prefilter import FastPattern, PatternSet, required_literals
from simulator.core.scoring.text import normalize
from tests.conftest import DATA


def _all_patterns() -> list[FastPattern]:
    found: list[FastPattern] = []
    for module in (emotion, escalation, expectations, ownership, questions, tone):
        for value in vars(module).values():
            if isinstance(value, FastPattern):
                found.append(value)
            elif isinstance(value, PatternSet):
                found.extend(value.patterns)
    return found


PATTERNS = _all_patterns()
TEXTS = [
    normalize(json.loads(line)["response"])
    for path in sorted((DATA / "calibration").glob("*.jsonl"))
    for line in path.read_text(encoding="utf-8").splitlines()
]


def test_required_literals() -> None:
    assert required_literals(r"\b(?:calm|settle) down\b") == {"calm", "settle"} or required_literals(
        r"\b(?:calm|settle) down\b"
    ) == {" down"}
    assert required_literals(r"x?y*") is None
    assert required_literals(r"(?:ab|c)d+ef") == {"ef"} or required_literals(r"(?:ab|c)d+ef") == {"ab", "c"}


def test_every_detector_pattern_is_prefiltered_and_equivalent_on_real_answers() -> None:
    assert len(PATTERNS) > 150
    for pattern in PATTERNS:
        plain = re.compile(pattern.pattern)
        for text in TEXTS:
            assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)], (
                pattern.pattern,
                text,
            )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(TEXTS), min_size=1, max_size=3), st.sampled_from(range(len(PATTERNS))))
def test_equivalent_on_spliced_answers(parts: list[str], index: int) -> None:
    text = " ".join(parts)
    pattern = PATTERNS[index]
    plain = re.compile(pattern.pattern)
    assert [m.span() for m in pattern.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert (pattern.search(text) is None) == (plain.search(text) is None)


def test_bounded_pattern_resumes_inside_a_rejected_match() -> None:
    pattern = FastPattern(r"\b(?:is|this is) it")
    text = "xthis is it"
    assert [m.group(0) for m in pattern.finditer(text)] == ["is it"]
    assert [m.group(0) for m in re.finditer(r"\b(?:is|this is) it", text)] == ["is it"]


def test_patterns_added_after_an_answer_was_indexed_still_match() -> None:
    """Scenario criteria compile lazily, mid-answer: the cached index must not hide their literals."""
    text = normalize("I will zzqxv the card now, promise.")
    assert FastPattern(r"\bcard\b").search(text)  # indexes this text
    late = PatternSet([r"\bzzqxv\b"])  # a literal nobody registered before
    assert [m.group(0) for _i, m in late.finditer(text)] == ["zzqxv"]


def test_scoring_is_the_same_on_first_and_later_use() -> None:
    from simulator.core.model import CriterionSpec
    from simulator.core.scoring.scorer import RubricScorer
    from simulator.core.scoring.types import ScoringContext

    spec = CriterionSpec(id="q", label="Q", phrases=("blorptastic widget",))
    context = ScoringContext(criteria=(spec,))
    first = RubricScorer().score("A blorptastic widget is coming.", context)
    again = RubricScorer().score("A blorptastic widget is coming.", context)
    assert first.met == again.met == {"q"}
