"""Putting objects on and in fixtures: slot bookkeeping shared by the env and residents."""

from __future__ import annotations

import math

from housemind.sim.home.layout import SLOT_SPACING, HomeLayout
from housemind.sim.home.world import WorldState

__all__ = ["free_slots", "has_room", "put_in_fixture"]


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


def _between_slots(
    layout: HomeLayout, world: WorldState, fixture: str, exclude: str | None = None
) -> list[tuple[float, float]]:
    """Free spots halfway between two neighbouring slots of a full ``fixture``.

    Each is half a slot from its neighbours, so the object there is still the one nearest
    a gripper lined up on it (and so are they): a full table takes more, and nothing is
    stacked where it could never be picked.
    """
    slots = layout.slots[fixture]
    taken = [
        (o.x, o.y)
        for n, o in world.objects.items()
        if n != exclude and o.place == fixture and o.relation in ("on", "in")
    ]
    lim = (SLOT_SPACING * 0.4) ** 2
    out = []
    for i, a in enumerate(slots):
        for b in slots[i + 1 :]:
            if abs(math.hypot(a[0] - b[0], a[1] - b[1]) - SLOT_SPACING) > 1e-3:
                continue  # not neighbours
            m = (round((a[0] + b[0]) / 2, 4), round((a[1] + b[1]) / 2, 4))
            if all((m[0] - x) ** 2 + (m[1] - y) ** 2 >= lim for x, y in taken):
                out.append(m)
    return out


def has_room(layout: HomeLayout, world: WorldState, fixture: str) -> bool:
    """Whether ``fixture`` takes one more object without stacking it on another."""
    return bool(free_slots(layout, world, fixture) or _between_slots(layout, world, fixture))


def put_in_fixture(
    layout: HomeLayout,
    world: WorldState,
    name: str,
    fixture: str,
    near: tuple[float, float] | None = None,
) -> str:
    """Rest object ``name`` on/in ``fixture`` at the free slot nearest ``near``.

    A full fixture takes it halfway between two slots, and when those are full too, at
    its nearest slot (stacked); a container holds anything, and a rare full surface is
    better than a lost object.

    Returns:
        The relation used, ``"in"`` for containers and ``"on"`` for surfaces.
    """
    spec = layout.fixtures[fixture]
    slots = (
        free_slots(layout, world, fixture, exclude=name)
        or _between_slots(layout, world, fixture, exclude=name)
        or layout.slots[fixture]
    )
    if near is not None:
        slot = min(slots, key=lambda s: math.hypot(s[0] - near[0], s[1] - near[1]))
    else:
        slot = slots[0]
    obj = world.objects[name]
    obj.relation = "in" if spec.container else "on"
    obj.place = fixture
    obj.x, obj.y = slot
    return obj.relation
