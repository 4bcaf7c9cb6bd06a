"""A simulated day at home through every layer: scheduler, graph, planner, safety,
executor, HomeSim, memory — checked against the simulator's ground truth."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from housemind.agent.demo import DEMO_INSTRUCTIONS
from housemind.agent.runtime import HomeRuntime, InstructionDenied
from housemind.memory.models import AuditRecord
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


def make_runtime(tmp_path, seed):
    env = HomeSimEnv(seed=seed)
    env.reset(seed=seed)
    rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'home.db'}")
    return env, rt


def instruct(rt, env, text):
    return rt.instruct(parse_instruction(text, now=env.clock.now(), tz="UTC"), actor="owner")


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_demo_day_completes_every_chore_in_the_world(tmp_path, seed):
    env, rt = make_runtime(tmp_path, seed)
    misplaced = list(env.misplaced)
    milk_at_start = env.object_location("milk")
    start = env.clock.now()
    with rt:
        for text in DEMO_INSTRUCTIONS:
            instruct(rt, env, text)
        summary = rt.run_until(start + timedelta(days=1))
        tasks = rt.tasks.list()
        shopping = [i.item for i in rt.memory.symbolic.items("shopping")]
        answer = rt.memory.ask("what is on the shopping list?", now=env.clock.now())

    assert summary.chores_due == 3
    assert summary.chores_done == 3, summary.chores
    assert summary.sim_seconds == pytest.approx(86400)
    # ground truth, not the robot's belief
    assert env.object_location("mug") == ("in", "sink")
    assert misplaced
    for name in misplaced:
        assert env.object_location(name) == tuple(env.objects[name]["home"]), name
    assert all(
        env.fixture_state(f).get("open") in (None, False)
        for f in env.fixtures
        if env.fixtures[f]["openable"]
    )
    if milk_at_start == ("in", "fridge"):
        assert "milk" not in shopping
    else:
        assert "milk" in shopping and "milk" in answer.answer
    # every chore ran once
    assert sorted(t.state for t in tasks) == ["done"] * 3
    assert all(t.dispatch_count == 1 for t in tasks)


def test_misplaced_things_go_to_their_homes(tmp_path):
    env, rt = make_runtime(tmp_path, 0)
    homes = {n: env.objects[n]["home"] for n in env.misplaced}
    start = env.clock.now()
    with rt:
        instruct(rt, env, "tidy the living room every day at 9:00")
        rt.run_until(start + timedelta(hours=4))
    assert homes
    for name, home in homes.items():
        assert env.object_location(name) == tuple(home), name


def test_chore_denied_by_the_rule_book_is_not_executed(tmp_path):
    env, rt = make_runtime(tmp_path, 0)
    start = env.clock.now()
    with rt:
        # allowed as an instruction, but at 10:00 nobody is home: the plan step is denied
        instruct(rt, env, "turn on the stove every day at 10:00")
        summary = rt.run_until(start + timedelta(hours=6))
        with rt.db.session() as s:
            audit = s.scalars(select(AuditRecord).where(AuditRecord.verdict == "deny")).all()
        tasks = rt.tasks.list()
    assert env.presence() == []  # still at work at 12:00
    assert summary.chores_done == 0 and summary.chores_denied == 1
    assert env.fixture_state("stove")["on"] is False
    assert summary.chores[0]["status"] == "denied"
    assert "heat-on-nobody-home" in {r for a in audit for r in a.rules}
    assert [t.state for t in tasks] == ["failed"]
    # the denied step was never dispatched: it reached the gate, never the executor
    assert summary.chores[0]["subtasks"] == 1  # only "go to the stove" ran


def test_hazardous_instruction_is_refused_and_not_stored(tmp_path):
    env, rt = make_runtime(tmp_path, 0)
    with rt:
        with pytest.raises(InstructionDenied, match="no-unattended-heat"):
            instruct(rt, env, "leave the oven on while I am at work every day at 8:00")
        assert rt.instructions.list() == []
