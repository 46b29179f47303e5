"""WAV files in and out: any common format becomes 16 kHz mono 16-bit, written atomically, measured."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from simulator.speech.audio import (
    RATE,
    AudioError,
    Clip,
    level,
    read_wav,
    speech_seconds,
    speech_start,
    write_wav,
)


def sine(seconds: float, rate: int, frequency: float = 440.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(seconds * rate)) / rate
    return (amplitude * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


def encode(samples: np.ndarray, width: int) -> bytes:
    """Float samples in [-1, 1] as little-endian PCM of ``width`` bytes (8-bit is unsigned)."""
    if width == 1:
        return bytes(np.clip(np.round(samples * 127 + 128), 0, 255).astype(np.uint8).tobytes())
    if width == 2:
        return bytes(np.round(samples * 32767).astype("<i2").tobytes())
    if width == 3:
        values = np.round(samples * ((1 << 23) - 1)).astype("<i4")
        return bytes(values.view(np.uint8).reshape(-1, 4)[:, :3].tobytes())
    return bytes(np.round(samples * ((1 << 31) - 1)).astype("<i4").tobytes())


def write_raw(path: Path, samples: np.ndarray, rate: int, width: int = 2, channels: int = 1) -> Path:
    """A WAV written with the standard library, the way other programs would write one."""
    interleaved = np.repeat(samples, channels) if channels > 1 else samples
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(encode(interleaved, width))
    return path


def tone_clip(parts: list[tuple[float, float]]) -> Clip:
    """Concatenated (seconds, amplitude) pieces of a 300 Hz tone at 16 kHz; amplitude 0 is silence."""
    samples = np.concatenate([sine(seconds, RATE, 300.0, amplitude) for seconds, amplitude in parts])
    return Clip(encode(samples, 2))


@pytest.mark.parametrize(
    ("width", "channels", "rate"),
    [
        (1, 1, 16_000),
        (2, 1, 16_000),
        (3, 1, 16_000),
        (4, 1, 16_000),
        (2, 2, 16_000),
        (2, 1, 22_050),
        (2, 1, 44_100),
        (3, 2, 44_100),
        (1, 2, 22_050),
    ],
)
def test_read_wav_converts_to_16k_mono_16bit(tmp_path: Path, width: int, channels: int, rate: int) -> None:
    path = write_raw(tmp_path / "in.wav", sine(1.5, rate), rate, width, channels)
    clip = read_wav(path)
    assert clip.rate == RATE
    assert len(clip.pcm) % 2 == 0
    assert clip.seconds == pytest.approx(1.5, abs=0.002)
    samples = clip.samples()
    # The tone survives: same loudness (RMS of a 0.5 sine is 0.354) and same pitch.
    assert float(np.sqrt(np.mean(samples**2))) == pytest.approx(0.5 / np.sqrt(2), rel=0.03)
    spectrum = np.abs(np.fft.rfft(samples))
    peak = float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))])
    assert peak == pytest.approx(440.0, abs=2.0)


def test_stereo_is_mixed_down_not_concatenated(tmp_path: Path) -> None:
    left, right = sine(1.0, RATE, amplitude=0.6), np.zeros(RATE, dtype=np.float32)
    interleaved = np.column_stack([left, right]).reshape(-1)
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(encode(interleaved, 2))
    clip = read_wav(path)
    assert clip.seconds == pytest.approx(1.0, abs=0.001)
    assert float(np.abs(clip.samples()).max()) == pytest.approx(0.3, abs=0.01)


def test_write_wav_round_trip(tmp_path: Path) -> None:
    clip = Clip(encode(sine(0.75, RATE), 2))
    path = tmp_path / "nested" / "folder" / "clip.wav"
    write_wav(path, clip)
    back = read_wav(path)
    assert back.rate == clip.rate
    assert len(back.pcm) == len(clip.pcm)
    # Reading scales by 1/32768 and writing by 32767, so a sample may come back 1 step smaller.
    difference = np.frombuffer(back.pcm, "<i2").astype(np.int32) - np.frombuffer(clip.pcm, "<i2")
    assert int(np.abs(difference).max()) <= 1
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth(), w.getframerate()) == (1, 2, RATE)


def test_write_wav_leaves_no_part_file(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    write_wav(path, Clip(encode(sine(0.2, RATE), 2)))
    write_wav(path, Clip(encode(sine(0.4, RATE), 2)))  # overwriting an existing take
    assert sorted(p.name for p in tmp_path.iterdir()) == ["take.wav"]
    assert read_wav(path).seconds == pytest.approx(0.4)


def test_level_is_zero_for_silence_and_high_for_a_loud_tone() -> None:
    assert level(b"") == 0.0
    assert level(bytes(3200)) == 0.0
    loud = level(encode(sine(0.1, RATE, amplitude=0.9), 2))
    quiet = level(encode(sine(0.1, RATE, amplitude=0.01), 2))
    assert loud > 0.9
    assert 0.0 < quiet < loud
    assert quiet < 0.4  # about -43 dBFS: below the speech threshold


@pytest.mark.parametrize(("lead", "tone", "tail"), [(0.0, 1.0, 0.5), (0.6, 1.2, 0.9), (1.5, 0.3, 0.0)])
def test_speech_start_and_seconds_on_silence_tone_silence(lead: float, tone: float, tail: float) -> None:
    clip = tone_clip([(lead, 0.0), (tone, 0.5), (tail, 0.0)])
    start = speech_start(clip)
    assert start is not None
    assert start == pytest.approx(lead, abs=0.031)  # one 30 ms chunk of slack
    assert speech_seconds(clip) == pytest.approx(tone, abs=0.062)


def test_speech_start_ignores_quiet_noise() -> None:
    rng = np.random.default_rng(7)
    hiss = (rng.standard_normal(RATE) * 0.002).astype(np.float32)  # about -54 dBFS
    clip = Clip(encode(hiss, 2))
    assert speech_start(clip) is None
    assert speech_seconds(clip) == 0.0
    assert speech_seconds(tone_clip([(1.0, 0.0)])) == 0.0


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"this is not audio at all, just some text in a .wav file\n" * 20,
        b"RIFF\x24\x00\x00\x00WAVEfmt ",  # a header cut off in the middle
        bytes(range(256)) * 8,
    ],
    ids=["empty", "text", "truncated-header", "garbage"],
)
def test_unreadable_files_raise_audio_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.wav"
    path.write_bytes(content)
    with pytest.raises(AudioError) as caught:
        read_wav(path)
    assert not isinstance(caught.value, wave.Error)
    assert str(path) in str(caught.value)


def test_a_wav_cut_short_mid_data_still_reads_what_is_there(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "full.wav", sine(1.0, RATE), RATE)
    cut = tmp_path / "cut.wav"
    cut.write_bytes(path.read_bytes()[: 44 + 16_001])  # half a second and an odd byte
    assert read_wav(cut).seconds == pytest.approx(0.5, abs=0.001)


def test_missing_file_raises_audio_error(tmp_path: Path) -> None:
    with pytest.raises(AudioError):
        read_wav(tmp_path / "nowhere.wav")


def test_unsupported_format_raises_audio_error(tmp_path: Path) -> None:
    path = write_raw(tmp_path / "float.wav", sine(0.1, RATE), RATE)
    data = bytearray(path.read_bytes())
    data[20:22] = (3).to_bytes(2, "little")  # WAVE_FORMAT_IEEE_FLOAT, which the wave module refuses
    path.write_bytes(bytes(data))
    with pytest.raises(AudioError):
        read_wav(path)
