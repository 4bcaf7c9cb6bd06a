"""Processes with state: heat, boiling, cooking and burning, programmes, plants, fast-forward."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest

from housemind.sim.home import HomeSimEnv
from housemind.sim.home.hazards import hazards
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.plans import plan_names
from housemind.sim.home.processes import (
    FIRE_AT,
    FLOOD_AFTER_S,
    FRIDGE_C,
    IGNITE_C,
    OVERCOOK_WET,
    SPOIL_AFTER_S,
    add_food,
    burning,
    is_burnt,
    plant_dry_rate,
    water_plant,
)
from housemind.sim.home.world import BURNT_AT, DRY_BELOW, ROOM_TEMP_C


def act(*, sw: float = 0.0, art: float = 0.0) -> np.ndarray:
    a = np.zeros(7, np.float32)
    a[4], a[5] = art, sw
    return a


def switch(env: HomeSimEnv, name: str, on: bool = True) -> None:
    """The robot goes to ``name`` and flips its switch (through ``step``)."""
    env.set_robot_pose(*env.layout.approach[name])
    env.step(act(sw=1.0 if on else -1.0))


def door(env: HomeSimEnv, name: str, opening: bool) -> None:
    env.set_robot_pose(*env.layout.approach[name])
    env.step(act(art=1.0 if opening else -1.0))


def later(env: HomeSimEnv, **delta: float) -> None:
    env.idle_until(env.clock.now() + timedelta(**delta))


def pot_of(env: HomeSimEnv, liquid: str, fill: float, food: str):
    put_in_fixture(env.layout, env.world, "pot", "stove")
    pot = env.world.objects["pot"]
    pot.liquid, pot.fill = liquid, fill
    add_food(env.world, "pot", food)
    return pot


def kinds(env: HomeSimEnv) -> set[str]:
    return {h.kind for h in hazards(env)}


def close_to(a, b, tol: float = 1e-6, path: str = "") -> None:
    """Recursive equality with a float tolerance (relative and absolute)."""
    if isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=tol, abs_tol=tol), (path, a, b)
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), (path, set(a) ^ set(b))
        for k in a:
            close_to(a[k], b[k], tol, f"{path}.{k}")
    elif isinstance(a, list | tuple):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            close_to(x, y, tol, f"{path}[{i}]")
    else:
        assert a == b, (path, a, b)


def test_pot_of_pasta_left_on_the_stove_boils_dry_burns_and_catches_fire():
    env = HomeSimEnv(seed=0)
    pot = pot_of(env, "water", 0.5, "pasta")  # 1.5 L of water in a 3 L pot
    switch(env, "stove")
    assert env.fixture_state("stove")["on"]
    t0 = env.clock.now()
    timeline: dict[str, float] = {}
    for minute in range(1, 121):
        env.idle_until(t0 + timedelta(minutes=minute))
        if "boil" not in timeline and pot.temp >= 100.0:
            timeline["boil"] = minute
        if "cooked" not in timeline and pot.cooked >= 1.0:
            timeline["cooked"] = minute
            assert pot.liquid == "water" and pot.temp == 100.0
        if "dry" not in timeline and pot.fill == 0.0:
            timeline["dry"] = minute
            assert pot.liquid == "" and not is_burnt(pot)
            assert OVERCOOK_WET <= pot.cooked < BURNT_AT  # soft in water, burning only now
        if "burnt" not in timeline and is_burnt(pot):
            timeline["burnt"] = minute
            assert burning(pot) and "burning_food" in kinds(env)
        if "fire" not in timeline and "fire_stove" in env.world.spills:
            timeline["fire"] = minute
            assert pot.cooked >= FIRE_AT
            break
    # Plausible kitchen minutes: boils in 5-10, pasta done 8-12 later, boils dry after
    # half an hour or more, burns within minutes, and then catches fire.
    assert 5 <= timeline["boil"] <= 10, timeline
    assert 8 <= timeline["cooked"] - timeline["boil"] <= 12, timeline
    assert 30 <= timeline["dry"] <= 50, timeline
    assert 1 <= timeline["burnt"] - timeline["dry"] <= 5, timeline
    assert 1 <= timeline["fire"] - timeline["burnt"] <= 10, timeline
    assert {"fire", "burning_food", "hot_surface"} <= kinds(env)
    switch(env, "stove", on=False)  # cutting the heat puts the fire out
    assert "fire_stove" not in env.world.spills
    later(env, hours=3)
    assert pot.temp < 25.0 and not burning(pot) and is_burnt(pot)
    assert kinds(env) == set()


def test_soup_reduces_and_burns_sooner_than_pasta_in_more_water():
    env = HomeSimEnv(seed=0)
    pot = pot_of(env, "soup", 0.3, "soup")  # 0.9 L of soup
    switch(env, "stove")
    later(env, minutes=20)
    assert pot.liquid == "soup" and 0.0 < pot.fill < 0.3 and pot.temp == 100.0
    later(env, minutes=25)
    assert pot.fill == 0.0 and is_burnt(pot)


def test_eggs_left_in_a_hot_pan_after_the_hob_is_off_overcook_but_do_not_burn():
    """Residual warmth keeps cooking (a pan cools for about half an hour); burning needs heat."""
    env = HomeSimEnv(seed=0)
    pot = pot_of(env, "", 0.0, "eggs")  # dry: eggs fried in the pot
    switch(env, "stove")
    while pot.cooked < 1.0:
        later(env, seconds=10)
    switch(env, "stove", on=False)
    assert pot.temp > 150.0  # just done: the pan is still very hot
    later(env, minutes=40)
    assert 1.0 < pot.cooked <= OVERCOOK_WET and not is_burnt(pot)
    # left on the lit hob instead, the same eggs burn
    env = HomeSimEnv(seed=0)
    pot = pot_of(env, "", 0.0, "eggs")
    switch(env, "stove")
    later(env, minutes=40)
    assert is_burnt(pot)


def test_empty_pot_on_a_lit_burner_keeps_heating():
    env = HomeSimEnv(seed=0)
    put_in_fixture(env.layout, env.world, "pot", "stove")
    switch(env, "stove")
    later(env, minutes=1)
    assert "empty_pot_on_burner" in kinds(env)
    later(env, minutes=10)
    pot = env.world.objects["pot"]
    assert pot.temp > 200.0
    (h,) = [h for h in hazards(env) if h.kind == "empty_pot_on_burner"]
    assert h.severity == "high" and h.things == ("pot", "stove")
    switch(env, "stove", on=False)
    assert "empty_pot_on_burner" not in kinds(env)
    assert "hot_surface" in kinds(env)  # the hob and the pot are still hot
    later(env, hours=4)
    assert kinds(env) == set()


def test_kettle_boils_and_switches_itself_off(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    k = env.world.fixtures["kettle"]
    k.liquid, k.fill = "water", 1.0 / 1.7  # one litre
    switch(env, "kettle")
    assert k.on
    later(env, minutes=1)
    assert k.on and 40.0 < k.temp < 100.0
    later(env, minutes=2)  # 1 L from 20 °C takes under three minutes at 2 kW
    assert not k.on and 95.0 < k.temp <= 100.0
    assert env.observe() is not None
    later(env, hours=3)
    assert k.temp < 30.0 and k.fill > 0.5


def test_a_kettle_switched_on_empty_cuts_out_and_is_a_hazard_until_it_cools(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    k = env.world.fixtures["kettle"]
    switch(env, "kettle")
    assert "dry_kettle" in kinds(env)
    later(env, minutes=1)
    assert not k.on and k.temp > 100.0  # the dry-boil cut-out tripped; still very hot
    assert "dry_kettle" in kinds(env)
    later(env, minutes=15)
    assert "dry_kettle" not in kinds(env)


def test_washer_cycle_takes_its_time_and_leaves_laundry_wet():
    env = HomeSimEnv(seed=0)
    put_in_fixture(env.layout, env.world, "shirt", "washer")
    shirt = env.world.objects["shirt"]
    shirt.dirty = True
    switch(env, "washer")
    t0 = env.clock.now()
    assert env.world.fixtures["washer"].cycle == "running"
    env.idle_until(t0 + timedelta(minutes=44))
    assert shirt.dirty and env.fixture_state("washer")["on"]
    env.idle_until(t0 + timedelta(minutes=45))
    assert not shirt.dirty and shirt.wet
    assert not env.fixture_state("washer")["on"] and env.world.fixtures["washer"].cycle == "done"


def test_dryer_runs_only_closed_pauses_when_opened_and_dries(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    dryer = env.world.fixtures["dryer"]
    door(env, "dryer", True)
    put_in_fixture(env.layout, env.world, "towel", "dryer")
    towel = env.world.objects["towel"]
    towel.wet = True
    env.step(act(sw=1.0))
    assert not dryer.on and dryer.cycle == ""  # the door interlock
    door(env, "dryer", False)
    env.step(act(sw=1.0))
    assert dryer.on and dryer.cycle == "running"
    later(env, minutes=20)
    door(env, "dryer", True)  # opened after 20 of its 60 minutes
    assert not dryer.on and dryer.cycle == "paused"
    assert dryer.remaining_s == pytest.approx(40 * 60, abs=1.0)
    later(env, hours=2)
    assert towel.wet  # nothing happens while paused
    door(env, "dryer", False)
    env.step(act(sw=1.0))  # resumes with 40 minutes left
    later(env, minutes=39)
    assert towel.wet and dryer.on
    later(env, minutes=2)
    assert not towel.wet and not dryer.on and dryer.cycle == "done"


def test_dishwasher_cleans_what_is_in_it(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    door(env, "dishwasher", True)
    for dish in ("plate", "mug", "fork"):
        put_in_fixture(env.layout, env.world, dish, "dishwasher")
        env.world.objects[dish].dirty = True
    door(env, "dishwasher", False)
    env.step(act(sw=1.0))
    later(env, minutes=80)
    assert env.world.objects["plate"].dirty
    later(env, minutes=11)
    assert not any(env.world.objects[d].dirty for d in ("plate", "mug", "fork"))
    assert env.world.fixtures["dishwasher"].cycle == "done"


def test_the_dishwasher_washes_out_what_was_left_in_a_cup(appliances):
    """A mug put in with coffee in it comes out empty, not a cup of yesterday's coffee."""
    env = HomeSimEnv(seed=0, layout=appliances)
    door(env, "dishwasher", True)
    put_in_fixture(env.layout, env.world, "mug", "dishwasher")
    mug = env.world.objects["mug"]
    mug.liquid, mug.fill, mug.dirty = "coffee", 0.8, True
    door(env, "dishwasher", False)
    env.step(act(sw=1.0))
    later(env, minutes=95)
    assert not mug.dirty and mug.fill == 0.0 and mug.liquid == ""


def test_microwave_heats_food_and_bursts_eggs(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    door(env, "microwave", True)
    put_in_fixture(env.layout, env.world, "eggs", "microwave")
    put_in_fixture(env.layout, env.world, "mug", "microwave")
    mug = env.world.objects["mug"]
    mug.liquid, mug.fill = "milk", 0.8
    eggs = env.world.objects["eggs"]
    assert "eggs_in_microwave" in kinds(env)
    door(env, "microwave", False)
    env.step(act(sw=1.0))
    assert env.world.fixtures["microwave"].on
    (h,) = [h for h in hazards(env) if h.kind == "eggs_in_microwave"]
    assert h.severity == "high"
    later(env, minutes=3)  # the two-minute programme has ended
    assert not env.world.fixtures["microwave"].on
    assert env.world.fixtures["microwave"].cycle == "done"
    assert eggs.broken and mug.temp > 60.0


def test_plants_dry_out_over_days_and_watering_fixes_them(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    plant = env.world.objects["plant"]
    plant.moisture = 1.0
    env._proc.replan(env.world)  # privileged set-up changed the world directly
    later(env, days=3)
    assert plant.moisture > DRY_BELOW
    later(env, days=4)
    assert plant.moisture < DRY_BELOW
    assert env.observe() is not None
    water_plant(env.world, "plant", 0.5)
    assert plant.moisture >= 0.5 - 1e-9
    later(env, days=1)
    assert plant.moisture > DRY_BELOW
    rates = {plant_dry_rate(seed, "plant") * 86400 for seed in range(5)}
    assert len(rates) == 5 and all(0.11 < r < 0.19 for r in rates)


def test_fridge_keeps_food_cold_and_it_warms_outside():
    env = HomeSimEnv(seed=0)
    milk = env.world.objects["milk"]
    put_in_fixture(env.layout, env.world, "milk", "fridge")
    later(env, hours=4)
    assert milk.temp == pytest.approx(FRIDGE_C, abs=0.1)
    put_in_fixture(env.layout, env.world, "milk", "counter")
    later(env, hours=8)
    assert milk.temp == pytest.approx(ROOM_TEMP_C, abs=0.1)


def test_a_faucet_left_running_floods_the_floor():
    env = HomeSimEnv(seed=0)
    switch(env, "sink")
    later(env, seconds=FLOOD_AFTER_S - 60)
    assert "flood_sink" not in env.world.spills
    later(env, minutes=2)
    assert env.world.spills["flood_sink"].kind == "water"
    assert {"flooding"} <= kinds(env)
    switch(env, "sink", on=False)
    env.clean_spill("flood_sink")
    assert "flooding" not in kinds(env)


def _busy_home(env: HomeSimEnv) -> None:
    """Stove on under a pot of pasta, the kettle on, a plant, the dishwasher running."""
    pot_of(env, "water", 0.5, "pasta")
    k = env.world.fixtures["kettle"]
    k.liquid, k.fill = "water", 0.5
    env.world.objects["plant"].moisture = 0.9
    put_in_fixture(env.layout, env.world, "plate", "dishwasher")
    env.world.objects["plate"].dirty = True
    switch(env, "stove")
    switch(env, "kettle")
    switch(env, "dishwasher")


def test_fast_forward_a_week_equals_hopping_through_it(appliances):
    envs = [HomeSimEnv(seed=4, layout=appliances) for _ in range(3)]
    for env in envs:
        _busy_home(env)
    start = envs[0].clock.now()
    week = start + timedelta(days=7)
    envs[0].idle_until(week)
    for env, hop in ((envs[1], timedelta(hours=1)), (envs[2], timedelta(minutes=7))):
        t = start
        while t < week:
            t = min(t + hop, week)
            env.idle_until(t)
    ref = envs[0].get_state()["world"]
    assert ref["objects"]["pot"]["cooked"] > FIRE_AT  # a week on a lit hob
    assert ref["objects"]["plant"]["moisture"] < DRY_BELOW
    for env in envs[1:]:
        close_to(ref, env.get_state()["world"])


def test_stepping_equals_idling_while_things_heat():
    a, b = HomeSimEnv(seed=1), HomeSimEnv(seed=1)
    for env in (a, b):
        pot_of(env, "water", 0.2, "rice")
        switch(env, "stove")
    for _ in range(int(300 * a.control_hz)):  # five minutes of control ticks
        a.step(act())
    b.idle_until(a.clock.now())
    sa, sb = a.get_state(), b.get_state()
    assert sa["world"]["objects"]["pot"]["temp"] > 60.0
    close_to(sa["world"], sb["world"])


def test_determinism_per_seed(appliances):
    def run() -> dict:
        env = HomeSimEnv(seed=11, layout=appliances)
        _busy_home(env)
        later(env, hours=5)
        return env.get_state()

    assert run() == run()


def test_checkpoint_mid_boil_resumes_identically():
    env = HomeSimEnv(seed=0)
    pot_of(env, "water", 0.5, "pasta")
    switch(env, "stove")
    later(env, minutes=12)
    state = env.get_state()
    assert state["world"]["objects"]["pot"]["temp"] == 100.0  # boiling
    restored = HomeSimEnv(seed=5)
    restored.set_state(state)
    for e in (env, restored):
        later(e, minutes=50)
    assert env.get_state() == restored.get_state()
    assert is_burnt(restored.world.objects["pot"])


def test_set_fixture_goes_through_the_processes(appliances):
    env = HomeSimEnv(seed=0, layout=appliances)
    env.set_fixture("dishwasher", open=True, on=True)
    assert not env.world.fixtures["dishwasher"].on  # the interlock holds for set-up too
    env.set_fixture("dishwasher", open=False, on=True)
    assert env.world.fixtures["dishwasher"].cycle == "running"
    assert "dishwasher_done" in env.world.timers
    with pytest.raises(ValueError, match="has no switch"):
        env.set_fixture("table", on=True)
    with pytest.raises(ValueError, match="cannot be opened"):
        env.set_fixture("stove", open=True)
    with pytest.raises(KeyError, match="no fixture 'hob'"):
        env.set_fixture("hob", on=True)


def _of_kind(env: HomeSimEnv, kind: str) -> str | None:
    return next((n for n, f in env.layout.fixtures.items() if f.kind == kind), None)


@pytest.mark.parametrize("home", plan_names())
def test_processes_run_in_every_floor_plan(home):
    env = HomeSimEnv(home=home, seed=2)
    # Mid-morning on a weekday: whoever lives here is out and leaves things be.
    env.reset(seed=2, options={"time": datetime(2026, 11, 23, 9, 30)})
    stove, kettle = _of_kind(env, "stove"), _of_kind(env, "kettle")
    vessel = next((n for n, o in env.world.objects.items() if o.kind in ("pot", "pan")), None)
    assert stove is not None
    if vessel is not None:
        put_in_fixture(env.layout, env.world, vessel, stove)
        o = env.world.objects[vessel]
        o.liquid, o.fill = "water", 0.3
        add_food(env.world, vessel, "pasta")
        env.set_fixture(stove, on=True)
        later(env, minutes=90)
        assert is_burnt(o) and o.fill == 0.0, (home, vessel, o)
        env.set_fixture(stove, on=False)
    if kettle is not None:
        k = env.world.fixtures[kettle]
        k.liquid, k.fill = "water", 0.5
        env.set_fixture(kettle, on=True)
        later(env, minutes=3)  # 0.85 L boils in under two and a half minutes
        assert not k.on and k.temp > 95.0
    for kind in ("dishwasher", "washer", "dryer"):
        name = _of_kind(env, kind)
        if name is None:
            continue
        env.set_fixture(name, open=False, on=True)
        later(env, minutes=95)
        assert env.world.fixtures[name].cycle == "done", (home, name)
    plants = [o for o in env.world.objects.values() if o.kind == "plant"]
    later(env, days=7)
    assert all(p.moisture < DRY_BELOW for p in plants)


def test_milk_left_out_spoils_but_not_in_the_fridge():
    env = HomeSimEnv(seed=0)
    milk = env.world.objects["milk"]
    put_in_fixture(env.layout, env.world, "milk", "fridge")
    milk.temp, milk.warm_s = FRIDGE_C, 0.0
    env._proc.replan(env.world)
    later(env, days=3)
    assert not milk.spoiled and milk.warm_s == 0.0
    put_in_fixture(env.layout, env.world, "milk", "counter")  # breakfast, then forgotten
    later(env, minutes=90)
    assert not milk.spoiled and 60 * 60 < milk.warm_s < 90 * 60  # it first warms past 8 °C
    later(env, minutes=45)
    assert milk.spoiled
    assert env.observe() is not None
    put_in_fixture(env.layout, env.world, "milk", "fridge")
    later(env, hours=5)
    assert milk.spoiled  # cold again, still spoiled
    assert SPOIL_AFTER_S == 2 * 3600.0


def test_a_towel_left_on_a_lit_hob_catches_fire():
    env = HomeSimEnv(seed=0)
    put_in_fixture(env.layout, env.world, "towel", "stove")
    switch(env, "stove")
    later(env, minutes=1)
    assert "fire_stove" not in env.world.spills
    later(env, minutes=3)
    assert env.world.spills["fire_stove"].kind == "fire"
    assert env.world.objects["towel"].temp >= IGNITE_C
