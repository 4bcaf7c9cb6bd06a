"""Task history, replays from checkpoints and recorded replays of a simulated run."""

from __future__ import annotations

import pytest
from PIL import Image

from housemind.agent.history import task_detail, task_history
from housemind.agent.replay import (
    ReplayError,
    ReplayRecorder,
    picture_of_world,
    recorded_replay,
    task_replay,
)
from housemind.agent.runtime import HomeRuntime
from housemind.agent.status import read_world
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("run")
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    rec = ReplayRecorder(env, tmp / "replays", every=50)
    rt = HomeRuntime(rec.env, env.clock, db_url=f"sqlite:///{tmp / 'h.db'}", on_event=rec.on_event)
    rt.instruct(
        parse_instruction("tidy the living room every day at 9:00", now=env.clock.now(), tz="UTC"),
        actor="owner",
    )
    rt.run_until(env.clock.now().replace(hour=10))
    yield rt, tmp
    rt.close()


@pytest.mark.slow
def test_history_lists_each_task_with_its_subtasks_and_safety(run):
    rt, _ = run
    (row,) = task_history(rt.db)
    assert row["goal"] == "tidy the living room" and row["state"] == "done"
    assert row["kind"] == "recurring_chore" and row["subtasks"] >= 4
    d = task_detail(rt.db, row["id"])
    assert len(d["outcomes"]) == row["subtasks"]
    assert all(o["status"] == "success" and o["text"] and o["skill"] for o in d["outcomes"])
    kinds = [e["kind"] for e in d["events"]]
    assert kinds[0] == "plan" and kinds[-1] == "task" and "subtask" in kinds
    assert any(s["level"] == "plan" for s in d["safety"])  # each step was judged
    with pytest.raises(KeyError, match="no task"):
        task_detail(rt.db, "task-nope")
    with pytest.raises(ValueError, match="unknown task state"):
        task_history(rt.db, state="dancing")


@pytest.mark.slow
def test_replay_from_checkpoints_and_the_recorded_one(run):
    rt, tmp = run
    (row,) = task_history(rt.db)
    gif = task_replay(rt.db, row["id"], tmp / "replay.gif")
    with Image.open(gif) as im:
        frames = im.n_frames
        first = im.convert("RGB").tobytes()
        im.seek(frames - 1)
        last = im.convert("RGB").tobytes()
    # a frame per change of the home: at least one per subtask, and the home changed
    assert frames >= row["subtasks"] and first != last
    recorded = recorded_replay(tmp / "replays", row["id"])
    assert recorded is not None
    with Image.open(recorded) as im:
        assert im.n_frames > frames  # one frame every 50 ticks, not one per step
    assert recorded_replay(tmp / "replays", "../h.db") is None
    with pytest.raises(ReplayError, match="no simulator snapshots"):
        task_replay(rt.db, "task-nope", tmp / "none.gif")
    pic = picture_of_world(read_world(rt.db), "caption")
    assert pic.ndim == 3 and pic.shape[2] == 3
    with pytest.raises(ReplayError):
        picture_of_world({"home": "apartment"})


@pytest.mark.slow
@pytest.mark.postgres
def test_replay_from_checkpoints_on_postgresql(new_pg_home, tmp_path):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    with HomeRuntime(env, env.clock, db_url=new_pg_home()) as rt:
        rt.instruct(
            parse_instruction(
                "tidy the living room every day at 9:00", now=env.clock.now(), tz="UTC"
            ),
            actor="owner",
        )
        rt.run_until(env.clock.now().replace(hour=10))
        (row,) = task_history(rt.db)
        gif = task_replay(rt.db, row["id"], tmp_path / "replay.gif")
    with Image.open(gif) as im:
        assert im.n_frames >= row["subtasks"] >= 4
