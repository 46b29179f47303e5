"""The customer's voice: real espeak-ng through pyttsx3, the cache, and the retry/fallback path."""

from __future__ import annotations

import json
import subprocess
import sys
import wave
from pathlib import Path

import pytest

from simulator.speech.audio import read_wav, speech_seconds, wav_seconds
from simulator.speech.tts import (
    EspeakProgram,
    Synthesizer,
    VoiceSettings,
    VoiceUnavailable,
    plausible,
)
from tests.conftest import DATA, ROOT

TIMEOUT = 30.0
LINE = "I have been waiting on hold for forty minutes and nobody can tell me where my order is."


def customer_lines(count: int) -> list[str]:
    """Distinct customer lines from the calibration sets: what the app actually speaks."""
    lines: list[str] = []
    for path in sorted((DATA / "calibration").glob("*.jsonl")):
        for row in path.read_text(encoding="utf-8").splitlines():
            if row.strip():
                line = json.loads(row)["customer_line"]
                if line not in lines and 8 <= len(line.split()) <= 30:
                    lines.append(line)
    assert len(lines) >= count
    return lines[:count]


def test_real_engine_renders_a_plausible_wav(synthesizer: Synthesizer) -> None:
    path = synthesizer.render(LINE, VoiceSettings()).result(TIMEOUT)
    assert path.is_file()
    assert path.parent == synthesizer.cache
    assert plausible(path, LINE)
    with wave.open(str(path), "rb") as w:
        assert (w.getnchannels(), w.getsampwidth()) == (1, 2)
    words = len(LINE.split())
    # 18 words at 175 words a minute is about 6 s; espeak adds pauses at punctuation.
    assert 0.5 * words / 175 * 60 < wav_seconds(path) < 2.0 * words / 175 * 60
    clip = read_wav(path)
    assert speech_seconds(clip) > 0.8 * clip.seconds - 0.5  # sound, not a silent file of the right length


def test_same_text_and_voice_again_is_a_cache_hit(synthesizer: Synthesizer) -> None:
    voice = VoiceSettings(pitch=40)
    text = "Can you please just tell me when the engineer is actually going to turn up?"
    first = synthesizer.render(text, voice).result(TIMEOUT)
    stamp = first.stat().st_mtime_ns
    before = dict(synthesizer.stats)
    future = synthesizer.render(text, voice)
    assert future.done()  # answered from the cache, without a trip to the engine's thread
    assert future.result() == first
    assert synthesizer.stats["cached"] == before["cached"] + 1
    assert synthesizer.stats["rendered"] == before["rendered"]
    assert first.stat().st_mtime_ns == stamp


def test_a_different_rate_is_a_different_file(synthesizer: Synthesizer) -> None:
    text = "I just want my money back for a subscription I never meant to renew."
    slow = synthesizer.render(text, VoiceSettings(rate=120)).result(TIMEOUT)
    fast = synthesizer.render(text, VoiceSettings(rate=240)).result(TIMEOUT)
    assert slow != fast
    assert slow.is_file() and fast.is_file()
    assert synthesizer.cached(text, VoiceSettings(rate=120)) == slow


def test_the_rate_is_applied_to_the_file(synthesizer: Synthesizer) -> None:
    text = "Honestly, I have been a customer for nine years and nobody has ever treated me like this."
    slow = synthesizer.render(text, VoiceSettings(rate=120)).result(TIMEOUT)
    fast = synthesizer.render(text, VoiceSettings(rate=240)).result(TIMEOUT)
    assert wav_seconds(slow) > 1.5 * wav_seconds(fast), (wav_seconds(slow), wav_seconds(fast))


class EmptyFileEngine:
    """Writes a zero-length file, as pyttsx3 was seen to on the first call in a fresh process."""

    name = "empty"

    def __init__(self, good_after: int | None = None) -> None:
        self.calls = 0
        self.good_after = good_after
        self.real = EspeakProgram()

    def render(self, text: str, voice: VoiceSettings, path: Path) -> None:
        self.calls += 1
        if self.good_after is not None and self.calls > self.good_after:
            self.real.render(text, voice, path)
        else:
            path.write_bytes(b"")


def test_an_empty_file_is_rendered_again(tmp_path: Path) -> None:
    engine = EmptyFileEngine(good_after=1)
    synth = Synthesizer(tmp_path, lambda: engine, fallback=None)
    try:
        path = synth.render(LINE, VoiceSettings()).result(TIMEOUT)
        assert plausible(path, LINE)
        assert engine.calls == 2
        assert synth.stats == {"rendered": 1, "cached": 0, "retried": 1, "fallback": 0}
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no .part file left behind
    finally:
        synth.close()


def test_an_engine_that_keeps_writing_empty_files_is_replaced_by_the_fallback(tmp_path: Path) -> None:
    engine = EmptyFileEngine()
    synth = Synthesizer(tmp_path, lambda: engine, fallback=EspeakProgram())
    try:
        assert synth.engine_problem() is None
        path = synth.render(LINE, VoiceSettings()).result(TIMEOUT)
        assert plausible(path, LINE)
        assert engine.calls == 2  # tried, retried, then the espeak-ng program
        assert synth.stats["fallback"] == 1
        assert synth.stats["rendered"] == 1
        assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]
    finally:
        synth.close()


def test_no_engine_and_no_fallback_is_reported_not_hidden(tmp_path: Path) -> None:
    def broken() -> EspeakProgram:
        raise VoiceUnavailable("the espeak-ng voice engine could not start (libespeak-ng.so.1: not found)")

    synth = Synthesizer(tmp_path, broken, fallback=None)
    try:
        assert synth.engine_problem() == "the espeak-ng voice engine could not start (libespeak-ng.so.1: not found)"
        with pytest.raises(VoiceUnavailable, match="could not be spoken"):
            synth.render(LINE, VoiceSettings()).result(TIMEOUT)
        assert list(tmp_path.glob("*.wav")) == []
    finally:
        synth.close()


def test_no_engine_with_a_fallback_still_speaks(tmp_path: Path) -> None:
    def broken() -> EspeakProgram:
        raise VoiceUnavailable("pyttsx3 is not installed")

    synth = Synthesizer(tmp_path, broken, fallback=EspeakProgram())
    try:
        problem = synth.engine_problem()
        assert problem is not None and "pyttsx3 is not installed" in problem and "espeak-ng program" in problem
        assert plausible(synth.render(LINE, VoiceSettings()).result(TIMEOUT), LINE)
        assert synth.stats["fallback"] == 1
    finally:
        synth.close()


def test_twenty_renders_in_a_row_from_the_real_engine_are_all_plausible(synthesizer: Synthesizer) -> None:
    """One pyttsx3 engine on one thread, twenty lines in a row: every file handed back is plausible."""
    voice = VoiceSettings(rate=170, pitch=55)
    before = dict(synthesizer.stats)
    lines = customer_lines(20)
    paths = [synthesizer.render(line, voice).result(TIMEOUT) for line in lines]
    assert len(set(paths)) == 20
    bad = [line for line, path in zip(lines, paths, strict=True) if not plausible(path, line)]
    assert bad == []
    assert synthesizer.stats["rendered"] - before["rendered"] == 20
    changes = {key: synthesizer.stats[key] - before[key] for key in ("retried", "fallback")}
    print(f"\n20 renders: {changes}")  # the first attempt is not always clean: see the xfail tests below


FIRST_CALL = """
import json, sys
from pathlib import Path
from simulator.speech.audio import wav_seconds
from simulator.speech.tts import EspeakProgram, VoiceSettings, default_synthesizer
text, cache = sys.argv[1], Path(sys.argv[2])
voice = VoiceSettings(rate=165)
synth = default_synthesizer(cache / "app")
path = synth.render(text, voice).result(30)
synth.close()
reference = cache / "reference.wav"
EspeakProgram().render(text, voice, reference)
print(json.dumps({"seconds": wav_seconds(path), "reference": wav_seconds(reference), "stats": synth.stats}))
"""


@pytest.mark.slow
def test_the_first_line_in_a_fresh_process_is_complete(tmp_path: Path) -> None:
    """The issue: the first call in a fresh process gave a bad file. The customer's first line must still
    be whole: as long as espeak-ng's own rendering of it, however the synthesizer got there."""
    text = json.loads((DATA / "calibration" / "set_a.jsonl").read_text(encoding="utf-8").splitlines()[0])["response"]
    assert len(text.split()) > 60  # a long line: the case where pyttsx3 was slowest to write the file
    result = subprocess.run(
        [sys.executable, "-c", FIRST_CALL, text, str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\nfirst call in a fresh process: {report}")
    assert report["seconds"] == pytest.approx(report["reference"], rel=0.05)
    assert report["stats"]["rendered"] == 1


def render_while_reading(synth: Synthesizer, voice: VoiceSettings, lines: list[str]) -> list[Path]:
    """Each line rendered, then read on this thread at once, as the app does before playing it."""
    paths = []
    for line in lines:
        path = synth.render(line, voice).result(TIMEOUT)
        read_wav(path)  # holds the GIL in NumPy while the engine's thread finishes its callbacks
        paths.append(path)
    return paths


def test_lines_rendered_while_the_app_is_busy_need_no_retry(synthesizer: Synthesizer) -> None:
    """The issue's hope: one engine on one thread is clean. Measured: 8 of 40 first attempts empty."""
    voice = VoiceSettings(rate=175, pitch=60)
    before = dict(synthesizer.stats)
    render_while_reading(synthesizer, voice, customer_lines(20))
    assert (synthesizer.stats["retried"], synthesizer.stats["fallback"]) == (before["retried"], before["fallback"])
