"""System 2 planner backends (symbolic offline default; model backends lazily).

Backends: ``symbolic`` (offline default), ``builtin`` (the learned next-subtask model,
weights shipped; torch loads when first used), ``litellm`` and ``transformers`` (model
backends, imported when first used), your own through :func:`register_planner`. A
:class:`PlannerChain` falls back from one to the next; every plan passes
:class:`PlanCheck` (preconditions/effects, names, goal facts, safety) before it runs.
"""

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
from housemind.agent.planners.chain import PlannerChain
from housemind.agent.planners.check import PlanCheck, UnsafePlanError
from housemind.agent.planners.model import ModelPlanner
from housemind.agent.planners.spec import (
    PlannerSettings,
    PlannerSpecError,
    load_planner_settings,
    make_planner,
    parse_planner_spec,
)
from housemind.agent.planners.validate import PlanValidationError, believed_facts, validate_plan

__all__ = [
    "FixtureInfo",
    "ModelPlanner",
    "Plan",
    "PlanCheck",
    "PlanContext",
    "PlanValidationError",
    "Planner",
    "PlannerChain",
    "PlannerSettings",
    "PlannerSpecError",
    "PlanningError",
    "Subtask",
    "UnsafePlanError",
    "believed_facts",
    "get_planner",
    "load_planner_settings",
    "make_planner",
    "parse_planner_spec",
    "planner_backends",
    "register_planner",
    "validate_plan",
]
