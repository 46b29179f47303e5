"""Join codes: unambiguous, forgiving of case and spacing, and a lockout per peer for guessers."""

from __future__ import annotations

import pytest

from simulator.classroom.joincode import (
    ALPHABET,
    GuessBudget,
    HandshakeRate,
    Lockout,
    code_matches,
    format_code,
    new_code,
)


def test_codes_use_only_unmistakable_characters() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) > 190 and all(len(c) == 6 and set(c) <= set(ALPHABET) for c in codes)
    assert not set("0O1IL") & set(ALPHABET)


def test_typed_codes_match_regardless_of_case_spaces_and_dashes() -> None:
    assert code_matches("ABC23X", "abc 23x") and code_matches("ABC23X", " abc-23X ")
    assert (
        not code_matches("ABC23X", "ABC23Y") and not code_matches("ABC23X", "ABC23") and not code_matches("ABC23X", "")
    )
    assert format_code("ABC23X") == "ABC 23X"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_lockout_counts_failures_within_the_window_per_peer() -> None:
    clock = Clock()
    lockout = Lockout(max_failures=3, window=60, lockout=300, clock=clock)
    assert lockout.failure("10.0.0.5") == 0 and lockout.failure("10.0.0.5") == 0
    clock.now = 61  # the first two fall out of the window
    assert lockout.failure("10.0.0.5") == 0 and lockout.failure("10.0.0.5") == 0
    assert lockout.failure("10.0.0.5") == 300  # three within a minute
    assert lockout.locked("10.0.0.5") == 300 and lockout.locked("10.0.0.6") == 0
    clock.now = 61 + 299
    assert lockout.locked("10.0.0.5") == 1
    clock.now = 61 + 300
    assert lockout.locked("10.0.0.5") == 0


def test_the_table_stays_bounded_and_keeps_recent_lockouts() -> None:
    clock = Clock()
    guessers = Lockout(max_failures=2, max_peers=10, clock=clock)
    flood = Lockout(max_failures=1, lockout=300, max_peers=10, clock=clock)
    for number in range(1000):
        guessers.failure(f"10.1.{number // 256}.{number % 256}")
        flood.failure(f"10.0.{number // 256}.{number % 256}")
    guessers.failure("10.1.0.0")  # forgotten to make room: counts from one again
    assert guessers.failure("10.1.0.0") > 0  # but still locked out after two
    flood.failure("attacker")
    assert len(guessers._peers) == 10 and len(flood._peers) == 10
    assert flood.locked("attacker") == 300 and flood.locked("10.0.0.0") == 0


def test_the_guess_budget_counts_every_computer_together_and_refills_as_the_window_moves() -> None:
    clock = Clock()
    clock.now = 1000.0
    budget = GuessBudget(limit=3, window=600, clock=clock)
    for _ in range(2):
        budget.failure()
        clock.now += 1
    assert budget.spent() == 0
    budget.failure()
    assert budget.spent() == pytest.approx(598)  # the first wrong code leaves the window in 598 s
    clock.now += 598
    assert budget.spent() == 0


def test_the_handshake_rate_allows_a_burst_then_a_steady_rate() -> None:
    clock = Clock()
    clock.now = 1000.0
    rate = HandshakeRate(rate=2, burst=3, clock=clock)
    assert [rate.take() for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5
    assert [rate.take(), rate.take()] == [True, False]
    clock.now += 100
    assert sum(rate.take() for _ in range(10)) == 3  # never more than the burst, however long it was idle


def test_exchanges_in_progress_hold_places_in_the_guess_budget() -> None:
    """Forty exchanges opened at once cannot evaluate more than the budget: each holds a place until settled."""
    clock = Clock()
    clock.now = 1000.0
    budget = GuessBudget(limit=3, window=600, clock=clock)
    opened = 0
    for _ in range(40):
        if budget.spent() == 0:
            budget.reserve()
            opened += 1
    assert opened == 3 and budget.spent() == 1.0  # the rest are told to come back in a minute
    budget.settle(wrong=False)  # the right code (or a lost connection): the place is free again
    assert budget.spent() == 0
    budget.reserve()
    for _ in range(3):
        budget.settle(wrong=True)
    assert budget.pending == 0 and budget.spent() == pytest.approx(600)
