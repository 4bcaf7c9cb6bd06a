from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from housemind.agent.planners.base import Subtask
from housemind.safety import SafetyContext, Verdict, kind_of
from housemind.skills.types import Detection, Observation, Proprio

EVENING = datetime(2025, 3, 4, 18, 0, tzinfo=ZoneInfo("Europe/Berlin"))
NIGHT = datetime(2025, 3, 5, 2, 30, tzinfo=ZoneInfo("Europe/Berlin"))


def ctx(skill: str, **kw) -> SafetyContext:
    kw.setdefault("time", EVENING)
    return SafetyContext(skill=skill, **kw)


def stove_on(**kw) -> SafetyContext:
    return ctx("toggle", args={"target": "stove", "state": "on"}, risk="medium", **kw)


def check(monitor, c):
    return monitor.check_subtask(c)


def test_stove_on_nobody_home_denied(monitor):
    v = check(monitor, stove_on(people_home=[], facts={"on(pot,stove)"}))
    assert v.verdict is Verdict.DENY
    assert "heat-on-nobody-home" in v.rules
    assert any("stove" in r and "Nobody is home" in r for r in v.reasons)


def test_stove_on_with_someone_home_and_pot_allowed(monitor):
    v = check(monitor, stove_on(people_home=["alex"], facts={"on(pot,stove)"}))
    assert v.verdict is Verdict.ALLOW and v.rules == []


def test_oven_and_instance_names_count_as_heat(monitor):
    v = check(monitor, ctx("toggle", args={"target": "oven_1", "state": "on"}))
    assert "heat-on-nobody-home" in v.rules
    v = check(
        monitor,
        ctx(
            "toggle",
            args={"target": "cooker_left", "state": "on"},
            target_kind="stove",
            people_home=["alex"],
        ),
    )
    assert v.rules == ["hob-on-empty"]


def test_switching_off_is_always_fine(monitor):
    v = check(monitor, ctx("toggle", args={"target": "stove", "state": "off"}))
    assert v.allowed


def test_empty_stove_needs_confirm(monitor):
    v = check(monitor, stove_on(people_home=["alex"], facts={"on(mug,table)"}))
    assert v.verdict is Verdict.CONFIRM and v.rules == ["hob-on-empty"]
    v = check(monitor, stove_on(people_home=["alex"], facts={"in(water,stove)"}))
    assert v.allowed


def test_deny_beats_confirm_and_reasons_accumulate(monitor):
    v = check(monitor, stove_on(people_home=[]))
    assert v.verdict is Verdict.DENY
    assert set(v.rules) == {"heat-on-nobody-home", "hob-on-empty"}
    assert len(v.reasons) == 2


def test_heat_at_night_needs_confirm(monitor):
    v = check(monitor, stove_on(people_home=["alex"], facts={"on(pot,stove)"}, time=NIGHT))
    assert v.rules == ["heat-on-late-at-night"] and v.verdict is Verdict.CONFIRM


@pytest.mark.parametrize(
    "skill,args",
    [
        ("navigate", {"target": "kitchen"}),
        ("place", {"object": "knife", "target": "drawer", "relation": "in"}),
    ],
)
def test_knife_near_people_denied(monitor, skill, args):
    v = check(monitor, ctx(skill, args=args, held="knife", people_near_robot=["sam"]))
    assert v.verdict is Verdict.DENY and "no-sharp-near-people" in v.rules
    assert "knife" in v.reasons[0]


def test_picking_a_knife_up_next_to_someone_waits_for_them(monitor):
    v = check(monitor, ctx("pick", args={"object": "knife"}, people_near_robot=["sam"]))
    assert v.verdict is Verdict.DENY and "no-picking-sharp-near-people" in v.rules
    assert "knife" in v.reasons[0]
    assert monitor.rulebook.rule("no-picking-sharp-near-people").wait_s == 20
    assert check(monitor, ctx("pick", args={"object": "knife"}, people_near_robot=[])).allowed
    assert check(monitor, ctx("pick", args={"object": "mug"}, people_near_robot=["sam"])).allowed


def test_knife_with_nobody_near_or_mug_near_people_allowed(monitor):
    assert check(
        monitor,
        ctx(
            "navigate",
            args={"target": "kitchen"},
            held="knife",
            people_near_robot=[],
            people_home=["sam"],
        ),
    ).allowed
    assert check(
        monitor, ctx("navigate", args={"target": "kitchen"}, held="mug", people_near_robot=["sam"])
    ).allowed


def test_sharp_kind_from_context_or_compound_name(monitor):
    v = check(
        monitor,
        ctx(
            "navigate",
            args={"target": "hall"},
            held="thing_3",
            held_kind="scissors",
            people_near_robot=["sam"],
        ),
    )
    assert "no-sharp-near-people" in v.rules
    v = check(
        monitor,
        ctx("navigate", args={"target": "hall"}, held="chef_knife", people_near_robot=["sam"]),
    )
    assert "no-sharp-near-people" in v.rules


def test_metal_in_microwave_denied_but_mug_and_on_top_allowed(monitor):
    fork_in = ctx(
        "place", args={"object": "fork", "target": "microwave", "relation": "in"}, held="fork"
    )
    v = check(monitor, fork_in)
    assert v.verdict is Verdict.DENY and v.rules == ["no-placing-metal-in-microwave"]
    mug_in = ctx("place", args={"object": "mug", "target": "microwave", "relation": "in"})
    assert check(monitor, mug_in).allowed
    pan_kind = ctx(
        "place",
        args={"object": "p1", "target": "microwave", "relation": "in"},
        object_kind="frying_pan",
    )
    assert check(monitor, pan_kind).verdict is Verdict.DENY


def test_switching_on_microwave_with_metal_inside_denied(monitor):
    c = ctx(
        "toggle",
        args={"target": "microwave", "state": "on"},
        people_home=["a"],
        facts={"in(spoon_2,microwave)", "closed(microwave)"},
    )
    assert check(monitor, c).rules == ["no-microwave-with-metal-inside"]
    c = ctx(
        "toggle",
        args={"target": "microwave", "state": "on"},
        people_home=["a"],
        facts={"in(bowl,microwave)"},
    )
    assert check(monitor, c).allowed


def test_glass_onto_running_washer_needs_confirm(monitor):
    c = ctx(
        "place",
        args={"object": "glass", "target": "washer", "relation": "on"},
        facts={"switched_on(washer)"},
    )
    v = check(monitor, c)
    assert v.verdict is Verdict.CONFIRM and v.rules == ["liquid-onto-running-appliance"]
    c = ctx(
        "place",
        args={"object": "glass", "target": "washer", "relation": "on"},
        facts={"switched_off(washer)"},
    )
    assert check(monitor, c).allowed


def test_high_risk_near_child_needs_confirm(monitor):
    c = ctx(
        "cut",
        args={"object": "bread"},
        risk="high",
        people_near_robot=["mia"],
        extra={"children": ["mia"]},
    )
    v = check(monitor, c)
    assert v.verdict is Verdict.CONFIRM and v.rules == ["high-risk-near-child"]
    # The child is home but not near; or an adult is near.
    assert check(monitor, c.model_copy(update={"people_near_robot": []})).allowed
    assert check(monitor, c.model_copy(update={"people_near_robot": ["alex"]})).allowed
    assert check(monitor, c.model_copy(update={"risk": "low"})).allowed


def test_flammables_on_heat_and_pet_at_door(monitor):
    v = check(monitor, ctx("place", args={"object": "tea_towel", "target": "stove"}))
    assert v.verdict is Verdict.DENY and v.rules == ["no-flammables-on-heat"]
    assert check(monitor, ctx("place", args={"object": "tea_towel", "target": "rack"})).allowed
    v = check(monitor, ctx("open", args={"target": "front_door"}, pets_near_robot=["rex"]))
    assert v.rules == ["open-outside-door-near-pet"]
    assert check(monitor, ctx("open", args={"target": "front_door"})).allowed


def test_explanations_fill_only_plain_names(monitor):
    v = check(
        monitor, ctx("place", args={"object": "fork", "target": "microwave", "relation": "in"})
    )
    assert v.reasons == ["The fork is metal; metal in a microwave sparks and can start a fire."]


def test_kind_of():
    assert kind_of("plate_2") == "plate"
    assert kind_of("Knife") == "knife"
    assert kind_of(None) is None


def test_context_from_observation():
    obs = Observation(
        time=EVENING,
        image=np.zeros((2, 2, 3), np.uint8),
        proprio=Proprio(x=0.0, y=0.0, theta=0.0, held="k1", room="kitchen"),
        detections=[
            Detection("mia", "child", "person", (1.0, 0.0), 1.0, "kitchen"),
            Detection("alex", "adult", "person", (5.0, 0.0), 5.0, "kitchen"),
            Detection("rex", "dog", "pet", (0.5, 0.5), 0.7, "kitchen"),
            Detection("stove", "stove", "fixture", (1.0, 1.0), 1.4, "kitchen", state={"on": False}),
        ],
    )
    c = SafetyContext.from_observation(
        Subtask(skill="navigate", args={"target": "stove"}, text="go to the stove"),
        obs,
        people_home=["alex", "mia"],
        kinds={"k1": "knife"},
    )
    assert c.people_near_robot == ["mia"] and c.pets_near_robot == ["rex"]
    assert c.children() == {"mia"}
    assert c.held_kind == "knife" and c.target_kind == "stove"
    assert {"holding(k1)", "switched_off(stove)"} <= c.facts
    assert c.time == EVENING


def test_chore_skills_meet_the_same_rules_as_place(monitor):
    load_fork = ctx("load", args={"object": "fork", "target": "microwave"}, people_home=["a"])
    v = check(monitor, load_fork)
    assert v.verdict is Verdict.DENY and "no-loading-metal-in-microwave" in v.rules
    fold_on_stove = ctx("fold", args={"object": "towel", "target": "stove"}, people_home=["a"])
    assert "no-flammables-on-heat" in check(monitor, fold_on_stove).rules
    pour_tv = ctx("pour", args={"object": "mug", "target": "tv"}, people_home=["a"])
    assert check(monitor, pour_tv).verdict is Verdict.DENY
    bleach = ctx("load", args={"object": "bleach", "target": "fridge"}, people_home=["a"])
    assert check(monitor, bleach).verdict is Verdict.CONFIRM
    ok = ctx("load", args={"object": "plate", "target": "dishwasher"}, people_home=["a"])
    assert check(monitor, ok).verdict is Verdict.ALLOW
    kettle = ctx("pour", args={"object": "pot", "target": "kettle"}, people_home=["a"])
    assert check(monitor, kettle).verdict is Verdict.ALLOW
