"""Residents operating the home's appliances: cooking on the stove, the kettle, laundry, dishes.

Some routine work (:data:`CHORES`, and the cooking meals of :mod:`sim.home.mess`) runs an
appliance through :class:`~sim.home.processes.Processes`, the same rules the robot's
switch and door actions go through, so heat, boiling, cooking and programmes follow:

* **cooking** (``cook``, ``cook_lunch``, ``cook_brunch``): the cook clears the stove of
  whatever else is on it (onto the nearest counter), puts a pot with 1.2-1.8 L of water
  (dinner, lunch; a used pot is rinsed if no clean one is left) or a dry pan (brunch's
  eggs) on it with the food the meal used, switches the burner on and checks the food
  from time to time; when it is cooked (:data:`DONE_AT`) the burner goes off (fried food
  comes off the pan at once). At the end of the slot the burner is off whatever
  happened, the food is served (the vessel is emptied) and the vessel stays on the stove,
  dirty and hot. Now and then (:data:`FORGET_STOVE` of
  cookings) the cook is distracted: the burner stays on, past the end of the slot, until
  they remember (30-55 min after lighting it) or the food starts to smoke (checked every
  minute, so burnt food is possible but a fire is not).
* **kettle**: an adult's breakfast or brunch fills the kettle (0.5-1.0 L) and switches it
  on; it switches itself off at the boil.
* **laundry_wash**: the dirty washables in the laundry basket go into the washer, which
  starts; **laundry_dry**: wet laundry in the finished washer goes into the dryer, which
  starts (clean, dry laundry stays in the dryer: folding it is the robot's job).
* **load_dishwasher**: 4-9 dirty dishes from the tables and the kitchen's counters and
  sink (none hot), nearest first, go into the
  dishwasher, which runs if it then holds at least :data:`MIN_DISHWASHER_LOAD` dirty ones.

Timed steps are world timers named ``<resident>:<step>`` (``alex:cook_check``), so a
checkpoint taken mid-cooking resumes identically and a jump of a week fires them at the
same times as small steps would. Every choice is drawn from a generator seeded with the
episode seed, the resident and the time.
"""

from __future__ import annotations

import math
import random

from housemind.sim.home.catalogue import OBJECT_KINDS
from housemind.sim.home.hazards import HOT_C
from housemind.sim.home.layout import HomeLayout
from housemind.sim.home.mess import MEALS
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.processes import Processes, add_food, burning, is_burnt
from housemind.sim.home.world import ResidentState, WorldState

__all__ = [
    "CHORES",
    "DONE_AT",
    "FORGET_STOVE",
    "KETTLE_MEALS",
    "MIN_DISHWASHER_LOAD",
    "ApplianceUse",
]

#: Work that runs an appliance and makes no mess of its own.
CHORES = ("laundry_wash", "laundry_dry", "load_dishwasher")
#: An adult's meals that start with boiling the kettle.
KETTLE_MEALS = ("breakfast", "brunch")
#: Doneness at which the cook switches the burner off.
DONE_AT = 1.0
#: Chance that the cook forgets the burner (it stays on until they remember or smell smoke).
FORGET_STOVE = 0.03
#: The dishwasher runs only with at least this many dirty dishes inside.
MIN_DISHWASHER_LOAD = 3
_WATER_L = (1.2, 1.8)  # water in the pot (L)
_KETTLE_L = (0.5, 1.0)
_FIRST_CHECK_S = {True: (840.0, 1020.0), False: (90.0, 150.0)}  # by "in water"
_CHECK_EVERY_S = {True: (60.0, 120.0), False: (20.0, 40.0)}
_SMOKE_CHECK_S = 60.0  # a distracted cook still notices smoke within this
_REMEMBER_S = (30 * 60.0, 55 * 60.0)
_DISH_LOAD = (4, 9)
_DISH_FROM = ("counter", "island", "sink", "table")


class ApplianceUse:
    """Applies the appliance side of residents' work (see the module docstring).

    Args:
        layout: The floor plan.
        processes: The env's processes (switching and opening go through them).
    """

    def __init__(self, layout: HomeLayout, processes: Processes) -> None:
        self.layout = layout
        self.proc = processes
        by_kind: dict[str, list[str]] = {}
        for name, f in layout.fixtures.items():
            by_kind.setdefault(f.kind, []).append(name)
        self._by_kind = by_kind
        kitchens = {n for n, r in layout.rooms.items() if r.kind == "kitchen"}
        stoves = by_kind.get("stove", [])
        if not kitchens and stoves:
            kitchens = {layout.fixtures[stoves[0]].room}
        self._kitchen = kitchens

    # -- slot boundaries ----------------------------------------------------------------

    def begin(
        self,
        work: str,
        world: WorldState,
        who: str,
        st: ResidentState,
        used: list[str],
        rng: random.Random,
        now: float,
    ) -> None:
        """Start ``work`` at clock seconds ``now``; ``used`` are the groceries it used."""
        meal = MEALS.get(work)
        if meal is not None and meal.cooking:
            self._start_cooking(work, world, who, st, used, rng, now)
        elif work in KETTLE_MEALS and st.kind == "adult":
            self._boil_kettle(world, rng, now)
        elif work == "laundry_wash":
            self._wash(world, now)
        elif work == "laundry_dry":
            self._dry(world, now)
        elif work == "load_dishwasher":
            self._load_dishwasher(world, st, rng, now)

    def end(self, work: str, world: WorldState, who: str, now: float) -> None:
        """Finish ``work`` at ``now``: a cook switches off and serves (unless distracted).

        Only their own cooking: a hob they did not light (the robot's, a test's) stays on.
        """
        meal = MEALS.get(work)
        if meal is None or not meal.cooking or f"{who}:cook_remember" in world.timers:
            return
        # The cook minds their own cooking: a hob someone else lit stays as it is.
        cooking = world.timers.pop(f"{who}:cook_check", None) is not None
        for stove in self._by_kind.get("stove", ()):
            if cooking and world.fixtures[stove].on:
                self._stove_off(world, who, stove, now)
            if world.fixtures[stove].on:
                continue
            for o in self._on(world, stove):
                if o.food and not is_burnt(o):  # served: drained and dished up
                    o.food, o.cooked, o.liquid, o.fill = "", 0.0, "", 0.0

    def fire(self, world: WorldState, who: str, step: str, rng: random.Random, now: float) -> None:
        """Apply timed step ``step`` of resident ``who`` at ``now``.

        Raises:
            ValueError: for an unknown step.
        """
        if step not in ("cook_check", "cook_remember"):
            raise ValueError(f"unknown resident timer step {step!r} of {who!r}")
        stove = self._cooking_stove(world)
        st = world.residents.get(who)
        if stove is None or not world.fixtures[stove].on:  # someone switched it off already
            world.timers.pop(f"{who}:cook_check", None)
            world.timers.pop(f"{who}:cook_remember", None)
            return
        food = [o for o in self._on(world, stove) if o.food]
        away = st is None or not st.home
        if step == "cook_remember":
            self._stove_off(world, who, stove, now)
            return
        if f"{who}:cook_remember" in world.timers:  # distracted: only smoke brings them
            if away or any(burning(o) for o in food):
                self._stove_off(world, who, stove, now)
            else:
                world.timers[f"{who}:cook_check"] = now + _SMOKE_CHECK_S
            return
        if away or not food or all(o.cooked >= DONE_AT for o in food):
            self._stove_off(world, who, stove, now)
            return
        wet = any(o.fill > 0.0 and o.liquid for o in food)
        world.timers[f"{who}:cook_check"] = now + rng.uniform(*_CHECK_EVERY_S[wet])

    # -- cooking ------------------------------------------------------------------------

    def _on(self, world: WorldState, fixture: str) -> list:
        return [
            o
            for o in world.objects.values()
            if o.place == fixture and (o.relation == "on" or o.relation == "in")
        ]

    def _cooking_stove(self, world: WorldState) -> str | None:
        stoves = self._by_kind.get("stove", ())
        for s in stoves:
            if any(o.food for o in self._on(world, s)):
                return s
        return stoves[0] if stoves else None

    def _nearest(self, kinds: tuple[str, ...], x: float, y: float) -> str | None:
        best, bd = None, math.inf
        for kind in kinds:
            for f in self._by_kind.get(kind, ()):
                d = self.layout.fixtures[f].rect.distance(x, y)
                if d < bd:
                    best, bd = f, d
        return best

    def _start_cooking(
        self,
        work: str,
        world: WorldState,
        who: str,
        st: ResidentState,
        used: list[str],
        rng: random.Random,
        now: float,
    ) -> None:
        stoves = self._by_kind.get("stove", ())
        if not stoves or world.fixtures[stoves[0]].on:
            return  # no stove, or someone is cooking on it already
        stove = stoves[0]
        meal = MEALS[work]
        kinds = meal.on_stove
        carried = {
            o.kind: n
            for n, o in world.objects.items()
            if o.relation == "with" and o.place == who and o.kind in kinds
        }
        vessel = carried.get(kinds[0])
        if vessel is None:  # no clean one of the kind this needs: rinse a used one
            free = sorted(
                n
                for n, o in world.objects.items()
                if o.kind == kinds[0]
                and o.relation in ("on", "in")
                and not (o.place in self.proc.programmes and world.fixtures[o.place].on)
            )
            vessel = free[0] if free else next(iter(carried.values()), None)
            if vessel is None:
                return
            world.objects[vessel].dirty = False
        r = self.layout.fixtures[stove].rect
        counter = self._nearest(("counter", "island"), r.cx, r.cy)
        for n, o in world.objects.items():  # clear the hob of what should not heat
            if n != vessel and o.place == stove and o.relation in ("on", "in") and counter:
                put_in_fixture(self.layout, world, n, counter, near=(r.cx, r.cy))
        put_in_fixture(self.layout, world, vessel, stove, near=(st.x, st.y))
        o = world.objects[vessel]
        food = next((k for k in used if _cookable(k)), "")
        if not food:  # the pantry is bare: they cook what they brought home
            food = next((k for ks, _, _ in meal.food for k in ks if _cookable(k)), "eggs")
        add_food(world, vessel, food)
        ok = OBJECT_KINDS.get(o.kind)
        wet = meal.in_water and ok is not None and ok.capacity_l > 0
        if wet:
            litres = min(rng.uniform(*_WATER_L), 0.8 * ok.capacity_l)
            o.liquid, o.fill = "water", round(litres / ok.capacity_l, 3)
        self.proc.placed(world, vessel, stove, now)
        self.proc.switch(world, stove, True, now)
        if rng.random() < FORGET_STOVE:
            world.timers[f"{who}:cook_remember"] = now + rng.uniform(*_REMEMBER_S)
            world.timers[f"{who}:cook_check"] = now + _SMOKE_CHECK_S
        else:
            world.timers[f"{who}:cook_check"] = now + rng.uniform(*_FIRST_CHECK_S[wet])

    def _stove_off(self, world: WorldState, who: str, stove: str, now: float) -> None:
        world.timers.pop(f"{who}:cook_check", None)
        world.timers.pop(f"{who}:cook_remember", None)
        self.proc.switch(world, stove, False, now)
        for o in self._on(world, stove):
            if o.food:
                o.dirty = True
                if not (o.fill > 0.0 and o.liquid) and not is_burnt(o):
                    o.food, o.cooked = "", 0.0  # fried food comes off the pan at once

    # -- kettle, laundry, dishes ----------------------------------------------------------

    def _boil_kettle(self, world: WorldState, rng: random.Random, now: float) -> None:
        for kettle in self._by_kind.get("kettle", ())[:1]:
            fs = world.fixtures[kettle]
            cap = self.proc.kettles.get(kettle, 0.0)
            if fs.on or cap <= 0.0:
                return
            litres = max(fs.fill * cap if fs.liquid == "water" else 0.0, rng.uniform(*_KETTLE_L))
            fs.liquid, fs.fill = "water", round(min(1.0, litres / cap), 3)
            self.proc.switch(world, kettle, True, now)

    def _load(self, world: WorldState, names: list[str], fixture: str, now: float) -> None:
        fs = world.fixtures[fixture]
        if self.layout.fixtures[fixture].openable and not fs.open:
            self.proc.set_open(world, fixture, True, now)
        for n in names:
            put_in_fixture(self.layout, world, n, fixture)
            self.proc.placed(world, n, fixture, now)
        if self.layout.fixtures[fixture].openable:
            self.proc.set_open(world, fixture, False, now)
        self.proc.switch(world, fixture, True, now)

    def _wash(self, world: WorldState, now: float) -> None:
        washers = self._by_kind.get("washer", ())
        baskets = set(self._by_kind.get("laundry_basket", ()))
        if not washers or world.fixtures[washers[0]].on:
            return
        dirty = [
            n
            for n, o in world.objects.items()
            if o.relation == "in"
            and o.place in baskets
            and o.dirty
            and _washes_in(o.kind, "washer")
        ]
        if dirty:
            self._load(world, dirty, washers[0], now)

    def _dry(self, world: WorldState, now: float) -> None:
        washers, dryers = self._by_kind.get("washer", ()), self._by_kind.get("dryer", ())
        if not washers or not dryers or world.fixtures[washers[0]].on:
            return
        if world.fixtures[dryers[0]].on:
            return
        wet = [
            n
            for n, o in world.objects.items()
            if o.relation == "in" and o.place == washers[0] and o.wet
        ]
        if wet:
            self._load(world, wet, dryers[0], now)

    def _load_dishwasher(
        self, world: WorldState, st: ResidentState, rng: random.Random, now: float
    ) -> None:
        machines = self._by_kind.get("dishwasher", ())
        if not machines or world.fixtures[machines[0]].on:
            return
        dw = machines[0]
        lay = self.layout
        r = lay.fixtures[dw].rect
        dirty = sorted(
            (lay.fixtures[o.place].rect.distance(r.cx, r.cy), n)
            for n, o in world.objects.items()
            if o.dirty
            and o.relation in ("on", "in")
            and o.place in lay.fixtures
            and (
                lay.fixtures[o.place].kind == "table"
                or (
                    lay.fixtures[o.place].kind in _DISH_FROM
                    and lay.fixtures[o.place].room in self._kitchen | {lay.fixtures[dw].room}
                )
            )
            and o.temp <= HOT_C
            and _washes_in(o.kind, "dishwasher")
        )
        take = [n for _, n in dirty[: rng.randint(*_DISH_LOAD)]]
        inside = sum(
            1 for o in world.objects.values() if o.relation == "in" and o.place == dw and o.dirty
        )
        if inside + len(take) >= MIN_DISHWASHER_LOAD:
            self._load(world, take, dw, now)


def _cookable(kind: str) -> bool:
    k = OBJECT_KINDS.get(kind)
    return k is not None and k.cookable


def _washes_in(kind: str, where: str) -> bool:
    k = OBJECT_KINDS.get(kind)
    return k is not None and where in k.washable_in
