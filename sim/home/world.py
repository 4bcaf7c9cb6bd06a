"""The mutable state of the home: robot, objects, fixtures, residents and timers.

Plain dataclasses of floats, strings and bools, so ``step`` touches attributes and nothing
else, and :meth:`WorldState.to_dict` is JSON-serialisable as it stands.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

__all__ = [
    "FixtureState",
    "ObjectState",
    "ResidentState",
    "RobotState",
    "SpillState",
    "WorldState",
]

#: Where an object is: ``on``/``in`` a fixture, on the ``floor`` of a room, ``held`` by the
#: robot, or ``with`` a person (who is using it).
Relation = Literal["on", "in", "floor", "held", "with"]


@dataclass(slots=True)
class RobotState:
    """The robot's base and gripper."""

    x: float
    y: float
    theta: float
    vx: float = 0.0
    vy: float = 0.0
    wz: float = 0.0
    gripper: float = 0.0
    held: str | None = None


@dataclass(slots=True)
class ObjectState:
    """A movable object.

    Attributes:
        relation: See :data:`Relation`.
        place: Fixture for on/in, room for floor, ``"robot"`` for held, person for with.
        x: World x (for held objects, the gripper point when it was last updated).
        y: World y.
        dirty: Whether it needs washing.
    """

    kind: str
    relation: Relation
    place: str
    x: float
    y: float
    dirty: bool = False


@dataclass(slots=True)
class FixtureState:
    """Articulation and power state of a fixture."""

    open: bool = False
    on: bool = False


@dataclass(slots=True)
class ResidentState:
    """A person who lives in the home.

    Attributes:
        home: Whether they are at home (else ``room`` is None).
        activity: What the routine has them doing (``asleep``, ``breakfast``, ``away``...).
    """

    kind: str
    home: bool
    room: str | None
    x: float
    y: float
    activity: str


@dataclass(slots=True)
class SpillState:
    """Something spilt on the floor (water, oil, broken glass): a disc to keep off.

    Attributes:
        x: Centre x (m).
        y: Centre y (m).
        radius: How far it reaches (m).
        kind: What it is (``spill``, ``broken_glass``).
    """

    x: float
    y: float
    radius: float = 0.3
    kind: str = "spill"


@dataclass
class WorldState:
    """Everything that changes while the simulator runs.

    Attributes:
        robot: The robot.
        objects: Movable objects by name.
        fixtures: Fixture states by name.
        residents: People by name.
        timers: Pending timed effects: name -> clock elapsed seconds when it fires
            (``sink_wash``, ``washer_done``).
        spills: Floor hazards by name (perceived as ``hazard`` detections).
    """

    robot: RobotState
    objects: dict[str, ObjectState] = field(default_factory=dict)
    fixtures: dict[str, FixtureState] = field(default_factory=dict)
    residents: dict[str, ResidentState] = field(default_factory=dict)
    timers: dict[str, float] = field(default_factory=dict)
    spills: dict[str, SpillState] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-serialisable copy."""
        return {
            "robot": asdict(self.robot),
            "objects": {k: asdict(v) for k, v in self.objects.items()},
            "fixtures": {k: asdict(v) for k, v in self.fixtures.items()},
            "residents": {k: asdict(v) for k, v in self.residents.items()},
            "timers": dict(self.timers),
            "spills": {k: asdict(v) for k, v in self.spills.items()},
        }

    @classmethod
    def from_dict(cls, d: dict) -> WorldState:
        """Rebuild from :meth:`to_dict` output."""
        return cls(
            robot=RobotState(**d["robot"]),
            objects={k: ObjectState(**v) for k, v in d["objects"].items()},
            fixtures={k: FixtureState(**v) for k, v in d["fixtures"].items()},
            residents={k: ResidentState(**v) for k, v in d["residents"].items()},
            timers={k: float(v) for k, v in d["timers"].items()},
            spills={k: SpillState(**v) for k, v in d.get("spills", {}).items()},
        )
