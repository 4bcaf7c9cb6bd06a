"""The navigate expert waits for people in its way instead of failing at once.

The family flat ``two_bedroom`` on a Monday at 10:30: the adult is at work, the child at
school and the dog naps in the living room, so the bedroom, the hallway and the kitchen
are empty. The bedroom's only door opens on the hallway, and the hallway's only way on
is the kitchen door, so a visitor in the hallway or a doorway blocks every way from the
bedroom to the fridge.
"""

from __future__ import annotations

import math

import pytest

from housemind.sim.home import HomeSimEnv
from housemind.sim.home.experts import WAIT_FOR_PEOPLE_S
from housemind.skills import REGISTRY, Executor
from housemind.skills.policies.base import PolicyError

BEDROOM = (3.0, 2.8, 0.0)  # the robot, facing the bedroom door
#: Walking south down the hallway from the kitchen doorway, past the bedroom door, to the
#: cleaning cupboard: at a child's 0.8 m/s it blocks the way for a few seconds.
DOWN_THE_HALLWAY = [4.75, 4.4, 4.75, 2.0, 4.95, 1.2]


def _family_flat() -> HomeSimEnv:
    env = HomeSimEnv(home="two_bedroom", seed=0)
    env.reset(seed=0, options={"time": env.clock.start.replace(hour=10, minute=30)})
    assert not any(
        p.home and p.room in ("bedroom", "hallway", "kitchen") for p in env.world.residents.values()
    )
    return env


def _walking(env: HomeSimEnv, name: str, path: list[float], kind: str = "child") -> None:
    """A visitor who sets off along ``path`` now (walking state lives in the checkpoint)."""
    env.place_person(name, path[0], path[1], kind=kind)
    state = env.get_state()
    person = state["world"]["residents"][name]
    person["path"], person["depart_s"] = list(path), env.clock.elapsed
    env.set_state(state)


def _drive(env: HomeSimEnv, pol, max_ticks: int = 6000) -> int:
    """Step the expert until it is done (holding still alone is not done); return ticks."""
    ticks = 0
    while ticks < max_ticks:
        chunk = pol.predict_chunk(env.observe(), "")
        if not chunk.any() and pol.done:
            return ticks
        for a in chunk:
            env.step(a)
            ticks += 1
    raise AssertionError(f"the expert did not finish in {max_ticks} ticks")


def test_waits_for_a_person_walking_through_the_only_way_then_arrives():
    env = _family_flat()
    env.set_robot_pose(*BEDROOM)
    _walking(env, "jo", DOWN_THE_HALLWAY)
    # Right now jo blocks the kitchen doorway: no path (the old expert gave up here).
    pol = env.expert("navigate", {"target": "fridge"})
    held_still = []
    ticks = 0
    while ticks < 6000:
        chunk = pol.predict_chunk(env.observe(), "")
        if not chunk.any():
            if pol.done:
                break
            held_still.append(pol.waiting)
        for a in chunk:
            env.step(a)
            ticks += 1
    assert pol.done
    assert "near(fridge)" in env.observe().facts()
    assert held_still and all(held_still)  # every zero chunk before arriving was a wait
    assert 1.0 <= pol.waited_s < 10.0  # a few seconds, not the whole bound
    jo = env.world.residents["jo"]
    assert not jo.path and math.hypot(jo.x - 4.95, jo.y - 1.2) < 1e-6  # jo walked on


def test_a_person_crossing_the_path_mid_route_makes_the_robot_pause_not_fail():
    env = _family_flat()
    env.set_robot_pose(*BEDROOM)
    pol = env.expert("navigate", {"target": "fridge"})
    # Plan and set off with nobody about, then jo walks across the bedroom doorway.
    for _ in range(5):
        for a in pol.predict_chunk(env.observe(), ""):
            env.step(a)
    _walking(env, "jo", [4.95, 1.4, 4.75, 3.0, 4.75, 4.6, 4.0, 6.0], kind="adult")
    _drive(env, pol)
    assert "near(fridge)" in env.observe().facts()
    assert pol.waited_s > 0


def test_a_person_standing_in_the_only_doorway_makes_it_give_up_after_the_wait():
    env = _family_flat()
    env.set_robot_pose(*BEDROOM)
    env.place_person("jo", 4.0, 2.8, kind="adult")  # standing in the bedroom doorway
    pol = env.expert("navigate", {"target": "fridge"})
    x0, y0 = env.world.robot.x, env.world.robot.y
    with pytest.raises(PolicyError) as err:
        _drive(env, pol)
    msg = str(err.value)
    assert "jo" in msg and "doorway between the bedroom and the hallway" in msg
    assert "(4.00, 2.80)" in msg and "fridge" in msg and "make way" in msg
    assert pol.waited_s == pytest.approx(WAIT_FOR_PEOPLE_S)
    # It held still all along (a polite robot does not edge up to people).
    assert math.hypot(env.world.robot.x - x0, env.world.robot.y - y0) < 0.7


def test_the_executor_does_not_declare_success_while_the_robot_waits():
    env = _family_flat()
    # In the hallway, within reach of the recycling bin through the kitchen doorway, in
    # which jo stands: near(recycling_bin) holds, but the robot is not at the bin.
    env.set_robot_pose(4.6, 3.55, math.atan2(0.75, -0.55))
    env.place_person("jo", 4.75, 4.25, kind="adult")
    assert "near(recycling_bin)" in env.observe().facts()
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "recycling_bin"}), timeout=120)
    assert out.status == "failure", out
    assert out.seconds >= WAIT_FOR_PEOPLE_S
    assert "jo" in out.reason and "doorway between the hallway and the kitchen" in out.reason
    assert "near(recycling_bin)" in out.facts  # the facts held all along


def test_the_executor_succeeds_once_a_walking_person_has_gone_by():
    env = _family_flat()
    env.set_robot_pose(*BEDROOM)
    _walking(env, "jo", DOWN_THE_HALLWAY)
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "fridge"}), timeout=120)
    assert out.ok, out.reason
    assert "near(fridge)" in out.facts


def test_the_navigate_timeout_leaves_room_for_the_wait():
    # The wait, the longest drive the expert sweep measures (~25 s) and a room's scan.
    assert REGISTRY.get("navigate").timeout_s >= WAIT_FOR_PEOPLE_S + 25 + 6
