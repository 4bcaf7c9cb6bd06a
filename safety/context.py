"""What the monitor knows about one plan step: :class:`SafetyContext`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

if TYPE_CHECKING:
    from housemind.agent.planners.base import Subtask
    from housemind.skills.types import Observation

__all__ = ["CHILD_KINDS", "NEAR_PEOPLE_M", "SafetyContext", "kind_of"]

#: People closer than this (m) to the robot count as near it for plan rules.
NEAR_PEOPLE_M = 1.5

#: Detection kinds that mark a person as a child.
CHILD_KINDS = frozenset({"child", "kid", "toddler", "baby", "infant"})

_INSTANCE_SUFFIX = re.compile(r"(_?\d+)$")


def kind_of(name: str | None) -> str | None:
    """Guess the kind of a thing from its instance name: ``plate_2`` -> ``plate``."""
    if not name:
        return None
    return _INSTANCE_SUFFIX.sub("", name.strip().lower().replace(" ", "_")) or None


class SafetyContext(BaseModel):
    """One plan step and the situation it would run in.

    Attributes:
        skill: Skill name of the step (``"toggle"``).
        args: Skill arguments (``{"target": "stove", "state": "on"}``).
        text: The step in words (``"switch on the stove"``).
        risk: The skill's risk level (from its ``SkillSpec``).
        people_home: Names of the people believed to be at home.
        people_near_robot: Names of people detected within about 1.5 m of the robot.
        pets_near_robot: Names of pets detected within about 1.5 m of the robot.
        held: Name of the object in the gripper, if any.
        held_kind: Kind of the held object, when known (else guessed from ``held``).
        facts: Facts believed true now (``switched_on(stove)``, ``on(pot,stove)``).
        time: Time of the step (timezone-aware), if known.
        target_kind: Kind of ``args["target"]``, when known (else guessed from the name).
        object_kind: Kind of ``args["object"]``, when known (else guessed from the name).
        extra: Anything else; ``extra["children"]`` lists people who are children.
    """

    skill: str
    args: dict[str, Any] = Field(default_factory=dict)
    text: str = ""
    risk: Literal["low", "medium", "high"] = "low"
    people_home: list[str] = Field(default_factory=list)
    people_near_robot: list[str] = Field(default_factory=list)
    pets_near_robot: list[str] = Field(default_factory=list)
    held: str | None = None
    held_kind: str | None = None
    facts: set[str] = Field(default_factory=set)
    time: datetime | None = None
    target_kind: str | None = None
    object_kind: str | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    def kind(self, role: Literal["object", "target", "held"]) -> str | None:
        """Kind of the step's object, target or held thing (given, else guessed)."""
        if role == "held":
            return self.held_kind or kind_of(self.held)
        given = self.object_kind if role == "object" else self.target_kind
        name = self.args.get(role)
        return given or kind_of(str(name) if name is not None else None)

    def children(self) -> set[str]:
        """Names of people who are children (``extra["children"]``)."""
        kids = self.extra.get("children") or ()
        return {kids} if isinstance(kids, str) else set(kids)

    def subject(self) -> str:
        """A one-line description for the audit log."""
        args = ", ".join(f"{k}={v}" for k, v in self.args.items())
        call = f"{self.skill}({args})"
        return f"{call}: {self.text}" if self.text else call

    @classmethod
    def from_subtask(cls, subtask: Subtask, **situation: Any) -> SafetyContext:
        """Build a context from a planner :class:`~agent.planners.base.Subtask`.

        Args:
            subtask: The step.
            **situation: Any other field (``risk``, ``people_home``, ``facts``, ...).
        """
        return cls(skill=subtask.skill, args=dict(subtask.args), text=subtask.text, **situation)

    @classmethod
    def from_observation(
        cls,
        subtask: Subtask,
        obs: Observation,
        *,
        risk: Literal["low", "medium", "high"] = "low",
        people_home: Iterable[str] = (),
        facts: Iterable[str] = (),
        kinds: Mapping[str, str] | None = None,
        near_m: float = NEAR_PEOPLE_M,
        extra: Mapping[str, Any] | None = None,
    ) -> SafetyContext:
        """Build a context from a subtask and the robot's latest observation.

        People and pets within ``near_m`` become ``people_near_robot`` /
        ``pets_near_robot``; detected people of a child kind (``CHILD_KINDS``) are added to
        ``extra["children"]``; kinds of the target, object and held thing come from
        ``kinds`` (name -> kind, e.g. from memory) or the detections. Hazard detections
        add the fact ``hazard(<kind>,<main thing>)`` (``hazard(burning_food,pot)``).

        Args:
            subtask: The step.
            obs: The latest observation.
            risk: The skill's risk level.
            people_home: Names of people at home.
            facts: Remembered facts, added to those the observation supports.
            kinds: Known kinds by name.
            near_m: Distance (m) within which people count as near.
            extra: Extra context (copied).
        """
        known = dict(kinds or {})
        near_people: list[str] = []
        near_pets: list[str] = []
        children: set[str] = set()
        p = obs.proprio
        seen_hazards: set[str] = set()
        for d in obs.detections:
            known.setdefault(d.name, d.kind)
            if d.category == "hazard":
                # hazard(burning_food,pot), hazard(wet_floor,spill_1): the kind the
                # simulator (or a detector) named, and the main thing involved.
                things = d.state.get("things") or [d.name]
                seen_hazards.add(f"hazard({d.state.get('hazard', d.kind)},{things[0]})")
            if d.category == "person" and d.kind in CHILD_KINDS:
                children.add(d.name)
            if d.category in ("person", "pet"):
                dist = math.hypot(d.position[0] - p.x, d.position[1] - p.y)
                if min(dist, d.distance) <= near_m:
                    (near_people if d.category == "person" else near_pets).append(d.name)
        more = dict(extra or {})
        if children:
            given = more.get("children") or ()
            more["children"] = sorted(
                children | ({given} if isinstance(given, str) else set(given))
            )
        target, obj = subtask.args.get("target"), subtask.args.get("object")
        return cls(
            skill=subtask.skill,
            args=dict(subtask.args),
            text=subtask.text,
            risk=risk,
            people_home=list(people_home),
            people_near_robot=near_people,
            pets_near_robot=near_pets,
            held=p.held,
            held_kind=known.get(p.held) if p.held else None,
            facts=obs.facts() | seen_hazards | set(facts),
            time=obs.time,
            target_kind=known.get(target) if isinstance(target, str) else None,
            object_kind=known.get(obj) if isinstance(obj, str) else None,
            extra=more,
        )
