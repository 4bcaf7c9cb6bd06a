"""``housemind bench vla``: the VLA's size and the time for one chunk on one CPU thread.

``chunk_ms`` is one call of the chunk graph (encoder, every denoising step, the
real-time-chunking guidance) with one thread, on inputs of the model's shapes;
``policy_ms`` adds what the policy does around it for one observation (crop, cached
sentence embedding, normalisation, holding actions to the control rate).
``chunk_cpu_ms_p50`` is the CPU time of the calling thread per chunk (ONNX Runtime with
one thread computes in it): on a machine shared with other work it shows what a chunk
costs when the wall time also counts waiting for a core.
"""

from __future__ import annotations

import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["TARGETS", "count_weights", "run_bench"]

#: The issue's targets.
TARGETS = {"params": 20_000_000, "chunk_ms_p50": 10.0}


def count_weights(folder: str | Path) -> int:
    """Parameters stored in a model folder's ``model.safetensors`` (no torch needed)."""
    from safetensors import safe_open

    n = 0
    with safe_open(str(Path(folder) / "model.safetensors"), framework="numpy") as f:
        for key in f.keys():  # noqa: SIM118 - safe_open has no iterator
            if "grid" in key:  # the spatial softmax's coordinate buffer is not learned
                continue
            n += int(np.prod(f.get_slice(key).get_shape()))
    return n


def _pct(values: list[float], q: float) -> float:
    return round(float(np.percentile(np.asarray(values) * 1000.0, q)), 3)


def run_bench(
    checkpoint: str | Path | None = None,
    backend: str = "onnx",
    calls: int = 200,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Measure the VLA at ``checkpoint`` (default: the shipped one).

    Returns:
        ``params``, ``chunk_ms_p50``, ``chunk_ms_p95``, ``policy_ms_p50``, the backend,
        the chunk's shape, the load average and the machine.
    """
    from housemind.skills.policies.vla import vla_checkpoint
    from housemind.skills.vla.inference import _INPUTS, _sample_inputs, load_runner
    from housemind.skills.vla.policy import VLAPolicy
    from housemind.skills.vla.processor import TextEncoder, VLAProcessor

    say = progress or (lambda m: None)
    folder = Path(checkpoint) if checkpoint is not None else vla_checkpoint()
    if backend == "torch":
        import torch

        torch.set_num_threads(1)
    say(f"loading {folder} ({backend})")
    cfg, runner = load_runner(folder, backend, threads=1)  # type: ignore[arg-type]
    sample = _sample_inputs(cfg)
    args = [sample[n] for n in _INPUTS]
    for _ in range(10):
        runner(*args)
    say(f"timing {calls} chunks")
    times, cpu = [], []
    for _ in range(calls):
        t, c = time.perf_counter(), time.thread_time()
        runner(*args)
        times.append(time.perf_counter() - t)
        cpu.append(time.thread_time() - c)
    # The policy around it: one random camera image, a sentence embedded once (cached).
    dim = cfg.text_dim
    proc = VLAProcessor(cfg, TextEncoder(lambda texts: np.ones((len(texts), dim), np.float32)))
    pol = VLAPolicy(runner, proc, control_hz=cfg.fps * 4)
    from datetime import UTC, datetime

    from housemind.skills.types import Observation, Proprio

    rng = np.random.default_rng(0)
    obs = Observation(
        time=datetime(2026, 1, 1, tzinfo=UTC),
        image=rng.integers(0, 255, (cfg.camera_size, cfg.camera_size, 3), dtype=np.uint8),
        proprio=Proprio(x=1.0, y=2.0, theta=0.3),
    )
    prefix = np.zeros((cfg.chunk_size * 2, cfg.action_dim), np.float32)
    ptimes = []
    for i in range(calls // 2):
        t = time.perf_counter()
        pol.predict_chunk(obs, "pick up the mug", prefix=prefix if i % 2 else None)
        ptimes.append(time.perf_counter() - t)
    return {
        "params": count_weights(folder),
        "chunk_ms_p50": _pct(times, 50),
        "chunk_ms_p95": _pct(times, 95),
        "chunk_cpu_ms_p50": _pct(cpu, 50),
        "policy_ms_p50": _pct(ptimes, 50),
        "backend": runner.name,
        "threads": 1,
        "chunk": [cfg.chunk_size, cfg.action_dim],
        "denoise_steps": cfg.denoise_steps,
        "checkpoint": str(folder),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "targets": TARGETS,
    }
