"""``housemind do`` and the ``--planner``/``--api-base`` options of do, demo and run."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.planners.testing import FakeOpenAIServer

runner = CliRunner()

OPEN_FRIDGE = json.dumps(
    {
        "steps": [
            {"skill": "navigate", "args": {"target": "fridge"}, "rationale": "reach it"},
            {"skill": "open", "args": {"target": "fridge"}, "rationale": "as asked"},
        ],
        "goal_facts": ["open(fridge)"],
    }
)


@pytest.fixture(autouse=True)
def no_config(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("HOUSEMIND_CONFIG", raising=False)


@pytest.mark.slow
def test_do_runs_one_chore_and_prints_what_happened():
    res = runner.invoke(app, ["do", "take the mug to the sink", "--seed", "1", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["status"] == "done" and out["success"] and out["planner"] == "symbolic"
    assert out["subtasks"][-1]["text"] == "put the mug in the sink"
    assert out["replans"] >= 0 and out["planner_fallbacks"] == 0
    people = runner.invoke(app, ["do", "take the mug to the sink", "--seed", "1"])
    assert people.exit_code == 0
    assert "put the mug in the sink" in people.output and "planner symbolic" in people.output


def test_do_says_why_a_chore_failed_and_exits_non_zero():
    res = runner.invoke(app, ["do", "juggle three oranges"])
    assert res.exit_code == 1 and "failed" in res.output and "does not understand" in res.output


@pytest.mark.slow
def test_do_through_a_model_server_on_127_0_0_1():
    with FakeOpenAIServer([OPEN_FRIDGE]) as srv:
        res = runner.invoke(
            app,
            [
                "do",
                "open the fridge",
                "--planner",
                "litellm:openai/fake,symbolic",
                "--api-base",
                srv.api_base,
                "--json",
            ],
        )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["status"] == "done" and out["planner"] == "litellm:openai/fake"
    assert [s["skill"] for s in out["subtasks"]] == ["navigate", "open"]
    assert out["decisions"][0]["calls"] == 1 and out["decisions"][0]["latency_s"] > 0


@pytest.mark.slow
def test_the_config_file_selects_the_planner(tmp_path):
    with FakeOpenAIServer([OPEN_FRIDGE]) as srv:
        (tmp_path / "housemind.toml").write_text(
            f'[planner]\nbackends = "litellm:openai/fake,symbolic"\napi_base = "{srv.api_base}"\n'
        )
        res = runner.invoke(app, ["do", "open the fridge", "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["planner"] == "litellm:openai/fake" and len(srv.requests) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["do", "x", "--planner", "gpt5"], "unknown planner backend 'gpt5'"),
        (["do", "x", "--planner", "litellm"], "needs a model"),
        (["do", "x", "--api-base", "http://127.0.0.1:9/v1"], "is for litellm backends"),
        (["do", " "], "the goal is empty"),
        (["do", "tidy up", "--home", "castle"], "castle"),
        (["demo", "--planner", "nope"], "unknown planner backend 'nope'"),
        (["run", "--db", "h.db", "--planner", "nope"], "unknown planner backend 'nope'"),
    ],
)
def test_bad_planner_options_get_one_line_errors(args, message):
    res = runner.invoke(app, args)
    assert res.exit_code == 2 and "error:" in res.output and message in res.output


def test_a_bad_config_file_is_reported_not_ignored(tmp_path):
    (tmp_path / "housemind.toml").write_text("[planner]\nbakends = 'symbolic'\n")
    res = runner.invoke(app, ["do", "open the fridge"])
    assert res.exit_code == 2 and "housemind.toml" in res.output and "bakends" in res.output


@pytest.mark.slow
def test_run_with_a_dead_model_server_still_does_the_chores(tmp_path):
    lines = tmp_path / "chores.txt"
    lines.write_text("open the fridge every day at 7:00\n")
    with FakeOpenAIServer([OPEN_FRIDGE]) as srv:
        api = srv.api_base
    res = runner.invoke(
        app,
        [
            "run",
            "--db",
            str(tmp_path / "home.db"),
            "--days",
            "2",
            "--instructions",
            str(lines),
            "--planner",
            "litellm:openai/fake,symbolic",
            "--api-base",
            api,
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert out["chores_done"] == out["chores_due"] == 2
    assert out["planner_fallbacks"] >= 2  # every decision fell back from the dead server
    assert {c["planner"] for c in out["chores"]} == {"symbolic"}
