"""HomeSim's grocery service: orders arrive at the front door a few hours later.

:class:`HomeSimGrocery` implements :class:`housemind.skills.grocery.GroceryService` for one
:class:`~sim.home.env.HomeSimEnv`. An order is accepted for the food and drink kinds this
home keeps (a fresh pack of each replaces the used-up one: its ``quantity`` goes back to
full); anything else is reported unavailable. The delivery is due a seeded
:data:`DELIVERY_HOURS` later; a world timer (``delivery:<id>``) fires then and puts the
items on the floor just inside the front door (or where the robot docks, in a home
without one), where the "put the delivery away" chore finds them. Orders and deliveries
are part of the world state, so a checkpointed run resumes with its orders on the way.
"""

from __future__ import annotations

import math
import random
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from housemind.sim.home.catalogue import OBJECT_KINDS
from housemind.skills.grocery import Delivery

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = ["DELIVERY_HOURS", "HomeSimGrocery", "deliver"]

#: A delivery arrives this many hours after the order (seeded per order).
DELIVERY_HOURS = (2.0, 5.0)
_WORDS = {
    "egg": "eggs",
    "cheddar": "cheese",
    "oj": "juice",
    "orange juice": "juice",
    "apples": "apple",
    "bananas": "banana",
    "loaf": "bread",
    "cat food": "pet_food",
    "dog food": "pet_food",
    "spaghetti": "pasta",
    "noodles": "pasta",
    "coffee beans": "coffee",
}


def _kind(item: str) -> str:
    w = " ".join(item.lower().split())
    w = _WORDS.get(w, w)
    w = w.replace(" ", "_")
    if w in OBJECT_KINDS:
        return w
    if w.endswith("s") and w[:-1] in OBJECT_KINDS:
        return w[:-1]
    return w


class HomeSimGrocery:
    """The grocery service of one HomeSim home (see the module docstring).

    Args:
        env: The home.
    """

    def __init__(self, env: HomeSimEnv) -> None:
        self.env = env

    def order(self, items: list[str]) -> Delivery:
        """Order ``items``; what the home keeps arrives at the front door hours later.

        Raises:
            ValueError: for an empty order.
        """
        wanted = [i.strip() for i in items if i and i.strip()]
        if not wanted:
            raise ValueError("the order is empty; give the items to order, e.g. ['milk']")
        env = self.env
        world = env.world
        kinds_here = {o.kind for o in world.objects.values()}
        accepted, unavailable = [], []
        for item in wanted:
            kind = _kind(item)
            ok = OBJECT_KINDS.get(kind)
            if ok is not None and ok.category in ("food", "drink") and kind in kinds_here:
                if kind not in accepted:
                    accepted.append(kind)
            elif item not in unavailable:
                unavailable.append(item)
        n = 1
        while f"order_{n}" in world.deliveries:
            n += 1
        oid = f"order_{n}"
        rng = random.Random(f"{env._seed}:{oid}:{env.clock.elapsed!r}")
        due_s = env.clock.elapsed + 3600.0 * rng.uniform(*DELIVERY_HOURS)
        world.deliveries[oid] = {
            "items": accepted,
            "unavailable": unavailable,
            "ordered_s": env.clock.elapsed,
            "due_s": due_s,
            "status": "on_the_way" if accepted else "delivered",
        }
        if accepted:
            world.timers[f"delivery:{oid}"] = due_s
            env._refresh_events()
        return self._delivery(oid)

    def deliveries(self) -> list[Delivery]:
        """Every order of this home, oldest first."""
        self.env._sync()
        return [self._delivery(oid) for oid in sorted(self.env.world.deliveries, key=_num)]

    def _delivery(self, oid: str) -> Delivery:
        d = self.env.world.deliveries[oid]
        start = self.env.clock.start
        return Delivery(
            id=oid,
            items=list(d["items"]),
            unavailable=list(d.get("unavailable", [])),
            ordered_at=start + timedelta(seconds=d["ordered_s"]),
            due_at=start + timedelta(seconds=d["due_s"]),
            status=d.get("status", "on_the_way"),
        )


def _num(oid: str) -> int:
    m = re.search(r"(\d+)$", oid)
    return int(m.group(1)) if m else 0


def deliver(env: HomeSimEnv, oid: str) -> list[str]:
    """Put order ``oid``'s items inside the front door (the env's delivery timer).

    Returns:
        The objects delivered.
    """
    world = env.world
    d = world.deliveries.get(oid)
    if d is None or d.get("status") == "delivered":
        return []
    lay = env.layout
    door = next((n for n, f in lay.fixtures.items() if f.kind == "front_door"), None)
    if door is not None:
        x0, y0, _ = lay.approach[door]
    else:
        x0, y0 = lay.dock[0], lay.dock[1]
    rng = random.Random(f"{env._seed}:{oid}:deliver")
    out = []
    for kind in d["items"]:
        packs = sorted(
            (o.quantity, n)
            for n, o in world.objects.items()
            if o.kind == kind and o.relation not in ("held", "with")
        )
        if not packs:
            continue
        name = packs[0][1]
        o = world.objects[name]
        o.quantity, o.spoiled, o.warm_s, o.temp = 1.0, False, 0.0, 20.0
        _drop_near(env, name, x0, y0, rng)
        out.append(name)
    d["status"] = "delivered"
    d["delivered"] = out
    env._proc.replan(world)
    return out


def _drop_near(env: HomeSimEnv, name: str, x0: float, y0: float, rng: random.Random) -> None:
    """Put ``name`` on open floor near ``(x0, y0)`` where the robot can pick it up."""
    world, occ, lay = env.world, env.occupancy, env.layout
    room = lay.room_at(x0, y0)
    for radius in (0.6, 0.9, 1.2, 1.6, 2.2):
        for _ in range(40):
            a = rng.uniform(-math.pi, math.pi)
            x, y = x0 + radius * math.cos(a), y0 + radius * math.sin(a)
            if occ.clearance(x, y) < 0.45 or lay.room_at(x, y) != room:
                continue
            if any(
                p.relation == "floor" and math.hypot(p.x - x, p.y - y) < 0.5
                for n, p in world.objects.items()
                if n != name
            ):
                continue
            o = world.objects[name]
            o.relation, o.place, o.x, o.y = "floor", room, round(x, 3), round(y, 3)
            return
    o = world.objects[name]
    o.relation, o.place, o.x, o.y = "floor", room, round(x0, 3), round(y0, 3)
