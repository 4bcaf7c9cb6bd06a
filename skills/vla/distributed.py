"""Several training processes (``torchrun``): the process group and each rank's share.

``torchrun`` (``python -m torch.distributed.run``, or any launcher that sets the same
variables) starts one process per GPU (or several on a CPU) and tells each its place
through the environment:
``RANK``, ``WORLD_SIZE``, ``LOCAL_RANK``, ``MASTER_ADDR`` and ``MASTER_PORT``.
:func:`setup` reads them, joins the process group (``nccl`` on CUDA, ``gloo`` on CPU) and
picks the rank's device; :func:`shard` cuts a global batch into the rank's share. A
process started without those variables is a world of one and nothing is initialised.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "DistInfo",
    "all_gather",
    "all_reduce_sum",
    "barrier",
    "check_in_sync",
    "launched_rank",
    "setup",
    "shard",
    "teardown",
    "weights_digest",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DistInfo:
    """Where this process stands among the training processes.

    Attributes:
        rank: This process's rank (0 writes checkpoints, logs and the final model).
        world: How many processes train together.
        local_rank: Rank on this machine (picks the CUDA device).
        device: The ``torch.device`` this rank trains on.
        owns_group: Whether :func:`setup` initialised the process group (and
            :func:`teardown` should destroy it).
    """

    rank: int
    world: int
    local_rank: int
    device: Any
    owns_group: bool = False

    @property
    def is_main(self) -> bool:
        """True on rank 0."""
        return self.rank == 0


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(
            f"environment variable {name}={raw!r} is not an integer; it is set by torchrun "
            "(unset it to train in one process)"
        ) from None


def launched_rank() -> int:
    """The rank ``torchrun`` gave this process (0 when not launched by it)."""
    return _env_int("RANK", 0)


def _device(name: str, local_rank: int, world: int) -> Any:
    import torch

    if name not in ("auto", "cpu", "cuda"):
        raise ValueError(f"device must be auto, cpu or cuda, got {name!r}")
    if name == "cuda" and not torch.cuda.is_available():
        raise ValueError("--device cuda: no CUDA device is available here; use cpu or auto")
    if name == "cpu" or (name == "auto" and not torch.cuda.is_available()):
        return torch.device("cpu")
    if world == 1:
        return torch.device("cuda")
    count = torch.cuda.device_count()
    if local_rank >= count:
        raise ValueError(
            f"rank {local_rank} on this machine has no GPU of its own ({count} visible); "
            f"start at most {count} processes per machine (torchrun --nproc_per_node={count})"
        )
    return torch.device("cuda", local_rank)


def setup(device: str = "auto") -> DistInfo:
    """Join the process group ``torchrun`` described, or stand alone; pick the device.

    When the group is already initialised (a caller did it), it is used as it is.

    Args:
        device: ``auto`` (CUDA when present), ``cpu`` or ``cuda``.

    Raises:
        ValueError: a bad device name, CUDA asked for but absent, more processes on a
            machine than GPUs, or a malformed ``RANK``/``WORLD_SIZE``.
    """
    import torch
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        rank, world = dist.get_rank(), dist.get_world_size()
        local = _env_int("LOCAL_RANK", rank)
        return DistInfo(rank, world, local, _device(device, local, world))
    world = _env_int("WORLD_SIZE", 1)
    rank = _env_int("RANK", 0)
    local = _env_int("LOCAL_RANK", 0)
    if world <= 1:
        return DistInfo(0, 1, 0, _device(device, 0, 1))
    if not dist.is_available():
        raise ValueError("WORLD_SIZE > 1 but this torch build has no torch.distributed")
    if not 0 <= rank < world:
        raise ValueError(f"RANK={rank} is outside WORLD_SIZE={world}")
    dev = _device(device, local, world)
    backend = "nccl" if dev.type == "cuda" else "gloo"
    if dev.type == "cuda":
        torch.cuda.set_device(dev)
    dist.init_process_group(backend=backend, rank=rank, world_size=world)
    logger.info("rank %d of %d joined the %s process group on %s", rank, world, backend, dev)
    return DistInfo(rank, world, local, dev, owns_group=True)


def teardown(info: DistInfo) -> None:
    """Wait for every rank, then leave the process group if :func:`setup` created it."""
    import torch.distributed as dist

    if info.world > 1 and dist.is_initialized():
        barrier(info)
        if info.owns_group:
            dist.destroy_process_group()


def barrier(info: DistInfo) -> None:
    """Wait until every rank gets here (nothing in a world of one)."""
    import torch.distributed as dist

    if info.world > 1:
        if info.device.type == "cuda":
            dist.barrier(device_ids=[info.device.index])
        else:
            dist.barrier()


def shard(size: int, info: DistInfo) -> slice:
    """This rank's rows of a global batch of ``size`` (equal shares, in rank order).

    Raises:
        ValueError: if ``size`` is not a multiple of the number of processes.
    """
    if size % info.world:
        raise ValueError(
            f"the batch size ({size}) is the global batch of all {info.world} processes and "
            f"must be a multiple of it; use --batch-size {(size // info.world + 1) * info.world}"
        )
    per = size // info.world
    return slice(info.rank * per, (info.rank + 1) * per)


def weights_digest(model: Any) -> str:
    """SHA-256 of a module's ``state_dict`` (names and exact tensor bytes, in order)."""
    h = hashlib.sha256()
    for name, tensor in model.state_dict().items():
        h.update(name.encode())
        h.update(tensor.detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


def check_in_sync(model: Any, info: DistInfo) -> str:
    """Check that every rank holds exactly the same weights; returns their digest.

    ``DistributedDataParallel`` keeps the replicas equal by averaging gradients; a rank
    that drifted (a non-deterministic kernel, a rank that skipped a step) would make the
    saved model depend on which rank wrote it, so this is checked when training ends.

    Raises:
        RuntimeError: if the ranks' weights differ.
    """
    import torch

    mine = weights_digest(model)
    if info.world == 1:
        return mine
    raw = torch.tensor(list(bytes.fromhex(mine)), dtype=torch.uint8, device=info.device)
    digests = [bytes(t.cpu().tolist()).hex() for t in all_gather(raw, info)]
    if len(set(digests)) > 1:
        raise RuntimeError(
            f"the {info.world} training processes ended with different weights "
            f"(digests by rank: {[d[:12] for d in digests]}); the replicas drifted apart, "
            "so the saved model would depend on which rank wrote it. Report this as a bug."
        )
    return mine


def all_reduce_sum(tensor: Any, info: DistInfo) -> Any:
    """Sum ``tensor`` over every rank, in place; returns it (unchanged in a world of one)."""
    if info.world == 1:
        return tensor
    import torch.distributed as dist

    before = _python_refs([tensor])
    dist.all_reduce(tensor)
    _wait_until_let_go([tensor], before)
    return tensor


def all_gather(tensor: Any, info: DistInfo) -> list[Any]:
    """Every rank's ``tensor`` (same shape on all ranks), in rank order."""
    if info.world == 1:
        return [tensor]
    import torch
    import torch.distributed as dist

    out = [torch.empty_like(tensor) for _ in range(info.world)]
    before = _python_refs([tensor, *out])
    dist.all_gather(out, tensor)
    _wait_until_let_go([tensor, *out], before)
    return out


def _python_refs(tensors: Sequence[Any]) -> list[int]:
    return [sys.getrefcount(t) for t in tensors]


def _wait_until_let_go(tensors: Sequence[Any], before: list[int], timeout: float = 30.0) -> None:
    """Wait, without holding the GIL, until the process group has dropped ``tensors``.

    A collective's ``wait()`` returns when the data has arrived, but the gloo worker
    thread that ran it drops its references to the tensors a moment later. Since torch
    2.10 a C++ thread that drops a tensor's last C++ reference decrements the tensor's
    Python object and so takes the GIL; if the interpreter is already shutting down by
    then (the collective was the last thing a short script did), the thread is ended
    inside a ``noexcept`` destructor and the process aborts with "terminate called
    without an active exception" after its work was done. While the process group holds
    a tensor, torch holds one more reference to its Python object, so this waits until
    the count is back to what it was before the collective.
    """
    deadline = time.monotonic() + timeout
    while any(now > then for now, then in zip(_python_refs(tensors), before, strict=True)):
        if time.monotonic() > deadline:
            logger.warning(
                "the process group still holds tensors of a finished collective after %.0f s",
                timeout,
            )
            return
        time.sleep(0.0005)
