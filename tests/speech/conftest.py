"""Shared speech fixtures: one recogniser model and one synthesizer thread for the whole session.

Loading the model (about half a second) and starting espeak-ng once keeps the
speech tests fast, and matches the app, which holds one of each for the whole run.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from simulator.speech.recognizer import RecognizerUnavailable, WhisperRecognizer
from simulator.speech.tts import Synthesizer, VoiceUnavailable, default_synthesizer


@pytest.fixture(scope="session")
def recognizer() -> WhisperRecognizer:
    model = WhisperRecognizer()
    try:
        model.load()
    except RecognizerUnavailable as exc:
        pytest.skip(f"speech recognition unavailable: {exc}")
    return model


@pytest.fixture(scope="session")
def synthesizer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesizer]:
    try:
        synth = default_synthesizer(tmp_path_factory.mktemp("tts-cache"))
    except VoiceUnavailable as exc:  # pragma: no cover - espeak-ng missing entirely
        pytest.skip(f"text-to-speech unavailable: {exc}")
    problem = synth.engine_problem()
    if problem is not None and synth.fallback is None:
        synth.close()
        pytest.skip(f"text-to-speech unavailable: {problem}")
    yield synth
    synth.close()
