"""The robot/env contract shared by skills, the agent and every simulator or robot.

A robot (or simulator) implements :class:`RobotEnv`: gymnasium-style ``reset``/``step``/
``render`` plus :meth:`RobotEnv.observe`, which returns an :class:`Observation` with a camera
image, proprioception and detections of what is in view. Skills judge success from
observations only (:meth:`Observation.facts`), never from privileged simulator state, so the
same executor runs on a real robot.

Facts are ground atoms written as strings, e.g. ``"holding(mug)"``, ``"in(mug,sink)"``,
``"on(plate,table)"``, ``"open(fridge)"``, ``"closed(fridge)"``, ``"switched_on(stove)"``,
``"switched_off(stove)"``, ``"near(sink)"``, ``"near(kitchen)"`` (the robot is in that room)
and ``"hand_empty"``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "REACH_M",
    "Detection",
    "Observation",
    "Proprio",
    "RobotEnv",
    "atom",
    "parse_atom",
]

#: Distance (m) from the robot's centre within which a detected thing counts as ``near``
#: (within reach of the arm). Experts stop navigation inside it.
REACH_M = 1.0

Category = Literal["object", "fixture", "person", "pet", "hazard"]


def atom(predicate: str, *args: str) -> str:
    """Build a fact string such as ``in(mug,sink)``."""
    return f"{predicate}({','.join(args)})" if args else predicate


def parse_atom(fact: str) -> tuple[str, tuple[str, ...]]:
    """Split ``"in(mug,sink)"`` into ``("in", ("mug", "sink"))``.

    Raises:
        ValueError: if ``fact`` is not of the form ``pred`` or ``pred(a,b,...)``.
    """
    fact = fact.strip()
    if "(" not in fact:
        if not fact.isidentifier():
            raise ValueError(f"malformed fact {fact!r}: expected 'pred' or 'pred(a,b)'")
        return fact, ()
    if not fact.endswith(")"):
        raise ValueError(f"malformed fact {fact!r}: expected 'pred(a,b)'")
    pred, _, rest = fact[:-1].partition("(")
    args = tuple(a.strip() for a in rest.split(",") if a.strip())
    if not pred.isidentifier():
        raise ValueError(f"malformed fact {fact!r}: predicate must be an identifier")
    return pred, args


@dataclass(slots=True)
class Detection:
    """One thing the robot perceives in its field of view.

    Attributes:
        name: Unique instance name (``"mug"``, ``"plate_2"``, ``"fridge"``, ``"alex"``).
        kind: Category of thing (``"mug"``, ``"plate"``, ``"fridge"``, ``"adult"``).
        category: ``object`` (movable), ``fixture``, ``person``, ``pet`` or ``hazard``
            (something on the floor to keep off: a spill, broken glass).
        position: World ``(x, y)`` in metres, as estimated by perception.
        distance: Distance from the robot's centre in metres.
        room: Room the thing is in.
        relation: ``("on" | "in", parent)`` for an object resting on/in a fixture, else None.
        state: Observable state flags, e.g. ``{"open": True}``, ``{"on": False}``,
            ``{"dirty": True}``.
        confidence: Detector confidence in ``[0, 1]``.
    """

    name: str
    kind: str
    category: Category
    position: tuple[float, float]
    distance: float
    room: str
    relation: tuple[str, str] | None = None
    state: dict[str, Any] = field(default_factory=dict)
    confidence: float = 1.0


@dataclass(slots=True)
class Proprio:
    """The robot's own body state.

    Attributes:
        x: Base position x (m).
        y: Base position y (m).
        theta: Heading (rad).
        vx: Forward velocity (m/s, robot frame).
        vy: Lateral velocity (m/s, robot frame).
        wz: Yaw rate (rad/s).
        gripper: 0 (open) .. 1 (closed).
        held: Name of the object in the gripper, or None.
        room: Room the robot is in.
    """

    x: float
    y: float
    theta: float
    vx: float = 0.0
    vy: float = 0.0
    wz: float = 0.0
    gripper: float = 0.0
    held: str | None = None
    room: str = ""

    def as_array(self) -> np.ndarray:
        """Return ``[x, y, cos θ, sin θ, vx, vy, wz, gripper]`` as float32."""
        return np.array(
            [
                self.x,
                self.y,
                np.cos(self.theta),
                np.sin(self.theta),
                self.vx,
                self.vy,
                self.wz,
                self.gripper,
            ],
            dtype=np.float32,
        )


@dataclass(slots=True)
class Observation:
    """What the robot senses at one instant.

    Attributes:
        time: Time of the observation (timezone-aware).
        image: Egocentric RGB image, ``uint8[H, W, 3]``.
        proprio: Body state.
        detections: Things in view (partial observability: nothing behind walls).
    """

    time: datetime
    image: np.ndarray
    proprio: Proprio
    detections: list[Detection] = field(default_factory=list)

    def facts(self) -> set[str]:
        """Ground atoms that this observation supports (see the module docstring)."""
        out: set[str] = set()
        p = self.proprio
        if p.held:
            out.add(atom("holding", p.held))
        else:
            out.add("hand_empty")
        if p.room:
            out.add(atom("near", p.room))
        for d in self.detections:
            if d.distance <= REACH_M:
                out.add(atom("near", d.name))
            if d.relation is not None:
                out.add(atom(d.relation[0], d.name, d.relation[1]))
            if "open" in d.state:
                out.add(atom("open" if d.state["open"] else "closed", d.name))
            if "on" in d.state:
                out.add(atom("switched_on" if d.state["on"] else "switched_off", d.name))
        return out

    def detection(self, name: str) -> Detection | None:
        """Return the detection of ``name`` if it is in view."""
        for d in self.detections:
            if d.name == name:
                return d
        return None

    def people(self) -> Iterable[Detection]:
        """Detections of people (and pets) in view."""
        return (d for d in self.detections if d.category in ("person", "pet"))


@runtime_checkable
class RobotEnv(Protocol):
    """A robot or simulator that skills can drive.

    Gymnasium-style: ``reset(seed=...)``, ``step(action)`` returning
    ``(obs, reward, terminated, truncated, info)`` and ``render()``; plus :meth:`observe`.
    Actions are continuous ``float32[action_dim]`` vectors in ``[-1, 1]``.
    """

    action_dim: int
    control_hz: float

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[Any, dict]:
        """Reset the world."""
        ...

    def step(self, action: np.ndarray) -> tuple[Any, float, bool, bool, dict]:
        """Apply one action for one control tick (1 / control_hz seconds)."""
        ...

    def render(self) -> np.ndarray | None:
        """Render a picture for people."""
        ...

    def observe(self) -> Observation:
        """Camera image, proprioception and detections now."""
        ...
