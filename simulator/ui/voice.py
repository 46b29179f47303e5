"""Answering aloud in the conversation: the microphone button, push-to-talk, the level meter.

The panel only records; recognition runs on the background worker and its
text goes into the answer box, where the trainee checks and corrects it
before sending (a recogniser's mistake must never cost a point silently).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QElapsedTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from simulator.speech.audio import RATE, SPEECH_LEVEL, WIDTH, Clip, level
from simulator.ui.audio_devices import Microphone, Speaker

if TYPE_CHECKING:
    from simulator.speech.recognizer import Recognizer
    from simulator.speech.tts import Synthesizer

SILENCE_STOPS_AFTER = 1.5  # seconds of quiet after speech that end an answer
MAX_SECONDS = 120.0


@dataclass
class VoiceServices:
    """What the voice features use, passed in (fakes in tests): any part may be missing."""

    synthesizer: Synthesizer | None
    recognizer: Recognizer | None
    microphone: Microphone
    speaker: Speaker
    synthesizer_problem: str | None = None
    recognizer_problem: str | None = None


class VoicePanel(QWidget):
    """Record button, level meter and status; emits the clip and when speech began in it."""

    recorded = Signal(object, object)  # Clip, speech start in seconds (or None)
    recording_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.microphone: Microphone | None = None
        self.button = QPushButton("● Speak")
        self.button.setCheckable(True)
        self.button.setToolTip("Answer aloud: click to start and again to stop, or hold Space (Ctrl+Space toggles)")
        self.button.setAccessibleName("Record a spoken answer")
        self.button.toggled.connect(self._toggled)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(8)
        self.meter.setAccessibleName("Microphone level")
        self.status = QLabel("Hold Space or click Speak to answer aloud.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Voice status")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addWidget(self.meter, 1)
        column.addLayout(row)
        column.addWidget(self.status)
        self._pcm = bytearray()
        self._clock = QElapsedTimer()
        self._speech_at: float | None = None
        self._quiet_since: float | None = None

    @property
    def recording(self) -> bool:
        return self.button.isChecked()

    def set_microphone(self, microphone: Microphone | None) -> None:
        if self.microphone is not None:
            self.microphone.chunk.disconnect(self._chunk)
            self.microphone.failed.disconnect(self._failed)
        self.microphone = microphone
        usable = microphone is not None and microphone.available
        self.button.setEnabled(usable)
        if microphone is not None:
            microphone.chunk.connect(self._chunk)
            microphone.failed.connect(self._failed)
        if not usable:
            reason = microphone.problem if microphone is not None else "Voice answers are not available."
            self.status.setText(f"{reason} Answer by typing.")

    def start(self) -> None:
        if self.button.isEnabled() and not self.recording:
            self.button.setChecked(True)

    def stop(self) -> None:
        if self.recording:
            self.button.setChecked(False)

    def toggle(self) -> None:
        self.button.setChecked(not self.recording)

    def say(self, text: str) -> None:
        self.status.setText(text)

    # -- internals -----------------------------------------------------------------

    def _toggled(self, on: bool) -> None:
        assert self.microphone is not None
        self.recording_changed.emit(on)
        if on:
            self._pcm = bytearray()
            self._speech_at = None
            self._quiet_since = None
            self._clock.start()
            self.button.setText("■ Stop")
            self.status.setText("Listening… speak now; click Stop, release Space, or pause to finish.")
            self.microphone.start()
            return
        self.microphone.stop()
        self.button.setText("● Speak")
        self.meter.setValue(0)
        clip = Clip(bytes(self._pcm), RATE)
        if self._speech_at is None:
            self.status.setText("I didn't hear any speech. Try again closer to the microphone, or type your answer.")
            return
        self.status.setText("Recognising what you said…")
        self.recorded.emit(clip, self._speech_at)

    def _chunk(self, pcm: bytes) -> None:
        if not self.recording:
            return
        start = len(self._pcm) / WIDTH / RATE
        self._pcm.extend(pcm)
        loudness = level(pcm)
        self.meter.setValue(round(loudness * 100))
        end = len(self._pcm) / WIDTH / RATE
        if loudness >= SPEECH_LEVEL:
            if self._speech_at is None:
                self._speech_at = start
            self._quiet_since = None
        elif self._speech_at is not None:
            self._quiet_since = start if self._quiet_since is None else self._quiet_since
            if end - self._quiet_since >= SILENCE_STOPS_AFTER:
                self.stop()
                return
        if end >= MAX_SECONDS:
            self.stop()

    def _failed(self, message: str) -> None:
        self.button.blockSignals(True)
        self.button.setChecked(False)
        self.button.setText("● Speak")
        self.button.blockSignals(False)
        self.status.setText(f"{message} Answer by typing.")


def recording_path(folder: Path, trainee_id: int, attempt_id: int, turn: int) -> Path:
    return folder / "recordings" / f"trainee-{trainee_id}" / f"attempt-{attempt_id}" / f"turn-{turn}.wav"
