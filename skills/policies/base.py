"""The policy contract: anything that turns observations and an instruction into actions."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import Observation, RobotEnv

__all__ = [
    "Policy",
    "PolicyError",
    "PolicyFactory",
    "backend_supports",
    "get_policy_factory",
    "register_policy",
    "policy_backends",
]


class PolicyError(RuntimeError):
    """A policy knows it cannot carry out its instruction (e.g. the target is unreachable).

    The executor turns it into a failed outcome at once instead of waiting for a timeout.
    """


@runtime_checkable
class Policy(Protocol):
    """System 1: produces continuous action chunks at a fixed control rate.

    A policy that knows when it has finished (a controller, e.g. a navigation expert that
    ends with a 360° scan of the room) may also expose a boolean ``done`` attribute; the
    executor then declares success only when the skill's success facts hold *and*
    ``done`` is true. Learned policies usually have no such signal and omit it.
    """

    def reset(self) -> None:
        """Forget any internal state before a new subtask."""
        ...

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """Return the next actions, ``float32[H, A]`` with ``H >= 1``.

        Raises:
            PolicyError: if the policy knows it cannot succeed.
        """
        ...


#: Builds a policy for one subtask: ``factory(spec, args, env) -> Policy``.
PolicyFactory = Callable[["SkillSpec", dict[str, Any], "RobotEnv"], Policy]

_BACKENDS: dict[str, PolicyFactory] = {}
_SUPPORTS: dict[str, Callable[[SkillSpec], bool]] = {}


def register_policy(
    name: str, *, supports: Callable[[SkillSpec], bool] | None = None
) -> Callable[[PolicyFactory], PolicyFactory]:
    """Register a policy backend factory under ``name`` (decorator).

    Args:
        name: The backend's name (what ``SkillSpec.policy`` and ``--policy`` say).
        supports: Which skills the backend can run (default: all); a policy override
            such as ``--policy vla`` moves only those skills to it.
    """

    def deco(factory: PolicyFactory) -> PolicyFactory:
        _BACKENDS[name] = factory
        if supports is not None:
            _SUPPORTS[name] = supports
        else:
            _SUPPORTS.pop(name, None)
        return factory

    return deco


def backend_supports(name: str, spec: SkillSpec) -> bool:
    """Whether backend ``name`` can run skill ``spec`` (unknown backends cannot)."""
    if name not in _BACKENDS:
        return False
    check = _SUPPORTS.get(name)
    return True if check is None else bool(check(spec))


def policy_backends() -> list[str]:
    """Names of the registered policy backends."""
    return sorted(_BACKENDS)


def get_policy_factory(name: str) -> PolicyFactory:
    """Look up a registered policy backend.

    Raises:
        KeyError: with the known names, if ``name`` is not registered.
    """
    try:
        return _BACKENDS[name]
    except KeyError:
        raise KeyError(
            f"unknown policy backend {name!r}; registered: {', '.join(policy_backends())}"
        ) from None
