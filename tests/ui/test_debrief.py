"""The debrief view, filled from real attempts at the stolen-wallet scenario."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from pytestqt.qtbot import QtBot

from simulator.core.catalog import Catalog
from simulator.core.engine import Session
from simulator.core.model import Scenario
from simulator.core.scoring.scorer import RubricScorer
from simulator.core.scoring.types import CriterionResult
from simulator.ui import style
from simulator.ui.debrief import DebriefView, answer_html, css_color
from simulator.ui.path_graph import PathGraph

ROOT = Path(__file__).resolve().parents[2]
PATHS = ROOT / "tests" / "data" / "paths"


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return Catalog([ROOT / "scenarios"]).get("stolen-wallet")


def play(scenario: Scenario, path: str | None = None, answers: list[str] | None = None) -> Session:
    session = Session(scenario, RubricScorer())
    session.start()
    lines = answers if answers is not None else (PATHS / f"stolen-wallet--{path}.txt").read_text().splitlines()
    for answer in lines:
        if answer.strip():
            session.respond(answer)
    return session


@pytest.fixture(scope="module")
def resolved(scenario: Scenario) -> Session:
    return play(scenario, "resolved_well")


@pytest.fixture(scope="module")
def hung_up(scenario: Scenario) -> Session:
    return play(scenario, "hung_up")


def make_view(qtbot: QtBot, scenario: Scenario, session: Session) -> DebriefView:
    view = DebriefView()
    qtbot.addWidget(view)
    view.show_attempt(scenario, session.summary(), session.history)
    view.resize(1100, 800)
    return view


def test_header_shows_ending_outcome_and_score(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    header = view.header
    assert header is not None
    assert header.title_label.text() == "Card locked, money on its way back"
    assert header.outcome_badge is not None
    assert header.outcome_badge.text() == "Resolved"
    assert style.OUTCOME_COLORS["resolved"].name() in header.outcome_badge.styleSheet()
    assert "I can breathe again" in header.line_label.text()
    assert header.line_label.font().italic()
    assert "empathy plus action" in header.debrief_label.text()
    assert header.score_label.text() == "93 / 100"
    assert header.score_label.font().pointSizeF() > view.font().pointSizeF() * 2
    assert header.answers_label.text() == "5 answers"
    assert header.auto_failed_label is None
    assert view.auto_fail_reasons is None


def test_failed_attempt_says_customer_lost_and_auto_failed(qtbot: QtBot, scenario: Scenario, hung_up: Session) -> None:
    view = make_view(qtbot, scenario, hung_up)
    assert view.header is not None
    assert view.header.title_label.text() == "Maria hung up"
    assert view.header.outcome_badge is not None
    assert view.header.outcome_badge.text() == "Customer lost"
    assert view.header.score_label.text() == "0 / 100"
    assert view.header.answers_label.text() == "2 answers"
    assert view.header.auto_failed_label is not None
    assert view.header.auto_failed_label.text() == "auto-failed"
    # Why, at the top of the debrief, before any turn card: the criterion and the words.
    assert view.auto_fail_reasons is not None
    reasons = view.auto_fail_reasons.text()
    assert reasons.startswith("Why it auto-failed:\nAnswer 1: Stays respectful: missed because of")
    assert '"Calm down"' in reasons and "scored 0" in reasons


def test_one_bar_per_criterion_with_its_percentage(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    summary = resolved.summary()
    assert view.criteria_panel is not None
    rows = view.criteria_panel.rows
    assert [r.criterion_id for r in rows] == list(summary.criteria)
    by_id = {r.criterion_id: r for r in rows}
    emotion = by_id["acknowledge_emotion"]
    assert emotion.label.text() == "Acknowledges the customer's emotion"
    assert emotion.percent.text() == "67%"  # met in 2 of 3 turns: "Thank you, that's all confirmed" is not
    assert emotion.bar.value == pytest.approx(2 / 3)
    assert emotion.bar.color == style.NEAR_MISS
    assert by_id["personalize"].percent.text() == "67%"
    assert by_id["personalize"].bar.color == style.NEAR_MISS
    assert by_id["lock_card_first"].label.text() == "Locks the card before anything else"
    assert by_id["lock_card_first"].percent.text() == "100%"
    assert by_id["lock_card_first"].bar.color == style.MET
    assert emotion.bar.accessibleName() == "Acknowledges the customer's emotion: 67%"


def test_one_card_per_answer_with_highlighted_evidence(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    assert len(view.turn_cards) == len(resolved.history) == 5
    first = view.turn_cards[0]
    assert html.escape(resolved.history[0].customer_line.strip()) in first.customer_label.text()
    result = resolved.history[0]
    emotion = result.score.get("acknowledge_emotion")
    assert emotion is not None and emotion.met
    start, end = emotion.evidence[0]
    evidence = html.escape(result.answer[start:end])
    colour = css_color(style.criterion_color("acknowledge_emotion"))
    span = re.search(r'<span class="([^"]*)" style="([^"]*)" title="([^"]*)">([^<]*)</span>', first.answer_html)
    assert span is not None
    assert "ev-acknowledge_emotion" in span.group(1)
    assert f"background-color: {colour}" in span.group(2)
    assert span.group(4) == evidence == "That sounds really frightening"
    assert "Acknowledges the customer&#x27;s emotion" in span.group(3)
    assert "✓ Acknowledges the customer&#x27;s emotion" in first.legend_label.text()
    assert "Turn score 100 · customer calmer (-20)" in first.score_label.text()


def test_missed_criteria_feedback_and_model_answer(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    card = view.turn_cards[2]  # "Thank you, that's all confirmed. I'm opening..." misses acknowledge_emotion
    missed = card.result.score.get("acknowledge_emotion")
    assert missed is not None and not missed.met
    text = card.missed_label.text()
    assert "What was missed" in text
    assert "Acknowledges the customer&#x27;s emotion" in text or "Acknowledges the customer's emotion" in text
    assert html.escape(missed.feedback) in text
    assert html.escape(missed.example) in text
    assert card.model_label is not None
    assert "I know how frightening it is to watch money go like that" in card.model_label.text()
    assert card.score_label.text().startswith("Turn score 79 · customer calmer (-15)")


def test_flagged_spans_are_underlined_in_missed_colour(qtbot: QtBot, scenario: Scenario, hung_up: Session) -> None:
    view = make_view(qtbot, scenario, hung_up)
    card = view.turn_cards[0]
    assert '<span class="flag-respectful_tone"' in card.answer_html
    assert f"text-decoration: underline; color: {style.MISSED.name()}" in card.answer_html
    assert ">Calm down</span>" in card.answer_html
    assert "auto-failed. Stays respectful: missed because of" in card.score_label.text()


def test_overlapping_spans_take_the_first_criterion_and_list_all() -> None:
    results = [
        CriterionResult("a", "Alpha", True, 1.0, evidence=((0, 10),)),
        CriterionResult("b", "Beta <b>", True, 1.0, evidence=((5, 15),)),
    ]
    colors = {"a": QColor(255, 0, 0, 70), "b": QColor(0, 0, 255, 70)}
    out = answer_html("0123456789ABCDE & more", results, colors)
    assert f'class="ev-a" style="background-color: {css_color(colors["a"])}" title="Alpha">01234</span>' in out
    assert (
        f'class="ev-a ev-b" style="background-color: {css_color(colors["a"])}" title="Alpha, Beta &lt;b&gt;">56789'
        in out
    )
    assert f'class="ev-b" style="background-color: {css_color(colors["b"])}" title="Beta &lt;b&gt;">ABCDE</span>' in out
    assert out.endswith(" &amp; more")


def test_path_graph_marks_exactly_the_taken_nodes(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    graph = view.path_graph
    assert isinstance(graph, PathGraph)
    expected = {r.node_id for r in resolved.history} | {resolved.history[-1].target}
    assert graph.taken_ids() == expected
    assert graph.all_ids() == {n.id for n in scenario.nodes} | {e.id for e in scenario.endings}
    assert graph.taken_edges() == tuple((r.node_id, r.target) for r in resolved.history)
    assert graph.height() == 220
    said = resolved.history[0].customer_line.strip()
    assert html.escape(said) in graph.box_tooltip("opening")
    assert "I can breathe again" in graph.box_tooltip("resolved_well")


# Showing a top-level window on the offscreen platform warns about size hints; nothing of ours.
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_buttons_emit_their_signals(qtbot: QtBot, scenario: Scenario, resolved: Session) -> None:
    view = make_view(qtbot, scenario, resolved)
    view.show()
    with qtbot.waitSignal(view.retry_requested, timeout=1000):
        qtbot.mouseClick(view.retry_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.library_requested, timeout=1000):
        qtbot.mouseClick(view.library_button, Qt.MouseButton.LeftButton)
    assert view.retry_button.text() == "Try again"
    assert view.library_button.text() == "Choose another scenario"
    assert view.retry_button.shortcut().toString() == "Ctrl+R"
    assert view.library_button.shortcut().toString() == "Ctrl+L"
    assert view.retry_button.accessibleName() and view.library_button.accessibleName()


def test_unfinished_attempt_says_not_finished(qtbot: QtBot, scenario: Scenario) -> None:
    session = play(scenario, answers=[(PATHS / "stolen-wallet--resolved_well.txt").read_text().splitlines()[0]])
    assert session.summary().ending is None
    view = make_view(qtbot, scenario, session)
    assert view.header is not None
    assert view.header.title_label.text() == "Not finished"
    assert view.header.outcome_badge is None
    assert view.header.answers_label.text() == "1 answer"
    assert len(view.turn_cards) == 1
    assert view.path_graph is not None
    assert view.path_graph.taken_ids() == {"opening", "card_locked"}


def test_show_attempt_replaces_previous_content(
    qtbot: QtBot, scenario: Scenario, resolved: Session, hung_up: Session
) -> None:
    view = make_view(qtbot, scenario, resolved)
    view.show_attempt(scenario, hung_up.summary(), hung_up.history)
    assert len(view.turn_cards) == 2
    assert view.header is not None and view.header.title_label.text() == "Maria hung up"
    content = view.scroll_area.widget()
    assert content is not None
    assert len(content.findChildren(type(view.turn_cards[0]))) == 2
