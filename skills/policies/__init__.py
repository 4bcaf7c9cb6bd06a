"""Policy backends for System 1 (scripted controllers built in; learned and remote ones lazily).

The built-in VLA (``"vla"``) loads its checkpoint on first use.

Remote backends are selected by a spec with an address (``openpi://HOST:PORT``,
``lerobot://HOST:PORT?...``, see :func:`resolve_policy`); their modules, and websockets or
grpc, are imported only when such a spec is resolved.
"""

from housemind.skills.policies import scripted as _scripted  # noqa: F401 - registers "scripted"
from housemind.skills.policies import vla as _vla  # noqa: F401 - registers "vla" (loads lazily)
from housemind.skills.policies.base import (
    Policy,
    PolicyError,
    PolicyFactory,
    PolicySpec,
    backend_supports,
    close_resolved_policies,
    get_policy_factory,
    parse_policy_spec,
    policy_backends,
    policy_schemes,
    register_policy,
    register_policy_scheme,
    resolve_policy,
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
    "PolicySpec",
    "backend_for",
    "backend_supports",
    "close_resolved_policies",
    "get_policy_factory",
    "parse_policy_choice",
    "parse_policy_spec",
    "policy_backends",
    "policy_factory",
    "policy_schemes",
    "register_policy",
    "register_policy_scheme",
    "resolve_policy",
]
