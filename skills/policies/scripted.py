"""The scripted backend: classical controllers, e.g. a simulator's privileged experts.

A simulator (or a robot driver) that offers controllers exposes
``env.expert(skill_name, args) -> Policy``. The same experts are the demonstrators whose
action chunks train the built-in VLA, because they act through the ordinary action space.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from housemind.skills.policies.base import Policy, PolicyError, register_policy

if TYPE_CHECKING:
    from housemind.skills.spec import SkillSpec
    from housemind.skills.types import RobotEnv

__all__ = ["scripted_policy"]


@register_policy("scripted")
def scripted_policy(spec: SkillSpec, args: dict[str, Any], env: RobotEnv) -> Policy:
    """Return the environment's controller for ``spec`` with ``args``.

    Raises:
        PolicyError: if the environment has no controller for this skill.
    """
    expert = getattr(env, "expert", None)
    if expert is None:
        raise PolicyError(
            f"{type(env).__name__} provides no scripted controllers; give skill "
            f"{spec.name!r} another policy backend (e.g. 'vla')"
        )
    try:
        return expert(spec.name, args)
    except KeyError as e:
        raise PolicyError(f"no scripted controller for skill {spec.name!r}: {e}") from None
