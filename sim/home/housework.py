"""Housework beyond moving things: floors, the pet's food, hot drinks, cooking, speech.

* **Floors.** Each room's floor has ``dirt`` (``WorldState.floor_dirt``, 0 clean to 1).
  People and pets at home make it dirtier at :data:`DIRT_PER_HOUR` by kind, added at
  every change of their routines (:func:`soil_floors`; so up to a routine slot late). The robot
  vacuums with ``use`` and an empty gripper: the floor under it gets cleaner by the area
  its brush (:data:`BRUSH_M` wide) sweeps over the room's free floor area
  (:func:`vacuum`): one pass over the whole room cleans a fully dirty floor. The robot
  sees the floor of the room it is in (a ``floor`` detection named after the room).
* **Feeding a pet.** The pet's bowl (the ``pet_bowl_mat`` fixture, holding up to
  :data:`~sim.home.catalogue` ``capacity_l`` of food as ``fill``/``liquid``) empties when
  the pet eats; a held bag of pet food tipped (``use``) over the bowl fills it at
  :data:`SERVE_RATE` per second and the bag's ``quantity`` goes down (:func:`serve`).
* **Hot drinks.** A held empty cup (mug, cup, glass) held over a kettle of boiled water
  with ``use`` takes hot water at :data:`BREW_LPS` until full and becomes coffee (or tea,
  if the home has tea and no coffee); a dose of the coffee is used up (:func:`brew`).
* **Cooking from scratch.** A held cookable food (pasta, rice, eggs, soup: a packet with
  a ``quantity``) tipped over a pot or pan adds a portion of it (:func:`add_portion`);
  then the stove cooks it (:mod:`sim.home.processes`).
* **Speaking.** :func:`speak` records what the robot says and who heard it: every person
  awake at home in the same room within :data:`EARSHOT_M` with no wall between.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.layout import HomeLayout
from housemind.sim.home.processes import add_food
from housemind.sim.home.world import WorldState

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = [
    "BREW_LPS",
    "BRUSH_M",
    "DIRT_PER_HOUR",
    "EARSHOT_M",
    "PORTION",
    "SERVE_RATE",
    "add_portion",
    "brew",
    "dose",
    "drink_available",
    "free_floor_area",
    "portion_receiver",
    "serve",
    "soil_floors",
    "speak",
    "vacuum",
]

#: Floor dirt a household member adds per hour at home in a room, by kind.
DIRT_PER_HOUR = {"adult": 0.01, "child": 0.03, "cat": 0.03, "dog": 0.05}
#: Width (m) of the strip of floor the robot's vacuum brush cleans as it drives.
BRUSH_M = 0.45
#: Bowl fill (0-1) per second that tipping a bag of pet food adds.
SERVE_RATE = 0.25
#: Bag quantity a full bowl uses.
BAG_PER_BOWL = 0.05
#: Litres per second of hot water a cup takes from the kettle.
BREW_LPS = 0.25
#: Water at least this hot (°C) makes a hot drink.
BREW_MIN_C = 80.0
#: Coffee (or tea) used per cup.
DOSE = 0.02
#: Quantity of a packet that one portion (one ``use`` of a few seconds) takes.
PORTION = 0.25
#: Seconds of tipping that add a portion.
PORTION_S = 2.0
#: People hear the robot within this distance (m), in the same room, if awake.
EARSHOT_M = 3.5
_DRINKS = ("coffee", "tea")
_DRINK_VESSELS = ("mug", "cup", "glass")
_FREE_AREA: dict[int, tuple[object, dict[str, float]]] = {}


# -- floors ----------------------------------------------------------------------------


def soil_floors(world: WorldState, layout: HomeLayout, now_s: float) -> None:
    """Add the floor dirt people and pets made since ``world.floor_s``.

    Each adds to the room they spent that time in.

    The env calls it at every change of the residents' routines (before they move on),
    so the dirt is the same however the simulation's time was stepped: each person's room
    is where their walk of the slot ends, and someone on the way out counts as out.
    """
    dt = now_s - world.floor_s
    if dt <= 0.0:
        return
    hours = dt / 3600.0
    for p in world.residents.values():
        if not p.home or p.leaving:
            continue
        x, y = (p.path[-2], p.path[-1]) if p.path else (p.x, p.y)
        room = layout.room_at(x, y)
        if not room:
            continue
        rate = DIRT_PER_HOUR.get(p.kind, 0.01)
        world.floor_dirt[room] = min(1.0, world.floor_dirt.get(room, 0.0) + rate * hours)
    world.floor_s = now_s


def free_floor_area(env: HomeSimEnv) -> dict[str, float]:
    """Square metres of each room's floor the robot can drive over (cached per layout)."""
    lay = env.layout
    hit = _FREE_AREA.get(id(lay))
    if hit is not None and hit[0] is lay:
        return hit[1]
    occ = env.occupancy
    out: dict[str, float] = {}
    step = 0.1
    for name, room in lay.rooms.items():
        r = room.rect
        n = 0
        for i in range(int(r.width / step)):
            for j in range(int(r.height / step)):
                x, y = r.x0 + (i + 0.5) * step, r.y0 + (j + 0.5) * step
                if occ.clearance(x, y) >= 0.25 and lay.room_at(x, y) == name:
                    n += 1
        out[name] = max(0.5, n * step * step)
    _FREE_AREA[id(lay)] = (lay, out)
    return out


def vacuum(env: HomeSimEnv, p0: tuple[float, float], p1: tuple[float, float]) -> None:
    """The robot drove from ``p0`` to ``p1`` with the vacuum on: the floor gets cleaner."""
    travel = math.hypot(p1[0] - p0[0], p1[1] - p0[1])
    if travel <= 0.0:
        return
    room = env.layout.room_at(*p1)
    if not room:
        return
    area = free_floor_area(env)[room]
    world = env.world
    d = world.floor_dirt.get(room, 0.0)
    if d > 0.0:
        world.floor_dirt[room] = max(0.0, d - travel * BRUSH_M / area)


# -- pets, drinks, cooking -----------------------------------------------------------


def serve(env: HomeSimEnv, held: str, gx: float, gy: float, dt: float) -> bool:
    """Tip the held bag of pet food over the pet bowl under the gripper; True if it did."""
    world = env.world
    o = world.objects[held]
    if o.kind != "pet_food" or o.quantity <= 0.0:
        return False
    lay = env.layout
    for name, f in lay.fixtures.items():
        if f.kind != "pet_bowl_mat" or not f.rect.contains(gx, gy):
            continue
        fs = world.fixtures[name]
        if fs.fill >= 1.0:
            return True
        add = min(1.0 - fs.fill, SERVE_RATE * dt)
        fs.fill = min(1.0, fs.fill + add)
        fs.liquid = "pet_food"
        o.quantity = max(0.0, round(o.quantity - add * BAG_PER_BOWL, 6))
        return True
    return False


def brew(env: HomeSimEnv, held: str, gx: float, gy: float, dt: float) -> bool:
    """Fill the held empty cup from a kettle of boiled water under the gripper point."""
    world = env.world
    o = world.objects[held]
    if o.kind not in _DRINK_VESSELS:
        return False
    cap = OBJECT_KINDS[o.kind].capacity_l
    for name, f in env.layout.fixtures.items():
        if f.kind != "kettle" or not f.rect.contains(gx, gy):
            continue
        env._sync()
        fs = world.fixtures[name]
        kcap = FIXTURE_KINDS[f.kind].capacity_l
        if fs.liquid != "water" or fs.fill * kcap <= 0.0 or fs.temp < BREW_MIN_C:
            return True  # cold or empty: nothing comes out
        if o.liquid in _DRINKS and o.fill > 0.0:
            drink: str | None = o.liquid
        else:  # the dose put in the cup, else the first drink the home has (coffee, tea)
            drink = o.dose or _drink_available(world)
        if drink is None:
            return True  # no coffee or tea in the home
        if o.fill <= 0.0 or o.liquid not in _DRINKS:
            if not o.dose:
                _use_dose(world, drink)
            o.liquid, o.fill, o.dose = drink, 0.0, ""
        litres = min(BREW_LPS * dt, (1.0 - o.fill) * cap, fs.fill * kcap)
        o.fill = min(1.0, o.fill + litres / cap)
        fs.fill = max(0.0, fs.fill - litres / kcap)
        o.temp = fs.temp - 10.0
        if fs.fill <= 1e-9:
            fs.fill, fs.liquid = 0.0, ""
        env._proc.replan(world)
        env._refresh_events()
        return True
    return False


def dose(env: HomeSimEnv, cup: str, drink: str) -> None:
    """Put a dose of ``drink`` (a tea bag, a spoon of coffee) from the home's packs in ``cup``.

    The brewing expert does this as it starts, so that the kettle's water makes the drink
    asked for; a cup brewed without a dose gets the first drink the home has (coffee,
    then tea), which is what a policy that cannot say which drink it wants makes.

    Raises:
        ValueError: if ``drink`` is not coffee or tea, or none is left in the home.
    """
    if drink not in _DRINKS:
        raise ValueError(f"no dose of {drink!r}: drinks are {', '.join(_DRINKS)}")
    world = env.world
    if not drink_available(world, drink):
        raise ValueError(f"there is no {drink} left in the home")
    o = world.objects[cup]
    if o.dose == drink:
        return
    _use_dose(world, drink)
    o.dose = drink


def drink_available(world: WorldState, drink: str) -> bool:
    """Whether the home has ``drink`` (coffee, tea) left."""
    return any(o.kind == drink and o.quantity >= DOSE for o in world.objects.values())


def _drink_available(world: WorldState) -> str | None:
    for d in _DRINKS:
        if drink_available(world, d):
            return d
    return None


def _use_dose(world: WorldState, drink: str) -> None:
    packs = sorted(
        (o.quantity, n) for n, o in world.objects.items() if o.kind == drink and o.quantity > 0
    )
    if packs:
        o = world.objects[packs[0][1]]
        o.quantity = max(0.0, round(o.quantity - DOSE, 6))


def portion_receiver(
    env: HomeSimEnv, gx: float, gy: float, exclude: str | None = None
) -> str | None:
    """The pot or pan nearest the gripper point (within 15 cm) that food tipped goes into."""
    best, bd = None, 0.15
    for name, t in env.world.objects.items():
        if name == exclude or t.relation in ("held", "with") or env._hidden(t):
            continue
        tk = OBJECT_KINDS.get(t.kind)
        if tk is None or tk.category != "cookware" or tk.capacity_l <= 0:
            continue
        d = math.hypot(t.x - gx, t.y - gy)
        if d <= bd:
            best, bd = name, d
    return best


def add_portion(env: HomeSimEnv, held: str, gx: float, gy: float, dt: float) -> bool:
    """Tip a portion of the held food into the pot or pan under the gripper point."""
    world = env.world
    o = world.objects[held]
    k = OBJECT_KINDS.get(o.kind)
    if k is None or not k.cookable or o.quantity <= 0.0:
        return False
    name = portion_receiver(env, gx, gy, exclude=held)
    if name is not None:
        t = world.objects[name]
        if t.food == o.kind:
            return True  # in already
        o.progress += dt
        if o.progress >= PORTION_S - 1e-9:
            o.progress = 0.0
            env._sync()
            add_food(world, name, o.kind)
            o.quantity = max(0.0, round(o.quantity - PORTION, 6))
            env._proc.replan(world)
            env._refresh_events()
        return True
    return False


# -- speaking -------------------------------------------------------------------------


def speak(env: HomeSimEnv, text: str) -> list[str]:
    """The robot says ``text``; the people who hear it (see the module docstring)."""
    env._sync()
    world = env.world
    rb = world.robot
    room = env.layout.room_at(rb.x, rb.y)
    heard = []
    now = env.clock.elapsed
    for name, p in world.residents.items():
        if not p.home or p.kind in ("cat", "dog") or p.activity == "asleep":
            continue
        if p.room != room or math.hypot(p.x - rb.x, p.y - rb.y) > EARSHOT_M:
            continue
        if not env._los(rb.x, rb.y, p.x, p.y):
            continue
        world.heard[name] = [now, text]
        heard.append(name)
    world.said.append([now, text, heard])
    del world.said[:-50]  # a bounded log
    return heard
