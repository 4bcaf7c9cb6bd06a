"""Policy backends for System 1: scripted controllers, and the built-in VLA (loaded lazily)."""

from housemind.skills.policies import scripted as _scripted  # noqa: F401 - registers "scripted"
from housemind.skills.policies import vla as _vla  # noqa: F401 - registers "vla" (loads lazily)
from housemind.skills.policies.base import (
    Policy,
    PolicyError,
    PolicyFactory,
    backend_supports,
    get_policy_factory,
    policy_backends,
    register_policy,
)
from housemind.skills.policies.selection import (
    PolicyChoice,
    backend_for,
    parse_policy_choice,
    policy_factory,
)

__all__ = [
    "Policy",
    "PolicyChoice",
    "PolicyError",
    "PolicyFactory",
    "backend_for",
    "backend_supports",
    "get_policy_factory",
    "parse_policy_choice",
    "policy_backends",
    "policy_factory",
    "register_policy",
]
