"""What the remote policy backends (openpi, LeRobot) share: action mapping, addresses, options.

A remote server answers in its own action space: a chunk ``[H, A_server]`` whose columns may
be ordered, scaled or more numerous than the robot's. :class:`ActionMapping` says how to turn
it into ours (``float32[H, env.action_dim]`` in ``[-1, 1]``), and every backend applies it the
same way.
"""

from __future__ import annotations

import difflib
import ipaddress
import types
from typing import Any, TypeVar, Union, get_args, get_origin

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from housemind.skills.policies.base import PolicyError

__all__ = ["ActionMapping", "is_loopback", "model_from_options"]

M = TypeVar("M", bound=BaseModel)


class ActionMapping(BaseModel):
    """How a server's action chunk becomes the robot's.

    Attributes:
        action_indices: Which server columns, in order, are the robot's action entries
            (None: the server's actions already are ours, column for column).
        action_scale: Multiplies each (selected) entry: one number or one per entry.
        action_offset: Added after scaling: one number or one per entry.
        clip: Clip to the robot's ``[-1, 1]`` action range (the safety guard clamps again).
        max_actions: Execute at most this many actions of each chunk before asking again
            (openpi's examples "replan" every few steps); None: the whole chunk.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    action_indices: list[int] | None = None
    action_scale: float | list[float] = 1.0
    action_offset: float | list[float] = 0.0
    clip: bool = True
    max_actions: int | None = Field(default=None, ge=1)

    @field_validator("action_indices")
    @classmethod
    def _non_negative(cls, v: list[int] | None) -> list[int] | None:
        if v is not None and (not v or min(v) < 0):
            raise ValueError(f"action_indices must be non-negative column numbers, got {v}")
        return v

    def apply(self, actions: Any, action_dim: int) -> np.ndarray:
        """Map a server chunk to ``float32[H, action_dim]``.

        Raises:
            PolicyError: if the chunk's shape cannot be mapped (with what to configure).
        """
        a = np.asarray(actions, dtype=np.float32)
        if a.ndim == 1:
            a = a[None, :]
        if a.ndim != 2 or a.shape[0] == 0:
            raise PolicyError(
                f"the policy server sent actions of shape {a.shape}; expected a chunk [H, A]"
            )
        if self.action_indices is not None:
            if max(self.action_indices) >= a.shape[1]:
                raise PolicyError(
                    f"action_indices {self.action_indices} reach past the server's "
                    f"{a.shape[1]} action entries"
                )
            a = a[:, self.action_indices]
        if a.shape[1] != action_dim:
            raise PolicyError(
                f"the policy server's actions have {a.shape[1]} entries, the robot takes "
                f"{action_dim}; set action_indices to pick the robot's {action_dim} entries "
                "(e.g. ?action_indices=0,1,2)"
            )
        scale = np.asarray(self.action_scale, dtype=np.float32)
        offset = np.asarray(self.action_offset, dtype=np.float32)
        for name, v in (("action_scale", scale), ("action_offset", offset)):
            if v.ndim and v.shape != (action_dim,):
                raise PolicyError(f"{name} has {v.size} entries; give one or {action_dim}")
        a = a * scale + offset
        if self.clip:
            a = np.clip(a, -1.0, 1.0)
        if self.max_actions is not None:
            a = a[: self.max_actions]
        return np.ascontiguousarray(a, dtype=np.float32)


def is_loopback(host: str) -> bool:
    """True if ``host`` is this machine: ``localhost`` or a loopback address (127/8, ::1)."""
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False  # another name: it may resolve anywhere


def _kinds(annotation: Any) -> set[Any]:
    """The outer types an annotation allows: ``list[int] | None`` -> ``{list, NoneType}``."""
    if get_origin(annotation) in (Union, types.UnionType):
        return set().union(*(_kinds(a) for a in get_args(annotation)))
    return {get_origin(annotation) or annotation}


def model_from_options(model: type[M], options: dict[str, str], *, what: str) -> M:
    """Build ``model`` from a spec's ``?key=value`` options (lists as ``a,b,c``).

    Raises:
        ValueError: naming an unknown option (with the closest known one) or a bad value.
    """
    known = set(model.model_fields)
    values: dict[str, Any] = {}
    for key, raw in options.items():
        if key not in known:
            near = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" - did you mean {near[0]!r}?" if near else ""
            raise ValueError(
                f"unknown {what} option {key!r}{hint} (known: {', '.join(sorted(known))})"
            )
        annotation = model.model_fields[key].annotation
        kinds = _kinds(annotation)
        if type(None) in kinds and raw.lower() in ("none", "null", ""):
            values[key] = None
        elif list in kinds and ("," in raw or kinds <= {list, type(None)}):
            values[key] = [p for p in (s.strip() for s in raw.split(",")) if p]
        else:
            values[key] = raw
    try:
        return model.model_validate(values)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in e.errors()
        )
        raise ValueError(f"bad {what} options {options}: {problems}") from None
