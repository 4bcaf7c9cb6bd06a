"""What a household task is, the registry of tasks, and the shared expert-solution runner.

A :class:`Task` is a kind of chore ("put the dirty dishes in the sink"). Sampling it on a
freshly reset :class:`~sim.home.env.HomeSimEnv` arranges the world so that the chore
needs doing (dishes dirty on the table, toys on the floor) and returns a
:class:`TaskInstance`: the task's name, the seed, the goal in words and the parameters
the sampler chose (which objects, which fixtures). The instance is plain data
(JSON-serialisable, like a checkpoint); its goal predicate reads the true state, in the
spirit of BEHAVIOR's goal conditions (``forall d in dishes: in(d, sink)``), and its
expert solution is a list of ``(skill, args)`` steps that :func:`run_solution` drives
with HomeSim's privileged experts through the ordinary action interface.

Tasks register with :func:`register_task` at import of their category module; look them
up with :func:`get_task` and :func:`task_names`.
"""

from __future__ import annotations

import difflib
import logging
import random
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, ClassVar, Literal

from housemind.sim.home.world import BURNT_AT
from housemind.skills.policies.base import PolicyError
from housemind.skills.types import (
    BOILED_AT,
    DRY_BELOW,
    EMPTY_BELOW,
    FILLED_AT,
    TOLD_WITHIN_S,
    WIPED_BELOW,
)

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.home.layout import HomeLayout

__all__ = [
    "CATEGORIES",
    "TASKS",
    "Category",
    "Step",
    "Task",
    "TaskInstance",
    "TaskSampleError",
    "fact_holds",
    "get_task",
    "holds",
    "make_env",
    "new_episode",
    "register_task",
    "run_solution",
    "task_names",
]

log = logging.getLogger(__name__)

Category = Literal[
    "tidying",
    "dishes",
    "cooking",
    "laundry",
    "trash",
    "groceries",
    "fetching",
    "plant_care",
    "safety",
    "pets",
    "reminders",
]
#: Task categories, in the order people read them.
CATEGORIES: tuple[str, ...] = Category.__args__  # type: ignore[attr-defined]
#: One step of an expert solution: a skill and its arguments. Besides HomeSim's skills,
#: ``("wait", {"seconds": s})`` lets simulated time pass with the robot standing still
#: (a washer cycle), and ``("wait", {"seconds": s, "until": cond})`` waits at most ``s``
#: seconds for a condition on the true state: ``{"object" | "fixture": name, "attr": a,
#: "at_least" | "at_most" | "equals": v}`` (``{"object": "pot", "attr": "cooked",
#: "at_least": 1.0}``).
Step = tuple[str, dict[str, Any]]

#: Tasks by name.
TASKS: dict[str, Task] = {}
_ATTEMPTS = 8


class TaskSampleError(RuntimeError):
    """A task cannot be set up in this home (a kind it needs is missing, no room left)."""


@dataclass(frozen=True)
class TaskInstance:
    """One sampled task: what to do, in which arrangement of the home.

    Attributes:
        task: The task's name.
        seed: The seed the sampler used.
        goal: The goal in words, for a planner or a person ("put the mug in the sink").
        params: What the sampler chose (object and fixture names), JSON-serialisable.
    """

    task: str
    seed: int
    goal: str
    params: dict[str, Any] = field(default_factory=dict)

    def check(self, env: HomeSimEnv) -> bool:
        """True if the goal holds in ``env``'s true state now."""
        return get_task(self.task).check(env, self.params)

    def solution(self, env: HomeSimEnv) -> list[Step]:
        """The expert solution from ``env``'s state now (right after sampling)."""
        return get_task(self.task).solution(env, self.params)

    def goal_facts(self, env: HomeSimEnv) -> list[str]:
        """Facts in the robot's vocabulary (:mod:`skills.types`) that hold once it is done.

        A planner can aim for them and compare its plan's ``goal_facts``; they are
        necessary, and :meth:`check` alone decides success (food being cooked, water
        boiling are not facts the robot's observations carry).
        """
        return get_task(self.task).goal_facts(env, self.params)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy."""
        return {"task": self.task, "seed": self.seed, "goal": self.goal, "params": self.params}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TaskInstance:
        """Rebuild from :meth:`to_dict` output."""
        return cls(task=d["task"], seed=int(d["seed"]), goal=d["goal"], params=dict(d["params"]))


class Task:
    """Base class of household tasks; subclasses define the four methods below.

    Class attributes (checked when a subclass is defined):
        name: Unique snake_case name.
        category: One of :data:`CATEGORIES`.
        goal: The goal in words; ``{param}`` fields are filled from the sampled params.
    """

    name: ClassVar[str] = ""
    category: ClassVar[str] = ""
    goal: ClassVar[str] = ""
    #: Local time ``(hour, minute)`` the task happens at (the home is reset to the next
    #: such time before arranging: reminders need someone awake at home); None: the
    #: env's time.
    start_time: ClassVar[tuple[int, int] | None] = None

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.__dict__.get("abstract", False):
            return
        for attr in ("name", "category", "goal"):
            if not getattr(cls, attr):
                raise TypeError(f"task class {cls.__name__} must set {attr!r}")
        if cls.category not in CATEGORIES:
            raise TypeError(
                f"task {cls.name!r}: category {cls.category!r} is not one of {CATEGORIES}"
            )

    # -- to define -------------------------------------------------------------------

    def applies(self, layout: HomeLayout) -> bool:
        """True if the home has what the task needs (fixtures and object kinds)."""
        raise NotImplementedError

    def arrange(self, env: HomeSimEnv, rng: random.Random) -> dict[str, Any]:
        """Arrange the world so that the chore needs doing; the chosen params.

        Raises:
            TaskSampleError: if the home cannot host the task.
        """
        raise NotImplementedError

    def check(self, env: HomeSimEnv, params: dict[str, Any]) -> bool:
        """The goal predicate over the true state."""
        raise NotImplementedError

    def solution(self, env: HomeSimEnv, params: dict[str, Any]) -> list[Step]:
        """Expert steps that achieve the goal from the arranged state."""
        raise NotImplementedError

    def goal_facts(self, env: HomeSimEnv, params: dict[str, Any]) -> list[str]:
        """Facts (``in(mug,sink)``, ``closed(fridge)``) that hold when the goal does."""
        return []

    # -- provided --------------------------------------------------------------------

    def sample(self, env: HomeSimEnv, rng: random.Random | int) -> TaskInstance:
        """Arrange a freshly reset ``env`` for this task (deterministic per seed).

        Args:
            env: The simulator, right after ``reset`` (or construction).
            rng: A seed, or a :class:`random.Random` (its first draw becomes the seed).

        Raises:
            TaskSampleError: if this home cannot host the task.
        """
        if not self.applies(env.layout):
            raise TaskSampleError(
                f"task {self.name!r} does not apply to this home "
                f"(plan {env.home!r}); it applies to "
                f"{', '.join(self.homes()) or 'no known home'}"
            )
        seed = rng if isinstance(rng, int) else rng.randrange(2**31)
        if self.start_time is not None:
            now = env.clock.now()
            h, m = self.start_time
            when = now.replace(hour=h, minute=m, second=0, microsecond=0)
            if when < now:
                when += timedelta(days=1)
            env.reset(seed=env._seed, options={"time": when})
        start = env.get_state()
        for attempt in range(_ATTEMPTS):
            # Some draws do not fit (a full counter); a few more from the same seed will.
            try:
                params = self.arrange(env, random.Random(f"{self.name}:{seed}:{attempt}"))
                break
            except TaskSampleError:
                env.set_state(start)
                if attempt == _ATTEMPTS - 1:
                    raise
        # The sampler edited the world directly: processes and events look at it afresh.
        env._proc.replan(env.world)
        env._refresh_events()
        return TaskInstance(
            task=self.name, seed=seed, goal=self.goal.format(**_words(params)), params=params
        )

    def homes(self) -> tuple[str, ...]:
        """Names of the known floor plans this task applies to."""
        return tuple(name for name, layout in _known_layouts() if self.applies(layout))

    def info(self) -> dict[str, Any]:
        """A JSON-friendly description."""
        return {
            "name": self.name,
            "category": self.category,
            "goal": self.goal,
            "homes": list(self.homes()),
        }


def _words(params: dict[str, Any]) -> dict[str, str]:
    out = {}
    for k, v in params.items():
        if isinstance(v, list | tuple):
            items = [str(x).replace("_", " ") for x in v]
            out[k] = (
                items[0]
                if len(items) == 1
                else ", ".join(items[:-1]) + " and " + items[-1]
                if items
                else "nothing"
            )
        else:
            out[k] = str(v).replace("_", " ")
    return out


def _known_layouts() -> list[tuple[str, HomeLayout]]:
    try:
        from housemind.sim.home.plans import load_plan, plan_names
    except ImportError:  # a HomeSim with only the v1 apartment
        from housemind.sim.home.layout import default_layout

        return [("apartment", default_layout())]
    return [(name, load_plan(name)) for name in plan_names()]


def register_task(cls: type[Task]) -> type[Task]:
    """Class decorator: add an instance of ``cls`` to :data:`TASKS`.

    Raises:
        ValueError: if a task of the same name is registered already.
    """
    if cls.name in TASKS and type(TASKS[cls.name]) is not cls:
        raise ValueError(f"a task named {cls.name!r} is registered already")
    TASKS[cls.name] = cls()
    return cls


def get_task(name: str) -> Task:
    """The task called ``name``.

    Raises:
        KeyError: naming the closest task name.
    """
    try:
        return TASKS[name]
    except KeyError:
        close = difflib.get_close_matches(name, list(TASKS), n=1)
        hint = f" — did you mean {close[0]!r}?" if close else ""
        raise KeyError(
            f"unknown task {name!r}{hint} ({len(TASKS)} tasks; list them with task_names())"
        ) from None


def task_names(category: str | None = None) -> list[str]:
    """Names of the registered tasks, sorted, optionally of one category.

    Raises:
        ValueError: for an unknown category.
    """
    if category is not None and category not in CATEGORIES:
        raise ValueError(f"unknown task category {category!r}; categories: {CATEGORIES}")
    return sorted(n for n, t in TASKS.items() if category is None or t.category == category)


def run_solution(
    env: HomeSimEnv,
    steps: Iterable[Step],
    *,
    on_tick: Callable[[], None] | None = None,
    on_wait: Callable[[], None] | None = None,
    max_ticks: int = 8000,
    raise_errors: bool = False,
) -> bool:
    """Drive HomeSim's experts through ``steps`` like the executor does.

    Each step's expert is asked for chunks of actions, which are stepped one by one,
    until it returns an all-zero chunk (its effect holds) while its ``done`` flag, where
    it has one, is true. ``("wait", {"seconds": s})``
    lets time pass with the robot idle.

    Args:
        env: The simulator.
        steps: ``(skill, args)`` steps.
        on_tick: Called after every control step (a recorder's ``tick``), and during
            waits as ``on_wait`` if that is None.
        on_wait: Called every few simulated seconds of a wait (a recorder's
            ``capture``: a wait has no control steps to count).
        max_ticks: Control ticks one step may take before it counts as failed.
        raise_errors: Raise instead of returning False (tests want the reason).

    Returns:
        True if every step finished; False at the first that failed (logged).

    Raises:
        PolicyError, RuntimeError: only with ``raise_errors``.
    """
    for skill, args in steps:
        if skill == "wait":
            until = args.get("until")
            waited = _wait(env, float(args["seconds"]), on_wait or on_tick, until)
            if not waited and until is not None:
                if raise_errors:
                    raise RuntimeError(f"waited {args['seconds']} s and {until} still fails")
                log.info("waited %s s and %s still fails", args["seconds"], until)
                return False
            continue
        try:
            pol = env.expert(skill, args)
            pol.reset()
            ticks = 0
            while True:
                chunk = pol.predict_chunk(env.observe(), skill)
                # Holding still is the end, unless the expert says it is not done yet
                # (waiting for a programme to end, for people to pass).
                if not chunk.any() and getattr(pol, "done", True):
                    break
                for a in chunk:
                    env.step(a)
                    if on_tick is not None:
                        on_tick()
                ticks += len(chunk)
                if ticks >= max_ticks:
                    raise RuntimeError(f"{skill}{args} did not finish in {max_ticks} ticks")
        except (PolicyError, RuntimeError, KeyError) as e:
            if raise_errors:
                raise
            log.info("solution step %s%s failed: %s", skill, args, e)
            return False
    return True


_FACT = re.compile(r"^(?P<pred>[a-z_]+)(?:\((?P<args>[^()]*)\))?$")


def fact_holds(env: HomeSimEnv, fact: str) -> bool:
    """Whether ground atom ``fact`` (:mod:`skills.types`' vocabulary) is true now.

    It reads the true state, wherever the thing is (the robot's observations only carry
    what it sees).

    Raises:
        ValueError: for a fact this function does not know.
    """
    env._sync()
    m = _FACT.match(fact)
    if m is None:
        raise ValueError(f"not a fact: {fact!r} (write pred(a) or pred(a,b))")
    pred, args = m["pred"], (m["args"] or "").split(",") if m["args"] else []
    world = env.world
    objects, fixtures = world.objects, world.fixtures
    if pred in ("on", "in") and len(args) == 2:
        o = objects[args[0]]
        return (o.relation, o.place) == (pred, args[1])
    if pred == "hand_empty":
        return world.robot.held is None
    if pred == "holding":
        return world.robot.held == args[0]
    if pred in ("open", "closed"):
        return fixtures[args[0]].open == (pred == "open")
    if pred in ("switched_on", "switched_off"):
        return fixtures[args[0]].on == (pred == "switched_on")
    if pred == "contains" and len(args) == 2:
        thing = objects.get(args[0]) or fixtures[args[0]]
        food = getattr(thing, "food", "")
        return (thing.liquid == args[1] and thing.fill >= EMPTY_BELOW) or food == args[1]
    (name,) = args
    if pred in ("dirty", "clean") and name in env.layout.rooms:
        dirty = world.floor_dirt.get(name, 0.0) >= WIPED_BELOW
        return dirty if pred == "dirty" else not dirty
    if pred == "told":
        heard = world.heard.get(name)
        return heard is not None and env.clock.elapsed - heard[0] <= TOLD_WITHIN_S
    if pred in ("dirty", "clean", "wiped") and name in fixtures:
        dirty = fixtures[name].dirt >= WIPED_BELOW
        return dirty if pred == "dirty" else not dirty
    if name in fixtures:
        fs = fixtures[name]
        if pred == "finished":
            return fs.cycle == "done" and not fs.on
        if pred == "boiled":
            return fs.liquid == "water" and fs.temp >= BOILED_AT
        if pred == "filled":
            return fs.fill >= FILLED_AT
        if pred == "empty":
            return fs.fill < EMPTY_BELOW
    o = objects[name]
    if pred == "cooked":
        return 1.0 <= o.cooked < BURNT_AT
    if pred in ("dirty", "clean"):
        return o.dirty == (pred == "dirty")
    if pred == "folded":
        return o.folded
    if pred in ("dry", "watered"):
        return (o.moisture < DRY_BELOW) == (pred == "dry")
    if pred == "filled":
        return o.fill >= FILLED_AT
    if pred == "empty":
        return o.fill < EMPTY_BELOW
    raise ValueError(f"fact_holds does not know the predicate {pred!r} ({fact!r})")


def holds(env: HomeSimEnv, cond: dict[str, Any]) -> bool:
    """Whether a wait condition (see :data:`Step`) holds in the true state now."""
    env._sync()
    if "object" in cond:
        value = getattr(env.world.objects[cond["object"]], cond["attr"])
    else:
        value = getattr(env.world.fixtures[cond["fixture"]], cond["attr"])
    if "at_least" in cond:
        return value >= cond["at_least"]
    if "at_most" in cond:
        return value <= cond["at_most"]
    return value == cond["equals"]


def _wait(
    env: HomeSimEnv,
    seconds: float,
    on_tick: Callable[[], None] | None,
    until: dict[str, Any] | None = None,
) -> bool:
    """Idle up to ``seconds``; True once ``until`` holds (or the time has passed)."""
    end = env.clock.now() + timedelta(seconds=seconds)
    if until is None and on_tick is None:
        env.idle_until(end)
        return True
    # A condition is checked every 1-30 simulated seconds (a three-hundredth of the most
    # it may take: food is not burnt seconds after it is done), a plain wait recorded
    # every 10 s.
    step = timedelta(seconds=min(30.0, max(1.0, seconds / 300.0)) if until is not None else 10)
    while env.clock.now() < end:
        if until is not None and holds(env, until):
            return True
        env.idle_until(min(end, env.clock.now() + step))
        if on_tick is not None:
            on_tick()
    return until is None or holds(env, until)


def make_env(home: str | None = None, seed: int = 0, **kwargs: Any) -> HomeSimEnv:
    """A HomeSim env of floor plan ``home`` (the v1 apartment if None), reset with ``seed``.

    Extra keyword arguments go to :class:`~sim.home.env.HomeSimEnv`.
    """
    from housemind.sim.home.env import HomeSimEnv

    if home is not None and home != "apartment":
        kwargs["home"] = home
    return HomeSimEnv(seed=seed, **kwargs)


def new_episode(
    task: str | Task, seed: int, *, home: str | None = None, **env_kwargs: Any
) -> tuple[HomeSimEnv, TaskInstance]:
    """Build an env and sample ``task`` in it: the start of one evaluation episode.

    Args:
        task: A task or its name.
        seed: Seeds both the home (objects, residents) and the task's sampler.
        home: Floor plan; the first known plan the task applies to if None.
        **env_kwargs: Passed to :class:`~sim.home.env.HomeSimEnv`.

    Raises:
        KeyError: for an unknown task.
        TaskSampleError: if the task does not apply to ``home``.
    """
    t = get_task(task) if isinstance(task, str) else task
    if home is None:
        homes = t.homes()
        if not homes:
            raise TaskSampleError(f"task {t.name!r} applies to no known home")
        home = homes[0]
    env = make_env(home, seed, **env_kwargs)
    return env, t.sample(env, seed)
