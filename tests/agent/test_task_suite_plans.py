"""Plans for the task suite's chores that the plan check and the safety gate must pass.

Each case here failed ``housemind eval tasks`` once: an empty pan left on the hob when
it is switched on, a kettle lid only assumed shut checked as a goal fact, a person as the
target of ``navigate``, a reminder's free-text message checked as a name.
"""

from __future__ import annotations

import pytest

from housemind.agent.planners import FixtureInfo, PlanCheck, PlanContext, Subtask, get_planner
from housemind.agent.planners.validate import PlanValidationError
from housemind.skills import REGISTRY
from housemind.skills.types import state_facts

F = {
    "sink": FixtureInfo(name="sink", kind="sink", room="kitchen", container=True, switchable=True),
    "counter": FixtureInfo(name="counter", kind="counter", room="kitchen", surface=True),
    "stove": FixtureInfo(name="stove", kind="stove", room="kitchen", switchable=True, surface=True),
    "cabinet": FixtureInfo(
        name="cabinet", kind="cabinet", room="kitchen", openable=True, container=True
    ),
    "kettle": FixtureInfo(
        name="kettle", kind="kettle", room="kitchen", openable=True, switchable=True
    ),
    "sofa": FixtureInfo(name="sofa", kind="sofa", room="living_room", surface=True),
}
ROOMS = ["kitchen", "living_room"]


def ctx(**kw) -> PlanContext:
    base = {"rooms": ROOMS, "fixtures": F, "robot_room": "kitchen", "facts": ["hand_empty"]}
    base.update(kw)
    return PlanContext(**base)


def _steps(plan) -> list[tuple[str, str | None, str | None]]:
    return [(s.skill, s.args.get("object"), s.args.get("target")) for s in plan.subtasks]


def test_an_empty_pan_on_the_hob_is_set_aside_before_the_hob_goes_on():
    c = ctx(
        object_kinds={"pot": "pot", "pan": "pan", "pasta": "pasta"},
        object_places={"pot": "counter", "pan": "stove"},
        facts=[
            "hand_empty",
            "on(pot,counter)",
            "on(pan,stove)",
            "empty(pan)",
            "contains(pot,pasta)",
            "contains(pot,water)",
            "switched_off(stove)",
        ],
        home_places={"pan": "stove", "pot": "stove"},
    )
    plan = get_planner("symbolic").plan("cook the pasta in the pot on the stove", c)
    steps = _steps(plan)
    on = steps.index(("toggle", None, "stove"))
    off = len(steps) - 1 - steps[::-1].index(("toggle", None, "stove"))
    placed = [i for i, s in enumerate(steps) if s[0] == "place" and s[1] == "pan"]
    # off the hob (onto the counter) before it is switched on, back once it is off
    assert placed and placed[0] < on and steps[placed[0]][2] == "counter"
    assert placed[-1] > off and steps[placed[-1]][2] == "stove"
    assert ("place", "pot", "stove") in steps[:on]
    PlanCheck(REGISTRY)(plan, c)


def test_the_pot_to_cook_in_is_not_set_aside_even_when_it_is_empty():
    c = ctx(
        object_kinds={"pot": "pot", "pasta": "pasta"},
        object_places={"pot": "stove", "pasta": "cabinet"},
        facts=["hand_empty", "on(pot,stove)", "empty(pot)", "in(pasta,cabinet)", "closed(cabinet)"],
        home_places={"pot": "stove", "pasta": "cabinet"},
    )
    # A meal looks at the kitchen first (yesterday's pot may have been eaten from since).
    first = get_planner("symbolic").plan("make pasta for dinner", c)
    assert [(s.skill, s.args.get("target")) for s in first.subtasks] == [("navigate", "kitchen")]
    looked = [Subtask(skill="navigate", args={"target": "kitchen"})]
    plan = get_planner("symbolic").replan(
        "make pasta for dinner", c, done=looked, failed=None, reason=""
    )
    steps = _steps(plan)
    on = steps.index(("toggle", None, "stove"))
    assert ("place", "pot", "counter") not in steps
    assert ("add", "pasta", "pot") in steps[:on] and ("fill", "pot", "sink") in steps[:on]


def test_a_kettle_lid_only_assumed_shut_is_planned_on_but_not_checked():
    c = ctx(facts=["hand_empty", "contains(kettle,water)"])  # nobody saw the lid
    plan = get_planner("symbolic").plan("boil the water in the kettle", c)
    assert ("boil", None, "kettle") in _steps(plan)
    assert "closed(kettle)" not in plan.goal_facts and "boiled(kettle)" in plan.goal_facts
    PlanCheck(REGISTRY)(plan, c)  # every goal fact follows from what is known and done
    seen = ctx(facts=["hand_empty", "contains(kettle,water)", "closed(kettle)"])
    assert "closed(kettle)" in get_planner("symbolic").plan("boil the kettle", seen).goal_facts


def test_a_reminder_goes_to_a_person_at_home_and_its_message_is_free_text():
    c = ctx(people_home=["alex"])
    plan = get_planner("symbolic").plan("remind alex to charge your phone", c)
    assert [s.skill for s in plan.subtasks] == ["navigate", "say"]
    PlanCheck(REGISTRY)(plan, c)
    # Someone the robot does not know of is still refused, by name.
    with pytest.raises(PlanValidationError, match="'alex'"):
        PlanCheck(REGISTRY)(plan, ctx())


def test_seen_state_says_a_used_up_carton_is_empty_and_a_pan_with_eggs_is_not():
    assert "empty(milk)" in state_facts("milk", {"quantity": 0.0, "spoiled": False})
    assert "empty(milk)" not in state_facts("milk", {"quantity": 0.4})
    eggs = state_facts("pan", {"fill": 0.0, "liquid": "", "food": "eggs", "cooked": 0.0})
    assert "empty(pan)" not in eggs and "contains(pan,eggs)" in eggs
    assert "empty(pan)" in state_facts("pan", {"fill": 0.0, "liquid": ""})


def test_a_chore_that_uses_a_heat_source_does_not_switch_it_off_first():
    # Nobody home and the kettle on: boiling it is the chore, not a hazard to undo first.
    c = ctx(facts=["hand_empty", "contains(kettle,water)", "closed(kettle)", "switched_on(kettle)"])
    plan = get_planner("symbolic").plan("boil the water in the kettle", c)
    assert "nobody is home" not in plan.rationale
