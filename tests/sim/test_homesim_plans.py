"""Floor plans: loading, validity, furniture randomisation, and every plan in the env."""

from __future__ import annotations

import math

import pytest

from sim.home import HomeSimEnv, default_layout
from sim.home.geometry import Rect
from sim.home.layout import FixtureSpec, HomeLayout, ObjectSpec, RoomSpec
from sim.home.plans import PlanError, load_plan, plan_names, read_plan, validate_layout

NEW_PLANS = [n for n in plan_names() if n != "apartment"]
FURNITURE_SEEDS = range(50)


# -- the v1 apartment, frozen as it was written in Python -----------------------------


def _fx(
    name: str, room: str, rect: tuple[float, float, float, float], approach: str, **flags: bool
) -> FixtureSpec:
    return FixtureSpec(
        name=name, kind=name, room=room, rect=Rect(*rect), approach=approach, **flags
    )


def _obj(
    name: str,
    places: dict[str, float],
    home: tuple[str, str],
    *,
    kind: str = "",
    dirty: bool = False,
    misplaceable: bool = False,
) -> ObjectSpec:
    return ObjectSpec(
        name=name,
        kind=kind or name,
        places=tuple(places.items()),
        home=home,
        can_be_dirty=dirty,
        misplaceable=misplaceable,
    )


def _v1_apartment() -> HomeLayout:
    """The v1 apartment exactly as ``default_layout()`` built it in Python before plans."""
    rooms = {
        "kitchen": RoomSpec("kitchen", Rect(0.0, 4.5, 4.0, 8.0), (236, 222, 190)),
        "bedroom": RoomSpec("bedroom", Rect(0.0, 0.0, 4.0, 4.5), (200, 214, 236)),
        "hallway": RoomSpec("hallway", Rect(4.0, 0.0, 5.5, 8.0), (214, 214, 206)),
        "living_room": RoomSpec("living_room", Rect(5.5, 3.0, 11.0, 8.0), (206, 232, 200)),
        "bathroom": RoomSpec("bathroom", Rect(5.5, 0.0, 11.0, 3.0), (196, 232, 236)),
    }
    fixtures = [
        _fx("fridge", "kitchen", (0.1, 7.2, 0.9, 7.95), "s", openable=True, container=True),
        _fx("counter", "kitchen", (1.0, 7.35, 2.0, 7.95), "s", surface=True),
        _fx("sink", "kitchen", (2.05, 7.35, 2.85, 7.95), "s", switchable=True, container=True),
        _fx("stove", "kitchen", (2.9, 7.35, 3.7, 7.95), "s", switchable=True, surface=True),
        _fx("cabinet", "kitchen", (0.05, 4.8, 0.65, 6.0), "e", openable=True, container=True),
        _fx("table", "kitchen", (1.8, 5.2, 3.0, 6.0), "n", surface=True),
        _fx("trash_bin", "kitchen", (3.3, 4.6, 3.75, 5.0), "n", container=True),
        _fx("bed", "bedroom", (0.05, 2.6, 2.05, 4.45), "e", surface=True),
        _fx("nightstand", "bedroom", (2.15, 4.0, 2.6, 4.45), "s", surface=True),
        _fx("sofa", "living_room", (7.0, 7.1, 9.2, 7.95), "s", surface=True),
        _fx("coffee_table", "living_room", (7.5, 5.6, 8.7, 6.2), "s", surface=True),
        _fx("shelf", "living_room", (10.5, 4.0, 10.95, 5.6), "w", surface=True),
        _fx("toy_box", "living_room", (6.0, 3.05, 6.6, 3.55), "n", container=True),
        _fx("laundry_basket", "bathroom", (8.0, 0.1, 8.7, 0.6), "n", container=True),
        _fx(
            "washer",
            "bathroom",
            (9.2, 0.05, 9.9, 0.75),
            "n",
            openable=True,
            switchable=True,
            container=True,
        ),
    ]
    objects = [
        _obj("mug", {"cabinet": 0.4, "counter": 0.4, "table": 0.2}, ("in", "cabinet"), dirty=True),
        _obj("plate", {"cabinet": 0.6, "counter": 0.4}, ("in", "cabinet"), dirty=True),
        _obj(
            "plate_2", {"cabinet": 0.6, "table": 0.4}, ("in", "cabinet"), kind="plate", dirty=True
        ),
        _obj("bowl", {"cabinet": 0.5, "counter": 0.5}, ("in", "cabinet"), dirty=True),
        _obj("pot", {"stove": 0.6, "cabinet": 0.4}, ("on", "stove"), dirty=True),
        _obj("knife", {"counter": 0.5, "cabinet": 0.5}, ("in", "cabinet"), dirty=True),
        _obj("sponge", {"sink": 0.5, "counter": 0.5}, ("in", "sink")),
        _obj("apple", {"table": 0.5, "counter": 0.5}, ("on", "table")),
        _obj("milk", {"fridge": 0.5, "counter": 0.5}, ("in", "fridge")),
        _obj(
            "shirt",
            {"laundry_basket": 0.7, "bed": 0.3},
            ("in", "laundry_basket"),
            dirty=True,
            misplaceable=True,
        ),
        _obj(
            "socks",
            {"laundry_basket": 0.7, "bed": 0.3},
            ("in", "laundry_basket"),
            dirty=True,
            misplaceable=True,
        ),
        _obj("towel", {"laundry_basket": 0.5, "washer": 0.5}, ("in", "laundry_basket"), dirty=True),
        _obj("keys", {"nightstand": 0.4, "shelf": 0.3, "table": 0.3}, ("on", "shelf")),
        _obj("book", {"shelf": 0.5, "nightstand": 0.5}, ("on", "shelf"), misplaceable=True),
        _obj("toy", {"toy_box": 1.0}, ("in", "toy_box"), misplaceable=True),
        _obj("remote", {"coffee_table": 0.6, "sofa": 0.4}, ("on", "coffee_table")),
    ]
    # Wall centre lines (x0, y0, x1, y1) with doorway gaps along them.
    wall_lines = [
        (0.0, 0.0, 11.0, 0.0, []),
        (0.0, 8.0, 11.0, 8.0, []),
        (0.0, 0.0, 0.0, 8.0, []),
        (11.0, 0.0, 11.0, 8.0, []),
        # Doorways are 1.2-1.5 m: the robot is 0.5 m wide and the planner keeps 5 cm more.
        (4.0, 0.0, 4.0, 8.0, [(1.4, 2.6), (5.9, 7.1)]),  # bedroom, kitchen doors
        (5.5, 0.0, 5.5, 8.0, [(0.9, 2.1), (5.0, 6.5)]),  # bathroom, living-room doors
        (0.0, 4.5, 4.0, 4.5, []),
        (5.5, 3.0, 11.0, 3.0, []),
    ]
    return HomeLayout(
        width=11.0,
        height=8.0,
        rooms=rooms,
        fixtures={f.name: f for f in fixtures},
        objects={o.name: o for o in objects},
        wall_lines=wall_lines,
        dock=(4.75, 4.0, math.pi / 2),
    )


def test_the_apartment_plan_is_exactly_the_v1_apartment():
    want, got = _v1_apartment(), load_plan("apartment")
    assert got is default_layout()
    for field in ("width", "height", "dock", "wall_lines", "walls", "approach", "slots"):
        assert getattr(got, field) == getattr(want, field), field
    for field in ("rooms", "fixtures", "objects"):
        # Order matters too: the world sampler draws in this order.
        assert list(getattr(got, field).items()) == list(getattr(want, field).items()), field
    assert (got.misplace_rooms, got.misplace_surfaces, got.misplace_count) == (
        ("living_room",),
        ("sofa",),
        (2, 3),
    )


def test_default_env_builds_the_same_world_as_an_env_on_the_v1_layout():
    for seed in range(5):
        a = HomeSimEnv(seed=seed)
        b = HomeSimEnv(seed=seed, layout=_v1_apartment())
        assert a.home == "apartment" and a.furniture_seed is None
        assert a.world.to_dict() == b.world.to_dict()
        assert a.misplaced == b.misplaced


# -- loading ----------------------------------------------------------------------------


def test_there_are_at_least_five_plans_from_studio_to_house():
    names = plan_names()
    assert names[0] == "apartment" and len(names) >= 2
    assert len({read_plan(n).width * read_plan(n).height for n in names}) == len(names)


def test_unknown_plan_names_say_what_is_known():
    with pytest.raises(PlanError, match="did you mean 'studio'"):
        load_plan("studoi")
    with pytest.raises(PlanError, match="apartment"):
        HomeSimEnv(home="castle")


@pytest.mark.parametrize("name", plan_names())
def test_every_plan_loads_and_validates(name):
    lay = load_plan(name)
    assert lay.name == name and lay.furniture_seed is None
    assert validate_layout(lay) == []
    assert load_plan(name) is lay  # cached


def test_validator_finds_problems():
    lay = load_plan("studio")
    fx = dict(lay.fixtures)
    sofa = fx["sofa"]
    # Push the sofa into the table and the front door's approach pose into a wall.
    fx["sofa"] = FixtureSpec(**{**sofa.__dict__, "rect": fx["table"].rect})
    bad = read_plan("studio").layout(fx)
    problems = validate_layout(bad)
    assert any("sofa and table overlap" in p or "table and sofa overlap" in p for p in problems)
    walls = list(lay.wall_lines)
    walls.append((0.0, 3.0, 9.0, 3.0, []))  # a wall across the studio cuts off its north
    cut = HomeLayout(
        width=lay.width,
        height=lay.height,
        rooms=lay.rooms,
        fixtures=lay.fixtures,
        objects=lay.objects,
        wall_lines=walls,
        dock=lay.dock,
    )
    assert any("cannot be reached" in p for p in validate_layout(cut))


# -- furniture ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NEW_PLANS)
def test_furniture_seeds_give_valid_distinct_deterministic_homes(name):
    plan = read_plan(name)
    assert plan.furniture, f"{name} has no movable furniture"
    fixed = [n for n in plan.fixtures if n not in plan.furniture]
    seen = set()
    for seed in FURNITURE_SEEDS:
        lay = load_plan(name, seed)
        assert lay.furniture_seed == seed
        assert validate_layout(lay) == [], (name, seed)
        for n in fixed:  # plumbing and appliances stay
            assert lay.fixtures[n] == plan.fixtures[n]
        seen.add(tuple(lay.fixtures[n].rect for n in plan.furniture))
    assert len(seen) >= 40
    again = read_plan(name).layout()  # the drawn plan is untouched by arranging
    assert again.fixtures == plan.fixtures


def test_same_furniture_seed_same_home_in_a_fresh_arrangement():
    from sim.home.plans import _arrange

    for seed in (0, 7, 31):
        a = load_plan("studio", seed)
        b = _arrange(read_plan("studio"), seed)
        assert a.fixtures == b.fixtures
