"""Facts taken from the trainee's words: what the customer can later quote or react to."""

from __future__ import annotations

import time

import pytest

from simulator.core.facts import MAX_ANSWER, extract, known_references


@pytest.mark.parametrize(
    ("answer", "kind", "value"),
    [
        (
            "I can book an engineer Thursday between nine and eleven, does that work?",
            "time",
            "Thursday between nine and eleven",
        ),
        ("A temporary credit will be on your account within two business days.", "time", "within two business days"),
        ("You should see the credit by Monday.", "time", "by Monday"),
        ("I'll call you back at 3 pm today.", "time", "at 3 pm today"),
        ("It ships tomorrow morning.", "time", "tomorrow morning"),
        ("Your case number is NB-44719.", "reference", "NB-44719"),
        ("the ticket is r t seven seven two", "reference", "RT772"),
        ("your reference is n b four four seven one nine I will text it", "reference", "NB44719"),
        ("I've refunded the $45 delivery charge.", "amount", "$45"),
        ("i'll refund forty five dollars today", "amount", "forty five dollars"),
        ("Hi, my name is Sam and I'll look after this.", "agent_name", "Sam"),
        ("my name is sam", "agent_name", "Sam"),
        ("This is Priya from Northbridge.", "agent_name", "Priya"),
    ],
)
def test_facts_the_agent_gives(answer: str, kind: str, value: str) -> None:
    assert extract(answer)[kind].value == value


@pytest.mark.parametrize(
    ("answer", "kind"),
    [
        ("I know your rent goes out on Friday and that is scary.", "time"),  # the customer's date, repeated
        ("I'm sorry, I'm afraid not.", "agent_name"),
        ("this is awful, I'm so sorry", "agent_name"),
        ("It's investigated by the fraud team.", "agent_name"),
        ("I'll look at the order now.", "reference"),  # no number after "order"
        ("Thanks for waiting.", "time"),
    ],
)
def test_words_that_are_not_facts(answer: str, kind: str) -> None:
    assert kind not in extract(answer)


def test_the_span_points_at_the_words() -> None:
    answer = "Okay. Your case number is AB12345."
    fact = extract(answer)["reference"]
    assert answer[fact.start : fact.end] == "AB12345"


def test_crafted_answers_stay_fast_and_bounded() -> None:
    hostile = ["between " * 5000, "a " * 20000, "1" * 50000, "case number " + "one " * 10000, "$" + "9" * 10000]
    started = time.perf_counter()
    for answer in hostile:
        for fact in extract(answer).values():
            assert len(fact.value) <= 60
    # Not a speed claim (benchmarks/ holds those): a guard that no pattern backtracks without bound.
    assert time.perf_counter() - started < 5
    assert extract("x" * (MAX_ANSWER + 10) + " by Friday") == {}


def test_the_agents_commitment_wins_over_the_customers_own_date() -> None:
    assert extract("I know Lena is starting on Monday, and it will be with you by Friday.")["time"].value == "by Friday"
    assert extract("It wasn't built until this Monday, but it ships tomorrow.")["time"].value == "tomorrow"


def test_a_reference_the_customer_already_has_is_not_new() -> None:
    known = known_references(["Order VC-220417, Aero 14 laptop"])
    assert "reference" not in extract("I'm looking at order vc220417 now.", known)
    assert extract("Your new order number is VC-220981.", known)["reference"].value == "VC-220981"
