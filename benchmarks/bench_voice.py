"""Benchmark: the voice loop — recognition accuracy and speed, and time to the customer's first audio.

(a) Recognition: calibration answers of 8-30 words (a fixed choice, all
    scenarios in turn) spoken by espeak-ng at 165 words a minute through the
    app's Synthesizer, plus tests/data/audio/jfk.flac when present, each
    transcribed by the app's WhisperRecognizer. Reports corpus word error rate
    (lower-case words, punctuation stripped, "one".."twenty" as digits), the
    real-time factor (recognition time / audio time) and the model load time.
(b) Time to first audio of a ~20-word customer line, until the WAV file is
    ready to hand to the player: cold (a new line, rendered; the engine already
    started), cold right after a transcription (the conversation's real order),
    and cached (the same line again). Medians over several lines.

    .venv/bin/python benchmarks/bench_voice.py [--utterances 40] [--lines 9] [--show] [--json]

Targets: WER <= 0.10, RTF <= 0.3, cold <= 300 ms, cached <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from simulator.speech import audio  # noqa: E402
from simulator.speech.audio import RATE, Clip, read_wav, to_pcm16  # noqa: E402
from simulator.speech.recognizer import WhisperRecognizer, audio_data  # noqa: E402
from simulator.speech.tts import Synthesizer, VoiceSettings, default_synthesizer  # noqa: E402
from simulator.speech.wer import edit_distance, words  # noqa: E402

CALIBRATION = ROOT / "tests" / "data" / "calibration"
JFK = ROOT / "tests" / "data" / "audio" / "jfk.flac"
VOICE = VoiceSettings(rate=165)
TIMEOUT = 60.0
TARGETS = {"wer": 0.10, "rtf": 0.3, "cold_ms": 300.0, "cached_ms": 50.0}


def calibration_rows() -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted(CALIBRATION.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]


def pick_answers(count: int) -> list[str]:
    """The first answers of 8-30 words by id, one scenario at a time in turn (as tests/speech/test_roundtrip.py)."""
    by_scenario: dict[str, list[str]] = {}
    for row in sorted(calibration_rows(), key=lambda r: str(r["id"])):
        if 8 <= len(row["response"].split()) <= 30:
            by_scenario.setdefault(str(row["scenario"]), []).append(str(row["response"]))
    picked: list[str] = []
    rank = 0
    while len(picked) < count and any(rank < len(v) for v in by_scenario.values()):
        for scenario in sorted(by_scenario):
            if rank < len(by_scenario[scenario]) and len(picked) < count:
                picked.append(by_scenario[scenario][rank])
        rank += 1
    return picked


def customer_lines(count: int) -> list[str]:
    """Distinct customer lines of 18-22 words: what the app speaks, about 20 words each."""
    lines: list[str] = []
    for row in calibration_rows():
        line = str(row["customer_line"])
        if 18 <= len(line.split()) <= 22 and line not in lines:
            lines.append(line)
    return lines[:count]


def read_any(path: Path) -> Clip:
    """A FLAC/MP3/... file as 16 kHz mono: the app's reader when it has one, else faster-whisper's decoder."""
    reader = getattr(audio, "read_audio", None)
    if reader is not None:
        clip: Clip = reader(path)
        return clip
    from faster_whisper.audio import decode_audio

    return Clip(to_pcm16(decode_audio(str(path), sampling_rate=RATE), 1, RATE))


@dataclass
class Utterance:
    reference: str
    transcript: str
    errors: int
    words: int
    seconds: float
    elapsed: float


def recognition(synth: Synthesizer, recognizer: WhisperRecognizer, count: int) -> list[Utterance]:
    clips: list[tuple[str, Clip]] = []
    for text in pick_answers(count):
        clips.append((text, read_wav(synth.render(text, VOICE).result(TIMEOUT))))
    reference = JFK.with_suffix(".txt")
    if JFK.is_file() and reference.is_file():
        clips.append((reference.read_text(encoding="utf-8").strip(), read_any(JFK)))
    results = []
    for text, clip in clips:
        transcript = recognizer.transcribe(audio_data(clip))
        ref, hyp = words(text), words(transcript.text)
        results.append(
            Utterance(text, transcript.text, edit_distance(ref, hyp), len(ref), transcript.seconds, transcript.elapsed)
        )
    return results


def first_audio_ms(synth: Synthesizer, text: str) -> float:
    started = time.perf_counter()
    synth.render(text, VOICE).result(TIMEOUT)
    return (time.perf_counter() - started) * 1000


def first_audio(synth: Synthesizer, recognizer: WhisperRecognizer, lines: list[str]) -> dict[str, list[float]]:
    """Cold and cached times for half the lines; the other half rendered straight after a transcription."""
    half = len(lines) // 2
    heard = audio_data(read_wav(synth.render(lines[0] + " Thank you.", VOICE).result(TIMEOUT)))
    cold = [first_audio_ms(synth, line) for line in lines[:half]]
    cached = [first_audio_ms(synth, line) for line in lines[:half]]
    after_transcription = []
    for line in lines[half:]:
        recognizer.transcribe(heard)
        after_transcription.append(first_audio_ms(synth, line))
    return {"cold": cold, "after_transcription": after_transcription, "cached": cached}


def verdict(value: float, target: float) -> str:
    return "met" if value <= target else "NOT met"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--utterances", type=int, default=40, help="calibration answers to recognise (40)")
    parser.add_argument("--lines", type=int, default=16, help="customer lines for time to first audio (16)")
    parser.add_argument("--show", action="store_true", help="print every utterance that was misheard")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    recognizer = WhisperRecognizer()
    started = time.perf_counter()
    recognizer.load()
    load_seconds = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bench-voice-") as cache:
        synth = default_synthesizer(Path(cache))
        try:
            engine = synth.engine_problem() or "espeak-ng"
            heard = recognition(synth, recognizer, args.utterances)
            times = first_audio(synth, recognizer, customer_lines(args.lines))
            stats = dict(synth.stats)
        finally:
            synth.close()
    errors, total = sum(u.errors for u in heard), sum(u.words for u in heard)
    audio_seconds, elapsed = sum(u.seconds for u in heard), sum(u.elapsed for u in heard)
    wer, rtf = errors / total, elapsed / audio_seconds
    medians = {name: statistics.median(values) for name, values in times.items()}
    if args.json:
        report = {
            "utterances": len(heard),
            "words": total,
            "wer": wer,
            "rtf": rtf,
            "audio_seconds": audio_seconds,
            "model_load_seconds": load_seconds,
            "first_audio_ms": times,
            "first_audio_median_ms": medians,
            "synthesizer": stats,
            "engine": engine,
        }
        print(json.dumps(report, indent=2))
        return 0
    print(f"Voice benchmark: {len(heard)} utterances ({total} words, {audio_seconds:.0f} s of audio); voice: {engine}")
    rows = [
        ("model load", f"{load_seconds:.2f} s", "-", "-"),
        ("recognition WER", f"{wer:.3f}", f"<= {TARGETS['wer']:.2f}", verdict(wer, TARGETS["wer"])),
        ("real-time factor", f"{rtf:.3f}", f"<= {TARGETS['rtf']:.1f}", verdict(rtf, TARGETS["rtf"])),
    ]
    for name, label, target in (
        ("cold", "first audio, cold", "cold_ms"),
        ("after_transcription", "first audio, cold after ASR", "cold_ms"),
        ("cached", "first audio, cached", "cached_ms"),
    ):
        value = medians[name]
        shown = f"{value:.1f} ms (max {max(times[name]):.1f}, n={len(times[name])})"
        rows.append((label, shown, f"<= {TARGETS[target]:.0f} ms", verdict(value, TARGETS[target])))
    print(f"  {'measure':<28} {'value (median)':<30} {'target':<10} result")
    for label, value_text, target_text, result in rows:
        print(f"  {label:<28} {value_text:<30} {target_text:<10} {result}")
    print(
        f"  synthesizer: {stats['rendered']} rendered, {stats['cached']} cached, "
        f"{stats['retried']} needed a retry, {stats['fallback']} fell back"
    )
    if args.show:
        for u in heard:
            if u.errors:
                print(f"  [{u.errors}/{u.words}] {u.reference!r}\n        heard {u.transcript!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
