"""Residents: who lives in the home, their daily routines, how they move, what work they make.

A household is an adult (always), optionally a child and a pet (a cat or a dog):
:func:`make_household` builds their routines and :func:`residents_for` picks the
household a floor plan declares. Routines are slots of local time ("breakfast at the
table from 07:00"), one list for weekdays and one for weekends (sleeping late, brunch,
home all day, a Saturday outing). Places are named by what they are near (``bed``,
``table``, ``sofa``, ``bathroom``, ``desk``, ``play``, ``door``, ``away``...) and resolved
on the layout to free floor spots beside those fixtures (:mod:`sim.home.walking`), so one
routine fits every plan. Slot times shift by a few seeded minutes from day to day; slots
that share a time in two routines shift together, so a parent and a child leave for school
together and a dog goes for its walk with its owner.

When a slot begins, the resident sets off along a path planned through the home and walks
it at about 1 m/s; where they are is a pure function of the time since setting off,
evaluated only when the simulator processes an event or while someone walks
(:meth:`ResidentSim.advance`), so a week with nobody moving costs a few hundred slot
changes. What they leave behind is :mod:`sim.home.mess`; the appliances they operate
(cooking on the stove, the kettle, the washer, dryer and dishwasher) are
:mod:`sim.home.appliances`, whose later steps (the cook checking the food) are world
timers named ``<resident>:<step>`` that the env hands back to :meth:`ResidentSim.fire_timer`.

Everything random is seeded from the episode seed, the resident and the time of the slot
change, never from how often the robot looked around.

The v1 apartment's one resident keeps v1's behaviour exactly (:data:`ALEX_ROUTINE`: fixed
spots, no walking, breakfast dishes only): the demo and the durable-run tests depend on it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from housemind.sim.home.appliances import CHORES, ApplianceUse
from housemind.sim.home.layout import RESIDENT_RADIUS, ROBOT_RADIUS, HomeLayout
from housemind.sim.home.mess import WORK, MessMaker
from housemind.sim.home.occupancy import PLAN_CLEARANCE
from housemind.sim.home.placement import put_in_fixture
from housemind.sim.home.processes import Processes
from housemind.sim.home.walking import FloorPlanner, floor_planner, position_along
from housemind.sim.home.world import ResidentState, WorldState

__all__ = [
    "ALEX_ROUTINE",
    "DEFAULT_RESIDENTS",
    "DOOR_LEFT_OPEN",
    "HOUSEHOLD_KINDS",
    "PET_KINDS",
    "PLACES",
    "WALK_SPEED",
    "Resident",
    "ResidentSim",
    "RoutineSlot",
    "make_household",
    "residents_for",
    "slot_at",
    "slots_of_day",
]

#: Who may live in a home.
HOUSEHOLD_KINDS = ("adult", "child", "cat", "dog")
#: Household members who are animals (perceived as ``pet``, not counted as people home).
PET_KINDS = ("cat", "dog")
#: Chance that a person going out leaves the front door open behind them.
DOOR_LEFT_OPEN = 0.03
#: Walking speed (m/s) by kind.
WALK_SPEED = {"adult": 1.0, "child": 0.8, "cat": 0.9, "dog": 1.1}
#: Names given to household members, in order, by kind.
_NAMES = {
    "adult": ("alex", "jamie", "robin"),
    "child": ("sam", "mia", "leo"),
    "cat": ("luna", "tom"),
    "dog": ("rex", "bella"),
}
#: Places a routine slot may name, and what they resolve to on a layout.
PLACES = (
    "away",  # out of the home (walks to the front door first)
    "bath",  # bathtub, else the bathroom sink
    "bathroom",  # bathroom sink, toilet or bathtub
    "bed",  # the resident's own bed (a child's bed or crib is in their room)
    "bowl",  # the pet's bowl mat, else the kitchen floor
    "desk",  # desk, else the table
    "door",  # just inside the front door
    "dishwasher",  # the dishwasher, else the kitchen sink
    "follow",  # (pets) beside the nearest person at home, else wandering
    "kitchen",  # as near the stove as they can get (watching the cook), nearest first
    "pet_bed",  # (pets) the floor by the sofa or a bed
    "play",  # open floor of the child's room, else the living room
    "play_living",  # open floor of the living room
    "sofa",  # sofa or armchair
    "stove",  # stove, else oven, microwave or counter
    "table",  # the kitchen or dining table, else an island, counter or coffee table
    "wander",  # (pets) open floor here and there
    "washer",  # the washer, else the dryer
)
#: Places whose spot is drawn at random each time (the others use the first free one).
_RANDOM_PLACES = ("play", "play_living", "wander", "follow")
#: How far from the stove (m) the ``kitchen`` place's spots may be.
_KITCHEN_NEAR_STOVE = 2.0
#: Fixture kinds (and room kinds, None for any) tried in order for fixture places.
_FIXTURE_PLACES: dict[str, tuple[tuple[str, tuple[str, ...] | None], ...]] = {
    "table": (
        ("table", ("kitchen", "dining_room")),
        ("table", None),
        ("island", None),
        ("counter", None),
        ("coffee_table", None),
        ("desk", None),
    ),
    "stove": (("stove", None), ("oven", None), ("microwave", None), ("counter", None)),
    "sofa": (("sofa", None), ("armchair", None), ("coffee_table", None)),
    "desk": (("desk", None), ("table", None), ("sofa", None)),
    "bathroom": (("bathroom_sink", None), ("toilet", None), ("bathtub", None)),
    "bath": (("bathtub", None), ("bathroom_sink", None)),
    "bowl": (("pet_bowl_mat", None),),
    "door": (("front_door", None),),
    "pet_bed": (("sofa", None), ("armchair", None), ("bed", None)),
    "washer": (("washer", None), ("dryer", None)),
    "dishwasher": (("dishwasher", None), ("sink", None)),
}
#: Rooms whose open floor stands in when a plan has none of a place's fixtures.
_ROOM_FALLBACK = {
    "bathroom": ("bathroom",),
    "bath": ("bathroom",),
    "bowl": ("kitchen",),
    "door": ("entry", "hallway"),
}
_CHILD_ROOM_WORDS = ("kid", "child", "nursery")
_KEEP_APART = 2 * RESIDENT_RADIUS  # two people's spots at least this far apart (m)
#: Two people this far apart leave the robot room to pass between them (m).
_ROOMY = 2 * (RESIDENT_RADIUS + PLAN_CLEARANCE) + 0.1
#: A person's spot keeps this far from the robot's centre, so they never stand on it (m).
_CLEAR_OF_ROBOT = RESIDENT_RADIUS + ROBOT_RADIUS + 0.05
#: A person asked to let the robot past steps at least this far aside (m).
_STEP_ASIDE_M = 0.8


@dataclass(frozen=True)
class RoutineSlot:
    """What a resident does from ``start`` (local time) until the next slot begins.

    v1 slots name a ``room`` and fixed ``spots`` (the resident appears there); routines
    built for any plan name a ``place`` instead, resolved on the layout, and walk there.

    Attributes:
        start: Local time the slot begins.
        activity: ``asleep``, ``breakfast``, ``away``, ...
        room: (v1) Room they are in, None when away.
        spots: (v1) Where they stand or sit; the first one not on top of the robot is used.
        takes: (v1) Objects they pick up at the start (unless the robot holds them).
        leaves_on: (v1) Fixtures where objects they carry are left, dirty, at the end.
        place: Where they go (see :data:`PLACES`); empty for v1 slots.
        work: What they use and leave behind (see :data:`sim.home.mess.WORK`).
        only: Weekdays (0 = Monday) the slot applies on; empty for every day.
        every: ``(lo, hi)`` minutes: the slot repeats after a seeded gap in that range
            until the next slot (a pet wandering from spot to spot).
        needs: A fixture kind the slot needs (``dishwasher``); dropped on plans without.
        chance: Seeded chance per day that the slot happens at all.
        lasts: ``(lo, hi)`` minutes: an interlude; after a seeded time in that range the
            slot before it resumes (a child popping into the kitchen).
    """

    start: time
    activity: str
    room: str | None = None
    spots: tuple[tuple[float, float], ...] = ()
    takes: tuple[str, ...] = ()
    leaves_on: tuple[str, ...] = ()
    place: str = ""
    work: str = ""
    only: tuple[int, ...] = ()
    every: tuple[float, float] | tuple[()] = ()
    needs: str = ""
    chance: float = 1.0
    lasts: tuple[float, float] | tuple[()] = ()


@dataclass(frozen=True)
class Resident:
    """A person (or pet) and their routine (slots sorted by start, the first at 00:00).

    Attributes:
        name: Unique name (``alex``).
        kind: One of :data:`HOUSEHOLD_KINDS`.
        routine: Weekday slots (every day if ``weekend`` is empty).
        weekend: Saturday and Sunday slots.
        jitter_min: Slot starts (but the first) shift by up to this many seeded minutes.
    """

    name: str
    kind: str
    routine: tuple[RoutineSlot, ...]
    weekend: tuple[RoutineSlot, ...] = ()
    jitter_min: float = 0.0

    @property
    def fixed(self) -> bool:
        """A v1 resident: fixed spots, no walking."""
        return any(s.spots for s in self.routine)


_BED = ((1.0, 3.5), (1.0, 3.0))
_SOFA = ((7.5, 7.5), (8.7, 7.5))
_KITCHEN_SEAT = ((2.4, 4.85), (1.4, 4.85))

#: Alex's weekday-style routine (v1 uses it every day).
ALEX_ROUTINE: tuple[RoutineSlot, ...] = (
    RoutineSlot(time(0, 0), "asleep", "bedroom", _BED),
    RoutineSlot(
        time(7, 0),
        "breakfast",
        "kitchen",
        _KITCHEN_SEAT,
        takes=("mug", "plate"),
        leaves_on=("table", "counter"),
    ),
    RoutineSlot(time(7, 30), "getting_ready", "bathroom", ((7.0, 1.5), (7.0, 2.3))),
    RoutineSlot(time(7, 45), "leaving", "hallway", ((4.75, 0.5), (4.75, 7.4))),
    RoutineSlot(time(8, 0), "away", None),
    RoutineSlot(time(17, 30), "relaxing", "living_room", _SOFA),
    RoutineSlot(time(18, 0), "dinner", "kitchen", _KITCHEN_SEAT),
    RoutineSlot(time(18, 45), "relaxing", "living_room", _SOFA),
    RoutineSlot(time(22, 30), "asleep", "bedroom", _BED),
)

#: The v1 household: one adult.
DEFAULT_RESIDENTS = (Resident("alex", "adult", ALEX_ROUTINE),)


def slot_at(routine: tuple[RoutineSlot, ...], t: time) -> RoutineSlot:
    """The slot of ``routine`` in force at local time ``t``."""
    cur = routine[0]
    for s in routine:
        if s.start <= t:
            cur = s
        else:
            break
    return cur


def slots_of_day(r: Resident, weekday: int) -> tuple[RoutineSlot, ...]:
    """``r``'s slots on a weekday (0 = Monday), before jitter and chance, in order."""
    base = r.weekend if weekday >= 5 and r.weekend else r.routine
    return tuple(
        sorted((s for s in base if not s.only or weekday in s.only), key=lambda s: s.start)
    )


# -- routines -------------------------------------------------------------------------------


def _s(
    hhmm: str,
    activity: str,
    place: str,
    work: str = "",
    *,
    only: tuple[int, ...] = (),
    every: tuple[float, float] | tuple[()] = (),
    needs: str = "",
    chance: float = 1.0,
    lasts: tuple[float, float] | tuple[()] = (),
) -> RoutineSlot:
    h, m = hhmm.split(":")
    return RoutineSlot(
        time(int(h), int(m)),
        activity,
        place=place,
        work=work,
        only=only,
        every=every,
        needs=needs,
        chance=chance,
        lasts=lasts,
    )


_SAT, _SUN = (5,), (6,)


def _dog_walk(back: str = "20:30", then: str = "sofa") -> tuple[RoutineSlot, ...]:
    return (
        _s("19:50", "walking_dog", "door"),
        _s("20:00", "walking_dog", "away"),
        _s(back, "relaxing", then, "tea"),
    )


#: After dinner the adult loads the dishwasher (where there is one).
_DISHES = (_s("19:10", "tidying", "dishwasher", "load_dishwasher", needs="dishwasher"),)


def _hungry(hhmm: str) -> RoutineSlot:
    """While dinner (or lunch) cooks, a child now and then comes to see what is cooking."""
    return _s(hhmm, "hungry", "kitchen", chance=0.5, lasts=(4.0, 10.0))


def _adult(has_child: bool, has_dog: bool) -> tuple[tuple[RoutineSlot, ...], ...]:
    walk = _dog_walk() if has_dog else ()
    weekday = (
        _s("00:00", "asleep", "bed"),
        _s("06:40", "getting_ready", "bathroom", "dress"),
        _s("07:00", "breakfast", "table", "breakfast"),
        _s("07:45", "leaving", "door"),
        _s("07:55", "away", "away"),
        # With a child at school the adult works mornings and picks them up.
        _s("15:15" if has_child else "16:45", "working", "desk"),
        _s("17:20", "relaxing", "sofa"),
        _s("17:50", "cooking", "stove", "cook"),
        _s("18:30", "dinner", "table", "dinner"),
        *_DISHES,
        _s("19:25", "relaxing", "sofa", "tea"),
        *walk,
        _s("21:15", "working", "desk"),
        _s("22:00", "getting_ready", "bathroom"),
        _s("22:20", "asleep", "bed"),
    )
    weekend = (
        _s("00:00", "asleep", "bed"),
        _s("08:30", "getting_ready", "bathroom", "dress"),
        _s("09:00", "relaxing", "sofa", "tea"),
        _s("09:45", "cooking", "stove", "cook_brunch"),
        _s("10:15", "brunch", "table", "brunch"),
        _s("11:00", "hobby", "desk", only=_SUN),
        # Saturday is laundry day: wash, then (later) into the dryer.
        _s("11:00", "laundry", "washer", "laundry_wash", only=_SAT, needs="washer"),
        _s("11:10", "hobby", "desk", only=_SAT),
        _s("12:00", "laundry", "washer", "laundry_dry", only=_SAT, needs="dryer"),
        _s("12:15", "cooking", "stove", "cook_lunch"),
        _s("12:45", "lunch", "table", "lunch"),
        _s("13:30", "leaving", "door", only=_SAT),
        _s("13:40", "outing", "away", only=_SAT),
        _s("13:30", "relaxing", "sofa", only=_SUN),
        _s("17:00", "relaxing", "sofa"),
        _s("17:50", "cooking", "stove", "cook"),
        _s("18:30", "dinner", "table", "dinner"),
        *_DISHES,
        _s("19:25", "relaxing", "sofa", "tea"),
        *walk,
        _s("22:30", "getting_ready", "bathroom"),
        _s("23:00", "asleep", "bed"),
    )
    return weekday, weekend


def _child() -> tuple[tuple[RoutineSlot, ...], ...]:
    weekday = (
        _s("00:00", "asleep", "bed"),
        _s("07:00", "getting_ready", "bathroom", "dress"),
        _s("07:15", "breakfast", "table", "breakfast_child"),
        _s("07:45", "leaving", "door"),
        _s("07:55", "school", "away"),
        _s("15:15", "snack", "table", "snack"),
        _s("15:45", "playing", "play", "play"),
        _s("17:00", "playing", "play_living", "play"),
        _hungry("18:05"),
        _s("18:30", "dinner", "table", "dinner_child"),
        _s("19:10", "bath", "bath", "bath"),
        _s("19:40", "asleep", "bed"),
    )
    weekend = (
        _s("00:00", "asleep", "bed"),
        _s("08:00", "playing", "play", "play"),
        _s("09:00", "watching_tv", "sofa"),
        _s("10:15", "brunch", "table", "brunch_child"),
        _s("11:00", "playing", "play_living", "play"),
        _hungry("12:25"),
        _s("12:45", "lunch", "table", "lunch_child"),
        _s("13:30", "leaving", "door", only=_SAT),
        _s("13:40", "outing", "away", only=_SAT),
        _s("13:30", "playing", "play", "play", only=_SUN),
        _s("17:00", "snack", "table", "snack"),
        _s("17:30", "playing", "play_living", "play"),
        _hungry("18:05"),
        _s("18:30", "dinner", "table", "dinner_child"),
        _s("19:10", "bath", "bath", "bath"),
        _s("20:00", "asleep", "bed"),
    )
    return weekday, weekend


def _pet(kind: str, back: str) -> tuple[tuple[RoutineSlot, ...], ...]:
    dog = kind == "dog"
    evening = (
        (
            _s("19:50", "waiting", "door"),
            _s("20:00", "walk", "away"),
            _s("20:30", "following", "follow", every=(10, 30)),
        )
        if dog
        else (_s("20:00", "napping", "pet_bed"),)
    )
    weekday = (
        _s("00:00", "asleep", "pet_bed"),
        _s("06:45", "wandering", "wander", every=(5, 12)),
        _s("07:00", "eating", "bowl", "pet_meal"),
        _s("07:20", "following", "follow", every=(5, 15)),
        _s("07:55", "napping", "pet_bed"),
        _s("11:00", "wandering", "wander", every=(30, 60)),
        _s("13:00", "napping", "pet_bed"),
        _s(back, "greeting", "door"),
        _s(_plus(back, 10), "following", "follow", every=(10, 30)),
        _s("18:00", "eating", "bowl", "pet_meal"),
        _s("18:20", "following", "follow", every=(10, 30)),
        *evening,
        _s("22:00", "asleep", "pet_bed"),
    )
    weekend = (
        _s("00:00", "asleep", "pet_bed"),
        _s("07:30", "wandering", "wander", every=(20, 45)),
        _s("08:30", "eating", "bowl", "pet_meal"),
        _s("08:50", "following", "follow", every=(10, 30)),
        _s("13:40", "napping", "pet_bed", only=_SAT),
        _s("17:00", "following", "follow", every=(10, 30)),
        _s("18:00", "eating", "bowl", "pet_meal"),
        _s("18:20", "following", "follow", every=(10, 30)),
        *evening,
        _s("22:30", "asleep", "pet_bed"),
    )
    return weekday, weekend


def _plus(hhmm: str, minutes: int) -> str:
    h, m = (int(v) for v in hhmm.split(":"))
    t = h * 60 + m + minutes
    return f"{t // 60:02d}:{t % 60:02d}"


def make_household(kinds: Sequence[str]) -> tuple[Resident, ...]:
    """Residents with routines for a household such as ``("adult", "child", "dog")``.

    Members are named in order per kind (adults ``alex``, ``jamie``; children ``sam``,
    ``mia``; cats ``luna``; dogs ``rex``).

    Raises:
        ValueError: for an unknown kind or a household without an adult.
    """
    kinds = tuple(kinds)
    bad = [k for k in kinds if k not in HOUSEHOLD_KINDS]
    if bad:
        raise ValueError(
            f"unknown household member kind(s) {bad}; use {', '.join(HOUSEHOLD_KINDS)}"
        )
    if "adult" not in kinds:
        raise ValueError(f"household {list(kinds)} has no adult; every home needs one")
    has_child, has_dog = "child" in kinds, "dog" in kinds
    back = "15:15" if has_child else "16:45"
    counts: dict[str, int] = {}
    out = []
    for kind in kinds:
        i = counts.get(kind, 0)
        counts[kind] = i + 1
        names = _NAMES[kind]
        name = names[i] if i < len(names) else f"{names[0]}_{i + 1}"
        if kind == "adult":
            weekday, weekend = _adult(has_child, has_dog)
        elif kind == "child":
            weekday, weekend = _child()
        else:
            weekday, weekend = _pet(kind, back)
        out.append(Resident(name, kind, weekday, weekend, jitter_min=10.0))
    return tuple(out)


def residents_for(
    layout: HomeLayout, household: Sequence[str] | None = None
) -> tuple[Resident, ...]:
    """The residents of ``layout``: ``household`` if given, else the plan's own.

    The v1 apartment as drawn with its one adult keeps v1's alex
    (:data:`DEFAULT_RESIDENTS`).
    """
    if household is None:
        kinds = tuple(getattr(layout, "household", ("adult",)))
        if (
            kinds == ("adult",)
            and getattr(layout, "name", "apartment") == "apartment"
            and getattr(layout, "furniture_seed", None) is None
        ):
            return DEFAULT_RESIDENTS
        household = kinds
    return make_household(household)


# -- the simulation ------------------------------------------------------------------------


class ResidentSim:
    """Moves residents through their routines and applies the routines' side effects.

    Args:
        layout: The floor plan.
        residents: The people (and pets) who live here.
        start: The clock's start; walking times are clock elapsed seconds from it
            (needed unless every resident is a v1 one).
        processes: The env's processes; with them residents operate appliances
            (:mod:`sim.home.appliances`), without them they only make mess.

    Raises:
        ValueError: for a routine that does not start at 00:00, or names an unknown
            place or work.
    """

    def __init__(
        self,
        layout: HomeLayout,
        residents: tuple[Resident, ...],
        start: datetime | None = None,
        processes: Processes | None = None,
    ) -> None:
        self.layout = layout
        self.residents = {r.name: r for r in residents}
        self.start = start
        self._seed: int | None = None
        self._days: dict[tuple[str, date], list[tuple[datetime, RoutineSlot]]] = {}
        self._floor: FloorPlanner | None = None
        self._mess: MessMaker | None = None
        self._appliances: ApplianceUse | None = None
        self._kinds = {f.kind for f in layout.fixtures.values()}
        self._places: dict[str, dict[str, list[tuple[float, float]]]] = {}
        for r in residents:
            self._check(r)
        doors = [n for n, f in layout.fixtures.items() if f.kind == "front_door"]
        self._front_door = doors[0] if doors else None
        if any(not r.fixed for r in residents):
            self._floor = floor_planner(layout)
            self._mess = MessMaker(layout, self._floor)
            if processes is not None:
                self._appliances = ApplianceUse(layout, processes)
            self._resolve_places()

    def _check(self, r: Resident) -> None:
        for routine in (r.routine, r.weekend):
            if routine and routine[0].start != time(0, 0):
                raise ValueError(
                    f"{r.name}'s routine starts at {routine[0].start}, not 00:00; "
                    "begin it with the night's slot"
                )
        if r.fixed:
            return
        if self.start is None:
            raise ValueError("ResidentSim needs the clock's start for walking residents")
        for s in (*r.routine, *r.weekend):
            if s.place not in PLACES:
                raise ValueError(
                    f"{r.name}'s slot at {s.start} goes to unknown place {s.place!r}; "
                    f"places: {', '.join(PLACES)}"
                )
            if s.work and s.work not in WORK and s.work not in CHORES:
                raise ValueError(
                    f"{r.name}'s slot at {s.start} does unknown work {s.work!r}; "
                    f"work: {', '.join((*WORK, *CHORES))}"
                )

    def set_routine(self, resident: Resident) -> None:
        """Give a household member a new routine from now on (same name and kind).

        Raises:
            ValueError: for someone who does not live here, another kind, or a routine
                that does not start at 00:00 or names an unknown place or work.
        """
        old = self.residents.get(resident.name)
        if old is None or old.kind != resident.kind or old.fixed != resident.fixed:
            raise ValueError(
                f"{resident.name!r} ({resident.kind}) does not live here as such; residents: "
                f"{', '.join(f'{r.name} ({r.kind})' for r in self.residents.values())}"
            )
        self._check(resident)
        self.residents[resident.name] = resident
        self._days.clear()
        if not resident.fixed:
            self._places.pop(resident.name, None)
            self._resolve_places()

    # -- places ---------------------------------------------------------------------------

    def _fixtures(self, kind: str, room_kinds: tuple[str, ...] | None) -> list[str]:
        lay = self.layout
        return [
            n
            for n, f in lay.fixtures.items()
            if f.kind == kind and (room_kinds is None or lay.rooms[f.room].kind in room_kinds)
        ]

    def _rooms(self, kinds: tuple[str, ...]) -> list[str]:
        return [n for n, r in self.layout.rooms.items() if r.kind in kinds]

    def _largest_room(self) -> str:
        return max(self.layout.rooms.values(), key=lambda r: r.rect.width * r.rect.height).name

    def _living_room(self) -> str:
        rooms = self._rooms(("living_room",))
        if rooms:
            return rooms[0]
        sofas = self._fixtures("sofa", None)
        return self.layout.fixtures[sofas[0]].room if sofas else self._largest_room()

    def _beds(self) -> tuple[str | None, list[str]]:
        """The adults' bed and the children's beds, in order."""
        lay = self.layout
        beds = [n for n, f in lay.fixtures.items() if f.kind in ("bed", "crib")]

        def childish(n: str) -> bool:
            f = lay.fixtures[n]
            return f.kind == "crib" or any(w in f.room for w in _CHILD_ROOM_WORDS)

        def area(n: str) -> float:
            r = lay.fixtures[n].rect
            return r.width * r.height

        grown = [n for n in beds if not childish(n)] or beds
        adult = max(grown, key=area) if grown else None
        kids = [n for n in beds if childish(n)]
        kids += sorted((n for n in beds if n != adult and n not in kids), key=area)
        return adult, kids

    def _resolve_places(self) -> None:
        fl = self._floor
        assert fl is not None
        lay = self.layout
        adult_bed, kid_beds = self._beds()
        living = self._living_room()
        fallback = fl.floor_spots(living) or fl.floor_spots(self._largest_room())
        children = [r.name for r in self.residents.values() if r.kind == "child"]
        for r in self.residents.values():
            if r.fixed:
                continue
            places: dict[str, list[tuple[float, float]]] = {}
            bed = adult_bed
            if r.kind == "child" and kid_beds:
                bed = kid_beds[children.index(r.name) % len(kid_beds)]
            child_room = None
            if r.kind == "child" and bed is not None and bed != adult_bed:
                child_room = lay.fixtures[bed].room
            for s in (*r.routine, *r.weekend):
                p = s.place
                if p in places:
                    continue
                spots: list[tuple[float, float]] = []
                if p == "bed":
                    if bed is not None and r.kind == "child" and bed == adult_bed:
                        spots = self._fixture_place("sofa")  # no bed of their own
                    if not spots and bed is not None:
                        spots = fl.fixture_spots(bed)
                elif p == "play":
                    spots = fl.floor_spots(child_room) if child_room else []
                    spots = spots or fl.floor_spots(living)
                elif p == "play_living":
                    spots = fl.floor_spots(living)
                elif p in ("wander", "follow"):  # following no one: wandering
                    spots = self._wander_spots()
                elif p == "away":
                    spots = self._fixture_place("door")
                elif p == "kitchen":
                    spots = self._kitchen_spots()
                elif p == "pet_bed":
                    spots = self._fixture_place(p)
                    spots = spots[len(spots) // 2 :] or spots  # the far end of the sofa
                elif p == "desk":
                    # A grown-up does not work at the desk in a child's room (the child
                    # sleeps there); a child does their homework at their own.
                    kids_rooms = {lay.fixtures[b].room for b in kid_beds if b != adult_bed}
                    desks = [
                        d
                        for d in self._fixtures("desk", None)
                        if (
                            lay.fixtures[d].room == child_room
                            if r.kind == "child"
                            else lay.fixtures[d].room not in kids_rooms
                        )
                    ]
                    spots = next((fl.fixture_spots(d) for d in desks if fl.fixture_spots(d)), [])
                    spots = spots or self._fixture_place("table")
                else:
                    spots = self._fixture_place(p)
                places[p] = spots or fallback or [lay.dock[:2]]
            places.setdefault("door", self._fixture_place("door") or fallback)
            self._places[r.name] = places

    def _fixture_place(self, place: str) -> list[tuple[float, float]]:
        fl = self._floor
        assert fl is not None
        for kind, rooms in _FIXTURE_PLACES.get(place, ()):
            for f in self._fixtures(kind, rooms):
                spots = fl.fixture_spots(f)
                if spots:
                    return spots
        for room in self._rooms(_ROOM_FALLBACK.get(place, ())):
            spots = fl.floor_spots(room, 0.35)
            if spots:
                if place == "door":  # the spot nearest the outside
                    lay = self.layout
                    return sorted(
                        spots, key=lambda p: min(p[0], p[1], lay.width - p[0], lay.height - p[1])
                    )
                return spots
        return []

    def _kitchen_spots(self) -> list[tuple[float, float]]:
        """Spots by the stove, by fixtures and on open floor of its room near it, nearest first."""
        fl = self._floor
        assert fl is not None
        stoves = self._fixtures("stove", None)
        if not stoves:
            return self._fixture_place("table")
        f = self.layout.fixtures[stoves[0]]
        beside = [
            p
            for n, g in self.layout.fixtures.items()
            if g.room == f.room
            for p in fl.fixture_spots(n)
        ]
        near = [
            p
            for p in (*beside, *fl.floor_spots(f.room, 0.35))
            if f.rect.distance(*p) <= _KITCHEN_NEAR_STOVE
        ]
        return sorted(near, key=lambda p: f.rect.distance(*p))

    def _wander_spots(self) -> list[tuple[float, float]]:
        """A few open floor spots per room (not bathrooms): a pet's haunts."""
        fl = self._floor
        assert fl is not None
        out = []
        for name, room in self.layout.rooms.items():
            if room.kind == "bathroom":
                continue
            spots = fl.floor_spots(name)
            if spots:
                out.extend(spots[:: max(1, len(spots) // 3)][:3])
        return out

    # -- schedule -------------------------------------------------------------------------

    def _use_seed(self, seed: int) -> None:
        if seed != self._seed:
            self._seed = seed
            self._days.clear()

    def _day(self, r: Resident, day: date, tz: tzinfo | None) -> list[tuple[datetime, RoutineSlot]]:
        """``(start, slot)`` pairs of ``r`` on ``day``, jittered and expanded, in order."""
        key = (r.name, day)
        hit = self._days.get(key)
        if hit is not None:
            return hit
        slots = [
            s
            for s in slots_of_day(r, day.weekday())
            if (not s.needs or s.needs in self._kinds)
            and (
                s.chance >= 1.0
                or random.Random(
                    f"{self._seed}:{r.name}:{day.isoformat()}:{s.start.isoformat()}:chance"
                ).random()
                < s.chance
            )
        ]
        midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=tz)
        out: list[tuple[datetime, RoutineSlot]] = []
        for i, s in enumerate(slots):
            t = datetime.combine(day, s.start, tzinfo=tz)
            nxt = (
                datetime.combine(day, slots[i + 1].start, tzinfo=tz)
                if i + 1 < len(slots)
                else midnight
            )
            if i and r.jitter_min:
                # Seeded by the slot's time, not the resident: shared times shift together.
                u = random.Random(f"{self._seed}:{day.isoformat()}:{s.start.isoformat()}").random()
                cap = min(r.jitter_min * 60.0, (nxt - t).total_seconds() / 3.0)
                t += timedelta(seconds=round(u * cap))
            out.append((t, s))
            if s.lasts and i:
                rng = random.Random(f"{self._seed}:{r.name}:{day.isoformat()}:{i}:lasts")
                back = t + timedelta(seconds=round(rng.uniform(*s.lasts) * 60.0))
                if back < nxt - timedelta(minutes=1):
                    out.append((back, slots[i - 1]))  # the interlude over, back to before
            if s.every:
                rng = random.Random(f"{self._seed}:{r.name}:{day.isoformat()}:{i}")
                lo, hi = s.every
                h = t + timedelta(seconds=round(rng.uniform(lo, hi) * 60.0))
                while h < nxt - timedelta(minutes=5):
                    out.append((h, s))
                    h += timedelta(seconds=round(rng.uniform(lo, hi) * 60.0))
        if len(self._days) > 512:
            self._days.clear()
        self._days[key] = out
        return out

    def _slot_in_force(self, r: Resident, local: datetime) -> RoutineSlot:
        cur = None
        for t, s in self._day(r, local.date(), local.tzinfo):
            if t <= local:
                cur = s
            else:
                break
        assert cur is not None  # the first slot is at 00:00
        return cur

    def _starting(self, r: Resident, local: datetime) -> RoutineSlot | None:
        for t, s in self._day(r, local.date(), local.tzinfo):
            if t == local:
                return s
            if t > local:
                return None
        return None

    def next_boundary(self, local: datetime) -> datetime:
        """The first slot start of any resident strictly after ``local``."""
        best: datetime | None = None
        for day in (local.date(), local.date() + timedelta(days=1)):
            for r in self.residents.values():
                if r.fixed:
                    for s in slots_of_day(r, day.weekday()):
                        t = datetime.combine(day, s.start, tzinfo=local.tzinfo)
                        if t > local and (best is None or t < best):
                            best = t
                    continue
                for t, _ in self._day(r, day, local.tzinfo):
                    if t > local:
                        if best is None or t < best:
                            best = t
                        break
            if best is not None:
                return best
        raise AssertionError("a routine needs at least one slot")  # pragma: no cover

    # -- updates --------------------------------------------------------------------------

    def _elapsed(self, local: datetime) -> float:
        assert self.start is not None
        return (local - self.start).total_seconds()

    def initial(self, world: WorldState, local: datetime, seed: int) -> None:
        """Place everyone for the time ``local`` (used at reset)."""
        self._use_seed(seed)
        world.residents.clear()
        for r in self.residents.values():
            world.residents[r.name] = ResidentState(
                kind=r.kind, home=False, room=None, x=0.0, y=0.0, activity=""
            )
        for r in self.residents.values():
            if r.fixed:
                self._update_fixed(world, r, local, seed)
            else:
                rng = random.Random(f"{seed}:{r.name}:start:{local.isoformat()}")
                slot = self._slot_in_force(r, local)
                self._begin(world, r, slot, rng, self._elapsed(local), teleport=True)

    def update(self, world: WorldState, local: datetime, seed: int) -> bool:
        """Bring everyone to the slot in force at ``local``; True if anything changed.

        Args:
            world: The state to change.
            local: The local time of the transition (a boundary from
                :meth:`next_boundary`).
            seed: Episode seed; with the time it seeds the routine's random choices, so
                they do not depend on how often the robot looked around.
        """
        self._use_seed(seed)
        changed = False
        now_s = self._elapsed(local) if self._floor is not None else 0.0
        if self._floor is not None:
            self.advance(world, now_s)
        for r in self.residents.values():
            if r.fixed:
                changed |= self._update_fixed(world, r, local, seed)
                continue
            slot = self._starting(r, local)
            if slot is None:
                continue
            changed = True
            st = world.residents[r.name]
            rng = random.Random(f"{seed}:{r.name}:{local.isoformat()}")
            prev = self._slot_in_force(r, local - timedelta(microseconds=1))
            if prev.work:
                assert self._mess is not None
                if self._appliances is not None:
                    self._appliances.end(prev.work, world, r.name, now_s)
                self._mess.end(prev.work, world, r.name, st, rng, f"{r.name}_{int(now_s)}")
            used = self._begin(world, r, slot, rng, now_s, teleport=False)
            if self._appliances is not None and slot.work and st.home:
                # A generator of its own, so using appliances leaves the mess as it was.
                arng = random.Random(f"{seed}:{r.name}:{local.isoformat()}:appliances")
                self._appliances.begin(slot.work, world, r.name, st, used, arng, now_s)
        return changed

    def owns_timer(self, name: str) -> bool:
        """Whether world timer ``name`` is one of a resident's (``alex:cook_check``)."""
        who, sep, _ = name.partition(":")
        return bool(sep) and who in self.residents

    def fire_timer(self, world: WorldState, name: str, now_s: float, seed: int) -> None:
        """Apply a resident's timer (see :meth:`owns_timer`) due at clock elapsed ``now_s``.

        Raises:
            ValueError: for a timer that is not a resident's.
        """
        who, _, step = name.partition(":")
        if who not in self.residents or self._appliances is None:
            raise ValueError(f"unknown resident timer {name!r}")
        self._use_seed(seed)
        self.advance(world, now_s)
        rng = random.Random(f"{seed}:{name}:{now_s!r}")
        self._appliances.fire(world, who, step, rng, now_s)

    def walking(self, world: WorldState) -> bool:
        """True while anyone is on their way somewhere."""
        return any(st.path for st in world.residents.values())

    def advance(self, world: WorldState, now_s: float) -> bool:
        """Move walkers to where they are at clock elapsed ``now_s``; True if any still walk.

        Arrivals are settled: people stop at the end of their path, and those heading out
        of the door leave the home.
        """
        moving = False
        room_at = self.layout.room_at
        for name, st in world.residents.items():
            p = st.path
            if not p:
                continue
            x, y, done = position_along(p, (now_s - st.depart_s) * WALK_SPEED.get(st.kind, 1.0))
            st.x, st.y = x, y
            if not done:
                st.room = room_at(x, y)
                moving = True
                continue
            st.path = []
            if st.leaving:
                self._out(world, name, st)
            else:
                st.room = room_at(x, y)
                for o in world.objects.values():
                    if o.relation == "with" and o.place == name:
                        o.x, o.y = x, y
        return moving

    def make_way(self, world: WorldState, name: str, now_s: float) -> bool:
        """``name`` steps aside when the robot asks: to a spot of the same room out of its way.

        A person (not a pet) standing still at home walks to the nearest open floor of the
        room they are in, at least :data:`_STEP_ASIDE_M` from where they stood, where they
        stand in nobody's way (:meth:`FloorPlanner.in_the_way` is 0); they stay there until
        their routine moves them on. Returns False if they cannot (away, walking, a pet, a
        routine fixed in place, or no such spot).
        """
        st = world.residents.get(name)
        r = self.residents.get(name)
        fl = self._floor
        if st is None or r is None or fl is None or r.fixed or r.kind in PET_KINDS:
            return False
        if not st.home or st.path or st.room is None:
            return False
        self.advance(world, now_s)
        taken = [self._dest(o) for n, o in world.residents.items() if n != name and o.home]
        rb = world.robot
        spots = [
            p
            for p in fl.floor_spots(st.room, 0.35)
            if math.hypot(p[0] - st.x, p[1] - st.y) >= _STEP_ASIDE_M
            and not fl.in_the_way(p)
            and math.hypot(p[0] - rb.x, p[1] - rb.y) >= _CLEAR_OF_ROBOT
            and all(math.hypot(p[0] - x, p[1] - y) >= _KEEP_APART for x, y in taken)
        ]
        spots.sort(key=lambda p: math.hypot(p[0] - st.x, p[1] - st.y))
        return any(self._walk(st, p, now_s) for p in spots[:5])

    def _out(self, world: WorldState, name: str, st: ResidentState) -> None:
        st.home, st.room, st.x, st.y, st.path, st.leaving = False, None, 0.0, 0.0, [], False
        for o in world.objects.values():  # carried out of the door
            if o.relation == "with" and o.place == name:
                o.x = o.y = 0.0

    def _dest(self, st: ResidentState) -> tuple[float, float]:
        return (st.path[-2], st.path[-1]) if st.path else (st.x, st.y)

    def _pick(
        self, world: WorldState, r: Resident, place: str, rng: random.Random
    ) -> tuple[float, float]:
        """The spot of ``place`` for ``r``: the first not taken by anyone nor the robot."""
        cands = self._follow_spots(world, r) if place == "follow" else []
        if cands:
            place = ""  # nearest first, not shuffled
        else:
            cands = self._places[r.name][place]
        if place in _RANDOM_PLACES:
            cands = list(cands)
            rng.shuffle(cands)
        taken = [self._dest(st) for n, st in world.residents.items() if n != r.name and st.home]
        rb = world.robot
        lim_r = _CLEAR_OF_ROBOT**2
        in_the_way = self._floor.in_the_way if self._floor is not None else None

        def tier(c: tuple[float, float]) -> int:
            """0 best: far enough from everyone for the robot to pass, out of its way."""
            d2 = min(((c[0] - x) ** 2 + (c[1] - y) ** 2 for x, y in taken), default=math.inf)
            if d2 < _KEEP_APART**2:
                return 6  # on top of someone
            way = in_the_way(c) if in_the_way is not None else 0
            if place == "kitchen":  # a child watching the cook stays close to them
                return 2 * way
            return 2 * way + (0 if d2 >= _ROOMY**2 else 1)

        ranked = sorted(cands, key=tier)  # stable: the place's own order within a tier
        for c in ranked:
            if (c[0] - rb.x) ** 2 + (c[1] - rb.y) ** 2 >= lim_r:
                return c
        return ranked[0]  # the robot never keeps a person from their spot (v1 rule)

    def _follow_spots(self, world: WorldState, r: Resident) -> list[tuple[float, float]]:
        """Open floor near the person the pet follows (adults first), nearest first."""
        fl = self._floor
        assert fl is not None
        people = [
            (0 if self.residents[n].kind == "adult" else 1, n)
            for n, st in world.residents.items()
            if n in self.residents and self.residents[n].kind not in PET_KINDS and st.home
        ]
        if not people:
            return []
        st = world.residents[min(people)[1]]
        x, y = self._dest(st)
        room = self.layout.room_at(x, y)
        spots = fl.floor_spots(room, 0.35)
        near = [p for p in spots if 0.7 <= math.hypot(p[0] - x, p[1] - y) <= 2.5]
        return sorted(near, key=lambda p: math.hypot(p[0] - x, p[1] - y))

    def _begin(
        self,
        world: WorldState,
        r: Resident,
        slot: RoutineSlot,
        rng: random.Random,
        now_s: float,
        *,
        teleport: bool,
    ) -> list[str]:
        """Start ``slot``: go there, take what its work needs; the groceries it used."""
        fl = self._floor
        assert fl is not None and self._mess is not None
        st = world.residents[r.name]
        st.activity = slot.activity
        if slot.place == "away":
            if st.home and not teleport:
                door = self._pick(world, r, "door", rng)
                if self._walk(st, door, now_s) and st.path:
                    st.leaving = True
                else:  # at the door already (or no way there): out they go
                    self._out(world, r.name, st)
                front = self._front_door
                if front is not None and r.kind not in PET_KINDS and rng.random() < DOOR_LEFT_OPEN:
                    world.fixtures[front].open = True  # in a hurry: the door stays open
            else:
                self._out(world, r.name, st)
            return []
        spot = self._pick(world, r, slot.place, rng)
        st.leaving = False
        if not st.home:  # coming in through the front door (and closing it behind them)
            door = self._places[r.name]["door"][0]
            st.home, st.x, st.y = True, door[0], door[1]
            st.room = self.layout.room_at(*door)
            if self._front_door is not None and r.kind not in PET_KINDS and not teleport:
                world.fixtures[self._front_door].open = False
        if teleport:
            st.x, st.y, st.path = spot[0], spot[1], []
            st.room = self.layout.room_at(*spot)
        elif not self._walk(st, spot, now_s):
            st.x, st.y, st.path = spot[0], spot[1], []  # nowhere to walk: step straight there
            st.room = self.layout.room_at(*spot)
        if slot.work:
            return self._mess.begin(slot.work, world, r.name, st, rng)
        return []

    def _walk(self, st: ResidentState, goal: tuple[float, float], now_s: float) -> bool:
        """Set off from where ``st`` is towards ``goal``; False if there is no way there."""
        fl = self._floor
        assert fl is not None
        if math.hypot(goal[0] - st.x, goal[1] - st.y) < 1e-6:
            st.path = []
            return True
        path = fl.path((st.x, st.y), goal)
        if path is None:
            return False
        st.path, st.depart_s = path, now_s
        st.x, st.y = path[0], path[1]
        return True

    # -- v1 residents ---------------------------------------------------------------------

    def _update_fixed(self, world: WorldState, r: Resident, local: datetime, seed: int) -> bool:
        st = world.residents[r.name]
        slot = slot_at(slots_of_day(r, local.weekday()), local.time())
        if st.activity == slot.activity and st.room == slot.room:
            return False
        prev = next((s for s in (*r.routine, *r.weekend) if s.activity == st.activity), None)
        if prev is not None and prev.leaves_on:
            rng = random.Random(f"{seed}:{r.name}:{prev.activity}:{local.isoformat()}")
            self._leave(world, r.name, prev.leaves_on, rng)
        st.activity, st.room, st.home = slot.activity, slot.room, slot.room is not None
        if slot.room is not None:
            st.x, st.y = self._spot(world, slot)
            for name in slot.takes:
                obj = world.objects.get(name)
                if obj is not None and obj.relation != "held":
                    obj.relation, obj.place = "with", r.name
                    obj.x, obj.y = st.x, st.y
        else:
            st.x = st.y = 0.0
            for obj in world.objects.values():  # carried out of the door
                if obj.relation == "with" and obj.place == r.name:
                    obj.x = obj.y = 0.0
        return True

    def _spot(self, world: WorldState, slot: RoutineSlot) -> tuple[float, float]:
        rb = world.robot
        lim = _CLEAR_OF_ROBOT**2
        for x, y in slot.spots:
            if (x - rb.x) ** 2 + (y - rb.y) ** 2 >= lim:
                return (x, y)
        return slot.spots[-1]

    def _leave(
        self, world: WorldState, person: str, fixtures: tuple[str, ...], rng: random.Random
    ) -> None:
        fixture = rng.choice(fixtures)
        for name, obj in world.objects.items():
            if obj.relation == "with" and obj.place == person:
                put_in_fixture(self.layout, world, name, fixture)
                obj.dirty = True
