"""The housemind observation on a policy wire: one flat dict of msgpack-friendly values.

openpi's servers take a flat dict of named arrays and strings (``"observation/image"``,
``"observation/state"``, ``"prompt"``) and answer ``{"actions": float32[H, A]}``. housemind's
own policy server (``housemind serve policy``) uses the same names for what openpi policies
know, and adds the rest of an :class:`~housemind.skills.types.Observation` under further keys
so that a served housemind :class:`~housemind.skills.policies.Policy` sees exactly what a local
one would:

==========================  ===========================================================
key                         value
==========================  ===========================================================
``observation/image``       egocentric camera, ``uint8[H, W, 3]``
``observation/state``       :meth:`Proprio.as_array`, ``float32[8]``
``observation/proprio``     every :class:`Proprio` field (held object, room, held state)
``observation/detections``  list of :class:`Detection` fields, one dict each
``observation/time``        ISO 8601 time of the observation
``prompt``                  the subtask's language instruction
``housemind/skill``         ``{"name": skill, "args": {...}}`` of the subtask
``housemind/session``       an id that changes with every subtask (a policy ``reset``)
``housemind/sim_state``     JSON text of a simulator's privileged state (served experts)
==========================  ===========================================================

Everything here is plain data (numpy arrays, strings, numbers, lists and dicts): it packs with
openpi's msgpack-numpy and never needs pickle.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np

from housemind.skills.types import Detection, Observation, Proprio

__all__ = [
    "DETECTIONS",
    "IMAGE",
    "PROMPT",
    "PROPRIO",
    "SESSION",
    "SIM_STATE",
    "SKILL",
    "STATE",
    "TIME",
    "WIRE_VERSION",
    "WireError",
    "detection_from_wire",
    "detection_to_wire",
    "observation_from_wire",
    "proprio_from_wire",
    "proprio_to_wire",
]

#: Named in the server's metadata (``{"wire": WIRE_VERSION}``) so clients know the keys below.
WIRE_VERSION = "housemind/1"
IMAGE = "observation/image"
STATE = "observation/state"
PROPRIO = "observation/proprio"
DETECTIONS = "observation/detections"
TIME = "observation/time"
PROMPT = "prompt"
SKILL = "housemind/skill"
SESSION = "housemind/session"
SIM_STATE = "housemind/sim_state"


class WireError(ValueError):
    """An observation dict that is missing a key or has a value of the wrong form."""


def proprio_to_wire(p: Proprio) -> dict[str, Any]:
    """Every field of ``p`` as plain values."""
    return {
        "x": float(p.x),
        "y": float(p.y),
        "theta": float(p.theta),
        "vx": float(p.vx),
        "vy": float(p.vy),
        "wz": float(p.wz),
        "gripper": float(p.gripper),
        "held": p.held,
        "room": p.room,
        "held_state": dict(p.held_state),
    }


def proprio_from_wire(d: dict[str, Any]) -> Proprio:
    """Inverse of :func:`proprio_to_wire`.

    Raises:
        WireError: if a field is missing or not a number where one is expected.
    """
    try:
        return Proprio(
            x=float(d["x"]),
            y=float(d["y"]),
            theta=float(d["theta"]),
            vx=float(d.get("vx", 0.0)),
            vy=float(d.get("vy", 0.0)),
            wz=float(d.get("wz", 0.0)),
            gripper=float(d.get("gripper", 0.0)),
            held=d.get("held"),
            room=str(d.get("room", "")),
            held_state=dict(d.get("held_state") or {}),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise WireError(f"bad {PROPRIO!r} value {d!r}: {e}") from None


def _proprio_from_state(state: Any) -> Proprio:
    a = np.asarray(state, dtype=np.float64).reshape(-1)
    if a.size < 8:
        raise WireError(f"{STATE!r} needs 8 numbers [x, y, cos, sin, vx, vy, wz, grip]; got {a}")
    return Proprio(
        x=float(a[0]),
        y=float(a[1]),
        theta=math.atan2(float(a[3]), float(a[2])),
        vx=float(a[4]),
        vy=float(a[5]),
        wz=float(a[6]),
        gripper=float(a[7]),
    )


def detection_to_wire(d: Detection) -> dict[str, Any]:
    """One detection as plain values (tuples become lists)."""
    return {
        "name": d.name,
        "kind": d.kind,
        "category": d.category,
        "position": [float(d.position[0]), float(d.position[1])],
        "distance": float(d.distance),
        "room": d.room,
        "relation": list(d.relation) if d.relation is not None else None,
        "state": dict(d.state),
        "confidence": float(d.confidence),
    }


def detection_from_wire(d: dict[str, Any]) -> Detection:
    """Inverse of :func:`detection_to_wire`.

    Raises:
        WireError: if a field is missing or malformed.
    """
    try:
        rel = d.get("relation")
        return Detection(
            name=str(d["name"]),
            kind=str(d["kind"]),
            category=d["category"],
            position=(float(d["position"][0]), float(d["position"][1])),
            distance=float(d["distance"]),
            room=str(d.get("room", "")),
            relation=(str(rel[0]), str(rel[1])) if rel else None,
            state=dict(d.get("state") or {}),
            confidence=float(d.get("confidence", 1.0)),
        )
    except (KeyError, TypeError, ValueError, IndexError) as e:
        raise WireError(f"bad detection {d!r}: {e}") from None


def observation_from_wire(obs: dict[str, Any]) -> tuple[Observation, str]:
    """Rebuild an :class:`Observation` and the instruction from a wire dict.

    The full ``observation/proprio`` wins over ``observation/state``; a dict with only the
    state array (what an openpi client sends) gives a proprio without held object or room.

    Raises:
        WireError: naming the missing or malformed key.
    """
    if not isinstance(obs, dict):
        raise WireError(f"an observation must be a dict, got {type(obs).__name__}")
    if PROPRIO in obs:
        proprio = proprio_from_wire(obs[PROPRIO])
    elif STATE in obs:
        proprio = _proprio_from_state(obs[STATE])
    else:
        raise WireError(f"observation has neither {PROPRIO!r} nor {STATE!r}; keys: {sorted(obs)}")
    image = obs.get(IMAGE)
    image = np.zeros((1, 1, 3), np.uint8) if image is None else np.asarray(image)
    raw_dets = obs.get(DETECTIONS) or []
    if not isinstance(raw_dets, list):
        raise WireError(f"{DETECTIONS!r} must be a list, got {type(raw_dets).__name__}")
    when = obs.get(TIME)
    try:
        time = datetime.fromisoformat(when) if when else datetime.fromtimestamp(0).astimezone()
    except (TypeError, ValueError):
        raise WireError(f"{TIME!r} must be an ISO 8601 time, got {when!r}") from None
    prompt = obs.get(PROMPT, "")
    if not isinstance(prompt, str):
        raise WireError(f"{PROMPT!r} must be text, got {type(prompt).__name__}")
    return (
        Observation(
            time=time,
            image=image,
            proprio=proprio,
            detections=[detection_from_wire(d) for d in raw_dets],
        ),
        prompt,
    )
