"""Skill specifications and the skill registry.

A skill is a short, language-described behaviour that System 1 can execute ("pick up the
mug"). Its :class:`SkillSpec` gives the planner what it needs to reason symbolically
(preconditions and effects over facts, see :mod:`skills.types`) and the executor what it
needs to run it (policy backend, timeout). Skills register with :func:`skill`, which
decorates the skill's pydantic parameter model::

    @skill(
        name="pick",
        template="pick up the {object}",
        preconditions=["near({object})", "hand_empty"],
        effects=["holding({object})", "not hand_empty", "not on({object},*)",
                 "not in({object},*)"],
        risk="low",
        timeout_s=30,
    )
    class PickParams(SkillParams):
        object: str

Third-party packages can expose skills through the entry-point group
``housemind.skills``; :meth:`SkillRegistry.load_entry_points` imports them.
"""

from __future__ import annotations

import difflib
import logging
import string
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from housemind.skills.types import parse_atom

__all__ = [
    "REGISTRY",
    "Skill",
    "SkillParams",
    "SkillRegistry",
    "SkillSpec",
    "UnknownSkillError",
    "skill",
]

logger = logging.getLogger(__name__)

Risk = Literal["low", "medium", "high"]
ENTRY_POINT_GROUP = "housemind.skills"


class SkillParams(BaseModel):
    """Base class for a skill's parameters (names of things in the home, options)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class UnknownSkillError(KeyError):
    """A skill name that is not registered."""

    def __str__(self) -> str:
        return str(self.args[0])


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@dataclass(frozen=True)
class SkillSpec:
    """What a skill is, for the planner, the safety monitor and the executor.

    Attributes:
        name: Identifier used in plans (``"pick"``).
        template: Language template rendered with the params (``"pick up the {object}"``);
            this text is the instruction a VLA policy receives.
        params: Pydantic model of the parameters.
        preconditions: Fact templates that must hold before the skill runs.
        effects: Fact templates that hold after success; ``"not f"`` removes ``f``, and
            ``*`` in a removed fact matches any argument.
        risk: ``low``, ``medium`` or ``high``; the safety monitor is stricter with risk.
        timeout_s: Simulated or wall seconds after which the executor gives up.
        policy: Name of the policy backend that executes the skill.
        description: One line for people and for model prompts.

    Raises:
        ValueError: at definition time, if the spec is inconsistent.
    """

    name: str
    template: str
    params: type[SkillParams]
    preconditions: tuple[str, ...] = ()
    effects: tuple[str, ...] = ()
    risk: Risk = "low"
    timeout_s: float = 60.0
    policy: str = "scripted"
    description: str = ""
    success: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"skill name {self.name!r} must be an identifier")
        if not self.template:
            raise ValueError(f"skill {self.name!r} needs a language template")
        if not (isinstance(self.params, type) and issubclass(self.params, BaseModel)):
            raise ValueError(f"skill {self.name!r}: params must be a pydantic model class")
        if self.timeout_s <= 0:
            raise ValueError(f"skill {self.name!r}: timeout_s must be > 0, got {self.timeout_s}")
        if self.risk not in ("low", "medium", "high"):
            raise ValueError(f"skill {self.name!r}: risk must be low, medium or high")
        known = set(self.params.model_fields) | set(self.params.model_computed_fields)
        for text in (self.template, *self.preconditions, *self.effects, *self.success):
            missing = _fields(text) - known
            if missing:
                raise ValueError(
                    f"skill {self.name!r}: {text!r} uses {sorted(missing)}, which are not "
                    f"fields of {self.params.__name__} ({sorted(known)})"
                )
        dummy = {k: "x" for k in known}
        for fact in (*self.preconditions, *self.effects, *self.success):
            parse_atom(fact.removeprefix("not ").format(**dummy))

    def bind(self, **args: Any) -> Skill:
        """Validate ``args`` and return a ready-to-run :class:`Skill`.

        Raises:
            ValueError: naming the skill and the bad argument.
        """
        try:
            params = self.params(**args)
        except ValidationError as e:
            raise ValueError(f"bad arguments for skill {self.name!r}: {e}") from None
        return Skill(spec=self, params=params)


@dataclass(frozen=True)
class Skill:
    """A skill bound to concrete parameters."""

    spec: SkillSpec
    params: SkillParams

    @property
    def args(self) -> dict[str, Any]:
        """The parameters as a plain dict (computed fields excluded)."""
        return self.params.model_dump(exclude=set(self.params.model_computed_fields))

    def _fmt(self, text: str) -> str:
        return text.format(**{k: str(v) for k, v in self.params.model_dump().items()})

    @property
    def text(self) -> str:
        """The language instruction, e.g. ``"pick up the mug"``."""
        return self._fmt(self.spec.template).replace("_", " ")

    def preconditions(self) -> list[str]:
        """Grounded preconditions."""
        return [self._fmt(p) for p in self.spec.preconditions]

    def add_effects(self) -> list[str]:
        """Grounded facts that hold after success."""
        return [self._fmt(e) for e in self.spec.effects if not e.startswith("not ")]

    def del_effects(self) -> list[str]:
        """Grounded facts (possibly with ``*``) that no longer hold after success."""
        return [
            self._fmt(e.removeprefix("not ")) for e in self.spec.effects if e.startswith("not ")
        ]

    def success_facts(self) -> list[str]:
        """Facts the executor checks in observations to declare success.

        Defaults to the add effects when the spec gives no explicit success facts.
        """
        if self.spec.success:
            return [self._fmt(s) for s in self.spec.success]
        return self.add_effects()


class SkillRegistry:
    """Skills by name."""

    def __init__(self) -> None:
        self._specs: dict[str, SkillSpec] = {}
        self._entry_points_loaded: str | None = None
        self._loaded_names: list[str] = []

    def register(self, spec: SkillSpec, *, replace: bool = False) -> SkillSpec:
        """Add a skill.

        Raises:
            ValueError: if the name is taken and ``replace`` is false.
        """
        if spec.name in self._specs and not replace and self._specs[spec.name] != spec:
            raise ValueError(
                f"a skill named {spec.name!r} is already registered; pick another name, or "
                "pass replace=True to replace it on purpose"
            )
        self._specs[spec.name] = spec
        return spec

    def get(self, name: str) -> SkillSpec:
        """Look up a skill.

        Raises:
            UnknownSkillError: with close matches, if ``name`` is not registered.
        """
        try:
            return self._specs[name]
        except KeyError:
            close = difflib.get_close_matches(name, self._specs, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            raise UnknownSkillError(
                f"unknown skill {name!r}{hint} (known: {', '.join(sorted(self._specs))})"
            ) from None

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self):
        return iter(sorted(self._specs.values(), key=lambda s: s.name))

    def __len__(self) -> int:
        return len(self._specs)

    def names(self) -> list[str]:
        """Registered skill names, sorted."""
        return sorted(self._specs)

    def bind(self, name: str, args: dict[str, Any]) -> Skill:
        """Look up ``name`` and bind ``args``."""
        return self.get(name).bind(**args)

    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> list[str]:
        """Import third-party skill modules advertised under ``group``.

        Each entry point should name a module (or callable) whose import registers skills.
        A broken plug-in is logged and skipped, so one bad package cannot stop the robot.

        Returns:
            The names of the entry points loaded (by this call or an earlier one).
        """
        if self._entry_points_loaded == group:
            return list(self._loaded_names)
        loaded = []
        for ep in entry_points(group=group):
            try:
                obj = ep.load()
                if callable(obj) and not isinstance(obj, type):
                    obj(self)
                loaded.append(ep.name)
            except Exception:  # noqa: BLE001 - a plug-in must not take the robot down
                logger.exception("could not load skill plug-in %r (%s)", ep.name, ep.value)
        self._entry_points_loaded = group
        self._loaded_names = loaded
        return loaded


#: The default registry that :func:`skill` registers into.
REGISTRY = SkillRegistry()


def skill(
    *,
    name: str,
    template: str,
    preconditions: Iterable[str] = (),
    effects: Iterable[str] = (),
    risk: Risk = "low",
    timeout_s: float = 60.0,
    policy: str = "scripted",
    description: str = "",
    success: Iterable[str] = (),
    registry: SkillRegistry | None = None,
    replace: bool = False,
) -> Callable[[type[SkillParams]], type[SkillParams]]:
    """Register the decorated params model as a skill (see the module docstring).

    Args:
        name: The skill's identifier (what plans name).
        template: Its language form, with ``{field}`` for each parameter.
        preconditions: Facts that must hold before it runs (the planner uses them).
        effects: Facts it makes true (``not f`` for facts it makes false).
        risk: ``low``, ``medium`` or ``high`` (the safety monitor's prior).
        timeout_s: How long the executor lets it run (default 60 s).
        policy: The System 1 backend that runs it (``scripted`` by default).
        description: One line for people and model planners (default: the docstring).
        success: Facts that show it worked, when they differ from the effects.
        registry: Where to register (default: :data:`REGISTRY`).
        replace: Replace a skill of the same name (e.g. a built-in); without it a clash
            is an error, so a plug-in never silently takes over a built-in skill.

    Raises:
        ValueError: at import time, if the spec is inconsistent or the name is taken.
    """

    def deco(params: type[SkillParams]) -> type[SkillParams]:
        spec = SkillSpec(
            name=name,
            template=template,
            params=params,
            preconditions=tuple(preconditions),
            effects=tuple(effects),
            risk=risk,
            timeout_s=timeout_s,
            policy=policy,
            description=description or (params.__doc__ or "").strip().splitlines()[0]
            if (description or params.__doc__)
            else "",
            success=tuple(success),
        )
        (registry if registry is not None else REGISTRY).register(spec, replace=replace)
        params.skill_spec = spec  # type: ignore[attr-defined]
        return params

    return deco
