"""HomeSim: a small apartment with one resident, for household-robot skills and agents.

Importing this package registers the gymnasium id ``housemind/HomeSim-v1``.
"""

from __future__ import annotations

from gymnasium.envs.registration import register, registry

from housemind.sim.home.env import DEFAULT_START, HomeSimEnv
from housemind.sim.home.layout import (
    GRIPPER_OFFSET,
    RESIDENT_RADIUS,
    ROBOT_RADIUS,
    FixtureSpec,
    HomeLayout,
    ObjectSpec,
    RoomSpec,
    default_layout,
)
from housemind.sim.home.plans import load_plan, plan_names, validate_layout
from housemind.sim.home.world import (
    FixtureState,
    ObjectState,
    ResidentState,
    RobotState,
    SpillState,
    WorldState,
)

__all__ = [
    "DEFAULT_START",
    "ENV_ID",
    "GRIPPER_OFFSET",
    "RESIDENT_RADIUS",
    "ROBOT_RADIUS",
    "FixtureSpec",
    "FixtureState",
    "HomeLayout",
    "HomeSimEnv",
    "ObjectSpec",
    "ObjectState",
    "ResidentState",
    "RobotState",
    "RoomSpec",
    "SpillState",
    "WorldState",
    "default_layout",
    "load_plan",
    "plan_names",
    "register_envs",
    "validate_layout",
]

#: The gymnasium id of HomeSim v1.
ENV_ID = "housemind/HomeSim-v1"


def register_envs() -> None:
    """Register HomeSim with gymnasium (idempotent)."""
    if ENV_ID not in registry:
        register(id=ENV_ID, entry_point="housemind.sim.home.env:HomeSimEnv")


register_envs()
