"""The loader reports every class of scenario error on the line where it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.loader import load_file, load_many, load_text
from simulator.core.model import Channel, MoodBand, Outcome
from simulator.core.problems import Problem, ScenarioError
from tests.core.conftest import MINIMAL, line_of


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        load_text(text, "test.yaml")
    return caught.value.problems


def only_problem(text: str) -> Problem:
    found = problems_of(text)
    assert len(found) == 1, [p.format() for p in found]
    return found[0]


def test_minimal_scenario_loads_into_the_model() -> None:
    scenario = load_text(MINIMAL, "tiny.yaml")
    assert scenario.id == "tiny"
    assert scenario.channel is Channel.CHAT
    assert scenario.persona.first_name == "Dana"
    assert [n.id for n in scenario.nodes] == ["first", "second"]
    first = scenario.node("first")
    assert first.lines[0].mood is MoodBand.ANGRY
    assert first.transitions[1].effects.mood == -20
    assert dict(first.transitions[1].effects.set) == {"helped": True}
    assert scenario.ending("lost").outcome is Outcome.CUSTOMER_LOST
    # Core criteria take their default wording; scenario criteria keep theirs.
    assert scenario.criterion("acknowledge_emotion").label == "Acknowledges the customer's emotion"
    assert scenario.criterion("acknowledge_emotion").core
    assert scenario.criterion("mentions_refund").phrases == ("refund",)
    assert not scenario.criterion("mentions_refund").core
    # A node without a criteria list scores the whole rubric.
    assert len(scenario.content_hash) == 64


def test_yaml_syntax_error_is_located() -> None:
    text = MINIMAL.replace("title: Tiny scenario", "title: [Tiny scenario")
    problem = problems_of(text)[0]
    assert "YAML syntax error" in problem.message
    assert problem.line >= line_of(text, "title: [Tiny")
    assert problem.hint


def test_tab_indentation_gets_a_hint() -> None:
    text = MINIMAL.replace("  name: Dana Fox", "\tname: Dana Fox")
    problem = problems_of(text)[0]
    assert problem.line == line_of(text, "\tname: Dana Fox")
    assert "tab" in problem.hint


def test_unknown_key_points_at_the_key_and_suggests() -> None:
    text = MINIMAL.replace("    hint: Be kind.", "    hitn: Be kind.")
    problem = only_problem(text)
    assert problem.line == line_of(text, "hitn:")
    assert problem.col == 5
    assert "unknown key 'hitn'" in problem.message
    assert "hint" in problem.hint


def test_wrong_type_and_missing_key() -> None:
    text = MINIMAL.replace("estimated_minutes: 2", "estimated_minutes: soon").replace("  role: a customer\n", "")
    found = problems_of(text)
    messages = {p.message: p for p in found}
    wrong = next(p for m, p in messages.items() if "estimated_minutes" in m)
    assert wrong.line == line_of(text, "estimated_minutes")
    assert "whole number" in wrong.message
    missing = next(p for m, p in messages.items() if "role" in m)
    assert missing.line == line_of(text, "name: Dana Fox")
    assert "missing required key 'role'" in missing.message


def test_bad_enum_suggests_the_closest_value() -> None:
    text = MINIMAL.replace("channel: chat", "channel: chta")
    problem = only_problem(text)
    assert problem.line == line_of(text, "channel: chta")
    assert "phone, chat, email" in problem.message
    assert "'chat'" in problem.hint


def test_duplicate_node_id() -> None:
    text = MINIMAL.replace("  - id: second\n", "  - id: first\n")
    found = problems_of(text)
    duplicate = next(p for p in found if "duplicate id 'first'" in p.message)
    assert duplicate.line == line_of(text, "- id: first", occurrence=2)


def test_duplicate_yaml_key() -> None:
    text = MINIMAL.replace("difficulty: beginner", "difficulty: beginner\ndifficulty: advanced")
    problem = only_problem(text)
    assert problem.line == line_of(text, "difficulty: advanced")
    assert "duplicate key 'difficulty'" in problem.message


def test_transition_to_unknown_node() -> None:
    text = MINIMAL.replace("        to: second\n        mood: -20", "        to: secnod\n        mood: -20")
    found = problems_of(text)
    unknown = next(p for p in found if "unknown node or ending 'secnod'" in p.message)
    assert unknown.line == line_of(text, "to: secnod")
    assert "'second'" in unknown.hint


def test_unreachable_node_and_unreached_ending() -> None:
    extra = "  - id: orphan\n    say: Hello?\n    otherwise:\n      to: happy\n"
    text = MINIMAL.replace("endings:\n", extra + "endings:\n")
    text = text.replace("  - id: happy\n", "  - id: happy\n").replace(
        "endings:\n",
        "endings:\n  - id: never\n    outcome: escalated\n    title: Never\n    debrief: Nobody gets here.\n",
    )
    found = problems_of(text)
    orphan = next(p for p in found if "'orphan' cannot be reached" in p.message)
    assert orphan.line == line_of(text, "- id: orphan")
    never = next(p for p in found if "ending 'never' is never reached" in p.message)
    assert never.line == line_of(text, "- id: never")


def test_node_without_way_out_or_fallback() -> None:
    text = MINIMAL.replace("    otherwise:\n      to: lost\n", "")
    problem = next(p for p in problems_of(text) if "no fallback" in p.message)
    assert problem.line == line_of(text, "- id: second")
    bare = MINIMAL.replace(
        "    transitions:\n      - when: met.mentions_refund and var.helped\n        to: happy\n    otherwise:\n      to: lost\n",
        "",
    )
    problem = next(p for p in problems_of(bare) if "no way out" in p.message)
    assert problem.line == line_of(bare, "- id: second")


def test_loop_that_never_reaches_an_ending() -> None:
    text = MINIMAL.replace(
        "      - when: met.mentions_refund and var.helped\n        to: happy\n    otherwise:\n      to: lost\n",
        "      - when: met.mentions_refund\n        to: first\n    otherwise:\n      to: second\n",
    )
    text = text.replace(
        "      - when: missed.respectful_tone\n        to: lost\n",
        "      - when: missed.respectful_tone\n        to: second\n",
    )
    found = problems_of(text)
    loops = [p for p in found if "loop that can never reach an ending" in p.message]
    assert {p.line for p in loops} == {line_of(text, "- id: first"), line_of(text, "- id: second")}


def test_condition_errors_are_located_by_column() -> None:
    text = MINIMAL.replace("when: met.take_ownership and score >= 50", "when: met.take_ownership and score >=")
    problem = only_problem(text)
    assert problem.line == line_of(text, "score >=")
    assert "condition does not parse" in problem.message
    assert problem.col == len("      - when: met.take_ownership and score >=") + 1


def test_condition_with_unknown_or_unscored_criterion() -> None:
    text = MINIMAL.replace("when: met.take_ownership and score >= 50", "when: met.take_ownrship and score >= 50")
    problem = only_problem(text)
    assert "criterion 'take_ownrship', which the rubric does not define" in problem.message
    assert problem.col == len("      - when: ") + 1
    assert "'take_ownership'" in problem.hint
    unscored = MINIMAL.replace("when: met.mentions_refund and var.helped", "when: met.acknowledge_emotion")
    problem = only_problem(unscored)
    assert "not scored at node 'second'" in problem.message


def test_criterion_referenced_but_not_defined() -> None:
    text = MINIMAL.replace(
        "criteria: [acknowledge_emotion, take_ownership, respectful_tone, mentions_refund]",
        "criteria: [acknowledge_emotion, take_ownership, respectful_tone, mentions_refund, ask_question]",
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "ask_question]")
    assert "'ask_question' is not defined in the rubric" in problem.message


def test_variables_must_be_declared() -> None:
    text = MINIMAL.replace("set: {helped: true}", "set: {helpd: true}").replace("var.helped", "var.helpd")
    found = problems_of(text)
    assert any("sets variable 'helpd'" in p.message and p.line == line_of(text, "helpd: true") for p in found)
    assert any("variable 'helpd', which is not declared" in p.message for p in found)


def test_custom_criterion_needs_match_rules_and_valid_regex() -> None:
    text = MINIMAL.replace("    phrases: [refund]", "    patterns: ['refund(']")
    problem = only_problem(text)
    assert "not a valid regular expression" in problem.message
    assert problem.line == line_of(text, "refund(")
    unmatched = MINIMAL.replace("    phrases: [refund]\n", "")
    problem = only_problem(unmatched)
    assert "has no exemplars, phrases or patterns" in problem.message


def test_start_must_be_a_node() -> None:
    text = MINIMAL.replace("start: first", "start: happy")
    problem = next(p for p in problems_of(text) if "start 'happy' is an ending" in p.message)
    assert problem.line == line_of(text, "start: happy")


def test_not_a_mapping_and_not_utf8(tmp_path: Path) -> None:
    assert "must be a mapping" in only_problem("- just\n- a list\n").message
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(MINIMAL.replace("Dana", "D\xe4na").encode("latin-1"))
    with pytest.raises(ScenarioError) as caught:
        load_file(bad)
    assert "not UTF-8" in caught.value.problems[0].message
    assert caught.value.problems[0].line == line_of(MINIMAL, "Dana")


def test_missing_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_file(tmp_path / "nope.yaml")
    assert "cannot read file" in caught.value.problems[0].message


def test_duplicate_scenario_ids_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(MINIMAL)
    (tmp_path / "b.yaml").write_text(MINIMAL.replace("title: Tiny scenario", "title: Another"))
    scenarios, found = load_many([tmp_path])
    assert len(scenarios) == 1
    assert len(found) == 1
    assert "already used" in found[0].message
    assert found[0].line == line_of(MINIMAL, "id: tiny")
