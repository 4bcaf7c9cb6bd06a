"""Hazards computed from the state of the home: what the safety monitor must see.

:func:`hazards` reads the world (after bringing processes up to date when given an env)
and lists every :class:`Hazard` present now. Perception reports those the robot can see
as ``category="hazard"`` detections (see :func:`sim.home.perception.detect`); floor
hazards (a wet floor, a flood, a fire) carry a ``radius`` and become keep-out zones, the
others are facts for the plan-step rules (``hazard(burning_food,pot)``).

Kinds (:data:`HAZARD_KINDS`):

* ``hot_surface``: a stove or oven that is on or hotter than :data:`HOT_C`, or anything
  hotter than that (a pot just off the hob, a boiled kettle).
* ``burning_food``: burnt food still hot enough to smoke; ``fire``: a fire (see
  :mod:`sim.home.processes`).
* ``child_near_stove``: a child within :data:`CHILD_NEAR_M` of a hot stove or oven.
* ``child_near_chemicals``: a child within :data:`CHILD_NEAR_M` of something toxic that is
  not shut away in a closed cupboard (or that the child holds).
* ``sharp_near_person``: a sharp object held by the robot within :data:`CHILD_NEAR_M` of
  a person, or lying on the floor or a low surface (:data:`LOW_SURFACES`) within
  :data:`REACH_PERSON_M` of a person (within :data:`CHILD_NEAR_M` of a child).
* ``water_near_electrical``: a water spill reaching an electrical appliance or a mains
  device on the floor; a portable electrical thing (a phone, a laptop) in or right by a
  running basin; the robot holding liquid over an electrical appliance (not one that
  is meant to take it: a kettle, a hob) or holding an electrical thing over running
  water.
* ``wet_floor``: a liquid spill; ``flooding``: a faucet overflowed; ``broken_glass``.
* ``door_open_with_pet``: the front door open while a pet is at home.
* ``metal_in_microwave``, ``eggs_in_microwave``: running or not (severity ``high`` while it
  runs: sparks, a burst).
* ``dry_kettle``: a kettle switched on (or still hot) without water.
* ``empty_pot_on_burner``: a pot or pan with nothing in it on a burner that is on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.layout import GRIPPER_OFFSET, HomeLayout
from housemind.sim.home.processes import burning
from housemind.sim.home.world import ObjectState, WorldState

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = [
    "CHILD_KINDS",
    "CHILD_NEAR_M",
    "HAZARD_KINDS",
    "HOT_C",
    "LOW_SURFACES",
    "PET_KINDS",
    "REACH_PERSON_M",
    "Hazard",
    "hazards",
]

HazardKind = Literal[
    "hot_surface",
    "burning_food",
    "fire",
    "child_near_stove",
    "child_near_chemicals",
    "sharp_near_person",
    "water_near_electrical",
    "wet_floor",
    "flooding",
    "broken_glass",
    "door_open_with_pet",
    "metal_in_microwave",
    "eggs_in_microwave",
    "dry_kettle",
    "empty_pot_on_burner",
]
HAZARD_KINDS: tuple[str, ...] = HazardKind.__args__  # type: ignore[attr-defined]
Severity = Literal["low", "medium", "high"]

#: Hotter than this (°C) burns skin.
HOT_C = 60.0
#: A child this close (m) to a hot stove, chemicals or a knife is in danger.
CHILD_NEAR_M = 1.5
#: A person reaches this far (m) for something lying near them.
REACH_PERSON_M = 1.0
CHILD_KINDS = frozenset({"child", "kid", "toddler", "baby", "infant"})
PET_KINDS = frozenset({"pet", "cat", "dog"})
#: Surfaces low enough for a child (or a person sitting down) to reach things on them.
LOW_SURFACES = frozenset(
    {
        "sofa",
        "armchair",
        "coffee_table",
        "bed",
        "crib",
        "toy_box",
        "tv_stand",
        "pet_bowl_mat",
        "shoe_rack",
        "nightstand",
    }
)
_LIQUID_SPILLS = frozenset({"spill", "water", "milk", "juice", "oil", "soup"})
_WATER_NEAR_M = 0.5


@dataclass(frozen=True, slots=True)
class Hazard:
    """One hazard in the home now.

    Attributes:
        kind: See :data:`HAZARD_KINDS`.
        x: Where it is (m): the hot fixture, the knife, the spill's centre.
        y: Where it is (m).
        room: Room it is in.
        things: What is involved, the main thing first (``("stove", "pot")``).
        severity: ``low``, ``medium`` or ``high``.
        text: One line for people.
        radius: For floor hazards (spills, floods, fires): how far they reach (m); 0
            for the others.
    """

    kind: str
    x: float
    y: float
    room: str
    things: tuple[str, ...] = field(default_factory=tuple)
    severity: Severity = "medium"
    text: str = ""
    radius: float = 0.0

    @property
    def name(self) -> str:
        """A stable id: ``kind:main_thing`` (``"burning_food:pot"``)."""
        return f"{self.kind}:{self.things[0]}" if self.things else self.kind

    @property
    def where(self) -> tuple[float, float, str]:
        """``(x, y, room)``."""
        return (self.x, self.y, self.room)

    @property
    def floor(self) -> bool:
        """A floor hazard to keep off (it has a radius)."""
        return self.radius > 0.0


def _hidden_in(world: WorldState, layout: HomeLayout, o: ObjectState) -> bool:
    return (
        o.relation == "in"
        and layout.fixtures[o.place].openable
        and not world.fixtures[o.place].open
    )


def _pos(world: WorldState, layout: HomeLayout, o: ObjectState) -> tuple[float, float]:
    if o.relation == "held":
        rb = world.robot
        return (
            rb.x + GRIPPER_OFFSET * math.cos(rb.theta),
            rb.y + GRIPPER_OFFSET * math.sin(rb.theta),
        )
    if o.relation == "with":
        p = world.residents.get(o.place)
        if p is not None:
            return (p.x, p.y)
    return (o.x, o.y)


def hazards(
    env_or_world: HomeSimEnv | WorldState, layout: HomeLayout | None = None
) -> list[Hazard]:
    """Every hazard in the home now, most severe first.

    Args:
        env_or_world: A :class:`~sim.home.env.HomeSimEnv` (processes are brought up to
            date first) or a :class:`~sim.home.world.WorldState` (taken as it is).
        layout: The floor plan; required with a world, ignored with an env.

    Raises:
        ValueError: if a world is given without its layout.
    """
    if isinstance(env_or_world, WorldState):
        if layout is None:
            raise ValueError("hazards(world) needs the layout too: hazards(world, layout)")
        world = env_or_world
    else:
        env = env_or_world
        env._sync()
        world, layout = env.world, env.layout
    out: list[Hazard] = []
    add = out.append
    fixtures = layout.fixtures
    fstate = world.fixtures
    objects = world.objects
    people = [(n, p) for n, p in world.residents.items() if p.home]
    children = [(n, p) for n, p in people if p.kind in CHILD_KINDS]
    humans = [(n, p) for n, p in people if p.kind not in PET_KINDS]
    pets = [n for n, p in people if p.kind in PET_KINDS]

    # Heat: hobs and ovens on or hot, hot things, dry kettles, empty pots, microwaves.
    hot_fixtures: list[str] = []
    for name, spec in fixtures.items():
        fk = FIXTURE_KINDS.get(spec.kind)
        if fk is None or not (fk.heat_c > 0 or spec.kind == "microwave"):
            continue
        fs = fstate[name]
        r = spec.rect
        on_it = [
            n
            for n, o in objects.items()
            if o.place == name and (o.relation == "on" or o.relation == "in")
        ]
        if spec.kind == "kettle":
            water = fs.fill > 0.0 and bool(fs.liquid)
            if not water and (fs.on or fs.temp > 100.0):
                add(
                    Hazard(
                        "dry_kettle",
                        r.cx,
                        r.cy,
                        spec.room,
                        (name,),
                        "high",
                        f"the {name} is {'on' if fs.on else 'hot'} with no water in it",
                    )
                )
            if fs.temp > HOT_C:
                add(
                    Hazard(
                        "hot_surface",
                        r.cx,
                        r.cy,
                        spec.room,
                        (name,),
                        "low",
                        f"the {name} is hot ({fs.temp:.0f} °C)",
                    )
                )
            continue
        if spec.kind == "microwave":
            for n in on_it:
                o = objects[n]
                ok = OBJECT_KINDS.get(o.kind)
                if ok is None:
                    continue
                sev: Severity = "high" if fs.on else "medium"
                if o.kind == "eggs":
                    add(
                        Hazard(
                            "eggs_in_microwave",
                            r.cx,
                            r.cy,
                            spec.room,
                            (n, name),
                            sev,
                            f"eggs in the {name}" + (": they burst" if fs.on else ""),
                        )
                    )
                elif ok.metal:
                    add(
                        Hazard(
                            "metal_in_microwave",
                            r.cx,
                            r.cy,
                            spec.room,
                            (n, name),
                            sev,
                            f"the {n} (metal) is in the {name}" + (": sparks" if fs.on else ""),
                        )
                    )
            continue
        if fs.on or fs.temp > HOT_C:
            hot_fixtures.append(name)
            add(
                Hazard(
                    "hot_surface",
                    r.cx,
                    r.cy,
                    spec.room,
                    (name, *on_it),
                    "medium" if fs.on else "low",
                    f"the {name} is {'on' if fs.on else f'hot ({fs.temp:.0f} °C)'}",
                )
            )
        if fs.on and spec.kind == "stove":
            for n in on_it:
                o = objects[n]
                ok = OBJECT_KINDS.get(o.kind)
                empty = not o.food and (o.fill <= 0.0 or not o.liquid)
                if ok is not None and ok.capacity_l > 0 and ok.category == "cookware" and empty:
                    add(
                        Hazard(
                            "empty_pot_on_burner",
                            o.x,
                            o.y,
                            spec.room,
                            (n, name),
                            "high" if o.temp > 200.0 else "medium",
                            f"the {n} is empty on the {name}, which is on ({o.temp:.0f} °C)",
                        )
                    )
    for n, o in objects.items():
        if o.temp > HOT_C and not _hidden_in(world, layout, o):
            if (o.relation == "on" or o.relation == "in") and o.place in hot_fixtures:
                pass  # already part of its fixture's hot surface
            else:
                x, y = _pos(world, layout, o)
                add(
                    Hazard(
                        "hot_surface",
                        x,
                        y,
                        layout.room_at(x, y),
                        (n,),
                        "medium" if o.relation == "held" else "low",
                        f"the {n} is hot ({o.temp:.0f} °C)",
                    )
                )
        if burning(o):
            x, y = _pos(world, layout, o)
            add(
                Hazard(
                    "burning_food",
                    x,
                    y,
                    layout.room_at(x, y),
                    (n, o.place) if o.relation in ("on", "in") else (n,),
                    "high",
                    f"{o.food or o.kind} in the {n} is burning: smoke"
                    if o.food
                    else f"the {n} is burning: smoke",
                )
            )

    # Floor: spills, floods, fires, broken glass.
    for sname, sp in world.spills.items():
        room = layout.room_at(sp.x, sp.y)
        if sp.kind == "fire":
            kind, sev, text = "fire", "high", f"fire at ({sp.x:.1f}, {sp.y:.1f})"
        elif sname.startswith("flood_"):
            kind, sev, text = "flooding", "high", f"water is flooding the {room} floor"
        elif sp.kind == "broken_glass":
            kind, sev, text = "broken_glass", "medium", f"broken glass on the {room} floor"
        else:
            kind, sev, text = "wet_floor", "medium", f"the {room} floor is wet ({sp.kind})"
        add(Hazard(kind, sp.x, sp.y, room, (sname,), sev, text, radius=sp.radius))  # type: ignore[arg-type]
        if sp.kind == "fire" or (sp.kind not in _LIQUID_SPILLS and not sname.startswith("flood_")):
            continue
        reach = sp.radius + _WATER_NEAR_M
        for fname, spec in fixtures.items():
            fk = FIXTURE_KINDS.get(spec.kind)
            if fk is not None and fk.electrical and spec.rect.distance(sp.x, sp.y) <= reach:
                add(
                    Hazard(
                        "water_near_electrical",
                        sp.x,
                        sp.y,
                        room,
                        (sname, fname),
                        "high",
                        f"water on the floor by the {fname}",
                    )
                )
        for n, o in objects.items():
            ok = OBJECT_KINDS.get(o.kind)
            wet = math.hypot(o.x - sp.x, o.y - sp.y) <= sp.radius + 0.1
            if ok is not None and ok.electrical and o.relation == "floor" and wet:
                add(
                    Hazard(
                        "water_near_electrical",
                        o.x,
                        o.y,
                        room,
                        (n, sname),
                        "high",
                        f"the {n} lies in water",
                    )
                )

    # Running water and electrical things; liquid held over appliances.
    running = [
        n
        for n, spec in fixtures.items()
        if fstate[n].on
        and (
            (FIXTURE_KINDS.get(spec.kind) is not None and FIXTURE_KINDS[spec.kind].water)
            or spec.kind == "sink"
        )
    ]
    for n, o in objects.items():
        ok = OBJECT_KINDS.get(o.kind)
        if ok is None or not ok.electrical or o.relation == "held":
            continue
        for w in running:
            if (o.place == w and o.relation in ("on", "in")) or fixtures[w].rect.distance(
                o.x, o.y
            ) <= 0.3:
                add(
                    Hazard(
                        "water_near_electrical",
                        o.x,
                        o.y,
                        fixtures[w].room,
                        (n, w),
                        "high" if o.place == w else "medium",
                        f"the {n} is {'in' if o.place == w else 'by'} the running {w}",
                    )
                )
    held = world.robot.held
    if held is not None:
        o = objects[held]
        ok = OBJECT_KINDS.get(o.kind)
        gx, gy = _pos(world, layout, o)
        if ok is not None and o.fill > 0.0 and o.liquid:
            for fname, spec in fixtures.items():
                fk = FIXTURE_KINDS.get(spec.kind)
                if (
                    fk is not None
                    and fk.electrical
                    and fk.capacity_l <= 0
                    and fk.heat_c <= 0
                    and spec.rect.distance(gx, gy) <= 0.0
                ):
                    add(
                        Hazard(
                            "water_near_electrical",
                            gx,
                            gy,
                            spec.room,
                            (held, fname),
                            "medium",
                            f"the robot holds {o.liquid} over the {fname}",
                        )
                    )
        if ok is not None and ok.electrical:
            for w in running:
                if fixtures[w].rect.distance(gx, gy) <= 0.0:
                    add(
                        Hazard(
                            "water_near_electrical",
                            gx,
                            gy,
                            fixtures[w].room,
                            (held, w),
                            "high",
                            f"the robot holds the {held} over the running {w}",
                        )
                    )

    # People: children near heat and chemicals, sharp things near anyone.
    for cname, c in children:
        for fname in hot_fixtures:
            spec = fixtures[fname]
            if spec.kind in ("stove", "oven") and spec.rect.distance(c.x, c.y) <= CHILD_NEAR_M:
                add(
                    Hazard(
                        "child_near_stove",
                        spec.rect.cx,
                        spec.rect.cy,
                        spec.room,
                        (fname, cname),
                        "high",
                        f"{cname} is by the hot {fname}",
                    )
                )
        for n, o in objects.items():
            ok = OBJECT_KINDS.get(o.kind)
            if ok is None or not ok.toxic or _hidden_in(world, layout, o):
                continue
            x, y = _pos(world, layout, o)
            if (o.relation == "with" and o.place == cname) or math.hypot(
                x - c.x, y - c.y
            ) <= CHILD_NEAR_M:
                add(
                    Hazard(
                        "child_near_chemicals",
                        x,
                        y,
                        layout.room_at(x, y),
                        (n, cname),
                        "high",
                        f"{cname} can reach the {n}",
                    )
                )
    for n, o in objects.items():
        ok = OBJECT_KINDS.get(o.kind)
        if ok is None or not ok.sharp or _hidden_in(world, layout, o):
            continue
        low = o.relation == "floor" or (
            o.relation in ("on", "in") and fixtures[o.place].kind in LOW_SURFACES
        )
        if not (low or o.relation == "held"):
            continue
        x, y = _pos(world, layout, o)
        for pname, p in humans:
            child = p.kind in CHILD_KINDS
            lim = CHILD_NEAR_M if (child or o.relation == "held") else REACH_PERSON_M
            if math.hypot(x - p.x, y - p.y) <= lim:
                how = "the robot holds" if o.relation == "held" else "lies within reach:"
                add(
                    Hazard(
                        "sharp_near_person",
                        x,
                        y,
                        layout.room_at(x, y),
                        (n, pname),
                        "high" if child else "medium",
                        f"{how} the {n} near {pname}",
                    )
                )
    if pets:
        for fname, spec in fixtures.items():
            if spec.kind == "front_door" and fstate[fname].open:
                add(
                    Hazard(
                        "door_open_with_pet",
                        spec.rect.cx,
                        spec.rect.cy,
                        spec.room,
                        (fname, *pets),
                        "high",
                        f"the {fname} is open and {', '.join(pets)} could run out",
                    )
                )
    rank = {"high": 0, "medium": 1, "low": 2}
    out.sort(key=lambda h: rank[h.severity])
    return out
