"""LeRobot's async-inference payloads, written and read without LeRobot installed.

LeRobot's robot client and policy server exchange Python pickles of three dataclasses from
``lerobot.async_inference.helpers``: ``RemotePolicyConfig`` (robot -> server, once),
``TimedObservation`` (robot -> server) and a ``list`` of ``TimedAction`` whose ``action`` is a
``torch.Tensor`` (server -> robot). This module holds look-alikes of the three with the same
fields, and:

* :func:`dumps` pickles them *under LeRobot's names*, so a real LeRobot server unpickles them
  into its own classes (the bytes name ``lerobot.async_inference.helpers.TimedObservation``,
  as LeRobot's own client writes them);
* :func:`loads_actions` unpickles a server's answer with an allow-list: LeRobot's
  ``TimedAction``, the two functions torch uses to rebuild a tensor (storages are read with
  ``torch.load(weights_only=True)``), and ``collections.OrderedDict``. Anything else (e.g.
  ``os.system``) is refused before it runs.

Unpickling is still unpickling: the backend talks only to servers the user configured, and to
other machines than this one only with ``allow_remote_pickle`` (see
:mod:`housemind.skills.policies.lerobot`).
"""

from __future__ import annotations

import collections
import io
import pickle
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = [
    "LEROBOT_HELPERS",
    "RemotePolicyConfig",
    "TimedAction",
    "TimedObservation",
    "UnsafePayloadError",
    "dumps",
    "loads_actions",
]

#: The module LeRobot's payload classes live in.
LEROBOT_HELPERS = "lerobot.async_inference.helpers"


@dataclass
class TimedObservation:
    """LeRobot's ``TimedObservation``: a raw robot observation with its time and step.

    Attributes:
        timestamp: ``time.time()`` when it was taken (LeRobot compares it across machines).
        timestep: The step of the latest action executed (at least 0).
        observation: ``{state name: float, camera name: uint8[H, W, C], "task": str}``.
        must_go: The server must run the policy on it (the robot's queue is empty).
    """

    timestamp: float
    timestep: int
    observation: dict[str, Any]
    must_go: bool = False


@dataclass
class TimedAction:
    """LeRobot's ``TimedAction``: one action of a chunk with its time and step."""

    timestamp: float
    timestep: int
    action: Any


@dataclass
class RemotePolicyConfig:
    """LeRobot's ``RemotePolicyConfig``: which policy the server loads and how.

    Attributes:
        policy_type: LeRobot policy type (``act``, ``smolvla``, ``pi0``, ...).
        pretrained_name_or_path: What the server passes to ``from_pretrained``.
        lerobot_features: LeRobot's dataset features of the robot's observation.
        actions_per_chunk: Actions the server sends per chunk.
        device: Where the server runs the policy (``cpu``, ``cuda``, ``mps``).
        rename_map: Observation keys to rename for the policy.
    """

    policy_type: str
    pretrained_name_or_path: str
    lerobot_features: dict[str, Any]
    actions_per_chunk: int
    device: str = "cpu"
    rename_map: dict[str, str] = field(default_factory=dict)


_WIRE_NAMES: dict[type, tuple[str, str]] = {
    cls: (LEROBOT_HELPERS, cls.__name__)
    for cls in (TimedObservation, TimedAction, RemotePolicyConfig)
}


class UnsafePayloadError(pickle.UnpicklingError):
    """A pickle from the server refers to something outside the allow-list."""


class _LeRobotPickler(pickle._Pickler):  # the Python pickler: its save_global can be extended
    """Writes the look-alike classes as references to LeRobot's own."""

    def save_global(self, obj: Any, name: str | None = None) -> None:
        wire = _WIRE_NAMES.get(obj) if isinstance(obj, type) else None
        if wire is None:
            super().save_global(obj, name)
            return
        module, qualname = wire
        if self.proto >= 4:
            self.save(module)
            self.save(qualname)
            self.write(pickle.STACK_GLOBAL)
        else:
            self.write(pickle.GLOBAL + f"{module}\n{qualname}\n".encode())
        self.memoize(obj)


def dumps(obj: Any) -> bytes:
    """Pickle ``obj``, writing the look-alike classes under LeRobot's names."""
    buf = io.BytesIO()
    _LeRobotPickler(buf, protocol=pickle.DEFAULT_PROTOCOL).dump(obj)
    return buf.getvalue()


def _safe_load_from_bytes(b: bytes) -> Any:
    # torch's own torch.storage._load_from_bytes unpickles with weights_only=False.
    import torch

    return torch.load(io.BytesIO(b), weights_only=True)


def _rebuild_tensor_v2(*args: Any) -> Any:
    from torch._utils import _rebuild_tensor_v2

    return _rebuild_tensor_v2(*args)


_ALLOWED: dict[tuple[str, str], Any] = {
    (LEROBOT_HELPERS, "TimedAction"): TimedAction,
    ("torch._utils", "_rebuild_tensor_v2"): _rebuild_tensor_v2,
    ("torch.storage", "_load_from_bytes"): _safe_load_from_bytes,
    ("collections", "OrderedDict"): collections.OrderedDict,
}


class _ActionsUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            allowed = ", ".join(f"{m}.{n}" for m, n in _ALLOWED)
            raise UnsafePayloadError(
                f"the LeRobot server's answer refers to {module}.{name}, which housemind "
                f"does not load (it loads only {allowed}); is this a LeRobot policy server?"
            ) from None


def _to_numpy(action: Any) -> np.ndarray:
    detach = getattr(action, "detach", None)
    if detach is not None:  # a torch tensor
        action = detach().cpu().numpy()
    return np.asarray(action, dtype=np.float32).reshape(-1)


def loads_actions(data: bytes) -> list[TimedAction]:
    """Unpickle a server's ``list[TimedAction]`` through the allow-list; actions as numpy.

    Raises:
        UnsafePayloadError: if the pickle refers to anything outside the allow-list.
        pickle.UnpicklingError: if it is not a list of ``TimedAction``.
    """
    try:
        obj = _ActionsUnpickler(io.BytesIO(data)).load()
    except UnsafePayloadError:
        raise
    except Exception as e:  # noqa: BLE001 - any decoding failure is a bad payload
        raise pickle.UnpicklingError(f"cannot read the LeRobot server's actions: {e}") from None
    if not isinstance(obj, list) or not all(isinstance(a, TimedAction) for a in obj):
        raise pickle.UnpicklingError(
            f"expected a list of TimedAction from the LeRobot server, got {type(obj).__name__}"
        )
    return [
        TimedAction(
            timestamp=float(a.timestamp), timestep=int(a.timestep), action=_to_numpy(a.action)
        )
        for a in obj
    ]
