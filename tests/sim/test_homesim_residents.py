"""Alex's daily routine, presence and fast-forwarding time."""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np
import pytest

from scheduler.clock import SimClock
from sim.home import HomeSimEnv

MONDAY = datetime(2026, 11, 23)


def _at(h: int, m: int = 0, day: int = 0) -> datetime:
    return MONDAY.replace(day=23 + day, hour=h, minute=m)


def test_default_clock_starts_monday_6am_with_alex_asleep():
    env = HomeSimEnv(seed=0)
    assert env.clock.now().isoformat() == "2026-11-23T06:00:00+00:00"
    assert env.presence() == ["alex"]
    alex = env.world.residents["alex"]
    assert (alex.room, alex.activity) == ("bedroom", "asleep")


@pytest.mark.parametrize("seed", range(6))
def test_breakfast_in_kitchen_then_away_and_dirty_dishes_left(seed):
    env = HomeSimEnv(seed=seed)
    env.idle_until(_at(7, 10))
    alex = env.world.residents["alex"]
    assert (alex.room, alex.activity) == ("kitchen", "breakfast")
    assert env.object_location("mug") == ("with", "alex")
    env.idle_until(_at(10))
    assert env.presence() == []
    assert env.world.residents["alex"].activity == "away"
    for dish in ("mug", "plate"):
        rel, place = env.object_location(dish)
        assert rel == "on" and place in ("table", "counter")
        assert env.objects[dish]["dirty"] is True
    env.idle_until(_at(18, 20))
    assert env.world.residents["alex"].room == "kitchen"
    env.idle_until(_at(20))
    assert env.world.residents["alex"].room == "living_room"
    env.idle_until(_at(23))
    assert env.world.residents["alex"].activity == "asleep"


def test_where_breakfast_leaves_the_dishes_is_seeded():
    places = set()
    for seed in range(12):
        env = HomeSimEnv(seed=seed)
        env.idle_until(_at(9))
        places.add(env.object_location("mug")[1])
        again = HomeSimEnv(seed=seed)
        again.idle_until(_at(9))
        assert again.object_location("mug") == env.object_location("mug")
    assert places == {"table", "counter"}


def test_robot_holding_the_mug_keeps_it_from_breakfast():
    env = HomeSimEnv(seed=0)
    env.world.objects["mug"].relation = "held"
    env.world.objects["mug"].place = "robot"
    env.world.robot.held = "mug"
    env.idle_until(_at(7, 5))
    assert env.object_location("mug") == ("held", "robot")
    assert env.object_location("plate") == ("with", "alex")


def test_stepping_through_a_boundary_applies_the_routine():
    clock = SimClock(datetime(2026, 11, 23, 6, 59, 58), "UTC")
    env = HomeSimEnv(clock, seed=0)
    assert env.world.residents["alex"].activity == "asleep"
    zero = np.zeros(6, np.float32)
    for _ in range(150):  # 3 s
        env.step(zero)
    assert env.world.residents["alex"].activity == "breakfast"


def test_idle_until_a_week_is_fast_and_equals_stepwise_events():
    env = HomeSimEnv(seed=4)
    t0 = time.perf_counter()
    env.idle_until(_at(6, day=7))
    assert time.perf_counter() - t0 < 1.0
    assert env.clock.now().isoformat() == "2026-11-30T06:00:00+00:00"
    assert env.world.residents["alex"].activity == "asleep"
    # Jumping in one go or in hops ends in the same world.
    hops = HomeSimEnv(seed=4)
    for day in range(1, 8):
        for h in (7, 12, 19):
            hops.idle_until(_at(h, day=day - 1))
    hops.idle_until(_at(6, day=7))
    assert hops.get_state()["world"] == env.get_state()["world"]


def test_an_external_clock_jump_is_caught_up_on_observe():
    env = HomeSimEnv(seed=0)
    env.clock.advance_to(_at(12).replace(tzinfo=env.clock.tz))
    assert env.presence() == []
    assert env.observe().time.hour == 12


def test_washer_cycle_cleans_clothes_and_switches_off():
    env = HomeSimEnv(seed=0)
    from sim.home.placement import put_in_fixture

    put_in_fixture(env.layout, env.world, "shirt", "washer")
    env.world.objects["shirt"].dirty = True
    env.set_robot_pose(*env.layout.approach["washer"])
    act = np.zeros(6, np.float32)
    act[5] = 1.0
    env.step(act)
    assert env.fixture_state("washer")["on"] is True
    env.idle_until(_at(6, 30))
    assert env.fixture_state("washer")["on"] is True
    env.idle_until(_at(6, 50))
    assert env.fixture_state("washer")["on"] is False
    assert env.objects["shirt"]["dirty"] is False
