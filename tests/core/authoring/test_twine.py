"""Twine stories become scenario skeletons that load; hostile files give a TwineError or a report."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core.authoring.twine import MAX_PASSAGES, TwineError, import_story, import_text, links_of
from simulator.core.loader import load_text
from simulator.core.model import Outcome

TWINE = Path(__file__).resolve().parents[2] / "data" / "twine"


def test_twee_story_becomes_a_valid_scenario() -> None:
    result = import_story(TWINE / "refund.twee")
    scenario = load_text(result.text, "refund.yaml")
    assert result.title == "Refund call" and scenario.id == "refund-call"
    assert scenario.start == "start"
    assert [n.id for n in scenario.nodes] == ["start", "looking"]
    assert {e.id: e.outcome for e in scenario.endings} == {
        "angry": Outcome.CUSTOMER_LOST,
        "refunded": Outcome.RESOLVED,
        "manager": Outcome.ESCALATED,
    }
    start = scenario.node("start")
    assert start.lines[0].text == "I was charged twice for my subscription and nobody answers my emails!"
    assert start.otherwise.to == "looking" and start.otherwise.note == "Apologise and look into it"
    assert [(t.to, t.when.source if t.when else "", t.note) for t in start.transitions] == [
        ("angry", "missed.respectful_tone", "Tell them to wait")
    ]
    looking = scenario.node("looking")
    assert [(t.to, t.when.source if t.when else "") for t in looking.transitions] == [
        ("manager", "met.offer_escalation")
    ]
    report = "\n".join(result.report)
    assert "'Nowhere'" in report and "dropped" in report  # the broken link
    assert "<<set $anger to 3>>" in report and "(set: $gone to true)" in report  # the macros
    assert "placeholder condition 'missed.respectful_tone'" in report
    assert "<<" not in result.text and "$" not in result.text.split("nodes:")[1]
    assert scenario.ending("angry").line == "Unbelievable. I'm cancelling."


def test_archive_html_becomes_a_valid_scenario() -> None:
    result = import_story(TWINE / "refund.html")
    scenario = load_text(result.text, "refund.yaml")
    assert scenario.start == "start"
    assert scenario.node("start").lines[0].text == "I was charged twice & nobody answers my emails!"
    looking = scenario.node("looking")
    assert looking.lines[0].text == "Fine. So can you refund the second charge or not?"
    assert [t.to for t in looking.transitions] == ["supervisor"]  # [[Target<-Text]]
    assert scenario.ending("supervisor").outcome is Outcome.ESCALATED
    assert "never run" not in result.text and "alert" not in result.text and "color: red" not in result.text
    report = "\n".join(result.report)
    assert "(set: $calls to 2)" in report and "Nowhere" in report and "<script>" in report


def test_link_forms() -> None:
    text = "[[Plain]] [[Go on->Next]] [[Back<-Return]] [[Say yes|Yes]] [[Pay|Shop][$gold to 1]] [[a->b->c]]"
    assert links_of(text) == [
        ("Plain", "Plain"),
        ("Go on", "Next"),
        ("Return", "Back"),
        ("Say yes", "Yes"),
        ("Pay", "Shop"),
        ("a->b", "c"),
    ]


def test_names_are_slugged_unique_and_loops_get_a_way_out() -> None:
    story = """:: Start
Hello there. [[Ask|Café: Ask?]] [[café ask|Cafe ask]]

:: Café: Ask?
Round we go. [[Start]]

:: Cafe ask
And round again. [[Start]]

:: StoryInit
<<set $x to 1>>
"""
    result = import_text(story, "Loop story")
    scenario = load_text(result.text)
    assert scenario.id == "loop-story"
    assert sorted(n.id for n in scenario.nodes) == ["caf_ask", "cafe_ask", "start"]
    assert [e.outcome for e in scenario.endings] == [Outcome.CUSTOMER_LOST]
    report = "\n".join(result.report)
    assert "StoryInit: skipped" in report and "no ending can be reached" in report
    assert "no start passage given" in report


def test_unreachable_passages_are_left_out_and_reported() -> None:
    result = import_text(":: Start\nHi [[Bye]]\n\n:: Bye\nBye.\n\n:: Orphan\nNobody links here.\n")
    assert "Orphan" not in result.text
    assert any("Orphan: no link from the start" in line for line in result.report)
    load_text(result.text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("just some text, no passages", "no passages found"),
        (":: StoryData\n{not json\n\n:: Start\nHi [[Start]]\n", "line 1: StoryData is not valid JSON"),
        (":: Start\nThe end, no links.\n", "has no links"),
        ("<html><body><p>Not a story</p></body></html>", "no <tw-passagedata>"),
        ("\x00\x01binary", "NUL bytes"),
        (":: StoryTitle\nOnly a title\n", "no passages with text"),
    ],
)
def test_what_is_not_a_story_is_a_clear_error(text: str, message: str) -> None:
    with pytest.raises(TwineError, match="(?s).*" + message.replace("(", r"\(")):
        import_text(text)


def test_twee_header_errors_carry_the_line() -> None:
    with pytest.raises(TwineError) as caught:
        import_text(":: Start\nHi [[Next]]\n\n::\n")
    assert caught.value.line == 4 and str(caught.value).startswith("line 4:")


def test_hostile_inputs_never_crash(tmp_path: Path) -> None:
    huge = ":: Start\n" + "x" * 5_000_001
    with pytest.raises(TwineError, match="larger than 5 MB"):
        import_text(huge)
    too_many = "".join(f":: P{i}\nLine [[P{i + 1}]]\n" for i in range(MAX_PASSAGES + 1))
    with pytest.raises(TwineError, match="more than 5000 passages"):
        import_text(too_many)
    binary = tmp_path / "garbage.html"
    binary.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(TwineError, match="not UTF-8"):
        import_story(binary)
    big = tmp_path / "big.twee"
    big.write_bytes(b"a" * 5_000_001)
    with pytest.raises(TwineError):
        import_story(big)
    scripted = (
        '<tw-storydata name="Evil" startnode="1"><tw-passagedata pid="1" name="Start">'
        "Hi <script>document.cookie</script><b>bold</b> <img src=x onerror=alert(1)> [[Go->End]]"
        '</tw-passagedata><tw-passagedata pid="2" name="End">Bye <style>*{}</style></tw-passagedata></tw-storydata>'
    )
    result = import_text(scripted)
    load_text(result.text)
    assert "cookie" not in result.text and "onerror" not in result.text and "bold" in result.text
    assert any("removed HTML elements" in line for line in result.report)
    for garbage in ("<" * 10_000, "<!" + "[" * 5000, "<tw-storydata><tw-passagedata>" * 3, "::" + "\\" * 1000):
        try:
            result = import_text(garbage)
        except TwineError:
            continue
        load_text(result.text)
