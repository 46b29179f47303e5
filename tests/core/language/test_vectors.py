"""The scorer's word vectors: built from the pinned encoder, checked, and meaningful."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from simulator.core.language import build, vectors
from simulator.core.language.vectors import LanguageModelMissing


@pytest.fixture(scope="module")
def table() -> vectors.StaticVectors:
    return vectors.load(build.ensure_built())


def test_vectors_are_unit_length_and_empty_text_is_zero(table: vectors.StaticVectors) -> None:
    assert np.linalg.norm(table.embed("I'll lock the card now")) == pytest.approx(1.0, abs=1e-3)
    assert not table.embed("").any()
    assert not table.embed("  ...  !!").any()  # punctuation carries no weight


def test_paraphrases_are_closer_than_unrelated_sentences(table: vectors.StaticVectors) -> None:
    a, b, c = table.embed_many(
        ["I'm flagging both transactions as fraud now", "I'll open a dispute on those charges", "My cat likes fish"]
    )
    assert float(a @ b) > float(a @ c) + 0.15


def test_frequent_words_weigh_less_than_content_words() -> None:
    assert build.token_weight("the") < 0.05 < build.token_weight("refund")
    assert build.token_weight("[CLS]") == 0.0 == build.token_weight(",")


def test_a_missing_table_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(LanguageModelMissing, match="models build"):
        vectors.load(tmp_path / "absent.npy")


def test_a_table_of_another_shape_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.npy"
    np.save(wrong, np.zeros((10, 3), np.float16))
    with pytest.raises(LanguageModelMissing, match="not a vector table"):
        vectors.load(wrong)


def test_a_tampered_vocabulary_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vectors, "VOCAB_SHA256", "0" * 64)
    with pytest.raises(LanguageModelMissing, match="SHA-256"):
        vectors._tokenizer()


def test_an_encoder_that_does_not_match_its_hash_is_not_run(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(build, "ONNX_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="SHA-256"):
        build.build(tmp_path)
    assert not vectors.table_path(tmp_path).exists()


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(vectors.CACHE_ENV, str(tmp_path))
    assert vectors.table_path().parent == tmp_path
