"""One chore, now, in a fresh simulated home (the harness of ``do`` and ``eval``).

:func:`run_episode` builds a HomeSim home, optionally samples a task of the suite into it
(so its goal predicate decides success), runs the goal through the whole stack (the
runtime's task graph: perceive, plan with the chosen planner, validate, safety gate,
dispatch to System 1, reflect and replan) and reports what happened.
"""

from __future__ import annotations

import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["EpisodeError", "EpisodeResult", "run_episode", "teach_conventions"]


class EpisodeError(ValueError):
    """An episode cannot start (unknown home or task, a task that does not apply)."""


@dataclass
class EpisodeResult:
    """What one episode did (the ``--json`` of ``housemind do``).

    Attributes:
        goal: The goal as given to the planner.
        status: ``done``, ``failed``, ``denied``, ``skipped`` or ``waiting``.
        success: With a task: its goal predicate on the true state; else ``status == done``.
        reason: Why it ended (a failure's reason, a check's note).
        subtasks: The subtasks dispatched, in order, with their outcome.
        planner: The planner backend that made the last plan.
        replans: How often the task was planned again.
        planner_fallbacks: Hand-overs from one planner backend to the next (a dead
            server, a broken reply, a rejected plan), over all decisions.
        decisions: One entry per planning decision: ``backend``, ``fallbacks``,
            ``latency_s`` and, for model backends, ``calls`` and token counts.
        safety_interventions: Subtasks the monitor denied or asked about.
        task: The suite task's name, if any.
        home: The floor plan.
        seed: The seed of the home (and the task's sampler).
        furniture_seed: The seed that rearranged the home's furniture (None: as drawn).
        sim_seconds: Robot-clock seconds the chore took.
        wall_seconds: Wall seconds the episode took (set-up included).
    """

    goal: str
    status: str
    success: bool
    reason: str = ""
    subtasks: list[dict[str, Any]] = field(default_factory=list)
    planner: str = ""
    replans: int = 0
    planner_fallbacks: int = 0
    decisions: list[dict[str, Any]] = field(default_factory=list)
    safety_interventions: int = 0
    task: str | None = None
    home: str = "apartment"
    seed: int = 0
    furniture_seed: int | None = None
    sim_seconds: float = 0.0
    wall_seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


def run_episode(
    goal: str | None = None,
    *,
    task: str | None = None,
    home: str | None = None,
    seed: int = 0,
    planner: Any = "symbolic",
    db_path: str | Path | None = None,
    on_event: Callable[[str, dict[str, Any]], None] | None = None,
    runtime_kwargs: dict[str, Any] | None = None,
    conventions: bool = True,
    policy: Any = None,
    furniture_seed: int | None = None,
) -> EpisodeResult:
    """Run one chore now in a fresh HomeSim home and report what happened.

    Args:
        goal: The chore in words; with ``task`` and no goal, the task's own wording.
        task: A task of the suite to sample into the home; its goal predicate then decides
            success on the true state (the robot never sees it).
        home: Floor plan (the v1 apartment if None; with a task, the first plan it applies
            to).
        seed: Seeds the home and the task's sampler.
        planner: Planner instance or spec (``"symbolic"``,
            ``"litellm:openai/gpt-4o-mini,symbolic"``).
        db_path: Keep the episode's database here (a temporary one if None).
        on_event: Live-view callback.
        runtime_kwargs: More keyword arguments for :class:`~agent.runtime.HomeRuntime`.
        conventions: Tell the robot where things belong in this home before the chore, as
            a household does at set-up (:func:`teach_conventions`); False leaves it to
            common-sense knowledge.
        policy: System 1 policy override (``"vla"``, or skill -> backend).
        furniture_seed: Rearranges the floor plan's movable furniture (None: as drawn),
            for homes laid out differently from those a planner was trained in.

    Raises:
        EpisodeError: unknown home or task, a task that does not apply to the home, or
            neither a goal nor a task.
    """
    from housemind.agent.runtime import HomeRuntime
    from housemind.sim.home.tasks import TaskSampleError, get_task, make_env, new_episode
    from housemind.skills.policies.vla import camera_size_for

    if goal is not None and not goal.strip():
        raise EpisodeError("the goal is empty; say what to do, e.g. 'put the mug in the sink'")
    if goal is None and task is None:
        raise EpisodeError("give a goal in words, or a task of the suite")
    t0 = time.perf_counter()
    inst = None
    layout = {"furniture_seed": furniture_seed} if furniture_seed is not None else {}
    try:
        if task is not None:
            get_task(task)
            env, inst = new_episode(
                task, seed, home=home, image_size=camera_size_for(policy), **layout
            )
        else:
            env = make_env(home, seed, image_size=camera_size_for(policy), **layout)
    except KeyError as e:
        raise EpisodeError(str(e).strip("'\"")) from None
    except (TaskSampleError, ValueError) as e:
        raise EpisodeError(str(e)) from None
    words = goal if goal is not None else inst.goal  # type: ignore[union-attr]
    tmp = tempfile.TemporaryDirectory(prefix="housemind-do-") if db_path is None else None
    db = Path(tmp.name) / "home.db" if tmp is not None else Path(db_path)  # type: ignore[arg-type]
    try:
        start = env.clock.now()
        with HomeRuntime(
            env,
            env.clock,
            db_url=f"sqlite:///{db}",
            planner=planner,
            on_event=on_event,
            policy=policy,
            # Nobody answers a one-off episode's questions: a stuck chore fails with the
            # planner's reason (pass runtime_kwargs={"ask_for_help": True} to pause instead).
            **{"ask_for_help": False, **(runtime_kwargs or {})},
        ) as rt:
            if conventions:
                teach_conventions(rt.memory, env)
            result = rt.run_task(f"do-{uuid.uuid4().hex[:12]}", words)
            backend = getattr(rt.planner, "name", type(rt.planner).__name__)
        plan = result.get("plan") or {}
        status = str(result.get("status", "failed"))
        subtasks = [
            {
                "text": o.get("text", ""),
                "skill": o.get("skill"),
                "args": o.get("args", {}),
                "status": o.get("status"),
                "reason": o.get("reason", ""),
            }
            for o in result.get("outcomes", [])
        ]
        success = inst.check(env) if inst is not None else status == "done"
        decisions = list(result.get("decisions", []))
        return EpisodeResult(
            goal=words,
            status=status,
            success=bool(success),
            reason=str(result.get("reason", result.get("question", "")) or ""),
            subtasks=subtasks,
            planner=str(plan.get("backend") or backend),
            replans=int(result.get("replans", 0)),
            planner_fallbacks=sum(len(d.get("fallbacks", [])) for d in decisions),
            decisions=decisions,
            safety_interventions=sum(
                1 for e in result.get("safety", []) if e.get("verdict") != "allow"
            ),
            task=task,
            home=env.home,
            seed=seed,
            furniture_seed=env.furniture_seed,
            sim_seconds=(env.clock.now() - start).total_seconds(),
            wall_seconds=time.perf_counter() - t0,
        )
    finally:
        if tmp is not None:
            tmp.cleanup()


def teach_conventions(memory: Any, env: Any) -> int:
    """Store where things belong in ``env``'s home as the household's preferences.

    What a household tells a new helper at set-up ("the keys go on the shoe rack"):
    HomeSim's :meth:`~sim.home.env.HomeSimEnv.conventions`, written as ``belongs_on``
    facts, which the planner reads from memory like any preference. An env without
    conventions (a real robot) teaches nothing.

    Returns:
        How many conventions were stored.
    """
    get = getattr(env, "conventions", None)
    if get is None:
        return 0
    n = 0
    for name, (_rel, place) in sorted(get().items()):
        memory.symbolic.tell(
            name, "belongs_on", place, kind="preference", source="household", told_by="household"
        )
        n += 1
    return n
