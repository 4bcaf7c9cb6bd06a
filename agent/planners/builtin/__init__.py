"""The built-in learned planner: the next subtask, scored as relevance times affordance.

A small network (torch, ~0.1 M parameters) trained on HomeSim's expert plans reads the goal
words (embedded with the shipped sentence model), the camera image and the memory context,
and scores every subtask the robot could do next: a registered skill bound to things it
has seen or knows, plus ``explore`` (go and look somewhere) and ``done``. The score is the
model's relevance times the step's affordance (its preconditions hold, or hold after
driving there). See ``docs/builtin_planner.md``.

One concern per module: :mod:`.configuration` (sizes, decision settings), :mod:`.belief`
(the working copy of the world, imagined forward), :mod:`.candidates` (candidates and
affordance), :mod:`.processor` (featurising a decision), :mod:`.modeling` (the network),
:mod:`.planner` (the backend), :mod:`.rollouts` (training data from expert rollouts),
:mod:`.training` (``housemind train planner``).

Importing this package does not import torch; the backend loads it when first built
(``get_planner("builtin")``).
"""

from __future__ import annotations

from typing import Any

from housemind.agent.planners.base import Planner, register_planner
from housemind.agent.planners.builtin.configuration import (
    BuiltinPlannerConfig,
    default_weights_dir,
)

__all__ = ["BuiltinPlanner", "BuiltinPlannerConfig", "default_weights_dir", "load_model"]

_LAZY = {"BuiltinPlanner", "load_model"}


@register_planner("builtin")
def _builtin_planner(*args: Any, **kwargs: Any) -> Planner:
    """Factory of the ``builtin`` backend (arguments go to :class:`BuiltinPlanner`)."""
    from housemind.agent.planners.builtin.planner import BuiltinPlanner

    return BuiltinPlanner(*args, **kwargs)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from housemind.agent.planners.builtin import planner

        return getattr(planner, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
