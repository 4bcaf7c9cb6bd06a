"""The mutable state of the home: robot, objects, fixtures, residents and timers.

Plain dataclasses of floats, strings and bools, so ``step`` touches attributes and nothing
else, and :meth:`WorldState.to_dict` is JSON-serialisable as it stands.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "BURNT_AT",
    "DRY_BELOW",
    "ROOM_TEMP_C",
    "FixtureState",
    "ObjectState",
    "ResidentState",
    "RobotState",
    "SpillState",
    "WorldState",
]

#: Room temperature (°C): what things cool towards.
ROOM_TEMP_C = 20.0
#: Doneness at which food is burnt (1 is cooked).
BURNT_AT = 2.0
#: A plant whose soil moisture is below this is dry and needs water.
DRY_BELOW = 0.3

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
        temp: Temperature (°C); heated on a stove, in an oven, kettle or microwave.
        cooked: Doneness of cookable food: 0 raw, 1 cooked, :data:`BURNT_AT` and more burnt.
        liquid: What it holds (``"water"``, ``"milk"``), empty if nothing.
        fill: How full it is, 0-1 of the kind's ``capacity_l``.
        food: Food cooking or served in it (a pot's ``"pasta"``); its doneness is
            ``cooked`` (see :mod:`sim.home.processes`).
        quantity: How much of a consumable is left, 0-1 (a full carton is 1).
        wet: Washed but not dried (clothes, linen).
        folded: Folded (clothes, linen).
        moisture: Soil moisture of a plant, 0-1 (below :data:`DRY_BELOW` it is dry).
        broken: Broken (dropped glass, cracked eggs).
        progress: Seconds of ``use`` applied so far towards scrubbing or folding it while
            held (see :mod:`sim.home.interactions`); back to 0 when it is grasped again.
        warm_s: Seconds a perishable (milk, cheese) has spent warmer than a fridge.
        spoiled: A perishable left out too long (see :mod:`sim.home.processes`).
        dose: A dose of ``coffee`` or ``tea`` put in a cup for the kettle's water (a tea bag,
            a spoon of coffee), empty if none; the drink the cup is brewed into.
        stack: Place in a pile of things at one spot of a full fixture (0: the first
            there, or alone; each thing put on the pile later goes underneath, one lower);
            the highest is on top and is the one grasped.
    """

    kind: str
    relation: Relation
    place: str
    x: float
    y: float
    dirty: bool = False
    temp: float = 20.0
    cooked: float = 0.0
    liquid: str = ""
    fill: float = 0.0
    food: str = ""
    quantity: float = 1.0
    wet: bool = False
    folded: bool = False
    moisture: float = 1.0
    broken: bool = False
    progress: float = 0.0
    warm_s: float = 0.0
    spoiled: bool = False
    stack: int = 0
    dose: str = ""


@dataclass(slots=True)
class FixtureState:
    """Articulation, power and process state of a fixture.

    Attributes:
        open: Door or lid open.
        on: Switched on (faucet running, burner lit, programme running).
        temp: Temperature (°C) of its heating element or chamber.
        liquid: What it holds itself (a kettle's ``"water"``), empty if nothing.
        fill: How full it is, 0-1.
        dirt: How dirty a surface is, 0 (clean) to 1; wiping lowers it.
        cycle: Programme phase of an appliance: ``""`` idle, ``"running"``,
            ``"paused"`` (door opened mid-programme), ``"done"``.
        remaining_s: Seconds left of a paused programme.
    """

    open: bool = False
    on: bool = False
    temp: float = 20.0
    liquid: str = ""
    fill: float = 0.0
    dirt: float = 0.0
    cycle: str = ""
    remaining_s: float = 0.0


@dataclass(slots=True)
class ResidentState:
    """A person who lives in the home.

    Attributes:
        kind: ``adult``, ``child``, ``cat`` or ``dog``.
        home: Whether they are at home (else ``room`` is None).
        activity: What the routine has them doing (``asleep``, ``breakfast``, ``away``...).
        path: While walking, the flat ``[x0, y0, x1, y1, ...]`` path they follow (empty when
            standing still); ``x, y`` is where they are along it at the last update.
        depart_s: Clock elapsed seconds when they set off along ``path``.
        leaving: They leave the home when they reach the end of ``path`` (the door).
    """

    kind: str
    home: bool
    room: str | None
    x: float
    y: float
    activity: str
    path: list[float] = field(default_factory=list)
    depart_s: float = 0.0
    leaving: bool = False


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


def _plain(obj: RobotState | ObjectState | FixtureState | ResidentState | SpillState) -> dict:
    """``dataclasses.asdict`` for the flat state records, about 10x faster.

    Their fields are scalars, except a resident's ``path`` (a list of floats), which is
    copied; a checkpoint is taken after every step of a task, so this is on the hot path.
    """
    out = {}
    for name in obj.__slots__:
        v = getattr(obj, name)
        out[name] = list(v) if type(v) is list else v
    return out


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
        process_s: Clock elapsed seconds up to which continuous processes (heat,
            cooking, plants drying) have been applied.
        floor_dirt: How dirty each room's floor is, 0 (clean) to 1 (see
            :mod:`sim.home.housework`); residents and pets make it dirtier.
        floor_s: Clock elapsed seconds up to which floor dirt has been added.
        heard: Person -> ``[clock elapsed seconds, text]`` of the last thing the robot
            said in their hearing.
        said: Everything the robot said: ``[clock elapsed seconds, text, [who heard]]``.
        deliveries: Grocery orders on their way: id -> ``{"items": [...], "due_s": s,
            "ordered_s": s}`` (see :mod:`sim.home.grocery`).
    """

    robot: RobotState
    objects: dict[str, ObjectState] = field(default_factory=dict)
    fixtures: dict[str, FixtureState] = field(default_factory=dict)
    residents: dict[str, ResidentState] = field(default_factory=dict)
    timers: dict[str, float] = field(default_factory=dict)
    spills: dict[str, SpillState] = field(default_factory=dict)
    process_s: float = 0.0
    floor_dirt: dict[str, float] = field(default_factory=dict)
    floor_s: float = 0.0
    heard: dict[str, list] = field(default_factory=dict)
    said: list[list] = field(default_factory=list)
    deliveries: dict[str, dict] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """A JSON-serialisable copy."""
        return {
            "robot": _plain(self.robot),
            "objects": {k: _plain(v) for k, v in self.objects.items()},
            "fixtures": {k: _plain(v) for k, v in self.fixtures.items()},
            "residents": {k: _plain(v) for k, v in self.residents.items()},
            "timers": dict(self.timers),
            "spills": {k: _plain(v) for k, v in self.spills.items()},
            "process_s": self.process_s,
            "floor_dirt": dict(self.floor_dirt),
            "floor_s": self.floor_s,
            "heard": {k: list(v) for k, v in self.heard.items()},
            "said": [list(x) for x in self.said],
            "deliveries": {k: dict(v) for k, v in self.deliveries.items()},
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
            process_s=float(d.get("process_s", 0.0)),
            floor_dirt={k: float(v) for k, v in d.get("floor_dirt", {}).items()},
            floor_s=float(d.get("floor_s", d.get("process_s", 0.0))),
            heard={k: list(v) for k, v in d.get("heard", {}).items()},
            said=[list(x) for x in d.get("said", [])],
            deliveries={k: dict(v) for k, v in d.get("deliveries", {}).items()},
        )
