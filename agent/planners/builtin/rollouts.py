"""Training data: expert plans rolled out in HomeSim, seen as the robot believes it.

For each (task, home, seed) a HomeSim episode is sampled and its expert solution followed
through the real runtime (:class:`~agent.runtime.HomeRuntime`: perception into memory, the
executor running each step), so every decision point records exactly what a planner would
get then: the plan context built from memory, the camera image, the steps done so far, and
the goal in one of the task's training wordings. The label is the expert's next step as a
candidate of the built-in planner:

- its next non-driving step (pick, place, open, toggle...); the driving before it is what
  the planner adds itself (the step's ``near`` precondition);
- ``explore(room)`` when that step handles an object the robot has not seen yet: the
  teacher drives to the room where the object really is (the label teaches in which rooms
  things of a kind tend to be; on the way and in the room the robot sees everything not
  shut away);
- ``done`` once the expert's steps are over.

The teacher uses privileged knowledge only to choose labels; the records hold nothing the
robot would not know.

:func:`dagger_episode` adds what imitation alone never shows: the states the *learned*
planner gets itself into (DAgger, Ross et al. 2011). The learned planner drives the episode
one step per decision; at every decision the symbolic planner, given the task's own goal
from that state, says what it would do next, and that is the label. When the learned
planner would end the task while the teacher still has steps, the teacher's step is taken
instead, so the episode goes on to the states after it.
"""

from __future__ import annotations

import logging
import random
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from housemind.agent.planners.base import PlanContext, Subtask
from housemind.agent.planners.builtin.belief import Belief, step_key
from housemind.agent.planners.builtin.candidates import SAY_FROM_GOAL, affordance, spoken
from housemind.skills.spec import REGISTRY, SkillRegistry

__all__ = [
    "DecisionRecord",
    "EpisodeSpec",
    "RolloutStats",
    "dagger_episode",
    "episode_specs",
    "rollout_episode",
    "run_rollouts",
]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class EpisodeSpec:
    """One training episode: a task in a home with a seed, in one wording.

    Attributes:
        task: Suite task name.
        home: Floor plan.
        seed: Seeds the home and the task's sampler.
        template: The goal wording template (None: the task's own goal).
        furniture_seed: Rearranges the plan's movable furniture (None: as drawn), for
            more variety in the few training homes.
    """

    task: str
    home: str
    seed: int
    template: str | None = None
    furniture_seed: int | None = None


@dataclass
class DecisionRecord:
    """One decision point of a rollout (see the module docstring).

    Attributes:
        task: Suite task name.
        home: Floor plan.
        seed: Episode seed.
        params: The task's sampled parameters (to fill other wordings of the goal).
        goal: The goal as given to the runtime in this rollout.
        context: The plan context, as JSON-able data (no images, no memories).
        done: Steps done before this decision.
        label: The expert's choice as a candidate key (``pick(object=mug)``,
            ``explore(target=kitchen)``, ``done``).
        sought: For an ``explore`` label, the kind of the object looked for.
        image: The camera image ``uint8[H, W, 3]``.
    """

    task: str
    home: str
    seed: int
    params: dict[str, Any]
    goal: str
    context: dict[str, Any]
    done: list[dict[str, Any]]
    label: str
    sought: str = ""
    image: np.ndarray | None = None

    def plan_context(self) -> PlanContext:
        """The context as the planner got it."""
        return PlanContext.model_validate(self.context)

    def done_steps(self) -> list[Subtask]:
        """The steps done before this decision."""
        return [Subtask(**d) for d in self.done]

    def meta(self) -> dict[str, Any]:
        """JSON-able form without the image."""
        return {
            "task": self.task,
            "home": self.home,
            "seed": self.seed,
            "params": self.params,
            "goal": self.goal,
            "context": self.context,
            "done": self.done,
            "label": self.label,
            "sought": self.sought,
        }


@dataclass
class RolloutStats:
    """How the rollouts went.

    Attributes:
        episodes: Episodes rolled out.
        succeeded: Episodes whose task goal held at the end.
        decisions: Decisions recorded.
        explores: Of them, ``explore`` labels.
        skipped: Task -> why it was not rolled out (a step no skill provides).
        aborted: Why rollouts stopped early -> how often.
        seconds: Wall time the rollouts took.
    """

    episodes: int = 0
    succeeded: int = 0
    decisions: int = 0
    explores: int = 0
    skipped: dict[str, str] = field(default_factory=dict)
    aborted: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def merge(self, other: RolloutStats) -> None:
        """Add another's counts to this one."""
        self.episodes += other.episodes
        self.succeeded += other.succeeded
        self.decisions += other.decisions
        self.explores += other.explores
        self.seconds += other.seconds
        self.skipped.update(other.skipped)
        for k, v in other.aborted.items():
            self.aborted[k] = self.aborted.get(k, 0) + v


def _abort(stats: RolloutStats, why: str) -> None:
    stats.aborted[why] = stats.aborted.get(why, 0) + 1


def _start(
    spec: EpisodeSpec, registry: SkillRegistry, stats: RolloutStats
) -> tuple[Any, Any, list] | None:
    """The episode's env, task instance and expert solution (None: skipped, and why)."""
    from housemind.agent.planner_eval import plannable
    from housemind.sim.home.tasks import TaskSampleError, new_episode

    try:
        env, inst = new_episode(
            spec.task, spec.seed, home=spec.home, furniture_seed=spec.furniture_seed
        )
    except TaskSampleError as e:
        stats.skipped[spec.task] = f"cannot be set up in {spec.home}: {e}"
        return None
    solution = inst.solution(env)
    why = plannable(solution, registry.names())
    if why:
        stats.skipped[spec.task] = why
        return None
    return env, inst, solution


@contextmanager
def _runtime(env: Any, task_id: str) -> Iterator[Any]:
    """A runtime over ``env`` in a throw-away database, having looked around once.

    It is told the household's conventions first, as an evaluation episode is.
    """
    from housemind.agent.episodes import teach_conventions
    from housemind.agent.runtime import HomeRuntime

    with tempfile.TemporaryDirectory(prefix="housemind-teach-") as tmp:
        rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{Path(tmp) / 'home.db'}")
        try:
            teach_conventions(rt.memory, env)
            rt.perceive(task_id)
            yield rt
        finally:
            rt.close()


def _record(
    spec: EpisodeSpec,
    inst: Any,
    goal: str,
    ctx: PlanContext,
    done: list[Subtask],
    label: str,
    env: Any,
    sought: str = "",
) -> DecisionRecord:
    return DecisionRecord(
        task=spec.task,
        home=spec.home,
        seed=spec.seed,
        params=dict(inst.params),
        goal=goal,
        context=ctx.model_dump(exclude={"images", "memories"}),
        done=[s.model_dump() for s in done],
        label=label,
        sought=sought,
        image=env.observe().image.copy(),
    )


def rollout_episode(
    spec: EpisodeSpec,
    *,
    registry: SkillRegistry = REGISTRY,
    max_decisions: int = 60,
) -> tuple[list[DecisionRecord], RolloutStats]:
    """Follow one episode's expert solution through the runtime, recording decisions."""
    from housemind.agent.planner_eval import fill_goal

    stats = RolloutStats()
    started = _start(spec, registry, stats)
    if started is None:
        return [], stats
    env, inst, solution = started
    goal = fill_goal(spec.template, inst.params) if spec.template else inst.goal
    intents = [(s, dict(a)) for s, a in solution if s != "navigate"]
    records: list[DecisionRecord] = []
    stats.episodes = 1
    task_id = f"teach-{spec.task}-{spec.seed}"
    with _runtime(env, task_id) as rt:
        done: list[Subtask] = []
        i = 0
        for _ in range(max_decisions):
            ctx = rt.plan_context(goal)
            belief = Belief.from_context(ctx, done=done)

            def record(label: str, ctx: PlanContext = ctx, sought: str = "") -> None:
                records.append(_record(spec, inst, goal, ctx, done, label, env, sought))

            if i == len(intents):
                record("done")
                break
            skill, args = intents[i]
            if skill == "say":  # the words come from the goal (see candidates.spoken)
                args = {**args, "message": SAY_FROM_GOAL}
            unseen = [
                v
                for v in args.values()
                if isinstance(v, str) and v in env.world.objects and not belief.knows(v)
            ]
            if unseen:
                state = env.world.objects[unseen[0]]
                place = state.place if state.relation in ("on", "in", "floor") else None
                room = ctx.fixtures[place].room if place in ctx.fixtures else place
                if room is None or room not in ctx.rooms or room in belief.visited:
                    _abort(stats, "an object the robot cannot find by looking")
                    break
                record(step_key("explore", {"target": room}), sought=state.kind)
                stats.explores += 1
                step = Subtask(skill="navigate", args={"target": room})
                if rt.execute(step, task_id)["status"] != "success":
                    _abort(stats, "driving to look failed")
                    break
                done.append(step)
                continue
            sk = registry.bind(skill, args)
            if all(f in belief.derived() for f in sk.add_effects()):
                i += 1  # the expert repeats a step whose effect holds (opens an open door)
                continue
            aff, nav = affordance(belief, registry, skill, args)
            if aff <= 0:
                _abort(stats, f"expert {skill} not feasible as the robot believes")
                logger.debug("infeasible %s %s in %s", skill, args, spec)
                break
            record(step_key(skill, args))
            steps = [Subtask(skill="navigate", args={"target": nav})] if nav else []
            steps.append(spoken(Subtask(skill=skill, args=args), goal))
            ok = True
            for step in steps:
                out = rt.execute(step, task_id)
                if out["status"] != "success":
                    _abort(stats, f"{step.skill} failed")
                    logger.debug("%s failed: %s (%s)", step, out.get("reason"), spec)
                    ok = False
                    break
                done.append(step)
            if not ok:
                break
            i += 1
        stats.succeeded = int(i == len(intents) and inst.check(env))
    stats.decisions = len(records)
    return records, stats


def _next_key(plan: Any, belief: Belief) -> str | None:
    """A plan's next step as a candidate key (None: nothing a candidate can say).

    Driving to a fixture or an object is what the learned planner adds itself before a
    step; driving to a room it has not looked in this task, in a plan that is not complete,
    is a search (``explore``); no steps in a complete plan is ``done``.
    """
    for st in plan.subtasks:
        if st.skill != "navigate":
            args = dict(st.args)
            if st.skill == "say":
                args["message"] = SAY_FROM_GOAL
            return step_key(st.skill, args)
    if plan.complete:
        return "done" if not plan.subtasks else None
    for st in plan.subtasks:  # only driving, and more to come: a search
        target = str(st.args.get("target", ""))
        if target in belief.rooms and target not in belief.visited:
            return step_key("explore", {"target": target})
    return None


def _mishandles(own: Any, taught: Any) -> bool:
    """Whether the learner's next step does to a thing what the teacher's plan does not.

    It puts the thing elsewhere, places it where the teacher folds it, pours where the
    teacher waters. Another order of the same steps, or a step on something the teacher's
    plan leaves alone (switching the tap off), is no mistake.
    """
    if own is None:  # the learner could not plan (it said why): it would stop, as at "done"
        return False
    step = next((st for st in own.subtasks if st.skill != "navigate"), None)
    if step is None or "object" not in step.args:
        return False
    thing = step.args["object"]
    theirs = [
        (st.skill, dict(st.args))
        for st in taught.subtasks
        if st.skill != "navigate" and st.args.get("object") == thing
    ]
    return bool(theirs) and (step.skill, dict(step.args)) not in theirs


def _teach(teacher: Any, goal: str, rt: Any, done: list[Subtask], task_id: str) -> Any:
    """The teacher's plan from here, after it has looked where it wants to look.

    The symbolic planner looks before it acts (a plan of driving only, marked incomplete);
    those drives are taken (and added to ``done``) and it is asked again, at most three
    times. None when it has no plan.
    """
    from housemind.agent.planners.base import PlanningError

    for _ in range(3):
        try:
            plan = teacher.replan(goal, rt.plan_context(goal), done=done, failed=None, reason="")
        except PlanningError as e:
            logger.debug("teacher: %s", e)
            return None
        if plan.complete or any(st.skill != "navigate" for st in plan.subtasks):
            return plan
        if not plan.subtasks:
            return None
        for st in plan.subtasks:
            if rt.execute(st, task_id)["status"] != "success":
                return None
            done.append(st)
    return None


_LEARNERS: dict[str, Any] = {}


def _learner(weights: str, embedder: Any = None) -> Any:
    """The learned planner rolled out by :func:`dagger_episode` (one per process)."""
    if weights not in _LEARNERS:
        from housemind.agent.planners.builtin.planner import BuiltinPlanner
        from housemind.agent.planners.builtin.processor import EmbeddingCache

        cache = EmbeddingCache(embedder) if embedder is not None else None
        _LEARNERS[weights] = BuiltinPlanner(weights or None, horizon=1, cache=cache, scope=False)
    return _LEARNERS[weights]


def dagger_episode(
    spec: EpisodeSpec,
    weights: str = "",
    *,
    registry: SkillRegistry = REGISTRY,
    max_decisions: int = 40,
    embedder: Any = None,
) -> tuple[list[DecisionRecord], RolloutStats]:
    """Let the learned planner drive one episode; label its mistakes with the teacher's step.

    The teacher is the symbolic planner given the task's own goal (it knows the suite's
    chores) and the same memory. A decision is recorded where the two part ways: the
    learned planner would stop before the task's goal holds, or would do to a thing what
    the teacher's complete plan does not (put it elsewhere, place it instead of folding
    it). Another order of the same steps is not recorded: the experts' rollouts already
    teach one order, and a second teacher's order would only contradict it.

    Args:
        spec: The episode.
        weights: The learned planner's folder ("" for the shipped weights).
        registry: Skill registry.
        max_decisions: Decisions at most.
        embedder: Sentence model for the learned planner (default: the shipped one).
    """
    from housemind.agent.planner_eval import fill_goal
    from housemind.agent.planners.base import PlanningError
    from housemind.agent.planners.symbolic import SymbolicPlanner

    stats = RolloutStats()
    started = _start(spec, registry, stats)
    if started is None:
        return [], stats
    env, inst, _solution = started
    goal = fill_goal(spec.template, inst.params) if spec.template else inst.goal
    learner = _learner(weights, embedder)
    teacher = SymbolicPlanner(registry=registry)
    records: list[DecisionRecord] = []
    stats.episodes = 1
    task_id = f"dagger-{spec.task}-{spec.seed}"
    with _runtime(env, task_id) as rt:
        done: list[Subtask] = []
        failures = 0
        for _ in range(max_decisions):
            taught = _teach(teacher, inst.goal, rt, done, task_id)
            if taught is None:
                _abort(stats, "the teacher has no plan")
                break
            ctx = rt.plan_context(goal)
            belief = Belief.from_context(ctx, done=done)
            label = _next_key(taught, belief)
            if label is None:
                _abort(stats, "the teacher's step is no candidate")
                break
            try:
                own = learner.replan(goal, ctx, done=done, failed=None, reason="")
            except PlanningError:
                own = None
            chose = _next_key(own, belief) if own is not None else "done"
            logger.debug(
                "teacher %s%s, learner %s (%s)",
                label,
                "" if taught.complete else " (more to come)",
                chose,
                spec.task,
            )
            if chose != label and (
                (chose == "done" and not inst.check(env))
                or (taught.complete and _mishandles(own, taught))
            ):
                stats.explores += label.startswith("explore(")
                records.append(_record(spec, inst, goal, ctx, done, label, env))
            if label == "done":
                break
            steps = list(own.subtasks) if own is not None else []
            if chose == "done" or not steps:  # it would stop: the teacher takes it on
                steps = [spoken(st, goal) for st in taught.subtasks[:2]]
                if not steps:
                    break
            for step in steps:
                out = rt.execute(step, task_id)
                if out["status"] != "success":
                    # As in a run: the next decision plans again from what happened.
                    logger.debug("%s failed: %s (%s)", step.args, out.get("reason"), spec)
                    failures += 1
                    break
                done.append(step)
            if failures > 2:
                _abort(stats, "steps kept failing")
                break
        stats.succeeded = int(inst.check(env))
    stats.decisions = len(records)
    return records, stats


def _run_batch(
    specs: Sequence[EpisodeSpec], learner: str | None = None
) -> list[tuple[list[DecisionRecord], RolloutStats]]:
    if learner is not None:
        return [dagger_episode(s, learner) for s in specs]
    return [rollout_episode(s) for s in specs]


def run_rollouts(
    specs: Sequence[EpisodeSpec],
    *,
    workers: int = 1,
    on_episode: Callable[[EpisodeSpec, RolloutStats], None] | None = None,
    learner: str | None = None,
    embedder: Any = None,
) -> tuple[list[DecisionRecord], RolloutStats]:
    """Roll out every episode (in ``workers`` processes); records in ``specs`` order.

    With ``learner`` (a weights folder, "" for the shipped weights) the episodes are
    :func:`dagger_episode` rollouts of that learned planner (``embedder``: its sentence
    model, in this process only; workers load the shipped one); otherwise the experts'.
    """
    t0 = time.perf_counter()
    total = RolloutStats()
    records: list[DecisionRecord] = []
    if workers <= 1:
        for s in specs:
            recs, st = (
                rollout_episode(s)
                if learner is None
                else dagger_episode(s, learner, embedder=embedder)
            )
            records.extend(recs)
            total.merge(st)
            if on_episode is not None:
                on_episode(s, st)
        total.seconds = time.perf_counter() - t0
        return records, total
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    chunks = [list(specs[i : i + 4]) for i in range(0, len(specs), 4)]
    with ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn")) as pool:
        work = partial(_run_batch, learner=learner)
        for chunk, results in zip(chunks, pool.map(work, chunks), strict=True):
            for s, (recs, st) in zip(chunk, results, strict=True):
                records.extend(recs)
                total.merge(st)
                if on_episode is not None:
                    on_episode(s, st)
    total.seconds = time.perf_counter() - t0
    return records, total


def episode_specs(
    tasks: Sequence[str],
    homes: Sequence[str],
    seeds: Sequence[int],
    wordings: dict[str, list[str]],
    *,
    seed: int = 0,
    rearrange: bool = True,
) -> list[EpisodeSpec]:
    """Every (task, home, seed) the task applies to, each with a wording drawn by ``seed``.

    The task's own goal is one of the wordings drawn from. With ``rearrange``, episode
    seed ``s > 0`` also rearranges the furniture (furniture seed ``s``).
    """
    from housemind.sim.home.tasks import get_task

    rng = random.Random(seed)
    out = []
    for t in tasks:
        applies = get_task(t).homes()
        choices: list[str | None] = [None, *wordings.get(t, [])]
        for h in homes:
            if h not in applies:
                continue
            for s in seeds:
                furniture = s if rearrange and s > 0 else None
                out.append(EpisodeSpec(t, h, s, rng.choice(choices), furniture))
    return out
