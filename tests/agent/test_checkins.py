from datetime import timedelta

from housemind.agent.runtime import HomeRuntime, record_answer, split_items
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.conversation import SimulatedResident

CHECK_IN = "ask me what to buy when you go shopping every day at 18:30"


def runtime(tmp_path, **kw):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'h.db'}", **kw)
    rt.instruct(parse_instruction(CHECK_IN, now=env.clock.now(), tz="UTC"), actor="owner")
    return env, rt


def test_split_items():
    assert split_items("eggs, bread and some milk please") == ["eggs", "bread", "milk"]
    assert split_items("nothing") == []
    assert split_items("oat milk & a few apples") == ["oat milk", "apples"]


def test_person_answers_through_the_cli_path(tmp_path):
    env, rt = runtime(tmp_path, answerer=None)
    start = env.clock.now()
    with rt:
        rt.run_until(start.replace(hour=19))
        (task,) = rt.tasks.list()
        assert task.state.value == "waiting"
        assert task.result["waiting_for"] == "answer"
        record_answer(rt.db, task.id, "eggs and bread", by="alex")
        rt.run_until(start.replace(hour=20))
        (task,) = [t for t in rt.tasks.list() if t.instruction_id is not None]
        (shop,) = [t for t in rt.tasks.list() if t.instruction_id is None]
        items = [i.item for i in rt.memory.symbolic.items("shopping")]
    assert task.state.value == "done" and task.dispatch_count == 1
    # The answer queues the shopping at once; with no grocery service the items stay listed.
    assert shop.goal == "do the shopping" and shop.state.value == "done"
    assert "no grocery service" in shop.result["reason"]
    assert items == ["eggs", "bread"]


def test_no_answer_by_the_timeout_is_a_recorded_fallback(tmp_path):
    env, rt = runtime(tmp_path, answerer=None, wait_timeout_s=3600)
    start = env.clock.now()
    with rt:
        rt.run_until(start.replace(hour=21))
        (task,) = rt.tasks.list()
        events = rt.memory.episodic.between(start, env.clock.now(), kind="check_in")
    assert task.state.value == "skipped"
    assert "no answer" in task.result["reason"]
    assert events and "(no answer)" in events[0].text
    # 18:30 + 1 h timeout, noticed at the next poll (15 min)
    assert task.finished_at <= (start.replace(hour=19, minute=45)).astimezone(
        task.finished_at.tzinfo
    )


def test_simulated_resident_answers_only_when_home(tmp_path):
    env, rt = runtime(tmp_path)
    rt.answerer = SimulatedResident(env, seed=0)
    start = env.clock.now()
    with rt:
        rt.run_until(start + timedelta(hours=14))  # 18:30 the resident is home
        (task,) = [t for t in rt.tasks.list() if t.instruction_id is not None]
        items = rt.memory.symbolic.items("shopping")
    assert task.state.value == "done" and items
    noon = HomeSimEnv(seed=0)
    noon.idle_until(start.replace(hour=12))
    assert noon.presence() == []
    assert SimulatedResident(noon)("what to buy?") is None  # at work at noon


def test_answering_a_task_that_does_not_wait_is_refused(tmp_path):
    import pytest

    env, rt = runtime(tmp_path)
    with rt, pytest.raises(KeyError, match="no task"):
        record_answer(rt.db, "task-nope", "eggs")
