"""Check a plan against skill preconditions and effects before anything moves.

Every plan, from any backend, is simulated symbolically (STRIPS-style): each subtask's
preconditions must hold in the facts believed before it, then its effects apply. One
derived rule models reach: when the robot is near a fixture, it is near every object on
it, and every object in it unless the fixture is closed. A precondition written ``not f``
must not hold. The static facts of the home (what each thing *is*: ``movable(mug)``,
``accepts_in(sink)``; see :func:`agent.knowledge.static_facts`) are believed from the map
of the home and the kinds of the objects memory knows.
"""

from __future__ import annotations

from fnmatch import fnmatchcase

from housemind.agent.knowledge import static_facts
from housemind.agent.planners.base import Plan, PlanContext
from housemind.skills.spec import SkillRegistry, UnknownSkillError
from housemind.skills.types import atom, parse_atom

__all__ = ["PlanValidationError", "believed_facts", "validate_plan"]


class PlanValidationError(ValueError):
    """A plan that would not work; the message names the step and the missing facts."""


def believed_facts(context: PlanContext) -> set[str]:
    """Facts the planner may assume.

    Observed facts, remembered object placements and the static facts of the home.
    """
    facts = set(context.facts)
    kinds = {**{o: o for o in context.object_places}, **context.object_kinds}
    if context.held and context.held not in kinds:
        kinds[context.held] = context.held
    facts |= static_facts(context.rooms, context.fixtures, kinds)
    for obj, place in context.object_places.items():
        fx = context.fixtures.get(place)
        if fx is None:
            continue  # on a room's floor: only near it after navigating to it
        rel = "in" if fx.container and not fx.surface else "on"
        facts.add(atom(rel, obj, place))
    if context.held:
        facts.add(atom("holding", context.held))
        facts.discard("hand_empty")
    elif not any(f.startswith("holding(") for f in facts):
        facts.add("hand_empty")
    if context.robot_room:
        facts.add(atom("near", context.robot_room))
    return facts


def _derived(facts: set[str]) -> set[str]:
    out = set(facts)
    near = {parse_atom(f)[1][0] for f in facts if f.startswith("near(")}
    for f in facts:
        pred, args = parse_atom(f)
        if pred in ("on", "in") and len(args) == 2 and args[1] in near:
            if pred == "in" and atom("closed", args[1]) in facts:
                continue
            out.add(atom("near", args[0]))
    return out


def _remove(facts: set[str], pattern: str) -> None:
    if "*" in pattern:
        facts.difference_update({f for f in facts if fnmatchcase(f, pattern)})
    else:
        facts.discard(pattern)


def validate_plan(plan: Plan, registry: SkillRegistry, context: PlanContext) -> Plan:
    """Return ``plan`` with each subtask's text filled in, if it is executable.

    Raises:
        PlanValidationError: for an unknown skill, bad arguments, or a step whose
            preconditions would not hold.
    """
    facts = believed_facts(context)
    for i, st in enumerate(plan.subtasks, 1):
        try:
            sk = registry.bind(st.skill, st.args)
        except (UnknownSkillError, ValueError) as e:
            raise PlanValidationError(f"step {i} ({st.skill} {st.args}): {e}") from None
        st.text = st.text or sk.text
        now = _derived(facts)
        missing = [
            p
            for p in sk.preconditions()
            if (p.removeprefix("not ") in now if p.startswith("not ") else p not in now)
        ]
        if missing:
            raise PlanValidationError(
                f"step {i} '{sk.text}' needs {', '.join(missing)}, which would not hold then"
                if not all(p.startswith("not ") for p in missing)
                else f"step {i} '{sk.text}' needs {', '.join(missing)}, but that would be so"
            )
        for d in sk.del_effects():
            _remove(facts, d)
        facts.update(sk.add_effects())
    return plan
