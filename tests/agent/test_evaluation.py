"""``housemind eval tasks``: the suite from its words through the whole stack."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.evaluation import HELD_OUT_SEED_BASE, evaluate_tasks, task_homes


def test_task_homes_pairs_each_task_with_the_plans_it_applies_to():
    pairs = task_homes(["pot_on_stove", "feed_the_pet"])
    assert ("pot_on_stove", "apartment") in pairs
    assert {h for t, h in pairs if t == "feed_the_pet"} == {
        "one_bedroom",
        "two_bedroom",
        "bungalow",
        "house",
    }
    assert task_homes(["feed_the_pet"], ["apartment"]) == []
    with pytest.raises(ValueError, match="unknown floor plan 'castle'"):
        task_homes(None, ["castle"])
    with pytest.raises(KeyError, match="did you mean"):
        task_homes(["pot_on_stoves"])


@pytest.mark.slow
def test_evaluate_a_task_on_held_out_seeds():
    seen = []
    res = evaluate_tasks(
        seeds=2, tasks=["turn_off_stove"], homes=["apartment"], on_episode=seen.append
    )
    assert res.seeds == [HELD_OUT_SEED_BASE, HELD_OUT_SEED_BASE + 1] and res.episodes == 2
    assert res.per_task["turn_off_stove"]["n"] == 2
    assert set(res.per_home) == {"apartment"} and len(seen) == 2
    assert res.success == res.per_home["apartment"] == res.per_task["turn_off_stove"]["success"]
    assert res.planning["per_chore"]["n"] == 2 and res.planning["per_call"]["p50"] > 0
    assert [f["seed"] for f in res.failures] == [i["seed"] for i in seen if not i["success"]]


@pytest.mark.slow
def test_eval_tasks_cli_prints_the_json_contract():
    out = CliRunner().invoke(
        app,
        [
            "eval",
            "tasks",
            "--task",
            "close_the_fridge",
            "--home",
            "apartment",
            "--seeds",
            "1",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout.strip().splitlines()[-1])
    assert {"success", "per_task", "per_home", "planning", "failures"} <= set(data)
    assert data["per_task"]["close_the_fridge"]["homes"] == {"apartment": data["success"]}


def test_eval_tasks_cli_rejects_bad_options():
    r = CliRunner().invoke(app, ["eval", "tasks", "--seeds", "0"])
    assert r.exit_code != 0 and "--seeds must be >= 1" in r.output
    r = CliRunner().invoke(app, ["eval", "tasks", "--planner", "oracle"])
    assert r.exit_code != 0 and "unknown planner 'oracle'" in r.output
    r = CliRunner().invoke(app, ["eval", "tasks", "--home", "castle", "--json"])
    assert r.exit_code != 0 and "unknown floor plan" in r.output
