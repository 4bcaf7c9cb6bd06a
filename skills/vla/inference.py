"""Running a trained VLA: one call from processed observation to chunk, ONNX or torch.

The whole chunk computation (encoder, every denoising step, real-time-chunking guidance) is
one graph, :class:`~skills.vla.modeling.ChunkSampler`. :func:`load_runner` exports it to
ONNX the first time a model folder is used (into the housemind cache, keyed by the
weights' fingerprint; needs torch once) and runs it on ONNX Runtime with one thread: no
Python between the steps, the GIL released for the whole call (the control thread keeps
its rate), and no torch import in later processes. ``backend="torch"`` runs the same graph
eagerly in torch.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from pathlib import Path
from typing import Any, Literal, Protocol

import numpy as np

from housemind.skills.vla.configuration import VLAConfig

__all__ = ["ChunkRunner", "OnnxRunner", "TorchRunner", "export_onnx", "load_runner"]

logger = logging.getLogger(__name__)

Backend = Literal["auto", "onnx", "torch"]
_INPUTS = ("image", "text", "state", "noise", "prefix", "weights")
#: Largest difference between the ONNX and torch chunks accepted at export.
_EXPORT_TOLERANCE = 1e-3


class ChunkRunner(Protocol):
    """Computes a normalised chunk ``float32[1, H, A]`` from processed inputs."""

    name: str

    def __call__(
        self,
        image: np.ndarray,
        text: np.ndarray,
        state: np.ndarray,
        noise: np.ndarray,
        prefix: np.ndarray,
        weights: np.ndarray,
    ) -> np.ndarray:
        """Inputs as in :class:`~skills.vla.modeling.ChunkSampler`, batch of one."""
        ...


def _sample_inputs(cfg: VLAConfig, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    s, h, a = cfg.input_size, cfg.chunk_size, cfg.action_dim
    return {
        "image": rng.random((1, 3, s, s), dtype=np.float32),
        "text": rng.standard_normal((1, cfg.text_dim), dtype=np.float32),
        "state": rng.standard_normal((1, cfg.state_dim), dtype=np.float32),
        "noise": rng.standard_normal((1, h, a), dtype=np.float32),
        "prefix": rng.uniform(-1, 1, (1, h, a)).astype(np.float32),
        "weights": np.linspace(1, 0, h, dtype=np.float32)[None, :, None].repeat(a, axis=2),
    }


class TorchRunner:
    """The chunk graph in eager torch (inference mode).

    Args:
        model: A :class:`~skills.vla.modeling.VLAModel`.
    """

    name = "torch"

    def __init__(self, model: Any) -> None:
        from housemind.skills.vla.modeling import ChunkSampler

        self._sampler = ChunkSampler(model.eval())
        self._lock = threading.Lock()

    def __call__(self, *inputs: np.ndarray) -> np.ndarray:
        """See :class:`ChunkRunner`."""
        import torch

        with self._lock, torch.inference_mode():
            out = self._sampler(*(torch.from_numpy(np.ascontiguousarray(x)) for x in inputs))
        return out.numpy()


class OnnxRunner:
    """The chunk graph on ONNX Runtime (CPU, ``threads`` intra-op threads).

    Args:
        path: The exported ``model.onnx``.
        threads: Intra-op threads (1 keeps a core free for the control loop).
    """

    name = "onnx"

    def __init__(self, path: str | Path, threads: int = 1) -> None:
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        opts.log_severity_level = 3
        self._session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])

    def __call__(self, *inputs: np.ndarray) -> np.ndarray:
        """See :class:`ChunkRunner` (ONNX Runtime releases the GIL while it runs)."""
        feed = {
            n: np.ascontiguousarray(x, dtype=np.float32)
            for n, x in zip(_INPUTS, inputs, strict=True)
        }
        return self._session.run(None, feed)[0]


def export_onnx(model: Any, path: str | Path) -> Path:
    """Export ``model``'s chunk graph to ``path`` and check it against torch.

    Raises:
        RuntimeError: if ONNX Runtime's chunk differs from torch's.
    """
    import torch

    from housemind.skills.vla.modeling import ChunkSampler

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sampler = ChunkSampler(model.eval()).eval()  # the wrapper too: export warns otherwise
    sample = _sample_inputs(model.config)
    args = tuple(torch.from_numpy(sample[n]) for n in _INPUTS)
    tmp = path.with_name(path.name + ".tmp")
    with torch.no_grad():
        program = torch.onnx.export(
            sampler,
            args,
            input_names=list(_INPUTS),
            output_names=["chunk"],
            dynamo=True,
            external_data=False,
            verbose=False,
        )
        program.save(str(tmp))
        want = sampler(*args).numpy()
    got = OnnxRunner(tmp)(*(sample[n] for n in _INPUTS))
    err = float(np.abs(got - want).max())
    if not err <= _EXPORT_TOLERANCE:
        tmp.unlink(missing_ok=True)
        raise RuntimeError(f"the ONNX export of the VLA differs from torch by {err:.2e}")
    os.replace(tmp, path)
    return path


def _fingerprint(folder: Path) -> str:
    h = hashlib.sha256()
    for name in ("config.json", "model.safetensors"):
        h.update((folder / name).read_bytes())
    return h.hexdigest()[:20]


def load_runner(
    folder: str | Path,
    backend: Backend = "auto",
    *,
    cache: str | Path | None = None,
    threads: int = 1,
) -> tuple[VLAConfig, ChunkRunner]:
    """The config and a chunk runner for a model folder (``config.json`` + weights).

    Args:
        folder: The model folder.
        backend: ``onnx``, ``torch``, or ``auto`` (ONNX when onnxruntime is installed and
            the export works, else torch with a warning).
        cache: Where ONNX exports are kept (default: the housemind cache folder).
        threads: Threads for ONNX Runtime.

    Raises:
        FileNotFoundError: if the folder has no model.
        RuntimeError: if ``onnx`` was asked for and cannot be had.
    """
    folder = Path(folder)
    cfg = VLAConfig.load(folder)
    if backend not in ("auto", "onnx", "torch"):
        raise ValueError(f"backend must be auto, onnx or torch, got {backend!r}")
    if backend != "torch":
        try:
            import onnxruntime  # noqa: F401

            if cache is None:
                from housemind.memory.embeddings import cache_dir

                cache = cache_dir()
            onnx_path = Path(cache) / "vla-onnx" / _fingerprint(folder) / "model.onnx"
            if not onnx_path.is_file():
                from housemind.skills.vla.checkpoint import load_model

                logger.info("exporting the VLA at %s to ONNX (once)", folder)
                export_onnx(load_model(folder), onnx_path)
                (onnx_path.parent / "source.json").write_text(json.dumps({"folder": str(folder)}))
            return cfg, OnnxRunner(onnx_path, threads=threads)
        except Exception as e:  # noqa: BLE001 - fall back with the reason, or say it
            if backend == "onnx":
                raise RuntimeError(f"cannot run the VLA on ONNX Runtime: {e}") from e
            logger.warning("VLA on ONNX Runtime unavailable (%s); using torch", e)
    from housemind.skills.vla.checkpoint import load_model

    return cfg, TorchRunner(load_model(folder))
