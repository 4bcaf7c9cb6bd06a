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
"""

from __future__ import annotations

import logging
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
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


def rollout_episode(
    spec: EpisodeSpec,
    *,
    registry: SkillRegistry = REGISTRY,
    max_decisions: int = 60,
) -> tuple[list[DecisionRecord], RolloutStats]:
    """Follow one episode's expert solution through the runtime, recording decisions."""
    from housemind.agent.episodes import teach_conventions
    from housemind.agent.planner_eval import fill_goal, plannable
    from housemind.agent.runtime import HomeRuntime
    from housemind.sim.home.tasks import TaskSampleError, new_episode

    stats = RolloutStats()
    try:
        env, inst = new_episode(
            spec.task, spec.seed, home=spec.home, furniture_seed=spec.furniture_seed
        )
    except TaskSampleError as e:
        stats.skipped[spec.task] = f"cannot be set up in {spec.home}: {e}"
        return [], stats
    solution = inst.solution(env)
    why = plannable(solution, registry.names())
    if why:
        stats.skipped[spec.task] = why
        return [], stats
    goal = fill_goal(spec.template, inst.params) if spec.template else inst.goal
    intents = [(s, dict(a)) for s, a in solution if s != "navigate"]
    records: list[DecisionRecord] = []
    stats.episodes = 1
    task_id = f"teach-{spec.task}-{spec.seed}"
    with tempfile.TemporaryDirectory(prefix="housemind-teach-") as tmp:
        rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{Path(tmp) / 'home.db'}")
        try:
            # As an evaluation episode does: the household says where things belong.
            teach_conventions(rt.memory, env)
            rt.perceive(task_id)
            done: list[Subtask] = []
            i = 0
            for _ in range(max_decisions):
                ctx = rt.plan_context(goal)
                belief = Belief.from_context(ctx, done=done)

                def record(label: str, ctx: PlanContext = ctx, sought: str = "") -> None:
                    records.append(
                        DecisionRecord(
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
                    )

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
        finally:
            rt.close()
    stats.decisions = len(records)
    return records, stats


def _run_batch(specs: Sequence[EpisodeSpec]) -> list[tuple[list[DecisionRecord], RolloutStats]]:
    return [rollout_episode(s) for s in specs]


def run_rollouts(
    specs: Sequence[EpisodeSpec],
    *,
    workers: int = 1,
    on_episode: Callable[[EpisodeSpec, RolloutStats], None] | None = None,
) -> tuple[list[DecisionRecord], RolloutStats]:
    """Roll out every episode (in ``workers`` processes); records in ``specs`` order."""
    t0 = time.perf_counter()
    total = RolloutStats()
    records: list[DecisionRecord] = []
    if workers <= 1:
        for s in specs:
            recs, st = rollout_episode(s)
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
        for chunk, results in zip(chunks, pool.map(_run_batch, chunks), strict=True):
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
