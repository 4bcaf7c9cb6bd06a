"""HomeSim scenarios: plan-step and action-level safety in a simulated home."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest

from housemind.agent.planners.base import Subtask
from housemind.safety import SafetyContext, SafetyMonitor, Verdict
from housemind.safety.approvals import ApprovalBook
from housemind.sim.home import HomeSimEnv
from housemind.skills import REGISTRY, Executor


class Recorder:
    """Wraps an env and records every base position after a step (a fake, not a mock)."""

    def __init__(self, env):
        self.env = env
        self.path: list[tuple[float, float]] = []

    def __getattr__(self, name):
        return getattr(self.env, name)

    def step(self, action):
        out = self.env.step(action)
        rb = self.env.world.robot
        self.path.append((rb.x, rb.y))
        return out


@pytest.fixture(autouse=True)
def _words_only(monkeypatch):
    # These scenarios are about plan steps and actions; no instruction text is checked.
    monkeypatch.setenv("HOUSEMIND_SAFETY_EMBEDDINGS", "0")


def test_child_walks_into_the_kitchen_while_the_stove_is_on(sessions, clock, audit):
    env = HomeSimEnv(seed=0)
    monitor = SafetyMonitor(audit=audit, registered_people=["alex"])
    with Executor(env, guard=monitor.guard) as ex:
        assert ex.run(REGISTRY.bind("navigate", {"target": "stove"}), timeout=60).ok
    env.world.fixtures["stove"].on = True  # the robot is cooking
    at_stove = env.observe()
    assert "switched_on(stove)" in at_stove.facts()
    rb = env.world.robot
    env.set_robot_pose(rb.x, rb.y, -math.pi / 2)  # turns round towards the room
    step = Subtask(skill="pick", args={"object": "pot"}, text="pick up the pot")

    def verdict():
        obs = env.observe()
        ctx = SafetyContext.from_observation(
            step, obs, people_home=env.presence(), facts=at_stove.facts()
        )
        return ctx, monitor.check_subtask(ctx, task_id="t1")

    ctx, v = verdict()
    assert v.allowed, v  # nobody near: carry on cooking

    # A child walks in from the kitchen door towards the robot.
    x = rb.x
    seen_confirm_at = None
    for y in (4.8, 5.4, 6.0, 6.3):
        env.place_person("mia", x, y, kind="child")
        ctx, v = verdict()
        if v.verdict is Verdict.CONFIRM:
            seen_confirm_at = y
            break
        assert v.allowed, (y, v)  # still far away
    assert seen_confirm_at is not None and seen_confirm_at >= 6.0
    assert "child-near-hot-stove" in v.rules and "child" in v.reasons[0]
    # Action level: the base slows right down with the child within 1.5 m.
    obs = env.observe()
    people = [d.position for d in obs.people()]
    fast = np.array([1.0, 0, 0, 0, 0, 0], np.float32)
    slowed = monitor.guard.filter(fast, obs.proprio, people)
    assert math.hypot(slowed[0], slowed[1]) * 0.8 <= 0.3 + 1e-6

    # A person answers: only registered people may, and "once" covers this step once.
    book = ApprovalBook(sessions, clock, audit=audit)
    assert book.covering(v, subject=ctx.subject(), task_id="t1") is None
    req = book.request(v, subject=ctx.subject(), task_id="t1", approvers=["alex"])
    book.approve(req.id, by="alex", why="I'm holding her hand")
    assert book.covering(v, subject=ctx.subject(), task_id="t1") is not None
    assert book.covering(v, subject=ctx.subject(), task_id="t1") is None

    # Switching on another hob with the child there is asked about too.
    toggle = Subtask(skill="toggle", args={"target": "stove", "state": "on"}, text="stove on")
    ctx = SafetyContext.from_observation(
        toggle, env.observe(), risk="medium", people_home=env.presence(), facts=at_stove.facts()
    )
    assert monitor.check_subtask(ctx).verdict is Verdict.CONFIRM

    # The child leaves: the next step is allowed again.
    env.remove_person("mia")
    assert verdict()[1].allowed
    levels = [e.level for e in audit.recent(50)]
    assert "plan" in levels and "approval" in levels


def _navigate(env, monitor, target="sofa"):
    with Executor(env, guard=monitor.guard) as ex:
        return ex.run(REGISTRY.bind("navigate", {"target": target}), timeout=120)


def test_spill_on_the_path_becomes_a_keep_out_zone(monkeypatch):
    # Where does the robot drive when the floor is clean?
    clean = Recorder(HomeSimEnv(seed=0))
    out = _navigate(clean, SafetyMonitor())
    assert out.ok, out.reason
    path = clean.path
    sx, sy = path[len(path) // 2]  # somewhere in the middle of its way
    r = 0.25

    # HomeSim's expert plans its path round a spill it knows of: no stop needed.
    env = Recorder(HomeSimEnv(seed=0))
    env.add_spill("spill_1", sx, sy, radius=r)
    out = _navigate(env, SafetyMonitor())
    assert out.ok or "keeps off the floor hazards (spill_1)" in out.reason, out.reason
    assert all(math.hypot(x - sx, y - sy) > r for x, y in env.path)  # never through it

    # A controller that does not know of spills (a learned or remote policy) drives
    # straight at it: the guard must be what keeps the base out.
    from housemind.sim.home.experts import HomeSimExpert

    monkeypatch.setattr(HomeSimExpert, "_spill_discs", lambda self: [])
    env = Recorder(HomeSimEnv(seed=0))
    env.add_spill("spill_1", sx, sy, radius=r)
    monitor = SafetyMonitor()
    out = _navigate(env, monitor)
    # The guard saw the spill and kept the base out of it (and its margin).
    assert "spill_1" in monitor.guard.hazards
    closest = min(math.hypot(x - sx, y - sy) for x, y in env.path)
    assert closest > r, f"drove through the spill (closest {closest:.2f} m)"
    assert out.clamped_ticks > 0
    # Once it is mopped up and forgotten, the way is free again.
    env.clean_spill("spill_1")
    monitor.guard.clear_hazard("spill_1")
    assert _navigate(env, monitor).ok


def test_spill_detection_and_state_round_trip():
    env = HomeSimEnv(seed=0)
    rb = env.world.robot
    env.add_spill("puddle", rb.x, rb.y + 1.0, radius=0.3)
    d = next(d for d in env.observe().detections if d.name == "puddle")
    assert d.category == "hazard" and d.kind == "spill" and d.state["radius"] == 0.3
    assert d.distance == pytest.approx(0.7, abs=1e-6)
    again = HomeSimEnv(seed=0)
    again.set_state(env.get_state())
    assert "puddle" in again.world.spills
    with pytest.raises(ValueError, match="resident"):
        env.place_person("alex", 1.0, 1.0)


def _burning_pot(env: HomeSimEnv) -> None:
    """Leave the pot of the v1 apartment on the lit stove until its food burns."""
    from housemind.sim.home.processes import add_food

    env.world.objects["pot"].relation, env.world.objects["pot"].place = "on", "stove"
    add_food(env.world, "pot", "pasta")
    env.set_fixture("stove", on=True)
    env.idle_until(env.clock.now() + timedelta(hours=1))


def test_something_burning_stops_other_work_and_forbids_more_heat(audit):
    env = HomeSimEnv(seed=0)
    monitor = SafetyMonitor(audit=audit, registered_people=["alex"])
    with Executor(env, guard=monitor.guard) as ex:
        assert ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=60).ok
    steps = {
        "pick": Subtask(skill="pick", args={"object": "apple"}, text="pick up the apple"),
        "heat": Subtask(skill="toggle", args={"target": "stove", "state": "on"}, text="on"),
        "off": Subtask(skill="toggle", args={"target": "stove", "state": "off"}, text="off"),
        "go": Subtask(skill="navigate", args={"target": "stove"}, text="go to the stove"),
    }

    def verdicts() -> dict[str, str]:
        obs = env.observe()
        out = {}
        for key, step in steps.items():
            ctx = SafetyContext.from_observation(step, obs, people_home=env.presence())
            out[key] = monitor.check_subtask(ctx, task_id="t1").verdict
        return out

    calm = verdicts()
    assert calm["pick"] == Verdict.ALLOW and calm["off"] == Verdict.ALLOW
    _burning_pot(env)
    seen = env.observe()
    assert any(
        d.category == "hazard" and d.state.get("hazard") in ("burning_food", "fire")
        for d in seen.detections
    ), [d.name for d in seen.detections if d.category == "hazard"]
    burning = verdicts()
    assert burning["pick"] == Verdict.CONFIRM  # ask before tidying on while it burns
    assert burning["heat"] == Verdict.DENY
    assert burning["off"] == Verdict.ALLOW  # switching the heat off is always allowed
    assert burning["go"] == Verdict.ALLOW  # and so is going to the stove to do it


def test_a_spill_close_beside_the_robot_does_not_trap_it():
    """Inside the expert's disc round a spill but outside the guard's square, the path
    must still keep off the square (a month's dinner was stuck there: the expert left the
    spill out and drove into the zone the guard would not let it enter)."""
    from housemind.sim.home.experts import SPILL_KEEP_OFF_M

    clean = Recorder(HomeSimEnv(seed=0))
    assert _navigate(clean, SafetyMonitor()).ok
    path = clean.path
    x0, y0 = path[0]
    ahead = next(p for p in path if math.hypot(p[0] - x0, p[1] - y0) > 0.7)
    r = 0.2
    half = r + SPILL_KEEP_OFF_M
    # The spill beside the first stretch of the way, the robot between square and disc.
    d = math.hypot(ahead[0] - x0, ahead[1] - y0)
    ux, uy = (ahead[0] - x0) / d, (ahead[1] - y0) / d
    sx, sy = x0 + ux * (half + 0.08) * 1.02, y0 + uy * (half + 0.08) * 1.02
    env = Recorder(HomeSimEnv(seed=0))
    env.add_spill("spill_2", sx, sy, radius=r)
    rb = env.world.robot
    assert max(abs(rb.x - sx), abs(rb.y - sy)) > half  # outside the guard's square
    assert math.hypot(rb.x - sx, rb.y - sy) < half * math.sqrt(2) + 0.1  # inside the disc
    monitor = SafetyMonitor()
    out = _navigate(env, monitor)
    assert out.ok, out.reason
