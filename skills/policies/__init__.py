"""Policy backends for System 1 (scripted controllers built in; learned ones lazily)."""

from housemind.skills.policies import scripted as _scripted  # noqa: F401 - registers "scripted"
from housemind.skills.policies.base import (
    Policy,
    PolicyError,
    PolicyFactory,
    get_policy_factory,
    policy_backends,
    register_policy,
)

__all__ = [
    "Policy",
    "PolicyError",
    "PolicyFactory",
    "get_policy_factory",
    "policy_backends",
    "register_policy",
]
