"""HomeSim's household task suite: samplers, goal predicates and expert solutions.

Each category lives in its own module; importing this package registers every task.
Start an episode with :func:`new_episode`, or sample a task into an env you built::

    env, inst = new_episode("dishes_to_sink", seed=3)
    assert not inst.check(env)
    assert run_solution(env, inst.solution(env)) and inst.check(env)
"""

from __future__ import annotations

# Importing a category module registers its tasks.
from housemind.sim.home.tasks import (  # noqa: F401
    cooking,
    dishes,
    fetching,
    groceries,
    housework,
    laundry,
    plant_care,
    safety,
    tidying,
    trash,
)
from housemind.sim.home.tasks.base import (
    CATEGORIES,
    TASKS,
    Step,
    Task,
    TaskInstance,
    TaskSampleError,
    fact_holds,
    get_task,
    make_env,
    new_episode,
    register_task,
    run_solution,
    task_names,
)

__all__ = [
    "CATEGORIES",
    "TASKS",
    "Step",
    "Task",
    "TaskInstance",
    "TaskSampleError",
    "fact_holds",
    "get_task",
    "make_env",
    "new_episode",
    "register_task",
    "run_solution",
    "task_names",
]
