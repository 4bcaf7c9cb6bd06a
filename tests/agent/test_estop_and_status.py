"""The dashboard's view of a run and its stop button, through the database only.

A run in one process and a dashboard in another share nothing but the database: the
runtime writes its status row (``agent.status``) and watches the emergency-stop switch
(``safety.estop``). These tests press and read from a second database connection.
"""

from __future__ import annotations

import threading
import time

import pytest

from housemind.agent.runtime import HomeRuntime
from housemind.agent.status import StatusBoard, read_status, read_world, robot_now
from housemind.memory import open_database
from housemind.safety import SafetyMonitor
from housemind.safety.audit import AuditLog
from housemind.safety.estop import EmergencyStop, EstopError, EstopWatcher
from housemind.safety.people import Household
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


def test_watcher_engages_and_releases_the_guard(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    robot_db, dashboard_db = open_database(url), open_database(url)
    monitor = SafetyMonitor(audit=AuditLog(robot_db))
    watcher = EstopWatcher(EmergencyStop(robot_db), monitor, poll_s=0.02).start()
    try:
        switch = EmergencyStop(dashboard_db)
        assert not monitor.stopped and watcher.hold() == 0.0
        switch.press(by="Sam", reason="the cat")
        t0 = time.monotonic()
        while not monitor.stopped:
            assert time.monotonic() - t0 < 2, "the guard was not engaged"
            time.sleep(0.01)
        assert "sam" in monitor.guard.stop_reason and "the cat" in monitor.guard.stop_reason
        threading.Timer(0.3, lambda: switch.release(by="sam")).start()
        held = watcher.hold()
        assert held >= 0.25 and not monitor.stopped
        # A stop the guard made itself is not released by the switch.
        monitor.estop("bumper hit")
        watcher.check()
        assert monitor.stopped
    finally:
        watcher.close()
    rows = [r.subject for r in AuditLog(dashboard_db).recent(20, level="action")]
    assert any(s.startswith("estop pressed") for s in rows)
    assert any(s.startswith("estop released") for s in rows)
    robot_db.close()
    dashboard_db.close()


def test_only_approvers_release_once_there_are_people(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'h.db'}")
    switch = EmergencyStop(db)
    with pytest.raises(EstopError, match="not engaged"):
        switch.release(by="anyone")
    switch.press(by=None)
    assert switch.press(by="kim").pressed_by is None  # the first press stands
    people = Household(db)
    people.add("alex", "owner")
    people.add("sam", "guest")
    with pytest.raises(EstopError, match="guest"):
        switch.release(by="sam")
    with pytest.raises(EstopError, match="not on this home's list"):
        switch.release(by="mallory")
    assert switch.release(by="Alex").released_by == "alex"
    assert not switch.engaged
    db.close()


def test_status_board_writes_what_the_dashboard_reads(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'h.db'}")
    snaps = []

    def snapshot():
        snaps.append(1)
        return {"n": len(snaps)}

    board = StatusBoard(db, snapshot, world_every_s=3600)
    assert read_status(db) is None
    t = "2026-11-23T09:00:00+00:00"
    board.on_event("chore_start", {"task_id": "t1", "goal": "tidy the living room", "time": t})
    board.on_event("subtask", {"task_id": "t1", "text": "go to the sofa", "time": t})
    st = read_status(db)
    assert (st.phase, st.goal, st.subtask) == ("chore", "tidy the living room", "go to the sofa")
    assert st.steps == [{"text": "go to the sofa", "status": "running"}]
    board.on_event("outcome", {"task_id": "t1", "text": "go to the sofa", "status": "success"})
    board.on_event("estop", {"engaged": True, "by": "sam", "reason": "cat"})
    st = read_status(db)
    assert st.phase == "stopped" and st.subtask is None and st.steps[0]["status"] == "success"
    assert "EMERGENCY STOP by sam" in st.recent[-1]["text"]
    board.on_event("estop", {"engaged": False, "by": "alex"})
    board.on_event("chore_end", {"task_id": "t1", "goal": "tidy", "status": "done"})
    st = read_status(db)
    assert st.phase == "idle" and st.has_world
    # Snapshots at the edges (start, the stop, its release, the end), not every subtask.
    assert len(snaps) == 4 and read_world(db) == {"n": 4}
    assert robot_now(db).isoformat() == t
    db.close()


@pytest.mark.slow
def test_a_run_holds_while_stopped_from_another_connection(tmp_path):
    url = f"sqlite:///{tmp_path / 'h.db'}"
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    events: list[tuple[float, str, dict]] = []
    dashboard = open_database(url)
    switch = EmergencyStop(dashboard)
    seen_stopped = []

    def on_event(kind, payload):
        events.append((time.monotonic(), kind, dict(payload)))
        if kind == "outcome" and not switch.state().id:
            switch.press(by="sam", reason="the cat is in the way")

            def release():
                time.sleep(1.0)
                seen_stopped.append(read_status(dashboard).phase)
                switch.release(by="sam")

            threading.Thread(target=release, daemon=True).start()

    rt = HomeRuntime(env, env.clock, db_url=url, on_event=on_event)
    with rt:
        rt.instruct(
            parse_instruction(
                "tidy the living room every day at 9:00", now=env.clock.now(), tz="UTC"
            ),
            actor="owner",
        )
        start = env.clock.now()
        summary = rt.run_until(start.replace(hour=10))
    assert summary.chores_done == 1, summary.chores
    pressed = next(i for i, e in enumerate(events) if e[1] == "outcome")
    nxt = next(e for e in events[pressed + 1 :] if e[1] == "subtask")
    assert nxt[0] - events[pressed][0] >= 0.9  # nothing started while the stop held
    assert seen_stopped == ["stopped"]  # what the dashboard saw meanwhile
    kinds = [e[1] for e in events]
    assert kinds.count("estop") == 2  # engaged, then released
    st = read_status(dashboard)
    assert st.phase == "finished" and st.has_world and st.goal == "tidy the living room"
    assert all(s["status"] == "success" for s in st.steps)
    dashboard.close()
