"""Dishes: dirty dishes to the sink, washing up, putting clean dishes away, the table."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from housemind.sim.home.catalogue import fixture_kind
from housemind.sim.home.placement import free_slots
from housemind.sim.home.tasks._common import (
    MoveTask,
    all_closed,
    fixtures_of,
    layout_has,
    loc,
    objects_of,
    place_in,
    place_somewhere,
    rel_for,
    switch,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "ClearTableAfterMeal",
    "DishesToSink",
    "HandWashDish",
    "LoadDishwasher",
    "RunDishwasher",
    "UnloadDishwasher",
    "PutAwayCleanDishes",
    "SetTheTable",
    "WashDishesInSink",
]

_DISHES = ("dish", "cutlery")
#: Seconds the faucet must run over a dish left in the sink (v1's ``SINK_WASH_S`` + 1).
_SINK_WASH_WAIT_S = 6.0


@register_task
class DishesToSink(MoveTask):
    """Dirty dishes left on tables and counters go in the sink."""

    name = "dishes_to_sink"
    category = "dishes"
    goal = "put the dirty {objects} in the {dest}"
    categories = _DISHES
    count = (2, 3)
    start = ("table", "counter", "coffee_table", "desk")
    dest = ("sink",)
    state = {"dirty": True}


@register_task
class PutAwayCleanDishes(MoveTask):
    """Clean dishes left out go back in the cupboard, which is closed after."""

    name = "put_away_clean_dishes"
    category = "dishes"
    goal = "put the clean {objects} away"
    categories = _DISHES
    kinds = ("pot", "pan")
    count = (2, 3)
    start = ("counter", "table")
    state = {"dirty": False}


@register_task
class SetTheTable(MoveTask):
    """Clean plates and a mug from the cupboard go on the table."""

    name = "set_the_table"
    category = "dishes"
    goal = "set the table: put a clean {objects} on the {dest}"
    kinds = ("plate", "mug", "glass", "bowl", "fork", "spoon")
    count = (2, 3)
    start = ("cabinet", "counter")
    dest = ("table",)
    state = {"dirty": False}
    any_such = True


@register_task
class ClearTableAfterMeal(MoveTask):
    """After a meal: the dirty dishes go in the sink, the food back where it belongs."""

    name = "clear_table_after_meal"
    category = "dishes"
    goal = "clear the table: the dirty dishes to the sink, the rest away ({objects})"
    kinds = ("plate", "mug", "bowl", "glass", "fork", "knife", "spoon", "apple", "milk", "bread")
    count = (1, 3)
    start = ("table",)
    needs = ("sink",)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Dishes and food on the table; the dishes dirty."""
        params = super().arrange(env, rng)
        for n in params["objects"]:
            o = env.world.objects[n]
            o.dirty = o.kind in _DISH_KINDS
        return params

    def _dest(self, layout: HomeLayout, name: str | None = None) -> str | None:
        if name is not None and layout.objects[name].kind in _DISH_KINDS:
            return fixtures_of(layout, "sink")[0]
        return super()._dest(layout, name)


_DISH_KINDS = frozenset({"plate", "mug", "bowl", "glass", "fork", "knife", "spoon"})


@register_task
class WashDishesInSink(Task):
    """Dirty dishes in the sink are washed under the running faucet, then it is shut off."""

    name = "wash_dishes_in_sink"
    category = "dishes"
    goal = "wash the {objects} in the {sink} and turn the water off"

    def applies(self, layout: HomeLayout) -> bool:
        """A sink and dishes."""
        return layout_has(layout, ("sink",), categories=_DISHES, count=2)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One to three dirty dishes in the sink, the faucet off."""
        sink = fixtures_of(env.layout, "sink")[0]
        cands = [n for n in objects_of(env, categories=_DISHES) if loc(env, n)[1] != sink]
        room = len(free_slots(env.layout, env.world, sink))
        chosen = sorted(rng.sample(cands, min(len(cands), room, rng.randint(1, 3))))
        if not chosen:
            raise TaskSampleError("no dishes to wash, or no room in the sink")
        for n in chosen:
            place_in(env, n, sink, rng)
            env.world.objects[n].dirty = True
        env.world.fixtures[sink].on = False
        return {"objects": chosen, "sink": sink}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every dish clean and the faucet off."""
        return not env.world.fixtures[params["sink"]].on and not any(
            env.world.objects[n].dirty for n in params["objects"]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Every dish clean, the faucet off."""
        return [f"clean({n})" for n in params["objects"]] + [f"switched_off({params['sink']})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Run the faucet over the dishes for a few seconds, then shut it off."""
        sink = params["sink"]
        return [
            ("navigate", {"target": sink}),
            ("toggle", {"target": sink, "state": "on"}),
            ("wait", {"seconds": _SINK_WASH_WAIT_S}),
            ("toggle", {"target": sink, "state": "off"}),
        ]


@register_task
class HandWashDish(Task):
    """A dirty dish is scrubbed clean under the tap and put away; the tap is shut off."""

    name = "hand_wash_dish"
    category = "dishes"
    goal = "wash the {object} by hand at the {sink} and put it away"

    def applies(self, layout: HomeLayout) -> bool:
        """A sink and dishes."""
        return layout_has(layout, ("sink",), categories=_DISHES)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One dirty dish on the table or the counter, the tap off."""
        lay = env.layout
        sink = fixtures_of(lay, "sink")[0]
        switch(env, sink, False)
        cands = [
            n for n in objects_of(env, categories=_DISHES) if env.layout.objects[n].home[1] != sink
        ]
        if not cands:
            raise TaskSampleError("no dish to wash")
        dish = rng.choice(cands)
        place_somewhere(env, dish, fixtures_of(lay, "table", "counter", "coffee_table"), rng)
        env.world.objects[dish].dirty = True
        return {"object": dish, "sink": sink}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Clean, back home (its cupboard closed), the tap off."""
        dish = params["object"]
        home = env.layout.objects[dish].home
        return (
            not env.world.objects[dish].dirty
            and loc(env, dish) == home
            and all_closed(env, [home[1]])
            and not env.world.fixtures[params["sink"]].on
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Clean, home, its cupboard closed, the tap off."""
        dish = params["object"]
        rel, home = env.layout.objects[dish].home
        out = [f"clean({dish})", f"{rel}({dish},{home})", f"switched_off({params['sink']})"]
        return out + ([f"closed({home})"] if env.layout.fixtures[home].openable else [])

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Pick it up, scrub it under the running tap, shut the tap, put it away."""
        dish, sink = params["object"], params["sink"]
        home = env.layout.objects[dish].home[1]
        steps: list[Step] = [
            ("navigate", {"target": dish}),
            ("pick", {"object": dish}),
            ("navigate", {"target": sink}),
            ("toggle", {"target": sink, "state": "on"}),
            ("wash", {"object": dish, "target": sink}),
            ("toggle", {"target": sink, "state": "off"}),
            ("navigate", {"target": home}),
        ]
        openable = env.layout.fixtures[home].openable
        if openable:
            steps.append(("open", {"target": home}))
        steps.append(
            ("place", {"object": dish, "target": home, "relation": rel_for(env.layout, home)})
        )
        if openable:
            steps.append(("close", {"target": home}))
        return steps


class _DishwasherTask(MoveTask):
    abstract = True
    categories = _DISHES
    count = (2, 3)
    needs = ("dishwasher",)


@register_task
class LoadDishwasher(_DishwasherTask):
    """Dirty dishes from the sink and the counter go in the dishwasher, door closed."""

    name = "load_dishwasher"
    category = "dishes"
    goal = "load the dirty {objects} into the {dest}"
    start = ("sink", "counter", "table")
    dest = ("dishwasher",)
    state = {"dirty": True}


@register_task
class UnloadDishwasher(_DishwasherTask):
    """Clean dishes in the dishwasher go back in their cupboards, doors closed."""

    name = "unload_dishwasher"
    category = "dishes"
    goal = "unload the clean {objects} from the dishwasher and put everything away"
    start = ("dishwasher",)
    state = {"dirty": False}


@register_task
class RunDishwasher(_DishwasherTask):
    """Dirty dishes are loaded, the dishwasher closed and run through its programme."""

    name = "run_dishwasher"
    category = "dishes"
    goal = "load the dirty {objects} into the {dest} and run it"
    start = ("sink", "counter", "table")
    dest = ("dishwasher",)
    state = {"dirty": True}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Loaded, the programme over, every dish clean."""
        fs = env.world.fixtures[params["dest"]]
        return (
            super().check(env, params)
            and not fs.on
            and not any(env.world.objects[n].dirty for n in params["objects"])
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Loaded and closed, every dish clean, the machine off."""
        return [
            *super().goal_facts(env, params),
            *(f"clean({n})" for n in params["objects"]),
            f"switched_off({params['dest']})",
        ]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Load and close it, switch it on, wait out the programme."""
        dw = params["dest"]
        cycle = fixture_kind(env.layout.fixtures[dw].kind).cycle_s
        return [
            *super().solution(env, params),
            ("toggle", {"target": dw, "state": "on"}),
            (
                "wait",
                {"seconds": cycle + 600.0, "until": {"fixture": dw, "attr": "on", "equals": False}},
            ),
        ]
