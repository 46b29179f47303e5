"""Sound in and out through QtMultimedia, behind two small interfaces the tests replace.

A :class:`Microphone` emits 16 kHz mono 16-bit chunks while it records; a
:class:`Speaker` plays a WAV file. Machines without sound devices (CI, these
sandboxes) get ``available == False`` and the app says so once and carries
on in text mode; tests feed real WAV files through :class:`WavMicrophone`,
the same path a microphone's chunks take.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, QUrl, Signal

from simulator.speech.audio import RATE, WIDTH, read_wav

log = logging.getLogger(__name__)
CHUNK_MS = 30


class Microphone(QObject):
    chunk = Signal(bytes)  # 16 kHz mono 16-bit PCM
    failed = Signal(str)

    available = False
    problem = "no microphone"

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class Speaker(QObject):
    finished = Signal()

    available = False
    problem = "no speakers"

    def play(self, path: Path) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


class QtMicrophone(Microphone):
    """The system's default input through QAudioSource, in push mode."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioFormat, QMediaDevices

        self._device_info = QMediaDevices.defaultAudioInput()
        self.available = not self._device_info.isNull()
        self.problem = "" if self.available else "No microphone was found."
        self._format = QAudioFormat()
        self._format.setSampleRate(RATE)
        self._format.setChannelCount(1)
        self._format.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._source: object = None
        self._io: object = None

    def start(self) -> None:
        from PySide6.QtMultimedia import QAudioSource

        if not self.available:
            self.failed.emit(self.problem)
            return
        if not self._device_info.isFormatSupported(self._format):
            self.failed.emit("The microphone cannot record 16 kHz mono audio.")
            return
        source = QAudioSource(self._device_info, self._format, self)
        self._source = source
        io: Any = source.start()  # None when the device cannot be opened
        if io is None:
            self.failed.emit("The microphone could not be opened.")
            return
        self._io = io
        io.readyRead.connect(lambda: self.chunk.emit(bytes(io.readAll().data())))

    def stop(self) -> None:
        source, self._source = self._source, None
        if source is not None:
            source.stop()  # type: ignore[attr-defined]


class WavMicrophone(Microphone):
    """Plays a WAV file into the app as if it were spoken into a microphone (tests, demos).

    ``speed`` above 1 feeds faster than real time. ``drained`` fires once the whole file is in.
    """

    drained = Signal()

    def __init__(self, path: Path, *, speed: float = 1.0, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = True
        self.problem = ""
        self.path = path
        self.speed = speed
        self._pcm = b""
        self._offset = 0
        self._timer = QTimer(self)
        self._timer.setInterval(max(1, round(CHUNK_MS / speed)))
        self._timer.timeout.connect(self._feed)

    def start(self) -> None:
        self._pcm = read_wav(self.path).pcm
        self._offset = 0
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _feed(self) -> None:
        step = RATE * WIDTH * CHUNK_MS // 1000
        piece = self._pcm[self._offset : self._offset + step]
        self._offset += len(piece)
        if piece:
            self.chunk.emit(piece)
        if self._offset >= len(self._pcm):
            self._timer.stop()
            self.drained.emit()


class QtSpeaker(Speaker):
    """WAV playback through QMediaPlayer on the default output."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

        self.available = not QMediaDevices.defaultAudioOutput().isNull()
        self.problem = "" if self.available else "No speakers or headphones were found."
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._status)
        self._player.errorOccurred.connect(lambda _e, text: log.warning("playback failed: %s", text))

    def play(self, path: Path) -> None:
        if not self.available:
            return
        self._player.stop()
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.play()

    def stop(self) -> None:
        self._player.stop()

    def _status(self, status: object) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if status == QMediaPlayer.MediaStatus.EndOfMedia:
            self.finished.emit()


class RecordingSpeaker(Speaker):
    """Remembers what it was asked to play (tests, and machines without sound)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.available = True
        self.played: list[Path] = []

    def play(self, path: Path) -> None:
        self.played.append(path)

    def stop(self) -> None:
        pass
