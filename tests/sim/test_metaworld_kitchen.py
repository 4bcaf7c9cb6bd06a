"""The kitchen station: a HomeSim household plan calls Meta-World skills through the executor."""

from __future__ import annotations

import numpy as np
import pytest

from housemind.sim.metaworld.rendering import import_mujoco

try:  # MuJoCo through the bridge first: it picks the headless OpenGL backend
    import_mujoco()
    import metaworld  # noqa: F401
except ImportError:
    pytest.skip("needs the metaworld extra", allow_module_level=True)

from housemind.agent.planners.base import Plan, PlanContext, Subtask  # noqa: E402
from housemind.agent.planners.validate import (  # noqa: E402
    PlanValidationError,
    validate_plan,
)
from housemind.sim.home import HomeSimEnv  # noqa: E402
from housemind.sim.metaworld import ArmProprio, StationHome  # noqa: E402
from housemind.skills import REGISTRY, Executor, SkillRegistry  # noqa: E402


def _registry() -> SkillRegistry:
    reg = SkillRegistry()
    for spec in REGISTRY:  # the built-in household skills
        reg.register(spec)
    return reg


@pytest.fixture
def kitchen():
    reg = _registry()
    env = StationHome(HomeSimEnv(control_hz=80.0, seed=1), image_size=32, registry=reg)
    yield env, reg
    env.close()


def test_a_household_plan_runs_a_station_skill_in_mujoco(kitchen):
    env, reg = kitchen
    obs = env.observe()
    assert "near(counter)" not in obs.facts()
    plan = Plan(
        goal="make a coffee",
        subtasks=[
            Subtask(skill="navigate", args={"target": "counter"}),
            Subtask(skill="station_press_coffee_button"),
            Subtask(skill="navigate", args={"target": "table"}),
        ],
    )
    ctx = PlanContext(robot_room=obs.proprio.room, facts=sorted(obs.facts()))
    validate_plan(plan, reg, ctx)  # the planner's own check: preconditions chain
    assert plan.subtasks[1].text == "press the coffee machine button"
    t0 = env.clock.elapsed
    outcomes = []
    with Executor(env) as ex:
        for st in plan.subtasks:
            outcomes.append(ex.run(reg.bind(st.skill, st.args), timeout=300))
    assert [o.status for o in outcomes] == ["success"] * 3, [o.reason for o in outcomes]
    coffee = outcomes[1]
    assert "switched_on(coffee_machine)" in coffee.facts
    assert "near(counter)" in coffee.facts  # the home's view stays in the observation
    # It ran in MuJoCo: the coffee-button scene took exactly the executor's ticks and its
    # own success check held; the home's clock moved by those ticks at 80 Hz.
    scene = env.station.active
    assert scene is not None and scene.task == "coffee-button-v3"
    assert scene.solved and coffee.ticks == scene.steps > 0
    assert isinstance(coffee.last_observation.proprio, ArmProprio)
    assert coffee.last_observation.image.shape == (32, 32, 3)
    total = sum(o.ticks for o in outcomes)
    assert env.clock.elapsed - t0 == pytest.approx(total / 80.0)
    # ...and the robot drove on afterwards: back in HomeSim, 7-D actions.
    assert not env.at_station and env.action_dim == 7
    assert "near(table)" in outcomes[2].facts


def test_plans_that_skip_the_walk_are_caught_and_the_station_refuses(kitchen):
    env, reg = kitchen
    obs = env.observe()
    plan = Plan(goal="open the drawer", subtasks=[Subtask(skill="station_open_drawer")])
    with pytest.raises(PlanValidationError, match="near\\(counter\\)"):
        validate_plan(plan, reg, PlanContext(facts=sorted(obs.facts())))
    with Executor(env) as ex:  # dispatched anyway: the station will not reach that far
        out = ex.run(reg.bind("station_open_drawer", {}), timeout=60)
    assert out.status == "failure"
    assert "navigate to the counter first" in out.reason
    assert env.station.episodes == 0 and not env.at_station


def test_the_station_observation_reports_the_thing_it_changes(kitchen):
    env, _ = kitchen
    fx0, fy0, fx1, fy1 = env.fixtures["counter"]["footprint"]
    env.home.set_robot_pose((fx0 + fx1) / 2, fy0 - 0.5, np.pi / 2)
    rb = env.home.world.robot
    policy = env.expert("station_close_drawer", {})
    assert env.at_station and env.action_dim == 4
    obs = env.observe()
    drawer = obs.detection("station_drawer")
    assert drawer is not None and drawer.state == {"open": True}
    assert "open(station_drawer)" in obs.facts() and "near(station_drawer)" in obs.facts()
    assert obs.proprio.room == "kitchen"
    assert drawer.distance == pytest.approx(
        np.hypot(rb.x - drawer.position[0], rb.y - drawer.position[1])
    )
    chunk = policy.predict_chunk(obs, "close the drawer")
    assert chunk.shape == (1, 4) and chunk.dtype == np.float32
    for _ in range(500):
        env.step(policy.act())  # the expert reads the privileged state, not the image
        if env.station.active.solved:
            break
    assert "closed(station_drawer)" in env.observe().facts()


def test_the_home_must_run_at_the_stations_rate():
    with pytest.raises(ValueError, match="control_hz=80"):
        StationHome(HomeSimEnv(seed=0), registry=_registry())
    with pytest.raises(ValueError, match="no fixture 'worktop'"):
        StationHome(HomeSimEnv(control_hz=80.0, seed=0), fixture="worktop", registry=_registry())


class _ArmActions:
    """The station home, recording every action that reaches the arm."""

    def __init__(self, env: StationHome) -> None:
        self.env = env
        self.arm: list[np.ndarray] = []

    def __getattr__(self, name):
        return getattr(self.env, name)

    @property
    def action_layout(self):
        return self.env.action_layout

    def step(self, action):
        if self.env.at_station:
            self.arm.append(np.array(action, np.float32))
        return self.env.step(action)


def test_a_station_skill_runs_with_the_action_guard_on_and_the_arm_slows_near_people(kitchen):
    from housemind.safety import SafetyMonitor

    env, reg = kitchen
    guard = SafetyMonitor(instruction_matchers=[]).guard
    rec = _ArmActions(env)
    with Executor(rec, guard=guard) as ex:
        assert ex.run(reg.bind("navigate", {"target": "counter"}), timeout=120).ok
        rb = env.home.world.robot
        # Someone stands by the counter, 0.9 m from the robot and in its view: near, not
        # too close.
        ang = rb.theta + 0.8
        env.home.place_person(
            "guest", rb.x + 0.9 * np.cos(ang), rb.y + 0.9 * np.sin(ang), kind="adult"
        )
        assert len(list(env.observe().people())) == 1
        out = ex.run(reg.bind("station_press_coffee_button", {}), timeout=300)
    assert out.status == "success", out.reason
    assert env.action_layout.names == ("dx", "dy", "dz", "gripper")
    assert env.action_layout.at_xy == pytest.approx((rb.x, rb.y))
    # Every arm action was read as the hand's velocity: its 3-D speed, dz included, stays
    # within ISO 10218-1's 0.25 m/s near people (a base reading would have let dz pass as
    # a yaw rate and measured the hand's scene position against the home's people).
    hand_mps = [float(np.linalg.norm(a[:3])) * env.action_layout.hand_scale_mps for a in rec.arm]
    assert len(rec.arm) == out.ticks and max(hand_mps) <= 0.25 + 1e-5
    assert out.clamped_ticks > 0 and any(abs(a[2]) > 1e-3 for a in rec.arm)
    # Back in the home the guard reads HomeSim's base again.
    env.home.remove_person("guest")
    with Executor(rec, guard=guard) as ex:
        assert ex.run(reg.bind("navigate", {"target": "table"}), timeout=120).ok
    assert not env.at_station and env.action_layout.base == (0, 1, 2)
