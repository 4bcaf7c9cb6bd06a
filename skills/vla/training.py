"""Training the built-in VLA: seeded, resumable, CPU by default, CUDA when present.

:func:`train_vla` reads a LeRobotDataset v3.0 recording (:mod:`.data`), fills the model's
normalisation from the dataset's statistics, and minimises the flow-matching loss with
AdamW (linear warm-up, cosine decay). Every ``save_every`` steps it writes a resumable
checkpoint (:mod:`.checkpoint`); run the same command again and it continues from the last
one. Batches are drawn from a generator seeded by ``(seed, step, rank)``, so a resumed run
sees the data an uninterrupted run would have seen.

The loop is written for one process but is ready for several: when
``torch.distributed`` is initialised (``torchrun``), the model is wrapped in
``DistributedDataParallel``, every rank draws its own batches and only rank 0 writes.
"""

from __future__ import annotations

import json
import logging
import math
import platform
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from housemind.skills.vla.configuration import VLAConfig

__all__ = ["TrainConfig", "train_vla"]

logger = logging.getLogger(__name__)

_LAST = "last"


@dataclass
class TrainConfig:
    """How to train.

    Attributes:
        dataset: The recording to learn from.
        out: Output folder: ``checkpoints/`` while training, ``model/`` at the end.
        steps: Optimiser steps in all.
        batch_size: Frames per step (per process).
        lr: Peak learning rate.
        weight_decay: AdamW weight decay.
        warmup: Steps of linear warm-up.
        seed: Seeds the weights and the batches.
        device: ``auto`` (CUDA when present, else CPU), ``cpu`` or ``cuda``.
        save_every: Steps between resumable checkpoints.
        log_every: Steps between progress reports.
        threads: CPU threads for torch (None: torch's default).
        cache: Folder for the cropped-image cache (None: the housemind cache).
        max_episodes: Learn from only the first this many successful episodes.
        val_dataset: A second recording whose loss is reported (never trained on).
        resume: Continue from ``out/checkpoints/last`` when it exists.
        command: The command line that started training (recorded with the model).
        fp16: Store the final model's weights in float16 (half the size; checkpoints for
            resuming stay float32).
        stop_after: Stop after this step of the ``steps`` schedule (the learning rate
            follows the whole schedule) and write ``model/`` there; running again without
            it continues to the end.
    """

    dataset: str
    out: str
    steps: int = 12_000
    batch_size: int = 64
    lr: float = 4e-4
    weight_decay: float = 1e-4
    warmup: int = 500
    seed: int = 0
    device: str = "auto"
    save_every: int = 1000
    log_every: int = 50
    threads: int | None = None
    cache: str | None = None
    max_episodes: int | None = None
    val_dataset: str | None = None
    resume: bool = True
    command: str = ""
    fp16: bool = False
    stop_after: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def _device(name: str) -> Any:
    import torch

    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda: no CUDA device is available here; use cpu or auto")
    if name not in ("cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda, got {name!r}")
    return torch.device(name)


def _rank_world() -> tuple[int, int]:
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def _lr_at(step: int, cfg: TrainConfig) -> float:
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    frac = (step - cfg.warmup) / max(1, cfg.steps - cfg.warmup)
    return cfg.lr * (0.1 + 0.9 * 0.5 * (1.0 + math.cos(math.pi * min(1.0, frac))))


def _tensors(batch: dict[str, np.ndarray], proc: Any, device: Any) -> tuple[Any, ...]:
    import torch

    return (
        torch.from_numpy(proc.images(batch["crops"])).to(device),
        torch.from_numpy(batch["text"]).to(device),
        torch.from_numpy(proc.state(batch["states"])).to(device),
        torch.from_numpy(proc.normalize_actions(batch["actions"])).to(device),
    )


def train_vla(
    cfg: TrainConfig,
    model_config: VLAConfig | None = None,
    *,
    progress: Callable[[dict[str, Any]], None] | None = None,
    text: Any = None,
) -> dict[str, Any]:
    """Train (or resume training) and write the final model to ``out/model``.

    Args:
        cfg: How to train.
        model_config: The model (default :class:`VLAConfig`); its normalisation is
            filled from the dataset. On resume the checkpoint's config is used, and a
            different one given here is an error.
        progress: Called with ``{"step", "steps", "loss", ...}`` every ``log_every``
            steps and with ``{"stage": ...}`` while preparing.
        text: The sentence encoder (:class:`~skills.vla.processor.TextEncoder`; default
            the shipped sentence model).

    Returns:
        Training summary (also written to ``out/model/train_info.json``).

    Raises:
        ValueError: bad settings, or a resume with another model config.
    """
    import torch

    from housemind.skills.recording import LeRobotDatasetReader
    from housemind.skills.vla.checkpoint import load_training_state, save_model, save_training_state
    from housemind.skills.vla.data import fill_statistics, load_training_frames
    from housemind.skills.vla.modeling import VLAModel, count_parameters
    from housemind.skills.vla.processor import TextEncoder, VLAProcessor

    if cfg.steps < 1 or cfg.batch_size < 1:
        raise ValueError(f"steps and batch size must be >= 1 (got {cfg.steps}, {cfg.batch_size})")
    if cfg.stop_after is not None and not 1 <= cfg.stop_after <= cfg.steps:
        raise ValueError(
            f"stop_after must be a step of the schedule, 1 to {cfg.steps}; got {cfg.stop_after}"
        )
    end = cfg.steps if cfg.stop_after is None else cfg.stop_after
    say = progress or (lambda info: None)
    rank, world = _rank_world()
    device = _device(cfg.device)
    if cfg.threads is not None:
        torch.set_num_threads(cfg.threads)
    out = Path(cfg.out)
    last = out / "checkpoints" / _LAST
    resuming = cfg.resume and (last / "training_state.json").is_file()
    if resuming:
        saved = VLAConfig.load(last)
        if model_config is not None:
            wanted = fill_statistics(
                VLAConfig.from_dict(model_config.to_dict()),
                LeRobotDatasetReader(cfg.dataset).stats,
            )
            mine, theirs = wanted.to_dict(), saved.to_dict()
            mine.pop("skills"), theirs.pop("skills")
            if mine != theirs:
                raise ValueError(
                    f"{last} was trained with another model config; use a new --out, or "
                    "resume without changing the model options"
                )
        mcfg = saved
    else:
        mcfg = VLAConfig.from_dict((model_config or VLAConfig()).to_dict())
        fill_statistics(mcfg, LeRobotDatasetReader(cfg.dataset).stats)
    text = text if text is not None else TextEncoder()
    proc = VLAProcessor(mcfg, text)
    say({"stage": "loading the dataset"})
    frames = load_training_frames(
        cfg.dataset,
        mcfg,
        cache=cfg.cache,
        text=text,
        max_episodes=cfg.max_episodes,
        progress=lambda m: say({"stage": m}),
    )
    val = None
    if cfg.val_dataset:
        val = load_training_frames(cfg.val_dataset, mcfg, cache=cfg.cache, text=text)
    if not resuming:
        mcfg.skills = sorted(k for k in frames.skills if k != "all")
    torch.manual_seed(cfg.seed)
    model = VLAModel(mcfg).to(device)
    decay = [p for n, p in model.named_parameters() if p.ndim >= 2]
    other = [p for n, p in model.named_parameters() if p.ndim < 2]
    opt = torch.optim.AdamW(
        [
            {"params": decay, "weight_decay": cfg.weight_decay},
            {"params": other, "weight_decay": 0.0},
        ],
        lr=cfg.lr,
        betas=(0.9, 0.95),
    )
    start, history, wall_before = 0, [], 0.0
    if resuming:
        meta = load_training_state(last, model, opt)
        start = int(meta["step"])
        history = list(meta.get("history", []))
        wall_before = float(meta.get("wall_s", 0.0))
        say({"stage": f"resumed from step {start}"})
    train_model: Any = model
    if world > 1:
        train_model = torch.nn.parallel.DistributedDataParallel(model)
    h = mcfg.chunk_size
    val_batch = None
    if val is not None:
        vrng = np.random.default_rng([cfg.seed, 10**6])
        val_batch = _tensors(val.batch(vrng, min(512, len(val)), h), proc, device)
    t0 = time.perf_counter()
    window: list[float] = []
    model.train()
    step = start
    for step in range(start, end):
        rng = np.random.default_rng([cfg.seed, step, rank])
        gen = torch.Generator(device=device).manual_seed(int(rng.integers(2**62)))
        images, texts, states, actions = _tensors(
            frames.batch(rng, cfg.batch_size, h), proc, device
        )
        for g in opt.param_groups:
            g["lr"] = _lr_at(step, cfg)
        loss = train_model(images, texts, states, actions, generator=gen)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        window.append(float(loss.detach()))
        done = step + 1
        if done % cfg.log_every == 0 or done == end:
            rec: dict[str, Any] = {
                "step": done,
                "steps": cfg.steps,
                "loss": round(float(np.mean(window)), 5),
                "lr": _lr_at(step, cfg),
                "steps_per_s": round((done - start) / (time.perf_counter() - t0), 3),
            }
            if val_batch is not None:
                rec["val_loss"] = round(_val_loss(model, val_batch, cfg.seed), 5)
                model.train()
            window = []
            history.append(rec)
            say(rec)
        if rank == 0 and (done % cfg.save_every == 0 or done == end):
            save_training_state(
                last,
                model,
                opt,
                done,
                {
                    "history": history,
                    "wall_s": wall_before + time.perf_counter() - t0,
                    "train_config": asdict(cfg),
                },
            )
    wall = wall_before + time.perf_counter() - t0
    info = {
        "params": count_parameters(model),
        "steps": max(end, start),
        "schedule_steps": cfg.steps,
        "resumed_from": start if resuming else None,
        "frames": len(frames),
        "episodes_skills": frames.skills,
        "wall_s": round(wall, 1),
        "device": str(device),
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch threads",
        "final_loss": history[-1]["loss"] if history else None,
        "history": history,
        "train_config": asdict(cfg),
    }
    if rank == 0:
        final = out / "model"
        model.eval()
        save_model(model, final, metadata={"steps": str(max(end, start))}, fp16=cfg.fp16)
        (final / "train_info.json").write_text(json.dumps(info, indent=2) + "\n")
        info["model"] = str(final)
    return info


def _val_loss(model: Any, batch: tuple[Any, ...], seed: int) -> float:
    import torch

    model.eval()
    with torch.no_grad():
        gen = torch.Generator(device=batch[0].device).manual_seed(seed + 12345)
        return float(model.loss(*batch, generator=gen))
