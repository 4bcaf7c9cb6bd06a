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
    parse_policy_spec,
    policy_backends,
)

if TYPE_CHECKING:
    from housemind.skills.spec import Skill, SkillSpec
    from housemind.skills.types import RobotEnv

__all__ = ["PolicyChoice", "backend_for", "parse_policy_choice", "policy_factory"]

#: No override (None), one backend for all it supports, or a backend per skill.
PolicyChoice = str | Mapping[str, str] | None


def _check_backend(name: str) -> str:
    """``name`` if it is a registered backend or a well-formed remote spec, else ValueError."""
    if "://" in name:
        parse_policy_spec(name)  # raises ValueError saying what is wrong
        return name
    known = policy_backends()
    if name not in known:
        raise ValueError(
            f"unknown policy backend {name!r}; registered: {', '.join(known)} "
            "(or a remote spec such as openpi://HOST:PORT)"
        )
    return name


def parse_policy_choice(text: str | None) -> PolicyChoice:
    """``"vla"`` -> ``"vla"``; ``"pick=vla,place=vla"`` -> ``{"pick": "vla", ...}``.

    A backend may also be a remote spec (``openpi://HOST:PORT``, see
    :func:`~housemind.skills.policies.base.resolve_policy`); a remote spec that has
    ``?options`` must be given alone (its ``&`` and ``=`` are not pairs).

    Raises:
        ValueError: for an unknown backend or a malformed pair (the message says which).
    """
    if text is None or not text.strip():
        return None
    text = text.strip()
    if "://" in text.split(",", 1)[0].split("=", 1)[0] or "=" not in text:
        return _check_backend(text)
    out: dict[str, str] = {}
    for part in (p.strip() for p in text.split(",") if p.strip()):
        skill, sep, backend = part.partition("=")
        if not sep or not skill.strip() or not backend.strip():
            raise ValueError(f"policy override {part!r} is not skill=backend (e.g. pick=vla)")
        out[skill.strip()] = _check_backend(backend.strip())
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
