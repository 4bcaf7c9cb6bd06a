"""Evaluation of the whole stack on the HomeSim task suite (``housemind eval tasks``).

Every task of the suite, in every floor plan it applies to, on held-out seeds, is run
from its plain phrasing through the whole stack: the runtime's task graph, the planner,
plan validation and the safety gate, System 1's executor with the scripted experts, and
the task's goal predicate on the true state (:func:`agent.episodes.run_episode`).

Seeds: tuning used seeds 0-99 (and 101, the lead's baseline); evaluation uses seeds from
:data:`HELD_OUT_SEED_BASE` up, which nobody looked at while building (fixed 2026-12-03,
before tuning; see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "DEV_SEEDS",
    "HELD_OUT_SEED_BASE",
    "TaskEvaluation",
    "evaluate_tasks",
    "task_homes",
]

logger = logging.getLogger(__name__)

#: First held-out seed (evaluation); tuning used :data:`DEV_SEEDS`.
HELD_OUT_SEED_BASE = 1000
#: Seeds used while building and tuning the planner and the methods.
DEV_SEEDS = range(0, 100)


@dataclass
class TaskEvaluation:
    """What :func:`evaluate_tasks` measured (``--json`` of ``housemind eval tasks``).

    Attributes:
        success: Fraction of episodes whose goal predicate held at the end.
        per_task: Task -> ``{"success", "n", "homes": {home: success}}``.
        per_home: Floor plan -> success over its tasks.
        episodes: Episodes run.
        seeds: The seeds used.
        planner: The planner backend.
        planning: Planner wall seconds: ``per_call`` and ``per_chore`` (all calls of one
            episode) as ``{"p50", "p95", "max", "n"}``.
        failures: Failed episodes (task, home, seed, status, reason), for replay.
        wall_s: Wall seconds of the whole evaluation.
    """

    success: float = 0.0
    per_task: dict[str, dict[str, Any]] = field(default_factory=dict)
    per_home: dict[str, float] = field(default_factory=dict)
    episodes: int = 0
    seeds: list[int] = field(default_factory=list)
    planner: str = ""
    planning: dict[str, dict[str, float]] = field(default_factory=dict)
    failures: list[dict[str, Any]] = field(default_factory=list)
    wall_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form (a stable contract of ``--json``)."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def task_homes(tasks: Iterable[str] | None = None, homes: Iterable[str] | None = None):
    """``(task, home)`` pairs: every task with every floor plan it applies to.

    Raises:
        KeyError: for an unknown task (naming the closest).
        ValueError: for an unknown floor plan.
    """
    from housemind.sim.home.plans import plan_names
    from housemind.sim.home.tasks import get_task, task_names

    names = list(tasks) if tasks is not None else task_names()
    known = plan_names()
    wanted = list(homes) if homes is not None else None
    for h in wanted or []:
        if h not in known:
            raise ValueError(f"unknown floor plan {h!r}; plans: {', '.join(known)}")
    out = []
    for name in names:
        t = get_task(name)
        for h in t.homes():
            if wanted is None or h in wanted:
                out.append((name, h))
    return out


def _quantiles(xs: list[float]) -> dict[str, float]:
    if not xs:
        return {"p50": 0.0, "p95": 0.0, "max": 0.0, "n": 0}
    s = sorted(xs)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return {
        "p50": round(statistics.median(s), 4),
        "p95": round(p95, 4),
        "max": round(s[-1], 4),
        "n": len(s),
    }


def evaluate_tasks(
    *,
    seeds: int = 5,
    seed_base: int = HELD_OUT_SEED_BASE,
    homes: Iterable[str] | None = None,
    tasks: Iterable[str] | None = None,
    planner: str = "symbolic",
    conventions: bool = True,
    on_episode: Callable[[dict[str, Any]], None] | None = None,
) -> TaskEvaluation:
    """Run every task of the suite from its words through the whole stack.

    Args:
        seeds: Seeds per task and home.
        seed_base: First seed (the held-out range by default).
        homes: Only these floor plans (all by default).
        tasks: Only these tasks (all by default).
        planner: Planner backend name.
        conventions: Tell the robot where things belong in each home first (as a
            household does at set-up); False leaves it to common-sense knowledge.
        on_episode: Called after each episode with ``{"task", "home", "seed",
            "success", "status", "reason", "wall_s"}`` (progress output).

    Raises:
        KeyError: for an unknown task or planner.
        ValueError: for an unknown floor plan or ``seeds < 1``.
    """
    from housemind.agent.episodes import run_episode
    from housemind.agent.planners import get_planner

    if seeds < 1:
        raise ValueError(f"seeds must be >= 1, got {seeds}")
    pairs = task_homes(tasks, homes)
    backend = get_planner(planner)
    timings = getattr(backend, "timings", None)
    seed_list = list(range(seed_base, seed_base + seeds))
    t0 = time.perf_counter()
    by_task: dict[str, dict[str, list[bool]]] = {}
    by_home: dict[str, list[bool]] = {}
    per_call: list[float] = []
    per_chore: list[float] = []
    out = TaskEvaluation(seeds=seed_list, planner=planner)
    for task, home in pairs:
        for seed in seed_list:
            n0 = len(timings) if timings is not None else 0
            t1 = time.perf_counter()
            try:
                r = run_episode(
                    task=task, home=home, seed=seed, planner=backend, conventions=conventions
                )
                ok, status, reason = r.success, r.status, r.reason
            except Exception as e:  # noqa: BLE001 - one broken episode must not end the run
                logger.exception("episode %s/%s/%s crashed", task, home, seed)
                ok, status, reason = False, "error", f"{type(e).__name__}: {e}"
            if timings is not None:
                calls = timings[n0:]
                per_call += calls
                if calls:
                    per_chore.append(sum(calls))
            by_task.setdefault(task, {}).setdefault(home, []).append(ok)
            by_home.setdefault(home, []).append(ok)
            out.episodes += 1
            info = {
                "task": task,
                "home": home,
                "seed": seed,
                "success": ok,
                "status": status,
                "reason": reason,
                "wall_s": round(time.perf_counter() - t1, 2),
            }
            if not ok:
                out.failures.append(info)
            if on_episode is not None:
                on_episode(info)
    allr = [x for v in by_home.values() for x in v]
    out.success = round(sum(allr) / len(allr), 4) if allr else 0.0
    for task, hs in by_task.items():
        xs = [x for v in hs.values() for x in v]
        out.per_task[task] = {
            "success": round(sum(xs) / len(xs), 4),
            "n": len(xs),
            "homes": {h: round(sum(v) / len(v), 4) for h, v in hs.items()},
        }
    out.per_home = {h: round(sum(v) / len(v), 4) for h, v in by_home.items()}
    out.planning = {"per_call": _quantiles(per_call), "per_chore": _quantiles(per_chore)}
    out.wall_s = round(time.perf_counter() - t0, 1)
    return out
