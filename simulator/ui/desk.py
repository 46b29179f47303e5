"""The agent's desk: what a real agent would have on screen beside the conversation.

The record, the policy, the options and the colleagues come from the scenario, so the trainee
can give the facts the rubric expects (a case number format, a refund policy, who to escalate
to) without guessing at a backstory they never saw.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from simulator.core.model import Desk

DESK_WIDTH = 270


def desk_html(desk: Desk) -> str:
    """The desk as rich text: headings and short lists, every value escaped."""
    parts: list[str] = []
    if desk.record:
        parts.append(f"<p><b>{html.escape(desk.title or 'Record')}</b></p><table cellspacing='0' cellpadding='1'>")
        for item in desk.record:
            parts.append(
                f"<tr><td valign='top' style='padding-right:8px'><small>{html.escape(item.label)}</small></td>"
                f"<td>{html.escape(item.value)}</td></tr>"
            )
        parts.append("</table>")
    for heading, items in (("Policy", desk.policy), ("You may offer", desk.options)):
        if items:
            rows = "".join(f"<li>{html.escape(item)}</li>" for item in items)
            parts.append(f"<p><b>{heading}</b></p><ul style='margin-left:-24px'>{rows}</ul>")
    if desk.colleagues:
        rows = "".join(
            f"<li><b>{html.escape(c.name)}</b>, {html.escape(c.role)}"
            + (f" <small>({html.escape(c.when)})</small>" if c.when else "")
            + "</li>"
            for c in desk.colleagues
        )
        parts.append(f"<p><b>Colleagues</b></p><ul style='margin-left:-24px'>{rows}</ul>")
    return "".join(parts)


class DeskPanel(QFrame):
    """A narrow, scrollable side panel; hidden when the scenario has no desk."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deskPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFixedWidth(DESK_WIDTH)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 6, 8)
        title = QLabel("Your desk")
        title.setAccessibleName("Your desk")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        title.setFont(font)
        layout.addWidget(title)
        self.body = QLabel()
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setAccessibleName("What you have on screen: record, policy, options, colleagues")
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setWidget(self.body)
        layout.addWidget(scroller, 1)
        self.desk = Desk()

    def show_desk(self, desk: Desk) -> None:
        self.desk = desk
        self.body.setText(desk_html(desk))
        self.setVisible(bool(desk))
