"""Which policy backend runs each skill: the registry's choice, or an override.

Every :class:`~skills.spec.SkillSpec` names its backend (``policy=``, ``scripted`` for the
built-in skills). An override changes that for a run: a backend name (``"vla"``) moves
every skill the backend supports to it and leaves the others alone (the built-in VLA was
trained on manipulation; navigation stays the classical controller), and a mapping
(``{"pick": "vla"}``, or ``"pick=vla,place=vla"`` on the command line) names backends per
skill.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from housemind.skills.policies.base import (
    Policy,
    backend_supports,
    get_policy_factory,
    policy_backends,
)

if TYPE_CHECKING:
    from housemind.skills.spec import Skill, SkillSpec
    from housemind.skills.types import RobotEnv

__all__ = ["PolicyChoice", "backend_for", "parse_policy_choice", "policy_factory"]

#: No override (None), one backend for all it supports, or a backend per skill.
PolicyChoice = str | Mapping[str, str] | None


def parse_policy_choice(text: str | None) -> PolicyChoice:
    """``"vla"`` -> ``"vla"``; ``"pick=vla,place=vla"`` -> ``{"pick": "vla", ...}``.

    Raises:
        ValueError: for an unknown backend or a malformed pair (the message says which).
    """
    if text is None or not text.strip():
        return None
    known = policy_backends()
    if "=" not in text:
        name = text.strip()
        if name not in known:
            raise ValueError(f"unknown policy backend {name!r}; registered: {', '.join(known)}")
        return name
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        skill, sep, backend = part.partition("=")
        if not sep or not skill.strip() or not backend.strip():
            raise ValueError(f"policy override {part!r} is not skill=backend (e.g. pick=vla)")
        if backend.strip() not in known:
            raise ValueError(
                f"unknown policy backend {backend.strip()!r}; registered: {', '.join(known)}"
            )
        out[skill.strip()] = backend.strip()
    return out


def backend_for(spec: SkillSpec, choice: PolicyChoice = None) -> str:
    """The backend that runs ``spec`` under ``choice``."""
    if choice is None:
        return spec.policy
    if isinstance(choice, Mapping):
        return choice.get(spec.name, spec.policy)
    return choice if backend_supports(choice, spec) else spec.policy


def policy_factory(choice: PolicyChoice = None) -> Callable[[Skill, RobotEnv], Policy]:
    """A ``policy_for(skill, env)`` for the executor that honours ``choice``."""

    def build(skill: Skill, env: RobotEnv) -> Policy:
        return get_policy_factory(backend_for(skill.spec, choice))(skill.spec, skill.args, env)

    return build
