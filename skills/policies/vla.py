"""The ``vla`` backend: the built-in vision-language-action policy (``skills/vla/``).

Registered here without importing torch or onnxruntime; the model loads on first use. The
checkpoint is the one shipped in the package (``skills/vla/weights/homesim``), or
``$HOUSEMIND_VLA_CHECKPOINT``, or whatever :func:`configure_vla` sets;
``$HOUSEMIND_VLA_BACKEND`` (``auto``, ``onnx``, ``torch``) picks the runtime. The backend
supports the skills its checkpoint was trained on (``config.json``'s ``skills``), so
``--policy vla`` leaves the others (navigation) to their own backend.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from housemind.skills.policies.base import Policy, PolicyError, register_policy

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import RobotEnv

__all__ = [
    "BACKEND_ENV",
    "CHECKPOINT_ENV",
    "DEFAULT_CHECKPOINT",
    "camera_size_for",
    "configure_vla",
    "vla_checkpoint",
    "vla_policy",
    "vla_skills",
]

#: The checkpoint shipped with housemind (trained on HomeSim's manipulation skills).
DEFAULT_CHECKPOINT = Path(__file__).resolve().parents[1] / "vla" / "weights" / "homesim"
#: Environment variable naming another checkpoint folder.
CHECKPOINT_ENV = "HOUSEMIND_VLA_CHECKPOINT"
#: Environment variable choosing the runtime: ``auto`` (ONNX when it can), ``onnx``, ``torch``.
BACKEND_ENV = "HOUSEMIND_VLA_BACKEND"

_lock = threading.Lock()
_settings: dict[str, Any] = {"checkpoint": None, "backend": None}
_loaded: dict[tuple[str, str], tuple[Any, Any]] = {}


def configure_vla(checkpoint: str | Path | None = None, backend: str | None = None) -> None:
    """Choose the checkpoint folder and runtime the ``vla`` backend loads (None: default)."""
    with _lock:
        _settings["checkpoint"] = Path(checkpoint) if checkpoint is not None else None
        _settings["backend"] = backend


def vla_checkpoint() -> Path:
    """The checkpoint folder the backend uses now."""
    chosen = _settings["checkpoint"] or os.environ.get(CHECKPOINT_ENV)
    return Path(chosen) if chosen else DEFAULT_CHECKPOINT


def vla_skills() -> list[str]:
    """Skills the current checkpoint was trained on (empty if there is none)."""
    path = vla_checkpoint() / "config.json"
    try:
        return list(json.loads(path.read_text()).get("skills", []))
    except (OSError, ValueError):
        return []


def _load() -> tuple[Any, Any]:
    folder = vla_checkpoint()
    backend = _settings["backend"] or os.environ.get(BACKEND_ENV) or "auto"
    key = (str(folder), backend)
    with _lock:
        hit = _loaded.get(key)
        if hit is None:
            if not (folder / "config.json").is_file():
                raise PolicyError(
                    f"no VLA checkpoint at {folder}; train one with `housemind train vla` and "
                    f"point ${CHECKPOINT_ENV} at its model folder"
                )
            from housemind.skills.vla.inference import load_runner
            from housemind.skills.vla.processor import VLAProcessor

            cfg, runner = load_runner(folder, backend)  # type: ignore[arg-type]
            hit = _loaded[key] = (VLAProcessor(cfg), runner)
        return hit


def _supports(spec: SkillSpec) -> bool:
    return spec.name in vla_skills()


@register_policy("vla", supports=_supports)
def vla_policy(spec: SkillSpec, args: dict[str, Any], env: RobotEnv) -> Policy:
    """The built-in VLA for one subtask (the words come from the executor).

    Raises:
        PolicyError: no checkpoint, or a skill it was not trained on.
    """
    from housemind.skills.vla.policy import VLAPolicy

    skills = vla_skills()
    if skills and spec.name not in skills:
        raise PolicyError(
            f"the VLA at {vla_checkpoint()} was not trained on {spec.name!r} (it knows "
            f"{', '.join(skills)}); run that skill with another backend (e.g. scripted)"
        )
    processor, runner = _load()
    try:
        policy = VLAPolicy(runner, processor, float(env.control_hz))
        # Embed the words now, before the first tick, not while the robot waits for a chunk.
        processor.text([spec.bind(**args).text])
    except ValueError as e:
        raise PolicyError(str(e)) from None
    return policy


def camera_size_for(choice: Any, default: int = 64) -> int:
    """The camera side a simulator should render for a policy override.

    The checkpoint's ``camera_size`` when ``choice`` sends any skill to ``vla``, else
    ``default``.
    """
    uses = choice == "vla" or (isinstance(choice, dict) and "vla" in choice.values())
    if not uses:
        return default
    path = vla_checkpoint() / "config.json"
    try:
        return int(json.loads(path.read_text()).get("camera_size", default))
    except (OSError, ValueError):
        return default
