"""Putting objects on and in fixtures: slot bookkeeping shared by the env and residents."""

from __future__ import annotations

import math

from housemind.sim.home.layout import SLOT_SPACING, HomeLayout
from housemind.sim.home.world import WorldState

__all__ = ["free_slots", "has_room", "landing_spots", "put_in_fixture"]

#: Closer than this to another object, a squeezed-in object could hardly be told apart
#: from it by the gripper (a grasp needs the object nearer the gripper point than any
#: other by 5 cm, and the robot stands on a 5 cm grid): stacking is the last resort.
MIN_GAP = 0.1


def free_slots(
    layout: HomeLayout, world: WorldState, fixture: str, exclude: str | None = None
) -> list[tuple[float, float]]:
    """Slots of ``fixture`` not taken by another object (in the layout's preferred order)."""
    taken = [
        (o.x, o.y)
        for n, o in world.objects.items()
        if n != exclude and o.place == fixture and o.relation in ("on", "in")
    ]
    lim = (SLOT_SPACING * 0.8) ** 2
    return [
        s
        for s in layout.slots[fixture]
        if all((s[0] - x) ** 2 + (s[1] - y) ** 2 >= lim for x, y in taken)
    ]


def landing_spots(
    layout: HomeLayout, world: WorldState, fixture: str, exclude: str | None = None
) -> list[tuple[float, float]]:
    """Where an object put on/in ``fixture`` may land.

    The free slots if there are any. On a full fixture, the points halfway between
    neighbouring slots that are furthest from every object there, so a squeezed-in object
    can still be picked out later; only when even those are within :data:`MIN_GAP` of
    another object, every slot (the object is stacked).
    """
    free = free_slots(layout, world, fixture, exclude)
    if free:
        return free
    return _gaps(layout, world, fixture, exclude) or list(layout.slots[fixture])


def has_room(layout: HomeLayout, world: WorldState, fixture: str) -> bool:
    """Whether ``fixture`` takes one more object without stacking it on another."""
    return bool(free_slots(layout, world, fixture) or _gaps(layout, world, fixture))


def _gaps(
    layout: HomeLayout, world: WorldState, fixture: str, exclude: str | None = None
) -> list[tuple[float, float]]:
    """The widest gaps halfway between neighbouring slots (none narrower than MIN_GAP)."""
    slots = layout.slots[fixture]
    taken = [
        (o.x, o.y)
        for n, o in world.objects.items()
        if n != exclude and o.place == fixture and o.relation in ("on", "in")
    ]
    between: list[tuple[float, float]] = []
    for (ax, ay), (bx, by) in _neighbours(slots):
        between.append((round((ax + bx) / 2, 4), round((ay + by) / 2, 4)))
    if not between:
        return []
    if not taken:
        return between

    def room(p: tuple[float, float]) -> float:
        return min(math.hypot(p[0] - x, p[1] - y) for x, y in taken)

    best = max(room(p) for p in between)
    if best < MIN_GAP:
        return []
    return [p for p in between if room(p) >= best - 1e-9]


def _neighbours(
    slots: list[tuple[float, float]],
) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """Pairs of slots next to each other along the fixture's row."""
    out = []
    for i, a in enumerate(slots):
        near = [b for b in slots[i + 1 :] if 0 < math.dist(a, b) <= 1.5 * SLOT_SPACING]
        out += [(a, b) for b in near]
    return out


def put_in_fixture(
    layout: HomeLayout,
    world: WorldState,
    name: str,
    fixture: str,
    near: tuple[float, float] | None = None,
) -> str:
    """Rest object ``name`` on/in ``fixture`` at the free slot nearest ``near``.

    A full fixture takes it in the widest gap between its slots (see
    :func:`landing_spots`), or stacked on its nearest slot when there is no gap left; a
    container holds anything, and a rare full surface is better than a lost object.

    Returns:
        The relation used, ``"in"`` for containers and ``"on"`` for surfaces.
    """
    spec = layout.fixtures[fixture]
    slots = landing_spots(layout, world, fixture, exclude=name)
    if near is not None:
        slot = min(slots, key=lambda s: math.hypot(s[0] - near[0], s[1] - near[1]))
    else:
        slot = slots[0]
    obj = world.objects[name]
    below = [
        o.stack
        for n, o in world.objects.items()
        if n != name and o.place == fixture and (o.x, o.y) == slot
    ]
    # A thing put on a pile goes underneath (pushed into a full drum or onto the bottom of
    # a heap): the one on top stays on top, and something taken out by mistake and put
    # back is not the next one grasped again.
    obj.stack = min(below) - 1 if below else 0
    obj.relation = "in" if spec.container else "on"
    obj.place = fixture
    obj.x, obj.y = slot
    return obj.relation
