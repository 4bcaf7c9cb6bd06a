import threading
import time

import numpy as np
import pytest

from housemind.skills import REGISTRY, Executor, Proprio
from housemind.skills.policies.base import PolicyError
from housemind.skills.testing import PointRobotEnv


class CountingGuard:
    """An action filter that caps speed and can be stopped."""

    def __init__(self, cap: float = 1.0):
        self.cap = cap
        self.calls = 0
        self.stopped = False

    def filter(self, action, proprio: Proprio, people_xy):
        self.calls += 1
        if self.stopped:
            return np.zeros_like(action)
        out = action.copy()
        out[:2] = np.clip(out[:2], -self.cap, self.cap)
        return out


def test_navigate_then_pick_succeeds_and_every_action_passes_the_guard():
    env = PointRobotEnv()
    guard = CountingGuard()
    with Executor(env, guard=guard) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
        assert out.ok, out.reason
        assert "near(table)" in out.facts
        out2 = ex.run(REGISTRY.bind("pick", {"object": "mug"}), timeout=10)
    assert out2.ok and env.held == "mug"
    assert guard.calls == env.steps  # every tick's action went through the guard
    assert out.seconds == pytest.approx(out.ticks / 200)
    assert {d.name for d in out.seen} >= {"table", "mug", "sink"}


def test_already_satisfied_subtask_succeeds_without_moving():
    env = PointRobotEnv(spots={"table": (0.2, 0.0)})
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=5)
    assert out.ok and out.ticks == 0 and env.steps == 0


def test_policy_error_is_a_fast_failure():
    env = PointRobotEnv()
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("pick", {"object": "mug"}), timeout=5)
    assert out.status == "failure"
    assert "not within reach" in out.reason
    assert out.ticks == 0


def test_missing_expert_is_a_failure_not_a_crash():
    env = PointRobotEnv()
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("open", {"target": "table"}), timeout=5)
    assert out.status == "failure" and "no scripted controller" in out.reason


def test_timeout_when_effect_never_holds():
    env = PointRobotEnv(spots={"table": (100.0, 0.0)})
    with Executor(env) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
    assert out.status == "timeout"
    assert out.ticks == int(REGISTRY.get("navigate").timeout_s * 200)


def test_speed_cap_slows_the_robot():
    fast, slow = PointRobotEnv(), PointRobotEnv()
    with Executor(fast) as ex:
        a = ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=10)
    with Executor(slow, guard=CountingGuard(cap=0.25)) as ex:
        b = ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=10)
    assert a.ok and b.ok
    assert b.ticks > 2.5 * a.ticks
    assert b.clamped_ticks > 0


def test_estop_halts_within_one_tick():
    env = PointRobotEnv(spots={"table": (100.0, 0.0)})
    ex = Executor(env, realtime=True, rate_hz=200)
    with ex:
        fut = ex.submit(REGISTRY.bind("navigate", {"target": "table"}))
        time.sleep(0.1)
        ex.estop("test stop")
        out = fut.result(timeout=5)
        x_at_stop = env.x
        time.sleep(0.05)
    assert out.status == "stopped" and out.reason == "test stop"
    assert env.x == x_at_stop  # nothing moves after the stop


def test_realtime_mode_holds_the_rate():
    env = PointRobotEnv(spots={"table": (0.5, 0.0)}, control_hz=100)
    with Executor(env, realtime=True) as ex:
        t0 = time.perf_counter()
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
        wall = time.perf_counter() - t0
    assert out.ok or out.ticks == 0
    # ticks at 100 Hz cannot finish faster than real time
    assert wall >= out.ticks / 100 * 0.9


def test_executor_runs_on_its_own_thread():
    env = PointRobotEnv()
    seen = []

    class Spy:
        stopped = False

        def filter(self, action, proprio, people):
            seen.append(threading.current_thread().name)
            return action

    with Executor(env, guard=Spy()) as ex:
        ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
    assert seen and set(seen) == {"housemind-executor"}


def test_bad_chunk_shape_is_reported():
    env = PointRobotEnv()

    class Bad:
        def reset(self):
            pass

        def predict_chunk(self, obs, instruction):
            return np.zeros((0, 3), np.float32)

    with (
        Executor(env, policy_for=lambda sk, e: Bad()) as ex,
        pytest.raises(PolicyError, match="shape"),
    ):
        ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=5)


def test_policy_done_flag_delays_success_until_the_controller_finishes():
    env = PointRobotEnv(spots={"table": (0.2, 0.0)})

    class ScanThenDone:
        def __init__(self):
            self.calls = 0

        @property
        def done(self):
            return self.calls >= 3

        def reset(self):
            self.calls = 0

        def predict_chunk(self, obs, instruction):
            self.calls += 1
            return np.zeros((4, 3), np.float32)

    pol = ScanThenDone()
    with Executor(env, policy_for=lambda sk, e: pol) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=5)
    assert out.ok and out.ticks == 12 and pol.calls == 3


class _CameraCountingEnv(PointRobotEnv):
    """A point robot whose ``observe`` can skip the camera, counting the pictures taken."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.pictures = 0
        self.blind_looks = 0

    def observe(self, image: bool = True):
        obs = super().observe()
        if image:
            self.pictures += 1
            return obs
        self.blind_looks += 1
        obs.image = np.zeros((0, 0, 3), np.uint8)
        return obs


class _BlindGoTo:
    """Drives straight to a spot, reading only the body state (never the camera)."""

    uses_image = False

    def __init__(self, env, target):
        self.inner = env.expert("navigate", {"target": target})

    def reset(self):
        self.inner.reset()

    def predict_chunk(self, obs, instruction):
        assert obs.image.size == 0 or obs.image.ndim == 3
        return self.inner.predict_chunk(obs, instruction)


def test_a_controller_that_never_reads_the_camera_spares_the_renderer_between_chunks():
    env = _CameraCountingEnv()
    with Executor(env, policy_for=lambda sk, e: _BlindGoTo(e, sk.args["target"])) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
    assert out.ok, out.reason
    assert out.chunks > 3 and env.blind_looks >= out.chunks - 1
    assert env.pictures <= 2  # the subtask's first and last observations only
    assert out.last_observation.image.size > 0  # what the planner keeps has a picture


def test_a_policy_that_may_read_the_camera_gets_a_picture_with_every_observation():
    env = _CameraCountingEnv()
    with Executor(env) as ex:  # the fake's own controllers do not say they are blind
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
    assert out.ok and out.chunks > 3
    assert env.blind_looks == 0 and env.pictures >= out.chunks
