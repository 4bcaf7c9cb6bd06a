"""Planner evaluation: wordings, goal files, the harness and the ``eval planner`` command."""

from __future__ import annotations

import json
import string
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.planner_eval import (
    TimedPlanner,
    WordingsError,
    evaluate_planner,
    fill_goal,
    load_goal_file,
    load_wordings,
    plannable,
)
from housemind.sim.home.tasks import get_task, task_names

runner = CliRunner()


def test_wordings_are_filled_like_the_suites_own_goals():
    params = {"objects": ["plate_2", "fork", "knife"], "dest": "sink"}
    assert fill_goal("put the dirty {objects} in the {dest}", params) == (
        "put the dirty plate 2, fork and knife in the sink"
    )
    assert fill_goal("close the {fixtures}", {"fixtures": ["fridge"]}) == "close the fridge"
    assert fill_goal("tidy up", params) == "tidy up"
    with pytest.raises(WordingsError, match="which this task does not have"):
        fill_goal("put the {food} away", params)


def test_the_heldout_wordings_were_frozen_before_training_and_never_overlap():
    heldout = load_wordings(split="heldout")
    train = load_wordings(split="train")
    assert heldout.frozen == "2026-12-03" and "2026-12-03" in heldout.path.read_text()[:200]
    assert not heldout.all() & train.all()
    for name in task_names():
        task = get_task(name)
        fields = {f for _, f, _, _ in string.Formatter().parse(task.goal) if f}
        held, trained = heldout.tasks[name], train.tasks[name]
        assert len(held) >= 3 and len(trained) >= 5 and len(set(held + trained)) >= 5
        for w in held + trained:
            assert {f for _, f, _, _ in string.Formatter().parse(w) if f} <= fields, w


def test_dev_wordings_are_separate_from_training_and_heldout():
    dev = load_wordings(split="dev")
    assert dev.split == "dev" and dev.frozen == "2026-12-03"
    assert not dev.all() & load_wordings(split="train").all()
    assert not dev.all() & load_wordings(split="heldout").all()
    for name in task_names():
        fields = {f for _, f, _, _ in string.Formatter().parse(get_task(name).goal) if f}
        assert len(dev.tasks[name]) >= 2, name
        for w in dev.tasks[name]:
            assert {f for _, f, _, _ in string.Formatter().parse(w) if f} <= fields, w


def test_second_round_wordings_are_frozen_and_protected_from_training(tmp_path):
    """Round 2's held-out and development files (2026-12-04) overlap nothing, and training
    refuses a wording from any held-out or development file, not only the first round's."""
    from housemind.agent.planner_eval import protected_wordings, wordings_dir
    from housemind.agent.planners.builtin.training import TrainSettings, train_planner

    held2 = load_wordings(wordings_dir() / "goal_wordings_heldout2.yaml")
    dev2 = load_wordings(wordings_dir() / "goal_wordings_dev2.yaml", split="dev")
    assert held2.split == "heldout" and held2.frozen == "2026-12-04"
    assert dev2.split == "dev" and dev2.frozen == "2026-12-04"
    others = [load_wordings(split=s).all() for s in ("train", "dev", "heldout")]
    for new in (held2.all(), dev2.all()):
        assert all(not new & old for old in others)
    assert not held2.all() & dev2.all()
    assert set(held2.tasks) == set(dev2.tasks) == set(task_names())
    assert held2.all() <= protected_wordings("heldout")
    assert dev2.all() <= protected_wordings("dev")
    for leaked, what in ((held2, "held-out"), (dev2, "development")):
        task = sorted(leaked.tasks)[0]
        train = tmp_path / f"train-{what}.yaml"
        train.write_text(json.dumps({"split": "train", "tasks": {task: [leaked.tasks[task][0]]}}))
        with pytest.raises(WordingsError, match=f"also {what} wordings"):
            train_planner(  # small, should the guard ever let it start
                TrainSettings(
                    out=tmp_path / "w",
                    wordings_path=train,
                    tasks=(task,),
                    homes=("studio",),
                    episodes_per_task=1,
                    epochs=1,
                    cache_dir=tmp_path / "cache",
                )
            )


def test_bad_wordings_files_say_what_to_fix(tmp_path):
    f = tmp_path / "w.yaml"
    f.write_text("tasks:\n  no_such_task: ['x']\n")
    with pytest.raises(WordingsError, match="unknown task"):
        load_wordings(f)
    f.write_text("tasks: [1, 2]\n")
    with pytest.raises(WordingsError, match="'tasks' mapping"):
        load_wordings(f)
    with pytest.raises(WordingsError, match="no goal wordings file"):
        load_wordings(tmp_path / "missing.yaml")


def test_goal_files_are_json_lines_of_task_and_goal(tmp_path):
    f = tmp_path / "goals.jsonl"
    f.write_text(
        '{"task": "turn_off_stove", "goal": "kill the {fixtures}"}\n\n'
        '{"task": "close_the_fridge", "goal": "shut it"}\n'
    )
    assert load_goal_file(f) == [
        ("turn_off_stove", "kill the {fixtures}"),
        ("close_the_fridge", "shut it"),
    ]
    for bad, msg in [
        ("not json", ":1 is not JSON"),
        ('{"goal": "x"}', "must be"),
        ('{"task": "turn_off_stove", "goal": " "}', "no goal text"),
        ('{"task": "turn_of_stove", "goal": "x"}', "did you mean 'turn_off_stove'"),
    ]:
        f.write_text(bad + "\n")
        with pytest.raises(WordingsError, match=msg):
            load_goal_file(f)


def test_tasks_needing_a_step_no_skill_provides_are_not_plannable():
    assert plannable([("navigate", {}), ("pick", {})], ["navigate", "pick"]) == ""
    why = plannable([("toggle", {}), ("wait", {"seconds": 60})], ["toggle"])
    assert "wait" in why and "no registered skill" in why


def test_timed_planner_counts_decisions_latency_and_tokens():
    class Counting:
        name = "fake"

        def plan(self, goal, context):
            return SimpleNamespace(usage={"prompt_tokens": 100, "completion_tokens": 20})

        def replan(self, goal, context, **kw):
            return SimpleNamespace(usage={})

    t = TimedPlanner(Counting())
    t.plan("g", None)
    t.replan("g", None, done=[], failed=None, reason="")
    assert t.name == "fake" and len(t.latencies) == 2 and t.tokens == [120, 0]


def test_the_harness_runs_a_task_through_the_stack_and_excludes_unplannable_ones():
    seen = []
    r = evaluate_planner(
        "symbolic",
        tasks=["turn_off_stove", "boil_the_kettle"],
        homes=["house"],
        on_episode=seen.append,
    )
    assert r.planner == "symbolic" and r.wordings == "suite" and r.seeds == [1000]
    assert r.episodes == 1 and r.success == 1.0 and r.per_task["turn_off_stove"]["success"] == 1
    assert r.per_home == {"house": {"episodes": 1, "successes": 1, "success": 1.0}}
    assert "wait" in r.excluded["boil_the_kettle"]
    assert r.decisions >= 1 and r.latency_ms["p50"] > 0 and r.tokens_per_decision == 0
    assert r.plan_length == 2 and {row["task"] for row in seen} == {
        "turn_off_stove",
        "boil_the_kettle",
    }


def test_the_harness_can_rearrange_the_furniture_of_training_homes():
    rows = []
    r = evaluate_planner(
        "symbolic",
        tasks=["turn_off_stove"],
        homes=["studio"],
        seed_offset=2000,
        furniture_seed=2000,
        on_episode=rows.append,
    )
    assert r.furniture_seed == 2000 and r.episodes == 1 and r.success == 1.0
    assert rows[0]["furniture_seed"] == 2000 and rows[0]["seed"] == 2000


@pytest.mark.slow
def test_any_wording_from_a_goals_file_is_judged_by_the_tasks_predicate():
    r = evaluate_planner(
        "symbolic",
        goals=[("turn_off_stove", "turn off the {fixtures}"), ("turn_off_stove", "juggle")],
        homes=["house"],
    )
    assert r.wordings == "file" and r.episodes == 2 and r.success == 0.5
    assert r.failures[0]["goal"] == "juggle"


@pytest.mark.slow
def test_eval_planner_json_contract(tmp_path):
    res = runner.invoke(
        app,
        [
            "eval",
            "planner",
            "--planner",
            "symbolic",
            "--task",
            "close_the_fridge",
            "--home",
            "two_bedroom",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["success"] == 1.0 and set(out["per_task"]) == {"close_the_fridge"}
    for key in (
        "plan_length",
        "replans",
        "safety_interventions",
        "latency_ms",
        "tokens_per_decision",
        "homes",
        "seeds",
        "wordings",
    ):
        assert key in out


def test_eval_planner_bad_input_says_what_to_do(tmp_path):
    res = runner.invoke(app, ["eval", "planner", "--planner", "nope"])
    assert res.exit_code == 2 and "unknown planner 'nope'" in res.output
    res = runner.invoke(app, ["eval", "planner", "--seeds", "0"])
    assert res.exit_code == 2 and "--seeds must be at least 1" in res.output
    bad = tmp_path / "g.jsonl"
    bad.write_text("{oops\n")
    res = runner.invoke(app, ["eval", "planner", "--goals", str(bad)])
    assert res.exit_code == 2 and "is not JSON" in res.output
    res = runner.invoke(app, ["eval", "planner", "--goals", str(bad), "--paraphrases"])
    assert res.exit_code == 2 and "not both" in res.output
    res = runner.invoke(
        app, ["eval", "planner", "--planner", "symbolic", "--home", "castle", "--task", "x"]
    )
    assert res.exit_code == 2


def test_train_planner_bad_input_says_what_to_do(tmp_path):
    res = runner.invoke(app, ["train", "planner", "--epochs", "0"])
    assert res.exit_code == 2 and "--epochs must be at least 1" in res.output
    res = runner.invoke(app, ["train", "planner", "--home", "castle"])
    assert res.exit_code == 2 and "unknown home 'castle'" in res.output
    f = tmp_path / "file"
    f.write_text("x")
    res = runner.invoke(app, ["train", "planner", "--out", str(f)])
    assert res.exit_code == 2 and "is a file" in res.output
    res = runner.invoke(app, ["train", "planner", "--dagger", "-1"])
    assert res.exit_code == 2 and "--dagger must be 0 or more" in res.output
    res = runner.invoke(app, ["train", "planner", "--dagger", "2", "--dagger-from", str(tmp_path)])
    assert res.exit_code == 2 and "has no model.safetensors" in res.output
