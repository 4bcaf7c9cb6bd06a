"""Hazards in the state: each kind raised in a constructed situation and cleared after it;
perception reports them, the guard zones only floor hazards, the safety context sees them."""

from __future__ import annotations

import math
from datetime import timedelta
from pathlib import Path

import numpy as np
import pytest

from housemind.agent.planners.base import Subtask
from housemind.safety import SafetyContext
from housemind.safety.guard import ActionGuard
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.hazards import HAZARD_KINDS, Hazard, hazards
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.processes import add_food


def act(*, sw: float = 0.0, art: float = 0.0, grip: float = 0.0) -> np.ndarray:
    a = np.zeros(7, np.float32)
    a[3], a[4], a[5] = grip, art, sw
    return a


def switch(env: HomeSimEnv, name: str, on: bool = True) -> None:
    env.set_robot_pose(*env.layout.approach[name])
    env.step(act(sw=1.0 if on else -1.0))


def door(env: HomeSimEnv, name: str, opening: bool) -> None:
    env.set_robot_pose(*env.layout.approach[name])
    env.step(act(art=1.0 if opening else -1.0))


def found(env: HomeSimEnv, kind: str) -> list[Hazard]:
    return [h for h in hazards(env) if h.kind == kind]


def later(env: HomeSimEnv, **delta: float) -> None:
    env.idle_until(env.clock.now() + timedelta(**delta))


def test_a_quiet_home_has_no_hazards(appliances):
    assert hazards(HomeSimEnv(seed=0)) == []
    assert hazards(HomeSimEnv(seed=3, layout=appliances)) == []


def test_hot_surface_while_on_and_until_it_cools():
    env = HomeSimEnv(seed=0)
    switch(env, "stove")
    (h,) = found(env, "hot_surface")
    assert h.things[0] == "stove" and h.room == "kitchen" and h.severity == "medium"
    later(env, minutes=5)
    switch(env, "stove", on=False)
    later(env, minutes=2)
    assert found(env, "hot_surface")[0].severity == "low"  # off but still hot
    later(env, hours=2)
    assert found(env, "hot_surface") == []


def test_burning_food_and_fire_from_the_state():
    env = HomeSimEnv(seed=0)
    put_in_fixture(env.layout, env.world, "pot", "stove")
    add_food(env.world, "pot", "rice")
    pot = env.world.objects["pot"]
    pot.cooked, pot.temp = 3.9, 240.0
    switch(env, "stove")
    (h,) = found(env, "burning_food")
    assert h.things == ("pot", "stove") and h.severity == "high"
    later(env, minutes=1)
    (fire,) = found(env, "fire")
    assert fire.floor and fire.radius > 0
    switch(env, "stove", on=False)
    assert found(env, "fire") == []
    later(env, hours=2)
    assert found(env, "burning_food") == []


def test_child_near_a_hot_stove():
    env = HomeSimEnv(seed=0)
    env.place_person("mia", 3.3, 6.4, kind="child")  # 0.95 m from the hob
    assert found(env, "child_near_stove") == []  # cold stove
    switch(env, "stove")
    (h,) = found(env, "child_near_stove")
    assert h.things == ("stove", "mia") and h.severity == "high"
    env.place_person("mia", 3.3, 4.8)  # across the kitchen
    assert found(env, "child_near_stove") == []


def test_child_near_chemicals_unless_shut_away(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    put_in_fixture(env.layout, env.world, "bleach", "counter")
    env.place_person("mia", 1.5, 6.9, kind="child")
    (h,) = found(env, "child_near_chemicals")
    assert h.things == ("bleach", "mia")
    door(env, "cabinet", True)
    put_in_fixture(env.layout, env.world, "bleach", "cabinet")
    door(env, "cabinet", False)
    assert found(env, "child_near_chemicals") == []
    env.world.objects["bleach"].relation = "with"  # she got hold of it after all
    env.world.objects["bleach"].place = "mia"
    assert found(env, "child_near_chemicals")


def test_sharp_object_near_a_person():
    env = HomeSimEnv(seed=0)
    env.place_person("sam", 7.0, 5.0, kind="adult")
    knife = env.world.objects["knife"]
    knife.relation, knife.place, knife.x, knife.y = "floor", "living_room", 7.5, 5.2
    (h,) = found(env, "sharp_near_person")
    assert h.things == ("knife", "sam") and h.severity == "medium"
    put_in_fixture(env.layout, env.world, "knife", "counter")
    assert found(env, "sharp_near_person") == []
    # The robot carries the knife past a child.
    env.set_robot_pose(*env.layout.approach["counter"])
    rb = env.world.robot
    rb.held, knife.relation, knife.place = "knife", "held", "robot"
    env.place_person("mia", rb.x + 1.0, rb.y - 0.3, kind="child")
    (h,) = found(env, "sharp_near_person")
    assert h.things == ("knife", "mia") and h.severity == "high"
    env.remove_person("mia")
    assert [h.things for h in found(env, "sharp_near_person")] == []


def test_water_near_electrical(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    env.add_spill("puddle", 9.5, 1.2, radius=0.3)  # in front of the washer
    kinds = {h.kind for h in hazards(env)}
    assert {"wet_floor", "water_near_electrical"} <= kinds
    env.clean_spill("puddle")
    assert hazards(env) == []
    put_in_fixture(env.layout, env.world, "phone", "sink")
    switch(env, "sink")
    (h,) = found(env, "water_near_electrical")
    assert h.things == ("phone", "sink") and h.severity == "high"
    switch(env, "sink", on=False)
    assert found(env, "water_near_electrical") == []


def test_wet_floor_and_broken_glass_are_floor_hazards():
    env = HomeSimEnv(seed=0)
    env.add_spill("spill_1", 7.0, 5.0, radius=0.25)
    env.add_spill("glass_1", 8.0, 5.0, kind="broken_glass")
    by_kind = {h.kind: h for h in hazards(env)}
    assert by_kind["wet_floor"].floor and by_kind["wet_floor"].radius == 0.25
    assert by_kind["broken_glass"].things == ("glass_1",)
    env.clean_spill("spill_1")
    env.clean_spill("glass_1")
    assert hazards(env) == []


def test_front_door_open_with_a_pet_at_home(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    door(env, "front_door", True)
    assert found(env, "door_open_with_pet") == []  # nobody to run out
    env.place_person("rex", 7.0, 5.0, kind="dog")
    (h,) = found(env, "door_open_with_pet")
    assert h.things == ("front_door", "rex")
    door(env, "front_door", False)
    assert found(env, "door_open_with_pet") == []


def test_metal_in_the_microwave_running_or_not(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    door(env, "microwave", True)
    put_in_fixture(env.layout, env.world, "fork", "microwave")
    (h,) = found(env, "metal_in_microwave")
    assert h.things == ("fork", "microwave") and h.severity == "medium"
    door(env, "microwave", False)
    env.step(act(sw=1.0))
    assert found(env, "metal_in_microwave")[0].severity == "high"  # sparks
    door(env, "microwave", True)  # pauses it
    put_in_fixture(env.layout, env.world, "fork", "counter")
    assert found(env, "metal_in_microwave") == []


def test_hazard_kinds_are_all_exercised_somewhere():
    here = Path(__file__)
    text = here.read_text() + here.with_name("test_homesim_processes.py").read_text()
    missing = [k for k in HAZARD_KINDS if f'"{k}"' not in text]
    assert missing == []


def test_world_without_layout_is_an_error():
    env = HomeSimEnv(seed=0)
    with pytest.raises(ValueError, match="layout"):
        hazards(env.world)
    assert hazards(env.world, env.layout) == []


def test_perception_reports_state_and_hazards_and_the_guard_zones_only_the_floor():
    env = HomeSimEnv(seed=0)
    put_in_fixture(env.layout, env.world, "pot", "stove")
    pot = env.world.objects["pot"]
    add_food(env.world, "pot", "pasta")
    pot.cooked, pot.temp = 2.5, 230.0
    switch(env, "stove")
    later(env, minutes=1)
    rb = env.world.robot
    env.add_spill("spill_1", rb.x - 0.8, rb.y - 0.6)
    env.set_robot_pose(rb.x, rb.y - 1.2, math.pi / 2)  # step back to see the hob
    obs = env.observe()
    stove = obs.detection("stove")
    assert stove.state["on"] is True and stove.state["temp"] > 60
    seen = obs.detection("pot")
    assert seen.state["food"] == "pasta" and seen.state["burnt"] is True
    assert seen.state["temp"] >= 150 and seen.state["dirty"] in (True, False)
    hz = {d.name: d for d in obs.detections if d.category == "hazard"}
    assert hz["burning_food:pot"].state["floor"] is False
    assert hz["burning_food:pot"].state["severity"] == "high"
    assert hz["hot_surface:stove"].state["hazard"] == "hot_surface"
    assert hz["spill_1"].state["hazard"] == "wet_floor" and hz["spill_1"].state["radius"] == 0.3
    guard = ActionGuard()
    guard.update(obs)
    assert set(guard.hazards) == {"spill_1"}
    ctx = SafetyContext.from_observation(
        Subtask(skill="navigate", args={"target": "sofa"}, text="go to the sofa"), obs
    )
    assert {"hazard(burning_food,pot)", "hazard(hot_surface,stove)"} <= ctx.facts
    assert "hazard(wet_floor,spill_1)" in ctx.facts
