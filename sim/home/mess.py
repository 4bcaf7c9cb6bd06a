"""The work residents make: dirty dishes, worn clothes, toys on the floor, spills, groceries.

Each routine slot may name a piece of *work* (``breakfast``, ``cook``, ``dress``, ``play``,
...). When the slot begins, the resident takes what the work needs (clean dishes, a pot,
toys) and uses up groceries; when it ends, they leave it behind: dishes dirty on the
nearest table or on the kitchen counter, clothes in the laundry basket (or on the bed or
the floor), toys on the floor, now and then a spill on the floor. An adult who finishes a
piece of work wipes up the spills in the room they are in (children and pets do not), so a
spill lasts hours, not the whole run. A meal eats a dish cooked in the kitchen (the
robot's dinner), leaving its pot empty and dirty. Every choice is drawn
from the ``random.Random`` the caller seeds with the episode seed, the resident and the
time of the slot change, never from how often anyone looked.

A pet eats from its bowl (the ``pet_bowl_mat``'s ``fill``: 40-80% of a bowl a meal),
which the robot fills (see :mod:`sim.home.housework`); without a bowl it eats from the
bag. Groceries (``ObjectState.quantity``) run down by a seeded amount at each meal. A package
that reaches 0 is *used up*: it keeps its name and kind with ``quantity == 0`` and the
resident leaves the empty package on the kitchen counter, where the robot (or a grocery
task) finds it to throw away and restock. Residents use only what the home has: a kind
the plan lacks is skipped, and when every clean plate is dirty they eat without one (the
backlog is the robot's job, not theirs).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from housemind.sim.home.catalogue import OBJECT_KINDS
from housemind.sim.home.layout import HomeLayout
from housemind.sim.home.placement import has_room, put_in_fixture
from housemind.sim.home.walking import FloorPlanner
from housemind.sim.home.world import (
    BURNT_AT,
    ObjectState,
    ResidentState,
    SpillState,
    WorldState,
)

__all__ = ["MEALS", "WORK", "Meal", "MessMaker"]

#: An empty package is left on the first fixture of these kinds in the kitchen.
_EMPTY_TO = ("counter", "island", "table")
#: Where dishes end up when they are not left where the meal was.
_DISH_DUMP = ("counter", "island", "sink")
#: Surfaces a meal's dishes may be left on, nearest first.
_DISH_SURFACES = ("table", "coffee_table", "desk", "island", "counter", "nightstand")
#: Doneness of a cooked dish, and of a burnt one (``sim.home.world.BURNT_AT``).
_COOKED = 1.0
#: Where clean clothes are not (they are in the wash or waiting for it).
_LAUNDRY = ("laundry_basket", "washer", "dryer")


@dataclass(frozen=True)
class Meal:
    """What a meal or a bout of cooking uses and leaves.

    Attributes:
        dishes: One object per entry, of any of the entry's kinds (a mug or a glass).
        food: ``(kinds, lo, hi)``: uses ``U(lo, hi)`` of the first kind the home has.
        spill: Chance of a spill on the floor afterwards.
        spill_kinds: What gets spilt (``water``, ``juice``, ``milk``).
        on_stove: Kinds left on the stove afterwards (cookware); the rest go to the
            counter (cooking) or the table (eating).
        cooking: Dishes are left at the counter and stove, not at the table.
        in_water: Cooked in water (boiled), else fried dry (see
            :mod:`sim.home.appliances`).
    """

    dishes: tuple[tuple[str, ...], ...]
    food: tuple[tuple[tuple[str, ...], float, float], ...] = ()
    spill: float = 0.0
    spill_kinds: tuple[str, ...] = ("water",)
    on_stove: tuple[str, ...] = ()
    cooking: bool = False
    in_water: bool = False


_DRINK = ("mug", "glass")
_CUTLERY = ("spoon", "fork", "knife")

#: Meals and cooking by work name.
MEALS: dict[str, Meal] = {
    "breakfast": Meal(
        dishes=(_DRINK, ("plate", "bowl"), _CUTLERY),
        food=(
            (("coffee",), 0.04, 0.08),
            (("milk",), 0.05, 0.12),
            (("bread", "cereal"), 0.08, 0.15),
        ),
        spill=0.03,
        spill_kinds=("water", "milk"),
    ),
    "breakfast_child": Meal(
        dishes=(("bowl", "plate"), ("spoon", "fork"), ("glass", "mug")),
        food=(
            (("cereal", "bread"), 0.08, 0.15),
            (("milk",), 0.08, 0.15),
            (("juice", "milk"), 0.08, 0.15),
        ),
        spill=0.08,
        spill_kinds=("milk", "juice"),
    ),
    "brunch": Meal(
        dishes=(("plate",), ("mug", "glass"), ("fork", "spoon"), ("knife",)),
        food=(
            (("bread",), 0.1, 0.2),
            (("juice", "milk"), 0.1, 0.2),
            (("coffee",), 0.05, 0.1),
            (("cheese",), 0.05, 0.12),
        ),
        spill=0.04,
        spill_kinds=("juice", "water"),
    ),
    "brunch_child": Meal(
        dishes=(("plate", "bowl"), ("glass", "mug"), ("fork", "spoon")),
        food=((("eggs", "cereal"), 0.1, 0.2), (("juice", "milk"), 0.1, 0.2)),
        spill=0.08,
        spill_kinds=("juice", "milk"),
    ),
    "lunch": Meal(
        dishes=(("plate", "bowl"), ("glass", "mug"), ("fork", "spoon")),
        food=((("bread", "soup", "rice"), 0.1, 0.2), (("cheese",), 0.05, 0.12)),
        spill=0.03,
    ),
    "lunch_child": Meal(
        dishes=(("plate", "bowl"), ("glass", "mug"), ("fork", "spoon")),
        food=((("bread", "pasta", "soup"), 0.08, 0.15), (("milk", "juice"), 0.08, 0.15)),
        spill=0.08,
        spill_kinds=("juice", "water", "milk"),
    ),
    "snack": Meal(
        dishes=(("plate", "bowl"), ("glass", "mug")),
        food=((("milk", "juice"), 0.08, 0.15), (("bread", "cheese", "cereal"), 0.05, 0.12)),
        spill=0.08,
        spill_kinds=("juice", "milk"),
    ),
    "dinner": Meal(
        dishes=(("plate", "bowl"), ("fork", "spoon"), ("glass", "wine_glass", "mug")),
        spill=0.04,
        spill_kinds=("water",),
    ),
    "dinner_child": Meal(
        dishes=(("plate", "bowl"), ("fork", "spoon"), ("glass", "mug")),
        food=((("milk", "juice"), 0.05, 0.1),),
        spill=0.08,
        spill_kinds=("water", "juice", "milk"),
    ),
    "tea": Meal(dishes=(("mug", "wine_glass", "glass"),), food=((("milk",), 0.0, 0.05),)),
    "cook": Meal(
        dishes=(("pot", "pan"), ("cutting_board",), ("knife",)),
        food=(
            (("pasta", "rice", "soup", "eggs"), 0.2, 0.35),
            (("cheese", "milk"), 0.05, 0.12),
        ),
        on_stove=("pot", "pan"),
        cooking=True,
        in_water=True,
    ),
    "cook_brunch": Meal(
        dishes=(("pan", "pot"), ("spoon", "fork")),
        food=((("eggs",), 0.15, 0.3),),
        on_stove=("pan", "pot"),
        cooking=True,
    ),
    "cook_lunch": Meal(
        dishes=(("pot", "pan"), ("spoon", "fork")),
        food=((("soup", "pasta", "rice"), 0.15, 0.3),),
        on_stove=("pot", "pan"),
        cooking=True,
        in_water=True,
    ),
}

#: Every work name a routine slot may use.
WORK = (*MEALS, "dress", "bath", "play", "pet_meal")


class MessMaker:
    """Applies the work of routine slots to the world.

    Args:
        layout: The floor plan.
        floor: Spots and paths of the same layout.
    """

    def __init__(self, layout: HomeLayout, floor: FloorPlanner) -> None:
        self.layout = layout
        self.floor = floor
        by_kind: dict[str, list[str]] = {}
        for name, f in layout.fixtures.items():
            by_kind.setdefault(f.kind, []).append(name)
        self._by_kind = by_kind
        kitchens = [n for n, r in layout.rooms.items() if r.kind == "kitchen"]
        self._kitchen_fixtures = [
            n
            for n, f in layout.fixtures.items()
            if f.room in kitchens or (not kitchens and f.kind in ("stove", "sink", "fridge"))
        ]

    # -- entry points ---------------------------------------------------------------------

    def begin(
        self, work: str, world: WorldState, who: str, st: ResidentState, rng: random.Random
    ) -> list[str]:
        """Start ``work``: take what it needs and use up groceries.

        Returns:
            The kinds of groceries used, in the meal's order (the cook cooks the first
            cookable one).
        """
        used: list[str] = []
        meal = MEALS.get(work)
        if meal is not None:
            if not meal.cooking and st.home:
                self._eat_what_was_cooked(world)
            for kinds in meal.dishes:
                self._take(world, who, st, kinds, rng)
            for kinds, lo, hi in meal.food:
                kind = self._consume(world, kinds, rng.uniform(lo, hi), rng)
                if kind:
                    used.append(kind)
        elif work == "play":
            toys = [
                n
                for n, o in world.objects.items()
                if _category(o) == "toy" and self._free(world, o)
            ]
            for name in rng.sample(toys, min(len(toys), rng.choice((1, 2, 2, 3)))):
                self._with(world, name, who, st)
        elif work == "pet_meal":
            amount = rng.uniform(0.04, 0.08)
            bowls = self._by_kind.get("pet_bowl_mat", [])
            if bowls:
                # The pet eats what is in its bowl (filling it is the robot's chore).
                fs = world.fixtures[bowls[0]]
                fs.fill = max(0.0, round(fs.fill - amount * 10.0, 3))
                if fs.fill <= 0.0:
                    fs.liquid = ""
            else:
                self._consume(world, ("pet_food",), amount, rng)
        return used

    def end(
        self,
        work: str,
        world: WorldState,
        who: str,
        st: ResidentState,
        rng: random.Random,
        stamp: str,
    ) -> None:
        """Finish ``work``: leave what was used, now and then a spill.

        Args:
            work: The work name.
            world: The state to change.
            who: The resident's name.
            st: Their state (where they are now).
            rng: Seeded from the episode seed, the resident and the time.
            stamp: Unique per resident and time; names any spill.
        """
        carried = [n for n, o in world.objects.items() if o.relation == "with" and o.place == who]
        if st.kind == "adult" and st.home:
            self._wipe_up(world, st)
        meal = MEALS.get(work)
        if meal is not None:
            self._leave_meal(world, meal, carried, st, rng)
            if st.home and rng.random() < meal.spill:
                self._spill(world, st, rng.choice(meal.spill_kinds), rng, stamp)
        elif work == "play":
            for name in carried:
                self._drop(world, name, st, rng)
        elif work in ("dress", "bath"):
            self._clothes(world, work, st, rng)
        elif work == "pet_meal" and st.kind == "dog" and st.home and rng.random() < 0.05:
            self._spill(world, st, "water", rng, stamp)
        for name in carried:  # anything still in hand goes down where they are
            o = world.objects[name]
            if o.relation == "with" and o.place == who:
                self._drop(world, name, st, rng)

    # -- taking and consuming -----------------------------------------------------------

    def _eat_what_was_cooked(self, world: WorldState) -> None:
        """A meal eats a dish cooked in the kitchen (the robot's dinner).

        The vessel is left empty and dirty where it stands, so a cooked dinner never lasts
        to the next day's.
        """
        for o in world.objects.values():
            if (
                o.food
                and o.cooked >= _COOKED
                and o.cooked < BURNT_AT
                and o.relation in ("on", "in")
                and o.place in self._kitchen_fixtures
                and not world.fixtures[o.place].on  # still cooking: not served yet
            ):
                o.food, o.cooked, o.liquid, o.fill = "", 0.0, "", 0.0
                o.dirty = True
                return

    def _free(self, world: WorldState, o: ObjectState) -> bool:
        """Not in someone's hands, not shut in a running appliance, not on a lit hob.

        A pot simmering on a switched-on stove is someone's cooking (the robot's dinner):
        a resident starting a meal takes another one, not that one off the heat.
        """
        if o.relation in ("held", "with"):
            return False
        if o.relation in ("in", "on"):
            fs = world.fixtures.get(o.place)
            if fs is not None and fs.on and self.layout.fixtures[o.place].kind != "sink":
                return False
        return True

    def _take(
        self,
        world: WorldState,
        who: str,
        st: ResidentState,
        kinds: tuple[str, ...],
        rng: random.Random,
    ) -> None:
        for kind in kinds:
            clean = [
                n
                for n, o in world.objects.items()
                if o.kind == kind
                and not o.dirty
                and o.relation in ("in", "on")
                and self._free(world, o)
            ]
            if clean:
                self._with(world, rng.choice(clean), who, st)
                return

    def _with(self, world: WorldState, name: str, who: str, st: ResidentState) -> None:
        o = world.objects[name]
        o.relation, o.place, o.x, o.y = "with", who, st.x, st.y

    def _consume(
        self, world: WorldState, kinds: tuple[str, ...], amount: float, rng: random.Random
    ) -> str:
        """Use ``amount`` of the first of ``kinds`` (shuffled) the home has; its kind."""
        if amount <= 0.0:
            return ""
        order = list(kinds)
        rng.shuffle(order)
        for kind in order:
            packs = [
                (o.quantity, n)
                for n, o in world.objects.items()
                if o.kind == kind and o.quantity > 0.0 and self._free(world, o)
            ]
            if not packs:
                continue
            _, name = min(packs)  # the open pack first
            o = world.objects[name]
            o.quantity = round(max(0.0, o.quantity - amount), 3)
            if o.quantity <= 0.0:
                o.quantity = 0.0
                self._leave_empty(world, name)
            return kind
        return ""

    def _leave_empty(self, world: WorldState, name: str) -> None:
        for kind in _EMPTY_TO:
            for f in self._by_kind.get(kind, ()):
                if f in self._kitchen_fixtures:
                    put_in_fixture(self.layout, world, name, f)
                    return

    # -- leaving things behind ------------------------------------------------------------

    def _nearest(
        self, kinds: tuple[str, ...], x: float, y: float, room: str | None = None
    ) -> str | None:
        best, bd = None, math.inf
        for kind in kinds:
            for f in self._by_kind.get(kind, ()):
                spec = self.layout.fixtures[f]
                if room is not None and spec.room != room:
                    continue
                d = spec.rect.distance(x, y)
                if d < bd:
                    best, bd = f, d
        return best

    def _leave_meal(
        self,
        world: WorldState,
        meal: Meal,
        carried: list[str],
        st: ResidentState,
        rng: random.Random,
    ) -> None:
        if not carried:
            return
        x, y = st.x, st.y
        room = self.layout.room_at(x, y) if st.home else None
        if meal.cooking:
            where = self._nearest(("counter", "island"), x, y, room) or self._nearest(
                _DISH_DUMP, x, y
            )
        elif rng.random() < 0.7:
            where = self._nearest(_DISH_SURFACES, x, y, room)
        else:
            where = None
        if where is None:
            where = self._kitchen_dump(rng)
        stove = self._nearest(("stove",), x, y)
        for name in carried:
            o = world.objects[name]
            spot = stove if o.kind in meal.on_stove and stove is not None else where
            if spot is not None and spot != stove and not has_room(self.layout, world, spot):
                # a full table: the rest goes on the nearest surface with room, as people
                # do, not in a pile nobody (and no robot) could take one thing from
                spot = self._nearest_with_room(world, (*_DISH_SURFACES, *_DISH_DUMP), x, y) or spot
            if spot is None:
                self._drop(world, name, st, rng)
            else:
                put_in_fixture(self.layout, world, name, spot, near=(x, y))
            if OBJECT_KINDS.get(o.kind) is None or OBJECT_KINDS[o.kind].can_be_dirty:
                o.dirty = True

    def _nearest_with_room(
        self, world: WorldState, kinds: tuple[str, ...], x: float, y: float
    ) -> str | None:
        best, bd = None, math.inf
        for kind in dict.fromkeys(kinds):
            for f in self._by_kind.get(kind, ()):
                d = self.layout.fixtures[f].rect.distance(x, y)
                if d < bd and has_room(self.layout, world, f):
                    best, bd = f, d
        return best

    def _kitchen_dump(self, rng: random.Random) -> str | None:
        cands = [f for f in self._kitchen_fixtures if self.layout.fixtures[f].kind in _DISH_DUMP]
        if not cands:
            cands = [f for k in _DISH_DUMP for f in self._by_kind.get(k, ())]
        return rng.choice(cands) if cands else None

    def _clothes(self, world: WorldState, work: str, st: ResidentState, rng: random.Random) -> None:
        laundry = {f for k in _LAUNDRY for f in self._by_kind.get(k, ())}
        worn = [
            n
            for n, o in world.objects.items()
            if _category(o) == "clothes"
            and not o.dirty
            and not (o.relation == "in" and o.place in laundry)
            and self._free(world, o)
        ]
        towels = [
            n
            for n, o in world.objects.items()
            if o.kind == "towel"
            and not o.dirty
            and not (o.relation == "in" and o.place in laundry)
            and self._free(world, o)
        ]
        n = rng.choice((1, 1, 2)) if work == "dress" else rng.choice((1, 2))
        chosen = rng.sample(worn, min(n, len(worn)))
        if towels and rng.random() < (0.35 if work == "dress" else 0.9):
            chosen.append(rng.choice(towels))
        # Mostly into the basket; on the bed (if there is one here) or the floor otherwise.
        x, y = st.x, st.y
        basket = self._nearest(("laundry_basket",), x, y)
        bed = self._nearest(("bed", "crib"), x, y, self.layout.room_at(x, y))
        tidy = (0.75 if work == "dress" else 0.6) + (0.0 if bed is not None else 0.15)
        for name in chosen:
            o = world.objects[name]
            o.dirty, o.folded, o.wet = True, False, False
            r = rng.random()
            if basket is not None and r < tidy:
                put_in_fixture(self.layout, world, name, basket, near=(x, y))
            elif bed is not None and r < tidy + 0.15:
                put_in_fixture(self.layout, world, name, bed, near=(x, y))
            else:
                self._drop(world, name, st, rng)

    def _drop(self, world: WorldState, name: str, st: ResidentState, rng: random.Random) -> None:
        """Put ``name`` on open floor near the resident (where the robot can pick it up)."""
        o = world.objects[name]
        x0, y0 = st.x, st.y
        if not st.home:  # they went out with it: it comes back to the kitchen
            spot = self._kitchen_dump(rng)
            if spot is not None:
                put_in_fixture(self.layout, world, name, spot)
                return
            x0, y0 = self.layout.dock[0], self.layout.dock[1]
        room = self.layout.room_at(x0, y0)
        occ = self.floor.occupancy
        for _ in range(60):
            a = rng.uniform(-math.pi, math.pi)
            r = rng.uniform(0.5, 1.8)
            x, y = x0 + r * math.cos(a), y0 + r * math.sin(a)
            if occ.clearance(x, y) < 0.45 or self.layout.room_at(x, y) != room:
                continue
            if any(
                (p.relation == "floor" and math.hypot(p.x - x, p.y - y) < 0.5)
                for n, p in world.objects.items()
                if n != name
            ):
                continue
            o.relation, o.place, o.x, o.y = "floor", room, round(x, 3), round(y, 3)
            return
        spot = self._nearest(_DISH_SURFACES + ("sofa", "bed", "shelf"), x0, y0, room)
        if spot is not None:
            put_in_fixture(self.layout, world, name, spot, near=(x0, y0))
        else:
            o.relation, o.place, o.x, o.y = "floor", room, round(x0, 3), round(y0, 3)

    def _wipe_up(self, world: WorldState, st: ResidentState) -> None:
        """An adult who finishes a piece of work wipes up the spills in the room they are in."""
        room = self.layout.room_at(st.x, st.y)
        room_at = self.layout.room_at
        for name in [n for n, sp in world.spills.items() if room_at(sp.x, sp.y) == room]:
            del world.spills[name]

    def _spill(
        self, world: WorldState, st: ResidentState, kind: str, rng: random.Random, stamp: str
    ) -> None:
        """A puddle on open floor beside the resident (slippery until wiped)."""
        occ = self.floor.occupancy
        room = self.layout.room_at(st.x, st.y)
        for _ in range(30):
            a = rng.uniform(-math.pi, math.pi)
            r = rng.uniform(0.3, 0.7)
            x, y = st.x + r * math.cos(a), st.y + r * math.sin(a)
            if occ.clearance(x, y) >= 0.3 and self.layout.room_at(x, y) == room:
                world.spills[f"{kind}_spill_{stamp}"] = SpillState(
                    round(x, 3), round(y, 3), round(rng.uniform(0.2, 0.35), 3), kind
                )
                return


def _category(o: ObjectState) -> str:
    k = OBJECT_KINDS.get(o.kind)
    return k.category if k is not None else ""
