"""Undoable edits of a scenario document: every change the studio makes goes through one of these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from simulator.core.authoring.document import ScenarioDocument

Path = tuple[str | int, ...]


class DocumentCommand(QUndoCommand):
    """Base: calls ``changed`` after do and undo so the views refresh and validation reruns."""

    def __init__(self, document: ScenarioDocument, text: str, changed: Callable[[], None]) -> None:
        super().__init__(text)
        self.document = document
        self.changed = changed


class SetValue(DocumentCommand):
    """Set one value (a hint, a line, a weight…); typing in the same field merges into one step."""

    MERGE_ID = 1

    def __init__(
        self, document: ScenarioDocument, path: Path, value: Any, changed: Callable[[], None], label: str = ""
    ) -> None:
        super().__init__(document, label or f"Edit {'.'.join(str(p) for p in path[-2:])}", changed)
        self.path = path
        self.value = value
        self.old: Any = document.get(path)

    def id(self) -> int:
        return self.MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetValue) or other.path != self.path:
            return False
        self.value = other.value
        return True

    def redo(self) -> None:
        self.document.set(self.path, self.value)
        self.changed()

    def undo(self) -> None:
        self.document.set(self.path, self.old)
        self.changed()


class AddNode(DocumentCommand):
    def __init__(
        self, document: ScenarioDocument, node_id: str, text: str, after: str | None, changed: Callable[[], None]
    ) -> None:
        super().__init__(document, f"Add node {node_id}", changed)
        self.node_id, self.line, self.after = node_id, text, after

    def redo(self) -> None:
        self.document.add_node(self.node_id, self.line, after=self.after)
        self.changed()

    def undo(self) -> None:
        self.document.remove_node(self.node_id)
        self.changed()


class RemoveNode(DocumentCommand):
    def __init__(self, document: ScenarioDocument, node_id: str, changed: Callable[[], None]) -> None:
        super().__init__(document, f"Delete node {node_id}", changed)
        self.node_id = node_id
        self.index = 0
        self.data: Any = None

    def redo(self) -> None:
        self.index, self.data = self.document.remove_node(self.node_id)
        self.changed()

    def undo(self) -> None:
        self.document.insert_node(self.index, self.data)
        self.changed()


class AddTransition(DocumentCommand):
    def __init__(
        self,
        document: ScenarioDocument,
        node_id: str,
        target: str,
        when: str | None,
        mood: int,
        changed: Callable[[], None],
    ) -> None:
        super().__init__(document, f"Add transition {node_id} → {target}", changed)
        self.node_id, self.target, self.when, self.mood = node_id, target, when, mood
        self.index = -1

    def redo(self) -> None:
        self.index = self.document.add_transition(self.node_id, self.target, when=self.when, mood=self.mood)
        self.changed()

    def undo(self) -> None:
        self.document.remove_transition(self.node_id, self.index)
        self.changed()


class RemoveTransition(DocumentCommand):
    def __init__(self, document: ScenarioDocument, node_id: str, index: int, changed: Callable[[], None]) -> None:
        super().__init__(document, f"Delete transition {index + 1} of {node_id}", changed)
        self.node_id, self.index = node_id, index
        self.data: Any = None

    def redo(self) -> None:
        self.data = self.document.remove_transition(self.node_id, self.index)
        self.changed()

    def undo(self) -> None:
        self.document.insert_transition(self.node_id, self.index, self.data)
        self.changed()


class InsertItem(DocumentCommand):
    """Insert into a list (a rubric criterion, an objective); undo removes it again."""

    def __init__(
        self, document: ScenarioDocument, path: Path, data: Any, changed: Callable[[], None], label: str
    ) -> None:
        super().__init__(document, label, changed)
        self.path, self.data = path, data

    def redo(self) -> None:
        self.document.insert_item(self.path, self.data)
        self.changed()

    def undo(self) -> None:
        self.document.remove_item(self.path)
        self.changed()


class RemoveItem(DocumentCommand):
    """Remove a list item; undo puts the very same item (comments and all) back in its place."""

    def __init__(self, document: ScenarioDocument, path: Path, changed: Callable[[], None], label: str) -> None:
        super().__init__(document, label, changed)
        self.path = path
        self.data: Any = None

    def redo(self) -> None:
        self.data = self.document.remove_item(self.path)
        self.changed()

    def undo(self) -> None:
        self.document.insert_item(self.path, self.data)
        self.changed()
