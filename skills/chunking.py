"""Action chunks in System 1: when to ask for the next one and how to merge overlaps.

A policy returns a chunk of ``H`` actions; the executor keeps the actions it has not
applied yet in a queue and pops one per control tick. With :attr:`ChunkingConfig.refill_below`
above zero it asks for the next chunk while actions remain queued; the new chunk then
overlaps the queue. :func:`merge_chunk` drops the new chunk's head that is already in the
past (the ticks spent computing it), blends the overlap with a weighted average
(:attr:`ChunkingConfig.blend`) and appends the rest. With :attr:`ChunkingConfig.guide`,
a policy that accepts it (``accepts_prefix``) is also handed the queued actions so it can
steer the start of its new chunk onto them while denoising (real-time chunking); the
overlap then needs little blending and chunk boundaries do not jerk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = ["Blend", "ChunkingConfig", "blend_weights", "boundary_jerk", "merge_chunk"]

#: How an overlap is merged: the new chunk replaces the queue (``replace``), or the weight
#: of the new chunk rises along the overlap linearly (``linear``) or exponentially (``exp``).
Blend = Literal["replace", "linear", "exp"]


@dataclass(frozen=True)
class ChunkingConfig:
    """How the executor asks for and merges action chunks.

    Attributes:
        refill_below: Ask for the next chunk when at most this many actions remain
            queued; 0 asks only when the queue runs dry (a controller that plans each
            chunk from the state it starts in wants that).
        blend: How an overlap between the queue and a new chunk is merged.
        blend_rate: For ``exp``, how fast the new chunk takes over (per tick of overlap).
        guide: Hand the queued actions to a policy that accepts a prefix (real-time
            chunking), so it denoises its new chunk's start towards them.
    """

    refill_below: int = 0
    blend: Blend = "replace"
    blend_rate: float = 0.1
    guide: bool = False

    def __post_init__(self) -> None:
        if self.refill_below < 0:
            raise ValueError(f"refill_below must be >= 0, got {self.refill_below}")
        if self.blend not in ("replace", "linear", "exp"):
            raise ValueError(f"blend must be replace, linear or exp, got {self.blend!r}")
        if self.blend_rate <= 0:
            raise ValueError(f"blend_rate must be > 0, got {self.blend_rate}")


def blend_weights(n: int, blend: Blend, rate: float = 0.1) -> np.ndarray:
    """Weights of the new chunk over an overlap of ``n`` ticks (the queue gets 1 - w)."""
    if n <= 0:
        return np.zeros(0, np.float32)
    i = np.arange(1, n + 1, dtype=np.float32)
    if blend == "replace":
        return np.ones(n, np.float32)
    if blend == "linear":
        return i / (n + 1)
    return (1.0 - np.exp(-rate * i)).astype(np.float32)


def merge_chunk(
    queued: np.ndarray, chunk: np.ndarray, stale: int, config: ChunkingConfig
) -> np.ndarray:
    """Merge a new ``chunk`` into the ``queued`` actions.

    Args:
        queued: Actions not yet applied, ``[q, A]`` (q may be 0).
        chunk: The new chunk, ``[H, A]``; its first action was meant for the tick at which
            it was requested.
        stale: Ticks applied since the request (the new chunk's head in the past).
        config: The blend to use.

    Returns:
        The new queue: the overlap blended, then the rest of the new chunk.
    """
    fresh = chunk[stale:]
    if len(fresh) == 0:
        return queued
    n = min(len(queued), len(fresh))
    if n == 0 or config.blend == "replace":
        return fresh.astype(np.float32, copy=True)
    w = blend_weights(n, config.blend, config.blend_rate)[:, None]
    head = w * fresh[:n] + (1.0 - w) * queued[:n]
    return np.concatenate([head, fresh[n:]]).astype(np.float32)


def boundary_jerk(actions: np.ndarray, boundaries: list[int], dims: slice | None = None) -> float:
    """Mean squared jerk of continuous actions around chunk boundaries.

    The jerk is the third difference of the action sequence (per tick); it is averaged over
    the ticks ``b - 2 .. b + 1`` of every boundary ``b`` (the tick at which a new chunk
    took effect).

    Args:
        actions: Applied actions, ``[T, A]``.
        boundaries: Ticks at which a merged chunk took effect.
        dims: The continuous dimensions (default all).
    """
    a = np.asarray(actions, np.float64)
    if dims is not None:
        a = a[:, dims]
    if len(a) < 4:
        return 0.0
    jerk = np.diff(a, n=3, axis=0)  # jerk[t] spans ticks t .. t+3
    vals = [
        float((jerk[t] ** 2).sum())
        for b in boundaries
        for t in range(b - 3, b + 1)
        if 0 <= t < len(jerk)
    ]
    return float(np.mean(vals)) if vals else 0.0
