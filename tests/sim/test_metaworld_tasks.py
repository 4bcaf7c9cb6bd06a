"""Meta-World task data and skill specs: no MuJoCo needed (except where marked)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from housemind.sim.metaworld import (
    DIFFICULTIES,
    MT10,
    MT50,
    STATION_SKILLS,
    UnknownTaskError,
    get_task,
    register_metaworld_skills,
    register_station_skills,
    suite,
    tasks,
)
from housemind.sim.metaworld.skills import EPISODE_S, METAWORLD_TASK_SPEC
from housemind.skills import REGISTRY, SkillRegistry


def test_fifty_tasks_in_four_splits_of_the_published_sizes():
    assert len(MT50) == 50 and len(set(MT50)) == 50
    sizes = {d: len(suite(d)) for d in DIFFICULTIES}
    # Seo et al. 2022 (and SmolVLA's tables): 28 easy, 11 medium, 6 hard, 5 very hard.
    assert sizes == {"easy": 28, "medium": 11, "hard": 6, "very_hard": 5}
    assert sorted(t for d in DIFFICULTIES for t in suite(d)) == sorted(MT50)
    assert get_task("drawer-open-v3").difficulty == "easy"
    assert get_task("stick-pull-v3").difficulty == "very_hard"
    assert get_task("assembly-v3").difficulty == "hard"


def test_instructions_are_lerobots_texts():
    assert get_task("coffee-button-v3").description == "Push a button on the coffee machine"
    assert get_task("reach-v3").description == "Reach a goal position"
    assert all(t.description and t.description[0].isupper() for t in tasks().values())


def test_mt10_and_mt50_match_metaworlds_own_lists():
    env_dict = pytest.importorskip("metaworld.env_dict")
    policies = pytest.importorskip("metaworld.policies")
    assert sorted(MT10) == sorted(env_dict.MT10_V3)
    assert sorted(MT50) == sorted(env_dict.ALL_V3_ENVIRONMENTS)
    assert set(MT50) <= set(policies.ENV_POLICY_MAP)  # every task has a scripted expert


def test_suite_accepts_unions_and_slugs_and_explains_bad_names():
    got = suite("hard, drawer_open")
    assert "drawer-open-v3" in got and "pick-place-v3" in got and len(got) == 7
    assert list(got) == [t for t in MT50 if t in got]  # MT50 order
    assert suite("MT10") == MT10
    with pytest.raises(UnknownTaskError, match="did you mean 'drawer-open-v3'"):
        get_task("drawer-opn-v3")
    with pytest.raises(UnknownTaskError, match="mt10, mt50, easy"):
        suite("mt11")


def test_task_skill_renders_the_instruction_and_succeeds_on_the_solved_fact():
    sk = METAWORLD_TASK_SPEC.bind(task="drawer_open")
    assert sk.args == {"task": "drawer-open-v3"}
    assert sk.text == "Open a drawer"
    assert sk.success_facts() == ["solved(drawer_open)"]
    assert METAWORLD_TASK_SPEC.timeout_s == EPISODE_S == 6.25  # 500 steps at 80 Hz
    with pytest.raises(ValueError, match="unknown Meta-World task 'open-drawer'"):
        METAWORLD_TASK_SPEC.bind(task="open-drawer")


def test_station_skills_are_valid_apart_from_the_builtins_and_register_idempotently():
    builtin = set(REGISTRY.names())
    reg = SkillRegistry()
    for spec in REGISTRY:
        reg.register(spec)
    names = register_station_skills(reg)
    assert names == list(STATION_SKILLS) and len(names) >= 5
    assert not set(names) & builtin
    assert all(n.startswith("station_") for n in names)
    assert register_station_skills(reg) == names  # twice: no clash with itself
    assert register_metaworld_skills(reg) == ["metaworld_task"]
    for s in STATION_SKILLS.values():
        get_task(s.task)
        sk = reg.bind(s.name, {})
        assert sk.preconditions() == ["near(counter)"]
        assert sk.success_facts(), s.name  # the executor needs a fact to see success
        assert reg.bind(s.name, {"station": "worktop"}).preconditions() == ["near(worktop)"]
    coffee = reg.bind("station_press_coffee_button", {})
    assert coffee.text == "press the coffee machine button"
    assert coffee.success_facts() == ["switched_on(coffee_machine)"]


def test_importing_housemind_does_not_import_mujoco():
    code = (
        "import sys, housemind, housemind.skills, housemind.sim, housemind.sim.metaworld, "
        "housemind.sim.metaworld.skills, housemind.sim.metaworld.kitchen, "
        "housemind.agent.cli\n"
        "print(sorted(m for m in ('mujoco', 'metaworld', 'OpenGL') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
