"""Turning due chores into tasks, in simulated or wall-clock time.

In simulation the runtime asks :meth:`ChoreScheduler.next_due`, fast-forwards its
``SimClock`` there and calls :meth:`ChoreScheduler.fire_due`; everything is deterministic.
On the wall clock, :meth:`ChoreScheduler.start_background` lets APScheduler's
``BackgroundScheduler`` (jobs persisted in the project database) call :func:`fire_task`,
which runs the same ``fire_due`` logic for one instruction.

Every fire time in ``(last_checked, now]`` becomes a task exactly once (``last_checked`` is
kept in the instruction row's ``data`` JSON, and task ids are derived from the occurrence).
``last_checked`` is written only for instructions that fired (or were never checked): an
instruction with no fire time in ``(last_checked, now]`` loses nothing by keeping the older
value, and a step where nothing is due writes nothing.

The scheduler keeps the enabled instructions, their triggers and bookkeeping in memory
and re-reads them when the :class:`InstructionStore` it was given changed them
(``store.version``) or after :meth:`ChoreScheduler.invalidate` (call it when another
process, e.g. ``housemind instruct``, may have changed the instructions).
Misfire policy v1: a fire time more than the instruction's grace period in the past becomes
a ``skipped`` task whose result says why.

Fire times are *placed* by a ``scheduler.placement.SchedulePolicy``: enabled constraints,
the household's routine (check-ins and reminders when their person is home, noisy chores
outside sleeping hours) and measured chore durations (deadline chores start their lead time
early). By default the scheduler reads that policy from the same database (constraint
instructions, routine and quiet-hours facts, ``duration_s`` facts) whenever it re-reads the
instructions. A task's id comes from the rule's occurrence, not its fire time, so a run that
moves (a new measured duration, a new routine) never becomes a second task.
"""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from housemind.scheduler.clock import Clock, WallClock
from housemind.scheduler.instructions import StandingInstruction
from housemind.scheduler.placement import SchedulePolicy
from housemind.scheduler.store import InstructionStore, Task, TaskQueue, TaskState
from housemind.scheduler.triggers import RRuleTrigger, trigger_for

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

__all__ = ["JOB_PREFIX", "MIN_GRACE_S", "ChoreScheduler", "fire_task", "job_id"]

log = logging.getLogger(__name__)

JOB_PREFIX = "instruction:"
# Why: no scheduler thread is exactly on time; a chore with duration 0 must not be skipped
# because APScheduler woke 30 ms late.
MIN_GRACE_S = 60.0


def job_id(instruction_id: str) -> str:
    """APScheduler job id of an instruction (stable, so restarts replace, not duplicate)."""
    return f"{JOB_PREFIX}{instruction_id}"


class ChoreScheduler:
    """Fires standing instructions' chores as tasks.

    Args:
        store: The instructions.
        queue: The task queue that due chores go to.
        clock: Robot time (``SimClock`` in simulation, ``WallClock`` on a robot).
        policy: How runs are placed; None reads it from the store's database each time the
            instructions are re-read (see :meth:`invalidate`).
    """

    def __init__(
        self,
        store: InstructionStore,
        queue: TaskQueue,
        clock: Clock,
        policy: SchedulePolicy | None = None,
    ) -> None:
        self.store = store
        self.queue = queue
        self.clock = clock
        self._fixed_policy = policy
        self.policy: SchedulePolicy = policy or SchedulePolicy()
        self._triggers: dict[tuple, RRuleTrigger] = {}
        self._next_cache: dict[RRuleTrigger, tuple[datetime, datetime | None]] = {}
        self._lock = threading.RLock()  # fire_due from the APScheduler thread and the agent
        self._entries: list[tuple[StandingInstruction, RRuleTrigger, dict[str, Any]]] | None
        self._entries = None
        self._entries_version: tuple[int, int] = (-1, -1)

    def invalidate(self) -> None:
        """Forget the cached instructions and placement; the next query re-reads them.

        Call it after another process (``housemind instruct``) changed the instructions, or
        after telling routine facts or recording chore durations outside this object.
        """
        with self._lock:
            self._entries = None

    def _version(self) -> tuple[int, int]:
        book = self.policy.durations
        return self.store.version, (book.version if book is not None else 0)

    def _load_policy(self, instructions: list[StandingInstruction]) -> None:
        if self._fixed_policy is not None:
            return
        tz = getattr(getattr(self.clock, "tz", None), "key", None) or "UTC"
        self.policy = SchedulePolicy.load(self.store.session_factory, instructions, tz=tz)

    def _enabled(self) -> list[tuple[StandingInstruction, RRuleTrigger, dict[str, Any]]]:
        """Enabled, scheduled instructions with their triggers and ``data`` (cached)."""
        with self._lock:
            if self._entries is None or self._entries_version != self._version():
                version = self._version()
                rows = self.store.list_with_data(enabled=True)
                self._load_policy([instruction for instruction, _ in rows])
                entries = []
                for instruction, data in rows:
                    trig = self._trigger(instruction)
                    if trig is not None:
                        entries.append((instruction, trig, data))
                self._entries, self._entries_version = entries, version
            return self._entries

    # -- pure schedule queries -------------------------------------------------------

    def _trigger(self, instruction: StandingInstruction) -> RRuleTrigger | None:
        if instruction.rrule is None:
            return None
        placed = trigger_for(instruction, self.policy)
        key = (instruction.id, placed.key)
        trig = self._triggers.get(key)
        if trig is None:
            trig = self._triggers[key] = placed
        return trig

    def due_between(
        self, start: datetime, end: datetime
    ) -> list[tuple[StandingInstruction, datetime]]:
        """Fire times in ``(start, end]`` of all enabled instructions.

        Args:
            start: Exclusive lower bound (aware).
            end: Inclusive upper bound (aware).

        Returns:
            ``(instruction, fire_time)`` pairs ordered by time, then priority (high first),
            then id; fire times are in each instruction's time zone.
        """
        out: list[tuple[StandingInstruction, datetime]] = []
        for instruction, trig, _ in self._enabled():
            rec = trig.recurrence
            out.extend((instruction, t.astimezone(rec.tz)) for t in rec.between(start, end))
        out.sort(key=lambda pair: (pair[1], -pair[0].priority, pair[0].id))
        return out

    def next_due(self, after: datetime | None = None) -> datetime | None:
        """The earliest fire time of any enabled instruction strictly after ``after``.

        Args:
            after: Aware time; defaults to the clock's now.

        Returns:
            The time (UTC) to fast-forward a ``SimClock`` to, or None when nothing is due.
        """
        after = (after or self.clock.now()).astimezone(UTC)
        best: datetime | None = None
        for _, trig, _ in self._enabled():
            # Cache (asked_at, answer): the answer holds for any ``after`` in [asked_at, answer).
            cached = self._next_cache.get(trig)
            if (
                cached is not None
                and cached[0] <= after
                and (cached[1] is None or after < cached[1])
            ):
                nxt = cached[1]
            else:
                nxt = trig.recurrence.next_after(after)
                self._next_cache[trig] = (after, nxt)
            if nxt is not None and (best is None or nxt < best):
                best = nxt
        return best

    # -- firing ----------------------------------------------------------------------

    def fire_due(
        self,
        now: datetime | None = None,
        *,
        instruction_ids: list[str] | None = None,
        alive_since: datetime | None = None,
    ) -> list[Task]:
        """Create tasks for every fire time since the last check, up to ``now``.

        Idempotent: calling it again for the same times creates nothing new. Fire times
        older than the instruction's grace period become ``skipped`` tasks, unless the
        runtime was up all along since them (``alive_since``): a chore that fell due while
        the robot was busy with another is late, not missed.

        Args:
            now: Aware current time; defaults to the clock's now.
            instruction_ids: Only these instructions (the wall-clock job uses one).
            alive_since: When the caller last checked, if it has been running (and busy)
                ever since; fire times from then on are never skipped as missed.

        Returns:
            The tasks for the fire times handled by this call, in time order.
        """
        now = (now or self.clock.now()).astimezone(UTC)
        pending: list[tuple[StandingInstruction, datetime, TaskState, dict[str, Any]]] = []
        with self._lock:
            if instruction_ids is None:
                entries = self._enabled()
            else:  # the wall-clock job: read just these, fresh
                entries = []
                for instruction, data in self.store.list_with_data(
                    enabled=True, ids=instruction_ids
                ):
                    trig = self._trigger(instruction)
                    if trig is not None:
                        entries.append((instruction, trig, data))
            checked: dict[str, dict[str, Any]] = {}
            progress: list[tuple[dict[str, Any], datetime, datetime | None, dict[str, Any]]] = []
            for instruction, trig, data in entries:
                since = data.get("_since")
                if since is None:
                    since = _parse_time(data.get("last_checked") or data.get("active_since"))
                if since is None:
                    since = now  # never seen: start from now, do not back-fill
                rec = trig.recurrence
                # In memory: the first fire time after ``_since``, so a step where this
                # instruction is not due costs a comparison, not an RRULE expansion.
                nxt = data.get("_next") if data.get("_next_for") == since else rec.next_after(since)
                fires: list[tuple[datetime, datetime]] = []
                if nxt is not None and nxt <= now:
                    fires = rec.pairs_between(since, now)
                    nxt = rec.next_after(now)
                for due, fire_time in fires:
                    live = alive_since is not None and fire_time >= alive_since
                    pending.append(self._fire_args(instruction, due, fire_time, now, live=live))
                if fires:
                    checked[instruction.id] = {"last_checked": now.isoformat()}
                elif "last_checked" not in data:
                    checked[instruction.id] = {"last_checked": since.isoformat()}
                progress.append((data, max(since, now), nxt, checked.get(instruction.id, {})))
            fired = self.queue.fire_many(pending)  # one transaction, idempotent
            # A run moved since its occurrence fired (a new measured duration) maps onto
            # the task that occurrence already has: not a new fire, so not reported again.
            fired = [
                t
                for t, (_, fire, _, _) in zip(fired, pending, strict=True)
                if _same_time(t.due_at, fire)
            ]
            before = self.store.version
            self.store.update_data_many(checked)
            if checked and before == self._entries_version[0]:
                # our own write: the cache holds
                self._entries_version = (self.store.version, self._entries_version[1])
            # In memory only, once the writes succeeded: the next step scans from here.
            for data, since, nxt, written in progress:
                data.update(written, _since=since, _next_for=since, _next=nxt)
        fired.sort(key=lambda t: (t.due_at, t.id))
        return fired

    @staticmethod
    def _fire_args(
        instruction: StandingInstruction,
        due: datetime,
        fire_time: datetime,
        now: datetime,
        *,
        live: bool = False,
    ) -> tuple[StandingInstruction, datetime, TaskState, dict[str, Any]]:
        """The misfire policy: the state and result a fire time's task starts with.

        ``live``: the fire time passed while the runtime was up (busy with another chore),
        so the task is pending however late it is checked.

        ``result["occurrence"]`` is the rule's time the task is for (its id comes from it);
        a deadline chore's ``result["deadline"]`` is the same time.
        """
        result: dict[str, Any] = {"occurrence": due.astimezone(UTC).isoformat()}
        if instruction.time_is_deadline:
            result["deadline"] = due.astimezone(UTC).isoformat()
        late_s = (now - fire_time).total_seconds()
        grace_s = max(instruction.grace_period_s, MIN_GRACE_S)
        if live or late_s <= grace_s:
            return instruction, fire_time, TaskState.PENDING, result
        result.update(
            reason=(
                f"missed: checked {late_s:.0f} s after the fire time, beyond the grace "
                f"period of {grace_s:.0f} s"
            ),
            late_s=late_s,
            grace_s=grace_s,
        )
        log.info("skipping %s due %s: %s", instruction.id, fire_time, result["reason"])
        return instruction, fire_time, TaskState.SKIPPED, result

    # -- wall-clock mode -------------------------------------------------------------

    def start_background(
        self, db_url: str, *, start: bool = True, **scheduler_kwargs: Any
    ) -> BackgroundScheduler:
        """Run the chores on the wall clock with APScheduler, jobs persisted in ``db_url``.

        Fires anything missed while the process was down first (misfire policy applies),
        then adds one job per enabled instruction (id ``instruction:<id>``,
        ``replace_existing=True``) calling :func:`fire_task`.

        Args:
            db_url: The project database URL (the job store's table lives there too).
            start: Start the scheduler thread before returning.
            **scheduler_kwargs: Passed to ``BackgroundScheduler``.

        Returns:
            The scheduler; call :meth:`sync_jobs` after instructions change and
            ``shutdown()`` when done.
        """
        from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
        from apscheduler.schedulers.background import BackgroundScheduler

        if not isinstance(self.clock, WallClock):
            log.warning("start_background runs on the wall clock, not on %r", self.clock)
        scheduler_kwargs.setdefault("timezone", UTC)
        scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(url=db_url)}, **scheduler_kwargs
        )
        self.fire_due(datetime.now(UTC))
        self.sync_jobs(scheduler, db_url)
        if start:
            scheduler.start()
        return scheduler

    def sync_jobs(self, scheduler: BackgroundScheduler, db_url: str) -> None:
        """Make the scheduler's jobs match the enabled, scheduled instructions."""
        wanted: dict[str, StandingInstruction] = {}
        for instruction in self.store.list(enabled=True):
            if instruction.rrule is not None:
                wanted[job_id(instruction.id)] = instruction
        for job in scheduler.get_jobs():
            if job.id.startswith(JOB_PREFIX) and job.id not in wanted:
                scheduler.remove_job(job.id)
        for jid, instruction in wanted.items():
            scheduler.add_job(
                fire_task,
                trigger=trigger_for(instruction, self.policy),
                args=[db_url, instruction.id],
                id=jid,
                name=instruction.goal[:100],
                replace_existing=True,
                # fire_task applies housemind's own misfire policy and catches up every
                # missed fire time in one call, so APScheduler must never drop a run.
                misfire_grace_time=None,
                coalesce=True,
            )


_FACTORIES: dict[str, Any] = {}
_FACTORIES_LOCK = threading.Lock()


def fire_task(db_url: str, instruction_id: str) -> list[str]:
    """APScheduler job: fire ``instruction_id``'s due chores as tasks (wall clock).

    Module-level and called with strings only, so ``SQLAlchemyJobStore`` can pickle it.

    Args:
        db_url: The project database URL.
        instruction_id: The instruction whose chores are due.

    Returns:
        Ids of the tasks handled.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.orm import sessionmaker

    with _FACTORIES_LOCK:
        factory = _FACTORIES.get(db_url)
        if factory is None:
            factory = _FACTORIES[db_url] = sessionmaker(
                bind=create_engine(db_url), expire_on_commit=False
            )
    clock = WallClock()
    runner = ChoreScheduler(InstructionStore(factory, clock), TaskQueue(factory), clock)
    tasks = runner.fire_due(clock.now(), instruction_ids=[instruction_id])
    return [t.id for t in tasks]


def _same_time(a: datetime, b: datetime) -> bool:
    a = a if a.tzinfo is not None else a.replace(tzinfo=UTC)
    return abs((a - b).total_seconds()) < 1


def _parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    when = datetime.fromisoformat(str(value))
    return when if when.tzinfo is not None else when.replace(tzinfo=UTC)
