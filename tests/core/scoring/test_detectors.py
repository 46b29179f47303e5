"""Hard cases for each core criterion, typed and speech-recognised, with the evidence they cite."""

from __future__ import annotations

import pytest

from simulator.core.scoring.scorer import CORE_RUBRIC, RubricScorer
from simulator.core.scoring.types import CriterionResult, ScoringContext

SCORER = RubricScorer()


def judge(answer: str, criterion: str, name: str = "Maria Alvarez", line: str = "") -> CriterionResult:
    context = ScoringContext(criteria=CORE_RUBRIC, customer_name=name, customer_line=line)
    result = SCORER.score(answer, context).get(criterion)
    assert result is not None
    return result


def cited(answer: str, result: CriterionResult) -> list[str]:
    return [answer[a:b] for a, b in result.evidence]


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("That sounds really frightening, especially at this hour.", True),
        ("I can hear how frustrated you are.", True),
        ("I'd be worried too if I saw that.", True),
        ("A week blocked is a long time for any team.", True),
        ("I understand your frustration.", True),
        ("i can only imagine how scary that was", True),
        ("oh no that's just awful to wake up to", True),
        ("Sorry about that.", False),
        ("I apologize for the inconvenience.", False),
        ("I understand, but I need your date of birth.", False),
        ("There's no need to get upset.", False),
        ("Oh, I'm sure it's very hard for you.", False),
        ("It's hard to say when the part will arrive.", False),
        ("Your card is blocked now.", False),
    ],
)
def test_acknowledge_emotion(answer: str, met: bool) -> None:
    result = judge(answer, "acknowledge_emotion")
    assert result.met is met, (answer, cited(answer, result), result.note)


def test_bare_apology_is_a_near_miss_with_feedback() -> None:
    result = judge("I'm so sorry about that.", "acknowledge_emotion")
    assert not result.met
    assert 0 < result.score < 0.5
    assert "sympathy, not empathy" in result.feedback
    assert result.example  # a missed criterion shows what would have earned it


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("I'll cancel the card now.", True),
        ("Let me check that for you.", True),
        ("I've just blocked it.", True),
        ("I can transfer you to our fraud team.", True),
        ("Would you like me to send a replacement?", True),
        ("Got it. Let's take care of that.", True),
        ("ok priya i'll reopen the ticket", True),
        ("I've bumped this to our senior team.", True),
        ("Running a line test now.", True),
        ("I can't cancel it from here.", False),
        ("I won't be able to refund that.", False),
        ("You'll need to call the fraud line.", False),
        ("I need you to calm down so I can help you.", False),
        ("Let me know if you have any questions.", False),
        ("I'll be honest, that's our policy.", False),
        ("Escalating won't make it go any faster.", False),
    ],
)
def test_take_ownership(answer: str, met: bool) -> None:
    result = judge(answer, "take_ownership")
    assert result.met is met, (answer, cited(answer, result))


def test_deflection_is_flagged() -> None:
    answer = "Sorry, I can't do that here, you'll need to call the branch."
    result = judge(answer, "take_ownership")
    assert not result.met
    assert any("can't" in answer[a:b] for a, b in result.flags)
    assert "hands the problem back" in result.feedback


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("You'll have it within 24 hours.", True),
        ("you'll have it within twenty four hours", True),
        ("It should arrive in 3 to 5 business days.", True),
        ("it should arrive in three to five business days", True),
        ("I'll call you back by Friday.", True),
        ("The engineer will be there before 6 pm.", True),
        ("Your case number is 4471.", True),
        ("your case number is four four seven one", True),
        ("A specialist will call you back tomorrow morning.", True),
        ("You'll get an email with the tracking link.", True),
        ("We'll sort it out soon.", False),
        ("I'll do it as soon as possible.", False),
        ("I'm locking it right now.", False),
        ("It has been delayed since this morning.", False),
        ("I know your presentation is tomorrow.", False),
        ("Refunds are only possible within 14 days.", False),
    ],
)
def test_set_expectations(answer: str, met: bool) -> None:
    result = judge(answer, "set_expectations")
    assert result.met is met, (answer, cited(answer, result))


def test_vague_time_is_a_near_miss() -> None:
    result = judge("I'll get it to you soon.", "set_expectations")
    assert not result.met and result.score > 0
    assert "soon" in [("I'll get it to you soon."[a:b]) for a, b in result.flags]


def test_expectation_evidence_covers_the_number_as_words() -> None:
    answer = "okay your reference is sky seven seven three one"
    assert "seven seven three one" in " ".join(cited(answer, judge(answer, "set_expectations")))


@pytest.mark.parametrize(
    ("answer", "name", "met"),
    [
        ("Thanks for holding, Maria.", "Maria Alvarez", True),
        ("I'm sorry, Mr. Becker, that's not good enough.", "Frank Becker", True),
        ("mr becker i'm checking now", "Frank Becker", True),
        ("To be frank, it's late.", "Frank Becker", False),
        ("Frank, I hear you.", "Frank Becker", True),
        ("i hear you frank realistically it won't be there before wednesday", "Frank Becker", True),
        ("I will check your line now.", "Will Osei", False),
        ("Thanks, Will. Checking now.", "Will Osei", True),
        ("thanks will i'll run a test", "Will Osei", True),
        ("will i'm so sorry about this", "Will Osei", True),
        ("Prices rose this year.", "Rose Whitaker", False),
        ("you shouldn't have to fight for it rose um", "Rose Whitaker", True),
        ("Hi there, how can I help?", "Maria Alvarez", False),
        ("Thanks for waiting, Ms. Alvarez.", "", False),
    ],
)
def test_personalize(answer: str, name: str, met: bool) -> None:
    result = judge(answer, "personalize", name=name)
    assert result.met is met, (answer, cited(answer, result))


def test_personalize_cites_the_name_itself() -> None:
    answer = "That's awful, Maria, and I'm on it."
    assert cited(answer, judge(answer, "personalize")) == ["Maria"]


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("Can you tell me when you last used the card?", True),
        ("can you tell me when you last used the card", True),
        ("Could you confirm your date of birth for me.", True),
        ("okay and what's the order number on your confirmation email", True),
        ("i can call you at three pm tomorrow does that work for you", True),
        ("Why did you wait so long?", False),
        ("Did you even read the email?", False),
        ("Have you tried turning it off and on, or is that too much to ask?", False),
        ("I can see the charges on your account.", False),
        ("It's only $119, which works out to less than $10 a month.", False),
    ],
)
def test_ask_question(answer: str, met: bool) -> None:
    result = judge(answer, "ask_question")
    assert result.met is met, (answer, cited(answer, result))


@pytest.mark.parametrize(
    ("answer", "line", "met"),
    [
        ("I can connect you with a supervisor.", "", True),
        ("If it isn't fixed by Friday I'll escalate it to our senior engineering team.", "", True),
        ("A fraud specialist will call you back within the hour.", "", True),
        ("Okay, I can transfer you now, please hold.", "I want to speak to your manager!", True),
        ("Okay, I can transfer you now, please hold.", "My card was stolen.", False),
        ("I can't put you through to a manager.", "", False),
        ("A supervisor will tell you the same thing.", "", False),
        ("I know your director asks you daily.", "", False),
        ("As a project manager you'll know how this goes.", "", False),
    ],
)
def test_offer_escalation(answer: str, line: str, met: bool) -> None:
    result = judge(answer, "offer_escalation", line=line)
    assert result.met is met, (answer, cited(answer, result))


@pytest.mark.parametrize(
    ("answer", "met"),
    [
        ("I can hear how frustrating this is, and I'll fix it.", True),
        ("It's not your fault at all.", True),
        ("Your fault reference is SKY-48217.", True),
        ("Please don't feel stupid, lots of people miss it.", True),
        ("Calm down, please.", False),
        ("That's not my problem.", False),
        ("You should have kept your card safe.", False),
        ("As I already said, I need your date of birth.", False),
        ("There's nothing I can do.", False),
        ("It's only a few days.", False),
        ("it's only a few days", False),
        ("Oh great, another complaint.", False),
        ("WHY ARE YOU SHOUTING AT ME", False),
    ],
)
def test_respectful_tone(answer: str, met: bool) -> None:
    result = judge(answer, "respectful_tone")
    assert result.met is met, (answer, [answer[a:b] for a, b in result.flags])


def test_disrespect_is_flagged_and_explained() -> None:
    answer = "Calm down. You should have called earlier."
    result = judge(answer, "respectful_tone")
    assert [answer[a:b] for a, b in result.flags] == ["Calm down", "You should have "]
    assert "dismisses" in result.note and "blames" in result.note


def test_empty_answer_meets_nothing_but_tone() -> None:
    score = SCORER.score("   ", ScoringContext(criteria=CORE_RUBRIC, customer_name="Maria Alvarez"))
    assert score.met == frozenset()
    assert score.score == 0.0
