"""The LeRobot async-inference backend against a fake LeRobot PolicyServer on 127.0.0.1."""

import json
import pickle
import pickletools
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("grpc", reason="the 'remote' extra is not installed")

from housemind.skills import REGISTRY, Executor  # noqa: E402
from housemind.skills.policies import PolicyError, parse_policy_spec, resolve_policy  # noqa: E402
from housemind.skills.policies import lerobot_wire as lw  # noqa: E402
from housemind.skills.policies.lerobot import (  # noqa: E402
    LeRobotAsyncClient,
    LeRobotConfig,
    from_spec,
)
from housemind.skills.testing import PointRobotEnv  # noqa: E402

FAKE = Path(__file__).with_name("lerobot_fake_server.py")
SPEC = "lerobot://127.0.0.1:{port}?policy_type=act&pretrained=me/act_point&actions_per_chunk=20"


def _start_fake(tmp_path: Path, *extra: str):
    record = tmp_path / "record.jsonl"
    proc = subprocess.Popen(
        [sys.executable, str(FAKE), "--record", str(record), *extra],
        stdout=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("PORT ") or proc.poll() is not None:
            break
    if not line.startswith("PORT "):
        proc.kill()
        raise RuntimeError(f"the fake LeRobot server did not start: {line!r}")
    return proc, int(line.split()[1]), record


def _events(record: Path) -> list[dict]:
    return [json.loads(line) for line in record.read_text().splitlines()]


@pytest.fixture
def fake_server(tmp_path):
    proc, port, record = _start_fake(tmp_path)
    yield port, record
    proc.terminate()
    proc.wait(timeout=10)


@pytest.mark.slow
def test_a_subtask_completes_through_the_fake_lerobot_server(fake_server):
    port, record = fake_server
    factory = from_spec(parse_policy_spec(SPEC.format(port=port)))
    env = PointRobotEnv()
    try:
        with Executor(env, policy_for=lambda sk, e: factory(sk.spec, sk.args, e)) as ex:
            out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=60)
            assert out.ok, out.reason
            assert "near(table)" in out.facts
            out2 = ex.run(REGISTRY.bind("navigate", {"target": "sink"}), timeout=60)
            assert out2.ok, out2.reason
    finally:
        factory.close()
    events = _events(record)
    setup = next(e for e in events if e["event"] == "instructions")
    # The server unpickled LeRobot's own RemotePolicyConfig, with what the spec said.
    assert setup["cls"] == "lerobot.async_inference.helpers.RemotePolicyConfig"
    assert setup["policy_type"] == "act" and setup["pretrained"] == "me/act_point"
    assert setup["actions_per_chunk"] == 20 and setup["device"] == "cpu"
    state = setup["features"]["observation.state"]
    assert state["names"] == ["x", "y", "cos_theta", "sin_theta", "vx", "vy", "wz", "gripper"]
    assert setup["features"]["observation.images.front"]["shape"] == [8, 8, 3]
    observations = [e for e in events if e["event"] == "observation"]
    assert {o["task"] for o in observations} == {"go to the table", "go to the sink"}
    assert all(o["image_keys"] == ["front"] for o in observations)
    assert observations[0]["must_go"]  # the queue starts empty
    assert sum(e["event"] == "ready" for e in events) == 2  # one per subtask
    assert sum(e["event"] == "actions" for e in events) >= 3


@pytest.mark.slow
def test_the_threshold_decides_when_the_next_observation_goes(fake_server):
    port, record = fake_server
    factory = from_spec(parse_policy_spec(SPEC.format(port=port) + "&chunk_size_threshold=0.5"))
    env = PointRobotEnv(spots={"table": (4.0, 0.0), "sink": (0.0, 3.0)})
    policy = factory(REGISTRY.get("navigate"), {"target": "table"}, env)
    try:
        policy.reset()
        first = policy.predict_chunk(env.observe(), "go to the table")
        # Above the threshold: the actions LeRobot's loop runs before its next observation.
        assert first.shape == (10, 3)
        for a in first:
            env.step(a)
        client = factory.client
        sent = client.observations_sent
        second = policy.predict_chunk(env.observe(), "go to the table")
        assert client.observations_sent == sent + 1  # at the threshold: an observation goes
        assert len(second) >= 1
    finally:
        factory.close()


def test_merging_follows_lerobots_client():
    config = LeRobotConfig(policy_type="act", pretrained="x", aggregate="weighted_average")
    client = LeRobotAsyncClient("127.0.0.1", 1, config)
    client._queue = [lw.TimedAction(0.0, t, np.full(2, 1.0, np.float32)) for t in (4, 5, 6)]
    client._latest = 3
    incoming = [lw.TimedAction(0.0, t, np.full(2, 2.0, np.float32)) for t in (3, 4, 5, 7)]
    client._merge(incoming)
    steps = [a.timestep for a in client._queue]
    assert steps == [4, 5, 7]  # step 3 was executed; 6 is not in the new chunk
    np.testing.assert_allclose(client._queue[0].action, 0.3 * 1.0 + 0.7 * 2.0)
    np.testing.assert_allclose(client._queue[2].action, 2.0)


def test_a_remote_address_is_refused_without_the_explicit_flag():
    spec = "lerobot://10.1.2.3:8080?policy_type=act&pretrained=x"
    with pytest.raises(ValueError, match="allow_remote_pickle=1"):
        resolve_policy(spec)
    for host in ("gpu-host.local", "192.168.1.20", "[2001:db8::1]"):
        with pytest.raises(ValueError, match="pickle"):
            from_spec(parse_policy_spec(f"lerobot://{host}:8080?policy_type=act&pretrained=x"))
    # Loopback needs no flag; a remote address does, and then is accepted (no connection yet).
    for host in ("127.0.0.1", "localhost", "[::1]", "127.0.0.2"):
        from_spec(parse_policy_spec(f"lerobot://{host}:8080?policy_type=act&pretrained=x"))
    ok = from_spec(parse_policy_spec(spec + "&allow_remote_pickle=1"))
    assert ok.config.allow_remote_pickle and not ok.client.started


@pytest.mark.slow
def test_a_payload_outside_the_allow_list_is_refused_and_never_run(tmp_path):
    marker = tmp_path / "pwned"
    proc, port, _ = _start_fake(tmp_path, "--mode", "evil", "--marker", str(marker))
    factory = from_spec(parse_policy_spec(SPEC.format(port=port) + "&timeout_s=5"))
    env = PointRobotEnv()
    try:
        with Executor(env, policy_for=lambda sk, e: factory(sk.spec, sk.args, e)) as ex:
            out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=30)
    finally:
        factory.close()
        proc.terminate()
        proc.wait(timeout=10)
    assert out.status == "failure"
    assert "system" in out.reason and "does not load" in out.reason
    assert not marker.exists()


@pytest.mark.slow  # importing torch takes seconds
def test_payloads_name_lerobots_classes_and_read_back_torch_actions():
    torch = pytest.importorskip("torch")
    obs = lw.TimedObservation(1.5, 3, {"x": 1.0, "front": np.zeros((2, 2, 3), np.uint8)}, True)
    data = lw.dumps(obs)
    strings = [a for op, a, _ in pickletools.genops(data) if isinstance(a, str)]
    assert "lerobot.async_inference.helpers" in strings and "TimedObservation" in strings
    assert "housemind" not in " ".join(strings)
    # What LeRobot's server sends: a list of TimedAction with torch tensors, by plain pickle.
    chunk = torch.arange(6, dtype=torch.float32).reshape(2, 3)
    reply = lw.dumps([lw.TimedAction(0.0, i, a) for i, a in enumerate(list(chunk))])
    actions = lw.loads_actions(reply)
    assert [a.timestep for a in actions] == [0, 1]
    np.testing.assert_array_equal(actions[1].action, [3.0, 4.0, 5.0])
    with pytest.raises(pickle.UnpicklingError):
        lw.loads_actions(pickle.dumps({"not": "a list"}))


def test_a_server_that_is_not_running_fails_the_subtask_quickly():
    factory = from_spec(parse_policy_spec(SPEC.format(port=9) + "&timeout_s=2"))
    env = PointRobotEnv()
    t0 = time.monotonic()
    try:
        with Executor(env, policy_for=lambda sk, e: factory(sk.spec, sk.args, e)) as ex:
            out = ex.run(REGISTRY.bind("navigate", {"target": "table"}), timeout=30)
    finally:
        factory.close()
    assert out.status == "failure" and "LeRobot policy server" in out.reason
    assert time.monotonic() - t0 < 20


def test_bad_options_say_what_to_change():
    with pytest.raises(ValueError, match="did you mean 'pretrained'"):
        resolve_policy("lerobot://127.0.0.1:8080?policy_type=act&pretrianed=x")
    with pytest.raises(ValueError, match="pretrained"):
        resolve_policy("lerobot://127.0.0.1:8081?policy_type=act")
    with pytest.raises(ValueError, match="chunk_size_threshold"):
        resolve_policy(
            "lerobot://127.0.0.1:8082?policy_type=act&pretrained=x&chunk_size_threshold=2"
        )
    with pytest.raises(PolicyError, match="state_names"):
        f = from_spec(
            parse_policy_spec(
                "lerobot://127.0.0.1:8083?policy_type=act&pretrained=x&state_names=a,b"
            )
        )
        f(REGISTRY.get("navigate"), {"target": "table"}, PointRobotEnv()).raw_observation(
            PointRobotEnv().observe(), "go"
        )
