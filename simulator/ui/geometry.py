"""Top-level windows that fit the screen they open on, and open again where the user left them.

Why one helper: every window used to ``resize()`` to a size picked on a big monitor (1100x780 up
to 1280x820), so on a 1366x768 laptop the status bar and a row of buttons were off-screen, and a
size the user chose was forgotten. ``fit_window`` is called once per window instead of ``resize``:

- a geometry saved for the window's key is restored when it still fits an available screen; one
  saved on a bigger or a disconnected screen is clamped into the screen it (mostly) overlaps, or
  into the primary screen;
- otherwise the window gets ``min(preferred, 90% of the available area)`` and is centred;
- on close the geometry, the maximised state and the state of every named ``QSplitter`` are saved.

Geometry is the client rectangle (``QWidget.geometry``), kept as four integers so a hand-edited or
corrupt settings file is ignored instead of crashing the window.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QEvent, QObject, QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QSplitter, QWidget

SHARE = 0.9  # of the available area a first-time window takes at most


def available_rect(window: QWidget | None = None, near: QRect | None = None) -> QRect:
    """The available area of the screen ``near`` overlaps most, else the window's screen, else the primary."""
    screens = QGuiApplication.screens()
    if near is not None:
        best: QScreen | None = None
        best_area = 0
        for screen in screens:
            overlap = screen.availableGeometry().intersected(near)
            area = overlap.width() * overlap.height() if overlap.isValid() else 0
            if area > best_area:
                best, best_area = screen, area
        if best is not None:
            return best.availableGeometry()
    current: QScreen | None = window.screen() if window is not None else None
    current = current or QGuiApplication.primaryScreen()
    return current.availableGeometry() if current is not None else QRect(0, 0, 1024, 700)


def clamp(rect: QRect, area: QRect) -> QRect:
    """``rect`` made no bigger than ``area`` and moved inside it (a window from a bigger screen)."""
    width = min(rect.width(), area.width())
    height = min(rect.height(), area.height())
    x = min(max(rect.x(), area.left()), area.left() + area.width() - width)
    y = min(max(rect.y(), area.top()), area.top() + area.height() - height)
    return QRect(x, y, width, height)


def first_size(preferred: QSize, area: QRect) -> QSize:
    return QSize(min(preferred.width(), int(area.width() * SHARE)), min(preferred.height(), int(area.height() * SHARE)))


def _saved_rect(settings: QSettings, key: str) -> QRect | None:
    value = settings.value(f"windows/{key}/rect")
    if not isinstance(value, (list, tuple)) or len(value) != 4:
        return None
    try:
        x, y, w, h = (int(v) for v in value)
    except (TypeError, ValueError):
        return None
    if w < 100 or h < 100 or w > 100_000 or h > 100_000:
        return None
    return QRect(x, y, w, h)


def _splitters(window: QWidget) -> list[QSplitter]:
    return [s for s in window.findChildren(QSplitter) if s.objectName()]


class _SaveOnClose(QObject):
    """Saves the window's geometry when it is asked to close (also when the close is then refused: harmless)."""

    def __init__(self, window: QWidget, settings: QSettings, key: str) -> None:
        super().__init__(window)
        self.settings = settings
        self.key = key

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Close and isinstance(watched, QWidget):
            save_geometry(watched, self.settings, self.key)
        return False


def save_geometry(window: QWidget, settings: QSettings, key: str) -> None:
    """The normal (not maximised) rectangle, whether it was maximised, and each named splitter's state."""
    rect = window.normalGeometry() if window.isMaximized() else window.geometry()
    if not rect.isValid():
        rect = window.geometry()
    settings.setValue(f"windows/{key}/rect", [rect.x(), rect.y(), rect.width(), rect.height()])
    settings.setValue(f"windows/{key}/maximized", window.isMaximized())
    for splitter in _splitters(window):
        settings.setValue(f"windows/{key}/splitter/{splitter.objectName()}", splitter.saveState())


def fit_window(window: QWidget, settings: QSettings | None, key: str, preferred: QSize) -> None:
    """Size and place ``window`` for the screen (see the module docstring); with no settings, only fit."""
    saved = _saved_rect(settings, key) if settings is not None else None
    if saved is not None:
        window.setGeometry(clamp(saved, available_rect(window, saved)))
    else:
        area = available_rect(window)
        size = first_size(preferred, area)
        window.resize(size)
        window.move(area.center() - QPoint(size.width() // 2, size.height() // 2))
    if settings is None:
        return
    for splitter in _splitters(window):
        state = settings.value(f"windows/{key}/splitter/{splitter.objectName()}")
        if isinstance(state, QByteArray):
            splitter.restoreState(state)
    if str(settings.value(f"windows/{key}/maximized", False)).lower() == "true":
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    window.installEventFilter(_SaveOnClose(window, settings, key))
