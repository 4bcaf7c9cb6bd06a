from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker

from housemind.scheduler import (
    InstructionStore,
    InvalidTransitionError,
    StandingInstruction,
    TaskQueue,
    TaskState,
    UnknownInstructionError,
    UnknownTaskError,
    task_id_for,
)

DUE = datetime(2025, 10, 20, 7, 0, tzinfo=UTC)


def _water() -> StandingInstruction:
    return StandingInstruction(
        text="water the plants every day at 9:00",
        goal="water the plants",
        rrule="RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0",
        timezone="Europe/Berlin",
    )


def test_add_is_idempotent_and_list_get_pause_resume_delete(store: InstructionStore):
    instr = _water()
    assert store.add(instr) == instr
    assert store.add(instr.model_copy(update={"priority": 5})).priority == 0  # kept
    assert store.add(instr.model_copy(update={"priority": 5}), replace=True).priority == 5
    assert [i.id for i in store.list()] == [instr.id]
    assert store.get(instr.id).goal == "water the plants"
    assert store.pause(instr.id).enabled is False
    assert store.list(enabled=True) == []
    assert store.resume(instr.id).enabled is True
    assert store.delete(instr.id) is True
    assert store.delete(instr.id) is False
    with pytest.raises(UnknownInstructionError, match="no instruction with id"):
        store.get(instr.id)


def test_fire_is_idempotent(store: InstructionStore, queue: TaskQueue):
    instr = store.add(_water())
    first = queue.fire(instr, DUE)
    again = queue.fire(instr, DUE.astimezone(UTC) + timedelta(0))
    assert first.id == again.id == task_id_for(instr.id, DUE)
    assert first.state is TaskState.PENDING and first.goal == "water the plants"
    assert len(queue.list()) == 1
    other_queue = TaskQueue(queue._factory)  # a second process would do the same
    assert other_queue.fire(instr, DUE).id == first.id
    assert len(queue.list()) == 1


def test_state_transitions(store: InstructionStore, queue: TaskQueue):
    instr = store.add(_water())
    task = queue.fire(instr, DUE)
    with pytest.raises(InvalidTransitionError, match="cannot go from 'pending' to 'done'"):
        queue.mark(task.id, "done")
    t1 = DUE + timedelta(minutes=1)
    running = queue.mark(task.id, TaskState.RUNNING, when=t1)
    assert running.started_at == t1 and running.dispatch_count == 1
    waiting = queue.mark(task.id, "waiting", result={"question": "which plants?"})
    assert waiting.state is TaskState.WAITING
    queue.mark(task.id, "running", when=t1 + timedelta(minutes=5))
    done = queue.mark(task.id, "done", result={"ok": True}, when=t1 + timedelta(minutes=9))
    assert done.result == {"question": "which plants?", "ok": True}
    assert done.finished_at == t1 + timedelta(minutes=9)
    assert done.started_at == t1  # resuming from waiting keeps the first start
    with pytest.raises(InvalidTransitionError, match=r"none \(it is final\)"):
        queue.mark(task.id, "running")
    with pytest.raises(UnknownTaskError):
        queue.mark("task-nope", "running")


def test_claim_next_takes_the_oldest_due_pending_task(store: InstructionStore, queue: TaskQueue):
    instr = store.add(_water())
    later = queue.fire(instr, DUE + timedelta(days=1))
    older = queue.fire(instr, DUE)
    assert queue.claim_next(DUE - timedelta(seconds=1)) is None  # nothing due yet
    claimed = queue.claim_next(DUE + timedelta(hours=1))
    assert claimed is not None and claimed.id == older.id
    assert claimed.state is TaskState.RUNNING and claimed.dispatch_count == 1
    assert claimed.started_at == DUE + timedelta(hours=1)
    assert queue.claim_next(DUE + timedelta(hours=1)) is None  # later one is not due
    # A crashed run is re-queued and claimed again: dispatch_count counts dispatches.
    queue.mark(older.id, "pending")
    assert queue.claim_next(DUE + timedelta(hours=2)).dispatch_count == 2
    assert queue.claim_next(DUE + timedelta(days=2)).id == later.id
    assert [t.id for t in queue.list(state="running")] == [older.id, later.id]


def test_data_survives_a_new_session_factory(db_url: str, store, queue):
    instr = store.add(_water())
    task = queue.fire(instr, DUE)
    queue.mark(task.id, "running", when=DUE)
    engine = create_engine(db_url)
    try:
        factory = sessionmaker(bind=engine)
        assert InstructionStore(factory).get(instr.id) == instr
        again = TaskQueue(factory).get(task.id)
        assert again.state is TaskState.RUNNING and again.due_at == DUE
        assert again.due_at.tzinfo is not None
    finally:
        engine.dispose()


def test_delete_keeps_tasks(store, queue):
    instr = store.add(_water())
    task = queue.fire(instr, DUE)
    store.delete(instr.id)
    assert queue.get(task.id).instruction_id is None
