"""The main window: library, conversation, debrief and progress pages, and the wiring between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget

from simulator.core.catalog import Catalog
from simulator.core.engine import CustomerTurn, TurnResult
from simulator.core.scoring.catalog import CORE_CRITERIA
from simulator.core.scoring.scorer import RubricScorer
from simulator.storage.database import StorageError
from simulator.storage.store import AttemptRecord, ScenarioStats, Store, Trainee
from simulator.ui import theme
from simulator.ui.conversation import ConversationView
from simulator.ui.errors import show_storage_error, show_unexpected
from simulator.ui.library import LibraryView, Record
from simulator.ui.practice import Attempt, Practice
from simulator.ui.profile import ProfileDialog
from simulator.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from simulator.ui.debrief import DebriefView
    from simulator.ui.progress import ProgressRow, ProgressView


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
    ) -> None:
        super().__init__()
        self.catalog = catalog
        self.store = store
        self.settings = settings
        self.trainee: Trainee | None = None
        self.log_path: Path | None = None
        self.choose_trainee = choose_trainee or self._ask_trainee
        self.runner = TaskRunner(self._task_failed, synchronous=synchronous, parent=self)
        self.practice = Practice(store, self.runner, RubricScorer, self)
        self.setWindowTitle("Empathy Trainer")
        self.resize(1100, 780)

        self.pages = QStackedWidget()
        self.library = LibraryView()
        self.conversation = ConversationView(assets, typing_delay_ms=typing_delay_ms)
        for page in (self.library, self.conversation):
            self.pages.addWidget(page)
        # The debrief and progress pages (charts) are built when first needed: start-up stays quick.
        self._debrief: DebriefView | None = None
        self._progress: ProgressView | None = None
        self.setCentralWidget(self.pages)
        self._build_menus()
        self.trainee_label = QLabel()
        self.saving_label = QLabel()
        self.statusBar().addPermanentWidget(self.saving_label)
        self.statusBar().addPermanentWidget(self.trainee_label)
        if catalog.problems:
            files = sorted({p.file for p in catalog.problems})
            self.statusBar().showMessage(
                f"{len(files)} scenario file(s) could not be loaded; run 'python -m simulator validate' for details."
            )

        self.library.start_requested.connect(self.start)
        self.library.resume_requested.connect(self.resume)
        self.conversation.answer_submitted.connect(self.practice.submit)
        self.conversation.customer_shown.connect(self.practice.customer_shown)
        self.conversation.quit_requested.connect(self.leave_conversation)
        self.practice.started.connect(self._attempt_started)
        self.practice.customer_turn.connect(self._customer_turn)
        self.practice.answer_scored.connect(self._answer_scored)
        self.practice.finished.connect(self._finished)
        self.practice.answer_failed.connect(self._answer_failed)
        self.runner.busy_changed.connect(lambda busy: self.saving_label.setText("Saving…" if busy else "Saved"))
        self._last: tuple[str, str] | None = None

    @property
    def debrief(self) -> DebriefView:
        if self._debrief is None:
            from simulator.ui.debrief import DebriefView

            self._debrief = DebriefView()
            self._debrief.retry_requested.connect(self._retry)
            self._debrief.library_requested.connect(self.show_library)
            self.pages.addWidget(self._debrief)
        return self._debrief

    @property
    def progress(self) -> ProgressView:
        if self._progress is None:
            from simulator.ui.progress import ProgressView

            self._progress = ProgressView()
            self.pages.addWidget(self._progress)
        return self._progress

    # -- menus ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        go = self.menuBar().addMenu("&Go")
        self._action(go, "&Library", "Ctrl+1", self.show_library)
        self._action(go, "&Progress", "Ctrl+2", self.show_progress)
        go.addSeparator()
        self._action(go, "&Switch trainee…", "Ctrl+Shift+S", self.switch_trainee)
        go.addSeparator()
        self._action(go, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        view = self.menuBar().addMenu("&View")
        themes = view.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(self.settings.value("theme", "system"))
        for choice in theme.CHOICES:
            action = themes.addAction(choice.title())
            action.setCheckable(True)
            action.setChecked(choice == current)
            action.triggered.connect(lambda _checked=False, c=choice: self.set_theme(c))
            group.addAction(action)

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
        self.trainee_label.setText(f"Practising as {trainee.name}")
        self.show_library()

    def switch_trainee(self) -> None:
        name = self.choose_trainee(self.store.trainees())
        if name:
            self.runner.run(lambda: self.store.add_trainee(name), self.set_trainee)

    def _ask_trainee(self, trainees: list[Trainee]) -> str | None:
        dialog = ProfileDialog(trainees, self)
        return dialog.chosen_name() if dialog.exec() else None

    # -- pages ---------------------------------------------------------------------------

    def show_library(self) -> None:
        if self.trainee is None:
            return
        trainee_id = self.trainee.id

        def load() -> tuple[dict[str, ScenarioStats], list[AttemptRecord]]:
            return self.store.scenario_stats(trainee_id), self.store.unfinished(trainee_id)

        def show(data: tuple[dict[str, ScenarioStats], list[AttemptRecord]]) -> None:
            stats, unfinished = data
            open_by_scenario: dict[str, int] = {}
            for record in unfinished:
                open_by_scenario.setdefault(record.scenario_id, record.id)  # newest first
            records = {sid: Record(s.attempts, s.best_score, open_by_scenario.get(sid)) for sid, s in stats.items()}
            self.library.set_scenarios(self.catalog.scenarios, records)
            self.pages.setCurrentWidget(self.library)
            self.library.search.setFocus()

        self.runner.run(load, show)

    def show_progress(self) -> None:
        if self.trainee is None:
            return
        trainee_id = self.trainee.id

        def show(records: list[AttemptRecord]) -> None:
            self.progress.set_rows([self._row(r) for r in records])
            self.pages.setCurrentWidget(self.progress)

        self.runner.run(lambda: self.store.attempts(trainee_id), show)

    @staticmethod
    def _row(record: AttemptRecord) -> ProgressRow:
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
        self.practice.start(self.trainee.id, self.catalog.get(scenario_id), mode)

    def resume(self, attempt_id: int) -> None:
        def resume(record: AttemptRecord) -> None:
            scenario = self.catalog.get(record.scenario_id)
            self._last = (record.scenario_id, record.mode)
            self.practice.resume(record, scenario)
            if record.scenario_hash != scenario.content_hash:
                self.statusBar().showMessage(
                    "This scenario has been edited since you started; your earlier answers keep their scores.", 8000
                )

        self.runner.run(lambda: self.store.attempt(attempt_id), resume)

    def leave_conversation(self) -> None:
        if self.practice.attempt is not None:
            self.statusBar().showMessage("Your answers are saved. Resume this attempt from the library.", 6000)
        self.practice.leave()
        self.show_library()

    def _attempt_started(self, attempt: Attempt) -> None:
        self.conversation.begin(attempt.scenario, attempt.practice, list(attempt.session.history))
        self.pages.setCurrentWidget(self.conversation)

    def _customer_turn(self, turn: CustomerTurn) -> None:
        self.conversation.show_customer(turn)

    def _answer_scored(self, result: TurnResult) -> None:
        self.conversation.show_result(result)

    def _finished(self, attempt: Attempt) -> None:
        self.debrief.show_attempt(attempt.scenario, attempt.session.summary(), list(attempt.session.history))
        self.pages.setCurrentWidget(self.debrief)
        self.practice.leave()

    def _answer_failed(self, text: str, error: object) -> None:
        self.conversation.answer_failed(text)
        self._task_failed(error if isinstance(error, BaseException) else RuntimeError(str(error)))

    def _retry(self) -> None:
        if self._last is not None:
            self.start(*self._last)

    def _task_failed(self, error: BaseException) -> None:
        if isinstance(error, StorageError):
            show_storage_error(self, error)
        else:
            show_unexpected(self, error, self.log_path)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.wait()
        super().closeEvent(event)
