"""Plant care: water the dry plants, keep them where they get light."""

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
    rel_for,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task
from housemind.sim.home.world import DRY_BELOW

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = ["MovePlantToStand", "WaterAndPutCanAway", "WaterDryPlants"]

_WATERERS = ("watering_can", "glass", "mug", "pot")


def _waterer(env: HomeSimEnv) -> str:
    for kind in _WATERERS:
        found = objects_of(env, (kind,))
        if found:
            return found[0]
    raise TaskSampleError("nothing to carry water in (a watering can, a glass, a mug)")


def _dry_out(env: HomeSimEnv, rng: random.Random, count: tuple[int, int]) -> list[str]:
    plants = objects_of(env, ("plant",))
    chosen = sorted(rng.sample(plants, min(len(plants), rng.randint(*count))))
    if not chosen:
        raise TaskSampleError("no plants in this home")
    for p in chosen:
        env.world.objects[p].moisture = round(rng.uniform(0.05, DRY_BELOW - 0.1), 3)
    return chosen


def _water_steps(env: HomeSimEnv, can: str, plants: list[str], sink: str) -> list[Step]:
    steps: list[Step] = []
    rel, src = loc(env, can)
    if rel == "in" and env.layout.fixtures[src].openable and not env.world.fixtures[src].open:
        steps += [("navigate", {"target": src}), ("open", {"target": src})]
    steps += [("navigate", {"target": can}), ("pick", {"object": can})]
    for plant in plants:
        steps += [
            ("navigate", {"target": sink}),
            ("toggle", {"target": sink, "state": "on"}),
            ("fill", {"object": can, "target": sink}),
            ("toggle", {"target": sink, "state": "off"}),
            ("navigate", {"target": plant}),
            ("pour", {"object": can, "target": plant}),
        ]
    return steps


class _Watering(Task):
    abstract = True
    count = (1, 2)

    def applies(self, layout: HomeLayout) -> bool:
        """Plants, a sink and something to carry water in."""
        return layout_has(layout, ("sink",), kinds=("plant",)) and layout_has(
            layout, kinds=_WATERERS
        )

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One or more plants dry; the can empty."""
        plants = _dry_out(env, rng, self.count)
        can = _waterer(env)
        o = env.world.objects[can]
        o.liquid, o.fill = "", 0.0
        return {"plants": plants, "can": can, "sink": fixtures_of(env.layout, "sink")[0]}

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Every plant watered."""
        return [f"watered({p})" for p in params["plants"]]

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """No chosen plant is dry."""
        env._sync()
        return all(env.world.objects[p].moisture >= DRY_BELOW for p in params["plants"])


@register_task
class WaterDryPlants(_Watering):
    """The dry plants are watered from the kitchen tap."""

    name = "water_dry_plants"
    category = "plant_care"
    goal = "water the dry {plants}"

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Fetch the can, fill it at the sink and pour it over each plant."""
        return _water_steps(env, params["can"], params["plants"], params["sink"])


@register_task
class WaterAndPutCanAway(_Watering):
    """Water the plant, then put the watering can back where it is kept."""

    name = "water_plant_and_put_can_away"
    category = "plant_care"
    goal = "water the {plants} and put the {can} back"
    count = (1, 1)

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The plant is watered and the can is back home (its cupboard closed)."""
        can = params["can"]
        home = env.layout.objects[can].home
        closed = not (env.layout.fixtures[home[1]].openable and env.world.fixtures[home[1]].open)
        return super().check(env, params) and loc(env, can) == home and closed

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The plant watered, the can back home, its cupboard closed."""
        can = params["can"]
        rel, home = env.layout.objects[can].home
        out = [*super().goal_facts(env, params), f"{rel}({can},{home})"]
        return out + ([f"closed({home})"] if env.layout.fixtures[home].openable else [])

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Water, then return the can (opening and closing its cupboard)."""
        can = params["can"]
        home = env.layout.objects[can].home[1]
        steps = _water_steps(env, can, params["plants"], params["sink"])
        steps.append(("navigate", {"target": home}))
        if env.layout.fixtures[home].openable:
            steps.append(("open", {"target": home}))
        steps.append(
            ("place", {"object": can, "target": home, "relation": rel_for(env.layout, home)})
        )
        if env.layout.fixtures[home].openable:
            steps.append(("close", {"target": home}))
        return steps


@register_task
class MovePlantToStand(MoveTask):
    """A plant moved off its stand (to the floor, the table) goes back to the light."""

    name = "plant_back_to_stand"
    category = "plant_care"
    goal = "put the {objects} back on the {dest} by the window"
    kinds = ("plant",)
    start = (FLOOR, "table", "counter", "shelf", "coffee_table")
    dest = ("plant_stand",)
