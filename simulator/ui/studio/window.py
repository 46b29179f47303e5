"""The studio window: graph, node editor, live problems, undo/redo, save, playtest, review.

Holds no scenario logic: the document (``simulator.core.authoring``) edits and validates,
the engine plays; this window wires them to widgets and commands.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QWidget,
)

from simulator.application import trainer as trainer_account
from simulator.application.compose import Store
from simulator.core.authoring.document import ScenarioDocument
from simulator.core.authoring.drafts import DraftError, Drafts
from simulator.core.loader import load_text
from simulator.core.model import Scenario
from simulator.core.problems import Problem, ScenarioError
from simulator.ui.geometry import fit_window
from simulator.ui.studio import commands
from simulator.ui.studio.graph import GraphView
from simulator.ui.studio.node_editor import NodeEditor
from simulator.ui.studio.playtest import PlaytestPanel
from simulator.ui.studio.review import ReviewView
from simulator.ui.studio.scenario_editor import ScenarioEditor
from simulator.ui.studio.tuning import TuningPanel
from simulator.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
VALIDATE_AFTER_MS = 300


@dataclass(frozen=True)
class Check:
    """What validating one generation of the document found: problems (with their node) or a scenario."""

    generation: int
    problems: list[tuple[Problem, str | None]]
    scenario: Scenario | None


def check(document: ScenarioDocument, name: str) -> Check | None:
    """Validate the document as it is now; runs on the worker (a 300-turn file takes a while).

    None when the trainer edited while the text was being made: a newer check is on its way.
    """
    snapshot = document.snapshot_text()
    if snapshot is None:
        return None
    generation, text = snapshot
    try:
        return Check(generation, [], load_text(text, name))
    except ScenarioError as exc:
        problems = list(exc.problems)
    try:
        copy = ScenarioDocument.from_text(text, name)
    except ScenarioError:
        return Check(generation, [(problem, None) for problem in problems], None)
    return Check(generation, [(problem, copy.node_for_line(problem.line)) for problem in problems], None)


def _open_document(path: Path) -> ScenarioDocument:
    """Read a file and build its round-trip tree and first dump (the slow parts) on the worker."""
    document = ScenarioDocument.from_file(path)
    document.prepare()
    return document


class StudioWindow(QMainWindow):
    """One trainer's studio session; ``trainer`` is the name that goes into the audit log."""

    saved = Signal(Path)  # a draft was written: trainees see nothing of it yet
    published = Signal(Path)  # a published file changed: the library must read it again

    def __init__(
        self,
        folder: Path,
        store: Store,
        trainer: str,
        *,
        synchronous: bool = False,
        current_hashes: Callable[[], dict[str, str]] | None = None,
        store_run: Callable[..., None] | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.folder = folder
        self.drafts = Drafts(folder)
        self.store = store
        self.trainer = trainer
        self.runner = TaskRunner(self._failed, synchronous=synchronous, parent=self)
        # The database is used from one worker only: opened from the main window, the studio's reads and
        # writes go to the main window's runner (``store_run``); its own runner checks and writes files.
        self.store_run: Callable[..., None] = store_run or self.runner.run
        self.document: ScenarioDocument | None = None
        self.path: Path | None = None  # the file the document came from: the draft, or the published file
        self.name: str | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._update_title)
        self.problems: list[tuple[Problem, str | None]] = []
        self.scenario: Scenario | None = None  # the last valid check of the document, for playtest and walks
        self._checked_generation = -1
        self._graph_key: object = None
        self._samples: dict[Path, list[dict[str, Any]]] = {}  # tuning samples of scenarios not open now
        self.setWindowTitle("Empathy Trainer: studio")

        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Scenario file")
        self.chooser.setMinimumWidth(260)
        self.chooser.activated.connect(lambda _i: self._open_chosen())
        self.find_box = QLineEdit()
        self.find_box.setPlaceholderText("Find a node (Ctrl+F)")
        self.find_box.setAccessibleName("Find a node")
        self.find_box.returnPressed.connect(self.find_node)
        self.graph = GraphView()
        self.graph.node_selected.connect(self.select_node)
        self.editor = NodeEditor()
        # Every edit names the document its panel shows: one a panel made on a scenario that is no
        # longer open is dropped, never applied to the one that is (paths are indexes into a file).
        self.editor.edited.connect(lambda path, value: self._edit(self.editor.document, path, value))
        self.editor.add_transition_requested.connect(self.add_transition)
        self.editor.remove_transition_requested.connect(self.remove_transition)
        self.scenario_editor = ScenarioEditor()
        self.scenario_editor.edited.connect(lambda path, value: self._edit(self.scenario_editor.document, path, value))
        self.scenario_editor.insert_requested.connect(self.insert_item)
        self.scenario_editor.remove_requested.connect(self.remove_item)
        self.playtest = PlaytestPanel()
        self.tuning = TuningPanel(lambda work, done: self.runner.run(work, done))
        self.tabs = QTabWidget()
        # The node form is taller than a 1024x700 screen leaves for it: it scrolls instead of pushing the window off.
        self.editor_scroll = QScrollArea()
        self.editor_scroll.setWidgetResizable(True)
        self.editor_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.editor_scroll.setWidget(self.editor)
        self.tabs.addTab(self.editor_scroll, "&Node")
        self.tabs.addTab(self.scenario_editor, "Scenario && &rubric")
        self.tabs.addTab(self.playtest, "&Playtest")
        self.tabs.addTab(self.tuning, "T&une rubric")
        self.coverage = QPlainTextEdit()
        self.coverage.setReadOnly(True)
        self.coverage.setAccessibleName("Path coverage")
        self.coverage.setPlaceholderText(
            "Edit > Walk every path (Ctrl+Shift+W): which turns and endings are never reached."
        )
        self.tabs.addTab(self.coverage, "&Coverage")
        splitter = QSplitter()
        splitter.setObjectName("graphAndEditor")
        splitter.addWidget(self.graph)
        splitter.addWidget(self.tabs)
        splitter.setSizes([760, 520])
        self.pages = QTabWidget()
        self.pages.addTab(splitter, "Scenarios")
        self.review = ReviewView(store, trainer, current_hashes or dict, lambda work, done: self.store_run(work, done))
        self.pages.addTab(self.review, "Review attempts")
        self.pages.currentChanged.connect(self._page_changed)
        self.setCentralWidget(self.pages)

        self.problem_list = QListWidget()
        self.problem_list.setAccessibleName("Problems")
        self.problem_list.setMaximumHeight(self.problem_list.fontMetrics().lineSpacing() * 4 + 12)
        self.problem_list.itemActivated.connect(self._jump_to_problem)
        self.problem_list.itemClicked.connect(self._jump_to_problem)
        dock = self.problems_dock = QDockWidget("Problems", self)
        dock.setObjectName("problems")
        dock.setWidget(self.problem_list)
        dock.setFeatures(QDockWidget.DockWidgetFeature.NoDockWidgetFeatures)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(0 if synchronous else VALIDATE_AFTER_MS)
        self._validate_timer.timeout.connect(self.validate)
        self._build_actions()
        fit_window(self, settings, "studio", QSize(1280, 820))
        self.refresh_files()

    # -- actions ---------------------------------------------------------------------

    def _build_actions(self) -> None:
        bar = QToolBar("Studio")
        bar.setObjectName("studio-toolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        file_menu = self.menuBar().addMenu("&File")
        edit_menu = self.menuBar().addMenu("&Edit")
        view_menu = self.menuBar().addMenu("&View")
        self.new_action = self._action(file_menu, "&New from template…", QKeySequence.StandardKey.New, self.new)
        self._action(file_menu, "&Duplicate…", "Ctrl+Shift+D", self.duplicate)
        self._action(file_menu, "&Import Twine story…", "Ctrl+I", self.import_twine)
        file_menu.addSeparator()
        self.save_action = self._action(file_menu, "&Save draft", QKeySequence.StandardKey.Save, self.save)
        self.publish_action = self._action(file_menu, "&Publish to trainees…", "Ctrl+Shift+P", self.publish)
        self.discard_action = self._action(file_menu, "Discard &draft…", "Ctrl+Shift+K", self.discard_draft)
        file_menu.addSeparator()
        self._action(file_menu, "&Close studio", QKeySequence.StandardKey.Close, self.close)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Redo), QKeySequence("Ctrl+Shift+Z")])
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        self._action(edit_menu, "Add &node…", "Ctrl+Shift+N", self.add_node)
        self._action(edit_menu, "Add &transition", "Ctrl+Shift+T", lambda: self.add_transition(self.editor.node_id))
        self._action(edit_menu, "&Delete node", "Ctrl+Shift+Del", self.delete_node)
        edit_menu.addSeparator()
        self._action(edit_menu, "&Walk every path", "Ctrl+Shift+W", self.walk_paths)
        self._action(edit_menu, "&Find node", QKeySequence.StandardKey.Find, self.find_box.setFocus)
        self._action(view_menu, "&Fit to window", "Ctrl+0", self.graph.fit)
        self._action(view_menu, "Zoom &in", QKeySequence.StandardKey.ZoomIn, lambda: self.graph.zoom(1.2))
        self._action(view_menu, "Zoom &out", QKeySequence.StandardKey.ZoomOut, lambda: self.graph.zoom(1 / 1.2))
        self.minimap_action = self._action(view_menu, "&Minimap", "Ctrl+Shift+M", self._toggle_minimap)
        self.minimap_action.setCheckable(True)
        self.minimap_action.setChecked(True)
        view_menu.addSeparator()
        self._action(view_menu, "&Playtest from the selected node", "F5", self.playtest_here)
        self._action(
            view_menu, "&Scenario and rubric", "Ctrl+Shift+R", lambda: self.tabs.setCurrentWidget(self.scenario_editor)
        )
        self._action(view_menu, "&Tune the rubric", "Ctrl+Shift+U", lambda: self.tabs.setCurrentWidget(self.tuning))
        bar.addWidget(self.chooser)
        for action in (self.new_action, self.save_action, self.publish_action, self.undo_action, self.redo_action):
            bar.addAction(action)
        bar.addSeparator()
        bar.addWidget(self.find_box)

    def _toggle_minimap(self) -> None:
        self.graph.set_minimap_enabled(self.minimap_action.isChecked())

    def _action(self, menu: Any, text: str, shortcut: Any, slot: Any) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        self.addAction(action)
        return action

    def _page_changed(self, index: int) -> None:
        reviewing = self.pages.widget(index) is self.review
        self.problems_dock.setVisible(not reviewing)  # problems concern the scenario being edited
        if reviewing:
            self.review.load_filters()

    # -- files -----------------------------------------------------------------------

    def refresh_files(self, select: Path | None = None) -> None:
        """List every scenario once (its draft if it has one); ``select`` a published or draft path to open."""
        entries = self.drafts.entries()
        self.chooser.clear()
        for entry in entries:
            self.chooser.addItem(entry.label, entry.name)
            where = entry.editing.relative_to(self.folder)
            self.chooser.setItemData(self.chooser.count() - 1, f"Editing {where}", Qt.ItemDataRole.ToolTipRole)
        names = [entry.name for entry in entries]
        wanted = self._name_of(select) if select is not None else self.name
        if wanted not in names:
            wanted = names[0] if names else None
        if wanted is None:
            return
        self.chooser.setCurrentIndex(self.chooser.findData(wanted))
        if wanted != self.name or (select is not None and select != self.path):
            self.open(self.drafts.entry(wanted).editing)

    def _name_of(self, path: Path) -> str | None:
        try:
            return self.drafts.name_of(path)
        except DraftError:
            return None

    def _open_chosen(self) -> None:
        name = str(self.chooser.currentData())
        if name != self.name and self._may_discard():
            self.open(self.drafts.entry(name).editing)
        elif self.name is not None:
            self.chooser.setCurrentIndex(self.chooser.findData(self.name))

    def open(self, path: Path) -> None:
        """Open a file on the worker (a 300-turn file takes a second to parse); the graph shows when ready."""
        self.status.setText(f"Opening {path.name}…")
        self.runner.run(
            lambda: _open_document(path),
            lambda document: self._opened(path, document),
            lambda error: self._open_failed(path, error),
        )

    def _open_failed(self, path: Path, error: BaseException) -> None:
        # A file ruamel cannot even parse: say where, keep the studio open.
        self.status.setText("")
        QMessageBox.warning(self, "Cannot open scenario", f"{path}:\n{error}")
        if self.name is not None:
            self.chooser.setCurrentIndex(self.chooser.findData(self.name))

    def _opened(self, path: Path, document: ScenarioDocument) -> None:
        """Show the newly opened file in every panel: none may keep showing (or editing) the last one."""
        previous, self.document, self.path = self.path, document, path
        self.name = self._name_of(path)
        self.scenario, self._checked_generation = None, -1
        self.undo_stack.clear()
        self._graph_key = None
        start = str(document.get(("start",)) or "")
        if start in document.node_ids():
            self.editor.show_node(document, start)
        else:
            self.editor.show_nothing(document)
        self.scenario_editor.show_document(document)
        self.playtest.forget()
        kept = self.tuning.swap_samples(self._samples.pop(path, []))
        if previous is not None and kept:
            self._samples[previous] = kept
        self.coverage.clear()
        self.find_box.clear()
        self._changed()
        if start in document.node_ids():
            self.graph.select(start)
        self.graph.fit()
        self._update_title()

    def _may_discard(self) -> bool:
        if self.undo_stack.isClean():
            return True
        answer = QMessageBox.question(
            self,
            "Unsaved changes",
            f"{self.path.name if self.path else 'This scenario'} has unsaved changes. Save them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def save(self) -> bool:
        """Write the draft; with problems, only after the trainer says so (never silently).

        Trainees go on playing the published file: only :meth:`publish` changes what they see.
        """
        if self.document is None or self.path is None or self.name is None:
            return False
        self.validate_now()
        if self.problems:
            answer = QMessageBox.warning(
                self,
                "Save a scenario with problems?",
                f"{self.name} has {len(self.problems)} problem(s); it cannot be published until they are "
                "fixed. Save the draft anyway?",
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Save:
                return False
        try:
            target = self.drafts.save_target(self.name)
            self.document.save(target)
        except OSError as exc:
            why = exc.strerror or exc
            QMessageBox.critical(self, "Cannot save", f"The draft of {self.name} could not be written: {why}")
            return False
        first_draft = target != self.path
        self.path = target
        self.undo_stack.setClean()
        self._audit("scenario_saved", {"file": self.name, "draft": True, "problems": len(self.problems)})
        if first_draft:
            self._relabel()
        self.statusBar().showMessage(f"Saved the draft of {self.name}: publish it (Ctrl+Shift+P) for trainees", 8000)
        self._update_title()
        self.saved.emit(target)
        return True

    def publish(self) -> bool:
        """Validate the draft and make it what trainees play; never with a problem, always after asking."""
        if self.document is None or self.name is None:
            return False
        self.validate_now()
        if self.problems:  # checked before saving: unsaved edits stay in the editor, unsaved
            QMessageBox.warning(self, "Cannot publish", _problems_text(self.name, [p for p, _n in self.problems]))
            return False
        if not self.undo_stack.isClean() and not self.save():
            return False
        if not self.drafts.is_draft(self.path or Path()):
            self.statusBar().showMessage(f"{self.name} has no draft: trainees already play it as it is", 8000)
            return False
        answer = QMessageBox.question(
            self,
            "Publish to trainees?",
            f"Publish {self.name}? Trainees will play this version from their next attempt; attempts already "
            "played keep the version they were played on.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.drafts.publish(self.name)
        except ScenarioError as exc:
            QMessageBox.warning(self, "Cannot publish", _problems_text(self.name, list(exc.problems)))
            return False
        except (DraftError, OSError) as exc:
            QMessageBox.critical(self, "Cannot publish", f"{self.name} could not be published: {exc}")
            return False
        self.path = self.drafts.published_path(self.name)
        self._audit("scenario_published", {"file": self.name})
        self._relabel()
        self._update_title()
        self.statusBar().showMessage(f"Published {self.name}: trainees play this version now", 8000)
        self.published.emit(self.path)
        return True

    def discard_draft(self) -> None:
        """Throw the draft away (after asking) and show the published file again, if there is one."""
        if self.name is None or not self.drafts.entry(self.name).draft:
            self.statusBar().showMessage("There is no draft to discard", 5000)
            return
        published = self.drafts.entry(self.name).published
        answer = QMessageBox.question(
            self,
            "Discard the draft?",
            f"Throw away every change to {self.name} since it was last published?"
            if published
            else f"{self.name} was never published: discarding its draft deletes it.",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Discard:
            return
        self.drafts.discard(self.name)
        self._audit("draft_discarded", {"file": self.name})
        self.undo_stack.setClean()
        name, self.name, self.path = self.name, None, None
        if published is not None:
            self.refresh_files(select=published)
        else:
            self.refresh_files()
        self.statusBar().showMessage(f"Discarded the draft of {name}", 5000)

    def _relabel(self) -> None:
        """The chooser's labels after a draft appeared or went (the open file does not change)."""
        for row in range(self.chooser.count()):
            entry = self.drafts.entry(str(self.chooser.itemData(row)))
            if entry.published or entry.draft:
                self.chooser.setItemText(row, entry.label)

    def _audit(self, action: str, detail: dict[str, object]) -> None:
        """Audit entries go through the worker, like every other use of the database."""
        trainer, store = self.trainer, self.store
        self.store_run(lambda: trainer_account.audit(store, trainer, action, detail), lambda _none: None)

    def _ask_id(self, title: str, label: str) -> str | None:
        text, ok = QInputDialog.getText(self, title, label)
        slug = "-".join(text.strip().lower().split())
        if not ok or not slug:
            return None
        if self.drafts.exists(slug):
            QMessageBox.warning(self, title, f"There is already a scenario called {slug} in {self.folder}.")
            return None
        return slug

    def _create(self, slug: str, text: str) -> None:
        """A new scenario is a draft: trainees see it once a trainer publishes it."""
        path = self.drafts.save_target(slug)
        ScenarioDocument.from_text(text, str(path)).save(path)
        self._audit("scenario_created", {"file": slug, "draft": True})
        self.path = self.name = None
        self.refresh_files(select=path)  # opens it

    def new(self) -> None:
        from simulator.core.authoring.templates import new_scenario_text

        if not self._may_discard():
            return
        slug = self._ask_id("New scenario", "Scenario id (lower-case words joined by hyphens):")
        if slug is not None:
            self._create(slug, new_scenario_text(slug, slug.replace("-", " ").capitalize(), "phone"))

    def duplicate(self) -> None:
        from simulator.core.authoring.templates import duplicate_text

        if self.document is None or not self._may_discard():
            return
        slug = self._ask_id("Duplicate scenario", "Id of the copy:")
        if slug is not None:
            title = f"{self.document.get(('title',))} (copy)"
            self._create(slug, duplicate_text(self.document.text(), slug, title))

    def import_twine(self, path: Path | None = None) -> None:
        from simulator.core.authoring.twine import TwineError, import_story

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self, "Import a Twine story", "", "Twine stories (*.twee *.tw *.html *.htm);;All files (*)"
            )
            if not chosen:
                return
            path = Path(chosen)
        if not self._may_discard():
            return
        try:
            result = import_story(path)
        except (TwineError, OSError) as exc:
            QMessageBox.warning(self, "Cannot import", f"{path.name}: {exc}")
            return
        slug = "-".join(path.stem.lower().split()) or "imported"
        while self.drafts.exists(slug):
            slug += "-2"
        self._create(slug, result.text)
        self.last_import_report = result.report
        if result.report:
            QMessageBox.information(
                self,
                "Imported, with notes",
                "What could not be mapped:\n\n" + "\n".join(f"• {r}" for r in result.report),
            )

    # -- editing -----------------------------------------------------------------------

    def set_value(self, path: tuple[str | int, ...], value: object) -> None:
        if self.document is not None:
            self.undo_stack.push(commands.SetValue(self.document, path, value, self._changed))

    def _edit(self, shown: ScenarioDocument | None, path: tuple[str | int, ...], value: object) -> None:
        """A panel's edit, applied only if the panel shows the open document."""
        if shown is not None and shown is self.document:
            self.set_value(path, value)
        else:
            log.warning("dropped an edit of %s made on a scenario that is no longer open", path)

    def insert_item(self, path: tuple[str | int, ...], data: object, label: str) -> None:
        if self.document is not None:
            self.undo_stack.push(commands.InsertItem(self.document, path, data, self._changed, label))

    def remove_item(self, path: tuple[str | int, ...], label: str) -> None:
        if self.document is not None:
            self.undo_stack.push(commands.RemoveItem(self.document, path, self._changed, label))

    def add_node(self) -> None:
        if self.document is None:
            return
        node_id, ok = QInputDialog.getText(self, "Add node", "Id of the new customer turn (e.g. asks_for_refund):")
        node_id = "_".join(node_id.strip().lower().split())
        if not ok or not node_id:
            return
        if node_id in self.document.node_ids() or node_id in self.document.ending_ids():
            QMessageBox.warning(self, "Add node", f"There is already a node called {node_id}.")
            return
        after = self.editor.node_id if self.editor.node_id in self.document.node_ids() else None
        self.undo_stack.push(
            commands.AddNode(self.document, node_id, "What the customer says here.", after, self._changed)
        )
        self.select_node(node_id)

    def delete_node(self) -> None:
        node_id = self.editor.node_id
        if self.document is not None and node_id is not None and node_id in self.document.node_ids():
            self.undo_stack.push(commands.RemoveNode(self.document, node_id, self._changed))

    def add_transition(self, node_id: str | None) -> None:
        if self.document is None or node_id is None or node_id not in self.document.node_ids():
            return
        targets = [*self.document.node_ids(), *self.document.ending_ids()]
        target, ok = QInputDialog.getItem(self, "Add transition", f"From {node_id} to:", targets, 0, False)
        if ok and target:
            # A condition the validator accepts (a criterion this node scores); the trainer edits it next.
            criteria = self.document.get(("nodes", self.document.node_index(node_id), "criteria")) or []
            when = f"missed.{criteria[0]}" if criteria else None
            self.undo_stack.push(commands.AddTransition(self.document, node_id, target, when, 0, self._changed))

    def remove_transition(self, node_id: str, index: int) -> None:
        if self.document is not None:
            self.undo_stack.push(commands.RemoveTransition(self.document, node_id, index, self._changed))

    def select_node(self, node_id: str) -> None:
        if self.document is None:
            return
        if self.editor.node_id != node_id:
            self.editor.show_node(self.document, node_id)
        self.graph.select(node_id)
        if node_id in self.document.node_ids() and self.playtest.node.findText(node_id) >= 0:
            self.playtest.node.setCurrentText(node_id)

    def playtest_here(self) -> None:
        self.tabs.setCurrentWidget(self.playtest)
        self.playtest.restart()

    def walk_paths(self) -> None:
        """Play the scenario with generated good, average and poor answers (on the worker)."""
        from simulator.core.authoring.coverage import walk
        from simulator.core.scoring.scorer import RubricScorer

        scenario = self.scenario if self.document and self._checked_generation == self.document.generation else None
        if scenario is None:
            message = "Fix the problems listed below first" if self.problems else "Still checking the scenario"
            self.coverage.setPlainText(f"{message}: only a valid scenario can be walked.")
        else:
            self.coverage.setPlainText("Walking every path…")
            self.runner.run(
                lambda: walk(scenario, RubricScorer()), lambda report: self.coverage.setPlainText(report.to_text())
            )
        self.tabs.setCurrentWidget(self.coverage)

    def find_node(self) -> None:
        found = self.graph.find_nodes(self.find_box.text())
        if found:
            self.select_node(found[0])
            self.statusBar().showMessage(f"{len(found)} node(s) match", 3000)
        else:
            self.statusBar().showMessage("No node matches", 3000)

    # -- refresh and validation --------------------------------------------------------

    def _changed(self) -> None:
        """After every edit, undo and redo: redraw the graph if its shape changed, revalidate soon."""
        if self.document is None:
            return
        nodes, endings = self.document.node_ids(), self.document.ending_ids()
        edges = self.document.edges()
        key = (tuple(nodes), tuple(endings), tuple(edges))
        if key != self._graph_key:
            self._graph_key = key
            outcomes = {e: str(self.document.get(("endings", i, "outcome")) or "") for i, e in enumerate(endings)}
            self.graph.show_graph(nodes, outcomes, edges, str(self.document.get(("start",)) or ""))
            if self.editor.node_id is not None:
                self.graph.select(self.editor.node_id)
        self.editor.refresh()
        self.scenario_editor.refresh()
        self._update_title()
        if self.runner.synchronous:  # tests: check at once, as the timer would a moment later
            self.validate()
        else:
            self._validate_timer.start()

    def validate(self) -> None:
        """Check the document on the worker; the GUI thread never dumps or loads the text."""
        if self.document is None:
            return
        document, name = self.document, str(self.path or "<new>")
        self.status.setText("Checking…")
        self.runner.run(lambda: check(document, name), lambda found: self._checked(document, found))

    def validate_now(self) -> None:
        """Check at once (before saving): the answer must be about the text about to be written."""
        if self.document is not None:
            self._validate_timer.stop()
            self._checked(self.document, check(self.document, str(self.path or "<new>")))

    def _checked(self, document: ScenarioDocument, found: Check | None) -> None:
        if document is not self.document:
            return  # another file was opened meanwhile
        if found is None or found.generation != document.generation:
            self._validate_timer.start()  # the trainer edited while checking: check the newer text
            return
        self._checked_generation = found.generation
        self._show_problems(found.problems)
        self.scenario = found.scenario
        self.playtest.set_scenario(found.scenario)
        self.tuning.set_scenario(found.scenario)

    def _show_problems(self, found: list[tuple[Problem, str | None]]) -> None:
        self.problems = found
        self.problem_list.clear()
        for problem, node_id in found:
            where = f"{node_id}: " if node_id else ""
            item = QListWidgetItem(f"line {problem.line}: {where}{problem.message}")
            item.setData(Qt.ItemDataRole.UserRole, node_id)
            item.setToolTip(problem.hint or problem.message)
            self.problem_list.addItem(item)
        self.graph.set_problem_nodes({node for _p, node in found if node})
        self.status.setText(f"{len(found)} problem(s)" if found else "No problems")
        if not found:
            drafted = self.path is not None and self.drafts.is_draft(self.path)
            placeholder = QListWidgetItem(
                "No problems: publish it (Ctrl+Shift+P) and trainees can play it."
                if drafted or not self.undo_stack.isClean()
                else "No problems: trainees can play this scenario as it is."
            )
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.problem_list.addItem(placeholder)

    def _jump_to_problem(self, item: QListWidgetItem) -> None:
        node_id = item.data(Qt.ItemDataRole.UserRole)
        if node_id:
            self.select_node(str(node_id))
            self.tabs.setCurrentWidget(self.editor_scroll)

    def _update_title(self, _clean: bool = False) -> None:
        name = self.name or "no scenario"
        if self.path is not None and self.drafts.is_draft(self.path):
            name += " (draft)"
        dirty = "" if self.undo_stack.isClean() else " •"
        self.setWindowTitle(f"{name}{dirty} — Empathy Trainer studio ({self.trainer})")

    def _failed(self, error: BaseException) -> None:
        log.error("studio task failed", exc_info=error)
        QMessageBox.critical(self, "Something went wrong", str(error))

    def closeEvent(self, event: Any) -> None:
        if self._may_discard():
            self.runner.wait()
            event.accept()
        else:
            event.ignore()


def _problems_text(name: str, problems: list[Problem]) -> str:
    shown = "\n".join(f"• line {p.line}: {p.message}" for p in problems[:8])
    more = f"\n… and {len(problems) - 8} more" if len(problems) > 8 else ""
    return f"{name} has {len(problems)} problem(s); trainees would not be able to play it:\n\n{shown}{more}"
