"""Randomised instances of HomeSim's skills: a home set up for one skill, and its check.

An instance is a random home (a floor plan, optionally rearranged by a furniture seed), a
random world seed, a random time of day (so the residents are wherever their routine has
them), a random valid target for the skill and a random robot start: anywhere free and
connected to the dock for ``navigate``; for the other skills a random free pose with a
random heading within reach of the target (the skills' ``near`` precondition). The skill's
other preconditions are set up directly in the state (the object is put in the gripper,
the appliance opened, the faucet turned on, the surface made dirty...).

Targets a resident is standing at (within 0.9 m), and navigation whose only way a
resident blocks (standing in a doorway for their routine, or walking to such a spot), are
not valid instances (:class:`SkipInstance`): the robot would wait for the person to move,
which is the planner's business, not the skill's.

The expert sweep (``benchmarks/sim/expert_sweep.py``) measures the experts on these
instances; ``housemind record`` records demonstrations on them and ``housemind eval vla``
compares a learned policy with the experts on held-out ones. Each instance is
deterministic in ``(skill, home, furniture seed, seed, walking)``.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.env import HomeSimEnv
from housemind.sim.home.occupancy import PLAN_CLEARANCE
from housemind.sim.home.placement import free_slots, put_in_fixture
from housemind.sim.home.world import BURNT_AT
from housemind.skills.types import (
    BOILED_AT,
    DRY_BELOW,
    EMPTY_BELOW,
    FILLED_AT,
    REACH_M,
    WIPED_BELOW,
)

if TYPE_CHECKING:
    from housemind.skills.spec import Skill

__all__ = [
    "HOUSEWORK_SKILLS",
    "MANIPULATION_SKILLS",
    "SETUPS",
    "SKILLS",
    "SkillInstance",
    "SkipInstance",
    "homes_with_arrangements",
    "iter_instances",
    "make_env",
    "set_up",
]

#: Skills with an instance sampler, in report order.
SKILLS = (
    "navigate",
    "pick",
    "place",
    "open",
    "close",
    "toggle",
    "fill",
    "pour",
    "wash",
    "wipe",
    "load",
    "unload",
    "fold",
    "water",
    "run",
    "boil",
    "cook",
    "vacuum",
    "serve",
    "add",
    "brew",
    "say",
)
#: The one-step manipulation skills (pick ... fold): what ``housemind record`` records and
#: the built-in VLA learns by default. The housework skills after them (water ... say) run
#: longer processes (a kettle boiling, a room vacuumed) and stay with their experts.
MANIPULATION_SKILLS = SKILLS[1:13]
#: Housework skills with instances too (the expert sweep measures them; record them with
#: ``--skills``).
HOUSEWORK_SKILLS = SKILLS[13:]
#: A resident this close (m) to the target makes the instance invalid (see _person_at).
_PERSON_CLEAR_M = 0.9
#: With ``walking``, instances start up to this long (s) before a routine slot begins.
_WALKING_LEAD_S = 8.0


class SkipInstance(Exception):
    """No valid instance here: nothing to try the skill on, or a person in the way.

    The message says which (e.g. no plant to water, a resident standing at the target).
    """


@dataclass
class SkillInstance:
    """One skill set up in a home.

    Attributes:
        skill: Skill name.
        args: The skill's arguments.
        home: Floor plan.
        furniture_seed: Furniture arrangement (None: as drawn).
        seed: World seed (and the instance's random draws).
        check: Whether the skill's effect holds in the true state of an env (and nothing
            was spilt, for ``pour``).
    """

    skill: str
    args: dict[str, Any]
    home: str
    furniture_seed: int | None
    seed: int
    check: Callable[[HomeSimEnv], bool]

    @property
    def metadata(self) -> dict[str, Any]:
        """Where the instance comes from (stored with a recorded episode)."""
        return {"home": self.home, "furniture_seed": self.furniture_seed, "seed": self.seed}

    def bound(self) -> Skill:
        """The skill bound to the instance's arguments (from the skill registry)."""
        from housemind.skills.spec import REGISTRY

        return REGISTRY.bind(self.skill, self.args)


def make_env(
    home: str, furniture_seed: int | None = None, *, control_hz: float = 50.0, image_size: int = 64
) -> HomeSimEnv:
    """A HomeSim env of ``home`` to set instances up in (reset by :func:`set_up`)."""
    if home == "apartment" and furniture_seed is None:
        return HomeSimEnv(seed=0, control_hz=control_hz, image_size=image_size)
    return HomeSimEnv(
        seed=0,
        home=home,
        furniture_seed=furniture_seed,
        control_hz=control_hz,
        image_size=image_size,
    )


def set_up(env: HomeSimEnv, skill: str, seed: int, *, walking: bool = False) -> SkillInstance:
    """Reset ``env`` into a random instance of ``skill`` (deterministic in its arguments).

    Args:
        env: The home (its plan and furniture seed are part of the instance).
        skill: Skill name (:data:`SKILLS`).
        seed: World seed and the seed of the instance's draws.
        walking: Start a few seconds before a slot of the residents' routines begins, so
            people set off walking while the skill runs (at a random time they rarely
            are: a walk takes seconds, a slot tens of minutes). The instance differs
            from the one without.

    Raises:
        KeyError: for a skill without a sampler (the message names the known ones).
        SkipInstance: if this home has nothing to try the skill on, or a person is in
            the way.
    """
    if skill not in SETUPS:
        raise KeyError(f"no instances for skill {skill!r}; known: {', '.join(SETUPS)}")
    home, fseed = env.home, env.furniture_seed
    rng = random.Random(f"{skill}/{home}/{fseed}/{seed}")
    start = env.clock.start + timedelta(days=rng.randrange(7), hours=rng.uniform(6.5, 23.0))
    env.reset(seed=seed, options={"time": start})
    if walking:
        boundary = env._residents.next_boundary(env.clock.now())
        lead = timedelta(seconds=rng.uniform(0.5, _WALKING_LEAD_S))
        env.reset(seed=seed, options={"time": boundary - lead})
    args, check = SETUPS[skill](env, rng)
    return SkillInstance(skill, args, home, fseed, seed, check)


# -- set-up helpers -------------------------------------------------------------------


def _hidden(env: HomeSimEnv, name: str) -> bool:
    return env._hidden(env.world.objects[name])


def _free_objects(env: HomeSimEnv) -> list[str]:
    return [n for n, o in env.world.objects.items() if o.relation != "with"]


def _hold(env: HomeSimEnv, name: str) -> None:
    """Put ``name`` in the gripper (whatever was held goes back on the floor under it)."""
    rb = env.world.robot
    o = env.world.objects[name]
    o.relation, o.place = "held", "robot"
    o.x, o.y = env._gripper_point()
    o.progress = 0.0
    rb.held, rb.gripper = name, 1.0


def _start_near(
    env: HomeSimEnv,
    rng: random.Random,
    dist: Callable[[float, float], float],
    aim: tuple[float, float],
) -> None:
    """Teleport the robot to a random free pose within reach of the target.

    Args:
        env: The home.
        rng: The instance's random draws.
        dist: Distance from a robot position to the target.
        aim: A point of the target that must be in line of sight.
    """
    lay = env.layout
    for _ in range(4000):
        x, y = rng.uniform(0.3, lay.width - 0.3), rng.uniform(0.3, lay.height - 0.3)
        d = dist(x, y)
        if not 0.3 <= d <= REACH_M - 0.08:
            continue
        if not env.is_free(x, y, PLAN_CLEARANCE - 0.25 + 0.03) or not env._los(x, y, *aim):
            continue
        env.set_robot_pose(x, y, rng.uniform(-math.pi, math.pi))
        return
    raise SkipInstance("no free start within reach")


def _person_at(env: HomeSimEnv, dist: Callable[[float, float], float]) -> None:
    """Skip targets a person stands at: the robot would wait for them, not work round."""
    for name, p in env.world.residents.items():
        if p.home and dist(p.x, p.y) < _PERSON_CLEAR_M:
            raise SkipInstance(f"{name} is standing at the target")


def _near_fixture(env: HomeSimEnv, rng: random.Random, name: str) -> None:
    r = env.layout.fixtures[name].rect
    _person_at(env, r.distance)
    _start_near(env, rng, r.distance, (r.cx, r.cy))


def _near_point(env: HomeSimEnv, rng: random.Random, x: float, y: float) -> None:
    def dist(a: float, b: float) -> float:
        return math.hypot(a - x, b - y)

    _person_at(env, dist)
    _start_near(env, rng, dist, (x, y))


def _fixtures(env: HomeSimEnv, pred: Callable[[Any, Any], bool]) -> list[str]:
    out = []
    for n, f in env.layout.fixtures.items():
        kind = FIXTURE_KINDS.get(f.kind)
        if kind is not None and pred(f, kind):
            out.append(n)
    return out


def _objects(env: HomeSimEnv, pred: Callable[[Any], bool]) -> list[str]:
    out = []
    for n in _free_objects(env):
        kind = OBJECT_KINDS.get(env.world.objects[n].kind)
        if kind is not None and pred(kind):
            out.append(n)
    return out


def _choice(rng: random.Random, items: list[str], what: str) -> str:
    if not items:
        raise SkipInstance(f"no {what} in this home")
    return rng.choice(items)


def _water_on(env: HomeSimEnv, rng: random.Random) -> str:
    sink = _choice(rng, _fixtures(env, lambda f, k: k.water), "faucet")
    env.world.fixtures[sink].on = True
    return sink


# -- instances per skill: set up, then the arguments and the success check --------------

Instance = tuple[dict[str, Any], Callable[[HomeSimEnv], bool]]


def _navigate(env: HomeSimEnv, rng: random.Random) -> Instance:
    lay = env.layout
    for _ in range(50):  # a free pose in a pocket the robot could never have driven into
        env._random_robot(rng)
        rb = env.world.robot
        if env.occupancy.plan((rb.x, rb.y), lay.dock[:2]) is not None:
            break
    else:
        raise SkipInstance("no start connected to the dock")
    objs = [n for n in _free_objects(env) if not _hidden(env, n)]
    kind = rng.choice(("room", "fixture", "object"))
    pool = {"room": list(lay.rooms), "fixture": list(lay.fixtures), "object": objs}[kind]
    t = _choice(rng, pool, kind)
    _person_in_the_way(env, t)

    def ok(e: HomeSimEnv) -> bool:
        rb = e.world.robot
        if t in lay.rooms:
            return lay.room_at(rb.x, rb.y) == t
        if t in lay.fixtures:
            return lay.fixtures[t].rect.distance(rb.x, rb.y) <= REACH_M
        o = e.world.objects[t]
        return math.hypot(o.x - rb.x, o.y - rb.y) <= REACH_M

    return {"target": t}, ok


def _person_in_the_way(env: HomeSimEnv, target: str) -> None:
    """Skip a navigation whose only way is blocked by a person standing in it for a while.

    Judged with the floor plan's planner towards a point of the target, with and
    without the people: the expert is not asked. People walking somewhere count where
    they are going (they will stand there for their routine), not where they are now:
    the robot waits for someone walking through a doorway, and that must succeed.
    """
    lay = env.layout
    rb = env.world.robot
    if target in lay.rooms:
        goal = (lay.rooms[target].rect.cx, lay.rooms[target].rect.cy)
    elif target in lay.fixtures:
        goal = lay.approach[target][:2]
    else:
        goal = (env.world.objects[target].x, env.world.objects[target].y)
    people = [
        (*((p.path[-2], p.path[-1]) if p.path else (p.x, p.y)), 0.3 + PLAN_CLEARANCE)
        for p in env.world.residents.values()
        if p.home and not p.leaving
    ]
    if not people:
        return
    occ = env.occupancy
    if occ.plan((rb.x, rb.y), goal, people) is None and occ.plan((rb.x, rb.y), goal) is not None:
        raise SkipInstance("a person blocks the only way there")


def _pick(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _free_objects(env), "object")
    o = env.world.objects[name]
    if o.relation in ("on", "in") and env.layout.fixtures[o.place].openable:
        env.world.fixtures[o.place].open = True
    _near_point(env, rng, o.x, o.y)
    return {"object": name}, lambda e: e.world.robot.held == name


def _place(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _free_objects(env), "object")
    target = _choice(rng, _fixtures(env, lambda f, k: f.surface or f.container), "fixture")
    spec = env.layout.fixtures[target]
    rel = "in" if spec.container else "on"
    if spec.openable:
        env.world.fixtures[target].open = True
    _near_fixture(env, rng, target)
    _hold(env, name)

    def ok(e: HomeSimEnv) -> bool:
        o = e.world.objects[name]
        return (o.relation, o.place) == (rel, target) and e.world.robot.held is None

    return {"object": name, "target": target, "relation": rel}, ok


def _articulate(opening: bool) -> Callable[[HomeSimEnv, random.Random], Instance]:
    def make(env: HomeSimEnv, rng: random.Random) -> Instance:
        target = _choice(rng, _fixtures(env, lambda f, k: f.openable), "openable fixture")
        env.world.fixtures[target].open = not opening
        _near_fixture(env, rng, target)
        return {"target": target}, lambda e: e.world.fixtures[target].open == opening

    return make


def _toggle(env: HomeSimEnv, rng: random.Random) -> Instance:
    target = _choice(rng, _fixtures(env, lambda f, k: f.switchable), "switchable fixture")
    state = rng.choice(("on", "off"))
    env.world.fixtures[target].on = state == "off"
    _near_fixture(env, rng, target)
    return {
        "target": target,
        "state": state,
    }, lambda e: e.world.fixtures[target].on == (state == "on")


def _fill(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _objects(env, lambda k: k.capacity_l > 0), "container")
    sink = _water_on(env, rng)
    o = env.world.objects[name]
    o.fill, o.liquid = 0.0, ""
    _near_fixture(env, rng, sink)
    _hold(env, name)
    return {"object": name, "target": sink}, lambda e: e.world.objects[name].fill >= FILLED_AT


def _pour(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _objects(env, lambda k: k.capacity_l > 0), "container")
    o = env.world.objects[name]
    cap = OBJECT_KINDS[o.kind].capacity_l
    o.fill, o.liquid = rng.uniform(0.2, 1.0), "water"
    litres = o.fill * cap
    targets: list[str] = []
    for n in _free_objects(env):
        t = env.world.objects[n]
        if n == name or t.relation not in ("on", "in", "floor"):
            continue
        tcap = OBJECT_KINDS[t.kind].capacity_l if t.kind in OBJECT_KINDS else 0.0
        if t.kind == "plant" or (tcap > 0 and (1.0 - t.fill) * tcap >= litres):
            targets.append(n)
    for n in _fixtures(env, lambda f, k: k.water or k.capacity_l > 0):
        k = FIXTURE_KINDS[env.layout.fixtures[n].kind]
        if k.water or (1.0 - env.world.fixtures[n].fill) * k.capacity_l >= litres:
            targets.append(n)
    target = _choice(rng, targets, "pour target")
    if target in env.world.objects:
        t = env.world.objects[target]
        if t.relation in ("on", "in") and env.layout.fixtures[t.place].openable:
            env.world.fixtures[t.place].open = True
        if t.kind == "plant":
            t.moisture = rng.uniform(0.05, 0.3)
        _near_point(env, rng, t.x, t.y)
    else:
        _near_fixture(env, rng, target)
    _hold(env, name)
    spills = len(env.world.spills)

    def ok(e: HomeSimEnv) -> bool:
        return e.world.objects[name].fill < EMPTY_BELOW and len(e.world.spills) == spills

    return {"object": name, "target": target}, ok


def _wash(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _objects(env, lambda k: "sink" in k.washable_in), "dish")
    sink = _water_on(env, rng)
    env.world.objects[name].dirty = True
    _near_fixture(env, rng, sink)
    _hold(env, name)
    return {"object": name, "target": sink}, lambda e: not e.world.objects[name].dirty


def _wipe(env: HomeSimEnv, rng: random.Random) -> Instance:
    tool = _choice(rng, _objects(env, lambda k: k.wiping_tool), "sponge or cloth")
    target = _choice(rng, _fixtures(env, lambda f, k: f.surface), "surface")
    env.world.fixtures[target].dirt = rng.uniform(0.2, 1.0)
    _near_fixture(env, rng, target)
    _hold(env, tool)
    return {"target": target, "tool": tool}, lambda e: e.world.fixtures[target].dirt < WIPED_BELOW


def _appliances(env: HomeSimEnv) -> list[str]:
    return _fixtures(
        env, lambda f, k: f.openable and f.container and k.electrical and k.capacity_l == 0
    )


def _load(env: HomeSimEnv, rng: random.Random) -> Instance:
    name = _choice(rng, _free_objects(env), "object")
    target = _choice(rng, _appliances(env), "appliance")
    env.world.fixtures[target].open = True
    _near_fixture(env, rng, target)
    _hold(env, name)

    def ok(e: HomeSimEnv) -> bool:
        return (e.world.objects[name].relation, e.world.objects[name].place) == ("in", target)

    return {"object": name, "target": target}, ok


def _unload(env: HomeSimEnv, rng: random.Random) -> Instance:
    target = _choice(rng, _appliances(env), "appliance")
    env.world.fixtures[target].open = True
    inside = [n for n, o in env.world.objects.items() if (o.relation, o.place) == ("in", target)]
    if free_slots(env.layout, env.world, target):
        name = _choice(rng, _free_objects(env), "object")
        put_in_fixture(env.layout, env.world, name, target, near=None)
    else:  # full: take out something already in it (never one stacked on another)
        name = _choice(rng, inside, "object in the appliance")
    o = env.world.objects[name]
    _near_point(env, rng, o.x, o.y)
    return {"object": name, "target": target}, lambda e: e.world.robot.held == name


def _fold(env: HomeSimEnv, rng: random.Random) -> Instance:
    pool = _objects(env, lambda k: k.foldable and not k.wiping_tool)
    name = _choice(rng, pool, "foldable")
    target = _choice(
        rng,
        _fixtures(env, lambda f, k: f.surface and not f.container and k.heat_c == 0),
        "surface",
    )
    env.world.objects[name].folded = False
    _near_fixture(env, rng, target)
    _hold(env, name)

    def ok(e: HomeSimEnv) -> bool:
        o = e.world.objects[name]
        return o.folded and (o.relation, o.place) == ("on", target)

    return {"object": name, "target": target}, ok


def _water(env: HomeSimEnv, rng: random.Random) -> Instance:
    plant = _choice(rng, _objects(env, lambda k: k.name == "plant"), "plant")
    # A vessel that carries enough water to bring a dry plant up (a mug may not).
    can = _choice(rng, _objects(env, lambda k: k.capacity_l >= 0.5), "watering can or jug")
    o = env.world.objects[can]
    o.fill, o.liquid = 1.0, "water"
    p = env.world.objects[plant]
    p.moisture = rng.uniform(0.05, 0.25)
    if p.relation in ("on", "in") and env.layout.fixtures[p.place].openable:
        env.world.fixtures[p.place].open = True
    _near_point(env, rng, p.x, p.y)
    _hold(env, can)
    spills = len(env.world.spills)

    def ok(e: HomeSimEnv) -> bool:
        e._sync()
        return e.world.objects[plant].moisture >= DRY_BELOW and len(e.world.spills) == spills

    return {"object": can, "target": plant}, ok


def _programmes(env: HomeSimEnv) -> list[str]:
    return _fixtures(env, lambda f, k: k.cycle_s > 0 and f.switchable)


def _run(env: HomeSimEnv, rng: random.Random) -> Instance:
    target = _choice(rng, _programmes(env), "appliance with a programme")
    fs = env.world.fixtures[target]
    fs.open, fs.on, fs.cycle, fs.remaining_s = False, False, "", 0.0
    env.world.timers.pop(f"{target}_done", None)
    env._refresh_events()
    _near_fixture(env, rng, target)

    def ok(e: HomeSimEnv) -> bool:
        f = e.world.fixtures[target]
        return f.cycle == "done" and not f.on

    return {"target": target}, ok


def _boil(env: HomeSimEnv, rng: random.Random) -> Instance:
    kettle = _choice(rng, _fixtures(env, lambda f, k: k.name == "kettle"), "kettle")
    fs = env.world.fixtures[kettle]
    fs.on, fs.open, fs.liquid, fs.fill, fs.temp = False, False, "water", rng.uniform(0.2, 1.0), 20.0
    env._proc.replan(env.world)
    env._refresh_events()
    _near_fixture(env, rng, kettle)

    def ok(e: HomeSimEnv) -> bool:
        e._sync()
        f = e.world.fixtures[kettle]
        return f.liquid == "water" and f.temp >= BOILED_AT

    return {"target": kettle}, ok


#: Local times (h) around which residents cook (weekday dinner; weekend brunch, lunch and
#: dinner), give or take their routines' jitter: they would take the pot off the stove.
_COOKING_H = (9.75, 12.25, 17.83)


def _cook(env: HomeSimEnv, rng: random.Random) -> Instance:
    from housemind.sim.home.processes import add_food

    now = env.clock.now()
    hour = now.hour + now.minute / 60.0
    if any(c - 0.9 <= hour <= c + 0.75 for c in _COOKING_H):
        raise SkipInstance("residents cook about now (they would take the pot)")

    stove = _choice(rng, _fixtures(env, lambda f, k: k.name == "stove"), "stove")
    vessel = _choice(rng, _objects(env, lambda k: k.name in ("pot", "pan")), "pot or pan")
    o = env.world.objects[vessel]
    if free_slots(env.layout, env.world, stove, vessel):
        put_in_fixture(env.layout, env.world, vessel, stove, near=None)
    elif (o.relation, o.place) != ("on", stove):
        raise SkipInstance("no room on the stove")
    food = rng.choice(("pasta", "rice", "eggs", "soup") if o.kind == "pot" else ("eggs",))
    o.temp, o.dirty = 20.0, False
    o.liquid, o.fill = ("water", rng.uniform(0.4, 0.8)) if food in ("pasta", "rice") else ("", 0.0)
    add_food(env.world, vessel, food)
    env.set_fixture(stove, on=True)
    _near_fixture(env, rng, stove)

    def ok(e: HomeSimEnv) -> bool:
        e._sync()
        v = e.world.objects[vessel]
        return 1.0 <= v.cooked < BURNT_AT

    return {"object": vessel, "target": stove}, ok


def _vacuum(env: HomeSimEnv, rng: random.Random) -> Instance:
    from housemind.sim.home.housework import free_floor_area

    area = free_floor_area(env)
    room = _choice(rng, sorted(r for r in env.layout.rooms if area[r] >= 2.0), "room")
    r = env.layout.rooms[room].rect
    for _ in range(2000):
        x, y = rng.uniform(r.x0, r.x1), rng.uniform(r.y0, r.y1)
        if env.layout.room_at(x, y) == room and env.is_free(x, y, PLAN_CLEARANCE - 0.25 + 0.03):
            env.set_robot_pose(x, y, rng.uniform(-math.pi, math.pi))
            break
    else:
        raise SkipInstance("no free start in the room")
    env.world.floor_dirt[room] = rng.uniform(0.2, 1.0)
    return {"target": room}, lambda e: e.world.floor_dirt[room] < WIPED_BELOW


def _serve(env: HomeSimEnv, rng: random.Random) -> Instance:
    bowl = _choice(rng, _fixtures(env, lambda f, k: k.name == "pet_bowl_mat"), "pet bowl")
    food = _choice(rng, _objects(env, lambda k: k.name == "pet_food"), "pet food")
    env.world.objects[food].quantity = rng.uniform(0.3, 1.0)
    fs = env.world.fixtures[bowl]
    fs.fill, fs.liquid = rng.uniform(0.0, 0.5), "pet_food"
    _near_fixture(env, rng, bowl)
    _hold(env, food)
    return {"object": food, "target": bowl}, lambda e: e.world.fixtures[bowl].fill >= FILLED_AT


def _add(env: HomeSimEnv, rng: random.Random) -> Instance:
    food = _choice(
        rng, _objects(env, lambda k: k.cookable and k.consumable and k.name != "eggs"), "food"
    )
    vessel = _choice(rng, _objects(env, lambda k: k.name in ("pot", "pan")), "pot or pan")
    v = env.world.objects[vessel]
    if v.relation not in ("on", "in") or env._hidden(v):
        raise SkipInstance("the pot is put away")
    v.food, v.cooked = "", 0.0
    env.world.objects[food].quantity = rng.uniform(0.5, 1.0)
    _near_point(env, rng, v.x, v.y)
    _hold(env, food)
    kind = env.world.objects[food].kind
    return {"object": food, "target": vessel}, lambda e: e.world.objects[vessel].food == kind


def _brew(env: HomeSimEnv, rng: random.Random) -> Instance:
    kettle = _choice(rng, _fixtures(env, lambda f, k: k.name == "kettle"), "kettle")
    coffee = _choice(rng, _objects(env, lambda k: k.name == "coffee"), "coffee")
    cup = _choice(rng, _objects(env, lambda k: k.name in ("mug", "glass", "cup")), "cup")
    env.world.objects[coffee].quantity = rng.uniform(0.2, 1.0)
    c = env.world.objects[cup]
    c.fill, c.liquid, c.dirty = 0.0, "", False
    fs = env.world.fixtures[kettle]
    fs.on, fs.liquid, fs.fill, fs.temp = False, "water", rng.uniform(0.4, 1.0), 99.0
    env._proc.replan(env.world)
    env._refresh_events()
    _near_fixture(env, rng, kettle)
    _hold(env, cup)

    def ok(e: HomeSimEnv) -> bool:
        o = e.world.objects[cup]
        return o.liquid == "coffee" and o.fill >= FILLED_AT and len(e.world.spills) == spills

    spills = len(env.world.spills)
    return {"object": cup, "target": kettle, "drink": "coffee"}, ok


def _say(env: HomeSimEnv, rng: random.Random) -> Instance:
    people = [
        n
        for n, p in env.world.residents.items()
        if p.home and p.kind not in ("cat", "dog") and p.activity != "asleep" and not p.path
    ]
    who = _choice(rng, sorted(people), "person awake at home")
    p = env.world.residents[who]
    for _ in range(3000):
        a, r = rng.uniform(-math.pi, math.pi), rng.uniform(0.7, 2.5)
        x, y = p.x + r * math.cos(a), p.y + r * math.sin(a)
        if env.layout.room_at(x, y) != p.room or not env._los(x, y, p.x, p.y):
            continue
        if env.is_free(x, y, PLAN_CLEARANCE - 0.25 + 0.03):
            env.set_robot_pose(x, y, rng.uniform(-math.pi, math.pi))
            break
    else:
        raise SkipInstance("no free spot within earshot")
    n0 = len(env.world.said)
    msg = rng.choice(("take your pills", "call grandma", "the bins go out tonight"))

    def ok(e: HomeSimEnv) -> bool:
        return any(who in heard and msg in text for _t, text, heard in e.world.said[n0:])

    return {"person": who, "message": msg}, ok


SETUPS: dict[str, Callable[[HomeSimEnv, random.Random], Instance]] = {
    "navigate": _navigate,
    "pick": _pick,
    "place": _place,
    "open": _articulate(True),
    "close": _articulate(False),
    "toggle": _toggle,
    "fill": _fill,
    "pour": _pour,
    "wash": _wash,
    "wipe": _wipe,
    "load": _load,
    "unload": _unload,
    "fold": _fold,
    "water": _water,
    "run": _run,
    "boil": _boil,
    "cook": _cook,
    "vacuum": _vacuum,
    "serve": _serve,
    "add": _add,
    "brew": _brew,
    "say": _say,
}


def homes_with_arrangements(
    homes: list[str] | None = None, furniture_seeds: list[int | None] | None = None
) -> list[tuple[str, int | None]]:
    """Every ``(plan, furniture seed)`` pair of ``homes`` (all plans) and ``furniture_seeds``.

    Raises:
        KeyError: for an unknown plan (the message names the known ones).
    """
    from housemind.sim.home.plans import plan_names

    known = plan_names()
    names = list(homes) if homes else known
    for h in names:
        if h not in known:
            raise KeyError(f"unknown home {h!r}; known: {', '.join(known)}")
    seeds = list(furniture_seeds) if furniture_seeds is not None else [None]
    return [(h, s) for h in names for s in seeds]


def iter_instances(
    skills: list[str],
    variants: list[tuple[str, int | None]],
    *,
    per_skill: int,
    seed: int = 0,
    control_hz: float = 50.0,
    image_size: int = 64,
    walking: bool = False,
) -> Iterator[tuple[HomeSimEnv, SkillInstance]]:
    """Random instances of each skill, rotating through the homes (as the expert sweep does).

    Instances are interleaved (one of each skill in turn), so stopping early leaves a
    balanced set. A home with nothing to try a skill on is passed over for the next.

    Args:
        skills: Skill names (:data:`SKILLS`).
        variants: ``(plan, furniture seed)`` pairs (:func:`homes_with_arrangements`).
        per_skill: Instances of each skill.
        seed: Base seed; instance ``i`` of a skill has world seed ``seed * 1_000_003 + i``.
        control_hz: The envs' control rate.
        image_size: The envs' camera image side in pixels.
        walking: See :func:`set_up`.

    Yields:
        The env (already set up; reused across instances of the same home) and the
        instance.

    Raises:
        KeyError: for a skill without instances.
    """
    unknown = [k for k in skills if k not in SETUPS]
    if unknown:
        raise KeyError(f"no instances for skill {unknown[0]!r}; known: {', '.join(SETUPS)}")
    if not variants:
        raise ValueError("no homes to set instances up in")
    envs: dict[tuple[str, int | None], HomeSimEnv] = {}
    tried = {k: 0 for k in skills}
    made = {k: 0 for k in skills}
    give_up = 20 * per_skill + 100
    while any(made[k] < per_skill and tried[k] - made[k] < give_up for k in skills):
        for skill in skills:
            while made[skill] < per_skill and tried[skill] - made[skill] < give_up:
                i = tried[skill]
                tried[skill] += 1
                variant = variants[(seed + i) % len(variants)]
                env = envs.get(variant)
                if env is None:
                    env = envs[variant] = make_env(
                        *variant, control_hz=control_hz, image_size=image_size
                    )
                env.set_control_hz(control_hz)
                try:
                    inst = set_up(env, skill, seed * 1_000_003 + i, walking=walking)
                except SkipInstance:
                    continue
                made[skill] += 1
                yield env, inst
                break
