"""Audio as the app handles it: 16-bit mono PCM, WAV files, levels and silence.

Recordings and recogniser input are 16 kHz mono 16-bit, the format Whisper
models expect; anything else (the TTS engine's 22 kHz, a 44.1 kHz stereo
recording) is converted here. Only the standard library and NumPy.
"""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np

RATE = 16_000
WIDTH = 2  # bytes per sample


@dataclass(frozen=True)
class Clip:
    """Mono 16-bit PCM at ``rate`` Hz."""

    pcm: bytes
    rate: int = RATE

    @property
    def seconds(self) -> float:
        return len(self.pcm) / WIDTH / self.rate

    def samples(self) -> np.ndarray:
        """Float32 samples in [-1, 1]."""
        return np.frombuffer(self.pcm, dtype="<i2").astype(np.float32) / 32768.0


class AudioError(Exception):
    """An audio file that cannot be read: ``str()`` says why in plain words."""


def read_wav(path: Path) -> Clip:
    """A WAV file as 16 kHz mono 16-bit, whatever its rate, channels or 8/16/24/32-bit width."""
    try:
        with wave.open(str(path), "rb") as w:
            channels, width, rate = w.getnchannels(), w.getsampwidth(), w.getframerate()
            frames = w.readframes(w.getnframes())
    except (OSError, EOFError, wave.Error) as exc:
        raise AudioError(f"{path}: not a readable WAV file ({exc})") from None
    if rate <= 0 or channels <= 0 or width not in (1, 2, 3, 4):
        raise AudioError(f"{path}: unsupported WAV format ({channels} channels, {width * 8}-bit, {rate} Hz)")
    return Clip(to_pcm16(decode(frames, width), channels, rate))


def decode(frames: bytes, width: int) -> np.ndarray:
    """Interleaved little-endian PCM of ``width`` bytes to float32 in [-1, 1]."""
    usable = len(frames) - len(frames) % width
    raw = np.frombuffer(frames[:usable], dtype=np.uint8)
    if width == 1:
        return (raw.astype(np.float32) - 128.0) / 128.0
    if width == 2:
        return raw.view("<i2").astype(np.float32) / 32768.0
    if width == 3:
        triples = raw.reshape(-1, 3).astype(np.int32)
        values = triples[:, 0] | (triples[:, 1] << 8) | (triples[:, 2] << 16)
        values = np.where(values >= 1 << 23, values - (1 << 24), values)
        return values.astype(np.float32) / float(1 << 23)
    return raw.view("<i4").astype(np.float32) / float(1 << 31)


def to_pcm16(samples: np.ndarray, channels: int, rate: int) -> bytes:
    """Mix down to mono and resample (linear interpolation: plenty for speech) to 16 kHz PCM."""
    if channels > 1:
        samples = samples[: len(samples) - len(samples) % channels].reshape(-1, channels).mean(axis=1)
    if rate != RATE and len(samples):
        count = max(1, round(len(samples) * RATE / rate))
        samples = np.interp(np.linspace(0, len(samples) - 1, count), np.arange(len(samples)), samples)
    return bytes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())


def write_wav(path: Path, clip: Clip) -> None:
    """Write atomically: a crash never leaves half a recording under the final name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".part")
    with wave.open(str(temporary), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(WIDTH)
        w.setframerate(clip.rate)
        w.writeframes(clip.pcm)
    temporary.replace(path)


def wav_seconds(path: Path) -> float:
    """Duration of a WAV file; 0.0 if it is missing, empty or not a WAV."""
    try:
        with wave.open(str(path), "rb") as w:
            rate = w.getframerate()
            return w.getnframes() / rate if rate else 0.0
    except (OSError, EOFError, wave.Error):
        return 0.0


def level(pcm: bytes) -> float:
    """Loudness of a chunk from 0 (silence) to 1 (full scale), on a dB scale a meter can show."""
    if len(pcm) < WIDTH:
        return 0.0
    samples = np.frombuffer(pcm[: len(pcm) - len(pcm) % WIDTH], dtype="<i2").astype(np.float32) / 32768.0
    rms = float(np.sqrt(np.mean(samples * samples)))
    if rms <= 1e-5:
        return 0.0
    return max(0.0, min(1.0, (20 * float(np.log10(rms)) + 60) / 60))  # -60 dBFS .. 0 dBFS


# Level above which a chunk counts as speech (about -36 dBFS).
SPEECH_LEVEL = 0.4


def speech_start(clip: Clip, chunk_seconds: float = 0.03) -> float | None:
    """Seconds until the first chunk loud enough to be speech; None if there is none."""
    step = int(clip.rate * chunk_seconds) * WIDTH
    for offset in range(0, len(clip.pcm), step):
        if level(clip.pcm[offset : offset + step]) >= SPEECH_LEVEL:
            return offset / WIDTH / clip.rate
    return None


def speech_seconds(clip: Clip) -> float:
    """Duration from the first to the last loud chunk: the time actually spent talking."""
    start = speech_start(clip)
    if start is None:
        return 0.0
    reverse = Clip(np.frombuffer(clip.pcm, dtype="<i2")[::-1].tobytes(), clip.rate)
    end_gap = speech_start(reverse) or 0.0
    return max(0.0, clip.seconds - start - end_gap)


def read_audio(path: Path) -> Clip:
    """Any audio file as 16 kHz mono 16-bit: WAV directly, FLAC/MP3/OGG/... through PyAV (faster-whisper)."""
    if path.suffix.lower() == ".wav":
        return read_wav(path)
    if not path.is_file():
        raise AudioError(f"{path}: no such file")
    try:
        from faster_whisper.audio import decode_audio
    except ImportError as exc:
        raise AudioError(f"{path}: only WAV files can be read here (faster-whisper is not installed: {exc})") from None
    try:
        samples = decode_audio(str(path), sampling_rate=RATE)
    except IndexError:  # PyAV opened it but found no audio stream (a text file, an image)
        raise AudioError(f"{path}: not an audio file (no sound in it)") from None
    except Exception as exc:  # PyAV's own errors (InvalidDataError, EOFError) carry a plain strerror
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        raise AudioError(f"{path}: not a readable audio file ({reason})") from None
    if not len(samples):
        raise AudioError(f"{path}: not a readable audio file (no audio in it)")
    return Clip(to_pcm16(np.asarray(samples, dtype=np.float32), 1, RATE))
