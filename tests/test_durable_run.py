"""Durable execution: `housemind run` killed with SIGKILL at random moments of a simulated
week, restarted each time, ends with exactly the chores of an uninterrupted run, once each;
two runtimes started for one home never run a chore twice. On SQLite and on PostgreSQL
(``any_db``, tests/conftest.py)."""

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import func, select

from housemind.memory import Database, open_database
from housemind.memory.models import Event
from housemind.scheduler import TaskQueue

INSTRUCTIONS = (
    "take the mug to the sink every day at 8:30\n"
    "tidy the living room every day at 9:00\n"
    "check the fridge for milk every day at 17:00\n"
    "ask me what to buy when you go shopping every day at 18:30\n"
)
#: What the shopping loop queues after a check-in's answer (agent/shopping.py).
FOLLOWUP_GOALS = {"do the shopping", "put the delivery away"}


def run_cmd(db, file, days, seed, *extra):
    cmd = [
        sys.executable,
        "-c",
        "from housemind.agent.cli import main; main()",
        "run",
        "--db",
        str(db),
    ]
    cmd += ["--days", str(days), "--seed", str(seed), "--json", *extra]
    return cmd + (["--instructions", str(file)] if file is not None else [])


def store_instructions(db):
    """Put the standing instructions in the database up front (as `housemind instruct`
    would), so every killed process spends its life on the week, not on start-up checks."""
    from datetime import UTC, datetime

    from housemind.scheduler import InstructionStore, parse_instruction
    from housemind.scheduler.clock import SimClock

    database = open_database(db)
    try:
        now = datetime(2026, 11, 23, 6, tzinfo=UTC)  # HomeSim's start: given at 06:00
        store = InstructionStore(database.session, SimClock(now))
        for line in INSTRUCTIONS.splitlines():
            store.add(parse_instruction(line, now=now, tz="UTC"))
    finally:
        database.close()


def tasks_of(db):
    database = open_database(db)
    try:
        return {
            t.id: (t.goal, t.state.value, t.dispatch_count)
            for t in TaskQueue(database.session).list()
        }
    finally:
        database.close()


def ran_once(tasks):
    """Every task ran exactly once: a standing instruction's task ended, and a follow-up
    (a shopping chore or a put-away a check-in's answer queued) either ended too or is
    still pending, never dispatched, because it falls due after the run's end."""
    for goal, state, count in tasks.values():
        if state == "pending":
            assert count == 0 and goal in FOLLOWUP_GOALS, (goal, state, count)
        else:
            assert state in ("done", "failed", "skipped") and count == 1, (goal, state, count)
    return True


def ended(tasks):
    """The ids of the tasks that ended (each must have one ``task`` event)."""
    return {i for i, (_, state, _) in tasks.items() if state != "pending"}


def standing_count(db):
    """How many tasks fired from the standing instructions (not the shopping chores and
    delivery put-aways a check-in's answer queues: those come on top, each once too)."""
    database = open_database(db)
    try:
        return sum(t.instruction_id is not None for t in TaskQueue(database.session).list())
    finally:
        database.close()


def times_finished(db):
    """How many times each task was finished: its ``task`` events in episodic memory (a
    runtime writes one each time it finishes a task, so a chore run twice shows as 2)."""
    database = open_database(db)
    try:
        with database.session() as s:
            query = select(Event.task_id, func.count()).where(Event.kind == "task")
            rows = s.execute(query.group_by(Event.task_id)).all()
        return dict(rows)
    finally:
        database.close()


def checkpoints(db):
    """How many LangGraph checkpoints the run has written (0 before the table exists)."""
    database = Database(db)
    try:
        conn = database.raw_connection()
        try:
            return conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
        except Exception:  # no checkpoints table yet (sqlite3 / psycopg errors)
            return 0
        finally:
            conn.close()
    finally:
        database.close()


def wait_for_checkpoints(db, more_than, proc, timeout=120.0):
    """Wait until the run has written more than ``more_than`` checkpoints (or it ends)."""
    deadline = time.time() + timeout
    while time.time() < deadline and proc.poll() is None:
        if checkpoints(db) > more_than:
            return True
        time.sleep(0.01)
    return False


@pytest.fixture
def instr_file(tmp_path):
    f = tmp_path / "instructions.txt"
    f.write_text(INSTRUCTIONS)
    return f


@pytest.fixture(scope="module")
def reference_week(tmp_path_factory):
    """The uninterrupted week (seed 3) on SQLite: what every crashed run must end with,
    on either backend (the run does not depend on the database it keeps its state in)."""
    db = f"sqlite:///{tmp_path_factory.mktemp('reference') / 'reference.db'}"
    store_instructions(db)
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    ref = subprocess.run(
        run_cmd(db, None, 7, 3), capture_output=True, text=True, env=env, timeout=600
    )
    assert ref.returncode == 0, ref.stderr
    assert standing_count(db) == 4 * 7
    return tasks_of(db)


def test_finished_run_is_not_run_again(any_db, instr_file):
    db = any_db()
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    first = subprocess.run(
        run_cmd(db, instr_file, 1, 2), capture_output=True, text=True, env=env, timeout=300
    )
    assert first.returncode == 0, first.stderr
    a = json.loads(first.stdout)
    # the four instructions of the day, and what the check-in's answer queued (shopping)
    assert a["chores_due"] >= 4 and a["chores_done"] == a["chores_due"] and not a["resumed"]
    assert standing_count(db) == 4
    again = subprocess.run(
        run_cmd(db, instr_file, 1, 2), capture_output=True, text=True, env=env, timeout=300
    )
    b = json.loads(again.stdout)
    assert b["chores"] == a["chores"]  # nothing fired or executed twice
    assert all(c["dispatch_count"] == 1 for c in b["chores"] if c["status"] != "pending")


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_repeats_nothing(any_db, reference_week):
    seed, days = 3, 7
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    reference = reference_week
    assert len(reference) >= 4 * days  # four instructions a day, plus shopping chores

    db = any_db()
    store_instructions(db)
    rng = random.Random(1234)
    kills = 0
    progress = set()
    for _ in range(100):
        proc = subprocess.Popen(
            run_cmd(db, None, days, seed),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        # Kill at a random moment inside the week's work, whatever this machine's speed:
        # once the process has written a few more graph checkpoints, plus a random delay
        # that lands it mid-node (mid-subtask, mid-idle, between chores...).
        wait_for_checkpoints(db, checkpoints(db) + rng.randint(0, 5), proc)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            kills += 1
            progress.add(checkpoints(db))
            if kills >= 20:
                break
            continue
        out, err = proc.communicate()
        assert proc.returncode == 0, err
        break  # finished before the next kill
    assert kills >= 20
    assert len(progress) >= 5, progress  # the kills landed at many points of the week
    final = subprocess.run(
        run_cmd(db, None, days, seed), capture_output=True, text=True, env=env, timeout=600
    )
    assert final.returncode == 0, final.stderr
    got = tasks_of(db)

    def split(tasks):
        standing = {i: v for i, v in tasks.items() if v[0] not in FOLLOWUP_GOALS}
        return standing, {i for i, v in tasks.items() if v[0] in FOLLOWUP_GOALS}

    # The standing instructions' tasks end exactly as in the uninterrupted week, and the
    # same follow-ups (shopping, put-aways) were queued: none lost, none twice. Known gap
    # (benchmarks/RESULTS.md, durable runs): after a kill a delivery's put-away can fall
    # due later than uninterrupted, so one may still be pending when the week ends.
    assert split(got) == split(reference)
    assert ran_once(got)
    finished = times_finished(db)
    assert set(finished) == ended(got) and all(n == 1 for n in finished.values())


@pytest.mark.slow
def test_two_runtimes_started_together_run_each_chore_once(any_db):
    """Two `housemind run` for one home, started at the same moment: one runs the home, the
    other refuses (exit code 4, naming the first), and every chore runs once."""
    # the winner's run must outlast the loser's start-up, even on a busy machine: a 4-day run
    # takes about 4 s since the planner got faster, and the test failed once in a full run
    days = 7
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    db = any_db()
    store_instructions(db)
    procs = [
        subprocess.Popen(
            run_cmd(db, None, days, 3),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(2)
    ]
    results = [(p, *p.communicate(timeout=600)) for p in procs]
    codes = sorted(p.returncode for p, _, _ in results)
    assert codes == [0, 4], [err for _, _, err in results]
    refused = next(err for p, _, err in results if p.returncode == 4)
    assert "already run by another housemind runtime" in refused and "pid" in refused
    tasks = tasks_of(db)
    assert standing_count(db) == 4 * days
    assert ran_once(tasks)
    finished = times_finished(db)
    assert set(finished) == ended(tasks) and all(n == 1 for n in finished.values())


@pytest.mark.slow
def test_a_standby_takes_over_a_killed_runtime_mid_chore(any_db):
    """A second runtime started while the first is mid-week waits (--standby) instead of
    resuming the chore the first is running; when the first is killed (SIGKILL) it takes
    over, finishes the interrupted chore and the rest of the run, and no chore runs twice."""
    days = 7  # long enough that the first is still running when the standby is up
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    db = any_db()
    store_instructions(db)
    first = subprocess.Popen(
        run_cmd(db, None, days, 3), stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert wait_for_checkpoints(db, 3, first), first.communicate()[1]
    standby = subprocess.Popen(
        run_cmd(db, None, days, 3, "--standby"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    # The standby says it waits (a warning on stderr) once it has found the home taken.
    said: list[str] = []

    def read_stderr():
        for line in iter(standby.stderr.readline, ""):
            said.append(line)

    def standing_by():  # the log line may be wrapped anywhere
        return "standing by to take over" in " ".join(" ".join(said).split())

    reader = threading.Thread(target=read_stderr)
    reader.start()
    deadline = time.time() + 180
    while time.time() < deadline and not standing_by():
        assert standby.poll() is None, said
        time.sleep(0.05)
    assert standing_by(), said
    assert first.poll() is None, "the first runtime ended before the standby was up"
    before = checkpoints(db)
    first.send_signal(signal.SIGKILL)
    first.wait()
    out = standby.stdout.read()
    standby.wait(timeout=600)
    reader.join(timeout=10)
    assert standby.returncode == 0, said
    summary = json.loads(out)
    assert summary["resumed"]  # it took over the killed run, not a new one
    assert checkpoints(db) > before
    tasks = tasks_of(db)
    assert standing_count(db) == 4 * days
    assert ran_once(tasks)
    finished = times_finished(db)
    # one finish per chore (a kill between a task's last write and its event may leave one
    # without, never one with two)
    assert all(n == 1 for n in finished.values()) and len(finished) >= len(ended(tasks)) - 1
