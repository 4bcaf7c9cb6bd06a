"""Every plan, from any backend, checked before anything moves.

:class:`PlanCheck` runs, in order: a check that every argument names a room, fixture or
object the robot knows (:func:`check_names`), the planning-domain check
(:func:`validate_plan`: known skills, valid arguments, each step's preconditions hold given
the effects of the steps before it), a check that the plan's goal facts are made true by
its steps (:func:`check_goal_facts`), a check that nothing people said is not trash goes
in a bin (:func:`~agent.planners.corrections.check_not_trash`), and, when the runtime
provides one, the safety monitor's plan rules applied to every step in the situation it
would run in (``safety``). A failed check raises
:class:`~agent.planners.validate.PlanValidationError` (or :class:`UnsafePlanError`) with a
message a model can act on: the chain sends it back to the model that made the
plan.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from housemind.agent.planners.base import Plan, PlanContext, Subtask
from housemind.agent.planners.corrections import check_not_trash
from housemind.agent.planners.validate import (
    PlanValidationError,
    _derived,
    _remove,
    believed_facts,
    validate_plan,
)
from housemind.skills.spec import SkillRegistry
from housemind.skills.types import parse_atom

if TYPE_CHECKING:
    from housemind.safety import PlanChecker
    from housemind.skills.types import Observation

__all__ = [
    "PlanCheck",
    "PlanStepState",
    "SafetyPrecheck",
    "UnsafePlanError",
    "check_goal_facts",
    "check_names",
    "plan_states",
]


class UnsafePlanError(PlanValidationError):
    """A step of the plan that the safety monitor would deny; the message says which and why."""


class PlanStepState:
    """A step of a plan with the world as the plan expects it just before the step.

    Attributes:
        index: 1-based position in the plan.
        subtask: The step (its ``text`` filled in).
        facts: Facts expected to hold just before it (reach derived).
        held: What the robot is expected to hold then, or None.
    """

    __slots__ = ("facts", "held", "index", "subtask")

    def __init__(self, index: int, subtask: Subtask, facts: set[str], held: str | None) -> None:
        self.index = index
        self.subtask = subtask
        self.facts = facts
        self.held = held


def plan_states(
    plan: Plan, registry: SkillRegistry, context: PlanContext
) -> tuple[list[PlanStepState], set[str]]:
    """Progress the believed facts through ``plan`` (STRIPS-style, as :func:`validate_plan`).

    Does not check preconditions; run :func:`validate_plan` first.

    Returns:
        The state before each step, and the facts after the last one (reach derived).
    """
    facts = believed_facts(context)
    held = context.held
    states = []
    for i, st in enumerate(plan.subtasks, 1):
        sk = registry.bind(st.skill, st.args)
        st.text = st.text or sk.text
        states.append(PlanStepState(i, st, _derived(facts), held))
        for d in sk.del_effects():
            _remove(facts, d)
        facts.update(sk.add_effects())
        holding = [parse_atom(f)[1][0] for f in facts if f.startswith("holding(")]
        held = holding[0] if holding else None
    return states, _derived(facts)


_SLOT = re.compile(r"\{(\w+)\}")


def _known_names(context: PlanContext) -> set[str]:
    names = {*context.rooms, *context.fixtures, *context.object_places, *context.object_kinds}
    names.update(context.people_home)  # whom the robot can go to and speak to
    if context.held:
        names.add(context.held)
    return names


#: Skill arguments that are words to say, not names of things (``say``'s ``message``).
FREE_TEXT_ARGS = frozenset({"message", "text", "question"})


def check_names(plan: Plan, registry: SkillRegistry, context: PlanContext) -> None:
    """Every argument that names a thing names a room, fixture, object or person it knows.

    Arguments with a fixed set of values (``relation``, ``state``) are left to the skill's
    own validation; free text (:data:`FREE_TEXT_ARGS`) is not a name. A context with no
    map at all (no rooms, no fixtures) is not checked.

    Raises:
        PlanValidationError: naming the step, the argument and what is known instead.
    """
    if not context.rooms and not context.fixtures:
        return
    known = _known_names(context)
    for i, st in enumerate(plan.subtasks, 1):
        if st.skill not in registry.names():
            continue  # validate_plan names unknown skills
        spec = registry.get(st.skill)
        props = spec.params.model_json_schema().get("properties", {})
        # Only arguments that the skill's facts mention name things; a reminder's message
        # is free text.
        things = set(_SLOT.findall(" ".join([*spec.preconditions, *spec.effects])))
        for arg, value in st.args.items():
            if (
                not isinstance(value, str)
                or "enum" in props.get(arg, {})
                or arg in FREE_TEXT_ARGS
                or arg not in things
                or value in known
            ):
                continue
            same_kind = sorted(n for n, k in context.object_kinds.items() if k == value)
            hint = (
                f"objects of kind {value}: {', '.join(same_kind)}"
                if same_kind
                else f"rooms: {', '.join(sorted(context.rooms))}; fixtures: "
                f"{', '.join(sorted(context.fixtures))}; objects seen: "
                f"{', '.join(sorted(set(context.object_places) | set(context.object_kinds)))}"
            )
            raise PlanValidationError(
                f"step {i} ({st.skill} {arg}={value!r}): no room, fixture or object named "
                f"{value!r} is known; use a name from the situation ({hint}), or plan a search "
                "step and set complete to false"
            )


def check_goal_facts(plan: Plan, final_facts: set[str]) -> None:
    """A complete plan's goal facts are true after its steps.

    Raises:
        PlanValidationError: listing the goal facts no step makes true.
    """
    if not plan.complete:
        return
    missing = [f for f in plan.goal_facts if f not in final_facts]
    if missing:
        raise PlanValidationError(
            f"goal facts {', '.join(missing)} would not hold after the plan; list only facts "
            "that the steps' effects make true, or add the steps that make them true"
        )


class PlanCheck:
    """The checks a plan passes before the runtime dispatches its first step.

    Args:
        registry: The skills the plan may use.
        safety: Called with the plan, the context and the expected state before each step;
            raises :class:`UnsafePlanError` for a step the safety monitor would deny. The
            runtime provides a :class:`SafetyPrecheck` with its own monitor's rules.
    """

    def __init__(
        self,
        registry: SkillRegistry,
        safety: Callable[[Plan, PlanContext, list[PlanStepState]], None] | None = None,
    ) -> None:
        self.registry = registry
        self.safety = safety

    def __call__(self, plan: Plan, context: PlanContext, *, safety: bool = True) -> Plan:
        """Check ``plan``; return it (step texts filled in) or raise with the reason.

        Args:
            plan: The plan.
            context: What the planner knew.
            safety: Also ask the safety monitor's plan rules (when a checker was given).

        Raises:
            PlanValidationError: The plan would not work (the message says why).
            UnsafePlanError: A step would be denied by the safety monitor.
        """
        check_names(plan, self.registry, context)  # first: "no such thing" is the clearer reason
        validate_plan(plan, self.registry, context)
        states, final = plan_states(plan, self.registry, context)
        check_goal_facts(plan, final)
        check_not_trash(plan, self.registry, context)  # what people said is not trash
        if safety and self.safety is not None:
            self.safety(plan, context, states)
        return plan


class SafetyPrecheck:
    """The safety monitor's plan rules applied to every step of a plan before it runs.

    Each step is judged in the situation the plan expects (what the robot will hold, the
    facts its earlier steps make true) with the people and hazards of the latest
    observation. Nothing is audited: the gate asks the monitor again, audited, right
    before each step runs, when the situation may have changed.

    Args:
        rules: The monitor's plan-level checker (``safety.PlanChecker``).
        registry: The skills (for each step's risk level).
        situation: Returns the latest observation (None before the first look), the
            people at home and the time now.
    """

    def __init__(
        self,
        rules: PlanChecker,
        registry: SkillRegistry,
        situation: Callable[[], tuple[Observation | None, list[str], datetime]],
    ) -> None:
        self.rules = rules
        self.registry = registry
        self.situation = situation

    def __call__(self, plan: Plan, context: PlanContext, states: list[PlanStepState]) -> None:
        """Raise :class:`UnsafePlanError` for the first step the monitor would deny."""
        from housemind.safety import SafetyContext, Verdict

        obs, people, now = self.situation()
        if obs is None:
            return  # nothing observed yet: the gate judges each step when it comes
        kinds = dict(context.object_kinds)
        kinds.update({n: f.kind for n, f in context.fixtures.items()})
        for s in states:
            st = s.subtask
            ctx = SafetyContext.from_observation(
                st,
                obs,
                risk=self.registry.get(st.skill).risk,
                people_home=people,
                facts=s.facts,
                kinds=kinds,
            ).model_copy(
                update={
                    "time": now,
                    "held": s.held,
                    "held_kind": kinds.get(s.held) if s.held else None,
                }
            )
            v = self.rules.check(ctx)
            if v.verdict is Verdict.DENY:
                raise UnsafePlanError(
                    f"step {s.index} '{st.text}' would be refused by the safety monitor: "
                    f"{' '.join(v.reasons)} (rules: {', '.join(v.rules)}); plan without it"
                )
