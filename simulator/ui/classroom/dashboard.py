"""The trainer's live-session dashboard: the join details in large type, who is where, scores as they arrive.

The host (``simulator.classroom.host.LiveHost``) runs on its own threads; this view polls its
thread-safe snapshot twice a second, so nothing the network does ever blocks the window.

The host listens on one of this computer's addresses, never on all of them: the trainer picks
the network the trainees are on (the default route's address first, "this computer only" last),
and the address shown in large type is exactly the one they type.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from simulator.classroom.host import LiveHost
from simulator.classroom.joincode import format_code
from simulator.classroom.room import Dashboard, Phase
from simulator.core import mood as mood_words

HEADERS = ["Trainee", "Where", "Turns", "Score so far", "Customer", "Final score", "Result", "Connection"]
PHASE_TEXT = {
    Phase.JOINED: "joined",
    Phase.PLAYING: "playing",
    Phase.FINISHED: "finished",
    Phase.LEFT: "left",
    Phase.STOPPED: "stopped",
}
REFRESH_MS = 500


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


class LiveDashboard(QWidget):
    """Shows one running host; ``ended`` fires once the trainer ended the session."""

    ended = Signal()

    def __init__(self, host: LiveHost, interfaces: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self.join = QLabel()
        self.join.setAccessibleName("Join details")
        self.join.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.interface = QComboBox()
        self.interface.setAccessibleName("The network trainees join on")
        current = host.address[0]
        for address in dict.fromkeys([current, *interfaces]):  # the one in use first, each once
            label = "this computer only (to try it out)" if address.startswith("127.") else "the local network"
            self.interface.addItem(f"{address} — {label}", address)
        self.interface.setCurrentIndex(0)
        self.interface.currentIndexChanged.connect(self._choose_interface)
        self.interface_problem = QLabel()
        self.interface_problem.setAccessibleName("Network problem")
        self.interface_problem.setWordWrap(True)
        self.interface_problem.hide()
        network = QHBoxLayout()
        network.addWidget(QLabel("Trainees join on:"))
        network.addWidget(self.interface, 1)
        self._show_join()
        self.summary = QLabel()
        self.summary.setAccessibleName("Session summary")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setAccessibleName("Trainees in the session")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.log = QListWidget()
        self.log.setAccessibleName("Session events")
        self.end_button = QPushButton("&End the session for everyone")
        self.end_button.clicked.connect(self.end)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.log)
        split.setSizes([420, 140])
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.end_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.join)
        layout.addLayout(network)
        layout.addWidget(self.interface_problem)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()
        self.refresh()

    def _show_join(self) -> None:
        address, port = self.host.address
        self.join.setText(
            f"Join code <b style='font-size:28pt; letter-spacing:4px'>{format_code(self.host.code)}</b>"
            f"&nbsp;&nbsp; Address <b style='font-size:20pt'>{address}:{port}</b>"
        )

    def _choose_interface(self, index: int) -> None:
        """Move the host's listener to the chosen address; trainees already in stay connected."""
        address = self.interface.itemData(index)
        try:
            self.host.listen_on(address)
        except (OSError, ValueError, RuntimeError) as exc:
            self.interface_problem.setText(f"⚠ Cannot listen on {address} ({exc}): still on {self.host.address[0]}.")
            self.interface_problem.show()
            back = self.interface.findData(self.host.address[0])
            self.interface.blockSignals(True)
            self.interface.setCurrentIndex(back)
            self.interface.blockSignals(False)
            return
        self.interface_problem.hide()
        self._show_join()

    def refresh(self) -> Dashboard:
        """Read the host's snapshot and its new events (also called by tests instead of waiting)."""
        for event in self.host.poll_events():
            who = f"{event.name}: " if event.name else (f"{event.peer}: " if event.peer else "")
            self.log.addItem(f"{event.kind.value} — {who}{event.detail}".rstrip(" :—"))
            self.log.scrollToBottom()
        board = self.host.dashboard()
        self.table.setRowCount(len(board.rows))
        for index, row in enumerate(board.rows):
            result = "–" if row.passed is None else ("passed" if row.passed else "not passed")
            values = [
                row.name,
                f"{PHASE_TEXT.get(row.phase, str(row.phase))}: {row.current_node or ''}".rstrip(": "),
                str(row.turn_count),
                _score(row.score_so_far),
                mood_words.text(row.mood),
                _score(row.final_score),
                result,
                "connected" if row.connected else "disconnected",
            ]
            for column, value in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(value))
        mean = _score(board.mean_final_score)
        self.summary.setText(
            f"{board.joined} joined · {board.connected} connected · {board.playing} playing · "
            f"{board.finished} finished · {board.passed} passed · mean final score {mean}"
            + (" · session ended" if board.ended else "")
        )
        return board

    def end(self) -> None:
        self.host.end_session()
        self.end_button.setEnabled(False)
        self.refresh()
        self.ended.emit()

    def stop(self) -> None:
        """Shut the host down (the window is closing)."""
        self.timer.stop()
        self.host.stop()
