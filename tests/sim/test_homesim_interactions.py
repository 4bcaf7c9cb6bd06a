"""The ``use`` action and what a held object does: fill, pour, wash, wipe, fold."""

from __future__ import annotations

import copy
import math

import numpy as np
import pytest

from housemind.sim.home import HomeSimEnv
from housemind.sim.home.interactions import (
    FILL_RATE_LPS,
    FOLD_S,
    POUR_RATE_LPS,
    SCRUB_S,
    WIPE_M_PER_DIRT,
)
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.world import DRY_BELOW as WORLD_DRY_BELOW
from housemind.skills.types import DRY_BELOW, FILLED_AT, Detection, Observation, Proprio

HZ = 50


def act(*, grip=0.0, wz=0.0, use=0.0) -> np.ndarray:
    return np.array([0, 0, wz, grip, 0, 0, use], dtype=np.float32)


def steps(env: HomeSimEnv, seconds: float, a: np.ndarray) -> None:
    for _ in range(round(seconds * HZ)):
        env.step(a)


def hold(env: HomeSimEnv, name: str) -> None:
    o = env.world.objects[name]
    o.relation, o.place = "held", "robot"
    env.world.robot.held, env.world.robot.gripper = name, 1.0


def at(env: HomeSimEnv, fixture: str) -> None:
    """Stand at the fixture's approach pose: the gripper point is over it."""
    env.set_robot_pose(*env.layout.approach[fixture])


def facts(env: HomeSimEnv) -> set[str]:
    return env.observe().facts()


@pytest.fixture
def env() -> HomeSimEnv:
    return HomeSimEnv(seed=0)


def test_action_has_seven_entries_and_the_v1_six_still_work(env):
    assert env.action_dim == 7 and env.action_space.shape == (7,)
    env.step(np.zeros(6, np.float32))  # v1 actions: use = 0
    env.step(np.zeros(7, np.float32))
    with pytest.raises(ValueError, match="7 entries"):
        env.step(np.zeros(5, np.float32))


def test_use_with_nothing_held_does_nothing(env):
    at(env, "sink")
    env.world.fixtures["sink"].on = True
    before = copy.deepcopy(env.world.to_dict())
    steps(env, 2.0, act(use=1.0))
    after = env.world.to_dict()
    assert after["objects"] == before["objects"]
    assert after["fixtures"]["sink"] == before["fixtures"]["sink"]
    assert after["spills"] == before["spills"] == {}
    assert env.world.robot.held is None


def test_a_container_fills_under_the_running_faucet_without_use(env):
    at(env, "sink")
    hold(env, "pot")
    env.world.fixtures["sink"].on = True
    steps(env, 4.0, act())
    pot = env.world.objects["pot"]
    assert pot.liquid == "water"
    assert pot.fill == pytest.approx(4.0 * FILL_RATE_LPS / 3.0, abs=0.01)
    steps(env, 12.0, act())
    assert pot.fill == 1.0  # full; the rest runs into the basin
    assert "filled(pot)" in facts(env)  # the robot sees what it holds


def test_fill_under_a_faucet_that_is_off_does_nothing(env):
    at(env, "sink")
    hold(env, "pot")
    assert not env.world.fixtures["sink"].on
    steps(env, 3.0, act())
    steps(env, 1.0, act(use=1.0))
    assert env.world.objects["pot"].fill == 0.0
    assert "empty(pot)" in facts(env)


def test_a_container_held_elsewhere_does_not_fill(env):
    at(env, "stove")  # next to the sink, not over it
    hold(env, "pot")
    env.world.fixtures["sink"].on = True
    steps(env, 2.0, act())
    assert env.world.objects["pot"].fill == 0.0


def test_scrubbing_under_the_running_faucet_cleans_a_dish(env):
    at(env, "sink")
    hold(env, "plate")
    plate = env.world.objects["plate"]
    plate.dirty = True
    env.world.fixtures["sink"].on = True
    steps(env, 2.0, act())  # held under the water without scrubbing: still dirty
    assert plate.dirty
    steps(env, SCRUB_S - 0.2, act(use=1.0))
    assert plate.dirty and "dirty(plate)" in facts(env)
    steps(env, 0.2, act(use=1.0))
    assert not plate.dirty and "clean(plate)" in facts(env)


def test_scrubbing_with_the_faucet_off_does_not_clean(env):
    at(env, "sink")
    hold(env, "plate")
    env.world.objects["plate"].dirty = True
    steps(env, SCRUB_S + 1.0, act(use=1.0))
    assert env.world.objects["plate"].dirty


def test_scrub_progress_survives_a_checkpoint(env):
    at(env, "sink")
    hold(env, "mug")
    env.world.objects["mug"].dirty = True
    env.world.fixtures["sink"].on = True
    steps(env, SCRUB_S / 2, act(use=1.0))
    state = env.get_state()
    other = HomeSimEnv(seed=5)
    other.set_state(state)
    steps(other, SCRUB_S / 2, act(use=1.0))
    assert not other.world.objects["mug"].dirty


def test_releasing_a_dish_into_the_running_sink_still_washes_it(env):
    at(env, "sink")
    hold(env, "bowl")
    env.world.objects["bowl"].dirty = True
    env.world.fixtures["sink"].on = True
    env.step(act(grip=-1.0))
    assert env.object_location("bowl") == ("in", "sink")
    steps(env, 6.0, act())
    assert not env.world.objects["bowl"].dirty


def test_pouring_into_the_sink_empties_without_a_spill(env):
    at(env, "sink")
    hold(env, "mug")
    mug = env.world.objects["mug"]
    mug.fill, mug.liquid = 1.0, "water"
    steps(env, 0.3 / POUR_RATE_LPS + 0.1, act(use=1.0))
    assert mug.fill == 0.0 and mug.liquid == ""
    assert env.world.spills == {}
    assert "empty(mug)" in facts(env)


def test_pouring_into_a_container_transfers_and_overflow_spills(env):
    put_in_fixture(env.layout, env.world, "bowl", "table")
    bowl = env.world.objects["bowl"]
    at(env, "table")
    ax, ay, _ = env.layout.approach["table"]
    env.set_robot_pose(ax, ay, math.atan2(bowl.y - ay, bowl.x - ax))
    hold(env, "pot")
    pot = env.world.objects["pot"]
    pot.fill, pot.liquid = 0.3, "water"  # 0.9 L into a 0.6 L bowl
    steps(env, 2.0, act(use=1.0))
    assert pot.fill == 0.0
    assert bowl.fill == 1.0 and bowl.liquid == "water"
    (spill,) = env.world.spills.values()
    assert spill.kind == "water"
    assert any(d.category == "hazard" for d in env.observe().detections)


def test_pouring_over_the_floor_makes_a_water_spill(env):
    env.set_robot_pose(8.0, 4.5, 0.0)  # living room, nothing under the gripper
    hold(env, "mug")
    mug = env.world.objects["mug"]
    mug.fill, mug.liquid = 1.0, "water"
    steps(env, 1.0, act(use=1.0))
    (name,) = env.world.spills
    sp = env.world.spills[name]
    gx, gy = env._gripper_point()
    assert sp.kind == "water" and math.hypot(sp.x - gx, sp.y - gy) < 1e-6
    assert mug.fill == 0.0


def test_pouring_waters_a_plant_and_fills_the_kettle():
    env = HomeSimEnv(seed=0, home="studio")
    plant = next(n for n, o in env.world.objects.items() if o.kind == "plant")
    p = env.world.objects[plant]
    p.moisture = 0.1
    ax, ay, _ = env.layout.approach[p.place]
    env.set_robot_pose(ax, ay, math.atan2(p.y - ay, p.x - ax))
    cup = next(n for n, o in env.world.objects.items() if o.kind in ("mug", "glass"))
    hold(env, cup)
    c = env.world.objects[cup]
    c.fill, c.liquid = 1.0, "water"
    assert "dry(" + plant + ")" in facts(env)
    steps(env, 1.0, act(use=1.0))
    assert c.fill == 0.0 and p.moisture > DRY_BELOW and env.world.spills == {}
    assert f"watered({plant})" in facts(env)

    at(env, "kettle")
    c.fill, c.liquid = 1.0, "water"
    steps(env, 1.0, act(use=1.0))
    kettle = env.world.fixtures["kettle"]
    assert kettle.liquid == "water" and kettle.fill > 0.1 and c.fill == 0.0


def test_wiping_needs_strokes_not_just_use(env):
    at(env, "table")
    hold(env, "sponge")
    table = env.world.fixtures["table"]
    table.dirt = 0.8
    assert "dirty(table)" in facts(env)
    steps(env, 2.0, act(use=1.0))  # held still: nothing
    assert table.dirt == 0.8
    steps(env, 0.2, act(wz=0.5))  # turning without use: nothing
    assert table.dirt == 0.8
    steps(env, 0.2, act(wz=-0.5, use=1.0))  # 0.2 rad of arc at 0.45 m
    assert table.dirt == pytest.approx(0.8 - 0.2 * 0.45 / WIPE_M_PER_DIRT, abs=0.01)
    for _ in range(10):
        steps(env, 0.3, act(wz=0.5, use=1.0))
        steps(env, 0.3, act(wz=-0.5, use=1.0))
    assert table.dirt == 0.0 and "wiped(table)" in facts(env)


def test_wiping_with_something_that_is_not_a_wiping_tool_does_nothing(env):
    at(env, "table")
    hold(env, "book")
    env.world.fixtures["table"].dirt = 0.8
    for _ in range(4):
        steps(env, 0.3, act(wz=0.5, use=1.0))
        steps(env, 0.3, act(wz=-0.5, use=1.0))
    assert env.world.fixtures["table"].dirt == 0.8


def test_folding_on_a_surface_folds_and_leaves_it_there(env):
    at(env, "bed")
    hold(env, "towel")
    towel = env.world.objects["towel"]
    steps(env, FOLD_S - 0.2, act(use=1.0))
    assert not towel.folded and env.world.robot.held == "towel"
    steps(env, 0.4, act(use=1.0))
    assert towel.folded and env.world.robot.held is None
    assert env.object_location("towel") == ("on", "bed")
    assert {"folded(towel)", "on(towel,bed)", "hand_empty"} <= facts(env)


def test_folding_needs_a_surface_under_the_gripper(env):
    env.set_robot_pose(8.0, 4.5, 0.0)
    hold(env, "shirt")
    steps(env, FOLD_S + 1.0, act(use=1.0))
    assert not env.world.objects["shirt"].folded and env.world.robot.held == "shirt"


def test_state_facts_come_from_detections_and_the_held_state():
    p = Proprio(x=0, y=0, theta=0, held="pot", held_state={"fill": 0.9, "dirty": False})
    dets = [
        Detection("mug", "mug", "object", (1, 0), 1.0, "k", state={"fill": 0.0, "dirty": True}),
        Detection("plant", "plant", "object", (1, 0), 1.0, "k", state={"moisture": 0.1}),
        Detection("towel", "towel", "object", (1, 0), 1.0, "k", state={"folded": True}),
        Detection("table", "table", "fixture", (1, 0), 1.0, "k", state={"dirt": 0.05}),
        Detection("desk", "desk", "fixture", (1, 0), 1.0, "k", state={"dirt": 0.5}),
    ]
    obs = Observation(time=None, image=np.zeros((1, 1, 3), np.uint8), proprio=p, detections=dets)
    f = obs.facts()
    assert {"filled(pot)", "clean(pot)", "empty(mug)", "dirty(mug)", "dry(plant)"} <= f
    assert {"folded(towel)", "wiped(table)", "dirty(desk)"} <= f
    assert FILLED_AT > 0.5 and DRY_BELOW == WORLD_DRY_BELOW
