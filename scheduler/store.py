"""Persistent instructions and the task queue, on the project database.

Both classes take a SQLAlchemy session factory (a ``sessionmaker``, or anything with an
``engine`` attribute such as ``memory.db.Database``) and open one short transaction per call,
so they are safe to share between the scheduler thread and the agent.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from housemind.memory.models import InstructionRecord, TaskRecord
from housemind.scheduler.clock import Clock, WallClock
from housemind.scheduler.instructions import RECORD_DATA_FIELDS, StandingInstruction

__all__ = [
    "InstructionStore",
    "InvalidTransitionError",
    "Task",
    "TaskQueue",
    "TaskState",
    "UnknownInstructionError",
    "UnknownTaskError",
    "task_id_for",
]

log = logging.getLogger(__name__)

SessionFactory = Callable[[], Session]
# Instruction fields kept in the row's data JSON (the rest of data is bookkeeping).
_FIELD_KEYS = frozenset(RECORD_DATA_FIELDS)


class TaskState(StrEnum):
    """Where a fired chore is in its life."""

    PENDING = "pending"
    RUNNING = "running"
    WAITING = "waiting"  # paused for a person (approval, question)
    DONE = "done"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


TERMINAL_STATES = frozenset(
    {TaskState.DONE, TaskState.FAILED, TaskState.SKIPPED, TaskState.CANCELLED}
)
ALLOWED_TRANSITIONS: dict[TaskState, frozenset[TaskState]] = {
    TaskState.PENDING: frozenset({TaskState.RUNNING, TaskState.SKIPPED, TaskState.CANCELLED}),
    TaskState.RUNNING: frozenset(
        {
            TaskState.DONE,
            TaskState.FAILED,
            TaskState.WAITING,
            TaskState.SKIPPED,
            TaskState.CANCELLED,
            TaskState.PENDING,  # re-queue after a crash or a preempted dispatch
        }
    ),
    TaskState.WAITING: frozenset({TaskState.RUNNING, TaskState.CANCELLED, TaskState.FAILED}),
    TaskState.DONE: frozenset(),
    TaskState.FAILED: frozenset(),
    TaskState.SKIPPED: frozenset(),
    TaskState.CANCELLED: frozenset(),
}


class InvalidTransitionError(ValueError):
    """A task state change that the task's life does not allow."""


class UnknownTaskError(KeyError):
    """No task has this id."""


class UnknownInstructionError(KeyError):
    """No instruction has this id."""


class Task(BaseModel):
    """A read-only view of one task row (detached from any session)."""

    model_config = ConfigDict(frozen=True)

    id: str
    instruction_id: str | None
    goal: str
    due_at: datetime
    state: TaskState
    dispatch_count: int = 0
    started_at: datetime | None = None
    finished_at: datetime | None = None
    result: dict[str, Any] = {}

    @classmethod
    def from_record(cls, record: TaskRecord) -> Task:
        """Copy a ``TaskRecord`` row."""
        return cls(
            id=record.id,
            instruction_id=record.instruction_id,
            goal=record.goal,
            due_at=record.due_at,
            state=TaskState(record.state),
            dispatch_count=record.dispatch_count or 0,
            started_at=record.started_at,
            finished_at=record.finished_at,
            result=dict(record.result or {}),
        )


def task_id_for(instruction_id: str, due_at: datetime) -> str:
    """Deterministic task id for a chore's occurrence (same chore, same time, same id).

    ``due_at`` is the rule's time the task is for; the scheduler passes it as
    ``result["occurrence"]`` when the fire time differs (a deadline chore's lead, a run
    moved out of a forbidden window), so moving a run never makes a second task.
    """
    key = f"{instruction_id}|{_utc(due_at).isoformat()}"
    return "task-" + hashlib.sha256(key.encode()).hexdigest()[:20]


def _task_key(due_at: datetime, result: dict[str, Any] | None) -> datetime:
    occurrence = (result or {}).get("occurrence")
    return datetime.fromisoformat(occurrence) if occurrence else due_at


def as_session_factory(source: Any) -> SessionFactory:
    """Accept a ``sessionmaker``/callable, or an object with an ``engine`` (``Database``)."""
    engine = getattr(source, "engine", None)
    if engine is not None and not isinstance(source, sessionmaker):
        return sessionmaker(bind=engine, expire_on_commit=False)
    if callable(source):
        return source
    raise TypeError(
        f"expected a SQLAlchemy sessionmaker or a Database with .engine, got {source!r}"
    )


class _Transactional:
    def __init__(self, session_factory: Any) -> None:
        self._factory = as_session_factory(session_factory)

    @property
    def session_factory(self) -> SessionFactory:
        """The session factory this object opens its transactions with."""
        return self._factory

    @contextmanager
    def _tx(self) -> Iterator[Session]:
        with self._factory() as session, session.begin():
            yield session


class InstructionStore(_Transactional):
    """Standing instructions in the ``instructions`` table.

    Args:
        session_factory: A SQLAlchemy session factory (or ``memory.db.Database``).
        clock: Time source for bookkeeping (when an instruction became active).
    """

    def __init__(self, session_factory: Any, clock: Clock | None = None) -> None:
        super().__init__(session_factory)
        self.clock: Clock = clock or WallClock()
        # Bumped on every change made through this object, so a ChoreScheduler's cache
        # knows when to re-read (changes from other processes: ChoreScheduler.invalidate).
        self.version = 0

    @contextmanager
    def _write(self) -> Iterator[Session]:
        """A transaction that changes instructions (bumps :attr:`version`)."""
        try:
            with self._tx() as s:
                yield s
        finally:
            self.version += 1

    def add(
        self, instruction: StandingInstruction, *, replace: bool = False
    ) -> StandingInstruction:
        """Store ``instruction``; adding the same id again returns the stored one.

        Args:
            instruction: The instruction.
            replace: Overwrite the stored fields if the id exists (keeps its bookkeeping).

        Returns:
            The instruction as stored.
        """
        with self._write() as s:
            row = s.get(InstructionRecord, instruction.id)
            if row is not None and not replace:
                return StandingInstruction.from_record(row)
            new = instruction.to_record()
            if row is None:
                new.data = {**new.data, "active_since": _iso(self.clock.now())}
                new.created_at = _utc(self.clock.now())
                s.add(new)
                return instruction
            data = _copy_fields(row, new, with_enabled=True)
            row.data = {**data, **new.data}
            return StandingInstruction.from_record(row)

    def add_many(self, instructions: list[StandingInstruction]) -> int:
        """Store many new instructions in one transaction (ids already stored are skipped).

        Returns:
            How many were added.
        """
        ids = [i.id for i in instructions]
        added = 0
        with self._write() as s:
            have = set(s.scalars(select(InstructionRecord.id).where(InstructionRecord.id.in_(ids))))
            since = _iso(self.clock.now())
            created = _utc(self.clock.now())
            for instruction in instructions:
                if instruction.id in have:
                    continue
                have.add(instruction.id)
                row = instruction.to_record()
                row.data = {**row.data, "active_since": since}
                row.created_at = created
                s.add(row)
                added += 1
        return added

    def change(self, instruction_id: str, **updates: Any) -> StandingInstruction:
        """Change fields of a stored instruction (validated as a whole), keeping its id.

        A new schedule applies from now on: fire times of the old rule that were not fired
        yet are not made up, and the new rule does not back-fill.

        Args:
            instruction_id: The instruction.
            **updates: Fields of :class:`StandingInstruction` (``rrule``, ``goal``,
                ``duration_s``, ``priority``, ``time_is_deadline``, ``timezone``,
                ``grace_s``, ``answers_to``, ``kind``, ``text``); not ``id``.

        Returns:
            The changed instruction.

        Raises:
            UnknownInstructionError: No such instruction.
            ValueError: An unknown field, or the result is not a valid instruction.
        """
        allowed = set(StandingInstruction.model_fields) - {"id", "enabled"}
        unknown = sorted(set(updates) - allowed)
        if unknown:
            raise ValueError(
                f"cannot change {', '.join(map(repr, unknown))}: changeable fields are "
                f"{', '.join(sorted(allowed))} (use pause/resume for 'enabled')"
            )
        with self._write() as s:
            row = self._row(s, instruction_id)
            old = StandingInstruction.from_record(row)
            new = StandingInstruction.model_validate({**old.model_dump(), **updates})
            record = new.to_record()
            data = _copy_fields(row, record, with_enabled=False)
            schedule = ("rrule", "timezone", "time_is_deadline", "duration_s")
            if any(getattr(old, f) != getattr(new, f) for f in schedule):
                data["last_checked"] = _iso(self.clock.now())
            row.data = {**data, **record.data}
            return new

    def get(self, instruction_id: str) -> StandingInstruction:
        """The instruction with this id.

        Raises:
            UnknownInstructionError: No such instruction.
        """
        with self._tx() as s:
            return StandingInstruction.from_record(self._row(s, instruction_id))

    def list(self, *, enabled: bool | None = None) -> list[StandingInstruction]:
        """All instructions (optionally only enabled or disabled ones), by priority then id."""
        stmt = select(InstructionRecord).order_by(
            InstructionRecord.priority.desc(), InstructionRecord.id
        )
        if enabled is not None:
            stmt = stmt.where(InstructionRecord.enabled == enabled)
        with self._tx() as s:
            return [StandingInstruction.from_record(r) for r in s.scalars(stmt)]

    def pause(self, instruction_id: str) -> StandingInstruction:
        """Stop firing this instruction until :meth:`resume`."""
        return self._set_enabled(instruction_id, False)

    def resume(self, instruction_id: str) -> StandingInstruction:
        """Fire this instruction again, from now on (the paused time is not made up)."""
        return self._set_enabled(instruction_id, True)

    def delete(self, instruction_id: str) -> bool:
        """Delete the instruction (its tasks stay, unlinked). Returns whether it existed."""
        with self._write() as s:
            row = s.get(InstructionRecord, instruction_id)
            if row is None:
                return False
            s.execute(
                update(TaskRecord)
                .where(TaskRecord.instruction_id == instruction_id)
                .values(instruction_id=None)
            )
            s.delete(row)
            return True

    # -- scheduler bookkeeping (kept in the row's data JSON) ------------------------------

    def bookkeeping(self, instruction_id: str) -> dict[str, Any]:
        """The row's ``data`` JSON (``active_since``, ``last_checked`` ...)."""
        with self._tx() as s:
            return dict(self._row(s, instruction_id).data or {})

    def list_with_data(
        self, *, enabled: bool | None = True, ids: list[str] | None = None
    ) -> list[tuple[StandingInstruction, dict[str, Any]]]:
        """Instructions with their ``data`` JSON, in one query (for the scheduler)."""
        stmt = select(InstructionRecord).order_by(InstructionRecord.id)
        if enabled is not None:
            stmt = stmt.where(InstructionRecord.enabled == enabled)
        if ids is not None:
            stmt = stmt.where(InstructionRecord.id.in_(ids))
        with self._tx() as s:
            return [
                (StandingInstruction.from_record(r), dict(r.data or {})) for r in s.scalars(stmt)
            ]

    def update_data_many(self, values: dict[str, dict[str, Any]]) -> None:
        """Merge ``values[id]`` into each instruction's ``data`` JSON, in one transaction."""
        if not values:
            return
        with self._write() as s:
            rows = s.scalars(select(InstructionRecord).where(InstructionRecord.id.in_(values)))
            for row in rows:
                row.data = {**(row.data or {}), **values[row.id]}

    def update_data(self, instruction_id: str, **values: Any) -> None:
        """Merge ``values`` into the row's ``data`` JSON."""
        with self._write() as s:
            row = self._row(s, instruction_id)
            row.data = {**(row.data or {}), **values}

    def _set_enabled(self, instruction_id: str, enabled: bool) -> StandingInstruction:
        with self._write() as s:
            row = self._row(s, instruction_id)
            if row.enabled != enabled:
                row.enabled = enabled
                if enabled:
                    now = _iso(self.clock.now())
                    row.data = {**(row.data or {}), "active_since": now, "last_checked": now}
            return StandingInstruction.from_record(row)

    @staticmethod
    def _row(s: Session, instruction_id: str) -> InstructionRecord:
        row = s.get(InstructionRecord, instruction_id)
        if row is None:
            raise UnknownInstructionError(
                f"no instruction with id {instruction_id!r}; list them with "
                "InstructionStore.list() (CLI: housemind schedule)"
            )
        return row


_COLUMNS = (
    "text",
    "kind",
    "goal",
    "rrule",
    "timezone",
    "time_is_deadline",
    "duration_s",
    "priority",
)


def _copy_fields(
    row: InstructionRecord, new: InstructionRecord, *, with_enabled: bool
) -> dict[str, Any]:
    """Copy an instruction's columns onto a stored row; return the row's own data keys."""
    for column in (*_COLUMNS, "enabled") if with_enabled else _COLUMNS:
        setattr(row, column, getattr(new, column))
    return {k: v for k, v in (row.data or {}).items() if k not in _FIELD_KEYS}


class TaskQueue(_Transactional):
    """Fired chores in the ``tasks`` table, with validated state changes.

    Args:
        session_factory: A SQLAlchemy session factory (or ``memory.db.Database``).
    """

    def fire(
        self,
        instruction: StandingInstruction,
        due_at: datetime,
        *,
        state: TaskState | str = TaskState.PENDING,
        result: dict[str, Any] | None = None,
    ) -> Task:
        """Create the task for ``instruction`` due at ``due_at``, once.

        Firing the same chore at the same time again returns the existing task unchanged.

        Args:
            instruction: The instruction the chore comes from.
            due_at: When it became due (aware).
            state: Initial state (``pending``; the misfire policy uses ``skipped``).
            result: Initial result JSON (e.g. the skip reason or the deadline).

        Returns:
            The task, new or existing.
        """
        task_id = task_id_for(instruction.id, _task_key(due_at, result))
        state = TaskState(state)
        with self._tx() as s:
            existing = s.get(TaskRecord, task_id)
            if existing is not None:
                return Task.from_record(existing)
        try:
            with self._tx() as s:
                row = TaskRecord(
                    id=task_id,
                    instruction_id=instruction.id,
                    goal=instruction.goal,
                    due_at=_utc(due_at),
                    state=state.value,
                    dispatch_count=0,
                    finished_at=_utc(due_at) if state in TERMINAL_STATES else None,
                    result=dict(result or {}),
                )
                s.add(row)
                s.flush()
                return Task.from_record(row)
        except IntegrityError:
            # Another process fired it between our read and write: return theirs.
            with self._tx() as s:
                existing = s.get(TaskRecord, task_id)
                if existing is None:
                    raise
                return Task.from_record(existing)

    def add_followup(
        self, task_id: str, goal: str, due_at: datetime, *, result: dict[str, Any] | None = None
    ) -> Task:
        """Queue a one-off task no standing instruction made (the runtime's follow-ups).

        Adding the same ``task_id`` again returns the existing task unchanged.
        """
        with self._tx() as s:
            existing = s.get(TaskRecord, task_id)
            if existing is not None:
                return Task.from_record(existing)
            row = TaskRecord(
                id=task_id,
                instruction_id=None,
                goal=goal,
                due_at=_utc(due_at),
                state=TaskState.PENDING.value,
                dispatch_count=0,
                result=dict(result or {}),
            )
            s.add(row)
            s.flush()
            return Task.from_record(row)

    def next_pending_due(self) -> datetime | None:
        """When the earliest pending task is due (None when none is pending)."""
        from sqlalchemy import func

        with self._tx() as s:
            when = s.scalar(
                select(func.min(TaskRecord.due_at)).where(
                    TaskRecord.state == TaskState.PENDING.value
                )
            )
        if when is None:
            return None
        return when if when.tzinfo is not None else when.replace(tzinfo=UTC)

    def fire_many(
        self,
        fires: list[tuple[StandingInstruction, datetime, TaskState | str, dict[str, Any] | None]],
    ) -> list[Task]:
        """:meth:`fire` for many ``(instruction, due_at, state, result)`` in one transaction.

        Returns:
            One task per item, in the given order (existing tasks are returned unchanged).
        """
        if not fires:
            return []
        ids = [task_id_for(instr.id, _task_key(due, result)) for instr, due, _, result in fires]
        try:
            with self._tx() as s:
                rows = s.scalars(select(TaskRecord).where(TaskRecord.id.in_(ids)))
                found = {r.id: r for r in rows}
                for task_id, (instr, due, state, result) in zip(ids, fires, strict=True):
                    if task_id in found:
                        continue
                    st = TaskState(state)
                    found[task_id] = row = TaskRecord(
                        id=task_id,
                        instruction_id=instr.id,
                        goal=instr.goal,
                        due_at=_utc(due),
                        state=st.value,
                        dispatch_count=0,
                        finished_at=_utc(due) if st in TERMINAL_STATES else None,
                        result=dict(result or {}),
                    )
                    s.add(row)
                s.flush()
                return [Task.from_record(found[t]) for t in ids]
        except IntegrityError:
            # A concurrent firer won a race; fall back to one at a time (each idempotent).
            return [self.fire(i, d, state=st, result=r) for i, d, st, r in fires]

    def get(self, task_id: str) -> Task:
        """The task with this id.

        Raises:
            UnknownTaskError: No such task.
        """
        with self._tx() as s:
            return Task.from_record(self._row(s, task_id))

    def list(
        self,
        state: TaskState | str | None = None,
        *,
        instruction_id: str | None = None,
        limit: int | None = None,
    ) -> list[Task]:
        """Tasks by due time (optionally one state or one instruction's)."""
        stmt = select(TaskRecord).order_by(TaskRecord.due_at, TaskRecord.id)
        if state is not None:
            stmt = stmt.where(TaskRecord.state == TaskState(state).value)
        if instruction_id is not None:
            stmt = stmt.where(TaskRecord.instruction_id == instruction_id)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self._tx() as s:
            return [Task.from_record(r) for r in s.scalars(stmt)]

    def claim_next(self, now: datetime) -> Task | None:
        """Take the oldest due pending task: it becomes ``running``, dispatch_count + 1.

        Safe against concurrent claimers: on PostgreSQL the candidate row is locked with
        ``FOR UPDATE SKIP LOCKED`` (a second claimer takes the next task instead of
        waiting); on both backends the state change is a conditional UPDATE, so a task is
        claimed once. (One runtime per home is the job of ``agent.home_lock``.)

        Args:
            now: The current time; tasks due later are not claimed.

        Returns:
            The claimed task, or None when nothing is due.
        """
        now_utc = _utc(now)
        oldest_due = (
            select(TaskRecord.id)
            .where(TaskRecord.state == TaskState.PENDING.value)
            .where(TaskRecord.due_at <= now_utc)
            .order_by(TaskRecord.due_at, TaskRecord.id)
            .limit(1)
            .with_for_update(skip_locked=True)  # PostgreSQL; SQLite has no row locks
            .scalar_subquery()
        )
        # One statement (UPDATE ... RETURNING): one round trip to a server, and on SQLite
        # the choice and the change happen under one write lock.
        claim = (
            update(TaskRecord)
            .where(TaskRecord.id == oldest_due)
            .where(TaskRecord.state == TaskState.PENDING.value)
            .values(
                state=TaskState.RUNNING.value,
                started_at=now_utc,
                dispatch_count=TaskRecord.dispatch_count + 1,
            )
            .returning(TaskRecord)
            .execution_options(synchronize_session=False)
        )
        with self._tx() as s:
            row = s.scalars(claim).first()
            return None if row is None else Task.from_record(row)

    def mark(
        self,
        task_id: str,
        state: TaskState | str,
        result: dict[str, Any] | None = None,
        when: datetime | None = None,
    ) -> Task:
        """Move a task to ``state``, merging ``result`` into its result JSON.

        Args:
            task_id: The task.
            state: The new state.
            result: Keys to merge into the task's result.
            when: The time of the change (robot clock); sets ``started_at`` when it starts
                running and ``finished_at`` when it ends. Defaults to the wall clock.

        Returns:
            The updated task.

        Raises:
            UnknownTaskError: No such task.
            InvalidTransitionError: The task's life does not allow this change.
        """
        new = TaskState(state)
        when_utc = _utc(when) if when is not None else datetime.now(UTC)
        with self._tx() as s:
            row = self._row(s, task_id)
            old = TaskState(row.state)
            if new not in ALLOWED_TRANSITIONS[old]:
                allowed = ", ".join(sorted(ALLOWED_TRANSITIONS[old])) or "none (it is final)"
                raise InvalidTransitionError(
                    f"task {task_id} cannot go from {old.value!r} to {new.value!r}; "
                    f"allowed from {old.value!r}: {allowed}"
                )
            row.state = new.value
            if new is TaskState.RUNNING:
                if old is TaskState.PENDING:
                    row.dispatch_count = (row.dispatch_count or 0) + 1
                if row.started_at is None or old is TaskState.PENDING:
                    row.started_at = when_utc
            if new in TERMINAL_STATES:
                row.finished_at = when_utc
            if result:
                row.result = {**(row.result or {}), **result}
            s.flush()
            return Task.from_record(row)

    @staticmethod
    def _row(s: Session, task_id: str, *, refresh: bool = False) -> TaskRecord:
        row = s.get(TaskRecord, task_id, populate_existing=refresh)
        if row is None:
            raise UnknownTaskError(
                f"no task with id {task_id!r}; list them with TaskQueue.list() "
                "(CLI: housemind tasks)"
            )
        return row


def _utc(when: datetime) -> datetime:
    if when.tzinfo is None:
        raise ValueError(f"naive datetime {when!r}: pass a timezone-aware time")
    return when.astimezone(UTC)


def _iso(when: datetime) -> str:
    return _utc(when).isoformat()
