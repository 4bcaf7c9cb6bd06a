"""The Meta-World bridge: Meta-World v3 tasks (MuJoCo) behind housemind's robot/env contract.

- :class:`MetaWorldEnv`: one task as a gymnasium env and a :class:`~skills.types.RobotEnv`
  (LeRobot's set-up: one ``corner2`` camera, 4-D state, 4-D actions, 500-step episodes);
- :class:`MetaWorldExpert`: Meta-World's scripted expert as a housemind policy;
- :func:`tasks`, :data:`MT10`, :data:`MT50`, :func:`suite`: the task list, instructions and
  difficulty splits (pure data);
- :class:`KitchenStation` and :class:`StationHome`: Meta-World tasks as household skills
  at a HomeSim kitchen counter.

Importing this package is cheap and needs no MuJoCo; the env, the experts and the station
import MuJoCo and metaworld (the ``metaworld`` extra) on first use. It registers the
gymnasium id ``housemind/MetaWorld-v3`` (``gym.make(ENV_ID, task="drawer-open-v3")``).
"""

from __future__ import annotations

from typing import Any

from gymnasium.envs.registration import register, registry

from housemind.sim.metaworld.skills import (
    METAWORLD_TASK_SKILL,
    STATION_SKILLS,
    register_metaworld_skills,
    register_station_skills,
)
from housemind.sim.metaworld.tasks import (
    DIFFICULTIES,
    MT10,
    MT50,
    SUITES,
    MetaWorldTask,
    UnknownTaskError,
    get_task,
    suite,
    tasks,
)

__all__ = [
    "DIFFICULTIES",
    "ENV_ID",
    "METAWORLD_TASK_SKILL",
    "MT10",
    "MT50",
    "STATION_SKILLS",
    "SUITES",
    "ArmProprio",
    "KitchenStation",
    "MetaWorldEnv",
    "MetaWorldExpert",
    "MetaWorldObservation",
    "MetaWorldTask",
    "RenderSettings",
    "StationHome",
    "UnknownTaskError",
    "get_task",
    "register_metaworld_skills",
    "register_station_skills",
    "suite",
    "tasks",
]

#: The gymnasium id of the bridge (keyword ``task`` names the Meta-World task).
ENV_ID = "housemind/MetaWorld-v3"
if ENV_ID not in registry:
    register(id=ENV_ID, entry_point="housemind.sim.metaworld.env:MetaWorldEnv")

_LAZY = {
    "ArmProprio": "housemind.sim.metaworld.env",
    "MetaWorldEnv": "housemind.sim.metaworld.env",
    "MetaWorldObservation": "housemind.sim.metaworld.env",
    "MetaWorldExpert": "housemind.sim.metaworld.experts",
    "RenderSettings": "housemind.sim.metaworld.rendering",
    "KitchenStation": "housemind.sim.metaworld.kitchen",
    "StationHome": "housemind.sim.metaworld.kitchen",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'housemind.sim.metaworld' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
