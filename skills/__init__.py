"""System 1: skills, the skill registry, policy backends and the fixed-rate executor.

Importing :mod:`skills` registers the built-in household skills and the scripted policy
backend. Heavy backends (the built-in VLA, LeRobot, openpi) are imported only when used.
"""

from housemind.skills import builtin as _builtin  # noqa: F401 - registers the built-in skills
from housemind.skills.chunking import ChunkingConfig
from housemind.skills.executor import (
    DEFAULT_RATE_HZ,
    ActionFilter,
    Executor,
    ExecutorObserver,
    Outcome,
)
from housemind.skills.policies import Policy, PolicyError, get_policy_factory, register_policy
from housemind.skills.spec import REGISTRY, Skill, SkillParams, SkillRegistry, SkillSpec, skill
from housemind.skills.types import (
    REACH_M,
    Detection,
    Observation,
    Proprio,
    RobotEnv,
    atom,
    parse_atom,
)

__all__ = [
    "DEFAULT_RATE_HZ",
    "REACH_M",
    "REGISTRY",
    "ActionFilter",
    "ChunkingConfig",
    "Detection",
    "Executor",
    "ExecutorObserver",
    "Observation",
    "Outcome",
    "Policy",
    "PolicyError",
    "Proprio",
    "RobotEnv",
    "Skill",
    "SkillParams",
    "SkillRegistry",
    "SkillSpec",
    "atom",
    "get_policy_factory",
    "parse_atom",
    "register_policy",
    "skill",
]
