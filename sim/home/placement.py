"""Putting objects on and in fixtures: slot bookkeeping shared by the env and residents."""

from __future__ import annotations

import math

from housemind.sim.home.layout import SLOT_SPACING, HomeLayout
from housemind.sim.home.world import WorldState

__all__ = ["free_slots", "put_in_fixture"]


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


def put_in_fixture(
    layout: HomeLayout,
    world: WorldState,
    name: str,
    fixture: str,
    near: tuple[float, float] | None = None,
) -> str:
    """Rest object ``name`` on/in ``fixture`` at the free slot nearest ``near``.

    A full fixture still takes the object at its nearest slot (stacked); a container
    holds anything, and a rare full surface is better than a lost object.

    Returns:
        The relation used, ``"in"`` for containers and ``"on"`` for surfaces.
    """
    spec = layout.fixtures[fixture]
    slots = free_slots(layout, world, fixture, exclude=name) or layout.slots[fixture]
    if near is not None:
        slot = min(slots, key=lambda s: math.hypot(s[0] - near[0], s[1] - near[1]))
    else:
        slot = slots[0]
    obj = world.objects[name]
    obj.relation = "in" if spec.container else "on"
    obj.place = fixture
    obj.x, obj.y = slot
    return obj.relation
