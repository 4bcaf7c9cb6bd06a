"""A process killed while it finishes a task loses neither the task's end nor its record."""

from __future__ import annotations

import pytest

from housemind.agent.runtime import HomeRuntime
from housemind.memory.episodic import EpisodicMemory
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


class Killed(BaseException):
    """SIGKILL, as far as the runtime can tell: nothing after it runs."""


def _home(db: str) -> HomeRuntime:
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    return HomeRuntime(env, env.clock, db_url=db, answerer=None)


def test_killed_between_a_tasks_record_and_its_state_it_ends_once_with_one_record(
    tmp_path, monkeypatch
):
    # The durable-run test caught it: a kill after the task was marked done and before its
    # `task` event was written left a done task with no record of its end, for good.
    db = f"sqlite:///{tmp_path / 'h.db'}"
    rt = _home(db)
    start = rt.clock.now()
    rt.instruct(
        parse_instruction("put the mug in the sink every day at 9am", now=start, tz="UTC"),
        actor="owner",
    )
    real = EpisodicMemory.record

    def record(self, kind, *args, **kw):
        if kind == "task":
            raise Killed
        return real(self, kind, *args, **kw)

    monkeypatch.setattr(EpisodicMemory, "record", record)
    with pytest.raises(Killed), rt:
        rt.run_until(start.replace(hour=10))
    monkeypatch.undo()

    again = _home(db)  # a new process: a fresh simulator, the same database
    with again:
        again.run_until(start.replace(hour=10))
        (task,) = again.tasks.list()
        ends = again.memory.episodic.for_task(task.id, kind="task")
    assert task.state.value == "done" and task.dispatch_count == 1
    assert len(ends) == 1 and ends[0].text == "put the mug in the sink: done"
