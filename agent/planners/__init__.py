"""System 2 planner backends (symbolic offline default; model backends lazily)."""

from housemind.agent.planners import builtin as _builtin  # noqa: F401 - "builtin", torch lazily
from housemind.agent.planners import symbolic as _symbolic  # noqa: F401 - registers "symbolic"
from housemind.agent.planners.base import (
    FixtureInfo,
    Plan,
    PlanContext,
    Planner,
    PlanningError,
    Subtask,
    get_planner,
    planner_backends,
    register_planner,
)
from housemind.agent.planners.validate import PlanValidationError, believed_facts, validate_plan

__all__ = [
    "FixtureInfo",
    "Plan",
    "PlanContext",
    "PlanValidationError",
    "Planner",
    "PlanningError",
    "Subtask",
    "believed_facts",
    "get_planner",
    "planner_backends",
    "register_planner",
    "validate_plan",
]
