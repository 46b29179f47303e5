"""Answering a phone scenario aloud through the real window: the customer speaks, the trainee talks.

The microphone is a WavMicrophone fed with real speech (espeak-ng renders the
answer), so the same chunks, level meter, recognition and storage path run as
with a microphone; only the sound card is missing on these machines.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from simulator.speech.recognizer import WhisperRecognizer
from simulator.speech.tts import EspeakProgram, Synthesizer, VoiceSettings, default_synthesizer
from simulator.storage.paths import database_path
from simulator.storage.store import Store
from simulator.ui.audio_devices import RecordingSpeaker, WavMicrophone
from simulator.ui.main_window import MainWindow
from simulator.ui.voice import VoiceServices
from tests.ui.helpers import make_window

ANSWER = "That sounds really frightening. I am locking your card right now so nothing else can go through."


@pytest.fixture(scope="module")
def recognizer() -> WhisperRecognizer:
    model = WhisperRecognizer()
    model.load()
    return model


@pytest.fixture
def synthesizer(tmp_path: Path) -> Iterator[Synthesizer]:
    synth = default_synthesizer(tmp_path / "voice-cache")
    yield synth
    synth.close()


@pytest.fixture
def spoken_answer(tmp_path: Path) -> Path:
    path = tmp_path / "answer.wav"
    EspeakProgram().render(ANSWER, VoiceSettings(rate=160), path)
    return path


def _window(qtbot, tmp_path: Path, voice: VoiceServices) -> MainWindow:  # type: ignore[no-untyped-def]
    store = Store(database_path(tmp_path))
    window = make_window(tmp_path, store=store)
    window.set_voice_services(voice)
    qtbot.addWidget(window)
    window.set_trainee(store.add_trainee("Ana"))
    window.show()
    return window


def test_answer_a_phone_turn_aloud_correct_a_word_and_send(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, recognizer: WhisperRecognizer, synthesizer: Synthesizer, spoken_answer: Path
) -> None:
    microphone = WavMicrophone(spoken_answer, speed=8.0)
    speaker = RecordingSpeaker()
    window = _window(qtbot, tmp_path, VoiceServices(synthesizer, recognizer, microphone, speaker))
    window.start("stolen-wallet", "practice")
    conversation = window.conversation
    # The customer's first line is spoken with the persona's voice (rendered on the voice thread).
    qtbot.waitUntil(lambda: len(speaker.played) == 1, timeout=10_000)
    assert speaker.played[0].stat().st_size > 10_000
    assert conversation.voice.isVisible() and conversation.replay_button.isVisible()
    qtbot.mouseClick(conversation.replay_button, Qt.MouseButton.LeftButton)
    assert speaker.played[1] == speaker.played[0]  # replay is the cached file, at once

    # Hold Space in the empty answer box: push-to-talk.
    box = conversation.answer
    box.setFocus()
    qtbot.keyPress(box, Qt.Key.Key_Space)
    assert conversation.voice.recording
    with qtbot.waitSignal(microphone.drained, timeout=10_000):
        pass
    assert conversation.voice.meter.value() > 0 or conversation.voice._speech_at is not None
    qtbot.keyRelease(box, Qt.Key.Key_Space)
    assert not conversation.voice.recording
    raw = box.toPlainText()
    words = raw.lower().replace(".", "").replace(",", "").split()
    assert "frightening" in words and "locking" in words, raw
    assert box.hasFocus()  # the trainee checks the text before it is scored

    # tiny.en hears "card" as "car" here: the trainee fixes the word by keyboard before sending.
    cursor = box.textCursor()
    misheard = raw.find(" car ")
    if misheard >= 0:
        cursor.setPosition(misheard + len(" car"))
        box.setTextCursor(cursor)
        qtbot.keyClicks(box, "d")
    else:  # heard right: correct something else, so the two texts still differ
        box.moveCursor(cursor.MoveOperation.End)
        qtbot.keyClicks(box, " Okay?")
    corrected = box.toPlainText()
    assert corrected != raw and "your card" in corrected
    qtbot.keyClick(box, Qt.Key.Key_Return)

    [attempt] = window.store.attempts(window.trainee.id)  # type: ignore[union-attr]
    [turn] = window.store.turns(attempt.id)
    assert turn.answer == corrected.strip()
    assert turn.input_mode == "voice"
    assert turn.spoken is not None and turn.spoken.recognized_text == raw
    assert turn.spoken.recording is not None
    recording = window.store.folder / turn.spoken.recording
    assert recording.exists() and recording.stat().st_size > 10_000
    assert 2.0 < turn.spoken.audio_seconds < 10.0
    # The scorer saw the corrected text: the lock-the-card criterion is met.
    assert any(c["id"] == "lock_card_first" and c["met"] for c in turn.criteria)
    # The next customer line is spoken too.
    qtbot.waitUntil(lambda: len(speaker.played) == 3, timeout=10_000)


def test_silence_is_not_sent_and_nothing_is_lost(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, recognizer: WhisperRecognizer, synthesizer: Synthesizer
) -> None:
    import wave

    quiet = tmp_path / "quiet.wav"
    with wave.open(str(quiet), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(16_000)
        w.writeframes(b"\x00\x00" * 16_000)
    microphone = WavMicrophone(quiet, speed=8.0)
    window = _window(qtbot, tmp_path, VoiceServices(synthesizer, recognizer, microphone, RecordingSpeaker()))
    window.start("stolen-wallet", "practice")
    conversation = window.conversation
    conversation.answer.setPlainText("")
    qtbot.mouseClick(conversation.voice.button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(microphone.drained, timeout=10_000):
        pass
    qtbot.mouseClick(conversation.voice.button, Qt.MouseButton.LeftButton)
    assert "didn't hear any speech" in conversation.voice.status.text()
    assert window.store.turns(window.practice.attempt.id) == []  # type: ignore[union-attr]


def test_without_microphone_or_voice_the_call_is_typed(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from simulator.ui.audio_devices import Microphone

    class NoMicrophone(Microphone):
        problem = "No microphone was found."

    speaker = RecordingSpeaker()
    voice = VoiceServices(None, None, NoMicrophone(), speaker, synthesizer_problem="espeak-ng is not installed")
    window = _window(qtbot, tmp_path, voice)
    window.start("stolen-wallet", "practice")
    conversation = window.conversation
    assert not conversation.voice.isVisible() and not conversation.replay_button.isVisible()
    assert "espeak-ng is not installed" in window.statusBar().currentMessage()
    assert speaker.played == []
    conversation.answer.setFocus()
    qtbot.keyClick(conversation.answer, Qt.Key.Key_Space)  # Space types a space: no push-to-talk
    assert conversation.answer.toPlainText() == " "
