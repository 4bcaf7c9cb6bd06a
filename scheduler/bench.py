"""The scheduling benchmark behind ``housemind bench schedule``.

Three measurements on a fresh SQLite database:

1. *store*: many standing instructions (varied rules: daily, weekdays, weekly, every other
   day/week, monthly, deadlines) stored in one transaction, then the next five runs of each
   computed, and the scheduler's first and cached ``next_due`` over all of them. A sample
   of plain-language phrasings is also parsed, to give the parser's rate.
2. *month*: a simulated month with a few dozen instructions, stepped the way the runtime
   steps it in simulation: jump the ``SimClock`` to the next due time, fire what is due,
   claim each task and mark it done.
3. *day*: one simulated day with a thousand instructions, the case that took about 34 s
   when the scheduler re-read every instruction on every step.
"""

from __future__ import annotations

import os
import platform
import random
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from housemind.scheduler.clock import SimClock
from housemind.scheduler.instructions import InstructionKind, StandingInstruction, parse_instruction
from housemind.scheduler.runner import ChoreScheduler
from housemind.scheduler.store import InstructionStore, TaskQueue, TaskState
from housemind.scheduler.triggers import next_runs

__all__ = ["run_bench", "synthetic_instructions"]

START = datetime(2026, 11, 23, 6, 0)  # a Monday, like the demo
TZ = "Europe/Berlin"
_GOALS = (
    "water the plants",
    "take out the trash",
    "tidy the living room",
    "vacuum the hall",
    "make dinner",
    "do the laundry",
    "wipe the table",
    "feed the cat",
    "check the fridge for milk",
    "empty the dishwasher",
)
_PHRASES = (
    "every day at {h}:{m:02d}",
    "every weekday at {h}:{m:02d}",
    "on Saturdays at {h}:{m:02d}",
    "every other day at {h}:{m:02d}",
    "every Monday and Thursday at {h}:{m:02d}",
    "by {h}:{m:02d} every day",
    "on the first Monday of the month at {h}:{m:02d}",
    "every 2 weeks on Friday at {h}:{m:02d}",
)
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def synthetic_instructions(n: int, *, seed: int = 0, prefix: str = "") -> list[StandingInstruction]:
    """``n`` distinct, valid instructions with a realistic mix of rules (no parsing).

    Args:
        n: How many.
        seed: Random seed (the mix is deterministic for a seed).
        prefix: Added to each text, to keep ids distinct between sets.

    Returns:
        Instructions in ``Europe/Berlin``, 07:00-21:59.
    """
    rng = random.Random(seed)
    out: list[StandingInstruction] = []
    for i in range(n):
        goal = rng.choice(_GOALS)
        h, m = rng.randint(7, 21), rng.choice((0, 15, 30, 45))
        shape = i % 6
        deadline = False
        if shape == 0:
            rule = f"RRULE:FREQ=DAILY;BYHOUR={h};BYMINUTE={m}"
        elif shape == 1:
            rule = f"RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR={h};BYMINUTE={m}"
        elif shape == 2:
            rule = f"RRULE:FREQ=WEEKLY;BYDAY={rng.choice(_DAYS)};BYHOUR={h};BYMINUTE={m}"
        elif shape == 3:
            rule = f"DTSTART:20261123T000000\nRRULE:FREQ=DAILY;INTERVAL=2;BYHOUR={h};BYMINUTE={m}"
        elif shape == 4:
            rule = f"RRULE:FREQ=MONTHLY;BYDAY=1{rng.choice(_DAYS)};BYHOUR={h};BYMINUTE={m}"
        else:
            rule = f"RRULE:FREQ=DAILY;BYHOUR={h};BYMINUTE={m}"
            deadline = True
        out.append(
            StandingInstruction(
                text=f"{prefix}{goal} #{i} ({rule.splitlines()[-1]})",
                kind=(
                    InstructionKind.DEADLINE_CHORE if deadline else InstructionKind.RECURRING_CHORE
                ),
                goal=goal,
                rrule=rule,
                timezone=TZ,
                time_is_deadline=deadline,
                duration_s=rng.choice((300.0, 600.0, 1800.0)),
                priority=rng.randint(0, 3),
            )
        )
    return out


def _open(path: Path) -> Any:
    from housemind.memory import open_database

    return open_database(f"sqlite:///{path}")


def _simulate(db: Any, instructions: list[StandingInstruction], days: float) -> dict[str, Any]:
    """Step a SimClock through ``days``, firing, claiming and finishing every task."""
    clock = SimClock(START, tz=TZ)
    store = InstructionStore(db.session, clock)
    queue = TaskQueue(db.session)
    store.add_many(instructions)
    chores = ChoreScheduler(store, queue, clock)
    end = clock.now() + timedelta(days=days)
    steps = fired = done = skipped = 0
    t0 = time.perf_counter()
    while (nxt := chores.next_due()) is not None and nxt <= end:
        clock.advance_to(nxt)
        steps += 1
        for task in chores.fire_due():
            fired += 1
            skipped += task.state is TaskState.SKIPPED
        while (task := queue.claim_next(clock.now())) is not None:
            queue.mark(task.id, TaskState.DONE, when=clock.now())
            done += 1
    wall = time.perf_counter() - t0
    return {
        "instructions": len(instructions),
        "simulated_days": days,
        "steps": steps,
        "tasks_fired": fired,
        "tasks_done": done,
        "tasks_skipped": skipped,
        "wall_s": round(wall, 3),
        "ms_per_step": round(1000 * wall / max(steps, 1), 3),
    }


def run_bench(
    *,
    instructions: int = 10_000,
    month_instructions: int = 50,
    days: float = 30,
    day_instructions: int = 1000,
    parse_sample: int = 500,
    seed: int = 0,
    db_dir: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the scheduling benchmark and return its numbers.

    Args:
        instructions: Instructions stored for the store/next-runs measurement.
        month_instructions: Instructions in the simulated month.
        days: Simulated days of the month measurement.
        day_instructions: Instructions in the one-day measurement (0 skips it).
        parse_sample: Plain-language phrasings parsed to measure the parser (0 skips it).
        seed: Random seed for the synthetic instructions.
        db_dir: Folder for the databases (default: a temporary folder, removed after).
        progress: Called with a short message before each part.

    Returns:
        A JSON-ready dict: ``store``, ``month``, ``day``, ``parse`` and ``machine``.
    """
    say = progress or (lambda _msg: None)
    tmp = None
    if db_dir is None:
        tmp = tempfile.TemporaryDirectory(prefix="housemind-bench-")
        db_dir = tmp.name
    folder = Path(db_dir)
    out: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        }
    }
    try:
        if parse_sample:
            say(f"parsing {parse_sample} phrasings")
            rng = random.Random(seed)
            texts = [
                f"{rng.choice(_GOALS)} "
                + rng.choice(_PHRASES).format(h=rng.randint(10, 20), m=rng.choice((0, 30)))
                for _ in range(parse_sample)
            ]
            now = START.replace(tzinfo=SimClock(START, tz=TZ).tz)
            t0 = time.perf_counter()
            for text in texts:
                parse_instruction(text, now=now, tz=TZ, duration_s=None)
            wall = time.perf_counter() - t0
            out["parse"] = {
                "phrasings": parse_sample,
                "wall_s": round(wall, 3),
                "ms_each": round(1000 * wall / parse_sample, 3),
            }

        say(f"storing {instructions} instructions")
        db = _open(folder / "store.db")
        try:
            clock = SimClock(START, tz=TZ)
            batch = synthetic_instructions(instructions, seed=seed, prefix="s ")
            store = InstructionStore(db.session, clock)
            t0 = time.perf_counter()
            store.add_many(batch)
            store_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            loaded = store.list()
            list_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            runs = [next_runs(i, clock.now(), 5) for i in loaded]
            next_s = time.perf_counter() - t0
            chores = ChoreScheduler(store, TaskQueue(db.session), clock)
            t0 = time.perf_counter()
            chores.next_due()
            first_due_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            chores.next_due()
            cached_due_s = time.perf_counter() - t0
            out["store"] = {
                "instructions": len(loaded),
                "store_s": round(store_s, 3),
                "list_s": round(list_s, 3),
                "next_runs_s": round(next_s, 3),
                "next_runs_computed": sum(len(r) for r in runs),
                "scheduler_first_next_due_s": round(first_due_s, 3),
                "scheduler_cached_next_due_ms": round(1000 * cached_due_s, 3),
            }
        finally:
            db.close()

        say(f"simulating {days:g} days with {month_instructions} instructions")
        db = _open(folder / "month.db")
        try:
            month = synthetic_instructions(month_instructions, seed=seed + 1, prefix="m ")
            out["month"] = _simulate(db, month, days)
        finally:
            db.close()

        if day_instructions:
            say(f"simulating 1 day with {day_instructions} instructions")
            db = _open(folder / "day.db")
            try:
                many = synthetic_instructions(day_instructions, seed=seed + 2, prefix="d ")
                out["day"] = _simulate(db, many, 1)
            finally:
                db.close()
    finally:
        if tmp is not None:
            tmp.cleanup()
    return out
