"""Compare policy backends on the same skill instances (``housemind eval vla``).

An :class:`EvalCase` can set its instance up any number of times, identically; each backend
runs it through the executor in lockstep, and success is the executor's verdict (the
skill's success facts observed) and the case's own check of the true state. Nothing here
knows a simulator: HomeSim's cases come from :func:`sim.home.datasets.eval_cases`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from housemind.skills.policies.base import Policy
    from housemind.skills.spec import Skill
    from housemind.skills.types import RobotEnv

__all__ = ["EvalCase", "evaluate_backends"]

PolicyFor = Callable[["Skill", "RobotEnv"], "Policy"]


@dataclass
class EvalCase:
    """One skill instance that can be set up again for each backend.

    Attributes:
        skill: Skill name.
        setup: Sets the instance up (afresh, the same every time) and returns the robot,
            the bound skill and a check of the effect on the true state.
        metadata: Where the instance comes from (home, seed...).
    """

    skill: str
    setup: Callable[[], tuple[RobotEnv, Skill, Callable[[RobotEnv], bool]]]
    metadata: dict[str, Any] = field(default_factory=dict)


def evaluate_backends(
    cases: Iterable[EvalCase],
    backends: Mapping[str, PolicyFor],
    *,
    rate_hz: float,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    keep_failures: int = 5,
) -> dict[str, Any]:
    """Run every case with every backend; per-skill and overall success rates.

    Args:
        cases: The instances.
        backends: Name -> ``policy_for(skill, env)`` (e.g. ``{"vla": ..., "expert": ...}``).
        rate_hz: The executor's rate.
        on_result: Called after each run with ``{"skill", "backend", "ok", ...}``.
        keep_failures: Failing runs kept per skill and backend, for the report.

    Returns:
        ``{"per_skill": {skill: {backend: rate}}, "overall": {backend: rate},
        "n": {skill: count}, "ticks": ..., "failures": [...], "wall_s": ...}``; the overall
        rate is the mean of the per-skill rates (each skill counts the same).
    """
    from housemind.skills.executor import Executor

    t0 = time.perf_counter()
    wins: dict[str, dict[str, int]] = {}
    ticks: dict[str, dict[str, list[int]]] = {}
    counts: dict[str, int] = {}
    failures: list[dict[str, Any]] = []
    kept: dict[tuple[str, str], int] = {}
    for case in cases:
        counts[case.skill] = counts.get(case.skill, 0) + 1
        for name, policy_for in backends.items():
            env, skill, check = case.setup()
            with Executor(env, rate_hz=rate_hz, policy_for=policy_for) as ex:
                out = ex.run(skill)
            ok = bool(out.ok and check(env))
            wins.setdefault(case.skill, {}).setdefault(name, 0)
            wins[case.skill][name] += int(ok)
            ticks.setdefault(case.skill, {}).setdefault(name, [])
            if ok:
                ticks[case.skill][name].append(out.ticks)
            res = {
                "skill": case.skill,
                "backend": name,
                "ok": ok,
                "status": out.status,
                "reason": out.reason if not ok else "",
                "ticks": out.ticks,
                "text": out.text,
                **case.metadata,
            }
            if not ok and kept.get((case.skill, name), 0) < keep_failures:
                kept[(case.skill, name)] = kept.get((case.skill, name), 0) + 1
                failures.append(res)
            if on_result is not None:
                on_result(res)
    per_skill = {s: {b: round(wins[s].get(b, 0) / counts[s], 4) for b in backends} for s in counts}
    overall = {
        b: round(sum(per_skill[s][b] for s in per_skill) / len(per_skill), 4) if per_skill else 0.0
        for b in backends
    }
    mean_ticks = {
        s: {b: round(sum(v) / len(v), 1) if v else None for b, v in d.items()}
        for s, d in ticks.items()
    }
    return {
        "per_skill": per_skill,
        "overall": overall,
        "n": counts,
        "mean_ticks": mean_ticks,
        "failures": failures,
        "wall_s": round(time.perf_counter() - t0, 1),
    }
