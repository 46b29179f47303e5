"""Static word vectors: load the distilled table and embed answers and clauses with it.

Why a weighted mean: frequent words ("I", "the", "you") say little about what an answer does,
so each row is pre-multiplied by a smooth inverse frequency weight (a / (a + p(word))) when the
table is built; here a text's vector is the normalised sum of its tokens' rows.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]

ASSETS = Path(__file__).resolve().parents[3] / "assets" / "models" / "minilm"
VOCAB_PATH = ASSETS / "vocab.txt"
# bert-base-uncased's WordPiece vocabulary as all-MiniLM-L6-v2 ships it (Apache-2.0).
VOCAB_SHA256 = "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3"
TABLE_VERSION = 1
DIM = 384
CACHE_ENV = "EMPATHY_TRAINER_CACHE"


class LanguageModelMissing(RuntimeError):
    """The vector table has not been built on this machine (``python -m simulator models build``)."""


def cache_dir() -> Path:
    """Where built models live: ``$EMPATHY_TRAINER_CACHE`` or the platform's per-user cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("empathy-trainer", appauthor=False))


def table_path(folder: Path | None = None) -> Path:
    return (folder or cache_dir()) / f"static-minilm-v{TABLE_VERSION}.npy"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class StaticVectors:
    """A token table and the tokenizer that indexes it."""

    table: npt.NDArray[np.float16]
    tokenizer: object  # tokenizers.BertWordPieceTokenizer (untyped library)

    def token_ids(self, text: str) -> list[int]:
        encoding = self.tokenizer.encode(text, add_special_tokens=False)  # type: ignore[attr-defined]
        return list(encoding.ids)

    def embed(self, text: str) -> Vector:
        """The unit vector of ``text`` (all zeros for text with no known token)."""
        return self.embed_ids(self.token_ids(text))

    def embed_ids(self, ids: list[int]) -> Vector:
        if not ids:
            return np.zeros(DIM, np.float32)
        total = self.table[ids].astype(np.float32).sum(axis=0)
        norm = float(np.linalg.norm(total))
        return total / norm if norm > 1e-9 else np.zeros(DIM, np.float32)

    def embed_many(self, texts: list[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, DIM), np.float32)
        # One text at a time: encode_batch starts a thread pool, which deadlocks a process that forks
        # after using it (crash-recovery tests, the app's subprocesses) and gains nothing on short texts.
        return np.stack([self.embed(text) for text in texts])


def _tokenizer() -> object:
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from tokenizers import BertWordPieceTokenizer

    if sha256_of(VOCAB_PATH) != VOCAB_SHA256:
        raise LanguageModelMissing(f"{VOCAB_PATH} does not match its pinned SHA-256: reinstall the app")
    return BertWordPieceTokenizer(str(VOCAB_PATH), lowercase=True)


@lru_cache(maxsize=2)
def load(path: Path | None = None) -> StaticVectors:
    """Load the built table (memoised per path: it is immutable and 23 MB)."""
    path = path or table_path()
    if not path.is_file():
        raise LanguageModelMissing(
            f"the scorer's language model is not built yet ({path}); run: python -m simulator models build"
        )
    table = np.load(path, allow_pickle=False)
    if table.dtype != np.float16 or table.ndim != 2 or table.shape[1] != DIM:
        raise LanguageModelMissing(f"{path} is not a vector table of this version; rebuild it")
    return StaticVectors(table=table, tokenizer=_tokenizer())
