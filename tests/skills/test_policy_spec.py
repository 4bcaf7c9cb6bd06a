"""Policy specs (``--policy openpi://HOST:PORT``) and the remote backends' shared mapping."""

import subprocess
import sys

import numpy as np
import pytest

from housemind.skills.policies import (
    PolicyError,
    get_policy_factory,
    parse_policy_spec,
    policy_schemes,
    resolve_policy,
)
from housemind.skills.policies.remote import ActionMapping, is_loopback, model_from_options


def test_parse_names_and_addresses():
    assert parse_policy_spec("scripted").scheme == "scripted"
    assert not parse_policy_spec("scripted").remote
    s = parse_policy_spec("openpi://gpu-host:8000?image_size=224&max_actions=5")
    assert (s.scheme, s.host, s.port) == ("openpi", "gpu-host", 8000)
    assert s.options == {"image_size": "224", "max_actions": "5"} and s.remote
    v6 = parse_policy_spec("openpi://[::1]:8000")
    assert v6.host == "::1" and v6.port == 8000


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty policy spec"),
        ("openpi://127.0.0.1", "needs a host and a port"),
        ("openpi://:8000", "needs a host and a port"),
        ("openpi://127.0.0.1:99999", "bad port"),
        ("openpi://127.0.0.1:8000/path", "only have a host"),
        ("openpi://127.0.0.1:8000?a=1&a=2", "option 'a' twice"),
        ("openpi://127.0.0.1:8000?novalue", "malformed options"),
        ("not a name", "malformed policy spec"),
    ],
)
def test_malformed_specs_say_what_is_wrong(text, message):
    with pytest.raises(ValueError, match=message):
        parse_policy_spec(text)


def test_resolve_names_schemes_and_reuses_one_factory_per_spec():
    assert resolve_policy("scripted") is get_policy_factory("scripted")
    assert {"openpi", "lerobot"} <= set(policy_schemes())
    spec = "openpi://127.0.0.1:8765?max_actions=3"
    f = resolve_policy(spec)
    assert get_policy_factory(spec) is f  # a skill may name the spec in policy= too
    assert resolve_policy("openpi://127.0.0.1:8765") is not f
    with pytest.raises(KeyError, match="unknown policy scheme 'foo'.*lerobot, openpi"):
        resolve_policy("foo://127.0.0.1:1")
    with pytest.raises(ValueError, match="did you mean 'max_actions'"):
        resolve_policy("openpi://127.0.0.1:8000?max_action=3")


def test_importing_skills_imports_no_remote_dependency():
    code = (
        "import sys, housemind.skills, housemind.skills.policies; "
        "print([m for m in ('grpc', 'websockets', 'openpi_client', 'msgpack', 'torch') "
        "if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_action_mapping():
    server = np.arange(2 * 5, dtype=np.float32).reshape(2, 5) / 10  # [[0 .1 .2 .3 .4], ...]
    m = ActionMapping(action_indices=[4, 0], action_scale=[2.0, 1.0], action_offset=-0.5)
    np.testing.assert_allclose(m.apply(server, 2), [[0.3, -0.5], [1.0, 0.0]])  # clipped at 1
    assert ActionMapping(max_actions=1).apply(server, 5).shape == (1, 5)
    assert ActionMapping(clip=False).apply(server * 30, 5).max() == pytest.approx(27.0)
    with pytest.raises(PolicyError, match="robot takes 3; set action_indices"):
        ActionMapping().apply(server, 3)
    with pytest.raises(PolicyError, match="reach past"):
        ActionMapping(action_indices=[7]).apply(server, 1)
    with pytest.raises(PolicyError, match="expected a chunk"):
        ActionMapping().apply(np.zeros((0, 5)), 5)


def test_options_from_strings():
    m = model_from_options(ActionMapping, {"action_indices": "3", "clip": "false"}, what="x")
    assert m.action_indices == [3] and m.clip is False
    m = model_from_options(
        ActionMapping, {"action_scale": "0.5,2", "max_actions": "none"}, what="x"
    )
    assert m.action_scale == [0.5, 2.0] and m.max_actions is None
    with pytest.raises(ValueError, match="max_actions"):
        model_from_options(ActionMapping, {"max_actions": "0"}, what="x")


def test_loopback():
    for host in ("127.0.0.1", "127.9.9.9", "::1", "[::1]", "localhost", "LOCALHOST"):
        assert is_loopback(host), host
    for host in ("10.0.0.1", "192.168.1.2", "0.0.0.0", "example.org", "2001:db8::1", "gpu"):
        assert not is_loopback(host), host
