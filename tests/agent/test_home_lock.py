"""One runtime per home: the home lock on SQLite (a file lock) and PostgreSQL (an advisory
lock), held for the life of a HomeRuntime."""

from __future__ import annotations

import subprocess
import sys
import threading
import time

import pytest

from housemind.agent.home_lock import HomeBusyError, HomeLockLostError, acquire_home_lock
from housemind.memory import Database, open_database

HOLD = """
import sys, time
from housemind.agent.home_lock import acquire_home_lock
from housemind.memory import open_database
lock = acquire_home_lock(open_database(sys.argv[1]))
print("held", flush=True)
time.sleep(600)
"""


@pytest.fixture
def home(any_db):
    """A new home's URL, opened once (migrated), on each backend."""
    url = any_db()
    open_database(url).close()
    return url


def _db(url: str) -> Database:
    return open_database(url)


def test_a_second_lock_on_one_home_is_refused_and_names_the_holder(home):
    a, b = _db(home), _db(home)
    first = acquire_home_lock(a)
    assert first is not None
    with pytest.raises(HomeBusyError) as err:
        acquire_home_lock(b)
    msg = str(err.value)
    assert "already run by another housemind runtime" in msg and "--standby" in msg
    assert "pid" in msg  # who holds it, from the lock's note or pg_stat_activity
    first.release()
    second = acquire_home_lock(b)  # free again
    assert second is not None
    second.release()
    a.close()
    b.close()


def test_a_runtime_refused_before_the_holder_wrote_its_note_still_names_it(tmp_path):
    """Two runtimes started at one moment: the loser may look between the winner taking the file
    lock and writing its note (CI saw it). It waits for the note instead of naming no one."""
    url = f"sqlite:///{tmp_path / 'home.db'}"
    open_database(url).close()
    a, b = _db(url), _db(url)
    first = acquire_home_lock(a)
    assert first is not None
    note = first.note  # type: ignore[attr-defined]
    text = note.read_text()
    note.unlink()  # as if the winner had not written it yet
    writer = threading.Timer(0.3, lambda: note.write_text(text))
    writer.start()
    with pytest.raises(HomeBusyError) as err:
        acquire_home_lock(b)
    writer.join()
    assert "pid" in str(err.value)
    first.release()
    a.close()
    b.close()


def test_two_homes_do_not_lock_each_other(any_db):
    a, b = _db(any_db()), _db(any_db())
    la, lb = acquire_home_lock(a), acquire_home_lock(b)
    assert la is not None and lb is not None
    la.release()
    lb.release()
    a.close()
    b.close()


def test_a_standby_takes_over_when_the_holder_stops(home):
    a, b = _db(home), _db(home)
    first = acquire_home_lock(a)
    assert first is not None
    got: list = []
    waiter = threading.Thread(target=lambda: got.append(acquire_home_lock(b, wait_s=None)))
    waiter.start()
    time.sleep(1.2)
    assert not got  # still standing by
    first.release()
    waiter.join(timeout=10)
    assert got and got[0] is not None
    got[0].release()
    with pytest.raises(HomeBusyError, match="after waiting 0.3 s"):
        held = acquire_home_lock(a)
        try:
            acquire_home_lock(b, wait_s=0.3)
        finally:
            held.release()
    a.close()
    b.close()


def test_a_killed_holder_frees_the_home(home):
    proc = subprocess.Popen([sys.executable, "-c", HOLD, home], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "held"
        db = _db(home)
        with pytest.raises(HomeBusyError):
            acquire_home_lock(db)
        proc.kill()  # SIGKILL: no clean-up in the holder
        proc.wait()
        lock = acquire_home_lock(db, wait_s=15)
        assert lock is not None
        lock.release()
        db.close()
    finally:
        proc.kill()


@pytest.mark.postgres
def test_a_runtime_that_lost_its_session_stops(new_pg_home):
    url = new_pg_home()
    db = _db(url)
    lock = acquire_home_lock(db)
    lock.ensure_held()
    pid = lock.connection.execute("SELECT pg_backend_pid()").fetchone()[0]
    admin = db.raw_connection(autocommit=True)
    admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()
    with pytest.raises(HomeLockLostError, match="lost the lock"):
        lock.ensure_held()
    lock.release()
    db.close()


def test_a_second_runtime_for_a_home_does_not_start(any_db):
    from housemind.agent.runtime import HomeRuntime
    from housemind.sim.home import HomeSimEnv

    url = any_db()
    env = HomeSimEnv(seed=0)
    with HomeRuntime(env, env.clock, db_url=url):
        other = HomeSimEnv(seed=0)
        with pytest.raises(HomeBusyError, match="does not start"):
            HomeRuntime(other, other.clock, db_url=url)
    # closed: the home is free again
    with HomeRuntime(env, env.clock, db_url=url) as rt:
        assert rt.tasks.list() == []
