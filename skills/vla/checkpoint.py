"""VLA checkpoints: ``model.safetensors`` plus ``config.json`` (and the training state).

A model folder holds ``config.json`` (:class:`~skills.vla.configuration.VLAConfig`) and
``model.safetensors`` (the weights); that is all inference needs. A training checkpoint
adds ``training_state.safetensors`` (optimizer moments, random generator states) and
``training_state.json`` (step, optimizer hyper-parameters), so training resumes where it
stopped. Nothing is pickled.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import torch

from housemind.skills.vla.configuration import VLAConfig
from housemind.skills.vla.modeling import VLAModel

__all__ = [
    "WEIGHTS_NAME",
    "load_model",
    "load_training_state",
    "save_model",
    "save_training_state",
]

#: File name of the weights in a model folder.
WEIGHTS_NAME = "model.safetensors"
_STATE = "training_state.safetensors"
_STATE_JSON = "training_state.json"


def save_model(model: VLAModel, folder: str | Path, metadata: dict[str, str] | None = None) -> Path:
    """Write ``config.json`` and ``model.safetensors`` into ``folder``; returns the folder."""
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save(folder)
    tensors = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    tmp = folder / f".{WEIGHTS_NAME}.tmp"
    save_file(tensors, str(tmp), metadata={"format": "pt", **(metadata or {})})
    os.replace(tmp, folder / WEIGHTS_NAME)
    return folder


def load_model(folder: str | Path, device: str = "cpu") -> VLAModel:
    """Load a model folder written by :func:`save_model`.

    Raises:
        FileNotFoundError: if the folder lacks its config or weights.
        ValueError: if the weights do not fit the config.
    """
    from safetensors.torch import load_file

    folder = Path(folder)
    cfg = VLAConfig.load(folder)
    path = folder / WEIGHTS_NAME
    if not path.is_file():
        raise FileNotFoundError(f"no VLA weights at {path}; train with `housemind train vla`")
    model = VLAModel(cfg)
    try:
        model.load_state_dict(load_file(str(path), device=device))
    except RuntimeError as e:
        raise ValueError(f"{path} does not fit its config.json: {e}") from None
    return model.to(device).eval()


def save_training_state(
    folder: str | Path,
    model: VLAModel,
    optimizer: torch.optim.Optimizer,
    step: int,
    extra: dict[str, Any] | None = None,
) -> Path:
    """Save a resumable checkpoint (model folder plus optimizer and step) into ``folder``.

    It is written to a temporary folder first and renamed, so a checkpoint on disk is
    always complete.
    """
    from safetensors.torch import save_file

    folder = Path(folder)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save_model(model, tmp)
    sd = optimizer.state_dict()
    tensors: dict[str, torch.Tensor] = {"rng.torch": torch.get_rng_state()}
    scalars: dict[str, Any] = {}
    for pid, st in sd["state"].items():
        for name, value in st.items():
            key = f"opt.{pid}.{name}"
            if torch.is_tensor(value):
                tensors[key] = value.detach().cpu().contiguous()
            else:
                scalars[key] = value
    save_file(tensors, str(tmp / _STATE))
    (tmp / _STATE_JSON).write_text(
        json.dumps(
            {"step": step, "param_groups": sd["param_groups"], "scalars": scalars, **(extra or {})},
            indent=2,
        )
    )
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(tmp, folder)
    return folder


def load_training_state(
    folder: str | Path, model: VLAModel, optimizer: torch.optim.Optimizer
) -> dict[str, Any]:
    """Restore a :func:`save_training_state` checkpoint into ``model`` and ``optimizer``.

    Returns:
        The JSON part (``step`` and what was passed as ``extra``).
    """
    from safetensors.torch import load_file

    folder = Path(folder)
    loaded = load_model(folder)
    model.load_state_dict(loaded.state_dict())
    tensors = load_file(str(folder / _STATE))
    meta = json.loads((folder / _STATE_JSON).read_text())
    state: dict[int, dict[str, Any]] = {}
    for key, value in tensors.items():
        if key.startswith("opt."):
            _, pid, name = key.split(".", 2)
            state.setdefault(int(pid), {})[name] = value
    for key, value in meta.get("scalars", {}).items():
        _, pid, name = key.split(".", 2)
        state.setdefault(int(pid), {})[name] = value
    optimizer.load_state_dict({"state": state, "param_groups": meta["param_groups"]})
    if "rng.torch" in tensors:
        torch.set_rng_state(tensors["rng.torch"])
    return meta
