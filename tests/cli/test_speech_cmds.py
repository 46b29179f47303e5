"""``transcribe`` and ``doctor`` run for real: espeak-ng speaks, the bundled Whisper model listens.

Each test runs ``python -m simulator`` as a subprocess, as a trainer would: the
model, PyAV and Qt Multimedia load in a fresh process, and nothing is mocked.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.speech.tts import EspeakProgram, VoiceSettings
from simulator.speech.wer import edit_distance, word_error_rate, words

from .conftest import ROOT

AUDIO = ROOT / "tests" / "data" / "audio"
JFK = AUDIO / "jfk.flac"
SENTENCES = (
    "I am sorry to hear about the delay with your order.",
    "The customer wants a refund for the broken phone.",
)


def simulator(*argv: str, qt: bool = False) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("EMPATHY_TRAINER_DATA", None)
    if qt:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run(
        [sys.executable, "-m", "simulator", *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def json_lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines()]


# -- transcribe -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The two sentences as WAV files from the espeak-ng program."""
    folder = tmp_path_factory.mktemp("spoken")
    espeak = EspeakProgram()
    paths = []
    for number, sentence in enumerate(SENTENCES):
        path = folder / f"sentence-{number}.wav"
        espeak.render(sentence, VoiceSettings(), path)
        paths.append(path)
    return paths


def test_transcribes_each_file_and_reports_unreadable_ones(spoken: list[Path], tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not audio, just notes\n", encoding="utf-8")
    result = simulator("transcribe", str(spoken[0]), str(spoken[1]), str(notes))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    first, second, bad = json_lines(result.stdout)
    for line, path, sentence in ((first, spoken[0], SENTENCES[0]), (second, spoken[1], SENTENCES[1])):
        assert line["file"] == str(path)
        assert isinstance(line["seconds"], float) and line["seconds"] > 0
        assert line["seconds"] == round(line["seconds"], 2)
        assert isinstance(line["text"], str)
        assert edit_distance(words(sentence), words(line["text"])) <= 1, line["text"]
    assert bad["file"] == str(notes)
    assert set(bad) == {"file", "error"}
    assert str(notes) in str(bad["error"])


def test_only_unreadable_files_exit_1(tmp_path: Path) -> None:
    missing = tmp_path / "missing.wav"
    result = simulator("transcribe", str(missing))
    assert result.returncode == 1
    (line,) = json_lines(result.stdout)
    assert line["file"] == str(missing)
    assert "error" in line and "text" not in line
    assert "Traceback" not in result.stderr


def test_a_missing_model_folder_exits_2_with_the_fix(tmp_path: Path) -> None:
    result = simulator("transcribe", "--model", "/nonexistent", str(tmp_path / "x.wav"))
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert "/nonexistent" in result.stderr
    assert "model.bin" in result.stderr
    assert "fix:" in result.stderr


def test_flac_recording_is_transcribed_accurately() -> None:
    result = simulator("transcribe", str(JFK.relative_to(ROOT)))
    assert result.returncode == 0, result.stderr
    (line,) = json_lines(result.stdout)
    assert line["file"] == "tests/data/audio/jfk.flac"
    assert line["seconds"] == pytest.approx(11.0, abs=0.1)
    reference = (AUDIO / "jfk.txt").read_text(encoding="utf-8")
    assert word_error_rate(reference, str(line["text"])) <= 0.2, line["text"]


# -- doctor ---------------------------------------------------------------------------


def test_doctor_json_on_this_machine(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = simulator("--data-dir", str(data), "doctor", "--json", qt=True)
    assert result.returncode == 0, result.stdout + result.stderr
    checks = {c["check"]: c for c in json.loads(result.stdout)}
    assert list(checks) == ["voice engine", "recognition model", "audio input", "audio output", "data directory"]
    for check in checks.values():
        assert set(check) == {"check", "status", "detail", "fix"}
        assert check["status"] in ("OK", "MISSING", "PROBLEM")
        assert (check["fix"] is None) == (check["status"] == "OK")
    assert checks["voice engine"]["status"] == "OK"
    assert checks["recognition model"]["status"] == "OK"
    assert "loaded in" in checks["recognition model"]["detail"]
    assert checks["data directory"]["status"] == "OK"
    assert data.is_dir() and list(data.iterdir()) == []  # created, and the test file cleaned up
    # This sandbox has no sound devices; a machine with them reports OK.
    assert checks["audio input"]["status"] in ("OK", "MISSING")
    assert checks["audio output"]["status"] in ("OK", "MISSING")
    if checks["audio input"]["status"] == "MISSING":
        assert "text mode" in checks["audio input"]["detail"]
        assert "libpulse0" in checks["audio input"]["fix"]


def test_doctor_reports_an_unusable_data_dir(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    result = simulator("--data-dir", str(blocker / "data"), "doctor", qt=True)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    (row,) = [i for i, line in enumerate(lines) if "data directory:" in line]
    assert lines[row].startswith("PROBLEM")
    assert str(blocker / "data") in lines[row]
    assert lines[row + 1].strip().startswith("fix:")
    assert lines[0].startswith("OK") and "voice engine" in lines[0]
    assert "Not ready" in result.stdout
