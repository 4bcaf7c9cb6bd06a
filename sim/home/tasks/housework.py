"""Housework people ask for most.

Vacuuming, feeding the pet, coffee, dinner from scratch, reminders, and putting a grocery
delivery away.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from housemind.sim.home import housework
from housemind.sim.home.catalogue import OBJECT_KINDS
from housemind.sim.home.grocery import _drop_near
from housemind.sim.home.residents import PET_KINDS
from housemind.sim.home.tasks._common import (
    MoveTask,
    fixtures_of,
    layout_has,
    loc,
    objects_of,
    place_somewhere,
    rel_for,
    set_open,
    switch,
)
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError, register_task
from housemind.sim.home.world import BURNT_AT
from housemind.skills.types import FILLED_AT, WIPED_BELOW

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "CookDinnerFromScratch",
    "FeedThePet",
    "MakeCoffee",
    "PutAwayDelivery",
    "RemindSomeone",
    "VacuumRoom",
]


@register_task
class VacuumRoom(Task):
    """A room's floor, dirty with crumbs and hair, is vacuumed clean."""

    name = "vacuum_the_floor"
    category = "tidying"
    goal = "vacuum the {room}"

    def applies(self, layout: HomeLayout) -> bool:
        """Every home has floors."""
        return bool(layout.rooms)

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """One room (not a small bathroom or hallway) has a dirty floor."""
        area = housework.free_floor_area(env)
        rooms = sorted(r for r in env.layout.rooms if area[r] >= 3.0)
        if not rooms:
            raise TaskSampleError("no room with floor to vacuum")
        room = rng.choice(rooms)
        env.world.floor_dirt[room] = round(rng.uniform(0.4, 1.0), 3)
        return {"room": room}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The floor is clean."""
        env._sync()
        return env.world.floor_dirt.get(params["room"], 0.0) < WIPED_BELOW

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The room's floor clean."""
        return [f"clean({params['room']})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Go there and vacuum."""
        room = params["room"]
        return [("navigate", {"target": room}), ("vacuum", {"target": room})]


@register_task
class FeedThePet(Task):
    """The pet's bowl is empty: it is filled from the bag, which goes back after."""

    name = "feed_the_pet"
    category = "pets"
    goal = "feed {pet}"

    def applies(self, layout: HomeLayout) -> bool:
        """A pet, its bowl and pet food."""
        pets = set(getattr(layout, "household", ())) & set(PET_KINDS)
        return bool(pets) and layout_has(layout, ("pet_bowl_mat",), kinds=("pet_food",))

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """The bowl empty, the bag of food where it is kept, enough food in it."""
        pets = sorted(n for n, p in env.world.residents.items() if p.kind in PET_KINDS)
        if not pets:
            raise TaskSampleError("no pet lives here")
        bowl = fixtures_of(env.layout, "pet_bowl_mat")[0]
        fs = env.world.fixtures[bowl]
        fs.fill, fs.liquid = 0.0, ""
        food = objects_of(env, ("pet_food",))[0]
        o = env.world.objects[food]
        o.quantity = round(max(o.quantity, rng.uniform(0.3, 1.0)), 3)
        home = env.layout.objects[food].home[1]
        if loc(env, food)[1] != home:
            place_somewhere(env, food, [home], rng)
        return {"pet": pets[0], "bowl": bowl, "food": food}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The bowl is full and the bag is back where it is kept."""
        food = params["food"]
        return env.world.fixtures[params["bowl"]].fill >= FILLED_AT and loc(env, food) == tuple(
            env.layout.objects[food].home
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The bowl filled, the bag back."""
        food = params["food"]
        rel, home = env.layout.objects[food].home
        return [f"filled({params['bowl']})", f"{rel}({food},{home})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Take the bag to the bowl, fill it, put the bag back."""
        food, bowl = params["food"], params["bowl"]
        rel, home = env.layout.objects[food].home
        steps: list[Step] = []
        src_rel, src = loc(env, food)
        opened = src_rel == "in" and env.layout.fixtures[src].openable
        if opened:
            steps += [("navigate", {"target": src}), ("open", {"target": src})]
        steps += [
            ("navigate", {"target": food}),
            ("pick", {"object": food}),
            ("navigate", {"target": bowl}),
            ("serve", {"object": food, "target": bowl}),
            ("navigate", {"target": home}),
            ("place", {"object": food, "target": home, "relation": rel}),
        ]
        if opened:
            steps.append(("close", {"target": src}))
        return steps


_CUPS = ("mug", "cup", "glass")


@register_task
class MakeCoffee(Task):
    """A cup of coffee is made with the kettle and put on the table."""

    name = "make_coffee"
    category = "cooking"
    goal = "make a cup of coffee and put it on the {dest}"

    def applies(self, layout: HomeLayout) -> bool:
        """A kettle, coffee, a cup and a table or counter to put it on."""
        return (
            layout_has(layout, ("kettle",), kinds=("coffee",))
            and layout_has(layout, kinds=_CUPS)
            and bool(fixtures_of(layout, "table", "counter", "island"))
        )

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Cold water in the kettle, a clean empty cup, coffee in the jar."""
        lay = env.layout
        kettle = fixtures_of(lay, "kettle")[0]
        switch(env, kettle, False)
        set_open(env, kettle, False)
        fs = env.world.fixtures[kettle]
        fs.liquid, fs.fill, fs.temp = "water", round(rng.uniform(0.5, 0.9), 3), 20.0
        cups = [c for k in _CUPS for c in objects_of(env, (k,))]
        if not cups:
            raise TaskSampleError("no cup")
        for c in cups:
            o = env.world.objects[c]
            o.liquid, o.fill = "", 0.0
        cup = cups[0]
        env.world.objects[cup].dirty = False
        for c in objects_of(env, ("coffee",)):
            o = env.world.objects[c]
            o.quantity = round(max(o.quantity, rng.uniform(0.3, 1.0)), 3)
        dest = fixtures_of(lay, "table", "counter", "island")[0]
        return {"cup": cup, "dest": dest, "kettle": kettle}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """A cup of coffee stands on the destination."""
        env._sync()
        for c in [c for k in _CUPS for c in objects_of(env, (k,))]:
            o = env.world.objects[c]
            if (
                o.liquid == "coffee"
                and o.fill >= FILLED_AT
                and (o.relation, o.place) == (rel_for(env.layout, params["dest"]), params["dest"])
            ):
                return True
        return False

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The cup holds coffee and stands on the destination."""
        cup, dest = params["cup"], params["dest"]
        return [f"contains({cup},coffee)", f"{rel_for(env.layout, dest)}({cup},{dest})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Boil the kettle, fetch the cup, fill it, put it down."""
        kettle, cup, dest = params["kettle"], params["cup"], params["dest"]
        steps: list[Step] = [("navigate", {"target": kettle}), ("boil", {"target": kettle})]
        rel, src = loc(env, cup)
        opened = rel == "in" and env.layout.fixtures[src].openable
        if opened:
            steps += [("navigate", {"target": src}), ("open", {"target": src})]
        steps += [("navigate", {"target": cup}), ("pick", {"object": cup})]
        if opened:
            steps.append(("close", {"target": src}))
        steps += [
            ("navigate", {"target": kettle}),
            ("brew", {"object": cup, "target": kettle, "drink": "coffee"}),
            ("navigate", {"target": dest}),
            ("place", {"object": cup, "target": dest, "relation": rel_for(env.layout, dest)}),
        ]
        return steps


@register_task
class CookDinnerFromScratch(Task):
    """Dinner from scratch: a pot of water on the stove, pasta in, cooked, heat off."""

    name = "cook_dinner_from_scratch"
    category = "cooking"
    goal = "make pasta for dinner"

    def applies(self, layout: HomeLayout) -> bool:
        """A stove, a sink, a pot and pasta."""
        return layout_has(layout, ("stove", "sink"), kinds=("pot",)) and layout_has(
            layout, kinds=("pasta",)
        )

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """A clean, empty pot; pasta where it is kept; the stove off."""
        lay = env.layout
        stove = fixtures_of(lay, "stove")[0]
        switch(env, stove, False)
        pot = objects_of(env, ("pot",))[0]
        o = env.world.objects[pot]
        o.dirty, o.liquid, o.fill, o.food, o.cooked, o.temp = False, "", 0.0, "", 0.0, 20.0
        pasta = objects_of(env, ("pasta",))[0]
        p = env.world.objects[pasta]
        p.quantity = round(max(p.quantity, rng.uniform(0.5, 1.0)), 3)
        home = lay.objects[pasta].home[1]
        if loc(env, pasta)[1] != home:
            place_somewhere(env, pasta, [home], rng)
        return {"pot": pot, "food": "pasta", "stove": stove, "pasta": pasta}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The pasta in the pot is cooked, not burnt; the stove is off."""
        env._sync()
        o = env.world.objects[params["pot"]]
        return (
            o.food == "pasta"
            and 1.0 <= o.cooked < BURNT_AT
            and not env.world.fixtures[params["stove"]].on
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Pasta in the pot on the stove, cooked, the stove off."""
        pot, stove = params["pot"], params["stove"]
        return [
            f"contains({pot},pasta)",
            f"on({pot},{stove})",
            f"cooked({pot})",
            f"switched_off({stove})",
        ]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Fill the pot, put it on the stove, add pasta, cook, heat off, pasta back."""
        lay = env.layout
        pot, stove, pasta = params["pot"], params["stove"], params["pasta"]
        sink = fixtures_of(lay, "sink")[0]
        steps: list[Step] = []
        rel, src = loc(env, pot)
        if rel == "in" and lay.fixtures[src].openable:
            steps += [("navigate", {"target": src}), ("open", {"target": src})]
        steps += [
            ("navigate", {"target": pot}),
            ("pick", {"object": pot}),
            ("navigate", {"target": sink}),
            ("toggle", {"target": sink, "state": "on"}),
            ("fill", {"object": pot, "target": sink}),
            ("toggle", {"target": sink, "state": "off"}),
            ("navigate", {"target": stove}),
            ("place", {"object": pot, "target": stove, "relation": "on"}),
        ]
        prel, psrc = loc(env, pasta)
        home_rel, home = lay.objects[pasta].home
        if prel == "in" and lay.fixtures[psrc].openable:
            steps += [("navigate", {"target": psrc}), ("open", {"target": psrc})]
        steps += [
            ("navigate", {"target": pasta}),
            ("pick", {"object": pasta}),
            ("navigate", {"target": stove}),
            ("add", {"object": pasta, "target": pot}),
            ("toggle", {"target": stove, "state": "on"}),
            ("cook", {"object": pot, "target": stove}),
            ("toggle", {"target": stove, "state": "off"}),
            ("navigate", {"target": home}),
            ("place", {"object": pasta, "target": home, "relation": home_rel}),
        ]
        if lay.fixtures[home].openable:
            steps.append(("close", {"target": home}))
        return steps


_MESSAGES = (
    "take your pills",
    "call grandma",
    "book the dentist",
    "pay the electricity bill",
    "water the garden",
    "charge your phone",
)


@register_task
class RemindSomeone(Task):
    """A person at home is reminded of something: the robot goes to them and says it."""

    name = "remind_someone"
    category = "reminders"
    goal = "remind {person} to {message}"
    start_time = (19, 30)

    def applies(self, layout: HomeLayout) -> bool:
        """Every home has an adult."""
        return True

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Someone awake at home; a thing to remind them of."""
        people = sorted(
            n
            for n, p in env.world.residents.items()
            if p.home and p.kind not in PET_KINDS and p.activity != "asleep" and p.kind == "adult"
        )
        if not people:
            raise TaskSampleError("nobody awake at home to remind")
        return {
            "person": rng.choice(people),
            "message": rng.choice(_MESSAGES),
            "said_before": len(env.world.said),
        }

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The person heard the robot say it (after the task began)."""
        msg = params["message"].lower()
        return any(
            params["person"] in heard and msg in text.lower()
            for _t, text, heard in env.world.said[params["said_before"] :]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """The person has been told (just now)."""
        return [f"told({params['person']})"]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Go to them and say it."""
        who = params["person"]
        return [
            ("navigate", {"target": who}),
            ("say", {"person": who, "message": f"reminder: {params['message']}"}),
        ]


@register_task
class PutAwayDelivery(MoveTask):
    """A grocery delivery left inside the front door is put away where each thing keeps."""

    name = "put_away_delivery"
    category = "groceries"
    goal = "put the delivery away: {objects}"
    categories = ("food", "drink")
    count = (2, 3)
    start = ("counter",)  # replaced: delivered at the door (see arrange)
    needs = ("front_door",)
    state = {"quantity": 1.0}

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Fresh packs of two or three groceries on the floor inside the front door."""
        lay = env.layout
        door = fixtures_of(lay, "front_door")[0]
        x0, y0, _ = lay.approach[door]
        cands = [
            n
            for n in objects_of(env, categories=self.categories)
            if OBJECT_KINDS[env.world.objects[n].kind].consumable
            and lay.objects[n].home[1] in lay.fixtures
        ]
        rng.shuffle(cands)
        chosen = sorted(cands[: rng.randint(*self.count)], key=list(env.world.objects).index)
        if len(chosen) < self.count[0]:
            raise TaskSampleError("not enough groceries in this home")
        for n in chosen:
            o = env.world.objects[n]
            o.quantity, o.spoiled, o.warm_s, o.temp = 1.0, False, 0.0, 20.0
            _drop_near(env, n, x0, y0, rng)
        return {"objects": chosen}
