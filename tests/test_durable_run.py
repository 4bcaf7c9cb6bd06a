"""Durable execution: `housemind run` killed with SIGKILL at random moments of a simulated
week, restarted each time, ends with exactly the chores of an uninterrupted run, once each."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from housemind.memory import open_database
from housemind.scheduler import TaskQueue

INSTRUCTIONS = (
    "take the mug to the sink every day at 8:30\n"
    "tidy the living room every day at 9:00\n"
    "check the fridge for milk every day at 17:00\n"
    "ask me what to buy when you go shopping every day at 18:30\n"
)


def run_cmd(db, file, days, seed):
    cmd = [
        sys.executable,
        "-c",
        "from housemind.agent.cli import main; main()",
        "run",
        "--db",
        str(db),
    ]
    cmd += ["--days", str(days), "--seed", str(seed), "--json"]
    return cmd + (["--instructions", str(file)] if file is not None else [])


def store_instructions(db):
    """Put the standing instructions in the database up front (as `housemind instruct`
    would), so every killed process spends its life on the week, not on start-up checks."""
    from datetime import UTC, datetime

    from housemind.scheduler import InstructionStore, parse_instruction
    from housemind.scheduler.clock import SimClock

    database = open_database(f"sqlite:///{db}")
    try:
        now = datetime(2026, 11, 23, 6, tzinfo=UTC)  # HomeSim's start: given at 06:00
        store = InstructionStore(database.session, SimClock(now))
        for line in INSTRUCTIONS.splitlines():
            store.add(parse_instruction(line, now=now, tz="UTC"))
    finally:
        database.close()


def tasks_of(db):
    database = open_database(f"sqlite:///{db}")
    try:
        return {
            t.id: (t.goal, t.state.value, t.dispatch_count)
            for t in TaskQueue(database.session).list()
        }
    finally:
        database.close()


def checkpoints(db):
    """How many LangGraph checkpoints the run has written (0 before the table exists)."""
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


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


def test_finished_run_is_not_run_again(tmp_path, instr_file):
    db = tmp_path / "home.db"
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    first = subprocess.run(
        run_cmd(db, instr_file, 1, 2), capture_output=True, text=True, env=env, timeout=300
    )
    assert first.returncode == 0, first.stderr
    a = json.loads(first.stdout)
    assert a["chores_due"] == 4 and a["chores_done"] == 4 and not a["resumed"]
    again = subprocess.run(
        run_cmd(db, instr_file, 1, 2), capture_output=True, text=True, env=env, timeout=300
    )
    b = json.loads(again.stdout)
    assert b["chores"] == a["chores"]  # nothing fired or executed twice
    assert all(c["dispatch_count"] == 1 for c in b["chores"])


@pytest.mark.slow
def test_sigkill_at_random_moments_loses_and_repeats_nothing(tmp_path):
    seed, days = 3, 7
    env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True"}
    ref_db = tmp_path / "reference.db"
    store_instructions(ref_db)
    ref = subprocess.run(
        run_cmd(ref_db, None, days, seed),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert ref.returncode == 0, ref.stderr
    reference = tasks_of(ref_db)
    assert len(reference) == 4 * days

    db = tmp_path / "crashy.db"
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
    assert got == reference
    assert all(count == 1 for _, _, count in got.values())
