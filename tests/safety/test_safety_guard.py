from __future__ import annotations

import math
import threading
import timeit
from dataclasses import replace
from datetime import UTC, datetime

import numpy as np
import pytest

from housemind.safety import ActionGuard, ActionLimits, KeepOutZone
from housemind.safety.action_layout import (
    HOMESIM_ACTION_LAYOUT,
    METAWORLD_ARM_LAYOUT,
    ActionLayout,
    ActionLayoutError,
)
from housemind.skills.types import Detection, Observation, Proprio

FAST = np.array([1.0, 0.0, 0.0, 0.5, 0.0, 0.0], np.float32)


def base_speed_mps(action, scale=0.8):
    return math.hypot(float(action[0]), float(action[1])) * scale


@pytest.fixture
def guard():
    return ActionGuard(
        ActionLimits(
            max_speed_mps=0.6,
            max_speed_near_people_mps=0.2,
            near_people_m=1.5,
            stop_near_people_m=0.5,
            keep_out_zones=[KeepOutZone(name="stairs", rect=(4.0, -1.0, 5.0, 1.0))],
            keep_out_margin_m=0.2,
            lookahead_s=0.5,
        )
    )


def test_returns_new_float32_array_and_clips(guard):
    a = np.array([3.0, 0.0, -7.0, 2.0, -2.0, 0.5], np.float64)
    out = guard.filter(a, Proprio(x=0, y=0, theta=0))
    assert out.dtype == np.float32 and out is not a and a[0] == 3.0
    assert out.tolist()[2:] == [-1.0, 1.0, -1.0, 0.5]
    assert base_speed_mps(out) == pytest.approx(0.6, rel=1e-5)


def test_slow_near_people_only(guard):
    far = guard.filter(FAST, Proprio(x=0, y=0, theta=0), [(3.0, 3.0)])
    assert base_speed_mps(far) == pytest.approx(0.6, rel=1e-5)
    near = guard.filter(FAST, Proprio(x=0, y=0, theta=0), [(3.0, 3.0), (0.0, 1.2)])
    assert base_speed_mps(near) == pytest.approx(0.2, rel=1e-5)
    assert guard.last_reason == "near-person"
    assert near[3] == pytest.approx(0.5)  # gripper untouched


def test_too_close_may_only_back_away(guard):
    p = Proprio(x=0, y=0, theta=0)
    toward = guard.filter(FAST, p, [(0.4, 0.0)])
    assert toward[0] == 0 and toward[1] == 0 and guard.last_reason == "person-too-close"
    away = guard.filter(-FAST, p, [(0.4, 0.0)])
    assert away[0] < 0
    # Heading matters: facing away from the person, forward is away.
    facing_away = guard.filter(FAST, Proprio(x=0, y=0, theta=math.pi), [(0.4, 0.0)])
    assert facing_away[0] > 0


def test_keep_out_zone_blocks_entering_not_leaving(guard):
    outside = Proprio(x=3.6, y=0.0, theta=0.0)
    blocked = guard.filter(FAST, outside)
    assert blocked[:2].tolist() == [0.0, 0.0] and guard.last_reason == "keep-out:stairs"
    # Turning in place is still allowed; driving away is allowed.
    turn = guard.filter(np.array([0, 0, 0.5, 0, 0, 0], np.float32), outside)
    assert turn[2] == pytest.approx(0.5)
    assert guard.filter(-FAST, outside)[0] < 0
    # Sideways, along the zone: the lookahead point stays outside.
    assert guard.filter(FAST, Proprio(x=3.6, y=0.0, theta=math.pi / 2))[0] > 0
    # Inside already (pushed in): deeper is blocked, out is allowed.
    inside = Proprio(x=4.2, y=0.0, theta=0.0)
    assert guard.filter(FAST, inside)[0] == 0
    assert guard.filter(-FAST, inside)[0] < 0


def test_zones_can_be_replaced(guard):
    guard.set_keep_out_zones([])
    assert guard.filter(FAST, Proprio(x=3.6, y=0.0, theta=0.0))[0] > 0


def test_estop_halts_until_reset(guard):
    calls = []
    guard.on_estop = calls.append
    t = threading.Thread(target=guard.estop, args=("button pressed",))
    t.start()
    t.join()
    assert guard.stopped and guard.stop_reason == "button pressed"
    out = guard.filter(FAST, Proprio(x=0, y=0, theta=0))
    assert out.dtype == np.float32 and not out.any() and out.shape == (6,)
    assert calls == ["button pressed"]
    guard.reset_estop()
    assert not guard.stopped and guard.filter(FAST, Proprio(x=0, y=0, theta=0)).any()


def test_failing_estop_callback_still_stops(guard):
    def boom(reason):
        raise RuntimeError("db down")

    guard.on_estop = boom
    guard.estop("watchdog")
    assert guard.stopped


def test_speed_scale_is_a_parameter():
    g = ActionGuard(ActionLimits(max_speed_mps=0.5), linear_scale_mps=0.25)
    out = g.filter(FAST, Proprio(x=0, y=0, theta=0))
    assert out[0] == pytest.approx(1.0)  # 0.25 m/s < 0.5 m/s: no clamp
    with pytest.raises(ValueError):
        ActionGuard(linear_scale_mps=0)


def test_filter_is_cheap(guard, capsys):
    p = Proprio(x=1.0, y=1.0, theta=0.3)
    people = [(2.0, 1.5), (6.0, 6.0)]
    n = 20000
    us = timeit.timeit(lambda: guard.filter(FAST, p, people), number=n) / n * 1e6
    with capsys.disabled():
        print(f"\nActionGuard.filter: {us:.1f} us per call")
    assert us < 50  # target 20 us; slack for slow CI machines


#: A spill 0.9 m ahead of a robot at the origin facing +x, in the kitchen.
_SPILL = Detection(
    name="spill_1",
    kind="spill",
    category="hazard",
    position=(0.9, 0.0),
    distance=0.6,
    room="kitchen",
    state={"radius": 0.3},
)


def test_floor_hazard_seen_becomes_a_zone_until_cleared():
    guard = ActionGuard()
    here = Proprio(x=0.0, y=0.0, theta=0.0)
    spill = _SPILL
    obs = Observation(
        time=datetime(2026, 1, 1, tzinfo=UTC),
        image=np.zeros((2, 2, 3), np.uint8),
        proprio=here,
        detections=[spill],
    )
    forward = np.array([1.0, 0, 0, 0, 0, 0], np.float32)
    assert guard.filter(forward, here)[0] > 0
    guard.update(obs)
    assert set(guard.hazards) == {"spill_1"}
    assert guard.filter(forward, here)[0] == 0.0 and guard.last_reason == "hazard:spill_1"
    back = np.array([-1.0, 0, 0, 0, 0, 0], np.float32)
    assert guard.filter(back, here)[0] < 0  # driving away is fine
    guard.clear_hazard("spill_1")
    assert guard.filter(forward, here)[0] > 0 and guard.hazards == {}


def test_a_floor_hazard_wiped_up_is_forgotten_only_once_the_robot_sees_the_spot():
    guard = ActionGuard()
    t = datetime(2026, 1, 1, tzinfo=UTC)
    spill = _SPILL
    floor = Detection(
        name="kitchen",
        kind="floor",
        category="floor",
        position=(0.0, 0.0),
        distance=0.0,
        room="kitchen",
    )

    def look(theta: float, dets: list[Detection]) -> None:
        here = Proprio(x=0.0, y=0.0, theta=theta)
        guard.update(
            Observation(time=t, image=np.zeros((2, 2, 3), np.uint8), proprio=here, detections=dets)
        )

    look(0.0, [spill, floor])
    assert set(guard.hazards) == {"spill_1"}
    look(math.pi, [floor])  # facing away: out of sight is not gone
    assert set(guard.hazards) == {"spill_1"}
    look(0.0, [])  # no view of the floor (a doorway, another room): kept
    assert set(guard.hazards) == {"spill_1"}
    look(0.0, [floor])  # looking right at it and it is not there: someone wiped it up
    assert guard.hazards == {}
    forward = np.array([1.0, 0, 0, 0, 0, 0], np.float32)
    assert guard.filter(forward, Proprio(x=0.0, y=0.0, theta=0.0))[0] > 0


# -- action layouts: what the entries mean ---------------------------------------------

ARM = METAWORLD_ARM_LAYOUT  # [dx, dy, dz, gripper]; 1 is 0.8 m/s of the hand


def hand_mps(action, layout=ARM):
    return float(np.linalg.norm(action[:3])) * layout.hand_scale_mps


def test_an_arms_dz_is_not_read_as_a_yaw_rate():
    g = ActionGuard(ActionLimits(max_yaw_rate_rps=1.0))  # a base may turn at 0.5 of full
    lift = np.array([0.1, 0.0, 0.9, 1.0], np.float32)
    # Read as HomeSim's base (no layout), dz is a turn rate and gets halved...
    assert g.filter(lift, Proprio(x=0, y=0, theta=0))[2] == pytest.approx(0.5)
    # ...read as the arm it is, it is the hand rising at 0.72 m/s, within the hand's limit.
    out = g.filter(lift, Proprio(x=0, y=0, theta=0), layout=ARM)
    assert out.tolist() == pytest.approx(lift.tolist()) and g.last_reason is None


def test_the_hand_is_limited_and_slows_near_people_where_the_arm_stands():
    g = ActionGuard(
        ActionLimits(
            max_hand_speed_mps=0.6,
            max_hand_speed_near_people_mps=0.25,
            near_people_m=1.5,
            stop_near_people_m=0.5,
        )
    )
    at_counter = replace(ARM, at_xy=(2.0, 7.0))
    fast = np.array([1.0, 1.0, 1.0, 0.7], np.float32)
    p = Proprio(x=0.0, y=0.6, theta=0.0)  # the hand, in the scene's own frame
    alone = g.filter(fast, p, [], layout=at_counter)
    assert hand_mps(alone) == pytest.approx(0.6, rel=1e-5) and g.last_reason == "hand-speed"
    assert alone[3] == pytest.approx(0.7)  # the gripper is not motion
    far = g.filter(fast, p, [(6.0, 7.0)], layout=at_counter)
    assert hand_mps(far) == pytest.approx(0.6, rel=1e-5)
    near = g.filter(fast, p, [(6.0, 7.0), (2.0, 8.0)], layout=at_counter)
    assert hand_mps(near) == pytest.approx(0.25, rel=1e-5)
    assert g.last_reason == "hand-near-person"
    assert np.allclose(near[:3] / np.linalg.norm(near[:3]), fast[:3] / np.linalg.norm(fast[:3]))
    close = g.filter(fast, p, [(2.3, 7.0)], layout=at_counter)
    assert close[:3].tolist() == [0, 0, 0] and close[3] == pytest.approx(0.7)
    assert g.last_reason == "hand-person-too-close"
    # Where the arm stands unknown: anyone in view counts as near (never as far).
    unknown = g.filter(fast, p, [(6.0, 7.0)], layout=ARM)
    assert hand_mps(unknown) == pytest.approx(0.25, rel=1e-5)
    # The hand's position is not the robot's place in the home: no keep-out zone applies.
    g.set_keep_out_zones([KeepOutZone(name="stairs", rect=(-1.0, 0.0, 1.0, 1.0))])
    assert g.filter(fast, p, [], layout=at_counter)[:3].any()


def test_a_stop_keeps_what_the_gripper_holds():
    g = ActionGuard()
    g.estop("button")
    holding = g.filter(np.array([0.5, 0.0, -0.3, 0.9], np.float32), Proprio(0, 0, 0), layout=ARM)
    assert holding.tolist() == pytest.approx([0.0, 0.0, 0.0, 0.9])
    base = g.filter(np.array([0.5, 0, 0, 0.9, 0, 0, 0], np.float32), Proprio(0, 0, 0))
    assert not base.any()  # HomeSim's stop: everything zero, as before


def test_an_action_of_the_wrong_size_holds_still(caplog):
    g = ActionGuard()
    out = g.filter(np.ones(7, np.float32), Proprio(0, 0, 0), layout=ARM)
    assert not out.any() and out.shape == (7,) and g.last_reason == "action-size"
    assert "4" in caplog.text and "dx" in caplog.text


def test_the_layout_is_read_from_the_attached_env_every_tick():
    class Station:  # a fake env that switches between its base and an arm, as StationHome
        at_station = False

        @property
        def action_layout(self):
            return ARM if self.at_station else HOMESIM_ACTION_LAYOUT

    env = Station()
    g = ActionGuard(ActionLimits(max_yaw_rate_rps=1.0))
    g.attach(env)
    turn = np.array([0.0, 0.0, 0.9, 0.0, 0.0, 0.0, 0.0], np.float32)
    assert g.filter(turn, Proprio(0, 0, 0))[2] == pytest.approx(0.5)
    env.at_station = True
    lift = np.array([0.0, 0.0, 0.9, 0.0], np.float32)
    assert g.filter(lift, Proprio(0, 0, 0))[2] == pytest.approx(0.9)
    g.attach(None)
    assert g.filter(lift, Proprio(0, 0, 0))[2] == pytest.approx(0.5)


def test_homesim_and_metaworld_declare_their_layouts():
    from housemind.sim.home import HomeSimEnv

    assert HomeSimEnv(seed=0).action_layout is HOMESIM_ACTION_LAYOUT
    assert HOMESIM_ACTION_LAYOUT.dim == HomeSimEnv.action_dim


def test_a_layout_that_cannot_be_right_is_refused():
    with pytest.raises(ActionLayoutError, match="outside the 4 entries"):
        ActionLayout(names=("dx", "dy", "dz", "gripper"), hand=(1, 2, 4))
    with pytest.raises(ActionLayoutError, match="used twice"):
        ActionLayout(names=("vx", "vy", "wz", "g"), base=(0, 1, 2), hold_on_stop=(2,))
    with pytest.raises(ActionLayoutError, match="at least one"):
        ActionLayout(names=())
