"""What the held object does to the world: filling, pouring, scrubbing, wiping, folding.

:meth:`HomeSimEnv.step <sim.home.env.HomeSimEnv.step>` calls :func:`interact` once per
control tick while the robot holds something or commands ``use``. Everything here acts on
what lies under the *gripper point* (``GRIPPER_OFFSET`` ahead of the robot's centre):

* **fill** (passive, no ``use``): a container (an object kind with ``capacity_l > 0``)
  held over a water fixture (sink, bathtub) whose faucet is on fills with water at
  :data:`FILL_RATE_LPS`. Water runs whether or not the robot means it to, so filling
  needs no command; ``use`` tips the container instead (see pour), so it does not fill.
* **pour** (``use``): a held container with liquid empties at :data:`POUR_RATE_LPS` into
  whatever is under the gripper point: the nearest plant or container object within
  :data:`POUR_RADIUS_M` (a plant's soil moisture rises by :data:`MOISTURE_PER_L` per
  litre; a container takes the liquid up to its capacity), else a fixture that holds
  liquid itself (a kettle, up to its ``capacity_l``), else a water fixture (the sink
  drains it), else the floor: a ``water`` spill in ``world.spills`` that grows with the
  volume (the hazard checks see it as a wet floor).
  Whatever a receiver cannot take overflows onto the floor the same way.
* **wash** (``use``): a held dirty dish (``washable_in`` the sink) scrubbed over a water
  fixture with the faucet on for :data:`SCRUB_S` seconds of ``use`` becomes clean. (A dish
  *released* into the running sink is also cleaned after ``SINK_WASH_S``, as in v1.)
* **wipe** (``use``): a held wiping tool (sponge, cloth) rubbed over a surface fixture
  lowers its ``dirt`` by the distance the gripper point travels over it:
  :data:`WIPE_M_PER_DIRT` metres of strokes clean a fully dirty surface. Holding the
  tool still does nothing; the expert sweeps it by turning in place.
* **serve**, **add**, **brew** (``use``): pet food into the pet's bowl, a portion of food
  into a pot or pan, hot water from the kettle into an empty cup for coffee (see
  :mod:`sim.home.housework`).
* **fold** (``use``): a held foldable object (clothes, linen; not a wiping tool, which
  wipes) over a surface fixture for :data:`FOLD_S` seconds of ``use`` is folded and laid
  on that surface (the gripper opens).

Progress towards scrubbing and folding is ``ObjectState.progress`` (seconds of ``use``),
so a checkpoint taken half-way resumes half-way; it restarts when the object is grasped.
Fast-forward (``idle_until``) does not fill or pour: the robot is idle then.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.geometry import Rect
from housemind.sim.home.layout import HomeLayout
from housemind.sim.home.perception import object_state
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.processes import water_plant
from housemind.sim.home.world import ObjectState, SpillState, WorldState

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = [
    "FILL_RATE_LPS",
    "FOLD_S",
    "MOISTURE_PER_L",
    "POUR_RADIUS_M",
    "POUR_RATE_LPS",
    "SCRUB_S",
    "WIPE_M_PER_DIRT",
    "FixtureIndex",
    "fixture_index",
    "held_state",
    "interact",
    "pour_receiver",
    "spill",
]

#: Litres per second a running faucet puts into a container held under it.
FILL_RATE_LPS = 0.25
#: Litres per second a tipped container pours out.
POUR_RATE_LPS = 0.5
#: A plant or container object within this distance (m) of the gripper point receives a
#: pour.
POUR_RADIUS_M = 0.15
#: Litres of water :func:`sim.home.processes.water_plant` gets per litre poured (each
#: litre it gets raises the soil moisture by 1, up to 1).
MOISTURE_PER_L = 1.0
#: Seconds of scrubbing under the running faucet that clean a held dish.
SCRUB_S = 3.0
#: Seconds of ``use`` over a surface that fold a held garment or towel.
FOLD_S = 3.0
#: Metres of wiping strokes that take a surface from fully dirty (1) to clean (0).
WIPE_M_PER_DIRT = 1.5
_SPILL_R0 = 0.15  # radius (m) of the smallest spill
_SPILL_R_PER_SQRT_L = 0.35  # a litre spreads to 0.5 m
_SPILL_MAX_R = 0.8


@dataclass(frozen=True)
class FixtureIndex:
    """Per-layout lists of the fixtures that interactions look at (built once).

    Attributes:
        water: ``(name, rect)`` of fixtures with a faucet (catalogue ``water``).
        surfaces: ``(name, rect)`` of surface fixtures (wiping, folding).
        liquid: ``(name, rect, capacity_l)`` of fixtures that hold liquid themselves.
        rects: ``(name, rect)`` of every fixture.
    """

    water: tuple[tuple[str, Rect], ...]
    surfaces: tuple[tuple[str, Rect], ...]
    liquid: tuple[tuple[str, Rect, float], ...]
    rects: tuple[tuple[str, Rect], ...]

    def under(self, x: float, y: float) -> str | None:
        """The fixture whose footprint contains ``(x, y)``, if any."""
        for name, r in self.rects:
            if r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1:
                return name
        return None


_INDEX: dict[int, tuple[HomeLayout, FixtureIndex]] = {}


def fixture_index(layout: HomeLayout) -> FixtureIndex:
    """The :class:`FixtureIndex` of ``layout`` (cached; layouts are read-only)."""
    hit = _INDEX.get(id(layout))
    if hit is not None and hit[0] is layout:
        return hit[1]
    water, surfaces, liquid, rects = [], [], [], []
    for name, f in layout.fixtures.items():
        kind = FIXTURE_KINDS.get(f.kind)
        rects.append((name, f.rect))
        if kind is not None and kind.water:
            water.append((name, f.rect))
        if f.surface:
            surfaces.append((name, f.rect))
        if kind is not None and kind.capacity_l > 0:
            liquid.append((name, f.rect, kind.capacity_l))
    idx = FixtureIndex(tuple(water), tuple(surfaces), tuple(liquid), tuple(rects))
    _INDEX[id(layout)] = (layout, idx)
    return idx


def held_state(o: ObjectState) -> dict:
    """What the robot senses of the object it holds (``Proprio.held_state``).

    The same as a detection of it would say (:func:`sim.home.perception.object_state`):
    the robot sees and feels what is in its gripper.
    """
    return object_state(o)


def _capacity(kind: str) -> float:
    k = OBJECT_KINDS.get(kind)
    return k.capacity_l if k is not None else 0.0


def _inside(r: Rect, x: float, y: float) -> bool:
    return r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1


def _running_water(idx: FixtureIndex, world: WorldState, x: float, y: float) -> str | None:
    for name, r in idx.water:
        if world.fixtures[name].on and _inside(r, x, y):
            return name
    return None


def pour_receiver(env: HomeSimEnv, x: float, y: float) -> tuple[str, str]:
    """What a pour at ``(x, y)`` would go into (privileged; experts aim with it).

    Returns:
        ``("object", name)`` for a plant or container object, ``("fixture", name)`` for a
        fixture holding liquid or a water fixture, else ``("floor", "")``.
    """
    world = env.world
    best, bd = None, POUR_RADIUS_M
    for name, o in world.objects.items():
        if o.relation == "held" or o.relation == "with" or env._hidden(o):
            continue
        if o.kind != "plant" and _capacity(o.kind) <= 0:
            continue
        d = math.hypot(o.x - x, o.y - y)
        if d <= bd:
            best, bd = name, d
    if best is not None:
        return ("object", best)
    idx = fixture_index(env.layout)
    for name, r, _ in idx.liquid:
        if _inside(r, x, y):
            return ("fixture", name)
    for name, r in idx.water:
        if _inside(r, x, y):
            return ("fixture", name)
    return ("floor", "")


def interact(
    env: HomeSimEnv, use: bool, dt: float, prev_gripper: tuple[float, float] | None
) -> None:
    """Apply one tick of what the held object does (see the module docstring).

    Args:
        env: The simulator.
        use: Whether the ``use`` command is on this tick.
        dt: Tick length (s).
        prev_gripper: The gripper point before this tick's motion (for wiping strokes).
    """
    world = env.world
    name = world.robot.held
    if name is None:
        return  # use with nothing held does nothing
    o = world.objects[name]
    kind = OBJECT_KINDS.get(o.kind)
    if kind is None:
        return
    gx, gy = env._gripper_point()
    idx = fixture_index(env.layout)
    if not use:
        if kind.capacity_l > 0 and o.fill < 1.0 and _running_water(idx, world, gx, gy):
            _fill(o, kind.capacity_l, FILL_RATE_LPS * dt)
        return
    from housemind.sim.home import housework

    if (
        housework.serve(env, name, gx, gy, dt)
        or housework.add_portion(env, name, gx, gy, dt)
        or (
            o.fill < 1.0
            and o.liquid in ("", "coffee", "tea")
            and housework.brew(env, name, gx, gy, dt)
        )
    ):
        return
    if kind.capacity_l > 0 and o.fill > 0.0:
        _pour(env, o, kind.capacity_l, gx, gy, dt)
    if kind.can_be_dirty and "sink" in kind.washable_in and (o.dirty or o.food):
        if _running_water(idx, world, gx, gy):
            o.progress += dt
            if o.progress >= SCRUB_S - 1e-9:
                # What was left in it (a pan's burnt eggs) is scrubbed out with the dirt.
                o.dirty, o.food, o.cooked, o.dose = False, "", 0.0, ""
                o.progress = 0.0
        return
    if kind.wiping_tool:
        if prev_gripper is not None:
            _wipe(env, idx, prev_gripper, (gx, gy))
        return
    if kind.foldable and not o.folded:
        surface = _surface_under(idx, gx, gy)
        if surface is not None:
            o.progress += dt
            if o.progress >= FOLD_S - 1e-9:
                o.folded = True
                o.progress = 0.0
                rb = world.robot
                rb.held = None
                rb.gripper = 0.0
                put_in_fixture(env.layout, world, name, surface, near=(gx, gy))


def _fill(o: ObjectState, capacity_l: float, litres: float) -> None:
    if not o.liquid or o.fill <= 0.0:
        o.liquid = "water"
    o.fill = min(1.0, o.fill + litres / capacity_l)


def _surface_under(idx: FixtureIndex, x: float, y: float) -> str | None:
    for name, r in idx.surfaces:
        if _inside(r, x, y):
            return name
    return None


def _pour(
    env: HomeSimEnv, o: ObjectState, capacity_l: float, gx: float, gy: float, dt: float
) -> None:
    world = env.world
    env._sync()  # heat and boiling up to now before liquid moves
    litres = min(POUR_RATE_LPS * dt, o.fill * capacity_l)
    liquid = o.liquid or "water"
    o.fill = max(0.0, o.fill - litres / capacity_l)
    if o.fill < 1e-9:
        o.fill, o.liquid = 0.0, ""
    what, target = pour_receiver(env, gx, gy)
    left = litres
    if what == "object":
        t = world.objects[target]
        if t.kind == "plant":
            water_plant(world, target, litres * MOISTURE_PER_L)
            left = 0.0  # what the soil cannot hold drains through the pot
        else:
            cap = _capacity(t.kind)
            take = min(left, (1.0 - t.fill) * cap)
            if take > 0:
                if not t.liquid or t.fill <= 0.0:
                    t.liquid = liquid
                t.fill = min(1.0, t.fill + take / cap)
                left -= take
        sx, sy = t.x, t.y
    elif what == "fixture":
        fs = world.fixtures[target]
        cap = FIXTURE_KINDS[env.layout.fixtures[target].kind].capacity_l
        if cap > 0:
            take = min(left, (1.0 - fs.fill) * cap)
            if take > 0:
                if not fs.liquid or fs.fill <= 0.0:
                    fs.liquid = liquid
                fs.fill = min(1.0, fs.fill + take / cap)
                left -= take
        else:
            left = 0.0  # down the drain
        sx, sy = gx, gy
    else:
        sx, sy = gx, gy
    if what != "floor":
        # A pot of water on a lit hob now boils; a watered plant dries later.
        env._proc.replan(world)
        env._refresh_events()
    if left > 1e-12:
        spill(env, sx, sy, left)


def spill(env: HomeSimEnv, x: float, y: float, litres: float) -> str:
    """Spill ``litres`` of liquid at ``(x, y)``: a new floor spill, or a nearby one grows.

    Returns:
        The spill's name in ``world.spills``.
    """
    spills = env.world.spills
    for name, sp in spills.items():
        if sp.kind == "water" and math.hypot(sp.x - x, sp.y - y) <= sp.radius:
            vol = ((sp.radius - _SPILL_R0) / _SPILL_R_PER_SQRT_L) ** 2 + litres
            sp.radius = min(_SPILL_MAX_R, _SPILL_R0 + _SPILL_R_PER_SQRT_L * math.sqrt(vol))
            return name
    n = 1
    while f"water_spill_{n}" in spills:
        n += 1
    name = f"water_spill_{n}"
    r = min(_SPILL_MAX_R, _SPILL_R0 + _SPILL_R_PER_SQRT_L * math.sqrt(litres))
    spills[name] = SpillState(float(x), float(y), r, "water")
    return name


def _wipe(
    env: HomeSimEnv, idx: FixtureIndex, p0: tuple[float, float], p1: tuple[float, float]
) -> None:
    travel = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    if travel <= 0.0:
        return
    for name, r in idx.surfaces:
        if _inside(r, *p0) and _inside(r, *p1):
            fs = env.world.fixtures[name]
            if fs.dirt > 0.0:
                fs.dirt = max(0.0, fs.dirt - travel / WIPE_M_PER_DIRT)
            return
