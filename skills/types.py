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

Facts about the state of things come from detection state (and, for the object in the
gripper, from :attr:`Proprio.held_state`): ``dirty(plate)`` / ``clean(plate)``
(``dirty``), ``filled(pot)`` / ``empty(pot)`` (``fill`` of a container with no food in it,
see :data:`FILLED_AT` and :data:`EMPTY_BELOW`; a used-up package, ``quantity`` 0, is
``empty`` too), ``folded(towel)`` (``folded``), ``wet(shirt)`` (``wet``: washed, not
dried), ``dry(plant)`` / ``watered(plant)`` (``moisture`` or ``dry``), and for a surface
``dirty(table)`` / ``wiped(table)`` (``dirt``, see :data:`WIPED_BELOW`). Processes add
``cooked(pot)`` / ``burnt(pot)`` (``cooked``, ``burnt``), ``finished(dishwasher)`` (an
appliance's ``cycle`` is ``done``), ``contains(mug,coffee)`` (``liquid`` or ``food``
held), ``boiled(kettle)`` (water at :data:`BOILED_AT` °C or more); a room's floor
``dirty(kitchen)`` / ``clean(kitchen)`` (``floor_dirt``, the same threshold as surfaces);
a person ``told(alex)`` who heard the robot speak within :data:`TOLD_WITHIN_S` seconds
(``heard_s``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

__all__ = [
    "BOILED_AT",
    "DRY_BELOW",
    "TOLD_WITHIN_S",
    "EMPTY_BELOW",
    "FILLED_AT",
    "REACH_M",
    "WIPED_BELOW",
    "Detection",
    "Observation",
    "Proprio",
    "RobotEnv",
    "atom",
    "parse_atom",
    "state_facts",
]

#: Distance (m) from the robot's centre within which a detected thing counts as ``near``
#: (within reach of the arm). Experts stop navigation inside it.
REACH_M = 1.0
#: A container whose ``fill`` (0-1 of its capacity) is at least this is ``filled``.
FILLED_AT = 0.75
#: A container whose ``fill`` is below this is ``empty`` (a film of water does not count).
EMPTY_BELOW = 0.02
#: A surface whose ``dirt`` (0-1) is below this is ``wiped``; at or above it is ``dirty``.
WIPED_BELOW = 0.1
#: A plant whose soil ``moisture`` is below this is ``dry``, else ``watered`` (the same
#: threshold as HomeSim's ``sim.home.world.DRY_BELOW``; a test keeps them equal).
DRY_BELOW = 0.3
#: Water at this temperature (°C) or hotter has boiled (a kettle that switched itself off).
BOILED_AT = 95.0
#: A person who heard the robot speak this recently (s) has been ``told``.
TOLD_WITHIN_S = 120.0

Category = Literal["object", "fixture", "person", "pet", "hazard", "floor"]


def atom(predicate: str, *args: str) -> str:
    """Build a fact string such as ``in(mug,sink)``."""
    return f"{predicate}({','.join(args)})" if args else predicate


@functools.lru_cache(maxsize=1 << 16)
def parse_atom(fact: str) -> tuple[str, tuple[str, ...]]:
    """Split ``"in(mug,sink)"`` into ``("in", ("mug", "sink"))``.

    Memoised: planners, the plan check and the safety gate split the same few thousand
    facts hundreds of thousands of times a simulated week (the result is immutable).

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
        category: ``object`` (movable), ``fixture``, ``person``, ``pet``, ``hazard``
            (something on the floor to keep off: a spill, broken glass) or ``floor`` (the
            floor of the room the robot is in, named after the room).
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
        held_state: Observable state of the held object (the same keys as a
            :attr:`Detection.state`, e.g. ``{"fill": 0.8, "dirty": False}``): the robot
            sees and feels what it holds.
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
    held_state: dict[str, Any] = field(default_factory=dict)

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
            if p.held_state:
                _state_facts(p.held, p.held_state, out)
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
            if d.state:
                _state_facts(d.name, d.state, out)
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


def state_facts(name: str, state: dict[str, Any]) -> set[str]:
    """The facts a thing's observed state flags support (``open``, ``on`` and the rest).

    Memory keeps the last observed state of everything; this turns one remembered state
    into facts the way :meth:`Observation.facts` does for what is in view now.
    """
    out: set[str] = set()
    if "open" in state:
        out.add(atom("open" if state["open"] else "closed", name))
    if "on" in state:
        out.add(atom("switched_on" if state["on"] else "switched_off", name))
    _state_facts(name, state, out)
    return out


def _state_facts(name: str, state: dict[str, Any], out: set[str]) -> None:
    """Add the state facts of one thing (see the module docstring) to ``out``."""
    dirty = state.get("dirty")
    if dirty is not None:
        out.add(atom("dirty" if dirty else "clean", name))
    dirt = state.get("dirt")
    if dirt is not None:
        out.add(atom("dirty" if dirt >= WIPED_BELOW else "wiped", name))
    fill = state.get("fill")
    if fill is not None:
        if fill >= FILLED_AT:
            out.add(atom("filled", name))
        elif fill < EMPTY_BELOW and not state.get("food"):
            out.add(atom("empty", name))  # a dry pan with eggs in it is not empty
    quantity = state.get("quantity")
    if quantity is not None and quantity <= 0.0:
        out.add(atom("used_up", name))  # a pack of food with nothing left in it
        out.add(atom("empty", name))  # a used-up package: the empty milk carton
    if state.get("folded"):
        out.add(atom("folded", name))
    if state.get("wet"):
        out.add(atom("wet", name))  # washed, not dried yet (clothes, linen)
    dry = state.get("dry")
    if dry is None and "moisture" in state:
        dry = state["moisture"] < DRY_BELOW
    if dry is not None:
        out.add(atom("dry" if dry else "watered", name))
    if state.get("burnt"):
        out.add(atom("burnt", name))
    elif state.get("cooked", 0.0) >= 1.0:
        out.add(atom("cooked", name))
    if state.get("cycle") == "done":
        out.add(atom("finished", name))
    liquid = state.get("liquid")
    if liquid and (fill is None or fill >= EMPTY_BELOW):
        out.add(atom("contains", name, liquid))
        if liquid == "water" and state.get("temp", 0.0) >= BOILED_AT:
            out.add(atom("boiled", name))
    if state.get("food"):
        out.add(atom("contains", name, state["food"]))
    floor = state.get("floor_dirt")
    if floor is not None:
        out.add(atom("dirty" if floor >= WIPED_BELOW else "clean", name))
    heard = state.get("heard_s")
    if heard is not None and heard <= TOLD_WITHIN_S:
        out.add(atom("told", name))


@runtime_checkable
class RobotEnv(Protocol):
    """A robot or simulator that skills can drive.

    Gymnasium-style: ``reset(seed=...)``, ``step(action)`` returning
    ``(obs, reward, terminated, truncated, info)`` and ``render()``; plus :meth:`observe`.
    Actions are continuous ``float32[action_dim]`` vectors in ``[-1, 1]``. A simulator
    that can run at another rate also offers ``set_control_hz(hz)``: the executor calls it
    so that one ``step`` lasts one of its ticks.
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
