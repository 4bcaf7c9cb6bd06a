"""Objects put on a full surface stay pickable: half-slots first, a pile only at the end."""

from __future__ import annotations

import math

from housemind.sim.home import HomeSimEnv
from housemind.sim.home.placement import free_slots, has_room, put_in_fixture


def _on(env: HomeSimEnv, fixture: str) -> list[str]:
    return [n for n, o in env.world.objects.items() if o.place == fixture]


def test_a_full_table_takes_more_between_its_slots_and_each_thing_stays_graspable():
    env = HomeSimEnv(seed=0, home="house")
    lay, world = env.layout, env.world
    slots = lay.slots["table"]
    movable = [n for n, o in world.objects.items() if o.place not in ("table",)]
    for name in _on(env, "table"):  # start from an empty table
        put_in_fixture(lay, world, name, "counter")
    placed = []
    for name in movable[: 2 * len(slots) - 1]:
        assert has_room(lay, world, "table")
        put_in_fixture(lay, world, name, "table")
        placed.append(name)
    assert not free_slots(lay, world, "table") and not has_room(lay, world, "table")
    spots = [(world.objects[n].x, world.objects[n].y) for n in placed]
    # no two things share a spot, so lining the gripper up on one grasps that one
    gaps = [math.dist(a, b) for i, a in enumerate(spots) for b in spots[i + 1 :]]
    assert min(gaps) >= 0.12
    # and once even the half-slots are taken, the next one is piled on a slot
    extra = movable[2 * len(slots) - 1]
    put_in_fixture(lay, world, extra, "table")
    assert (world.objects[extra].x, world.objects[extra].y) in slots


def test_a_pile_comes_up_one_thing_at_a_time():
    env = HomeSimEnv(seed=0, home="house")
    lay, world = env.layout, env.world
    world.fixtures["dishwasher"].open = True
    things = [n for n, o in world.objects.items() if o.kind in ("plate", "mug", "bowl", "fork")]
    for name in things:  # more than the dishwasher has spots for: the last ones pile up
        put_in_fixture(lay, world, name, "dishwasher")
    piled = next(n for n in things if len(env.pile(n)) > 1)
    pile = env.pile(piled)
    o = world.objects[piled]
    # a gripper lined up on the pile grasps its top (the one put there first), with a
    # margin over the rest
    best = None
    for dx in (-0.5, -0.4, 0.4, 0.5):
        for dy in (-0.5, -0.4, 0.4, 0.5):
            pose = (o.x + dx, o.y + dy, math.atan2(-dy, -dx))
            got, margin = env.graspable(pose)
            if got in pile and margin > 0:
                best = got
    assert best == max(pile, key=lambda n: world.objects[n].stack)
