"""The scenario as a small graph, with the path a trainee took drawn over the paths not taken.

Every node and ending is a labelled box, laid out left to right in layers by
breadth-first distance from ``scenario.start``; every transition is an arrow.
Boxes and arrows on the trainee's path are bold and in ``style.ACCENT``, the
rest faint; endings are tinted by their outcome.
"""

from __future__ import annotations

import html
import math
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPathItem,
    QGraphicsPolygonItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from simulator.core.engine import TurnResult
from simulator.core.model import Ending, Node, Scenario
from simulator.ui import style

BOX_HEIGHT = 28.0
GAP_X = 64.0
GAP_Y = 26.0
PADDING_X = 10.0
MAX_SCALE = 1.25
VIEW_HEIGHT = 220


def humanize(identifier: str) -> str:
    """``wants_supervisor`` -> ``wants supervisor``: ids as short readable labels."""
    return identifier.replace("_", " ").replace("-", " ")


def successors(node: Node) -> list[str]:
    """Where a node can lead, in transition order, each target once."""
    targets = [t.to for t in node.transitions] + [node.otherwise.to]
    return list(dict.fromkeys(targets))


def layers(scenario: Scenario) -> list[list[str]]:
    """Node and ending ids grouped by BFS distance from the start; unreachable ones last."""
    known = [n.id for n in scenario.nodes] + [e.id for e in scenario.endings]
    nodes = {n.id: n for n in scenario.nodes}
    depth = {scenario.start: 0}
    queue = deque([scenario.start])
    while queue:
        current = queue.popleft()
        node = nodes.get(current)
        for target in successors(node) if node else []:
            if target not in depth:
                depth[target] = depth[current] + 1
                queue.append(target)
    result: list[list[str]] = [[] for _ in range(max(depth.values(), default=0) + 1)]
    for item in sorted(depth, key=lambda i: depth[i]):
        result[depth[item]].append(item)
    unreachable = [i for i in known if i not in depth]
    if unreachable:
        result.append(unreachable)
    return _order_by_parents(result, scenario)


def _order_by_parents(groups: list[list[str]], scenario: Scenario) -> list[list[str]]:
    """Sort each layer by the mean row of its parents, so arrows cross less."""
    parents: dict[str, list[str]] = {}
    for node in scenario.nodes:
        for target in successors(node):
            parents.setdefault(target, []).append(node.id)
    row: dict[str, float] = {}
    for group in groups:
        centre = (len(group) - 1) / 2
        keys: dict[str, float] = {}
        for index, item in enumerate(group):
            placed = [row[p] for p in parents.get(item, []) if p in row]
            keys[item] = sum(placed) / len(placed) if placed else index - centre
        group.sort(key=keys.__getitem__)
        for index, item in enumerate(group):
            row[item] = index - centre
    return groups


def taken_path(history: Sequence[TurnResult]) -> tuple[list[str], list[tuple[str, str]]]:
    """The ids visited (start to ending) and the transitions followed, in order."""
    visited: list[str] = []
    edges: list[tuple[str, str]] = []
    for result in history:
        if not visited or visited[-1] != result.node_id:
            visited.append(result.node_id)
        visited.append(result.target)
        edges.append((result.node_id, result.target))
    return visited, edges


@dataclass(frozen=True)
class _Colors:
    text: QColor
    faint_line: QColor
    faint_text: QColor
    base: QColor

    @classmethod
    def of(cls, palette: QPalette) -> _Colors:
        text = palette.color(QPalette.ColorRole.Text)
        faint_line = QColor(text)
        faint_line.setAlpha(80)
        faint_text = QColor(text)
        faint_text.setAlpha(150)
        return cls(text, faint_line, faint_text, palette.color(QPalette.ColorRole.Base))


class _Box(QGraphicsRectItem):
    """One node or ending; knows whether it was drawn as taken."""

    def __init__(self, item_id: str, rect: QRectF, taken: bool) -> None:
        super().__init__(rect)
        self.item_id = item_id
        self.taken = taken


def _tinted(color: QColor, alpha: int) -> QColor:
    tint = QColor(color)
    tint.setAlpha(alpha)
    return tint


class PathGraph(QGraphicsView):
    """A read-only picture of the scenario graph with the trainee's path highlighted."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._data: tuple[Scenario, Sequence[TurnResult]] | None = None
        self._boxes: dict[str, _Box] = {}
        self._edges: list[tuple[str, str]] = []
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setFixedHeight(VIEW_HEIGHT)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAccessibleName("Path through the scenario")

    # -- public API ------------------------------------------------------------

    def show_path(self, scenario: Scenario, history: Sequence[TurnResult]) -> None:
        """Draw ``scenario`` with the path of ``history`` highlighted (replaces any previous drawing)."""
        self._data = (scenario, history)
        self._draw(scenario, history)

    def taken_ids(self) -> frozenset[str]:
        """Ids of the nodes and endings drawn as taken."""
        return frozenset(i for i, box in self._boxes.items() if box.taken)

    def all_ids(self) -> frozenset[str]:
        """Ids of every node and ending drawn."""
        return frozenset(self._boxes)

    def taken_edges(self) -> tuple[tuple[str, str], ...]:
        """The transitions followed, in order, as (from, to) pairs."""
        return tuple(self._edges)

    def box_tooltip(self, item_id: str) -> str:
        return self._boxes[item_id].toolTip()

    # -- drawing ---------------------------------------------------------------

    def _draw(self, scenario: Scenario, history: Sequence[TurnResult]) -> None:
        scene = self.scene()
        scene.clear()
        self._boxes = {}
        visited, edges = taken_path(history)
        self._edges = edges
        colors = _Colors.of(self.palette())
        font = QFont(self.font())
        bold = QFont(font)
        bold.setBold(True)
        groups = layers(scenario)
        width = max((QFontMetricsF(bold).horizontalAdvance(humanize(i)) for g in groups for i in g), default=60.0)
        width += 2 * PADDING_X
        positions = self._positions(groups, width)
        said = {r.node_id: r.customer_line for r in reversed(history)}
        endings = {e.id: e for e in scenario.endings}
        nodes = {n.id: n for n in scenario.nodes}
        taken_set = set(visited)
        taken_pairs = set(edges)
        for item_id, rect in positions.items():
            ending = endings.get(item_id)
            box = _Box(item_id, rect, item_id in taken_set)
            self._style_box(box, ending, colors)
            box.setToolTip(
                _ending_tooltip(ending) if ending else _node_tooltip(item_id, nodes.get(item_id), said.get(item_id))
            )
            scene.addItem(box)
            self._boxes[item_id] = box
            label = QGraphicsSimpleTextItem(humanize(item_id), box)
            label.setFont(bold if box.taken else font)
            label.setBrush(QBrush(colors.text if box.taken or ending else colors.faint_text))
            text_rect = label.boundingRect()
            label.setPos(rect.center() - QPointF(text_rect.width() / 2, text_rect.height() / 2))
        pairs = [(n.id, t) for n in scenario.nodes for t in successors(n)]
        pairs += [e for e in dict.fromkeys(edges) if e not in pairs]
        for source, target in pairs:
            if source in positions and target in positions:
                self._add_edge(positions[source], positions[target], (source, target) in taken_pairs, colors)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-8, -8, 8, 8))
        path_text = " → ".join(humanize(i) for i in visited) or "no answers yet"
        self.setAccessibleDescription(f"Scenario graph; the path taken: {path_text}")
        self._fit()

    @staticmethod
    def _positions(groups: list[list[str]], width: float) -> dict[str, QRectF]:
        positions: dict[str, QRectF] = {}
        for column, group in enumerate(groups):
            centre = (len(group) - 1) / 2
            for row, item in enumerate(group):
                x = column * (width + GAP_X)
                y = (row - centre) * (BOX_HEIGHT + GAP_Y)
                positions[item] = QRectF(x, y - BOX_HEIGHT / 2, width, BOX_HEIGHT)
        return positions

    @staticmethod
    def _style_box(box: _Box, ending: Ending | None, colors: _Colors) -> None:
        if ending is not None:
            outcome = style.OUTCOME_COLORS.get(ending.outcome.value, style.ACCENT)
            box.setBrush(QBrush(_tinted(outcome, 150 if box.taken else 55)))
            pen = QPen(style.ACCENT if box.taken else outcome, 3.0 if box.taken else 1.2)
        elif box.taken:
            box.setBrush(QBrush(_tinted(style.ACCENT, 45)))
            pen = QPen(style.ACCENT, 2.5)
        else:
            box.setBrush(QBrush(colors.base))
            pen = QPen(colors.faint_line, 1.0)
        box.setPen(pen)
        box.setZValue(2)

    def _add_edge(self, start: QRectF, end: QRectF, taken: bool, colors: _Colors) -> None:
        path = _edge_path(start, end)
        color = style.ACCENT if taken else colors.faint_line
        line = QGraphicsPathItem(path)
        line.setPen(QPen(color, 2.5 if taken else 1.0))
        line.setZValue(1 if taken else 0)
        head = QGraphicsPolygonItem(_arrow_head(path, 9.0 if taken else 7.0))
        head.setBrush(QBrush(color))
        head.setPen(QPen(Qt.PenStyle.NoPen))
        head.setZValue(line.zValue())
        self.scene().addItem(line)
        self.scene().addItem(head)

    def _fit(self) -> None:
        rect = self.scene().sceneRect()
        if rect.isEmpty():
            return
        self.fitInView(rect, Qt.AspectRatioMode.KeepAspectRatio)
        if self.transform().m11() > MAX_SCALE:
            self.resetTransform()
            self.scale(MAX_SCALE, MAX_SCALE)
            self.centerOn(rect.center())

    # -- events ----------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) and self._data is not None:
            self._draw(*self._data)


def _edge_path(start: QRectF, end: QRectF) -> QPainterPath:
    """Forward arrows leave right and enter left; same-column and backward ones bow out of the way."""
    path = QPainterPath()
    if end.left() > start.right():
        a, b = QPointF(start.right(), start.center().y()), QPointF(end.left(), end.center().y())
        dx = (b.x() - a.x()) / 2
        path.moveTo(a)
        path.cubicTo(a + QPointF(dx, 0), b - QPointF(dx, 0), b)
    elif abs(end.left() - start.left()) < 1:
        a, b = QPointF(start.right(), start.center().y()), QPointF(end.right(), end.center().y())
        path.moveTo(a)
        path.cubicTo(a + QPointF(30, 0), b + QPointF(30, 0), b)
    else:
        a, b = QPointF(start.left(), start.center().y()), QPointF(end.right(), end.center().y())
        bow = QPointF(0, BOX_HEIGHT * 0.9)
        path.moveTo(a)
        path.cubicTo(a - QPointF(GAP_X / 2, 0) + bow, b + QPointF(GAP_X / 2, 0) + bow, b)
    return path


def _arrow_head(path: QPainterPath, size: float) -> QPolygonF:
    tip = path.pointAtPercent(1.0)
    back = path.pointAtPercent(0.9)
    angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
    points: Iterable[QPointF] = (
        tip,
        tip - QPointF(math.cos(angle - 0.45) * size, math.sin(angle - 0.45) * size),
        tip - QPointF(math.cos(angle + 0.45) * size, math.sin(angle + 0.45) * size),
    )
    return QPolygonF(list(points))


def _node_tooltip(node_id: str, node: Node | None, said: str | None) -> str:
    line = said or (node.lines[0].text if node and node.lines else "")
    return f"<p><b>{html.escape(humanize(node_id))}</b></p><p>{html.escape(line.strip())}</p>"


def _ending_tooltip(ending: Ending) -> str:
    outcome = style.OUTCOME_LABELS.get(ending.outcome.value, ending.outcome.value)
    parts = [f"<p><b>Ending: {html.escape(ending.title)}</b> ({html.escape(outcome)})</p>"]
    if ending.line:
        parts.append(f"<p><i>“{html.escape(ending.line.strip())}”</i></p>")
    return "".join(parts)
