"""Plan-level look-ahead, tested against HomeSim's own hazard checks.

For each step the monitor predicts the state of the believed home after it. A step it
refuses or asks about must, once the home is in that state, show the hazard in
``sim.home.hazards``; its safe twin must be allowed and show none. Each refused step here
was allowed by the rule book alone (its word lists do not name the thing).
"""

from __future__ import annotations

import math

import pytest

from housemind.agent.planners.base import Subtask
from housemind.safety import SafetyContext, SafetyMonitor, Verdict
from housemind.safety.lookahead import LookAhead
from housemind.safety.plan import PlanChecker
from housemind.safety.rulebook import load_rulebook
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.hazards import hazards


@pytest.fixture(autouse=True)
def _words_only(monkeypatch):
    monkeypatch.setenv("HOUSEMIND_SAFETY_EMBEDDINGS", "0")


@pytest.fixture(scope="module")
def monitor():
    return SafetyMonitor()


def _house() -> HomeSimEnv:
    env = HomeSimEnv(seed=0, home="house")
    env.reset(seed=0)
    return env


def _free_by(env: HomeSimEnv, fixture: str, taken=()) -> tuple[float, float]:
    """A free spot within about a metre of a fixture."""
    r = env.layout.fixtures[fixture].rect
    for d in (0.6, 0.8, 1.0):
        for dx, dy in ((0, d), (0, -d), (d, 0), (-d, 0), (d, d), (-d, -d), (d, -d), (-d, d)):
            x, y = r.cx + dx, r.cy + dy
            if env.is_free(x, y) and all(math.hypot(x - a, y - b) > 0.5 for a, b in taken):
                return x, y
    raise AssertionError(f"no free spot by the {fixture}")


def _ctx(env, step: Subtask, facts=(), kinds=None, extra=None) -> SafetyContext:
    obs = env.observe()
    known = {n: o.kind for n, o in env.world.objects.items()}
    known.update({n: f.kind for n, f in env.layout.fixtures.items()})
    known.update(kinds or {})
    return SafetyContext.from_observation(
        step,
        obs,
        risk="medium" if step.skill == "toggle" else "low",
        people_home=env.presence(),
        facts=set(facts),
        kinds=known,
        extra=extra,
    )


def _put(env, obj: str, place: str, relation: str = "in") -> None:
    o = env.world.objects[obj]
    o.relation, o.place = relation, place
    r = env.layout.fixtures[place].rect
    o.x, o.y = r.cx, r.cy


def _kinds_of(env) -> set[str]:
    return {h.kind for h in hazards(env)}


def _old_rules_allow(ctx: SafetyContext) -> bool:
    return PlanChecker(load_rulebook()).check(ctx).allowed


def test_keys_in_a_running_microwave(monitor):
    env = _house()
    step = Subtask(skill="toggle", args={"target": "microwave", "state": "on"}, text="start it")
    for thing, expect in (("keys", Verdict.DENY), ("mug", Verdict.ALLOW)):
        env = _house()
        ctx = _ctx(env, step, facts={f"in({thing},microwave)"})
        v = monitor.check_subtask(ctx)
        assert v.verdict is expect, (thing, v)
        _put(env, thing, "microwave")
        env.set_fixture("microwave", on=True)
        seen = "metal_in_microwave" in _kinds_of(env)
        assert seen == (expect is Verdict.DENY), (thing, hazards(env))
        if expect is Verdict.DENY:
            assert "la:microwave-unsafe" in v.rules and "keys" in v.reasons[0]
            assert _old_rules_allow(ctx)  # the rule book's metal list has no keys


def test_phone_into_the_running_sink(monitor):
    for thing, expect in (("phone", Verdict.DENY), ("mug", Verdict.ALLOW)):
        env = _house()
        env.set_fixture("sink", on=True)
        step = Subtask(
            skill="place",
            args={"object": thing, "target": "sink", "relation": "in"},
            text=f"put the {thing} in the sink",
        )
        ctx = _ctx(env, step, facts={"switched_on(sink)"})
        v = monitor.check_subtask(ctx)
        assert v.verdict is expect, (thing, v)
        _put(env, thing, "sink")
        assert ("water_near_electrical" in _kinds_of(env)) == (expect is Verdict.DENY)
        if expect is Verdict.DENY:
            assert _old_rules_allow(ctx)


def test_child_near_what_the_step_leaves_out(monitor):
    for thing, expect in (("bleach", Verdict.CONFIRM), ("apple", Verdict.ALLOW)):
        env = _house()
        x, y = _free_by(env, "coffee_table")
        cx, cy = _free_by(env, "coffee_table", taken=[(x, y)])
        env.set_robot_pose(x, y, math.atan2(cy - y, cx - x))  # looking at the child
        env.place_person("mia", cx, cy, kind="child")
        step = Subtask(
            skill="place",
            args={"object": thing, "target": "coffee_table", "relation": "on"},
            text=f"put the {thing} on the coffee table",
        )
        ctx = _ctx(env, step)
        assert "mia" in ctx.children()
        v = monitor.check_subtask(ctx)
        assert v.verdict is expect, (thing, v)
        _put(env, thing, "coffee_table", "on")
        assert ("child_near_chemicals" in _kinds_of(env)) == (expect is Verdict.CONFIRM)
        if expect is not Verdict.ALLOW:
            assert "la:child-reach" in v.rules and _old_rules_allow(ctx)


def test_front_door_with_the_cat_at_home_but_not_near(monitor):
    env = _house()
    step = Subtask(skill="open", args={"target": "front_door"}, text="open the front door")
    ctx = _ctx(env, step, extra={"pets_home": ["luna"]})
    assert not ctx.pets_near_robot and _old_rules_allow(ctx)
    v = monitor.check_subtask(ctx)
    assert v.verdict is Verdict.CONFIRM and "la:pet-door" in v.rules
    env.set_fixture("front_door", open=True)
    assert "door_open_with_pet" in _kinds_of(env)
    # Nobody furry at home: the same step is fine.
    calm = _ctx(env, step, extra={"pets_home": []})
    assert monitor.check_subtask(calm).allowed


def test_heat_left_on_when_nobody_is_home(monitor):
    env = _house()
    for name in list(env.world.residents):
        env.world.residents[name].home = False
    step = Subtask(skill="navigate", args={"target": "bed"}, text="go to the bed")
    on = _ctx(env, step, facts={"switched_on(stove)"})
    v = monitor.check_subtask(on)
    assert v.verdict is Verdict.CONFIRM and "la:heat-left-on" in v.rules
    env.set_fixture("stove", on=True)
    assert "hot_surface" in _kinds_of(env) and not env.presence()
    off = _ctx(env, step, facts={"switched_off(stove)"})
    assert monitor.check_subtask(off).allowed


def test_lookahead_predicts_the_step_effect():
    la = LookAhead()
    ctx = SafetyContext(
        skill="place",
        args={"object": "Pot_1", "target": "StoveBurner", "relation": "on"},
        facts={"on(Pot_1,counter)", "switched_on(StoveBurner)"},
    )
    after = la.predict(ctx)
    assert after.where("Pot_1") == [("on", "StoveBurner")]
    assert la.kind("Pot_1").name == "cookware" and la.kind("StoveBurner").name == "cooker"
    towel = ctx.model_copy(update={"args": {**ctx.args, "object": "DishTowel"}})
    v = la.check(towel)
    assert v.verdict is Verdict.DENY and "flammable" in v.reasons[0]
