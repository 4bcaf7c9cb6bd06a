"""Tidying: things left about the home go back where they belong."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from housemind.sim.home.tasks._common import (
    FLOOR,
    MoveTask,
    fixtures_of,
    layout_has,
    loc,
    objects_of,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "BooksToShelf",
    "ClearCoffeeTable",
    "ClothesOffTheFloor",
    "PutShoesAndKeysAway",
    "RemoteToCoffeeTable",
    "TidyBedroom",
    "TidyLivingRoom",
    "ToysInToyBox",
    "WipeTheCounter",
    "WipeTheTable",
]

_PERSONAL = ("keys", "wallet", "phone", "glasses", "remote", "book", "toy", "toy_car", "ball")


@register_task
class TidyLivingRoom(MoveTask):
    """Things on the living-room floor and sofa go back home."""

    name = "tidy_living_room"
    category = "tidying"
    goal = "tidy the living room: put the {objects} back where they belong"
    kinds = _PERSONAL + ("teddy_bear", "blocks", "newspaper")
    categories = ("clothes",)
    count = (2, 3)
    start = (FLOOR, "sofa", "armchair")
    rooms = ("living_room",)


@register_task
class TidyBedroom(MoveTask):
    """Things on the bedroom floor go back home."""

    name = "tidy_bedroom"
    category = "tidying"
    goal = "tidy the bedroom: put the {objects} back where they belong"
    kinds = _PERSONAL
    categories = ("clothes",)
    count = (2, 3)
    start = (FLOOR,)
    rooms = ("bedroom", "main_bedroom", "master_bedroom")


@register_task
class ToysInToyBox(MoveTask):
    """Toys on the floor go in the toy box."""

    name = "toys_in_toy_box"
    category = "tidying"
    goal = "put the {objects} in the {dest}"
    categories = ("toy",)
    count = (1, 3)
    start = (FLOOR, "sofa", "bed")
    dest = ("toy_box",)


@register_task
class BooksToShelf(MoveTask):
    """A book left on the sofa, the bed or the floor goes back on the shelf."""

    name = "books_to_shelf"
    category = "tidying"
    goal = "put the {objects} back on the {dest}"
    kinds = ("book",)
    start = (FLOOR, "sofa", "bed", "table", "coffee_table")
    dest = ("shelf", "bookshelf")


@register_task
class RemoteToCoffeeTable(MoveTask):
    """The remote control goes on the coffee table."""

    name = "remote_to_coffee_table"
    category = "tidying"
    goal = "put the {objects} on the {dest}"
    kinds = ("remote",)
    start = (FLOOR, "sofa", "bed", "table", "nightstand")
    dest = ("coffee_table",)


@register_task
class ClearCoffeeTable(MoveTask):
    """Everything piled on the coffee table goes back home."""

    name = "clear_coffee_table"
    category = "tidying"
    goal = "clear the coffee table: put the {objects} back where they belong"
    kinds = ("book", "keys", "toy", "mug", "wallet", "phone", "glasses", "remote")
    count = (1, 3)
    start = ("coffee_table",)


@register_task
class ClothesOffTheFloor(MoveTask):
    """Clothes dropped on the floor go in the laundry basket."""

    name = "clothes_off_the_floor"
    category = "tidying"
    goal = "pick up the {objects} from the floor and put the clothes in the {dest}"
    categories = ("clothes",)
    count = (1, 2)
    start = (FLOOR,)
    dest = ("laundry_basket",)
    state = {"dirty": True}


@register_task
class PutShoesAndKeysAway(MoveTask):
    """Keys and wallet dropped anywhere go back to their places."""

    name = "put_keys_away"
    category = "tidying"
    goal = "put the {objects} back where they belong"
    kinds = ("keys", "wallet")
    count = (1, 2)
    start = (FLOOR, "sofa", "table", "counter", "bed")


class _Wipe(Task):
    """A dirty surface is wiped clean with a sponge or cloth, which is put back after."""

    abstract = True
    surface_kinds: tuple[str, ...] = ()

    def applies(self, layout: HomeLayout) -> bool:
        """A surface of the kinds and a wiping tool."""
        return bool(fixtures_of(layout, *self.surface_kinds)) and layout_has(layout, kinds=_TOOLS)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """The surface dirty (crumbs, a sticky ring); the tool where it is kept."""
        surface = rng.choice(fixtures_of(env.layout, *self.surface_kinds))
        env.world.fixtures[surface].dirt = round(rng.uniform(0.4, 1.0), 3)
        tools = [t for k in _TOOLS for t in objects_of(env, (k,))]
        if not tools:
            raise TaskSampleError("no sponge or cloth to wipe with")
        return {"surface": surface, "tool": tools[0]}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The surface clean and the tool back home."""
        tool = params["tool"]
        return (
            env.world.fixtures[params["surface"]].dirt <= CLEAN_BELOW
            and loc(env, tool) == env.layout.objects[tool].home
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The surface wiped, the tool back home."""
        tool = params["tool"]
        rel, home = env.layout.objects[tool].home
        return [f"wiped({params['surface']})", f"{rel}({tool},{home})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Fetch the tool, wipe, put the tool back."""
        tool, surface = params["tool"], params["surface"]
        home = env.layout.objects[tool].home[1]
        steps: list[Step] = []
        rel, src = loc(env, tool)
        opened = (
            rel == "in" and env.layout.fixtures[src].openable and not env.world.fixtures[src].open
        )
        if opened:
            steps += [("navigate", {"target": src}), ("open", {"target": src})]
        steps += [
            ("navigate", {"target": tool}),
            ("pick", {"object": tool}),
            ("navigate", {"target": surface}),
            ("wipe", {"target": surface, "tool": tool}),
            ("navigate", {"target": home}),
            (
                "place",
                {"object": tool, "target": home, "relation": env.layout.objects[tool].home[0]},
            ),
        ]
        if opened:
            steps.append(("close", {"target": src}))
        return steps


#: A wiped surface counts as clean at or below this much dirt.
CLEAN_BELOW = 0.02
_TOOLS = ("sponge", "cloth")


@register_task
class WipeTheTable(_Wipe):
    """The dining table is wiped after a meal."""

    name = "wipe_the_table"
    category = "tidying"
    goal = "wipe the {surface} with the {tool}"
    surface_kinds = ("table", "coffee_table")


@register_task
class WipeTheCounter(_Wipe):
    """The kitchen counter is wiped down."""

    name = "wipe_the_counter"
    category = "tidying"
    goal = "wipe down the {surface} with the {tool}"
    surface_kinds = ("counter", "island")
