"""Fleet benchmark: many homes at once on one PostgreSQL server (``housemind bench fleet``).

Each home is its own process, as in a fleet where every robot (or every home's runtime on a
shared host) runs ``housemind run``: a HomeSim week with four standing instructions, each
home's at its own times (so each home has instructions no other home has), all against one
server, each home in its own schema. The processes open their homes, wait at a barrier, and
run their weeks together.

Reported: chores per second over the fleet (chores finished / the window from the barrier
to the last home's end), the CPU time the homes' processes used in that window (the server's
is not counted), the claim latency (``TaskQueue.claim_next`` as the run loop sees
it, p50 and p99 over every chore claimed in the fleet), and what the database holds after
the run, checked row by row: every task dispatched once (``dispatch_count``), finished once
(one ``task`` event per task in episodic memory), no task, event or checkpoint of one home
in another's schema. The load average before and after says how busy the machine was.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import platform
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import numpy as np

__all__ = ["home_instructions", "run_bench", "verify_home"]

#: Homes the benchmark creates are named ``<prefix><n>``; they are dropped before and after.
HOME_PREFIX = "fleetbench_"

_barrier: Any = None


def home_instructions(index: int) -> list[str]:
    """The standing instructions of home ``index``: the household week, at its own times."""
    m = index % 30
    return [
        f"take the mug to the sink every day at 8:{m:02d}",
        f"tidy the living room every day at 9:{30 + m:02d}",
        f"check the fridge for milk every day at 17:{m:02d}",
        f"ask me what to buy when you go shopping every day at 18:{30 + m:02d}",
    ]


def _init_worker(barrier: Any) -> None:
    global _barrier
    _barrier = barrier
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")


def _run_home(url: str, index: int, days: float) -> dict[str, Any]:
    """One home's week in this worker process (after the fleet's barrier)."""
    from housemind.agent.runs import run_simulated

    claims: list[float] = []
    started: list[float] = []
    cpu: list[float] = []

    def on_event(kind: str, payload: dict[str, Any]) -> None:
        if kind == "claimed":
            claims.append(float(payload["seconds"]))

    def on_ready() -> None:
        if _barrier is not None:
            _barrier.wait()
        started.append(time.time())
        cpu.append(time.process_time())

    t0 = time.time()
    out = run_simulated(
        url,
        days=days,
        seed=index,
        instructions=home_instructions(index),
        on_event=on_event,
        on_ready=on_ready,
    )
    return {
        "index": index,
        "chores_due": out["chores_due"],
        "chores_done": out["chores_done"],
        "subtasks": out["subtasks"],
        "setup_s": started[0] - t0 if started else None,
        "started": started[0] if started else t0,
        "ended": time.time(),
        "cpu_s": time.process_time() - (cpu[0] if cpu else 0.0),
        "claims": claims,
    }


def verify_home(url: str, lines: list[str], days: float) -> dict[str, Any]:
    """What one home's schema holds after a run, checked against what it must hold.

    Args:
        url: The home's database URL (with its home id).
        lines: The home's standing instructions.
        days: How many days it ran.

    Returns:
        Counts: ``tasks`` (of the standing instructions), ``followups`` (the shopping
        chores and put-aways a check-in's answer queues: no instruction behind them),
        ``expected`` (one per instruction and day), ``unfinished``,
        ``dispatched_twice`` (``dispatch_count`` > 1), ``finished_twice`` (more than one
        ``task`` event), ``foreign_tasks`` (of an instruction this home was not given),
        ``foreign_checkpoints`` (checkpoint threads that are not this home's tasks).
    """
    from sqlalchemy import func, select

    from housemind.memory import open_database
    from housemind.memory.models import Event
    from housemind.scheduler import InstructionStore, TaskQueue
    from housemind.scheduler.instructions import instruction_id

    db = open_database(url)
    try:
        tasks = TaskQueue(db.session).list()
        own = {i.id for i in InstructionStore(db.session).list()}
        given = {instruction_id(line) for line in lines}
        with db.session() as s:
            finished = dict(
                s.execute(
                    select(Event.task_id, func.count())
                    .where(Event.kind == "task")
                    .group_by(Event.task_id)
                ).all()
            )
        conn = db.raw_connection()
        try:
            threads = {r[0] for r in conn.execute("SELECT DISTINCT thread_id FROM checkpoints")}
        finally:
            conn.close()
    finally:
        db.close()
    ids = {t.id for t in tasks}
    standing = [t for t in tasks if t.instruction_id is not None]
    return {
        "tasks": len(standing),
        "followups": len(tasks) - len(standing),
        "expected": int(round(len(lines) * days)),
        "unfinished": sum(t.state.value in ("pending", "running") for t in standing),
        "dispatched_twice": sum(t.dispatch_count > 1 for t in tasks),
        "finished_twice": sum(n > 1 for n in finished.values()),
        "foreign_tasks": sum(t.instruction_id not in given for t in standing) + len(own - given),
        "foreign_checkpoints": len(threads - ids),
    }


def run_bench(
    url: str,
    *,
    homes: int = 20,
    days: float = 7.0,
    keep: bool = False,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run ``homes`` simulated homes for ``days`` days together on one PostgreSQL server.

    Args:
        url: The server's ``postgresql+psycopg://`` URL (any home id in it is ignored); the
            homes ``fleetbench_0`` ... are created in it, and dropped before and after.
        homes: How many homes (one process each).
        days: Simulated days per home.
        keep: Keep the homes afterwards (to look at them with ``--home-id fleetbench_N``).
        progress: Called with a line of progress.

    Returns:
        A JSON-ready dict (see the module doc).

    Raises:
        housemind.memory.MemoryStoreError: not a PostgreSQL URL, or the server is not there.
    """
    from housemind.memory import Database, MemoryStoreError, database_url, drop_home

    say = progress or (lambda _msg: None)
    base = Database(url)
    base.close()
    if not base.is_postgres:
        raise MemoryStoreError(
            f"the fleet benchmark needs a PostgreSQL server; {base.url} is not one (pass "
            "--db postgresql+psycopg://user@host/dbname)"
        )
    ids = [f"{HOME_PREFIX}{i}" for i in range(homes)]
    for home in ids:
        drop_home(url, home)
    urls = [database_url(_strip_home(url), home_id=h) for h in ids]
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(homes)
    load_before = os.getloadavg()
    say(f"starting {homes} homes ({days:g} simulated days each), one process each")
    t0 = time.time()
    try:
        with ProcessPoolExecutor(
            max_workers=homes, mp_context=ctx, initializer=_init_worker, initargs=(barrier,)
        ) as pool:
            futures = [pool.submit(_run_home, u, i, days) for i, u in enumerate(urls)]
            results = [f.result() for f in futures]
        total_s = time.time() - t0
        load_after = os.getloadavg()
        say("checking every home's rows")
        checks = [verify_home(u, home_instructions(i), days) for i, u in enumerate(urls)]
    finally:
        if not keep:
            for home in ids:
                drop_home(url, home)
    start = min(r["started"] for r in results)
    window = max(r["ended"] for r in results) - start
    claims_ms = np.array([c for r in results for c in r["claims"]]) * 1000.0
    done = sum(r["chores_done"] for r in results)
    totals = {k: sum(c[k] for c in checks) for k in checks[0]}
    return {
        "homes": homes,
        "days": days,
        "chores_due": sum(r["chores_due"] for r in results),
        "chores_done": done,
        "subtasks": sum(r["subtasks"] for r in results),
        "chores_per_s": round(done / window, 2) if window > 0 else None,
        "run_window_s": round(window, 1),
        "total_wall_s": round(total_s, 1),
        "setup_s_max": round(max(r["setup_s"] or 0.0 for r in results), 1),
        # CPU the homes' processes used during the run (not the server's): against the
        # window times the cores, how much of the machine the runtimes themselves took.
        "homes_cpu_s": round(sum(r["cpu_s"] for r in results), 1),
        "claims": int(claims_ms.size),
        "claim_ms_p50": round(float(np.percentile(claims_ms, 50)), 2) if claims_ms.size else None,
        "claim_ms_p99": round(float(np.percentile(claims_ms, 99)), 2) if claims_ms.size else None,
        "claim_ms_max": round(float(claims_ms.max()), 2) if claims_ms.size else None,
        "db_check": totals,
        "no_chore_twice": totals["dispatched_twice"] == 0 and totals["finished_twice"] == 0,
        "homes_isolated": totals["foreign_tasks"] == 0 and totals["foreign_checkpoints"] == 0,
        "database": base.url,
        "load_avg_before": [round(x, 2) for x in load_before],
        "load_avg_after": [round(x, 2) for x in load_after],
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}",
    }


def _strip_home(url: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(url).difference_update_query(["home_id"])
    return parsed.render_as_string(hide_password=False)
