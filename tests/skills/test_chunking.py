"""Action chunks in the executor: refill threshold, merging overlaps, prefix hand-off."""

from __future__ import annotations

import functools
import threading
import time

import numpy as np
import pytest

from housemind.skills import REGISTRY, ChunkingConfig, Executor
from housemind.skills.chunking import blend_weights, boundary_jerk, merge_chunk
from housemind.skills.policies.base import PolicyError
from housemind.skills.testing import PointRobotEnv


def test_blend_weights_rise_towards_the_new_chunk():
    assert np.allclose(blend_weights(3, "replace"), 1.0)
    lin = blend_weights(4, "linear")
    assert np.all(np.diff(lin) > 0) and 0 < lin[0] < lin[-1] < 1
    ex = blend_weights(4, "exp", 0.5)
    assert np.all(np.diff(ex) > 0) and ex[-1] < 1
    assert blend_weights(0, "linear").shape == (0,)


def test_merge_drops_the_stale_head_and_blends_the_overlap():
    queued = np.full((4, 2), 1.0, np.float32)
    new = np.zeros((6, 2), np.float32)
    cfg = ChunkingConfig(blend="linear")
    out = merge_chunk(queued, new, stale=1, config=cfg)
    assert len(out) == 5  # 6 - 1 stale
    w = blend_weights(4, "linear")
    assert np.allclose(out[:4, 0], 1.0 - w)  # old weight falls along the overlap
    assert np.allclose(out[4:], 0.0)
    assert np.array_equal(merge_chunk(queued, new, 0, ChunkingConfig()), new)  # replace
    assert np.array_equal(merge_chunk(queued, new[:2], 2, cfg), queued)  # all stale


def test_boundary_jerk_sees_a_step_and_not_a_smooth_ramp():
    t = np.arange(40, dtype=np.float64)
    smooth = np.stack([np.sin(t / 10), np.cos(t / 10)], axis=1)
    step = smooth.copy()
    step[20:] += 0.5
    assert boundary_jerk(step, [20]) > 100 * boundary_jerk(smooth, [20])


class _Ramp:
    """A policy whose chunks continue a ramp from where the robot is, so overlaps agree.

    With ``offset`` each new chunk starts ``offset`` above the queued actions (a policy
    that disagrees with its last chunk: a jerk at every boundary), unless it is guided by
    the queued prefix.
    """

    accepts_prefix = True

    def __init__(self, chunking: ChunkingConfig, offset: float = 0.0, horizon: int = 8):
        self.chunking = chunking
        self.offset = offset
        self.horizon = horizon
        self.calls: list[int] = []
        self.prefixes: list[int] = []

    def reset(self):
        self.n = 0

    def predict_chunk(self, obs, instruction, prefix=None):
        if self.n >= 20:
            raise PolicyError("enough chunks")  # ends the subtask: a deterministic length
        self.calls.append(self.n)
        self.prefixes.append(0 if prefix is None else len(prefix))
        start = self.n * 4  # chunks are asked every 4 ticks (refill_below=4 of 8)
        self.n += 1
        vx = 0.01 * (start + np.arange(self.horizon)) + self.offset * (self.n % 2)
        if prefix is not None:  # guided: follow the queued actions, then carry on from them
            k = len(prefix)
            vx[:k] = prefix[:, 0]
            vx[k:] = prefix[-1, 0] + 0.01 * np.arange(1, self.horizon - k + 1)
        out = np.zeros((self.horizon, 3), np.float32)
        out[:, 0] = np.clip(vx, -1, 1)
        return out


def _run(policy, env=None):
    env = env or PointRobotEnv(spots={"table": (100.0, 0.0)})
    applied: list[np.ndarray] = []
    merged: list[int] = []

    class Watch:
        def on_action(self, tick, action):
            applied.append(action.copy())

        def on_chunk(self, tick, queue):
            merged.append(tick)

    with Executor(env, policy_for=lambda sk, e: policy, observers=[Watch()]) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=10)
    assert out.status == "failure" and out.chunks == 20
    return np.stack(applied), merged


def test_executor_asks_before_the_queue_runs_dry_and_hands_over_the_prefix():
    cfg = ChunkingConfig(refill_below=4, blend="replace", guide=True)
    pol = _Ramp(cfg)
    actions, merged = _run(pol)
    assert len(merged) >= 3
    assert np.diff(merged[:5]).tolist() == [4, 4, 4, 4]  # every 4 ticks with 4 left
    assert pol.prefixes[0] == 0 and set(pol.prefixes[1:5]) == {4}


def test_guidance_and_blending_smooth_chunk_boundaries():
    def jerk(cfg):
        actions, merged = _run(_Ramp(cfg, offset=0.3))
        return boundary_jerk(actions[:60], [m for m in merged if 0 < m < 60], slice(0, 1))

    raw = jerk(ChunkingConfig(refill_below=4, blend="replace"))
    blended = jerk(ChunkingConfig(refill_below=4, blend="linear"))
    guided = jerk(ChunkingConfig(refill_below=4, blend="replace", guide=True))
    assert blended < raw and guided < 0.01 * raw


def test_rate_follows_the_executor_and_a_fixed_rate_env_is_refused():
    env = PointRobotEnv(control_hz=50)
    Executor(env, rate_hz=100)
    assert env.control_hz == 100

    class Fixed(PointRobotEnv):
        set_control_hz = None  # a robot whose rate is what it is

    with pytest.raises(ValueError, match="cannot change its rate"):
        Executor(Fixed(control_hz=50), rate_hz=200)
    Executor(Fixed(control_hz=200))  # the same rate is fine


def test_realtime_never_waits_for_a_slow_policy():
    gate = threading.Event()
    started = threading.Event()

    class Slow:
        chunking = ChunkingConfig(refill_below=2)

        def reset(self):
            self.calls = 0

        def predict_chunk(self, obs, instruction):
            self.calls += 1
            if self.calls > 1:
                started.set()
                gate.wait(10)  # the second chunk does not come until the test says so
            out = np.zeros((4, 3), np.float32)
            out[:, 0] = 0.5
            return out

    env = PointRobotEnv(spots={"table": (100.0, 0.0)})
    with Executor(env, realtime=True, policy_for=lambda sk, e: Slow()) as ex:
        fut = ex.submit(REGISTRY.bind("navigate", {"target": "table"}))
        assert started.wait(5)
        time.sleep(0.05)
        ex.estop("stop")
        out = fut.result(timeout=5)  # the loop answered the stop while the policy was stuck
        assert not gate.is_set()
        gate.set()
    assert out.status == "stopped"
    assert out.starved_ticks > 0  # it held still (zero actions) while the chunk was late
    # the first chunk's actions and no more: its first was meant for the tick it was asked
    # at, which passed (held still) while it was computed, so three of four were applied
    assert env.x == pytest.approx(3 * 0.5 / 200)
    assert ex.timing.ticks == out.ticks


def test_lockstep_runs_are_deterministic():
    def run():
        cfg = ChunkingConfig(refill_below=3, blend="exp", blend_rate=0.3, guide=True)
        actions, merged = _run(_Ramp(cfg, offset=0.2))
        return actions[:50], merged[:10]

    (a1, m1), (a2, m2) = run(), run()
    assert np.array_equal(a1, a2) and m1 == m2


def _point_robot():
    return PointRobotEnv(spots={"table": (1.5, 0.0), "sink": (0.0, 3.0)})


def _move_table(x, env):
    env.spots["table"] = (x, 0.0)
    return env.spots["table"]


@pytest.mark.slow
def test_process_executor_runs_subtasks_in_its_own_process():
    import os

    from housemind.skills.executor_process import ProcessExecutor

    with ProcessExecutor(_point_robot, rate_hz=200) as pe:
        assert pe.call(lambda_pid) != os.getpid()
        assert pe.call(functools.partial(_move_table, 2.0)) == (2.0, 0.0)
        out = pe.run("navigate", {"target": "table"}, timeout=30)
        assert out.ok and "near(table)" in out.facts
        timing = pe.timing()
        assert timing["ticks"] in (out.ticks, out.ticks + 1) and timing["rate_hz"] > 0
        with pytest.raises(RuntimeError, match="UnknownSkillError|unknown skill"):
            pe.run("fly", {}, timeout=30)


def lambda_pid(env):
    import os

    return os.getpid()
