"""What housemind serves: checkpoints, sessions, policy errors; the served-policy loaders."""

import numpy as np
import pytest

from housemind.agent.policy_serving import load_served_policy
from housemind.skills.policies import PolicyError
from housemind.skills.policies.linear import (
    LinearChunkPolicy,
    load_linear_checkpoint,
    save_linear_checkpoint,
)
from housemind.skills.policies.serving import (
    HousemindServedPolicy,
    checkpoint_types,
    load_checkpoint_policy,
)
from housemind.skills.policies.wire import WireError, observation_from_wire
from housemind.skills.testing import PointRobotEnv


def _request(session="s1", skill="navigate", prompt="go to the table", **extra):
    obs = PointRobotEnv().observe()
    from housemind.skills.policies import wire

    return {
        wire.STATE: obs.proprio.as_array(),
        wire.PROPRIO: wire.proprio_to_wire(obs.proprio),
        wire.DETECTIONS: [wire.detection_to_wire(d) for d in obs.detections],
        wire.TIME: obs.time.isoformat(),
        wire.PROMPT: prompt,
        wire.SKILL: {"name": skill, "args": {"target": "table"}},
        wire.SESSION: session,
        **extra,
    }


def test_the_wire_keeps_what_a_policy_sees():
    env = PointRobotEnv()
    env.held = "mug"
    obs = env.observe()
    back, prompt = observation_from_wire(_request())
    assert prompt == "go to the table"
    assert back.facts() == PointRobotEnv().observe().facts()
    assert [d.name for d in back.detections] == [d.name for d in obs.detections]
    with pytest.raises(WireError, match="neither"):
        observation_from_wire({"prompt": "x"})


def test_linear_checkpoint_round_trip(tmp_path):
    p = LinearChunkPolicy(np.ones((2, 8), np.float32), np.zeros(2, np.float32), np.ones(4))
    folder = save_linear_checkpoint(tmp_path / "ck", p)
    q = load_linear_checkpoint(folder)
    np.testing.assert_array_equal(q.weight, p.weight)
    served = load_checkpoint_policy(folder)
    out = served.infer(_request())
    assert out["actions"].shape == (4, 2) and out["done"] is True
    assert served.metadata["action_dim"] == 2 and "housemind_linear" in checkpoint_types()


def test_bad_checkpoints_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match="not a folder"):
        load_checkpoint_policy(tmp_path / "missing")
    with pytest.raises(ValueError, match="no config.json"):
        load_checkpoint_policy(tmp_path)
    (tmp_path / "config.json").write_text('{"type": "mystery"}')
    with pytest.raises(ValueError, match="type 'mystery'.*housemind_linear"):
        load_checkpoint_policy(tmp_path)
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(ValueError, match="not valid JSON"):
        load_checkpoint_policy(tmp_path)
    with pytest.raises(ValueError, match="homesim-experts"):
        load_served_policy(str(tmp_path / "nope"))


class _Counter:
    """A stateful policy: counts its chunks; gives up on 'impossible'."""

    def __init__(self, skill, args, request):
        if skill == "impossible":
            raise PolicyError("cannot do that")
        self.n = 0
        self.resets = 0

    def reset(self):
        self.resets += 1
        self.n = 0

    @property
    def done(self):
        return self.n >= 2

    def predict_chunk(self, obs, instruction):
        self.n += 1
        return np.full((1, 3), self.n, np.float32)


def test_one_policy_per_session_and_policy_errors_travel_as_answers():
    served = HousemindServedPolicy(_Counter, name="counter", action_dim=3, max_sessions=2)
    a1 = served.infer(_request("a"))
    a2 = served.infer(_request("a"))
    b1 = served.infer(_request("b"))
    assert [a1["actions"][0, 0], a2["actions"][0, 0], b1["actions"][0, 0]] == [1, 2, 1]
    assert (a1["done"], a2["done"]) == (False, True)
    served.infer(_request("c"))
    assert served.sessions == 2  # the least recently used session was dropped
    bad = served.infer(_request("d", skill="impossible"))
    assert bad["policy_error"] == "cannot do that" and bad["actions"].shape == (0, 3)
    assert served.metadata["reports_done"] and served.metadata["wire"] == "housemind/1"
