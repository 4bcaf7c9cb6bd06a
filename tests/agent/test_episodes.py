from __future__ import annotations

import pytest

from housemind.agent.episodes import EpisodeError, run_episode


def test_a_suite_task_is_judged_by_its_goal_predicate():
    r = run_episode(task="pot_on_stove", seed=101)
    assert r.status == "done" and r.success and r.planner == "symbolic"
    assert r.task == "pot_on_stove" and r.home == "apartment"
    assert r.subtasks[0]["skill"] == "navigate" and "pick" in [s["skill"] for s in r.subtasks]
    assert all(s["status"] == "success" for s in r.subtasks)
    assert r.sim_seconds > 0


def test_a_goal_in_words_without_a_task():
    r = run_episode("turn off the stove", home="apartment", seed=3)
    assert r.goal == "turn off the stove" and r.task is None
    assert r.success == (r.status == "done")


def test_a_goal_the_planner_cannot_plan_fails_with_its_reason():
    r = run_episode("juggle three oranges", seed=1)
    assert r.status == "failed" and not r.success and "does not understand" in r.reason


@pytest.mark.parametrize(
    "kwargs",
    [
        {"goal": "  "},
        {},
        {"task": "no_such_task"},
        {"goal": "tidy up", "home": "castle"},
    ],
)
def test_bad_episodes_say_what_is_wrong(kwargs):
    with pytest.raises(EpisodeError):
        run_episode(**kwargs)
