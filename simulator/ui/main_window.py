"""The main window: library, conversation, debrief and progress pages, and the wiring between them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QTextCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMainWindow, QMessageBox, QStackedWidget

from simulator.application import trainees
from simulator.application.data import AttemptRecord, SpokenAnswer, StorageError, Trainee, now
from simulator.ui import errors, theme
from simulator.ui.classroom.trainee_actions import TraineeClassroom
from simulator.ui.geometry import fit_window
from simulator.ui.library import LibraryView, Record, sorted_infos
from simulator.ui.practice import Practice
from simulator.ui.tasks import TaskRunner

# Pages other than the library, the engine and the scorer are imported when first needed, so
# the window opens quickly (benchmarks/bench_startup.py).
if TYPE_CHECKING:
    from simulator.application.assignments import StartDecision
    from simulator.application.attempts import Debrief, LiveAttempt
    from simulator.application.compose import Store
    from simulator.core.catalog import Catalog
    from simulator.core.engine import CustomerTurn, TurnResult
    from simulator.core.scoring.types import AnswerScorer
    from simulator.records.service import LearningRecords
    from simulator.speech.audio import Clip
    from simulator.ui.classroom.window import ClassroomWindow
    from simulator.ui.conversation import ConversationView
    from simulator.ui.debrief import DebriefView
    from simulator.ui.progress import ProgressRow, ProgressView
    from simulator.ui.records_hooks import RecordsHooks
    from simulator.ui.studio.window import StudioWindow
    from simulator.ui.voice import VoiceServices


log = logging.getLogger(__name__)


class VoiceBridge(QObject):
    """Brings a rendered line from the voice thread to the GUI thread (a queued signal)."""

    spoken = Signal(int, object)  # request number, Future[Path]


def rubric_scorer() -> AnswerScorer:
    from simulator.core.scoring.scorer import RubricScorer

    return RubricScorer()


class MainWindow(QMainWindow):
    def __init__(
        self,
        catalog: Catalog,
        store: Store,
        assets: Path,
        settings: QSettings,
        *,
        synchronous: bool = False,
        typing_delay_ms: int = 900,
        choose_trainee: Callable[[list[Trainee]], str | None] | None = None,
        voice: VoiceServices | None = None,
        records: LearningRecords | None = None,
    ) -> None:
        super().__init__()
        self.voice = voice
        self._voice_bridge = VoiceBridge(self)
        self._voice_bridge.spoken.connect(self._spoken)
        self._speech_token = 0
        self._last_audio: Path | None = None
        self._pending_spoken: SpokenAnswer | None = None
        self._recording_started: datetime | None = None
        self._voice_told: set[str] = set()
        self.catalog = catalog
        self.store = store
        self.settings = settings
        self.trainee: Trainee | None = None
        self.log_path: Path | None = None
        self.choose_trainee = choose_trainee or self._ask_trainee
        self.runner = TaskRunner(self._task_failed, synchronous=synchronous, parent=self)
        self.practice = Practice(store, self.runner, rubric_scorer, self)
        self.setWindowTitle("Empathy Trainer")
        fit_window(self, settings, "main", QSize(1100, 780))

        self.assets = assets
        self.typing_delay_ms = typing_delay_ms
        self.pages = QStackedWidget()
        self.library = LibraryView()
        self.pages.addWidget(self.library)
        # The other pages are built when first needed: start-up stays quick.
        self._conversation: ConversationView | None = None
        self._debrief: DebriefView | None = None
        self._progress: ProgressView | None = None
        self.setCentralWidget(self.pages)
        # Learning records (xAPI): queued as attempts go, sent only once a trainer set up an LRS.
        self.records_ui: RecordsHooks | None = None
        if records is not None:
            from simulator.ui.records_hooks import RecordsHooks

            self.records_ui = RecordsHooks(records, self.runner, self.statusBar(), lambda: self.trainee, self)
        self.classroom = TraineeClassroom(
            store,
            catalog,
            self.runner,
            settings,
            lambda: self.trainee,
            lambda: self.practice.attempts.scorer,
            assets,
            status=self.statusBar().showMessage,
            typing_delay_ms=typing_delay_ms,
            parent=self,
        )
        self.classroom.assignments_changed.connect(self._assignments_changed)
        self.classroom.attempts_changed.connect(self._attempts_changed)
        self._closing = False
        self._last_assignment: int | None = None  # the assignment of the attempt on screen (Try again)
        self._build_menus()
        self.trainee_label = QLabel()
        self.saving_label = QLabel()
        if self.records_ui is not None:
            self.statusBar().addPermanentWidget(self.records_ui.label)
        self.statusBar().addPermanentWidget(self.saving_label)
        self.statusBar().addPermanentWidget(self.trainee_label)
        self.library.start_requested.connect(self.start)
        self.library.resume_requested.connect(self.resume)
        self.library.assignment_requested.connect(self.start_assignment)
        self.library.export_requested.connect(self.classroom.export_results)
        self.practice.started.connect(self._attempt_started)
        self.practice.customer_turn.connect(self._customer_turn)
        self.practice.answer_scored.connect(self._answer_scored)
        self.practice.finished.connect(self._finished)
        self.practice.answer_failed.connect(self._answer_failed)
        self.runner.busy_changed.connect(lambda busy: self.saving_label.setText("Saving…" if busy else "Saved"))
        self._last: tuple[str, str] | None = None
        self._records: dict[str, Record] = {}
        self.startup_failed = False
        self.studio: StudioWindow | None = None
        self.classroom_window: ClassroomWindow | None = None

    @property
    def conversation(self) -> ConversationView:
        if self._conversation is None:
            from simulator.ui.conversation import ConversationView

            self._conversation = ConversationView(self.assets, typing_delay_ms=self.typing_delay_ms)
            self._conversation.answer_submitted.connect(self._submit)
            voice = self._conversation.voice
            voice.set_microphone(self.voice.microphone if self.voice else None)
            voice.recording_changed.connect(self._recording_changed)
            voice.recorded.connect(self._recognize)
            self._conversation.replay_button.clicked.connect(self.replay)
            self._conversation.mute_button.toggled.connect(self._muted)
            self._conversation.customer_shown.connect(self.practice.customer_shown)
            self._conversation.quit_requested.connect(self.leave_conversation)
            self.pages.addWidget(self._conversation)
        return self._conversation

    @property
    def debrief(self) -> DebriefView:
        if self._debrief is None:
            from simulator.ui.debrief import DebriefView

            self._debrief = DebriefView()
            self._debrief.retry_requested.connect(self._retry)
            self._debrief.library_requested.connect(self.show_library)
            self._debrief.play_requested.connect(self._play_recording)
            self.pages.addWidget(self._debrief)
        return self._debrief

    @property
    def progress(self) -> ProgressView:
        if self._progress is None:
            from simulator.ui.progress import ProgressView

            self._progress = ProgressView()
            self._progress.open_requested.connect(self.open_attempt)
            self.pages.addWidget(self._progress)
        return self._progress

    # -- menus ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        go = self.menuBar().addMenu("&Go")
        self._action(go, "&Library", "Ctrl+1", self.show_library)
        self._action(go, "&Progress", "Ctrl+2", self.show_progress)
        go.addSeparator()
        self._action(go, "&Switch trainee…", "Ctrl+Shift+S", self.switch_trainee)
        self._action(go, "&Trainer studio…", "Ctrl+T", self.open_studio)
        self._action(go, "&Classroom…", "Ctrl+Shift+L", self.open_classroom)
        go.addSeparator()
        # The platform's Quit keys; where it has none (Windows, some desktops), Ctrl+Q all the same.
        quit_keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit) or [QKeySequence("Ctrl+Q")]
        self._action(go, "&Quit", quit_keys[0], self.close).setShortcuts(quit_keys)
        klass = self.menuBar().addMenu("&Class")
        self._action(klass, "&Open assignment file…", "Ctrl+O", self.classroom.open_assignment_file)
        self._action(klass, "&Export results…", "Ctrl+Shift+E", lambda: self.classroom.export_results())
        klass.addSeparator()
        self._action(klass, "&Join a live session…", "Ctrl+J", self.classroom.join_live)
        self._build_voice_menu()
        view = self.menuBar().addMenu("&View")
        self.voice_action = QAction("Customer &voice in phone calls", self)
        self.voice_action.setCheckable(True)
        self.voice_action.setChecked(self.settings.value("voice", "true") == "true")
        self.voice_action.toggled.connect(self._voice_setting)
        view.addAction(self.voice_action)
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(self.settings.value("theme", "system"))
        for choice in theme.CHOICES:
            action = themes.addAction(choice.title())
            action.setCheckable(True)
            action.setChecked(choice == current)
            action.triggered.connect(lambda _checked=False, c=choice: self.set_theme(c))
            group.addAction(action)
        if self.records_ui is not None:
            self.records_ui.add_menu(self.menuBar().addMenu("&Tools"))

    def set_voice_services(self, voice: VoiceServices) -> None:
        """Voice arrives after the window is shown (devices and engines take time to find)."""
        self.voice = voice
        if self._conversation is not None:
            self._conversation.voice.set_microphone(voice.microphone)

    def warm_up_voice(self) -> None:
        """Load the recognition model and start the voice engine on the worker; say what is missing."""
        voice = self.voice
        if voice is None:
            return

        def work() -> tuple[str | None, str | None]:
            from simulator.speech.recognizer import RecognizerUnavailable

            problem = None
            if voice.recognizer is not None:
                try:
                    voice.recognizer.load()  # type: ignore[attr-defined]
                except RecognizerUnavailable as exc:
                    problem = f"Spoken answers are not available: {exc}. Answer by typing."
            engine = voice.synthesizer.engine_problem() if voice.synthesizer is not None else None
            return problem, engine

        def done(problems: tuple[str | None, str | None]) -> None:
            recognizer_problem, engine_problem = problems
            if recognizer_problem:
                voice.recognizer = None
                voice.recognizer_problem = recognizer_problem
            if engine_problem:
                log.warning("voice engine: %s", engine_problem)
                if voice.synthesizer is not None and voice.synthesizer.fallback is None:
                    voice.synthesizer = None
                    voice.synthesizer_problem = f"The customer's voice is not available: {engine_problem}."

        self.runner.run(work, done)

    def _build_voice_menu(self) -> None:
        menu = self.menuBar().addMenu("&Voice")
        self.keep_action = QAction("&Keep recordings of my spoken answers", self)
        self.keep_action.setCheckable(True)
        self.keep_action.setChecked(self.settings.value("keep_recordings", "true") == "true")
        self.keep_action.toggled.connect(
            lambda on: self.settings.setValue("keep_recordings", "true" if on else "false")
        )
        menu.addAction(self.keep_action)
        self._action(menu, "&Delete my recordings…", "", self.delete_recordings)
        menu.addSeparator()
        self._action(menu, "Speech recognition &model folder…", "", self.choose_model)

    def _action(self, menu: object, text: str, keys: object, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))  # type: ignore[call-overload]
        action.triggered.connect(slot)
        menu.addAction(action)  # type: ignore[attr-defined]
        self.addAction(action)
        return action

    # -- trainees ------------------------------------------------------------------------

    def set_trainee(self, trainee: Trainee) -> None:
        self.trainee = trainee
        self.settings.setValue("trainee", trainee.id)
        self.settings.setValue("trainee_name", trainee.name)
        self.trainee_label.setText(f"Practising as {trainee.name}")
        self.show_library()

    def switch_trainee(self) -> None:
        store = self.store

        def choose(known: list[Trainee]) -> None:
            name = self.choose_trainee(known)
            if name:
                self.runner.run(lambda: trainees.add(store, name), self.set_trainee)

        self.runner.run(lambda: trainees.listed(store), choose)

    def _ask_trainee(self, known: list[Trainee]) -> str | None:
        from simulator.ui.profile import ProfileDialog

        dialog = ProfileDialog(known, self)
        return dialog.chosen_name() if dialog.exec() else None

    # -- trainer studio -------------------------------------------------------------------

    def open_studio(self) -> None:
        """Only with the trainer passphrase (set on first use); trainees never get past the gate."""
        from simulator.ui.studio.gate import ask_trainer

        if self.studio is not None:
            self.studio.raise_()
            self.studio.activateWindow()
            return
        ask_trainer(self.store, self.runner.run, self, self._open_studio_as)

    def _open_studio_as(self, trainer: str) -> None:
        from simulator.ui.studio.window import StudioWindow

        if self.studio is not None:  # opened meanwhile (the gate was asked for twice)
            self.studio.raise_()
            return
        folder = self.catalog.dirs[0]
        self.studio = StudioWindow(
            folder,
            self.store,
            trainer,
            synchronous=self.runner.synchronous,
            store_run=self.runner.run,
            current_hashes=lambda: {s.id: s.content_hash for s in self.catalog.scenarios},
            settings=self.settings,
        )
        self.studio.review.play_requested.connect(self._play_recording)
        self.studio.review.overridden.connect(self._overridden)
        # Drafts are the studio's own: the library reads the folder again only when one is published.
        self.studio.published.connect(lambda _path: self._scenarios_changed())
        self.studio.destroyed.connect(lambda: setattr(self, "studio", None))
        self.studio.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.studio.show()

    def open_classroom(self) -> None:
        """Groups, assignments, projector and live sessions, reports: trainers only, like the studio."""
        from simulator.ui.studio.gate import ask_trainer

        if self.classroom_window is not None:
            self.classroom_window.raise_()
            self.classroom_window.activateWindow()
            return
        ask_trainer(self.store, self.runner.run, self, self._open_classroom_as)

    def _open_classroom_as(self, trainer: str) -> None:
        from simulator.application.compose import classroom_of
        from simulator.ui.classroom.window import ClassroomWindow

        if self.classroom_window is not None:  # opened meanwhile (the gate was asked for twice)
            self.classroom_window.raise_()
            return
        window = ClassroomWindow(
            classroom_of(self.store),
            lambda: self.catalog.scenarios,
            self.runner.run,
            self.store.path,
            trainer,
            settings=self.settings,
        )
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        window.destroyed.connect(lambda: setattr(self, "classroom_window", None))
        self.classroom_window = window
        window.show()

    def _scenarios_changed(self) -> None:
        self.runner.run(self.catalog.reload, lambda _none: self._show_cards())

    # -- pages ---------------------------------------------------------------------------

    def show_library(self) -> None:
        """Cards at once (from the scenario index while the catalog loads), the trainee's record a moment later."""
        if self.trainee is None:
            return
        self._show_cards()
        self.pages.setCurrentWidget(self.library)
        self.library.search.setFocus()
        trainee_id, store, catalog = self.trainee.id, self.store, self.catalog

        def show(data: trainees.LibraryRecord) -> None:
            stats = data.stats
            open_by_scenario: dict[str, int] = {}
            for record in data.unfinished:
                open_by_scenario.setdefault(record.scenario_id, record.id)  # newest first
            self._records = {
                sid: Record(s.attempts, s.best_score, open_by_scenario.get(sid)) for sid, s in stats.items()
            }
            self.library.set_records(self._records)
            self.library.set_assignments(data.assignments, data.available)

        self.runner.run(lambda: trainees.library(store, trainee_id, catalog.scenarios), show)

    def _assignments_changed(self) -> None:
        if self.pages.currentWidget() is self.library and not self._closing:
            self.show_library()

    def _attempts_changed(self) -> None:
        """An attempt was saved outside this window (a live session): the page on screen reloads."""
        if self._closing:
            return
        if self.pages.currentWidget() is self.library:
            self.show_library()
        elif self._progress is not None and self.pages.currentWidget() is self._progress:
            self.show_progress()

    def _show_cards(self) -> None:
        infos, invalid = self.catalog.infos()
        if [c.scenario for c in self.library.cards] != sorted_infos(infos):
            self.library.set_scenarios(infos, self._records)
        if invalid:
            self.statusBar().showMessage(self._unloadable(invalid))

    def _unloadable(self, invalid: int) -> str:
        """The status line for files the library skipped: the first one by name and why, then how many."""
        first = next((p for p in self.catalog.problems if not p.warning), None) if self.catalog.loaded else None
        if first is None:
            return f"{invalid} scenario file(s) could not be loaded; run 'python -m simulator validate' for details."
        more = f" (and {invalid - 1} more file(s))" if invalid > 1 else ""
        return (
            f"Not loadable: {Path(first.file).name}, line {first.line}: {first.message}{more}; "
            "run 'python -m simulator validate' for details."
        )

    def load_in_background(
        self,
        trainee_is_known: Callable[[list[Trainee]], bool] | None = None,
        *,
        pick: Callable[[list[Trainee]], Trainee | None] | None = None,
    ) -> None:
        """Open the database and load every scenario on the worker, once the window is on screen.

        If the database cannot be opened the person is told why and the window closes; the app
        cannot keep their practice without it. ``trainee_is_known`` checks a trainee remembered
        from the settings against the database, and asks for a profile if it is not there. On a
        first run ``pick`` chooses the trainee from those in the database; None asks for a name.
        """

        store = self.store

        def work() -> list[Trainee]:
            known = trainees.open_and_list(store)
            self.catalog.load()
            return known

        def done(known: list[Trainee]) -> None:
            if self.pages.currentWidget() is self.library:
                self._show_cards()
            chosen = pick(known) if pick is not None else None
            if chosen is not None:
                self.set_trainee(chosen)
                return
            if pick is not None or (trainee_is_known is not None and not trainee_is_known(known)):
                self.trainee = None
                name = self.choose_trainee(known)
                if not name:
                    self.close()
                    return
                self.runner.run(lambda: trainees.add(store, name), self.set_trainee)

        def failed(error: BaseException) -> None:
            if self.startup_failed:
                return
            # Set first: the dialog's event loop may deliver the next queued task's failure.
            self.startup_failed = True
            self._report(error)
            self.close()

        self.runner.run(work, done, failed)

    def show_progress(self) -> None:
        if self.trainee is None:
            return
        trainee_id, store = self.trainee.id, self.store

        def show(records: list[AttemptRecord]) -> None:
            self.progress.set_rows([self._row(r) for r in records])
            self.pages.setCurrentWidget(self.progress)

        self.runner.run(lambda: trainees.attempts(store, trainee_id), show)

    @staticmethod
    def _row(record: AttemptRecord) -> ProgressRow:
        from simulator.core.scoring.catalog import CORE_CRITERIA
        from simulator.ui.progress import ProgressRow

        return ProgressRow(
            attempt_id=record.id,
            started=record.started,
            scenario_id=record.scenario_id,
            scenario_title=record.scenario_title,
            mode=record.mode,
            finished=record.finished,
            outcome=record.outcome,
            score=record.score,
            duration_seconds=record.duration_seconds,
            criteria={k: v for k, v in record.criteria.items() if k in CORE_CRITERIA},
        )

    def set_theme(self, choice: str) -> None:
        self.settings.setValue("theme", choice)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            theme.apply(app, choice)

    # -- an attempt ------------------------------------------------------------------------

    def start(self, scenario_id: str, mode: str) -> None:
        if self.trainee is None:
            return
        self._last = (scenario_id, mode)
        self._last_assignment = None
        self.practice.start(self.trainee.id, self.catalog.get(scenario_id), mode)

    def start_assignment(self, assignment_id: int, *, retry: bool = False) -> None:
        """Start (or resume) an assignment from its card; the new attempt is linked to it once created.

        Its status is read again first: the card may be older than the last attempt. A retry from
        the debrief of a closed assignment starts an ordinary attempt, and says it does not count.
        """
        trainee = self.trainee
        if trainee is None:
            return

        def check() -> StartDecision:
            from simulator.application.assignments import decide_start

            return decide_start(self.store, self.catalog.scenarios, assignment_id, trainee.id)

        def go(decision: StartDecision) -> None:
            from simulator.application.assignments import Start

            assignment = decision.assignment
            if decision.kind is Start.RESUME and decision.open_attempt_id is not None:
                self.resume(decision.open_attempt_id)
                self._last_assignment = assignment_id
                return
            if decision.kind is Start.NOT_HERE or decision.scenario is None:
                QMessageBox.information(
                    self,
                    "Scenario not on this computer",
                    f"“{assignment.title}” is not on this computer. Ask your trainer for its assignment file with "
                    "the scenario included, and open it with Class ▸ Open assignment file….",
                )
                return
            if decision.kind is Start.CLOSED:
                reason = decision.reason[:1].upper() + decision.reason[1:]
                if retry:
                    self.start(assignment.scenario_id, assignment.mode)
                    note = f"This try does not count for the assignment: {decision.reason}."
                    self.statusBar().showMessage(note, 10_000)
                    return
                QMessageBox.information(
                    self,
                    "This assignment is closed",
                    f"{reason}, so a new attempt would not count for “{assignment.title}”. "
                    "You can still practise the scenario from its card under All scenarios.",
                )
                return
            if decision.scenario_differs:
                self.statusBar().showMessage(
                    "Your copy of this scenario differs from the one your trainer assigned; your attempt still counts.",
                    10_000,
                )
            self._last = (assignment.scenario_id, assignment.mode)
            self._last_assignment = assignment_id
            self.practice.start(trainee.id, decision.scenario, assignment.mode, assignment_id=assignment_id)

        def gone(error: BaseException) -> None:
            if not isinstance(error, KeyError):
                self._task_failed(error)
                return
            self.statusBar().showMessage("That assignment is no longer on this computer.", 8000)
            self.show_library()

        self.runner.run(check, go, gone)

    def resume(self, attempt_id: int) -> None:
        if self.classroom.playing_live(attempt_id):
            return  # it is being played in the live-session window, which is brought to the front
        self._last_assignment = None

        def resumed(attempt: LiveAttempt) -> None:
            self._last = (attempt.scenario.id, attempt.mode)
            if attempt.edited_since:
                self.statusBar().showMessage(
                    "This scenario has been edited since you started; your earlier answers keep their scores.", 8000
                )

        self.practice.resume(attempt_id, self.catalog.get, resumed)

    def open_attempt(self, attempt_id: int) -> None:
        """The debrief of a past attempt, as it was scored then (from its saved snapshot, not re-scored),
        with the trainer's overrides applied."""

        def show(debrief: Debrief) -> None:
            self._last = (debrief.scenario.id, debrief.mode)
            self._last_assignment = None
            self._show_debrief(debrief)
            if debrief.edited_since:
                self.statusBar().showMessage(
                    "This scenario has been edited since this attempt; its scores are as they were then.", 8000
                )

        def failed(error: BaseException) -> None:
            from simulator.core.engine import EngineError
            from simulator.core.problems import ScenarioError

            if isinstance(error, (ScenarioError, EngineError, KeyError)):
                self.statusBar().showMessage(
                    "This attempt's scenario has changed or is gone; its debrief cannot be shown.", 8000
                )
            else:
                self._task_failed(error)

        self.practice.debrief(attempt_id, self.catalog.get, show, failed)

    def _show_debrief(self, debrief: Debrief) -> None:
        self.debrief.show_attempt(debrief.scenario, debrief.summary, debrief.history, debrief.spoken, debrief.folder)
        self.pages.setCurrentWidget(self.debrief)

    def _unsent_answer(self) -> str:
        """What the trainee typed in the open conversation and has not sent ('' if nothing)."""
        if self.practice.attempt is None or self.pages.currentWidget() is not self.conversation:
            return ""
        return self.conversation.answer.toPlainText().strip()

    def _may_leave(self) -> bool:
        """Ask before leaving with an unsent answer; one the trainee leaves with is kept for the resume.

        The draft is kept in this data folder's settings under the attempt's id, so it survives a
        restart and comes back in the answer box when that attempt is resumed.
        """
        draft = self._unsent_answer()
        attempt = self.practice.attempt
        if not draft or attempt is None:
            return True
        answer = QMessageBox.question(
            self,
            "Leave with an unsent answer?",
            "You have typed an answer that you have not sent yet.\n\n"
            "Leave anyway? Your answer is kept and put back in the answer box when you resume this attempt.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            self.conversation.answer.setFocus()
            return False
        self.settings.setValue(_draft_key(attempt.id), draft)
        self.settings.sync()
        return True

    def _restore_draft(self, attempt_id: int) -> None:
        key = _draft_key(attempt_id)
        draft = self.settings.value(key)
        if isinstance(draft, str) and draft:
            self.conversation.answer.setPlainText(draft)
            self.conversation.answer.moveCursor(QTextCursor.MoveOperation.End)
            self.statusBar().showMessage("Your unsent answer is back in the answer box.", 6000)
        self.settings.remove(key)

    def leave_conversation(self) -> None:
        if not self._may_leave():
            return
        if self.practice.attempt is not None:
            self.statusBar().showMessage("Your answers are saved. Resume this attempt from the library.", 6000)
        self.practice.leave()
        self.show_library()

    def _attempt_started(self, attempt: LiveAttempt) -> None:
        self._pending_spoken = None
        self._last_audio = None
        self.conversation.begin(attempt.scenario, attempt.practice, list(attempt.session.history))
        self._restore_draft(attempt.id)
        self.conversation.mute_button.setChecked(False)
        phone = attempt.scenario.channel.value == "phone"
        voice = self.voice
        speaking = phone and voice is not None and voice.synthesizer is not None and self.voice_action.isChecked()
        listening = phone and voice is not None and voice.recognizer is not None
        self.conversation.set_voice(speaking, listening)
        if phone and voice is not None:
            self._tell_once(
                voice.synthesizer_problem,
                voice.recognizer_problem,
                None if voice.microphone.available else voice.microphone.problem,
                None if voice.speaker.available else voice.speaker.problem,
            )
        self.pages.setCurrentWidget(self.conversation)
        self._record_attempt(attempt.id)

    def _customer_turn(self, turn: CustomerTurn) -> None:
        self.conversation.show_customer(turn)
        self._pending_spoken = None
        self._speak(turn.text)

    # -- voice -------------------------------------------------------------------------

    def _speaking(self) -> bool:
        attempt = self.practice.attempt
        return (
            attempt is not None
            and attempt.scenario.channel.value == "phone"
            and self.voice is not None
            and self.voice.synthesizer is not None
            and self.voice_action.isChecked()
        )

    def _speak(self, text: str) -> None:
        """Render the line on the voice thread; it plays when ready unless muted or overtaken."""
        attempt = self.practice.attempt
        if not self._speaking() or attempt is None or self.voice is None or self.voice.synthesizer is None:
            return
        from simulator.speech.tts import VoiceSettings

        persona = attempt.scenario.persona.voice
        settings = VoiceSettings(persona.voice, persona.rate, persona.pitch, persona.volume)
        self._speech_token += 1
        token = self._speech_token
        future = self.voice.synthesizer.render(text, settings)
        future.add_done_callback(lambda done: self._voice_bridge.spoken.emit(token, done))

    def _spoken(self, token: int, future: Future[Path]) -> None:
        try:
            path = future.result()
        except Exception as exc:
            self._tell_once(f"The customer's voice is not available ({exc}); read their lines instead.")
            return
        if token != self._speech_token or self._conversation is None:
            return  # a newer line was asked for meanwhile
        self._last_audio = path
        if not self.conversation.mute_button.isChecked() and self.voice is not None:
            self.voice.speaker.play(path)

    def replay(self) -> None:
        if self._last_audio is not None and self.voice is not None:
            self.voice.speaker.play(self._last_audio)
        elif self.conversation.turn is not None:
            self._speak(self.conversation.turn.text)

    def _muted(self, muted: bool) -> None:
        if muted and self.voice is not None:
            self.voice.speaker.stop()

    def _voice_setting(self, on: bool) -> None:
        self.settings.setValue("voice", "true" if on else "false")
        if not on and self.voice is not None:
            self.voice.speaker.stop()
        if self._conversation is not None and self.practice.attempt is not None:
            self.conversation.set_voice(self._speaking(), self.conversation.voice.isVisible())

    def _tell_once(self, *problems: str | None) -> None:
        """Missing sound devices or engines are said once per run; the app carries on in text mode."""
        new = [p.rstrip(".") for p in problems if p and p not in self._voice_told]
        if new:
            self._voice_told.update(p for p in problems if p)
            for problem in new:
                log.warning("voice: %s", problem)
            self.statusBar().showMessage(". ".join(new) + ". You can type your answers.", 15_000)

    def _recording_changed(self, on: bool) -> None:
        if on:
            self._recording_started = now()
            if self.voice is not None:
                self.voice.speaker.stop()  # do not record the customer's voice

    def _recognize(self, clip: Clip, speech_at: float | None) -> None:
        """Recognise on the worker, keep the recording, and put the text in the box to be checked."""
        attempt, trainee, voice = self.practice.attempt, self.trainee, self.voice
        if attempt is None or trainee is None or voice is None or voice.recognizer is None:
            return
        recognizer = voice.recognizer
        turn = attempt.session.current.index if attempt.session.current is not None else 0
        keep = self.keep_action.isChecked()
        folder = self.store.folder
        started = self._recording_started or now()
        before = (started - self.practice.shown_at).total_seconds()
        time_to_start = max(0.0, before) + speech_at if speech_at is not None else None

        def work() -> tuple[str, str | None, float]:
            from simulator.speech.audio import speech_seconds, write_wav
            from simulator.speech.recognizer import audio_data
            from simulator.ui.voice import recording_path

            text = recognizer.transcribe(audio_data(clip)).text
            relative = None
            if keep:
                path = recording_path(folder, trainee.id, attempt.id, turn)
                write_wav(path, clip)
                relative = path.relative_to(folder).as_posix()
            return text, relative, speech_seconds(clip)

        def done(heard: tuple[str, str | None, float]) -> None:
            text, relative, seconds = heard
            if self.practice.attempt is not attempt:
                return
            self._pending_spoken = SpokenAnswer(text, relative, seconds, time_to_start) if text else None
            self.conversation.set_recognized(text)

        def failed(error: BaseException) -> None:
            from simulator.speech.recognizer import RecognizerUnavailable

            if isinstance(error, RecognizerUnavailable):
                self.conversation.voice.say(f"Speech recognition is not available: {error}. Answer by typing.")
                self._tell_once(str(error))
            else:
                self._task_failed(error)

        self.runner.run(work, done, failed)

    def _submit(self, text: str) -> None:
        spoken, self._pending_spoken = self._pending_spoken, None
        if self.practice.attempt is not None:  # a draft kept by a cancelled quit is sent now: never put it back
            self.settings.remove(_draft_key(self.practice.attempt.id))
        self.practice.submit(text, "voice" if spoken else "text", spoken)

    def _play_recording(self, path: Path) -> None:
        if self.voice is None or not self.voice.speaker.available:
            self.statusBar().showMessage("No speakers or headphones were found to play the recording.", 6000)
        elif not path.exists():
            self.statusBar().showMessage("That recording was deleted.", 6000)
        else:
            self.voice.speaker.play(path)

    def delete_recordings(self) -> None:
        if self.trainee is None:
            return
        trainee = self.trainee
        answer = QMessageBox.question(
            self,
            "Delete recordings",
            f"Delete every recording of {trainee.name}'s spoken answers? The answers' text and scores are kept.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        store = self.store
        self.runner.run(
            lambda: trainees.delete_recordings(store, trainee.id),
            lambda count: self.statusBar().showMessage(f"Deleted {count} recording(s).", 6000),
        )

    def choose_model(self) -> None:
        """Point recognition at another faster-whisper model folder (e.g. a larger, more accurate one)."""
        from simulator.speech.recognizer import RecognizerUnavailable, WhisperRecognizer, check_model

        folder = QFileDialog.getExistingDirectory(self, "Choose a faster-whisper model folder")
        if not folder or self.voice is None:
            return
        try:
            check_model(Path(folder), bundled=False)
        except RecognizerUnavailable as exc:
            QMessageBox.warning(self, "Not a model folder", str(exc))
            return
        self.settings.setValue("model_dir", folder)
        self.voice.recognizer = WhisperRecognizer(Path(folder))
        self.statusBar().showMessage(f"Speech recognition now uses {folder}.", 6000)

    def _answer_scored(self, result: TurnResult) -> None:
        self.conversation.show_result(result)
        if self.practice.attempt is not None:
            self._record_attempt(self.practice.attempt.id)

    def _overridden(self, attempt_id: int) -> None:
        """A trainer overrode a verdict: the learning records add a 'scored' statement, the views reload."""
        self._record_attempt(attempt_id)
        self._attempts_changed()

    def _record_attempt(self, attempt_id: int) -> None:
        if self.records_ui is not None:
            self.records_ui.record(attempt_id)  # on the worker, after the save it follows

    def _finished(self, attempt: LiveAttempt) -> None:
        self.practice.leave()
        self._record_attempt(attempt.id)
        self.practice.debrief_of(attempt, self._show_debrief)

    def _answer_failed(self, text: str, error: object) -> None:
        self.conversation.answer_failed(text)
        self._task_failed(error if isinstance(error, BaseException) else RuntimeError(str(error)))

    def _retry(self) -> None:
        if self._last_assignment is not None:
            self.start_assignment(self._last_assignment, retry=True)
        elif self._last is not None:
            self.start(*self._last)

    def _task_failed(self, error: BaseException) -> None:
        if not self.startup_failed:  # once start-up failed, the person has been told and the window closes
            self._report(error)

    def _report(self, error: BaseException) -> None:
        if isinstance(error, StorageError):
            errors.show_storage_error(self, error)
        else:
            errors.show_unexpected(self, error, self.log_path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._closing and not self._may_leave():
            event.ignore()
            return
        # The trainer's classroom goes too; it asks first while its live session runs (Cancel: nothing closes).
        classroom = self.classroom_window
        if classroom is not None and not classroom.close():
            event.ignore()
            return
        # So does the studio; with unsaved edits it asks first (Save, Discard or Cancel: nothing closes).
        if self.studio is not None and not self.studio.close():
            event.ignore()
            return
        self._closing = True
        self.classroom.close_live()
        self.runner.wait()
        if self.records_ui is not None:
            self.records_ui.stop()
        super().closeEvent(event)


def _draft_key(attempt_id: int) -> str:
    return f"drafts/attempt-{attempt_id}"
