"""A small deterministic learned-policy format: a linear map from proprioception to a chunk.

``LinearChunkPolicy`` computes ``a = tanh(W @ state + b)`` from
:meth:`~housemind.skills.types.Proprio.as_array` and repeats it over the chunk, each step
scaled by ``decay[h]``. It is not a household policy; it is a real checkpoint in the layout
housemind's learned policies use (``config.json`` with a ``"type"`` plus
``model.safetensors``), small enough to serve in tests and benchmarks of the policy server,
where the network and not the model should dominate.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from housemind.skills.types import Observation

__all__ = ["LINEAR_TYPE", "LinearChunkPolicy", "load_linear_checkpoint", "save_linear_checkpoint"]

#: ``"type"`` in the checkpoint's ``config.json``.
LINEAR_TYPE = "housemind_linear"
_STATE_DIM = 8


class LinearChunkPolicy:
    """``chunk[h] = decay[h] * tanh(weight @ state + bias)``.

    Args:
        weight: ``float32[A, 8]``.
        bias: ``float32[A]``.
        decay: ``float32[H]``: the chunk's length and each step's scale.

    Raises:
        ValueError: if the shapes do not fit together.
    """

    def __init__(self, weight: np.ndarray, bias: np.ndarray, decay: np.ndarray) -> None:
        self.weight = np.asarray(weight, np.float32)
        self.bias = np.asarray(bias, np.float32)
        self.decay = np.asarray(decay, np.float32)
        if self.weight.ndim != 2 or self.weight.shape[1] != _STATE_DIM:
            raise ValueError(f"weight must be [A, {_STATE_DIM}], got {self.weight.shape}")
        if self.bias.shape != (self.weight.shape[0],):
            raise ValueError(f"bias must be [{self.weight.shape[0]}], got {self.bias.shape}")
        if self.decay.ndim != 1 or self.decay.size == 0:
            raise ValueError(f"decay must be [H] with H >= 1, got {self.decay.shape}")

    @property
    def action_dim(self) -> int:
        """Entries of one action."""
        return int(self.weight.shape[0])

    @property
    def horizon(self) -> int:
        """Actions per chunk."""
        return int(self.decay.size)

    def reset(self) -> None:
        """Nothing to forget: the policy has no state."""

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """The chunk for ``obs`` (the instruction is not used)."""
        a = np.tanh(self.weight @ obs.proprio.as_array() + self.bias)
        return (self.decay[:, None] * a[None, :]).astype(np.float32)


def save_linear_checkpoint(path: str | Path, policy: LinearChunkPolicy) -> Path:
    """Write ``policy`` to the folder ``path`` (``config.json`` + ``model.safetensors``)."""
    from safetensors.numpy import save_file

    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    config = {"type": LINEAR_TYPE, "action_dim": policy.action_dim, "horizon": policy.horizon}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n")
    save_file(
        {"weight": policy.weight, "bias": policy.bias, "decay": policy.decay},
        str(out / "model.safetensors"),
    )
    return out


def load_linear_checkpoint(path: str | Path) -> LinearChunkPolicy:
    """Read a checkpoint written by :func:`save_linear_checkpoint`.

    Raises:
        ValueError: if the folder is not such a checkpoint (with what is wrong).
    """
    from safetensors.numpy import load_file

    folder = Path(path)
    weights = folder / "model.safetensors"
    if not weights.is_file():
        raise ValueError(f"{str(folder)!r} has no model.safetensors")
    tensors = load_file(str(weights))
    missing = {"weight", "bias", "decay"} - set(tensors)
    if missing:
        raise ValueError(f"{str(weights)!r} lacks tensors {sorted(missing)}")
    return LinearChunkPolicy(tensors["weight"], tensors["bias"], tensors["decay"])
