"""A scenario as a graph: customer turns as boxes, transitions as labelled arrows.

Layout comes from the Qt-free ``simulator.core.authoring.layout`` (layers from the
start node); this module only draws it and turns clicks, zoom and search into signals.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from simulator.core.authoring.layout import layout

BOX_W, BOX_H = 150.0, 40.0
COLUMN, ROW = 250.0, 95.0
OUTCOME_COLOURS = {"resolved": "#d7ecd9", "escalated": "#fde0c5", "customer_lost": "#f4c7c3", "lost": "#f4c7c3"}
NODE_COLOUR = "#e8eefc"


class NodeItem(QGraphicsRectItem):
    """One customer turn or ending; selectable, never movable (the layout is recomputed on edits)."""

    def __init__(self, node_id: str, kind: str, outcome: str = "") -> None:
        super().__init__(0, 0, BOX_W, BOX_H)
        self.node_id = node_id
        self.kind = kind
        colour = OUTCOME_COLOURS.get(outcome, "#eeeeee") if kind == "ending" else NODE_COLOUR
        self.setBrush(QBrush(QColor(colour)))
        self.setPen(QPen(QColor("#5a6b8c"), 1.2))
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setToolTip(f"{'Ending' if kind == 'ending' else 'Customer turn'}: {node_id}")
        label = QGraphicsSimpleTextItem(_elide(node_id, 22), self)
        bounds = label.boundingRect()
        label.setPos((BOX_W - bounds.width()) / 2, (BOX_H - bounds.height()) / 2)
        self.label = label

    def mark(self, *, selected: bool = False, problem: bool = False, found: bool = False) -> None:
        width = 3.0 if selected or found else 1.2
        colour = "#c62828" if problem else ("#1e5bd6" if selected or found else "#5a6b8c")
        self.setPen(QPen(QColor(colour), width))


def _elide(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


class EdgeItem(QGraphicsPathItem):
    def __init__(self, start: QPointF, end: QPointF, label: str, bend: float) -> None:
        super().__init__()
        path = QPainterPath(start)
        middle = QPointF((start.x() + end.x()) / 2, (start.y() + end.y()) / 2 + bend)
        path.quadTo(middle, end)
        self.setPath(path)
        self.setPen(QPen(QColor("#7a869a"), 1.0))
        self.setZValue(-1)
        self.setToolTip(label)
        angle = math.atan2(end.y() - middle.y(), end.x() - middle.x())
        head = QPolygonF(
            [
                end,
                end - QPointF(math.cos(angle - 0.4) * 9, math.sin(angle - 0.4) * 9),
                end - QPointF(math.cos(angle + 0.4) * 9, math.sin(angle + 0.4) * 9),
            ]
        )
        arrow = QGraphicsPathItem(self)
        head_path = QPainterPath()
        head_path.addPolygon(head)
        arrow.setPath(head_path)
        arrow.setBrush(QBrush(QColor("#7a869a")))
        arrow.setPen(QPen(Qt.PenStyle.NoPen))
        if label:
            text = QGraphicsSimpleTextItem(_elide(label, 28), self)
            text.setBrush(QBrush(QColor("#56606f")))
            font = text.font()
            font.setPointSizeF(max(6.0, font.pointSizeF() * 0.8))
            text.setFont(font)
            text.setPos(path.pointAtPercent(0.5) + QPointF(-text.boundingRect().width() / 2, -14))


class GraphView(QGraphicsView):
    """Zoom with Ctrl+wheel or +/-, pan by dragging, F fits the whole scenario."""

    node_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setAccessibleName("Scenario graph")
        self.items_by_id: dict[str, NodeItem] = {}
        self.edge_count = 0
        self._selected: str | None = None
        self._problems: set[str] = set()
        self._quiet = False
        self.scene().selectionChanged.connect(self._selection_changed)
        self.minimap = Minimap(self)
        self.minimap_enabled = True
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(lambda _value: self.update_minimap())
            bar.rangeChanged.connect(lambda _low, _high: self.update_minimap())

    def show_graph(
        self,
        nodes: list[str],
        endings: dict[str, str],
        edges: list[tuple[str, str, str]],
        start: str,
    ) -> None:
        """Draw ``nodes`` (turn ids), ``endings`` (id -> outcome) and (from, to, label) ``edges``."""
        scene = self.scene()
        scene.blockSignals(True)
        scene.clear()
        scene.blockSignals(False)
        self.items_by_id = {}
        everything = [*nodes, *endings]
        known = set(everything)
        kept = [(a, b, label) for a, b, label in edges if a in known and b in known]
        positions = layout(everything, [(a, b) for a, b, _ in kept], start)
        for node_id in everything:
            item = NodeItem(node_id, "ending" if node_id in endings else "node", endings.get(node_id, ""))
            column, row = positions.get(node_id, (0.0, 0.0))
            item.setPos(column * COLUMN, row * ROW)
            scene.addItem(item)
            self.items_by_id[node_id] = item
        seen: dict[tuple[str, str], int] = {}
        for source, target, label in kept:
            a, b = self.items_by_id[source], self.items_by_id[target]
            count = seen.get((source, target), 0)
            seen[(source, target)] = count + 1
            start_point = a.pos() + QPointF(BOX_W, BOX_H / 2)
            end_point = b.pos() + QPointF(0, BOX_H / 2)
            bend = 18.0 * count
            if b.pos().x() <= a.pos().x():  # a loop back: leave and arrive at the bottom, bowed below
                start_point = a.pos() + QPointF(BOX_W / 2, BOX_H)
                end_point = b.pos() + QPointF(BOX_W / 2, BOX_H)
                bend += 40.0
            scene.addItem(EdgeItem(start_point, end_point, label, bend))
        self.edge_count = len(kept)
        scene.setSceneRect(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40))
        self._remark()
        self.minimap.refit()
        self.update_minimap()

    def select(self, node_id: str) -> None:
        """Select and show a node without echoing ``node_selected`` (the caller already knows)."""
        item = self.items_by_id.get(node_id)
        if item is None:
            return
        self._quiet = True
        try:
            self.scene().clearSelection()
            item.setSelected(True)
        finally:
            self._quiet = False
        self._selected = node_id
        self._remark()
        self.centerOn(item)

    def set_problem_nodes(self, node_ids: set[str]) -> None:
        self._problems = node_ids
        self._remark()

    def find_nodes(self, text: str) -> list[str]:
        """Node ids whose id contains ``text`` (case-insensitive); the first is selected."""
        needle = text.strip().lower()
        found = [node_id for node_id in self.items_by_id if needle and needle in node_id.lower()]
        if found:
            self.select(found[0])
        return found

    def fit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def zoom(self, factor: float) -> None:
        scale = self.transform().m11() * factor
        if 0.05 <= scale <= 4.0:
            self.scale(factor, factor)
            self.update_minimap()

    def set_minimap_enabled(self, enabled: bool) -> None:
        self.minimap_enabled = enabled
        self.update_minimap()

    def update_minimap(self) -> None:
        """Show the minimap only when part of the scenario is out of view (else it adds nothing)."""
        scene_rect = self.scene().sceneRect()
        fits = self.visible_rect().adjusted(-2, -2, 2, 2).contains(scene_rect)
        self.minimap.setVisible(self.minimap_enabled and not scene_rect.isEmpty() and not fits)
        self.minimap.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.minimap.place()
        self.update_minimap()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.15 if event.angleDelta().y() > 0 else 1 / 1.15)
        else:
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom(1.2)
        elif key == Qt.Key.Key_Minus:
            self.zoom(1 / 1.2)
        elif key == Qt.Key.Key_F:
            self.fit()
        else:
            super().keyPressEvent(event)

    def _selection_changed(self) -> None:
        selected = [item for item in self.scene().selectedItems() if isinstance(item, NodeItem)]
        self._selected = selected[0].node_id if selected else None
        self._remark()
        if self._selected is not None and not self._quiet:
            self.node_selected.emit(self._selected)

    def _remark(self) -> None:
        for node_id, item in self.items_by_id.items():
            item.mark(selected=node_id == self._selected, problem=node_id in self._problems)

    def visible_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()


class Minimap(QGraphicsView):
    """The whole scenario in the graph's corner, with the visible part outlined; click to go there."""

    SIZE = (190, 130)

    def __init__(self, graph: GraphView) -> None:
        super().__init__(graph)
        self.graph = graph
        self.setScene(graph.scene())
        self.setInteractive(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setAccessibleName("Minimap")
        self.setToolTip("The whole scenario: click or drag to move the view")
        self.setStyleSheet("QGraphicsView { border: 1px solid #9aa5b8; background: rgba(255, 255, 255, 220); }")
        self.setFixedSize(*self.SIZE)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def place(self) -> None:
        viewport = self.graph.viewport().geometry()
        self.move(viewport.right() - self.width() - 8, viewport.bottom() - self.height() - 8)
        self.refit()

    def refit(self) -> None:
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawForeground(painter, rect)
        painter.setPen(QPen(QColor("#1e5bd6"), 0))  # cosmetic: one pixel at any scale
        painter.setBrush(QColor(30, 91, 214, 30))
        painter.drawRect(self.graph.visible_rect().intersected(self.sceneRect()))

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._go(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go(event)

    def _go(self, event: QMouseEvent) -> None:
        self.graph.centerOn(self.mapToScene(event.position().toPoint()))
        self.viewport().update()
