"""Training the built-in VLA: seeded, resumable, CPU by default, CUDA when present.

:func:`train_vla` reads a LeRobotDataset v3.0 recording (:mod:`.data`), fills the model's
normalisation from the dataset's statistics, and minimises the flow-matching loss with
AdamW (linear warm-up, cosine decay). Every ``save_every`` steps it writes a resumable
checkpoint (:mod:`.checkpoint`); run the same command again and it continues from the last
one. Batches (frames, flow noise and flow times) are drawn from a generator seeded by
``(seed, step)``, so a resumed run sees the data an uninterrupted run would have seen.

Several processes train together under ``torchrun`` (:mod:`.distributed`): the model is
wrapped in ``DistributedDataParallel``; every rank draws the same global batch of
``batch_size`` frames and trains on its ``batch_size / world`` rows of it, and the averaged
gradients equal those of the whole batch, so N processes follow the single-process run
(up to floating-point rounding). Only rank 0 writes checkpoints and the model and reports
progress; the reported loss is the mean over all ranks.
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
        batch_size: Frames per step in all (the global batch); under ``torchrun`` each of
            the N processes trains on ``batch_size / N`` of them (it must divide).
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

    Under ``torchrun`` every process calls this with the same arguments: it joins the
    process group (:func:`~skills.vla.distributed.setup`), trains its share of every
    global batch, and leaves the group when all ranks are done.

    Args:
        cfg: How to train.
        model_config: The model (default :class:`VLAConfig`); its normalisation is
            filled from the dataset. On resume the checkpoint's config is used, and a
            different one given here is an error.
        progress: Called with ``{"step", "steps", "loss", ...}`` every ``log_every``
            steps and with ``{"stage": ...}`` while preparing (on rank 0 only).
        text: The sentence encoder (:class:`~skills.vla.processor.TextEncoder`; default
            the shipped sentence model).

    Returns:
        Training summary (also written to ``out/model/train_info.json``), with ``rank``
        and ``world_size``; ``model`` (the folder) on rank 0.

    Raises:
        ValueError: bad settings, a resume with another model config, or a batch size
            that the number of processes does not divide.
    """
    from housemind.skills.vla import distributed

    if cfg.steps < 1 or cfg.batch_size < 1:
        raise ValueError(f"steps and batch size must be >= 1 (got {cfg.steps}, {cfg.batch_size})")
    if cfg.stop_after is not None and not 1 <= cfg.stop_after <= cfg.steps:
        raise ValueError(
            f"stop_after must be a step of the schedule, 1 to {cfg.steps}; got {cfg.stop_after}"
        )
    dist_info = distributed.setup(cfg.device)
    try:
        distributed.shard(cfg.batch_size, dist_info)
        info = _train(cfg, model_config, dist_info, progress, text)
    except BaseException:
        if dist_info.owns_group:
            import torch.distributed as dist

            dist.destroy_process_group()
        raise
    distributed.teardown(dist_info)
    return info


def _train(
    cfg: TrainConfig,
    model_config: VLAConfig | None,
    dist_info: Any,
    progress: Callable[[dict[str, Any]], None] | None,
    text: Any,
) -> dict[str, Any]:
    import torch

    from housemind.skills.recording import LeRobotDatasetReader
    from housemind.skills.vla import distributed
    from housemind.skills.vla.checkpoint import load_training_state, save_model, save_training_state
    from housemind.skills.vla.data import fill_statistics, load_training_frames
    from housemind.skills.vla.modeling import VLAModel, count_parameters
    from housemind.skills.vla.processor import TextEncoder, VLAProcessor

    end = cfg.steps if cfg.stop_after is None else cfg.stop_after
    rank, world, device = dist_info.rank, dist_info.world, dist_info.device
    main = dist_info.is_main
    say = progress if (progress is not None and main) else (lambda info: None)
    mine = distributed.shard(cfg.batch_size, dist_info)
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
            mine_cfg, theirs = wanted.to_dict(), saved.to_dict()
            mine_cfg.pop("skills"), theirs.pop("skills")
            if mine_cfg != theirs:
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
    if not main:  # rank 0 fills the image cache first; the others then read it
        distributed.barrier(dist_info)
    frames = load_training_frames(
        cfg.dataset,
        mcfg,
        cache=cfg.cache,
        text=text,
        max_episodes=cfg.max_episodes,
        progress=lambda m: say({"stage": m}),
    )
    val = None
    if cfg.val_dataset and main:
        val = load_training_frames(cfg.val_dataset, mcfg, cache=cfg.cache, text=text)
    if main:
        distributed.barrier(dist_info)
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
        _same_start_everywhere(start, dist_info, last)
        train_model = torch.nn.parallel.DistributedDataParallel(
            model,
            device_ids=[device.index] if device.type == "cuda" else None,
            broadcast_buffers=False,  # the only buffer is a constant grid
        )
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
        # Every rank draws the same global batch (the trailing 0 keeps the batches of
        # runs made before training was distributed) and keeps its rows of it.
        rng = np.random.default_rng([cfg.seed, step, 0])
        gen = torch.Generator(device=device).manual_seed(int(rng.integers(2**62)))
        rows = rng.choice(len(frames), size=cfg.batch_size, p=frames.weights)
        noise = torch.randn((cfg.batch_size, h, mcfg.action_dim), generator=gen, device=device)
        t = torch.rand(cfg.batch_size, generator=gen, device=device)
        images, texts, states, actions = _tensors(
            frames.batch(rng, cfg.batch_size, h, rows=rows[mine]), proc, device
        )
        for g in opt.param_groups:
            g["lr"] = _lr_at(step, cfg)
        loss = train_model(images, texts, states, actions, noise=noise[mine], t=t[mine])
        opt.zero_grad(set_to_none=True)
        loss.backward()  # DistributedDataParallel averages the gradients over the ranks
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        window.append(float(loss.detach()))
        done = step + 1
        if done % cfg.log_every == 0 or done == end:
            rec: dict[str, Any] = {
                "step": done,
                "steps": cfg.steps,
                "loss": round(_mean_over_ranks(window, dist_info), 5),
                "lr": _lr_at(step, cfg),
                "steps_per_s": round((done - start) / (time.perf_counter() - t0), 3),
            }
            if val_batch is not None:
                rec["val_loss"] = round(_val_loss(model, val_batch, cfg.seed), 5)
                model.train()
            window = []
            history.append(rec)
            say(rec)
        if main and (done % cfg.save_every == 0 or done == end):
            save_training_state(
                last,
                model,
                opt,
                done,
                {
                    "history": history,
                    "wall_s": wall_before + time.perf_counter() - t0,
                    "train_config": asdict(cfg),
                    "world_size": world,
                },
            )
    wall = wall_before + time.perf_counter() - t0
    digest = distributed.check_in_sync(model, dist_info)
    info = {
        "params": count_parameters(model),
        "steps": max(end, start),
        "schedule_steps": cfg.steps,
        "resumed_from": start if resuming else None,
        "frames": len(frames),
        "episodes_skills": frames.skills,
        "wall_s": round(wall, 1),
        "device": str(device),
        "rank": rank,
        "world_size": world,
        "weights_sha256": digest,
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch threads",
        "final_loss": history[-1]["loss"] if history else None,
        "history": history,
        "train_config": asdict(cfg),
    }
    if main:
        final = out / "model"
        model.eval()
        save_model(model, final, metadata={"steps": str(max(end, start))}, fp16=cfg.fp16)
        (final / "train_info.json").write_text(json.dumps(info, indent=2) + "\n")
        info["model"] = str(final)
    return info


def _mean_over_ranks(values: list[float], dist_info: Any) -> float:
    """Mean of ``values`` over every rank (the ranks' batches are the same size)."""
    local = float(np.mean(values))
    if dist_info.world == 1:
        return local
    import torch

    from housemind.skills.vla.distributed import all_reduce_sum

    total = torch.tensor([local], dtype=torch.float64, device=dist_info.device)
    return float(all_reduce_sum(total, dist_info).item()) / dist_info.world


def _same_start_everywhere(start: int, dist_info: Any, last: Path) -> None:
    """Refuse to train when the ranks resumed from different steps (no shared folder)."""
    import torch

    from housemind.skills.vla.distributed import all_gather

    mine = torch.tensor([start], dtype=torch.int64, device=dist_info.device)
    seen = sorted({int(s.item()) for s in all_gather(mine, dist_info)})
    if len(seen) > 1:
        raise ValueError(
            f"the processes resumed from different steps {seen} of {last}: every rank must "
            "see the same --out folder (a shared file system), or start over with --fresh"
        )


def _val_loss(model: Any, batch: tuple[Any, ...], seed: int) -> float:
    import torch

    model.eval()
    with torch.no_grad():
        gen = torch.Generator(device=batch[0].device).manual_seed(seed + 12345)
        return float(model.loss(*batch, generator=gen))
