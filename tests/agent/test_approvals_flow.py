"""A `confirm` verdict pauses the chore until a person approves or declines it."""

from datetime import timedelta

from housemind.agent.runtime import HomeRuntime
from housemind.safety.people import Household
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv

# Alex is home (asleep); heat switched on late at night needs a person's yes first.
STOVE = "turn on the stove every day at 23:30"


def start_waiting(tmp_path):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    rt = HomeRuntime(env, env.clock, db_url=f"sqlite:///{tmp_path / 'h.db'}", answerer=None)
    # Only people of the household with the right role may approve (issue #12).
    Household(rt.db).add("owner", "owner")
    rt.instruct(parse_instruction(STOVE, now=env.clock.now(), tz="UTC"), actor="owner")
    t0 = env.clock.now()
    rt.run_until(t0.replace(hour=23, minute=45))
    (task,) = rt.tasks.list()
    return env, rt, task, t0


def test_approved_step_runs_after_the_answer(tmp_path):
    env, rt, task, t0 = start_waiting(tmp_path)
    with rt:
        assert task.state.value == "waiting" and task.result["waiting_for"] == "approval"
        assert env.fixture_state("stove")["on"] is False  # nothing happened before the answer
        (pending,) = rt.approvals.pending()
        assert pending.id == task.result["approval_id"] and pending.task_id == task.id
        rt.approvals.approve(pending.id, by="owner", scope="once")
        rt.run_until(t0.replace(hour=23, minute=59))
        (task,) = rt.tasks.list()
    assert task.state.value == "done", task.result
    assert env.fixture_state("stove")["on"] is True
    assert task.dispatch_count == 1


def test_declined_step_never_runs(tmp_path):
    env, rt, task, t0 = start_waiting(tmp_path)
    with rt:
        (pending,) = rt.approvals.pending()
        rt.approvals.deny(pending.id, by="owner", why="not today")
        rt.run_until(t0 + timedelta(hours=14))
        (task,) = rt.tasks.list()
    assert task.state.value == "failed" and "not approved" in task.result["reason"]
    assert env.fixture_state("stove")["on"] is False
