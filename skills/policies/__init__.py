"""Policy backends for System 1 (scripted controllers built in; learned and remote ones lazily).

Remote backends are selected by a spec with an address (``openpi://HOST:PORT``,
``lerobot://HOST:PORT?...``, see :func:`resolve_policy`); their modules, and websockets or
grpc, are imported only when such a spec is resolved.
"""

from housemind.skills.policies import scripted as _scripted  # noqa: F401 - registers "scripted"
from housemind.skills.policies.base import (
    Policy,
    PolicyError,
    PolicyFactory,
    PolicySpec,
    close_resolved_policies,
    get_policy_factory,
    parse_policy_spec,
    policy_backends,
    policy_schemes,
    register_policy,
    register_policy_scheme,
    resolve_policy,
)

__all__ = [
    "Policy",
    "PolicyError",
    "PolicyFactory",
    "PolicySpec",
    "close_resolved_policies",
    "get_policy_factory",
    "parse_policy_spec",
    "policy_backends",
    "policy_schemes",
    "register_policy",
    "register_policy_scheme",
    "resolve_policy",
]
