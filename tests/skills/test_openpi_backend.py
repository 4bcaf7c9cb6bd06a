"""The openpi backend against housemind's policy server and a minimal openpi server."""

import math
import re
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

pytest.importorskip("openpi_client", reason="the 'remote' extra is not installed")

from openpi_minimal_server import MinimalOpenPIServer  # noqa: E402

from housemind.agent.policy_serving import load_served_policy  # noqa: E402
from housemind.skills import REGISTRY, Executor  # noqa: E402
from housemind.skills.policies import PolicyError, parse_policy_spec  # noqa: E402
from housemind.skills.policies.linear import (  # noqa: E402
    LinearChunkPolicy,
    save_linear_checkpoint,
)
from housemind.skills.policies.openpi import from_spec  # noqa: E402
from housemind.skills.policies.serving import PolicyServer, load_checkpoint_policy  # noqa: E402
from housemind.skills.testing import PointRobotEnv  # noqa: E402


def _factory(port: int, options: str = ""):
    return from_spec(parse_policy_spec(f"openpi://127.0.0.1:{port}{options}"))


def _executor(env, factory):
    return Executor(env, policy_for=lambda sk, e: factory(sk.spec, sk.args, e))


@pytest.fixture
def linear_checkpoint(tmp_path):
    rng = np.random.default_rng(0)
    policy = LinearChunkPolicy(
        rng.normal(size=(3, 8)).astype(np.float32),
        rng.normal(size=3).astype(np.float32),
        np.linspace(1.0, 0.5, 6, dtype=np.float32),
    )
    return save_linear_checkpoint(tmp_path / "linear", policy), policy


@pytest.mark.slow
def test_homesim_subtasks_through_the_served_experts_match_the_local_run():
    from housemind.sim.home import HomeSimEnv

    subtasks = [("navigate", {"target": "fridge"}), ("navigate", {"target": "kitchen"})]
    with PolicyServer(load_served_policy("homesim-experts"), port=0) as server:
        factory = _factory(server.port)
        remote_env, local_env = HomeSimEnv(seed=3), HomeSimEnv(seed=3)
        try:
            with _executor(remote_env, factory) as ex:
                remote = [ex.run(REGISTRY.bind(s, a), timeout=120) for s, a in subtasks]
        finally:
            factory.close()
        served = server.requests
    with Executor(local_env) as ex:
        local = [ex.run(REGISTRY.bind(s, a), timeout=120) for s, a in subtasks]
    assert all(o.ok for o in remote), [o.reason for o in remote]
    # The same actions, tick for tick: the wire path loses nothing the experts use.
    assert [o.ticks for o in remote] == [o.ticks for o in local]
    assert remote_env.get_state()["world"]["robot"] == local_env.get_state()["world"]["robot"]
    from housemind.sim.home.experts import make_expert

    chunk = make_expert(remote_env, *subtasks[0]).chunk_len  # the experts' 0.2 s of ticks
    assert served == sum(math.ceil(o.ticks / chunk) for o in remote)  # one request per chunk


@pytest.mark.slow
def test_a_homesim_subtask_completes_against_housemind_serve_policy():
    from housemind.sim.home import HomeSimEnv

    proc = subprocess.Popen(
        [sys.executable, "-m", "housemind", "serve", "policy", "--checkpoint",
         "homesim-experts", "--port", "0"],
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        port = None
        deadline = time.monotonic() + 60
        while port is None and time.monotonic() < deadline and proc.poll() is None:
            m = re.search(r"ws://127\.0\.0\.1:(\d+)", proc.stderr.readline())
            port = int(m.group(1)) if m else None
        assert port, "housemind serve policy did not say where it listens"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
            assert r.status == 200 and r.read() == b"OK\n"
        factory = _factory(port)
        env = HomeSimEnv(seed=5)
        try:
            with _executor(env, factory) as ex:
                out = ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=120)
        finally:
            factory.close()
        assert out.ok, out.reason
        assert "near(sink)" in out.facts
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_a_policy_that_gives_up_on_the_server_fails_the_subtask_with_its_reason():
    from housemind.sim.home import HomeSimEnv

    with PolicyServer(load_served_policy("homesim-experts"), port=0) as server:
        factory = _factory(server.port)
        try:
            with _executor(HomeSimEnv(seed=3), factory) as ex:
                remote = ex.run(REGISTRY.bind("navigate", {"target": "moon"}), timeout=30)
        finally:
            factory.close()
    with Executor(HomeSimEnv(seed=3)) as ex:
        local = ex.run(REGISTRY.bind("navigate", {"target": "moon"}), timeout=30)
    assert remote.status == local.status == "failure"
    assert remote.reason == local.reason


def test_openpis_own_client_talks_to_our_server(linear_checkpoint):
    from openpi_client.websocket_client_policy import WebsocketClientPolicy

    folder, policy = linear_checkpoint
    with PolicyServer(load_checkpoint_policy(folder), port=0) as server:
        client = WebsocketClientPolicy(host="127.0.0.1", port=server.port)
        meta = client.get_server_metadata()
        assert meta["wire"] == "housemind/1" and meta["action_dim"] == 3
        assert meta["action_horizon"] == 6
        state = np.array([1.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.5], np.float32)
        out = client.infer({"observation/state": state, "prompt": "anything"})
        out2 = client.infer({"observation/state": state, "prompt": "anything"})
    want = policy.decay[:, None] * np.tanh(policy.weight @ state + policy.bias)[None, :]
    np.testing.assert_allclose(out["actions"], want, rtol=1e-6)
    assert out["server_timing"]["infer_ms"] >= 0
    assert "prev_total_ms" in out2["server_timing"]


def test_our_client_against_a_minimal_openpi_server():
    spots = {"table": (2.0, 0.0), "sink": (0.0, 3.0)}

    def infer(obs):
        # A 9-entry action space: [unused, vx, vy, unused x5, grip] at half scale.
        x, y = obs["observation/state"][:2]
        gx, gy = spots[obs["prompt"].rsplit(" ", 1)[-1]]
        d = math.hypot(gx - x, gy - y) or 1.0
        a = np.zeros((8, 9), np.float32)
        a[:, 1], a[:, 2] = (gx - x) / d * 0.5, (gy - y) / d * 0.5
        return {"actions": a}

    env = PointRobotEnv(spots=spots)
    with MinimalOpenPIServer(infer) as server:
        factory = _factory(server.port, "?action_indices=1,2,8&action_scale=2&image_size=32")
        try:
            with _executor(env, factory) as ex:
                out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=30)
            assert out.ok, out.reason
            first = server.received[0]
        finally:
            factory.close()
    # A server that does not name housemind's wire gets openpi's keys and nothing else.
    assert set(first) == {"observation/image", "observation/state", "prompt"}
    assert first["observation/image"].shape == (32, 32, 3)
    assert first["observation/image"].dtype == np.uint8
    assert first["observation/state"].dtype == np.float32 and first["prompt"] == "go to the table"


def test_server_errors_become_policy_errors_and_the_next_request_reconnects():
    calls = []

    def infer(obs):
        calls.append(obs["prompt"])
        if obs["prompt"] == "explode":
            raise ValueError("the model exploded")
        return {"actions": np.zeros((2, 3), np.float32)}

    env = PointRobotEnv()
    with MinimalOpenPIServer(infer) as server:
        factory = _factory(server.port)
        policy = factory(REGISTRY.get("navigate"), {"target": "table"}, env)
        try:
            with pytest.raises(PolicyError, match="ValueError: the model exploded"):
                policy.predict_chunk(env.observe(), "explode")
            assert policy.predict_chunk(env.observe(), "go").shape == (2, 3)
        finally:
            factory.close()
    assert calls == ["explode", "go"]


def test_an_unreachable_server_fails_fast_with_what_to_do():
    env = PointRobotEnv()
    factory = _factory(9)  # the discard port: nothing listens
    t0 = time.monotonic()
    with _executor(env, factory) as ex:
        out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=30)
    assert out.status == "failure"
    assert "no openpi policy server at 127.0.0.1:9" in out.reason
    assert "housemind serve policy" in out.reason
    assert time.monotonic() - t0 < 10


def test_api_key(linear_checkpoint, monkeypatch):
    folder, _ = linear_checkpoint
    env = PointRobotEnv()
    with PolicyServer(load_checkpoint_policy(folder), port=0, api_key="s3cret") as server:
        monkeypatch.delenv("HOUSEMIND_POLICY_API_KEY", raising=False)
        bare = _factory(server.port)
        with pytest.raises(PolicyError, match="401"):
            bare(REGISTRY.get("navigate"), {"target": "t"}, env).predict_chunk(env.observe(), "go")
        monkeypatch.setenv("HOUSEMIND_POLICY_API_KEY", "s3cret")
        keyed = _factory(server.port)
        try:
            chunk = keyed(REGISTRY.get("navigate"), {"target": "t"}, env).predict_chunk(
                env.observe(), "go"
            )
        finally:
            keyed.close()
    assert chunk.shape == (6, 3)


def test_an_action_size_mismatch_is_caught_at_the_handshake(linear_checkpoint):
    from housemind.sim.home import HomeSimEnv

    folder, _ = linear_checkpoint  # 3 action entries; HomeSim takes 7
    env = HomeSimEnv(seed=0)
    with PolicyServer(load_checkpoint_policy(folder), port=0) as server:
        factory = _factory(server.port)
        try:
            with _executor(env, factory) as ex:
                out = ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=30)
        finally:
            factory.close()
    assert out.status == "failure" and "3 action entries" in out.reason
    assert "action_indices" in out.reason


@pytest.mark.slow
def test_the_policy_server_benchmark_reports_its_numbers():
    out = subprocess.run(
        [sys.executable, "-m", "housemind", "bench", "policy-server", "--quick", "--clients",
         "3", "--requests", "7", "--json"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    import json

    res = json.loads(out.stdout)
    assert res["single_client"]["requests"] == 7 and res["concurrent"]["requests"] == 21
    for part in ("single_client", "concurrent"):
        r = res[part]
        assert r["rps"] > 0 and 0 < r["p50_ms"] <= r["p99_ms"] <= r["max_ms"]
    assert len(res["load_avg_before"]) == 3


def test_the_realtime_executor_prefetches_chunks_from_the_server():
    def infer(obs):
        x, y = obs["observation/state"][:2]
        d = math.hypot(1.6 - x, -y) or 1.0
        return {"actions": np.tile([[(1.6 - x) / d, -y / d, 0.0]], (5, 1)).astype(np.float32)}

    env = PointRobotEnv(spots={"table": (1.6, 0.0), "sink": (0.0, 3.0)}, control_hz=100)
    with MinimalOpenPIServer(infer) as server:
        factory = _factory(server.port)
        try:
            ex = Executor(env, realtime=True, policy_for=lambda sk, e: factory(sk.spec, sk.args, e))
            with ex:
                out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=30)
        finally:
            factory.close()
    assert out.ok, out.reason
    assert len(server.received) >= out.ticks // 5  # a request per chunk, some ahead of time
