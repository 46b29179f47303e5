"""Colours and sizes shared by every view, chosen to read in light and dark palettes.

Views take text colours from the palette (so dark mode works) and use these
only for meaning: met/missed, outcomes, one highlight colour per criterion.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

MET = QColor("#2e7d32")
MISSED = QColor("#c62828")
NEAR_MISS = QColor("#ef6c00")
ACCENT = QColor("#3f6fd8")

OUTCOME_COLORS: dict[str, QColor] = {
    "resolved": QColor("#2e7d32"),
    "escalated": QColor("#ef6c00"),
    "customer_lost": QColor("#c62828"),
}
OUTCOME_LABELS: dict[str, str] = {
    "resolved": "Resolved",
    "escalated": "Escalated",
    "customer_lost": "Customer lost",
}

# One translucent highlight per core criterion (evidence spans in the debrief); others cycle.
CRITERION_COLORS: dict[str, QColor] = {
    "acknowledge_emotion": QColor(233, 30, 99, 70),
    "take_ownership": QColor(63, 111, 216, 70),
    "set_expectations": QColor(0, 150, 136, 70),
    "personalize": QColor(156, 39, 176, 70),
    "ask_question": QColor(255, 179, 0, 90),
    "offer_escalation": QColor(121, 85, 72, 70),
    "respectful_tone": QColor(76, 175, 80, 70),
}
_EXTRA = [QColor(0, 188, 212, 70), QColor(205, 220, 57, 90), QColor(255, 87, 34, 70), QColor(96, 125, 139, 70)]


def criterion_color(criterion_id: str, index: int = 0) -> QColor:
    return CRITERION_COLORS.get(criterion_id, _EXTRA[index % len(_EXTRA)])


def is_dark(widget: QWidget | None = None) -> bool:
    palette = widget.palette() if widget is not None else QApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def scaled_font(base: QFont, factor: float, bold: bool = False) -> QFont:
    """A font relative to the system font, so text scales with the user's settings."""
    font = QFont(base)
    size = base.pointSizeF() if base.pointSizeF() > 0 else 10.0
    font.setPointSizeF(size * factor)
    font.setBold(bold)
    return font
