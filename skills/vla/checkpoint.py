"""VLA checkpoints: ``model.safetensors`` plus ``config.json`` (and the training state).

A model folder holds ``config.json`` (:class:`~skills.vla.configuration.VLAConfig`) and
``model.safetensors`` (the weights); that is all inference needs. A training checkpoint
adds ``training_state.safetensors`` (optimizer moments, random generator states) and
``training_state.json`` (step, optimizer hyper-parameters), so training resumes where it
stopped. Nothing is pickled.

Weights may be stored in float16 (``save_model(..., fp16=True)``, ``housemind train vla
--fp16``, :func:`export_model`): half the size, which is how the shipped checkpoint is kept
small. They are loaded back into the float32 model; training checkpoints stay float32.
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
    "export_model",
    "load_model",
    "load_training_state",
    "save_model",
    "save_training_state",
]

#: File name of the weights in a model folder.
WEIGHTS_NAME = "model.safetensors"
_STATE = "training_state.safetensors"
_STATE_JSON = "training_state.json"


def save_model(
    model: VLAModel,
    folder: str | Path,
    metadata: dict[str, str] | None = None,
    *,
    fp16: bool = False,
) -> Path:
    """Write ``config.json`` and ``model.safetensors`` into ``folder``; returns the folder.

    Args:
        model: The model.
        folder: Output folder (created).
        metadata: Extra string metadata for the safetensors header.
        fp16: Store floating-point weights as float16 (half the size).
    """
    from safetensors.torch import save_file

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save(folder)
    tensors = {}
    for k, v in model.state_dict().items():
        v = v.detach().cpu()
        if fp16 and v.is_floating_point():
            v = v.to(torch.float16)
        tensors[k] = v.contiguous()
    tmp = folder / f".{WEIGHTS_NAME}.tmp"
    meta = {"format": "pt", **(metadata or {}), "dtype": "float16" if fp16 else "float32"}
    save_file(tensors, str(tmp), metadata=meta)
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
    # float16 weights (a small shipped checkpoint) go back into the float32 model.
    tensors = {
        k: v.float() if v.is_floating_point() else v
        for k, v in load_file(str(path), device=device).items()
    }
    try:
        model.load_state_dict(tensors)
    except RuntimeError as e:
        raise ValueError(f"{path} does not fit its config.json: {e}") from None
    return model.to(device).eval()


def export_model(src: str | Path, dst: str | Path, *, fp16: bool = True) -> Path:
    """Copy the model folder ``src`` (a trained model or a training checkpoint) to ``dst``.

    Only what inference needs is written (``config.json``, ``model.safetensors``, in
    float16 by default), plus ``train_info.json`` when ``src`` has one; the optimizer state
    of a training checkpoint is left behind.

    Raises:
        FileNotFoundError: if ``src`` holds no model.
        ValueError: if ``src`` and ``dst`` are the same folder.
    """
    src, dst = Path(src), Path(dst)
    if dst.exists() and src.resolve() == dst.resolve():
        raise ValueError(f"export {src} into another folder, not itself")
    model = load_model(src)
    save_model(model, dst, metadata={"exported_from": str(src)}, fp16=fp16)
    info = src / "train_info.json"
    if info.is_file():
        shutil.copyfile(info, dst / "train_info.json")
    return dst


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
