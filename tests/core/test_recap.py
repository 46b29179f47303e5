"""The debrief's recap says what this trainee did and missed, from this attempt only."""

from __future__ import annotations

from simulator.core import recap
from simulator.core.engine import Session
from simulator.core.loader import load_text
from simulator.core.scoring.scorer import RubricScorer
from tests.core.test_memory import SCENARIO


def attempt(*answers: str) -> Session:
    session = Session(load_text(SCENARIO), RubricScorer(), seed=1)
    session.start()
    for answer in answers:
        session.respond(answer)
    return session


def test_recap_cites_the_turn_and_words_and_the_facts() -> None:
    session = attempt("Hi, my name is Sam. It will be with you by Friday.", "Your reference is AB12345.")
    found = recap.build(session.scenario, session.history)
    done = {d.criterion: d for d in found.done}
    assert done["set_expectations"].turn == 1
    assert "Friday" in done["set_expectations"].quote
    assert done["respectful_tone"].where == "every turn"
    assert [(f.kind, f.value, f.turn) for f in found.facts] == [
        ("time", "by Friday", 1),
        ("reference", "AB12345", 2),
        ("agent_name", "Sam", 1),
    ]
    assert found.missed == ()
    assert found.headline == "You showed 2 of the 2 things this customer needed."


def test_recap_of_a_poor_attempt_names_what_was_missed_and_never_claims_it() -> None:
    session = attempt("Calm down, that's not my problem.", "Whatever.")
    found = recap.build(session.scenario, session.history)
    missed = {m.criterion: m for m in found.missed}
    assert missed["set_expectations"].turns == (1, 2)
    assert "respectful_tone" in missed
    assert all(d.criterion not in missed for d in found.done)
    assert found.facts == ()
    assert any(line.startswith("  missed: Sets clear expectations") for line in found.lines())


def test_recap_of_a_stored_attempt_is_the_same() -> None:
    from simulator.core.engine import _result_from_dict

    session = attempt("It will be with you by Friday.", "Reference AB12345.")
    stored = [_result_from_dict(session.scenario, r.to_dict()) for r in session.history]
    assert recap.build(session.scenario, stored) == recap.build(session.scenario, session.history)


def test_a_skill_shown_once_but_missed_later_says_so() -> None:
    session = attempt("It will be with you by Friday.", "Bye.")
    found = recap.build(session.scenario, session.history)
    done = {d.criterion: d for d in found.done}
    assert done["set_expectations"].missed_turns == (2,)
    assert done["set_expectations"].where.endswith("; not on turn 2")
    assert found.headline == (
        "You showed 2 of the 2 things this customer needed, 1 of them not on every turn that called for it."
    )


def test_every_distinct_fact_is_listed_at_the_turn_it_was_first_given() -> None:
    session = attempt("It will be with you by Friday.", "So by Friday, or Thursday at 3 pm if the courier is early.")
    found = recap.build(session.scenario, session.history)
    assert found.facts_text() == "times: by Friday (turn 1), Thursday at 3 pm (turn 2)"
