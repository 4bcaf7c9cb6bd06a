"""Laundry: gather, load, wash, unload."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from housemind.sim.home.catalogue import fixture_kind
from housemind.sim.home.tasks._common import (
    FLOOR,
    MoveTask,
    fixtures_of,
    layout_has,
    loc,
    objects_of,
    place_in,
    set_open,
    solve_moves,
    switch,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "DoTheLaundry",
    "DryTheLaundry",
    "FoldTheLaundry",
    "GatherDirtyClothes",
    "LoadWasher",
    "PutFoldedLaundryAway",
    "UnloadWasherToBed",
]

_CLOTHES = ("clothes", "linen")


@register_task
class GatherDirtyClothes(MoveTask):
    """Dirty clothes left on the bed or the sofa go in the laundry basket."""

    name = "gather_dirty_clothes"
    category = "laundry"
    goal = "gather the dirty {objects} into the {dest}"
    categories = ("clothes",)
    count = (1, 2)
    start = ("bed", "sofa", "armchair", FLOOR)
    dest = ("laundry_basket",)
    state = {"dirty": True}


@register_task
class LoadWasher(MoveTask):
    """Dirty laundry from the basket goes in the washer, door closed."""

    name = "load_washer"
    category = "laundry"
    goal = "load the {objects} into the {dest}"
    categories = _CLOTHES
    count = (1, 2)
    start = ("laundry_basket",)
    dest = ("washer",)
    state = {"dirty": True}


@register_task
class UnloadWasherToBed(MoveTask):
    """Clean laundry in the washer is taken out and laid on the bed for folding."""

    name = "unload_washer_to_bed"
    category = "laundry"
    goal = "take the clean {objects} out of the {source} and lay the laundry on the {dest}"
    categories = _CLOTHES
    count = (1, 2)
    start = ("washer",)
    dest = ("bed",)
    state = {"dirty": False}

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Clean laundry in the washer."""
        params = super().arrange(env, rng)
        params["source"] = fixtures_of(env.layout, "washer")[0]
        return params


@register_task
class DoTheLaundry(Task):
    """Dirty laundry from the basket is washed: load, close, run a cycle, wait."""

    name = "do_the_laundry"
    category = "laundry"
    goal = "wash the {objects} in the {washer}"

    def applies(self, layout: HomeLayout) -> bool:
        """A washer, a laundry basket and clothes."""
        return layout_has(layout, ("washer", "laundry_basket"), categories=_CLOTHES)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One or two dirty clothes in the basket; the washer empty and idle."""
        lay = env.layout
        washer = fixtures_of(lay, "washer")[0]
        basket = fixtures_of(lay, "laundry_basket")[0]
        cands = [n for n in objects_of(env, categories=_CLOTHES) if loc(env, n)[1] != washer]
        if not cands:
            raise TaskSampleError("no clothes to wash")
        chosen = sorted(rng.sample(cands, min(len(cands), rng.randint(1, 2))))
        for n in chosen:
            if loc(env, n)[1] != basket:
                place_in(env, n, basket, rng)
            env.world.objects[n].dirty = True
        switch(env, washer, False)
        set_open(env, washer, False)
        return {"objects": chosen, "washer": washer}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every chosen item clean and still in the washer, the programme over."""
        washer = params["washer"]
        return not env.world.fixtures[washer].on and all(
            not env.world.objects[n].dirty and loc(env, n)[1] == washer for n in params["objects"]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Every item clean in the washer, the washer off."""
        w = params["washer"]
        return [f for n in params["objects"] for f in (f"in({n},{w})", f"clean({n})")] + [
            f"switched_off({w})"
        ]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Load the washer, close it, start it, wait out the programme."""
        washer = params["washer"]
        cycle = fixture_kind(env.layout.fixtures[washer].kind).cycle_s or 45 * 60.0
        steps = solve_moves(env, [(n, washer) for n in params["objects"]])
        return [
            *steps,
            ("navigate", {"target": washer}),
            ("toggle", {"target": washer, "state": "on"}),
            ("wait", {"seconds": cycle + 60.0}),
        ]


@register_task
class DryTheLaundry(Task):
    """Wet laundry from the washer goes in the dryer, which is run through its programme."""

    name = "dry_the_laundry"
    category = "laundry"
    goal = "move the wet {objects} from the {washer} to the {dryer} and run the {dryer}"

    def applies(self, layout: HomeLayout) -> bool:
        """A washer, a dryer and clothes."""
        return layout_has(layout, ("washer", "dryer"), categories=_CLOTHES)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One or two clean, wet clothes in the washer; the dryer empty of them and idle."""
        lay = env.layout
        washer, dryer = fixtures_of(lay, "washer")[0], fixtures_of(lay, "dryer")[0]
        cands = objects_of(env, categories=_CLOTHES)
        chosen = sorted(rng.sample(cands, min(len(cands), rng.randint(1, 2))))
        if not chosen:
            raise TaskSampleError("no clothes to dry")
        for n in chosen:
            if loc(env, n)[1] != washer:
                place_in(env, n, washer, rng)
            o = env.world.objects[n]
            o.dirty, o.wet = False, True
        switch(env, washer, False)
        switch(env, dryer, False)
        set_open(env, dryer, False)
        return {"objects": chosen, "washer": washer, "dryer": dryer}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every chosen item dry and in the dryer, the programme over."""
        dryer = params["dryer"]
        return not env.world.fixtures[dryer].on and all(
            not env.world.objects[n].wet and loc(env, n)[1] == dryer for n in params["objects"]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Every item in the dryer, the dryer closed and off (dryness is not observed)."""
        d = params["dryer"]
        return [f"in({n},{d})" for n in params["objects"]] + [f"closed({d})", f"switched_off({d})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Unload the washer into the dryer, close it, start it, wait for it to finish."""
        dryer = params["dryer"]
        cycle = fixture_kind(env.layout.fixtures[dryer].kind).cycle_s
        return [
            *solve_moves(env, [(n, dryer) for n in params["objects"]]),
            ("toggle", {"target": dryer, "state": "on"}),
            (
                "wait",
                {
                    "seconds": cycle + 600.0,
                    "until": {"fixture": dryer, "attr": "on", "equals": False},
                },
            ),
        ]


@register_task
class FoldTheLaundry(Task):
    """Clean, dry laundry left on the bed (or the sofa) is folded where it lies."""

    name = "fold_the_laundry"
    category = "laundry"
    goal = "fold the clean {objects} on the {surface}"

    def applies(self, layout: HomeLayout) -> bool:
        """Foldable clothes and a bed or sofa to fold them on."""
        return layout_has(layout, categories=_CLOTHES) and bool(fixtures_of(layout, "bed", "sofa"))

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One or two clean, dry, unfolded clothes on a bed or the sofa."""
        surfaces = fixtures_of(env.layout, "bed", "sofa")
        surface = rng.choice(surfaces)
        cands = objects_of(env, categories=_CLOTHES)
        rng.shuffle(cands)
        chosen: list[str] = []
        for n in cands[: rng.randint(1, 2)]:
            if loc(env, n)[1] != surface:
                try:
                    place_in(env, n, surface, rng)
                except TaskSampleError:
                    continue
            o = env.world.objects[n]
            o.dirty, o.wet, o.folded = False, False, False
            chosen.append(n)
        if not chosen:
            raise TaskSampleError(f"no room on the {surface} for laundry")
        return {"objects": sorted(chosen), "surface": surface}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every chosen item folded and lying on a surface."""
        return all(
            env.world.objects[n].folded and loc(env, n)[0] == "on" for n in params["objects"]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Every item folded."""
        return [f"folded({n})" for n in params["objects"]]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Pick each up and fold it over the surface it lay on."""
        steps: list[Step] = []
        for n in params["objects"]:
            steps += [
                ("navigate", {"target": n}),
                ("pick", {"object": n}),
                ("fold", {"object": n, "target": params["surface"]}),
            ]
        return steps


@register_task
class PutFoldedLaundryAway(MoveTask):
    """Folded clean clothes go in the wardrobe (or on the dresser), doors closed."""

    name = "put_folded_laundry_away"
    category = "laundry"
    goal = "put the folded {objects} away in the {dest}"
    categories = ("clothes",)
    count = (1, 2)
    start = ("bed", "sofa")
    dest = ("wardrobe", "dresser")
    state = {"dirty": False, "wet": False, "folded": True}
