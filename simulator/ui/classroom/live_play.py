"""The trainee's live-session window: the conversation runs here, each answer also goes to the trainer.

The engine and the scorer run on the window's worker (``LivePlay.respond`` scores, then sends);
the host's replies are read from the client's queue by a timer on the GUI thread. When the
trainer ends the session, or the connection drops, a banner says so and the answer box closes.
Closing the window leaves the session (the trainee can join again with the same name).

The trainee's own copy of the attempt (``LocalCopy``) is written to this computer's database as
the answers go, on the same worker, so the library and the progress page show a live attempt
like any other once it is finished; an attempt left unfinished here is thrown away once the
session is over for this trainee or the window closes (the trainer's app keeps it, and a rejoin
starts a new copy from the answers the host has).
"""

from __future__ import annotations

import logging
import queue
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from simulator.application.data import now
from simulator.ui import style
from simulator.ui.conversation import ConversationView
from simulator.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from simulator.application.compose import Store
    from simulator.classroom.client import LiveClient, LivePlay
    from simulator.core.engine import CustomerTurn, TurnResult
    from simulator.core.scoring.types import AnswerScorer

log = logging.getLogger(__name__)

POLL_MS = 100
DEFAULT_END = "The trainer ended the session."
LOST = "the connection to the trainer's app was lost"  # LiveClient's end_reason when the link drops


@dataclass(frozen=True)
class Step:
    """One answer as scored here, with what the header needs (read on the worker, not the GUI thread)."""

    result: TurnResult
    score_so_far: float | None
    finished: bool
    outcome: str | None
    kept: bool = False  # the finished attempt is now in this computer's database too

    @classmethod
    def of(cls, play: LivePlay, result: TurnResult, kept: bool = False) -> Step:
        ending = play.session.ending
        outcome = ending.outcome.value if ending is not None else None
        return cls(result, mean_score(list(play.session.history)), play.finished, outcome, kept)


@dataclass(frozen=True)
class Opening:
    """The conversation as it stands once joined: a rejoin has replayed the answers the host already had."""

    play: LivePlay
    history: list[TurnResult]
    current: CustomerTurn | None
    score_so_far: float | None

    @classmethod
    def of(cls, play: LivePlay) -> Opening:
        history = list(play.session.history)
        return cls(play, history, play.current, mean_score(history))


class LocalCopy:
    """The trainee's own record of one live attempt, in this computer's database: called on the worker only.

    It is linked to the session's assignment (adopted on this computer before the copy begins) with
    the source ``live``: it counts for that assignment only, never again by the unlinked rule for
    another one, and a results file leaves it out (the trainer's app holds the attempt that counts).
    A copy that cannot be written is logged and given up: the trainer's app still has every answer.
    """

    def __init__(self, store: Store, trainee_id: int, mode: str, assignment_uid: str | None = None) -> None:
        self.store = store
        self.trainee_id = trainee_id
        self.mode = mode
        self.assignment_uid = assignment_uid
        self.attempt_id: int | None = None
        self.started = False  # an attempt row was written at some point (the views may show it)
        self.finished = False
        self._broken = False

    def begin(self, play: LivePlay) -> None:
        """A new attempt row, with the answers a rejoin replayed (none when it was over already)."""
        session = play.session
        if session.finished:  # rejoined after the end: the window that got there kept the attempt
            self._broken = True
            return
        at = now()

        def write() -> None:
            from simulator.application.attempts import save_start

            self.attempt_id = save_start(
                self.store,
                self.trainee_id,
                session,
                self.mode,
                assignment_id=self._assignment_id(),
                source="live",
            )
            self.started = True
            for result in session.history:
                self._write(play, result, at, at)

        self._guard(write)

    def _assignment_id(self) -> int | None:
        """This computer's id of the session's assignment (None if it could not be kept here)."""
        from simulator.application.assignments import local_assignment_id

        return local_assignment_id(self.store, self.assignment_uid)

    def answered(self, play: LivePlay, result: TurnResult, shown_at: datetime, answered_at: datetime) -> bool:
        """Keep one answer; True once the attempt reached its ending and is kept for good."""
        if self.attempt_id is not None and not self._broken:
            self._guard(lambda: self._write(play, result, shown_at, answered_at))
        return self.finished

    def drop_unfinished(self) -> bool:
        """The window closed: throw away an attempt that did not reach its ending; True if one was."""
        if self.attempt_id is None or self.finished:
            return False
        attempt_id, self.attempt_id = self.attempt_id, None
        self._broken = True
        try:
            from simulator.application.attempts import discard

            discard(self.store, attempt_id)
        except Exception:
            log.exception("live session: the unfinished copy of attempt %s could not be removed", attempt_id)
        return True

    def _write(self, play: LivePlay, result: TurnResult, shown_at: datetime, answered_at: datetime) -> None:
        from simulator.application.attempts import save_turn

        assert self.attempt_id is not None
        session = play.session
        save_turn(self.store, self.attempt_id, session, result, shown_at, answered_at)
        self.finished = session.finished and result is session.history[-1]

    def _guard(self, write: Callable[[], None]) -> None:
        if self._broken:
            return
        try:
            write()
        except Exception:
            log.exception("live session: this computer's copy of the attempt could not be saved")
            self._broken = True
            self.drop_unfinished()


def mean_score(history: list[TurnResult]) -> float | None:
    """The score so far as the host's dashboard shows it: the mean of the turn scores."""
    from simulator.core.scoring.outcome import score_so_far

    return score_so_far([r.score for r in history])


class LivePlayWindow(QWidget):
    """One live session, from the welcome to the end; ``left`` is emitted when the window closes."""

    left = Signal()
    rejoin_requested = Signal()  # Ctrl+J once the session is over here: join again (or another one)
    copy_changed = Signal()  # this computer's copy was kept (finished) or removed (unfinished): views reload

    def __init__(
        self,
        client: LiveClient,
        runner: TaskRunner,
        scorer: Callable[[], AnswerScorer],
        assets: Path,
        *,
        typing_delay_ms: int = 900,
        copy: LocalCopy | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.client = client
        self.runner = runner
        self.copy = copy
        self._shown_at = now()  # when the customer's current line appeared (the copy's turn times)
        self.play: LivePlay | None = None
        self.over = False
        self.acknowledged = 0
        self._left = False
        welcome = client.welcome
        self.practice = welcome.assignment.mode == "practice"
        self.threshold = welcome.assignment.pass_threshold
        self.setWindowTitle(f"Live session: {welcome.title}")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 0, 0, 0)
        self.banner = QLabel()
        self.banner.setObjectName("liveBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.PlainText)
        self.banner.setAccessibleName("Session status")
        self.banner.setStyleSheet(
            "QLabel#liveBanner { padding: 10px 14px; margin: 8px 16px 0 16px; border-radius: 6px;"
            " border: 2px solid palette(highlight); background: palette(alternate-base); }"
        )
        self.banner.setFont(style.scaled_font(self.font(), 1.1, bold=True))
        self.banner.hide()
        root.addWidget(self.banner)
        header = QHBoxLayout()
        header.setContentsMargins(16, 10, 16, 0)
        self.title_label = QLabel(f"{welcome.title}: joined as {welcome.name}")
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setFont(style.scaled_font(self.font(), 1.2, bold=True))
        self.title_label.setWordWrap(True)
        self.score_label = QLabel()
        self.score_label.setAccessibleName("Your score so far")
        self.received_label = QLabel("Connected to the trainer's app")
        self.received_label.setAccessibleName("What the trainer's app has received")
        header.addWidget(self.title_label, 1)
        header.addWidget(self.score_label)
        header.addSpacing(16)
        header.addWidget(self.received_label)
        root.addLayout(header)
        self.conversation = ConversationView(assets, typing_delay_ms=typing_delay_ms)
        self.conversation.set_voice(False, False)
        self.conversation.quit_button.setText("Leave (Esc)")
        self.conversation.quit_button.setAccessibleName("Leave the live session; you can join again with the same name")
        self.conversation.quit_requested.connect(self.close)
        self.conversation.answer_submitted.connect(self._submit)
        root.addWidget(self.conversation, 1)
        self.conversation.begin(welcome.scenario, self.practice, [])
        self.conversation.set_busy(True)
        self._show_score(None)
        QShortcut(QKeySequence("Ctrl+J"), self, self._rejoin)
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._timer.start()

        def opening() -> Opening:
            play = client.play(scorer())
            if copy is not None:
                copy.begin(play)
            return Opening.of(play)

        self.runner.run(opening, self._ready, self._play_failed)

    # -- the conversation ------------------------------------------------------------

    def _ready(self, opening: Opening) -> None:
        if self._left:  # closed while the conversation was being prepared
            return
        self.play = opening.play
        welcome = self.client.welcome
        if opening.history:
            self.conversation.begin(welcome.scenario, self.practice, opening.history)
            self.acknowledged = len(opening.history)
            self.received_label.setText(f"Rejoined: the trainer's app has your {len(opening.history)} earlier answers")
        self._show_score(opening.score_so_far)
        if self.over:
            self._close_box()
        elif opening.current is not None:
            self.conversation.show_customer(opening.current)
            self._shown_at = now()
        else:
            self._finished(opening.score_so_far, None)

    def _play_failed(self, error: BaseException) -> None:
        if self._left:
            return
        self._end(f"The conversation could not be started here ({error}). Close this window and join again.")
        self._leave()

    def _submit(self, text: str) -> None:
        play = self.play
        if play is None or self.over:  # not ready yet, or over: the text goes back in the box
            self.conversation.answer_failed(text)
            if self.over:
                self._close_box()
            return

        def failed(error: BaseException) -> None:
            self._answer_failed(text, error)

        copy, shown_at, answered_at = self.copy, self._shown_at, now()

        def respond() -> Step:
            result = play.respond(text)
            kept = copy is not None and copy.answered(play, result, shown_at, answered_at)
            return Step.of(play, result, kept)

        self.runner.run(respond, self._scored, failed)

    def _scored(self, step: Step) -> None:
        if self._left:  # the window closed while the answer was being scored and sent (leaving reloads)
            return
        if step.kept:
            self.copy_changed.emit()
        self.conversation.show_result(step.result)
        self._show_score(step.score_so_far)
        if step.finished:
            self._finished(step.score_so_far, step.outcome)
        elif step.result.next_turn is not None and not self.over:
            self.conversation.show_customer(step.result.next_turn)
            self._shown_at = now()
        if self.over:
            self._close_box()

    def _answer_failed(self, text: str, error: BaseException) -> None:
        """The answer is given back to the trainee; when the link is gone, the banner says why."""
        from simulator.classroom.client import LiveClientError

        if self._left:
            return
        self.conversation.answer_failed(text)
        if isinstance(error, ValueError):  # too long: nothing was scored or sent
            self.received_label.setText(f"Not sent: {error}. Shorten it and send again.")
            return
        if not isinstance(error, LiveClientError):
            self.runner.default_error(error)  # a fault here, not the link: the trainee can try again
            return
        if not self.over:
            self._poll()
        if not self.over:
            self._lost()
        self._close_box()

    def _finished(self, score: float | None, outcome: str | None) -> None:
        words = {"resolved": "resolved", "escalated": "escalated", "customer_lost": "the customer was lost"}
        how = f" ({words.get(outcome, outcome)})" if outcome else ""
        result = ""
        if score is not None:
            verdict = "passed" if score >= self.threshold else "not passed"
            result = f" Your score: {score:.0f} — {verdict} (needs {self.threshold:.0f})."
        self._end(f"✓ You reached the end of the conversation{how}.{result} Your answers went to the trainer's app.")

    def _show_score(self, score: float | None) -> None:
        if not self.practice:
            self.score_label.setText("Assessment: your score comes at the end")
        else:
            self.score_label.setText("Score so far: —" if score is None else f"Score so far: {score:.0f}")

    # -- the trainer's app -------------------------------------------------------------

    def _poll(self) -> None:
        """The host's replies (acks, refusals, the end), then whether the connection is still there."""
        while True:
            try:
                message = self.client.messages.get_nowait()
            except queue.Empty:
                break
            kind = message["type"]
            if kind == "ack":
                self.acknowledged = max(self.acknowledged, int(message["index"]) + 1)
                count = self.acknowledged
                self.received_label.setText(f"✓ The trainer's app has {count} answer{'s' if count != 1 else ''}")
            elif kind == "error":
                self.received_label.setText(f"⚠ The trainer's app did not take an answer: {message['reason']}")
            elif kind in ("end", "rejected"):
                self._host_ended(str(message["reason"]), kind == "rejected")
        if self.client.ended.is_set() and self.over:
            self._timer.stop()  # nothing more will come
        elif self.client.ended.is_set():
            reason = self.client.end_reason
            if not reason or reason.startswith(LOST):
                self._lost()
            else:  # the end arrived between reading the queue and looking at the flag
                self._host_ended(reason, False)

    def _host_ended(self, reason: str, rejected: bool) -> None:
        if self.over:  # finished already: that banner stays
            return
        if rejected:
            self._end(f"■ The trainer's app closed your connection: {reason}.")
            return
        extra = "" if reason == DEFAULT_END else f" ({reason.rstrip('.')})"
        self._end(f"■ The trainer ended the session{extra}. Your answers so far are saved in the trainer's app.")

    def _lost(self) -> None:
        self._end(
            "⚠ The connection to the trainer's app was lost. Your answers up to the last one received are saved "
            "there: join again (Ctrl+J) with the same name and code to carry on where you left off."
        )

    def _end(self, text: str) -> None:
        """The session is over for this trainee: say so at the top and close the answer box."""
        self.over = True
        self.banner.setText(text)
        self.banner.show()
        self._close_box()
        copy = self.copy
        if copy is not None:  # after any answer still being saved: a finished copy stays, a half one goes

            def dropped(yes: bool) -> None:
                if yes and not self._left:
                    self.copy_changed.emit()

            self.runner.run(copy.drop_unfinished, dropped, lambda _error: None)

    def _close_box(self) -> None:
        self.conversation.set_busy(True)
        self.conversation.answer.setEnabled(False)
        self.conversation.hint_button.setEnabled(False)

    # -- leaving ---------------------------------------------------------------------

    def _rejoin(self) -> None:
        if self.over:
            self.rejoin_requested.emit()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._timer.stop()
        self._leave()
        super().closeEvent(event)
        self.left.emit()

    def _leave(self) -> None:
        """Say goodbye to the host on the worker, after any answer still being sent."""
        if self._left:
            return
        self._left = True
        client = self.client
        self.runner.run(client.leave, lambda _none: None, lambda _error: None)
