"""Choosing planners: specs, the config file, and the errors a person sees."""

from __future__ import annotations

import pytest

from housemind.agent.planners import (
    ModelPlanner,
    PlannerChain,
    PlannerSettings,
    PlannerSpecError,
    load_planner_settings,
    make_planner,
    parse_planner_spec,
    planner_backends,
)
from housemind.agent.planners.symbolic import SymbolicPlanner


@pytest.fixture(autouse=True)
def no_config(tmp_path, monkeypatch):
    """Each test starts with no config file anywhere (cwd and XDG point at empty folders)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("HOUSEMIND_CONFIG", raising=False)


def test_specs_name_backends_in_order():
    assert parse_planner_spec("symbolic") == [("symbolic", None)]
    assert parse_planner_spec(" litellm:openai/gpt-4o-mini , transformers:/m/x,symbolic") == [
        ("litellm", "openai/gpt-4o-mini"),
        ("transformers", "/m/x"),
        ("symbolic", None),
    ]
    assert {"litellm", "transformers", "symbolic"} <= set(planner_backends())


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("", "empty"),
        ("symbolic,", "stray comma"),
        ("gpt4", "unknown planner backend 'gpt4'"),
        ("litellm", "needs a model"),
        ("transformers", "needs a path"),
        ("transformers:/no/such/model", "no model at /no/such/model"),
    ],
)
def test_bad_specs_say_what_to_write(spec, message):
    with pytest.raises(PlannerSpecError, match=message):
        make_planner(spec)


def test_one_plain_backend_is_itself_and_a_model_backend_comes_in_a_chain():
    assert isinstance(make_planner("symbolic"), SymbolicPlanner)
    assert isinstance(make_planner(None), SymbolicPlanner)  # no config file: symbolic
    one = make_planner("litellm:openai/gpt-4o-mini")
    assert isinstance(one, PlannerChain) and isinstance(one.backends[0], ModelPlanner)
    two = make_planner("litellm:openai/gpt-4o-mini,symbolic", api_base="http://127.0.0.1:9/v1")
    assert two.name == "litellm:openai/gpt-4o-mini,symbolic" and two.wants_images == 1
    client = two.backends[0].client
    assert client.endpoints[0].api_base == "http://127.0.0.1:9/v1"


def test_api_base_without_a_litellm_backend_is_an_error():
    with pytest.raises(PlannerSpecError, match="is for litellm backends"):
        make_planner("symbolic", api_base="http://127.0.0.1:9/v1")


def test_the_config_file_chooses_backends_and_options(tmp_path, monkeypatch):
    (tmp_path / "housemind.toml").write_text(
        """
[planner]
backends = ["litellm:openai/qwen2.5-vl", "symbolic"]
api_base = "http://127.0.0.1:8000/v1"
timeout_s = 12
retries = 0
images = 2
feedback_retries = 1
cooldown_s = 5
"""
    )
    settings = load_planner_settings()
    assert settings.spec == "litellm:openai/qwen2.5-vl,symbolic" and settings.images == 2
    chain = make_planner()
    assert isinstance(chain, PlannerChain) and chain.feedback_retries == 1
    assert chain.cooldown_s == 5 and chain.wants_images == 2
    client = chain.backends[0].client
    assert client.timeout_s == 12 and client.retries == 0
    assert client.endpoints[0].api_base == "http://127.0.0.1:8000/v1"
    # the command line wins over the file
    assert isinstance(make_planner("symbolic"), SymbolicPlanner)
    other = make_planner("litellm:openai/other", api_base="http://127.0.0.1:9/v1")
    assert other.backends[0].client.endpoints[0].api_base == "http://127.0.0.1:9/v1"


def test_housemind_config_points_at_a_file_and_xdg_is_the_fallback(tmp_path, monkeypatch):
    xdg = tmp_path / "xdg" / "housemind"
    xdg.mkdir(parents=True)
    (xdg / "config.toml").write_text('[planner]\nbackends = "litellm:openai/from-xdg"\n')
    assert load_planner_settings().spec == "litellm:openai/from-xdg"
    named = tmp_path / "mine.toml"
    named.write_text('[planner]\nbackends = "litellm:openai/from-env"\n')
    monkeypatch.setenv("HOUSEMIND_CONFIG", str(named))
    assert load_planner_settings().spec == "litellm:openai/from-env"
    monkeypatch.setenv("HOUSEMIND_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(PlannerSpecError, match="HOUSEMIND_CONFIG=.*is not a file"):
        load_planner_settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[planner\n", "cannot read the config file"),
        ('[planner]\nbackend = "symbolic"\n', "backend: Extra inputs"),
        ("[planner]\nimages = 9\n", "images"),
        ('[planner]\nresponse_format = "yaml"\n', "response_format"),
        ('planner = "symbolic"\n', "must be a table"),
    ],
)
def test_a_bad_config_file_names_the_file_and_the_key(tmp_path, text, message):
    (tmp_path / "housemind.toml").write_text(text)
    with pytest.raises(PlannerSpecError, match=message) as err:
        load_planner_settings()
    assert "housemind.toml" in str(err.value)


def test_keys_are_read_from_the_environment_variable_the_file_names(monkeypatch):
    settings = PlannerSettings(api_key_env="MY_MODEL_KEY")
    with pytest.raises(PlannerSpecError, match="MY_MODEL_KEY"):
        make_planner("litellm:openai/x", settings=settings)
    monkeypatch.setenv("MY_MODEL_KEY", "secret")
    chain = make_planner("litellm:openai/x", settings=settings)
    assert chain.backends[0].client.endpoints[0].api_key == "secret"
