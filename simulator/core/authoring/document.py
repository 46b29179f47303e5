"""A scenario file as an editable round-trip YAML tree.

Trainers keep comments, key order and hand-wrapped lists in their files; the studio must not
throw those away on the first edit. ruamel.yaml keeps comments and order; for what it would still
reformat (long flow lists wrapped by hand), :meth:`ScenarioDocument.text` merges the dump back
into the original text so untouched lines stay byte-for-byte as the trainer wrote them.
Validation always goes through the real loader, so the studio never disagrees with the app.
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Iterator
from difflib import SequenceMatcher
from pathlib import Path as FsPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString, LiteralScalarString, ScalarString

from simulator.core import yamlsafe
from simulator.core.atomic import write_atomically
from simulator.core.loader import load_text, parse
from simulator.core.model import Scenario
from simulator.core.problems import Problem, ScenarioError

Path = tuple[str | int, ...]
Opcode = tuple[str, int, int, int, int]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
PLACEHOLDER_CONDITION = "score >= 60"
FOLD_WIDTH = 96

# Where a key goes when it is added to a mapping that lacks it: the order docs/authoring.md uses,
# so new keys land where a trainer would have typed them (and a deleted key comes back in place).
_TOP_ORDER = (
    "$schema",
    "format",
    "id",
    "title",
    "summary",
    "channel",
    "difficulty",
    "estimated_minutes",
    "learning_objectives",
    "max_turns",
    "persona",
    "variables",
    "rubric",
    "start",
    "nodes",
    "endings",
)
_NODE_ORDER = ("id", "say", "hint", "model_answer", "criteria", "transitions", "otherwise")
_TRANSITION_ORDER = ("when", "to", "mood", "set", "note")
_ENDING_ORDER = ("id", "outcome", "title", "say", "debrief")
_PERSONA_ORDER = ("name", "role", "mood", "avatar", "voice", "backstory")
_CRITERION_ORDER = (
    "id",
    "label",
    "weight",
    "auto_fail",
    "phrases",
    "patterns",
    "feedback",
    "example",
    "exemplars",
    "counterexamples",
)
_FLOW_KEYS = {"set", "voice", "criteria", "learning_objectives", "phrases", "patterns"}


class DocumentError(ValueError):
    """An edit that cannot be made (unknown id, id already used, path that is not there)."""


def _new_yaml() -> YAML:
    """One round-trip YAML per document: ruamel's YAML objects are not safe to share across threads."""
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    # Never re-wrap lines: a wide limit keeps long plain scalars (hints) on the line they were on.
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _lines(text: str) -> list[str]:
    return text.splitlines(keepends=True)


def _opcodes(a: list[str], b: list[str]) -> list[Opcode]:
    return [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes()]


def fold_positions(text: str, width: int = FOLD_WIDTH) -> list[int]:
    """Indexes of the spaces where a folded block scalar should break, so new text wraps near ``width``."""
    positions: list[int] = []
    line_start = 0
    last_space = -1
    for index, char in enumerate(text):
        if char == "\n":
            line_start, last_space = index + 1, -1
            continue
        if char == " " and 0 < index < len(text) - 1 and text[index - 1] != " " and text[index + 1] not in " \n":
            last_space = index
        if index - line_start >= width and last_space > line_start:
            positions.append(last_space)
            line_start, last_space = last_space + 1, -1
    return positions


def merge_text(original: str, baseline: str, new: str, original_ops: list[Opcode] | None = None) -> str:
    """``new`` with every line that did not change since ``baseline`` spelled as in ``original``.

    ``baseline`` is the dump of the unedited tree and ``original`` the file it came from; they differ
    only where the dumper reformats (hand-wrapped flow lists). Those stretches are copied from
    ``original`` when the edit left them alone, and taken from ``new`` when it touched them.
    """
    if new == baseline:
        return original
    o_lines, b_lines, n_lines = _lines(original), _lines(baseline), _lines(new)
    ob = original_ops if original_ops is not None else _opcodes(o_lines, b_lines)
    out: list[str] = []
    for tag, i1, i2, j1, j2 in _opcodes(b_lines, n_lines):
        if tag != "equal":
            out.extend(n_lines[j1:j2])
            continue
        out.extend(_original_span(ob, o_lines, b_lines, i1, i2))
    return "".join(out)


def _original_span(ob: list[Opcode], o_lines: list[str], b_lines: list[str], i1: int, i2: int) -> Iterator[str]:
    """Baseline lines ``i1:i2`` (unchanged by the edit), spelled as in the original where possible."""
    for tag, o1, o2, b1, b2 in ob:
        if b2 <= i1 and not (b1 == b2 == i1):
            continue
        if b1 >= i2 and not (b1 == b2 == i2 == len(b_lines)):
            break
        if tag == "equal":
            lo, hi = max(b1, i1), min(b2, i2)
            yield from o_lines[o1 + (lo - b1) : o1 + (hi - b1)]
        elif i1 <= b1 and b2 <= i2:
            yield from o_lines[o1:o2]  # the whole reformatted stretch is untouched: keep the original
        else:
            yield from b_lines[max(b1, i1) : min(b2, i2)]


def _key_order(path: Path) -> tuple[str, ...]:
    """The documented key order for the mapping at ``path`` (empty when there is none)."""
    shape = tuple("#" if isinstance(part, int) else part for part in path)
    return {
        (): _TOP_ORDER,
        ("persona",): _PERSONA_ORDER,
        ("rubric", "#"): _CRITERION_ORDER,
        ("nodes", "#"): _NODE_ORDER,
        ("nodes", "#", "transitions", "#"): _TRANSITION_ORDER,
        ("nodes", "#", "otherwise"): _TRANSITION_ORDER,
        ("endings", "#"): _ENDING_ORDER,
    }.get(shape, ())


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def to_yaml(value: Any, old: Any = None, key: str | int | None = None) -> Any:
    """Plain Python ``value`` as a round-trip node styled like ``old`` (the value it replaces).

    ruamel values (say, the old value an undo puts back) pass through untouched, so their
    comments and formatting come back exactly. Text with line breaks becomes a ``|`` block,
    text replacing a ``>`` block stays folded; short lists of plain values are written ``[a, b]``.
    """
    if isinstance(value, CommentedMap | CommentedSeq | ScalarString):
        return value
    if isinstance(value, str):
        if isinstance(old, ScalarString) and old.endswith("\n") and value and not value.endswith("\n"):
            value += "\n"  # keep the block's '>' or '|' rather than turning it into '>-'
        if "\n" in value.rstrip("\n"):
            return LiteralScalarString(value)
        if isinstance(old, FoldedScalarString) or (old is None and len(value) > FOLD_WIDTH):
            folded = FoldedScalarString(value)
            folded.fold_pos = fold_positions(value)
            return folded
        return value
    if isinstance(value, dict):
        mapping = CommentedMap()
        for item_key, item in value.items():
            previous = old.get(item_key) if isinstance(old, dict) else None
            mapping[item_key] = to_yaml(item, previous, item_key)
        was_flow = isinstance(old, CommentedMap) and old.fa.flow_style()
        if value and (was_flow or (old is None and key in _FLOW_KEYS)) and all(_is_scalar(v) for v in value.values()):
            mapping.fa.set_flow_style()
        return mapping
    if isinstance(value, list | tuple):
        sequence = CommentedSeq()
        for index, item in enumerate(value):
            previous = old[index] if isinstance(old, list) and index < len(old) else None
            sequence.append(to_yaml(item, previous))
        plain = all(_is_scalar(v) and not (isinstance(v, str) and "\n" in v) for v in value)
        was_flow = isinstance(old, CommentedSeq) and old.fa.flow_style()
        was_block = isinstance(old, CommentedSeq) and not old.fa.flow_style() and len(old) > 0
        if plain and not was_block and (was_flow or key in _FLOW_KEYS or not value):
            sequence.fa.set_flow_style()
        return sequence
    return value


class ScenarioDocument:
    """One scenario file being edited: a round-trip YAML tree plus the text it was read from.

    Edits go through :meth:`set` and the node/transition helpers, each returning what an undo
    command needs to put things back. ``get`` returns live ruamel values: read them, do not mutate
    them (use ``set``), so the document always knows what changed.

    Opening is cheap (the fast C parser checks the text); the round-trip tree, which takes the
    pure-Python ruamel parser about 2 ms per turn, is built on first use. A copy made only to check
    the text (the studio's background validation) never pays for it.

    Threads: edits happen on one thread (the studio's GUI thread). :meth:`snapshot_text` may run on
    another while edits go on; every edit bumps :attr:`generation`, and a snapshot that saw one
    happen is thrown away rather than trusted.
    """

    def __init__(self, text: str, name: str = "<scenario>") -> None:
        self.name = name
        self._yaml = _new_yaml()
        self._tree_value: CommentedMap | None = None
        self._original = text
        self._baseline: str | None = None  # the dump of the tree before the first edit
        self._original_ops: list[Opcode] | None = None
        self._dirty = False
        self._text_cache: str | None = None
        self._positions: tuple[str, list[tuple[int, str | None]]] | None = None
        self._dump_cache: str | None = None  # the dump behind _text_cache: the next baseline after a save
        self._lock = threading.Lock()
        self.generation = 0

    # -- reading and writing ---------------------------------------------------

    @classmethod
    def from_text(cls, text: str, name: str = "<scenario>") -> ScenarioDocument:
        """Open ``text``; raises :class:`ScenarioError` when it is not a YAML mapping at all.

        A file that is YAML but not yet a valid scenario opens fine: :meth:`problems` says what
        is wrong, so the trainer can fix it in the studio.
        """
        data, source = parse(text, name)
        document = cls(text, name)
        document._positions = (text, _starts(data, source))
        return document

    @classmethod
    def from_file(cls, path: str | os.PathLike[str]) -> ScenarioDocument:
        """Read a scenario file (UTF-8); the file name is used in problems."""
        file = FsPath(path)
        try:
            text = file.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            raise ScenarioError(
                [Problem(str(file), 1, 1, "file is not UTF-8 text", "save the file as UTF-8 in your editor")]
            ) from None
        return cls.from_text(text, str(file))

    @property
    def _tree(self) -> CommentedMap:
        if self._tree_value is None:
            try:
                tree = _new_yaml().load(self._original)
            except (YAMLError, ValueError, RecursionError) as exc:
                line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
                raise ScenarioError([Problem(self.name, line, 1, f"YAML error: {exc}")]) from None
            if not isinstance(tree, CommentedMap):
                raise ScenarioError([Problem(self.name, 1, 1, "a scenario file must be a mapping")])
            self._tree_value = tree
        return self._tree_value

    def prepare(self) -> None:
        """Build the round-trip tree and the unedited dump now (on a worker), not on the first edit."""
        if self._baseline is None:
            self._baseline = self._dump(_new_yaml())

    def text(self) -> str:
        """The scenario as YAML: edited parts as dumped, untouched lines exactly as in the file."""
        if not self._dirty or self._baseline is None:
            return self._original
        if self._text_cache is not None:
            return self._text_cache
        new = self._dump()
        result = self._merged(new, self.generation)
        self._text_cache, self._dump_cache = result, new
        return result

    def snapshot_text(self) -> tuple[int, str] | None:
        """``(generation, text)`` computed on any thread; None when an edit happened meanwhile.

        The dump is the slow part of checking a large file (a third of a second for 300 turns), so
        the studio makes it on its worker while the trainer keeps typing. A dump that raced an edit
        may be inconsistent or fail; both are detected by the generation changing and discarded.
        """
        with self._lock:
            generation = self.generation
            if not self._dirty or self._baseline is None:
                return generation, self._original
            if self._text_cache is not None:
                return generation, self._text_cache
        try:
            new = self._dump(_new_yaml())
            result = self._merged(new, generation)
        except Exception:
            if self.generation != generation:
                return None
            raise
        with self._lock:
            if self.generation != generation:
                return None
            self._text_cache, self._dump_cache = result, new
        return generation, result

    def _merged(self, new: str, generation: int) -> str:
        if new == self._baseline:
            result = self._original
        elif self._original == self._baseline:
            result = new
        else:
            ops = self._original_ops
            if ops is None:
                ops = _opcodes(_lines(self._original), _lines(str(self._baseline)))
                with self._lock:
                    if self.generation == generation:  # else a save changed the original meanwhile
                        self._original_ops = ops
            result = merge_text(self._original, str(self._baseline), new, ops)
            if result != new and not _same_data(result, new):
                result = new  # the merge must never change meaning; the plain dump is always right
        return result

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the text atomically: a crash mid-save leaves the old file, never half a file."""
        target = FsPath(path)
        text = self.text()
        write_atomically(target, text.encode("utf-8"))
        self.name = str(target)
        # The saved text is the new original; the dump it came from is its baseline (None: dump later).
        with self._lock:
            baseline = self._dump_cache if self._dirty else self._baseline
            self._original, self._baseline, self._original_ops = text, baseline, None
            self._dirty, self._text_cache, self._dump_cache = False, None, None
            self.generation += 1

    def _dump(self, yaml: YAML | None = None) -> str:
        stream = io.StringIO()
        (yaml or self._yaml).dump(self._tree, stream)
        return stream.getvalue()

    def _before_edit(self) -> None:
        """Call before every change: the first one records the unedited dump the merge needs."""
        if self._baseline is None:
            self._baseline = self._dump()
        with self._lock:
            self.generation += 1
            self._dirty = True
            self._text_cache = self._dump_cache = None
            self._positions = None

    # -- values ----------------------------------------------------------------

    def get(self, path: Path) -> Any:
        """The value at ``path`` (keys and list indexes), or None when there is none."""
        value: Any = self._tree
        for part in path:
            if isinstance(value, dict) and isinstance(part, str):
                value = value.get(part)
            elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
                value = value[part]
            else:
                return None
        return value

    def set(self, path: Path, value: Any) -> Any:
        """Put ``value`` at ``path`` and return the value it replaced (None if there was none).

        ``None`` removes the key (or list item). Setting the returned old value back restores the
        text exactly, which is what the studio's undo relies on.
        """
        if not path:
            raise DocumentError("cannot replace the whole document")
        parent_path, key = path[:-1], path[-1]
        parent = self.get(parent_path)
        if parent is None:
            if value is None:
                return None
            if not parent_path or not isinstance(key, str):
                raise DocumentError(f"no value at {_show(parent_path)}")
            self.set(parent_path, CommentedMap())
            parent = self.get(parent_path)
        self._before_edit()
        if isinstance(parent, CommentedMap) and isinstance(key, str):
            old = parent.get(key)
            if value is None:
                if key in parent:
                    del parent[key]
                return old
            new = to_yaml(value, old, key)
            if key in parent:
                parent[key] = new
            else:
                parent.insert(_insert_position(parent, key, _key_order(parent_path)), key, new)
            return old
        if isinstance(parent, list) and isinstance(key, int) and 0 <= key <= len(parent):
            old = parent[key] if key < len(parent) else None
            if value is None:
                if key < len(parent):
                    del parent[key]
                return old
            if key == len(parent):
                parent.append(to_yaml(value, None))
            else:
                parent[key] = to_yaml(value, old)
            return old
        raise DocumentError(f"cannot set {_show(path)}: {_show(parent_path)} is not a mapping or list of that kind")

    def insert_item(self, path: Path, data: Any) -> None:
        """Insert ``data`` into the list at ``path[:-1]`` before index ``path[-1]`` (the list is created).

        ``set`` replaces a list item; adding a rubric criterion or an objective needs an insert,
        and undoing a removal must put the item back where it was, not over its neighbour.
        """
        parent_path, index = path[:-1], path[-1]
        if not isinstance(index, int):
            raise DocumentError(f"{_show(path)} is not a list position")
        items = self.get(parent_path)
        if items is None:
            self.set(parent_path, [])
            items = self.get(parent_path)
        if not isinstance(items, list) or not 0 <= index <= len(items):
            raise DocumentError(f"cannot insert at {_show(path)}")
        self._before_edit()
        items.insert(index, to_yaml(data))

    def remove_item(self, path: Path) -> Any:
        """Remove the list item at ``path`` and return it (for :meth:`insert_item` to undo)."""
        items, index = self.get(path[:-1]), path[-1]
        if not isinstance(items, list) or not isinstance(index, int) or not 0 <= index < len(items):
            raise DocumentError(f"no list item at {_show(path)}")
        self._before_edit()
        return items.pop(index)

    # -- nodes, endings and transitions ---------------------------------------

    def node_ids(self) -> list[str]:
        """Customer-turn ids in file order."""
        return [str(node.get("id")) for node in self._items("nodes")]

    def ending_ids(self) -> list[str]:
        """Ending ids in file order."""
        return [str(ending.get("id")) for ending in self._items("endings")]

    def node_index(self, node_id: str) -> int:
        """Position of a node in ``nodes`` (what paths use); KeyError when there is no such node."""
        for index, node in enumerate(self._items("nodes")):
            if node.get("id") == node_id:
                return index
        raise KeyError(node_id)

    def ending_index(self, ending_id: str) -> int:
        for index, ending in enumerate(self._items("endings")):
            if ending.get("id") == ending_id:
                return index
        raise KeyError(ending_id)

    def add_node(self, node_id: str, text: str, after: str | None = None) -> int:
        """Add a minimal turn (the line, the rubric's criteria, a fallback) and return its index.

        The fallback goes to the first ending (or the start if there is none yet), so the new
        node is valid apart from being unreachable until a transition leads to it.
        """
        self._check_new_id(node_id)
        nodes = self._sequence("nodes")
        index = self.node_index(after) + 1 if after is not None else len(nodes)
        rubric = [str(spec.get("id")) for spec in self._items("rubric") if spec.get("id")]
        endings = self.ending_ids()
        fallback = endings[0] if endings else str(self.get(("start",)) or node_id)
        node = to_yaml({"id": node_id, "say": text, "criteria": rubric, "otherwise": {"to": fallback}})
        self._before_edit()
        nodes.insert(index, node)
        return index

    def remove_node(self, node_id: str) -> tuple[int, Any]:
        """Remove a node; returns ``(index, data)`` for :meth:`insert_node` to undo it."""
        index = self.node_index(node_id)
        self._before_edit()
        return index, self._sequence("nodes").pop(index)

    def insert_node(self, index: int, data: Any) -> None:
        """Put a node (e.g. one :meth:`remove_node` returned) back at ``index``."""
        self._before_edit()
        self._sequence("nodes").insert(index, to_yaml(data))

    def add_transition(self, node_id: str, to: str, when: str | None = None, mood: int = 0) -> int:
        """Append a transition; without ``when`` it gets a placeholder condition that validates."""
        index = self.node_index(node_id)
        data: dict[str, Any] = {"when": when or PLACEHOLDER_CONDITION, "to": to}
        if mood:
            data["mood"] = mood
        transitions = self.get(("nodes", index, "transitions"))
        if not isinstance(transitions, list):
            self.set(("nodes", index, "transitions"), [])
            transitions = self.get(("nodes", index, "transitions"))
        self._before_edit()
        transitions.append(to_yaml(data))
        return len(transitions) - 1

    def remove_transition(self, node_id: str, index: int) -> Any:
        """Remove transition ``index`` of a node and return it; an emptied list is removed too."""
        node_index = self.node_index(node_id)
        transitions = self.get(("nodes", node_index, "transitions"))
        if not isinstance(transitions, list) or not 0 <= index < len(transitions):
            raise DocumentError(f"node {node_id!r} has no transition {index}")
        self._before_edit()
        data = transitions.pop(index)
        if not transitions:
            self.set(("nodes", node_index, "transitions"), None)
        return data

    def insert_transition(self, node_id: str, index: int, data: Any) -> None:
        """Put a transition back at ``index`` (the undo of :meth:`remove_transition`)."""
        node_index = self.node_index(node_id)
        if not isinstance(self.get(("nodes", node_index, "transitions")), list):
            self.set(("nodes", node_index, "transitions"), [])
        self._before_edit()
        self.get(("nodes", node_index, "transitions")).insert(index, to_yaml(data))

    def add_ending(self, ending_id: str, outcome: str, title: str) -> int:
        """Append an ending with a placeholder debrief; returns its index."""
        self._check_new_id(ending_id)
        endings = self._sequence("endings")
        data = {
            "id": ending_id,
            "outcome": outcome,
            "title": title,
            "debrief": "What the trainee should take away from this ending.",
        }
        self._before_edit()
        endings.append(to_yaml(data))
        return len(endings) - 1

    def rename_node(self, old: str, new: str) -> int:
        """Rename a node or ending and every ``to:`` and ``start`` naming it; returns references changed."""
        if old == new:
            return 0
        self._check_new_id(new)
        item = self.get(("nodes", self.node_index(old))) if old in self.node_ids() else None
        if item is None:
            item = self.get(("endings", self.ending_index(old)))
        self._before_edit()
        item["id"] = new
        changed = 0
        if self.get(("start",)) == old:
            self._tree["start"] = new
            changed += 1
        for node in self._items("nodes"):
            for transition in [*(node.get("transitions") or []), node.get("otherwise")]:
                if isinstance(transition, dict) and transition.get("to") == old:
                    transition["to"] = new
                    changed += 1
        return changed

    # -- checking and the graph ------------------------------------------------

    def problems(self) -> list[Problem]:
        """Every problem the real loader finds in the current text (empty when it loads)."""
        try:
            load_text(self.text(), self.name)
        except ScenarioError as exc:
            return list(exc.problems)
        return []

    def scenario(self) -> Scenario | None:
        """The loaded scenario (for a playtest), or None while the text has problems."""
        try:
            return load_text(self.text(), self.name)
        except ScenarioError:
            return None

    def node_for_line(self, line: int) -> str | None:
        """The node or ending whose text holds 1-based ``line`` of :meth:`text`, so a problem can be opened."""
        text = self.text()
        if self._positions is None or self._positions[0] != text:
            try:
                data, source = yamlsafe.load(text)
            except yamlsafe.YamlError:
                return None
            self._positions = (text, _starts(data, source) if isinstance(data, dict) else [])
        found: str | None = None
        for start, item_id in self._positions[1]:
            if start > line:
                break
            found = item_id
        return found

    def edges(self) -> list[tuple[str, str, str]]:
        """(from node, to node or ending, label) for every transition and fallback, in file order.

        The label is the condition (or "otherwise") with the mood change, as the graph shows it.
        """
        found: list[tuple[str, str, str]] = []
        for node in self._items("nodes"):
            source = str(node.get("id"))
            transitions = node.get("transitions")
            for transition in transitions if isinstance(transitions, list) else []:
                if isinstance(transition, dict) and transition.get("to") is not None:
                    found.append((source, str(transition["to"]), _label(str(transition.get("when", "")), transition)))
            otherwise = node.get("otherwise")
            if isinstance(otherwise, dict) and otherwise.get("to") is not None:
                found.append((source, str(otherwise["to"]), _label("otherwise", otherwise)))
        return found

    # -- internals -------------------------------------------------------------

    def _items(self, key: str) -> list[Any]:
        """The mappings under a top-level list (skipping anything malformed a trainer typed)."""
        items = self._tree.get(key)
        return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []

    def _sequence(self, key: str) -> Any:
        items = self._tree.get(key)
        if not isinstance(items, list):
            self.set((key,), [])
            items = self._tree[key]
        return items

    def _check_new_id(self, item_id: str) -> None:
        if not ID_PATTERN.match(item_id) or len(item_id) > 64:
            raise DocumentError(f"{item_id!r} is not a valid id: use lowercase letters, digits, - and _")
        if item_id in self.node_ids() or item_id in self.ending_ids():
            raise DocumentError(f"the id {item_id!r} is already used")


def _label(condition: str, transition: dict[str, Any]) -> str:
    mood = transition.get("mood")
    if isinstance(mood, int) and not isinstance(mood, bool) and mood:
        return f"{condition} · mood {mood:+d}"
    return condition


def _show(path: Path) -> str:
    return "/".join(str(part) for part in path) or "the document"


def _insert_position(mapping: dict[str, Any], key: str, order: tuple[str, ...]) -> int:
    """Where ``key`` goes: before the first existing key the documented order puts after it."""
    if key not in order:
        return len(mapping)
    rank = order.index(key)
    for position, existing in enumerate(mapping):
        if existing in order and order.index(existing) > rank:
            return position
    return len(mapping)


def _starts(data: dict[str, Any], source: yamlsafe.SourceMap) -> list[tuple[int, str | None]]:
    """(first line, id) of every node and ending, and (line, None) of every other top-level key."""
    starts: list[tuple[int, str | None]] = []
    for key, value in data.items():
        starts.append((source.key((key,))[0], None))
        if key in ("nodes", "endings") and isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict) and item.get("id") is not None:
                    starts.append((source.value((key, index))[0], str(item["id"])))
    return sorted(starts, key=lambda pair: pair[0])


def _same_data(a: str, b: str) -> bool:
    """Whether two YAML texts hold the same values (the merge's safety check)."""
    try:
        return bool(yamlsafe.load(a)[0] == yamlsafe.load(b)[0])
    except yamlsafe.YamlError:
        return False
