"""The HomeSim task suite: every task's goal is not met after sampling, is met after its
expert solution, and sampling is deterministic per seed."""

from __future__ import annotations

import json

import pytest

from housemind.sim.home.tasks import (
    CATEGORIES,
    TASKS,
    Task,
    TaskInstance,
    TaskSampleError,
    fact_holds,
    get_task,
    make_env,
    new_episode,
    run_solution,
    task_names,
)

#: Categories the issue asks for (safety is extra).
REQUIRED = {
    "tidying",
    "dishes",
    "cooking",
    "laundry",
    "trash",
    "groceries",
    "fetching",
    "plant_care",
}


#: Tasks whose goal has no fact in the robot's vocabulary (water boiling).
NO_FACTS = {"boil_the_kettle"}


def _solve(name: str, seed: int, home: str | None = None) -> tuple[bool, bool, TaskInstance]:
    env, inst = new_episode(name, seed, home=home)
    before = inst.check(env)
    facts = inst.goal_facts(env)
    assert bool(facts) != (name in NO_FACTS)
    facts_before = all(fact_holds(env, f) for f in facts)
    run_solution(env, inst.solution(env), raise_errors=True)
    after = inst.check(env)
    missing = [f for f in facts if not fact_holds(env, f)]
    # The facts are necessary: they hold once the goal does, and not all held before.
    assert not after or not missing, f"{name}: goal met but {missing} do not hold"
    assert not facts or not facts_before, f"{name}: every goal fact held already"
    return before, after, inst


def test_fifty_tasks_across_the_issues_categories():
    assert len(TASKS) >= 50
    assert {t.category for t in TASKS.values()} >= REQUIRED
    assert all(len(task_names(c)) >= 3 for c in REQUIRED)


def test_registry_lookup_and_did_you_mean():
    assert set(task_names()) == set(TASKS)
    assert all(isinstance(t, Task) for t in TASKS.values())
    with pytest.raises(KeyError, match="did you mean 'dishes_to_sink'"):
        get_task("dish_to_sink")
    for cat in CATEGORIES:
        assert all(TASKS[n].category == cat for n in task_names(cat))
    with pytest.raises(ValueError, match="unknown task category"):
        task_names("gardening")


def test_every_task_applies_to_a_known_home_and_describes_itself():
    for name, task in TASKS.items():
        info = task.info()
        assert info["homes"], f"{name} applies to no known home"
        assert info["name"] == name and info["category"] in CATEGORIES and info["goal"]


def test_a_task_class_without_a_category_fails_at_definition():
    with pytest.raises(TypeError, match="category"):

        class Nameless(Task):  # noqa: F841
            name, goal = "nameless", "do nothing"


def test_sampling_is_deterministic_per_seed_and_serialisable():
    for name in ("tidy_living_room", "dishes_to_sink", "close_open_doors"):
        env_a, a = new_episode(name, 5)
        env_b, b = new_episode(name, 5)
        assert a == b and env_a.get_state() == env_b.get_state()
        assert TaskInstance.from_dict(json.loads(json.dumps(a.to_dict()))) == a
        _, c = new_episode(name, 6)
        assert c.params != a.params or c.seed != a.seed


def test_sampling_a_task_in_a_home_without_what_it_needs_says_so():
    env = make_env("apartment", 0)
    not_here = [t for t in TASKS.values() if not t.applies(env.layout)]
    if not not_here:
        pytest.skip("every task applies to the apartment")
    with pytest.raises(TaskSampleError, match="does not apply"):
        not_here[0].sample(env, 0)


@pytest.mark.parametrize("name", sorted(TASKS))
def test_expert_solution_achieves_the_goal(name):
    before, after, inst = _solve(name, 0)
    assert not before, f"{name}: goal already true after sampling ({inst.params})"
    assert after, f"{name}: goal not reached by the expert solution ({inst.params})"


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(TASKS))
def test_expert_solution_in_every_home_it_applies_to(name):
    for i, home in enumerate(get_task(name).homes()):
        seed = 1 + i  # another arrangement in each home
        before, after, inst = _solve(name, seed, home)
        assert not before and after, f"{name} on {home}, seed {seed}: {inst.params}"


def test_fact_holds_reads_the_true_state():
    env, inst = new_episode("close_the_fridge", 0)
    fridge = inst.params["fixtures"][0]
    assert fact_holds(env, f"open({fridge})") and not fact_holds(env, f"closed({fridge})")
    assert fact_holds(env, "hand_empty") and fact_holds(env, "switched_off(stove)")
    with pytest.raises(ValueError, match="predicate"):
        fact_holds(env, "levitating(mug)")
    with pytest.raises(ValueError, match="not a fact"):
        fact_holds(env, "in mug sink")


def test_run_solution_reports_a_failing_step():
    env, inst = new_episode("tidy_living_room", 0)
    assert run_solution(env, [("pick", {"object": inst.params["objects"][0]})]) is False
    with pytest.raises(Exception, match="beyond reach|navigate"):
        run_solution(env, [("pick", {"object": inst.params["objects"][0]})], raise_errors=True)


def test_a_clean_one_of_the_kind_does_when_the_goal_says_a_clean_mug():
    # "bring a clean mug to the coffee table": the sampler chose 'mug' (in the cabinet),
    # but another clean mug brought there meets the words too; a dirty one does not
    import random

    from housemind.sim.home.tasks._common import place_in

    env, inst = new_episode("bring_mug_to_coffee_table", 8, home="house")
    assert inst.params["objects"] == ["mug"] and get_task(inst.task).any_such
    assert not inst.check(env)
    other = env.world.objects["mug_2"]
    assert other.kind == "mug" and not other.dirty
    place_in(env, "mug_2", "coffee_table", random.Random(0))
    assert inst.check(env)
    other.dirty = True
    assert not inst.check(env)
    # a task that names its things ("put the book on the nightstand") takes no stand-in
    assert not get_task("bring_book_to_nightstand").any_such
