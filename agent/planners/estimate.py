"""How long a plan will take: a prior for scheduling before a chore was ever timed.

The runtime learns each chore's duration in a home from its runs (the scheduler keeps the
measured durations); before the first run, a deadline ("dinner made at 6 pm") needs a
guess. :func:`estimate_seconds` adds up typical robot-clock seconds per step: a drive, a
grasp, and for steps that wait, the wait (a dishwasher's programme, food cooking).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from housemind.agent.planners.base import PlanContext, Subtask

__all__ = ["STEP_SECONDS", "WAIT_SECONDS", "estimate_seconds"]

#: Typical seconds of one step of each skill (HomeSim's experts; a real robot is slower).
STEP_SECONDS: dict[str, float] = {
    "navigate": 12.0,
    "pick": 2.0,
    "place": 2.0,
    "open": 2.0,
    "close": 2.0,
    "toggle": 2.0,
    "fill": 6.0,
    "pour": 4.0,
    "water": 6.0,
    "wash": 6.0,
    "wipe": 6.0,
    "load": 2.0,
    "unload": 2.0,
    "fold": 5.0,
    "serve": 5.0,
    "add": 4.0,
    "brew": 4.0,
    "vacuum": 90.0,
    "say": 4.0,
}
#: Seconds a waiting step takes by the kind of its target (programmes, the kettle) or,
#: for ``cook``, the food: a programme's length, the kettle to boil, food to cook.
WAIT_SECONDS: dict[str, float] = {
    "dishwasher": 90 * 60.0,
    "washer": 45 * 60.0,
    "dryer": 60 * 60.0,
    "microwave": 120.0,
    "kettle": 240.0,
    "cook": 20 * 60.0,
}
_DEFAULT_STEP = 5.0


def estimate_seconds(
    steps: Iterable[Subtask],
    context: PlanContext | None = None,
    *,
    measured: Mapping[str, float] | None = None,
) -> float:
    """Typical robot-clock seconds to carry out ``steps``.

    Args:
        steps: The plan's subtasks.
        context: The planning context (fixture kinds for the waits); optional.
        measured: Seconds per skill measured in this home, which replace the defaults.

    Returns:
        The estimate in seconds.
    """
    per = {**STEP_SECONDS, **(measured or {})}
    kinds = {n: f.kind for n, f in context.fixtures.items()} if context is not None else {}
    total = 0.0
    for st in steps:
        if st.skill in ("run", "boil"):
            target = str(st.args.get("target", ""))
            total += WAIT_SECONDS.get(kinds.get(target, target), WAIT_SECONDS["microwave"])
        elif st.skill == "cook":
            total += WAIT_SECONDS["cook"]
        else:
            total += per.get(st.skill, _DEFAULT_STEP)
    return total
