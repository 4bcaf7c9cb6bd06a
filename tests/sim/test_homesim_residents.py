"""Alex's daily routine, presence and fast-forwarding time."""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta

import numpy as np
import pytest

from housemind.scheduler.clock import SimClock
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.plans import plan_names

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
    from housemind.sim.home.placement import put_in_fixture

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


# -- households on any plan: routines, walking, the work they make -------------------------

FAMILY = ("adult", "child", "dog")
SATURDAY = MONDAY.replace(day=28)


def _family(seed: int = 0, **kw) -> HomeSimEnv:
    return HomeSimEnv(household=FAMILY, seed=seed, **kw)


def _when(env: HomeSimEnv, base: datetime, h: int, m: int = 0) -> datetime:
    return base.replace(hour=h, minute=m, tzinfo=env.clock.tz)


def test_household_members_and_v1_default():
    env = _family()
    kinds = {n: p.kind for n, p in env.world.residents.items()}
    assert kinds == {"alex": "adult", "sam": "child", "rex": "dog"}
    assert list(HomeSimEnv(seed=0).world.residents) == ["alex"]
    with pytest.raises(ValueError, match="no adult"):
        HomeSimEnv(household=("child", "cat"))
    with pytest.raises(ValueError, match="unknown household member"):
        HomeSimEnv(household=("adult", "parrot"))


@pytest.mark.parametrize("seed", range(4))
def test_a_childs_weekday_routine_brings_them_to_the_kitchen_for_a_snack(seed):
    env = _family(seed)
    env.idle_until(_when(env, MONDAY, 12))
    sam = env.world.residents["sam"]
    assert (sam.home, sam.activity) == (False, "school")
    env.idle_until(_when(env, MONDAY, 15, 40))
    sam = env.world.residents["sam"]
    assert (sam.home, sam.room, sam.activity) == (True, "kitchen", "snack")
    assert "sam" in env.presence()


def test_weekend_differs_from_weekday():
    def at(base: datetime, h: int, m: int = 0) -> dict[str, tuple]:
        env = _family(1)
        env.idle_until(_when(env, base, h, m))
        return {n: (p.home, p.activity) for n, p in env.world.residents.items()}

    # Weekday: up early, out to work and school; weekend: sleeping late, home all morning.
    assert at(MONDAY, 7, 35)["alex"][1] == "breakfast"
    assert at(SATURDAY, 7, 35)["alex"] == (True, "asleep")
    monday_10, saturday_10 = at(MONDAY, 10, 30), at(SATURDAY, 10, 30)
    assert monday_10["alex"] == (False, "away") and monday_10["sam"] == (False, "school")
    assert saturday_10["alex"] == (True, "brunch") and saturday_10["sam"] == (True, "brunch")
    # Saturday afternoon is an outing; Sunday afternoon they stay in.
    assert at(SATURDAY, 15)["alex"] == (False, "outing")
    sunday = at(SATURDAY.replace(day=29), 15)
    assert sunday["alex"][0] is True and sunday["sam"] == (True, "playing")


def _walk_of(env: HomeSimEnv, name: str, limit_s: float = 3600.0):
    """Step until ``name`` sets off, then record their positions until they arrive."""
    zero = np.zeros(7, np.float32)
    for _ in range(int(limit_s * env.control_hz)):
        env.step(zero)
        if env.world.residents[name].path:
            break
    st = env.world.residents[name]
    path = list(st.path)
    track = [(st.x, st.y)]
    while env.world.residents[name].path:
        env.step(zero)
        track.append((env.world.residents[name].x, env.world.residents[name].y))
    return path, track


def test_people_walk_between_spots_over_free_floor():
    from housemind.sim.home.walking import PERSON_CLEARANCE, SPOT_CLEARANCE, path_length

    env = _family(2)
    env.idle_until(_when(env, MONDAY, 6, 35))  # alex in bed, about to get ready
    start = (env.world.residents["alex"].x, env.world.residents["alex"].y)
    path, track = _walk_of(env, "alex")
    end = (path[-2], path[-1])
    assert path[:2] == list(start) and math.dist(start, end) > 2.0
    # About 1 m/s: the walk takes its length in seconds, one tick's step at a time.
    length = path_length(path)
    assert abs(len(track) / env.control_hz - length) < 0.2
    steps = [math.dist(a, b) for a, b in zip(track, track[1:], strict=False)]
    assert max(steps) <= 1.0 / env.control_hz + 1e-9
    mid = track[len(track) // 2]
    assert math.dist(mid, start) > 0.5 and math.dist(mid, end) > 0.5
    assert all(env.occupancy.clearance(x, y) >= PERSON_CLEARANCE - 0.02 for x, y in track)
    assert env.occupancy.clearance(*end) >= SPOT_CLEARANCE
    assert env.world.residents["alex"].room == env.layout.room_at(*end)


def test_walking_people_block_the_robot_where_they_are_now():
    env = _family(2)
    env.idle_until(_when(env, MONDAY, 6, 35))
    zero = np.zeros(7, np.float32)
    while not env.world.residents["alex"].path:
        env.step(zero)
    for _ in range(100):
        env.step(zero)
    alex = env.world.residents["alex"]
    assert (alex.x, alex.y) in env._blockers
    assert not env.is_free(alex.x + 0.3, alex.y, 0.0)


def _state_of_week(seed: int, hop: timedelta | None = None, look: bool = False) -> dict:
    env = _family(seed)
    start = env.clock.now()
    end = start + timedelta(days=7)
    if hop is not None:
        t = start
        while t < end:
            t = min(t + hop, end)
            env.idle_until(t)
            if look:
                env.observe()
                env.presence()
    env.idle_until(end)
    return env.get_state()["world"]


def test_a_week_of_idle_fast_forward_makes_a_believable_backlog():
    env = _family(4)
    before = {n: (o.dirty, o.relation, o.place, o.quantity) for n, o in env.world.objects.items()}
    t0 = time.perf_counter()
    env.idle_until(env.clock.now() + timedelta(days=7))
    wall = time.perf_counter() - t0
    assert wall < 10.0
    w = env.world
    kinds = {n: o.kind for n, o in w.objects.items()}
    dishes = [
        n
        for n, o in w.objects.items()
        if o.dirty
        and not before[n][0]
        and o.kind in ("mug", "plate", "bowl", "glass", "fork", "spoon", "knife", "pot", "pan")
    ]
    assert len(dishes) >= 3, dishes
    # Worn clothes went to the basket, and Saturday's wash took the basket to the washer.
    basket = [
        n
        for n, o in w.objects.items()
        if o.relation == "in"
        and (o.place == "laundry_basket" and o.dirty or o.place == "washer" and o.wet)
        and before[n][2] != "laundry_basket"
    ]
    toys = [
        n
        for n, o in w.objects.items()
        if kinds[n] == "toy" and o.relation == "floor" and before[n][1] != "floor"
    ]
    used_up = [n for n, o in w.objects.items() if o.quantity == 0.0 and before[n][3] > 0.0]
    assert basket and toys and used_up, (basket, toys, used_up)
    for name in used_up:  # the empty package is left on the kitchen counter
        assert env.object_location(name) == ("on", "counter")
    # A few items of work a day, not a flood: spills are occasional.
    assert len(w.spills) <= 10


def test_residents_are_deterministic_per_seed_whoever_looks():
    once = _state_of_week(7)
    assert _state_of_week(7) == once
    assert _state_of_week(7, hop=timedelta(minutes=37, seconds=11), look=True) == once
    assert _state_of_week(8) != once


def test_checkpoint_round_trip_mid_walk():
    import json

    env = _family(3)
    env.idle_until(_when(env, MONDAY, 6, 35))
    zero = np.zeros(7, np.float32)
    while not env.world.residents["alex"].path:
        env.step(zero)
    for _ in range(60):
        env.step(zero)
    state = json.loads(json.dumps(env.get_state()))
    assert state["world"]["residents"]["alex"]["path"]
    other = _family(11)
    other.set_state(state)
    assert other.get_state() == env.get_state()
    for _ in range(500):
        env.step(zero)
        other.step(zero)
    assert other.get_state() == env.get_state()
    assert not env.world.residents["alex"].path  # arrived in both


def test_a_pet_is_perceived_as_a_pet():
    env = _family(0)
    env.idle_until(_when(env, MONDAY, 10))  # people out, the dog at home
    rex = env.world.residents["rex"]
    assert rex.home and not rex.path
    for k in range(16):
        a = k * math.pi / 8
        x, y = rex.x + 1.2 * math.cos(a), rex.y + 1.2 * math.sin(a)
        if env.is_free(x, y) and env._los(x, y, rex.x, rex.y):
            env.set_robot_pose(x, y, math.atan2(rex.y - y, rex.x - x))
            break
    dets = {d.name: d for d in env.observe().detections}
    assert dets["rex"].category == "pet" and dets["rex"].kind == "dog"
    assert all(d.category != "person" for d in dets.values())


@pytest.mark.parametrize("home", plan_names())
def test_every_place_of_every_routine_is_a_standable_spot(home):
    from housemind.sim.home.walking import SPOT_CLEARANCE

    env = HomeSimEnv(home=home, household=("adult", "child", "cat"), seed=0)
    sim = env._residents
    for name, places in sim._places.items():
        for place, spots in places.items():
            assert spots, (name, place)
            for x, y in spots:
                assert env.occupancy.clearance(x, y) >= SPOT_CLEARANCE - 1e-6, (name, place)
                assert env.layout.room_at(x, y) in env.layout.rooms


def test_presence_counts_people_not_pets():
    env = _family(0)
    env.idle_until(_when(env, MONDAY, 10))
    assert env.world.residents["rex"].home
    assert env.presence() == []
    env.idle_until(_when(env, MONDAY, 16))
    assert env.presence() == ["alex", "sam"]


def test_the_front_door_is_left_open_now_and_then_and_closed_on_coming_home():
    opened = closed = 0
    for seed in range(10):
        env = HomeSimEnv(home="studio", household=FAMILY, seed=seed)
        start, was = env.clock.now(), False
        for h in range(1, 7 * 24, 2):
            env.idle_until(start + timedelta(hours=h))
            now_open = env.world.fixtures["front_door"].open
            opened += now_open and not was
            closed += was and not now_open
            if now_open:  # whoever left it open is out
                assert not all(env.world.residents[n].home for n in ("alex", "sam"))
            was = now_open
    assert 1 <= opened <= 10 * 7  # now and then, not every time anyone goes out
    assert closed >= opened - 10


@pytest.mark.parametrize("home", ["two_bedroom", "house"])
def test_a_child_sleeps_and_plays_in_their_own_room(home):
    env = HomeSimEnv(home=home, seed=0)
    child = next(n for n, p in env.world.residents.items() if p.kind == "child")
    adult = next(n for n, p in env.world.residents.items() if p.kind == "adult")
    assert env.world.residents[child].room == "kids_room"  # 06:00: asleep
    assert env.world.residents[adult].room == "bedroom"
    env.idle_until(_when(env, MONDAY, 16, 20))
    assert (env.world.residents[child].activity, env.world.residents[child].room) == (
        "playing",
        "kids_room",
    )


@pytest.mark.parametrize("home", ["two_bedroom", "house"])
def test_a_week_in_a_family_home_leaves_work_for_the_robot(home):
    from housemind.sim.home.catalogue import OBJECT_KINDS

    env = HomeSimEnv(home=home, seed=1)
    assert sorted(p.kind for p in env.world.residents.values()) == sorted(env.layout.household)
    w = env.world

    def category(name: str) -> str:
        return OBJECT_KINDS[w.objects[name].kind].category

    laundry = {n for n, f in env.layout.fixtures.items() if f.kind in ("laundry_basket", "washer")}
    before = {n: (o.dirty, o.relation, o.place, o.quantity) for n, o in w.objects.items()}
    wearable = [
        n
        for n, o in w.objects.items()
        if category(n) == "clothes" and not o.dirty and o.place not in laundry
    ]
    t0 = time.perf_counter()
    start = env.clock.now()
    spilt: set[str] = set()
    most = 0
    for hour in range(1, 7 * 24 + 1):  # hour by hour, to see spills come and go
        env.idle_until(start + timedelta(hours=hour))
        spilt |= set(w.spills)
        most = max(most, len(w.spills))
    assert time.perf_counter() - t0 < 10.0
    dishes = [
        n
        for n, o in w.objects.items()
        if category(n) in ("dish", "cutlery", "cookware") and o.dirty and not before[n][0]
    ]
    toys = [n for n, o in w.objects.items() if category(n) == "toy" and o.relation == "floor"]
    used_up = [n for n, o in w.objects.items() if o.quantity == 0.0 and before[n][3] > 0.0]
    assert len(dishes) >= 5 and toys and len(used_up) >= 2, (dishes, toys, used_up)
    # Clean clothes got worn: dirty now, or through Saturday's wash (clean in the machines).
    machines = {n for n, f in env.layout.fixtures.items() if f.kind in ("washer", "dryer")}
    assert all(w.objects[n].dirty or w.objects[n].place in machines for n in wearable)
    # Spills happen, and the adults wipe them up: they never pile up.
    assert spilt and most <= 4, (spilt, most)
    assert spilt - set(w.spills), "nobody wiped up a spill all week"


def test_a_meal_eats_the_dinner_the_robot_cooked():
    """A cooked pot is eaten at the next meal, so yesterday's dinner never counts as today's."""
    import random

    from housemind.sim.home.mess import MessMaker
    from housemind.sim.home.walking import floor_planner

    env = HomeSimEnv(home="house", seed=0)
    lay, w = env.layout, env.world
    pot = next(n for n, o in w.objects.items() if o.kind == "pot")
    stove = next(f for f in lay.fixtures if lay.fixtures[f].kind == "stove")
    from housemind.sim.home.placement import put_in_fixture

    put_in_fixture(lay, w, pot, stove)
    p = w.objects[pot]
    p.food, p.cooked, p.liquid, p.fill, p.dirty = "pasta", 1.2, "water", 0.6, False
    adult, st = next((n, r) for n, r in w.residents.items() if r.kind == "adult")
    st.home = True
    mess = MessMaker(lay, floor_planner(lay))
    mess.begin("breakfast", w, adult, st, random.Random(0))
    assert p.food == "" and p.cooked == 0.0 and p.dirty and p.place == stove
    p.food, p.cooked = "pasta", 2.5  # burnt: nobody eats that
    mess.begin("breakfast", w, adult, st, random.Random(1))
    assert p.food == "pasta"


def test_a_resident_starting_to_cook_never_takes_a_pot_off_a_lit_hob():
    """The robot's dinner simmering on the stove stays there when someone starts cooking."""
    import random

    from housemind.sim.home.mess import MessMaker
    from housemind.sim.home.placement import put_in_fixture
    from housemind.sim.home.walking import floor_planner

    env = HomeSimEnv(home="house", seed=0)
    lay, w = env.layout, env.world
    stove = next(f for f in lay.fixtures if lay.fixtures[f].kind == "stove")
    adult, st = next((n, r) for n, r in w.residents.items() if r.kind == "adult")
    st.home = True
    mess = MessMaker(lay, floor_planner(lay))
    for name, o in w.objects.items():
        if o.kind in ("pot", "pan"):
            put_in_fixture(lay, w, name, stove)
            o.food, o.cooked, o.liquid, o.fill, o.dirty = "pasta", 0.4, "water", 0.6, False
    w.fixtures[stove].on = True
    mess.begin("cook", w, adult, st, random.Random(0))
    on_stove = [n for n, o in w.objects.items() if o.kind in ("pot", "pan")]
    assert all(w.objects[n].relation == "on" and w.objects[n].place == stove for n in on_stove)
    # With the hob off, the same pot is free to take (the fix is what leaves it there).
    w.fixtures[stove].on = False
    mess.begin("cook", w, adult, st, random.Random(0))
    assert any(w.objects[n].relation == "with" for n in on_stove)
