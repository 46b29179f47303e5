"""The customer's voice: text to a WAV file, offline, cached, and checked before it is played.

One dedicated thread owns the engine for the whole run. Every file is checked
(exists, not empty, a plausible duration for its words) and a bad one is
rendered again. Files are cached by text and voice settings, so a replay, or
the same line in the next attempt, costs nothing. Which engine renders, and
why it is not pyttsx3's espeak driver on Linux, is in ``default_synthesizer``."""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import queue
import shutil
import subprocess
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from simulator.speech.audio import wav_seconds

log = logging.getLogger(__name__)

# espeak-ng at its fastest (450 words a minute) needs about 0.13 s a word; never less than this.
MIN_SECONDS_PER_WORD = 0.08
RENDER_TIMEOUT = 30.0


class VoiceUnavailable(Exception):
    """No text-to-speech engine works here; ``str()`` says why and what to install."""


@dataclass(frozen=True)
class VoiceSettings:
    voice: str = "en-us"
    rate: int = 175  # words per minute
    pitch: int = 50  # 0-99, espeak's scale
    volume: float = 1.0

    def key(self) -> str:
        return f"{self.voice}|{self.rate}|{self.pitch}|{self.volume:.2f}"


class Engine(Protocol):
    """Renders one line to a WAV file; may fail or write a bad file (the synthesizer checks)."""

    name: str

    def render(self, text: str, voice: VoiceSettings, path: Path) -> None: ...


def plausible(path: Path, text: str) -> bool:
    words = max(1, len(text.split()))
    return wav_seconds(path) >= MIN_SECONDS_PER_WORD * words


class EspeakProgram:
    """The ``espeak-ng`` command: one short-lived process per line, so no state leaks between lines."""

    name = "espeak-ng"

    def __init__(self, program: str | None = None) -> None:
        found = program or shutil.which("espeak-ng") or shutil.which("espeak")
        if found is None:
            raise VoiceUnavailable("espeak-ng is not installed (Debian: sudo apt-get install espeak-ng)")
        self.program = found

    def render(self, text: str, voice: VoiceSettings, path: Path) -> None:
        amplitude = str(max(0, min(200, round(voice.volume * 100))))
        command = [self.program, "-v", voice.voice, "-s", str(voice.rate), "-p", str(voice.pitch)]
        command += ["-a", amplitude, "-w", str(path), "--stdin"]
        subprocess.run(command, input=text.encode("utf-8"), capture_output=True, timeout=RENDER_TIMEOUT, check=True)


class Pyttsx3Engine:
    """pyttsx3's espeak driver. Create and use it on one thread only (the synthesizer's)."""

    name = "pyttsx3"

    def __init__(self) -> None:
        try:
            import pyttsx3
        except ImportError as exc:
            raise VoiceUnavailable(f"pyttsx3 is not installed ({exc})") from None
        try:
            # pyttsx3 prints "Audio saved to ..." on every file; keep the terminal clean.
            with contextlib.redirect_stdout(io.StringIO()):
                self.engine: Any = pyttsx3.init("espeak")
        except Exception as exc:  # pyttsx3 raises bare RuntimeError/OSError when libespeak-ng is missing
            raise VoiceUnavailable(f"the espeak-ng voice engine could not start ({exc})") from None

    def render(self, text: str, voice: VoiceSettings, path: Path) -> None:
        self.engine.setProperty("voice", voice.voice)
        self.engine.setProperty("rate", voice.rate)
        self.engine.setProperty("pitch", voice.pitch)
        self.engine.setProperty("volume", max(0.0, min(1.0, voice.volume)))
        # pyttsx3 2.99's espeak driver appends the last chunk of a line after writing the file, so it
        # would start the next file; start every render with an empty buffer.
        driver = getattr(getattr(self.engine, "proxy", None), "_driver", None)
        if driver is not None and hasattr(driver, "_data_buffer"):
            driver._data_buffer = b""
        with contextlib.redirect_stdout(io.StringIO()):
            self.engine.save_to_file(text, str(path))
            self.engine.runAndWait()


class Synthesizer:
    """Renders lines on its own thread; ``render`` returns a future of the WAV's path.

    ``engine_factory`` runs on that thread (pyttsx3 must be created where it is used);
    ``fallback`` is tried when the engine fails twice.
    """

    def __init__(
        self,
        cache: Path,
        engine_factory: Any = Pyttsx3Engine,
        fallback: Engine | None = None,
    ) -> None:
        self.cache = cache
        self.fallback = fallback
        self._jobs: queue.Queue[tuple[str, VoiceSettings, Future[Path]] | None] = queue.Queue()
        self._ready: Future[Engine | None] = Future()
        self._thread = threading.Thread(target=self._run, args=(engine_factory,), name="tts", daemon=True)
        self._thread.start()
        self.stats = {"rendered": 0, "cached": 0, "retried": 0, "fallback": 0}

    def engine_problem(self, timeout: float = RENDER_TIMEOUT) -> str | None:
        """Why the main engine could not start, or None when it works (waits for it to start)."""
        try:
            self._ready.result(timeout)
        except VoiceUnavailable as exc:
            return str(exc) if self.fallback is None else f"{exc}; using the {self.fallback.name} program instead"
        return None

    def path_for(self, text: str, voice: VoiceSettings) -> Path:
        digest = hashlib.sha256(f"{voice.key()}\n{text}".encode()).hexdigest()[:32]
        return self.cache / f"{digest}.wav"

    def cached(self, text: str, voice: VoiceSettings) -> Path | None:
        path = self.path_for(text, voice)
        return path if plausible(path, text) else None

    def render(self, text: str, voice: VoiceSettings) -> Future[Path]:
        future: Future[Path] = Future()
        hit = self.cached(text, voice)
        if hit is not None:
            self.stats["cached"] += 1
            future.set_result(hit)
        else:
            self._jobs.put((text, voice, future))
        return future

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=5)

    # -- the engine's thread ----------------------------------------------------------

    def _run(self, engine_factory: Any) -> None:
        engine: Engine | None
        try:
            engine = engine_factory()
            self._ready.set_result(engine)
        except VoiceUnavailable as exc:
            log.warning("text-to-speech engine unavailable: %s", exc)
            engine = None
            self._ready.set_exception(exc)
        while (job := self._jobs.get()) is not None:
            text, voice, future = job
            try:
                future.set_result(self._render(engine, text, voice))
            except Exception as exc:
                future.set_exception(exc)

    def _render(self, engine: Engine | None, text: str, voice: VoiceSettings) -> Path:
        path = self.path_for(text, voice)
        if plausible(path, text):  # rendered while this job waited in the queue
            return path
        self.cache.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.stem + ".part.wav")
        attempts: list[Engine] = [engine, engine] if engine is not None else []
        if self.fallback is not None:
            attempts.append(self.fallback)
        errors = []
        for number, candidate in enumerate(attempts):
            partial.unlink(missing_ok=True)
            try:
                candidate.render(text, voice, partial)
            except Exception as exc:
                errors.append(f"{candidate.name}: {exc}")
                continue
            if plausible(partial, text):
                partial.replace(path)
                self.stats["rendered"] += 1
                if number == 1:
                    self.stats["retried"] += 1
                if candidate is self.fallback:
                    self.stats["fallback"] += 1
                return path
            errors.append(f"{candidate.name}: wrote {wav_seconds(partial):.2f} s for {len(text.split())} words")
            log.warning("bad speech file from %s, trying again: %s", candidate.name, errors[-1])
        partial.unlink(missing_ok=True)
        raise VoiceUnavailable("the customer's line could not be spoken: " + "; ".join(errors or ["no engine"]))


def default_synthesizer(cache: Path) -> Synthesizer:
    """The espeak-ng program where it exists, else pyttsx3 (SAPI5, NSSpeechSynthesizer, libespeak).

    Measured with pyttsx3 2.99's espeak driver on one thread: ``runAndWait()`` returns once
    synthesis has started and espeak's callbacks write the file later, so after one empty
    file every later file held the *previous* line (at its rate): a check of the file's
    duration cannot see that, and a customer saying the wrong line is worse than silence.
    The espeak-ng program renders the same voice in a process of its own, in about 15 ms.
    """
    try:
        program = EspeakProgram()
    except VoiceUnavailable:
        return Synthesizer(cache, Pyttsx3Engine, fallback=None)
    return Synthesizer(cache, lambda: program, fallback=None)
