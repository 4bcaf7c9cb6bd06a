"""``housemind sim view`` and ``housemind sim record``: pictures and recordings of HomeSim."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.sim.home import HomeSimEnv
from housemind.sim.home.recording import EpisodeRecorder, RecordingError, compose_frame, write_video

runner = CliRunner()


def test_sim_view_writes_the_labelled_picture(tmp_path):
    out = tmp_path / "home.png"
    res = runner.invoke(app, ["sim", "view", "--seed", "2", "--out", str(out), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    img = np.asarray(Image.open(out).convert("RGB"))
    assert img.shape == (info["height"], info["width"], 3)
    # Not a blank canvas: rooms, walls and labels make many colours.
    assert len(np.unique(img.reshape(-1, 3), axis=0)) > 50
    assert info["time"].startswith("2026-11-23T06:00")


def test_sim_view_time_lets_the_home_live_until_then(tmp_path):
    out = tmp_path / "home.png"
    res = runner.invoke(
        app, ["sim", "view", "--seed", "2", "--time", "07:10", "--out", str(out), "--json"]
    )
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["time"].startswith("2026-11-23T07:10")
    early = runner.invoke(app, ["sim", "view", "--time", "05:00", "--out", str(out), "--json"])
    assert json.loads(early.output)["time"].startswith("2026-11-24T05:00")  # next morning
    bad = runner.invoke(app, ["sim", "view", "--time", "7pm", "--out", str(out)])
    assert bad.exit_code == 2 and "HH:MM" in bad.output


def test_render_shows_state_that_changes(tmp_path):
    env = HomeSimEnv(seed=0)
    before = env.render()
    env.world.fixtures["stove"].on = True
    env.world.fixtures["fridge"].open = True
    env.add_spill("puddle", 6.5, 4.0)
    after = env.render()
    assert before.shape == after.shape  # a fixed size per plan: frames make a video
    assert (before != after).any(axis=2).sum() > 500


def test_sim_record_gif_tour(tmp_path):
    out = tmp_path / "ep.gif"
    res = runner.invoke(
        app, ["sim", "record", "--seed", "1", "--out", str(out), "--every", "25", "--json"]
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["success"] is True and info["ticks"] > 100
    gif = Image.open(out)
    assert gif.n_frames == info["frames"] >= 5


def test_sim_record_rejects_unknown_formats_and_views(tmp_path):
    res = runner.invoke(app, ["sim", "record", "--out", str(tmp_path / "ep.avi")])
    assert res.exit_code == 2 and ".gif or .mp4" in res.output
    res = runner.invoke(app, ["sim", "record", "--out", str(tmp_path / "ep.gif"), "--view", "x"])
    assert res.exit_code == 2 and "top, ego or both" in res.output


def test_recorder_keeps_every_nth_frame_and_views_compose():
    env = HomeSimEnv(seed=0, image_size=64)
    rec = EpisodeRecorder(env, view="ego", every=3, max_frames=2)
    for _ in range(9):
        env.step(np.zeros(6, dtype=np.float32))
        rec.tick()
    assert len(rec.frames) == 2 and rec.dropped == 1 and rec.ticks == 9
    top, both = compose_frame(env, "top"), compose_frame(env, "both")
    assert both.shape[0] == top.shape[0] and both.shape[1] > top.shape[1]
    captioned = compose_frame(env, "top", caption="tidy up")
    assert captioned.shape[0] > top.shape[0] and captioned.shape[1] == top.shape[1]
    with pytest.raises(ValueError, match="view"):
        compose_frame(env, "side")  # type: ignore[arg-type]


def test_write_video_errors_say_what_to_do(tmp_path):
    frame = np.zeros((10, 12, 3), dtype=np.uint8)
    with pytest.raises(RecordingError, match="no frames"):
        write_video([], tmp_path / "a.gif")
    with pytest.raises(RecordingError, match=".gif or .mp4"):
        write_video([frame], tmp_path / "a.webm")
    path = write_video([frame, frame + 200], tmp_path / "sub" / "a.gif", fps=5)
    assert Image.open(path).n_frames == 2


def test_write_mp4(tmp_path):
    pytest.importorskip("imageio_ffmpeg", reason="MP4 needs the video extra")
    frames = [np.full((30, 50, 3), i * 20, dtype=np.uint8) for i in range(8)]
    path = write_video(frames, tmp_path / "a.mp4", fps=8)
    import imageio.v2 as imageio

    back = imageio.mimread(path)
    assert len(back) == 8 and back[0].shape[0] % 16 == 0 and back[0].shape[1] % 16 == 0


def test_sim_record_a_task_and_unknown_task_names(tmp_path):
    out = tmp_path / "task.gif"
    res = runner.invoke(
        app,
        ["sim", "record", "--task", "close_the_fridge", "--seed", "3", "--out", str(out)]
        + ["--view", "top", "--every", "20", "--json"],
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["success"] is True and info["goal"].startswith("close the fridge")
    assert Image.open(out).n_frames == info["frames"]
    bad = runner.invoke(app, ["sim", "record", "--task", "close_fridge", "--out", str(out)])
    assert bad.exit_code == 2 and "did you mean" in bad.output


def test_recording_a_wait_keeps_frames_of_it(tmp_path):
    out = tmp_path / "laundry.gif"
    res = runner.invoke(
        app,
        ["sim", "record", "--task", "do_the_laundry", "--seed", "1", "--out", str(out)]
        + ["--view", "top", "--every", "1000", "--json"],
    )
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    # A 45-minute programme: simulated time, and frames of it though no control ticks.
    assert info["sim_seconds"] > 45 * 60 and info["frames"] > info["ticks"] / 1000 + 20


def test_sim_tasks_lists_the_suite():
    res = runner.invoke(app, ["sim", "tasks", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert len(rows) >= 50 and {"name", "category", "goal", "homes"} <= set(rows[0])
    only = json.loads(runner.invoke(app, ["sim", "tasks", "--category", "trash", "--json"]).output)
    assert only and all(r["category"] == "trash" for r in only)
    bad = runner.invoke(app, ["sim", "tasks", "--category", "gardening"])
    assert bad.exit_code == 2 and "unknown category" in bad.output


def test_sim_view_other_homes_and_furniture(tmp_path):
    out = tmp_path / "home.png"
    args = ["sim", "view", "--home", "studio", "--furniture-seed", "3", "--out", str(out)]
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["home"] == "studio"
    bad = runner.invoke(app, ["sim", "view", "--home", "studi", "--out", str(out)])
    assert bad.exit_code == 2 and "did you mean 'studio'" in bad.output
