"""Cooking: cookware on the stove, boiling water, cooking food without burning it."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from housemind.sim.home.processes import add_food
from housemind.sim.home.tasks._common import (
    MoveTask,
    fixtures_of,
    layout_has,
    loc,
    objects_of,
    place_somewhere,
    set_open,
    solve_moves,
    switch,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task
from housemind.sim.home.world import BURNT_AT

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = ["BoilTheKettle", "CookInPan", "CookPasta", "PotOnStove"]

#: The water in a kettle counts as boiled from here (°C).
BOILED_C = 95.0


@register_task
class PotOnStove(MoveTask):
    """The pot (or pan) is taken from the cupboard and put on the stove."""

    name = "pot_on_stove"
    category = "cooking"
    goal = "put the {objects} on the {dest}"
    kinds = ("pot", "pan")
    start = ("cabinet", "counter", "table")
    dest = ("stove",)
    state = {"dirty": False}


class _CookOnStove(Task):
    """A vessel with raw food is put on the stove, cooked until done, and the heat is off.

    Goal: the food is cooked (``cooked >= 1``) and not burnt, and the stove is off.
    """

    abstract = True
    vessel_kind = ""
    food_kinds: tuple[str, ...] = ()
    water = 0.0  # fill of water the sampler puts in the vessel with the food

    def applies(self, layout: HomeLayout) -> bool:
        """A stove and a vessel of the kind."""
        return layout_has(layout, ("stove", "counter"), kinds=(self.vessel_kind,))

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """The vessel with raw food (and water) on the counter; the stove off."""
        lay = env.layout
        vessels = objects_of(env, (self.vessel_kind,))
        if not vessels:
            raise TaskSampleError(f"no {self.vessel_kind} in this home")
        vessel = vessels[0]
        stove = fixtures_of(lay, "stove")[0]
        switch(env, stove, False)
        if loc(env, vessel)[1] == stove:
            place_somewhere(
                env, vessel, fixtures_of(lay, "counter", "island", "table", "cabinet"), rng
            )
        o = env.world.objects[vessel]
        o.dirty = False
        o.liquid, o.fill = ("water", self.water) if self.water else ("", 0.0)
        food = rng.choice(self.food_kinds)
        add_food(env.world, vessel, food)
        return {"vessel": vessel, "food": food, "stove": stove}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Cooked, not burnt, and the stove switched off."""
        env._sync()
        o = env.world.objects[params["vessel"]]
        return (
            o.food == params["food"]
            and 1.0 <= o.cooked < BURNT_AT
            and not env.world.fixtures[params["stove"]].on
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """On the stove, the stove off (doneness is for :meth:`check`)."""
        return [f"on({params['vessel']},{params['stove']})", f"switched_off({params['stove']})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """On the stove, heat on, wait until cooked, heat off."""
        vessel, stove = params["vessel"], params["stove"]
        return [
            *solve_moves(env, [(vessel, stove)]),
            ("toggle", {"target": stove, "state": "on"}),
            (
                "wait",
                {
                    "seconds": 3600.0,
                    "until": {"object": vessel, "attr": "cooked", "at_least": 1.0},
                },
            ),
            ("toggle", {"target": stove, "state": "off"}),
        ]


@register_task
class CookPasta(_CookOnStove):
    """A pot of water with pasta (or rice) is cooked on the stove, then the heat is off."""

    name = "cook_pasta"
    category = "cooking"
    goal = "cook the {food} in the {vessel} on the {stove}, then turn the stove off"
    vessel_kind = "pot"
    food_kinds = ("pasta", "rice")
    water = 0.6


@register_task
class CookInPan(_CookOnStove):
    """Eggs in the pan are fried on the stove without burning, then the heat is off."""

    name = "fry_eggs"
    category = "cooking"
    goal = "fry the {food} in the {vessel} without burning them, then turn the stove off"
    vessel_kind = "pan"
    food_kinds = ("eggs",)


@register_task
class BoilTheKettle(Task):
    """The filled kettle is switched on and left until the water boils."""

    name = "boil_the_kettle"
    category = "cooking"
    goal = "boil the water in the {kettle}"

    def applies(self, layout: HomeLayout) -> bool:
        """A kettle."""
        return bool(fixtures_of(layout, "kettle"))

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """The kettle half to three-quarters full of cold water, closed and off."""
        kettle = fixtures_of(env.layout, "kettle")[0]
        switch(env, kettle, False)
        set_open(env, kettle, False)
        fs = env.world.fixtures[kettle]
        fs.liquid, fs.fill, fs.temp = "water", round(rng.uniform(0.5, 0.75), 3), 20.0
        return {"kettle": kettle}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The kettle holds water at (nearly) boiling point."""
        env._sync()
        fs = env.world.fixtures[params["kettle"]]
        return fs.liquid == "water" and fs.fill > 0.0 and fs.temp >= BOILED_C

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Switch it on and wait for it to boil (it switches itself off)."""
        kettle = params["kettle"]
        return [
            ("navigate", {"target": kettle}),
            ("toggle", {"target": kettle, "state": "on"}),
            (
                "wait",
                {
                    "seconds": 900.0,
                    "until": {"fixture": kettle, "attr": "temp", "at_least": 99.0},
                },
            ),
        ]
