"""Simulators that implement the robot/env contract (:class:`skills.types.RobotEnv`).

Submodules are imported lazily, so ``import sim`` stays cheap; ``sim.HomeSimEnv`` imports
HomeSim (and registers ``housemind/HomeSim-v1`` with gymnasium) on first use.
"""

from __future__ import annotations

from typing import Any

__all__ = ["HomeSimEnv", "register_envs"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        import housemind.sim.home

        return getattr(housemind.sim.home, name)
    raise AttributeError(f"module 'sim' has no attribute {name!r}")
