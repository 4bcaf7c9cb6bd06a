"""Tasks of the suite reached from a standing instruction: instruct -> run -> planner ->
executor -> the task's goal predicate (``housemind eval tasks`` covers every task from its
own words, without the scheduler)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from housemind.agent.episodes import teach_conventions
from housemind.agent.runtime import HomeRuntime
from housemind.scheduler import parse_instruction
from housemind.sim.home.tasks import new_episode

CASES = [
    # task, home, seed, what a person says (the time appended), at
    ("milk_to_fridge", "apartment", 11, "put the milk back in the fridge", "6:30"),
    ("feed_the_pet", "one_bedroom", 11, "feed the cat", "6:30"),
    # vacuuming is noisy: at 6:30 it would wait for the end of the quiet hours
    ("vacuum_the_floor", "studio", 11, "vacuum the {room}", "10:00"),
    ("make_coffee", "house", 11, "make a cup of coffee and put it on the counter", "6:30"),
    ("remind_someone", "apartment", 11, "remind alex to {message}", "19:45"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("task", "home", "seed", "words", "at"), CASES)
def test_a_task_from_a_standing_instruction(tmp_path, task, home, seed, words, at):
    env, inst = new_episode(task, seed, home=home)
    assert not inst.check(env)
    now = env.clock.now()
    text = f"{words.format(**inst.params)} every day at {at}"
    with HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'home.db'}") as rt:
        teach_conventions(rt.memory, env)
        rt.instruct(parse_instruction(text, now=now, tz=str(env.clock.tz)), actor="owner")
        h, m = (int(x) for x in at.split(":"))
        due = now.replace(hour=h, minute=m)
        summary = rt.run_until(due + timedelta(minutes=25))
    assert summary.chores_done == 1, summary.chores
    assert inst.check(env), summary.chores
