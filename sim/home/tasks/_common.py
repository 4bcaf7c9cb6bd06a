"""Building blocks shared by the task categories.

Finding things by kind, arranging the world, goal conditions, and expert solutions that
move objects between fixtures.

Plans name fixtures and objects by kind (``cabinet``, ``cabinet_2``; ``plate``,
``plate_2``), so tasks select by kind or by catalogue category and never by a v1 name.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from housemind.sim.home.catalogue import OBJECT_KINDS
from housemind.sim.home.placement import free_slots
from housemind.sim.home.tasks.base import Step, Task, TaskSampleError

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "APPLIANCES",
    "FLOOR",
    "FixtureStateTask",
    "MoveTask",
    "all_closed",
    "category_of",
    "fixtures_of",
    "layout_has",
    "loc",
    "objects_of",
    "place_in",
    "place_somewhere",
    "put_on_floor",
    "rel_for",
    "set_open",
    "solve_moves",
    "switch",
]

#: Appliances that are loaded and unloaded (the ``load``/``unload`` skills), not
#: placed into and picked from.
APPLIANCES = frozenset({"dishwasher", "washer", "dryer", "oven", "microwave"})
#: A start place meaning "on the floor of a room".
FLOOR = "floor"
_FLOOR_CLEARANCE = 0.45  # from furniture and walls: the robot can stand next to it
_FLOOR_SPACING = 0.5  # between floor objects: each can be picked on its own


def category_of(kind: str) -> str:
    """The catalogue category of an object kind (``"dish"``), empty if unknown."""
    k = OBJECT_KINDS.get(kind)
    return k.category if k is not None else ""


def fixtures_of(layout: HomeLayout, *kinds: str) -> list[str]:
    """Names of the fixtures of any of ``kinds``, in the plan's order."""
    return [n for n, f in layout.fixtures.items() if f.kind in kinds]


def layout_has(
    layout: HomeLayout,
    fixtures: Iterable[str] = (),
    kinds: Iterable[str] = (),
    categories: Iterable[str] = (),
    count: int = 1,
) -> bool:
    """True if the plan has what a task needs.

    That is a fixture of each kind in ``fixtures`` and, when ``kinds`` or ``categories``
    are given, ``count`` objects of them.
    """
    if any(not fixtures_of(layout, k) for k in fixtures):
        return False
    kinds, categories = set(kinds), set(categories)
    if not kinds and not categories:
        return True
    n = sum(
        1 for o in layout.objects.values() if o.kind in kinds or category_of(o.kind) in categories
    )
    return n >= count


def objects_of(
    env: HomeSimEnv,
    kinds: Iterable[str] = (),
    categories: Iterable[str] = (),
    pred: Any = None,
) -> list[str]:
    """Names of the objects nobody holds or uses, of ``kinds`` or ``categories``.

    All such objects if neither is given; only those passing ``pred(ObjectState)`` if
    that is given.
    """
    kinds, categories = set(kinds), set(categories)
    every = not kinds and not categories
    out = []
    for n, o in env.world.objects.items():
        if o.relation in ("held", "with"):
            continue
        if (every or o.kind in kinds or category_of(o.kind) in categories) and (
            pred is None or pred(o)
        ):
            out.append(n)
    return out


def rel_for(layout: HomeLayout, fixture: str) -> str:
    """``"in"`` for a container, ``"on"`` for a surface."""
    return "in" if layout.fixtures[fixture].container else "on"


def loc(env: HomeSimEnv, name: str) -> tuple[str, str]:
    """``(relation, place)`` of object ``name``."""
    o = env.world.objects[name]
    return (o.relation, o.place)


def all_closed(env: HomeSimEnv, fixtures: Iterable[str]) -> bool:
    """True if every openable fixture of ``fixtures`` is closed."""
    lay = env.layout
    return all(not (lay.fixtures[f].openable and env.world.fixtures[f].open) for f in fixtures)


def switch(env: HomeSimEnv, fixture: str, on: bool) -> None:
    """Switch ``fixture`` on or off as a person would (timers and processes follow)."""
    env.set_fixture(fixture, on=on)


def set_open(env: HomeSimEnv, fixture: str, opening: bool) -> None:
    """Open or close ``fixture`` as a person would (a running programme pauses)."""
    env.set_fixture(fixture, open=opening)


def _roomy(env: HomeSimEnv, name: str) -> bool:
    """No other thing lies right beside ``name`` (it can be picked without the wrong one)."""
    o = env.world.objects[name]
    return all(
        math.hypot(p.x - o.x, p.y - o.y) >= 0.45
        for n, p in env.world.objects.items()
        if n != name and p.relation in ("on", "in", "floor") and not env._hidden(p)
    )


def place_in(env: HomeSimEnv, name: str, fixture: str, rng: random.Random) -> None:
    """Put object ``name`` on/in ``fixture`` at a random free slot.

    Raises:
        TaskSampleError: if the fixture has no free slot.
    """
    slots = free_slots(env.layout, env.world, fixture, exclude=name)
    if not slots:
        raise TaskSampleError(f"no free slot on/in the {fixture} for the {name}")
    others = [
        (o.x, o.y)
        for n, o in env.world.objects.items()
        if n != name and o.relation in ("on", "in", "floor") and not env._hidden(o)
    ]
    # Prefer a slot with no neighbour right beside it, on this fixture or the next one (a
    # phone on the nightstand beside the bed): a thing wedged between two others is hard
    # to pick without the wrong one (people leave things with room around them).
    roomy = [s for s in slots if all(math.hypot(s[0] - x, s[1] - y) >= 0.45 for x, y in others)]
    o = env.world.objects[name]
    o.relation = rel_for(env.layout, fixture)
    o.place = fixture
    o.x, o.y = rng.choice(roomy or slots)


def place_somewhere(env: HomeSimEnv, name: str, fixtures: Iterable[str], rng: random.Random) -> str:
    """Put object ``name`` on/in the first of ``fixtures`` (shuffled) with a free slot.

    Returns:
        The fixture used.

    Raises:
        TaskSampleError: if none has room.
    """
    options = list(fixtures)
    rng.shuffle(options)
    for f in options:
        try:
            place_in(env, name, f, rng)
        except TaskSampleError:
            continue
        return f
    raise TaskSampleError(f"no room for the {name} on/in any of {options}")


def put_on_floor(env: HomeSimEnv, name: str, room: str, rng: random.Random) -> None:
    """Put object ``name`` on the floor of ``room`` where the robot can stand next to it.

    Raises:
        TaskSampleError: if the room has no such spot left.
    """
    world, occ = env.world, env.occupancy
    r = env.layout.rooms[room].rect
    people = [(p.x, p.y) for p in world.residents.values() if p.home]
    rb = world.robot
    for _ in range(600):
        x, y = rng.uniform(r.x0 + 0.3, r.x1 - 0.3), rng.uniform(r.y0 + 0.3, r.y1 - 0.3)
        if occ.clearance(x, y) < _FLOOR_CLEARANCE:
            continue
        if any(math.hypot(px - x, py - y) < 1.0 for px, py in people):
            continue
        if math.hypot(rb.x - x, rb.y - y) < 0.4:
            continue
        if any(
            math.hypot(o.x - x, o.y - y) < _FLOOR_SPACING
            for n, o in world.objects.items()
            if n != name and o.relation == "floor"
        ):
            continue
        o = world.objects[name]
        o.relation, o.place, o.x, o.y = "floor", room, round(x, 3), round(y, 3)
        return
    raise TaskSampleError(f"no free floor spot in the {room} for the {name}")


def solve_moves(
    env: HomeSimEnv, moves: Sequence[tuple[str, str]], *, close: bool = True
) -> list[Step]:
    """Expert steps that put each object ``obj`` on/in fixture ``dest``, in order.

    Closed containers are opened before taking from or putting into them, and (with
    ``close``) closed again once the last move that needs them is done, so the home is
    left as it was found.
    """
    lay, world = env.layout, env.world
    opened: set[str] = {n for n, fs in world.fixtures.items() if fs.open}
    we_opened: set[str] = set()
    steps: list[Step] = []

    def still_needed(fixture: str, after: int) -> bool:
        return any(d == fixture or loc(env, o)[1] == fixture for o, d in moves[after + 1 :])

    for i, (obj, dest) in enumerate(moves):
        rel, src = loc(env, obj)
        if rel == "in" and lay.fixtures[src].openable and src not in opened:
            steps += [("navigate", {"target": src}), ("open", {"target": src})]
            opened.add(src)
            we_opened.add(src)
        steps.append(("navigate", {"target": obj}))
        if rel == "in" and lay.fixtures[src].kind in APPLIANCES:
            steps.append(("unload", {"object": obj, "target": src}))
        else:
            steps.append(("pick", {"object": obj}))
        if close and src in we_opened and src != dest and not still_needed(src, i):
            steps.append(("close", {"target": src}))
            opened.discard(src)
        steps.append(("navigate", {"target": dest}))
        if lay.fixtures[dest].openable and dest not in opened:
            steps.append(("open", {"target": dest}))
            opened.add(dest)
            we_opened.add(dest)
        if lay.fixtures[dest].kind in APPLIANCES:
            steps.append(("load", {"object": obj, "target": dest}))
        else:
            steps.append(("place", {"object": obj, "target": dest, "relation": rel_for(lay, dest)}))
        if close and dest in we_opened and not still_needed(dest, i):
            steps.append(("close", {"target": dest}))
            opened.discard(dest)
    return steps


class MoveTask(Task):
    """Put some objects of given kinds/categories on/in a fixture (or back home).

    Subclasses set the class attributes below; the sampler takes ``count`` such objects,
    puts them in start places (fixtures of ``start`` kinds or the floor of ``rooms``)
    that are not the destination, and applies ``state`` to them. The goal: every chosen
    object is on/in the destination (its own home with ``dest = "home"``), and, with
    ``closed``, the destination is closed.
    """

    abstract: ClassVar[bool] = True
    kinds: ClassVar[tuple[str, ...]] = ()
    categories: ClassVar[tuple[str, ...]] = ()
    count: ClassVar[tuple[int, int]] = (1, 1)
    start: ClassVar[tuple[str, ...]] = (FLOOR,)
    rooms: ClassVar[tuple[str, ...]] = ()  # floor starts: these room names (any if empty)
    dest: ClassVar[tuple[str, ...]] = ("home",)
    state: ClassVar[dict[str, Any]] = {}
    closed: ClassVar[bool] = True
    needs: ClassVar[tuple[str, ...]] = ()  # further fixture kinds the task needs
    #: The goal's words ask for any such thing ("bring a clean mug"): another object of a
    #: chosen one's kind, in the task's ``state``, at the destination does as well.
    any_such: ClassVar[bool] = False

    def _dest(self, layout: HomeLayout, name: str | None = None) -> str | None:
        if self.dest == ("home",):
            if name is None:
                return "home"
            return layout.objects[name].home[1] if name in layout.objects else None
        found = fixtures_of(layout, *self.dest)
        return found[0] if found else None

    def _candidates_layout(self, layout: HomeLayout) -> list[str]:
        return [
            n
            for n, o in layout.objects.items()
            if o.kind in self.kinds or category_of(o.kind) in self.categories
        ]

    def applies(self, layout: HomeLayout) -> bool:
        """Enough objects of the kinds, a destination, and the start places exist."""
        if self._dest(layout) is None or any(not fixtures_of(layout, k) for k in self.needs):
            return False
        if len(self._candidates_layout(layout)) < self.count[0]:
            return False
        fixture_starts = [s for s in self.start if s != FLOOR]
        if FLOOR in self.start and (not self.rooms or any(r in layout.rooms for r in self.rooms)):
            return True
        return bool(fixtures_of(layout, *fixture_starts))

    def _start_places(self, env: HomeSimEnv, dest: str) -> list[str]:
        lay = env.layout
        places = [f for f in fixtures_of(lay, *[s for s in self.start if s != FLOOR]) if f != dest]
        if FLOOR in self.start:
            rooms = [r for r in (self.rooms or tuple(lay.rooms)) if r in lay.rooms]
            places += [f"{FLOOR}:{r}" for r in rooms]
        return places

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Take ``count`` objects, put them in start places, set their ``state``."""
        lay = env.layout
        cands = [
            n
            for n in objects_of(env, self.kinds, self.categories)
            if self._dest(lay, n) is not None
        ]
        rng.shuffle(cands)
        want = rng.randint(*self.count)
        chosen: list[str] = []
        for name in cands:
            if len(chosen) >= want:
                break
            places = self._start_places(env, self._dest(lay, name))
            rel, cur = loc(env, name)
            here = f"{FLOOR}:{cur}" if rel == FLOOR else cur
            if here in places and rng.random() < 0.5 and _roomy(env, name):
                places = [here]  # already where the task starts: leave it there
            rng.shuffle(places)
            for place in places:
                if place == here:
                    chosen.append(name)
                    for k, v in self.state.items():
                        setattr(env.world.objects[name], k, v)
                    break
                try:
                    if place.startswith(FLOOR):
                        put_on_floor(env, name, place.split(":", 1)[1], rng)
                    else:
                        place_in(env, name, place, rng)
                except TaskSampleError:
                    continue
                chosen.append(name)
                o = env.world.objects[name]
                for k, v in self.state.items():
                    setattr(o, k, v)
                break
        if len(chosen) < self.count[0]:
            raise TaskSampleError(
                f"task {self.name!r}: found start places for {len(chosen)} of the "
                f"{self.count[0]} objects it needs in this home"
            )
        chosen.sort(key=list(env.world.objects).index)
        params: dict[str, Any] = {"objects": chosen}
        if self.dest != ("home",):
            params["dest"] = self._dest(lay)
        return params

    def _goal_of(self, env: HomeSimEnv, params: dict[str, Any], name: str) -> tuple[str, str]:
        if "dest" in params:
            return (rel_for(env.layout, params["dest"]), params["dest"])
        home = env.layout.objects[name].home
        dest = self._dest(env.layout, name)
        return home if dest == home[1] else (rel_for(env.layout, dest), dest)

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every chosen object on/in its destination (closed, if required).

        With :attr:`any_such`, an object of the same kind in the task's ``state`` may
        stand in for a chosen one (each stands in once).
        """
        dests = set()
        used: set[str] = set()
        for name in params["objects"]:
            want = self._goal_of(env, params, name)
            if loc(env, name) == want and name not in used:
                used.add(name)
            elif self.any_such and (other := self._such(env, name, want, used)) is not None:
                used.add(other)
            else:
                return False
            dests.add(want[1])
        return not self.closed or all_closed(env, dests)

    def _such(
        self, env: HomeSimEnv, name: str, want: tuple[str, str], used: set[str]
    ) -> str | None:
        """Another object like ``name`` (its kind, the task's state) at ``want``."""
        kind = env.world.objects[name].kind
        for other, o in env.world.objects.items():
            if (
                other not in used
                and o.kind == kind
                and all(getattr(o, k) == v for k, v in self.state.items())
                and loc(env, other) == want
            ):
                return other
        return None

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """``rel(object,dest)`` for each object, and ``closed(dest)`` if required."""
        out, dests = [], []
        for name in params["objects"]:
            rel, dest = self._goal_of(env, params, name)
            out.append(f"{rel}({name},{dest})")
            if dest not in dests:
                dests.append(dest)
        if self.closed:
            out += [f"closed({d})" for d in dests if env.layout.fixtures[d].openable]
        return out

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Move each object to its destination, opening and closing as needed."""
        return solve_moves(env, [(n, self._goal_of(env, params, n)[1]) for n in params["objects"]])


class FixtureStateTask(Task):
    """Set fixtures of some kinds from a start state to a goal state (close, switch off).

    ``attr`` is ``"open"`` (solved with open/close) or ``"on"`` (solved with toggle);
    the sampler sets ``count`` fixtures of ``fixture_kinds`` to ``not goal_value``.
    """

    abstract: ClassVar[bool] = True
    fixture_kinds: ClassVar[tuple[str, ...]] = ()
    attr: ClassVar[str] = "open"
    goal_value: ClassVar[bool] = False
    count: ClassVar[tuple[int, int]] = (1, 1)
    with_objects: ClassVar[tuple[str, ...]] = ()  # kinds put on/in the fixture too

    def applies(self, layout: HomeLayout) -> bool:
        """The home has a fixture of the kinds that can be in that state."""
        flag = "openable" if self.attr == "open" else "switchable"
        return any(
            getattr(layout.fixtures[f], flag) for f in fixtures_of(layout, *self.fixture_kinds)
        )

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Set ``count`` fixtures to the opposite of the goal."""
        flag = "openable" if self.attr == "open" else "switchable"
        cands = [
            f
            for f in fixtures_of(env.layout, *self.fixture_kinds)
            if getattr(env.layout.fixtures[f], flag)
        ]
        n = min(len(cands), rng.randint(*self.count))
        chosen = sorted(rng.sample(cands, n), key=list(env.layout.fixtures).index)
        for f in chosen:
            if self.attr == "on":
                switch(env, f, not self.goal_value)
            else:
                set_open(env, f, not self.goal_value)
            for kind in self.with_objects:
                things = objects_of(env, (kind,))
                if things and loc(env, things[0])[1] != f:
                    with contextlib.suppress(TaskSampleError):
                        place_in(env, things[0], f, rng)
        return {"fixtures": chosen}

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """Every chosen fixture in the goal state."""
        return all(
            getattr(env.world.fixtures[f], self.attr) == self.goal_value for f in params["fixtures"]
        )

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """``closed(f)``/``open(f)`` or ``switched_off(f)``/``switched_on(f)``."""
        if self.attr == "on":
            pred = "switched_on" if self.goal_value else "switched_off"
        else:
            pred = "open" if self.goal_value else "closed"
        return [f"{pred}({f})" for f in params["fixtures"]]

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Go to each fixture and open/close or switch it."""
        steps: list[Step] = []
        for f in params["fixtures"]:
            steps.append(("navigate", {"target": f}))
            if self.attr == "on":
                steps.append(("toggle", {"target": f, "state": "on" if self.goal_value else "off"}))
            else:
                steps.append(("open" if self.goal_value else "close", {"target": f}))
        return steps
