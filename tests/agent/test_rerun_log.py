"""rerun.io logging of a run: what is recorded, that it changes nothing, and bad paths."""

from __future__ import annotations

from datetime import timedelta

import pytest
from typer.testing import CliRunner

from housemind.agent.cli import app
from housemind.agent.runtime import HomeRuntime
from housemind.scheduler import parse_instruction
from housemind.sim.home import HomeSimEnv

pytest.importorskip("rerun", reason="rerun logging needs the 'rerun' extra")

from housemind.agent.rerun_log import RerunLogger  # noqa: E402


def _tidy_morning(tmp_path, name: str, rerun: bool):
    env = HomeSimEnv(seed=0)
    env.reset(seed=0)
    log = RerunLogger(env, tmp_path / f"{name}.rrd") if rerun else None
    rt = HomeRuntime(
        log.env if log else env,
        env.clock,
        db_url=f"sqlite:///{tmp_path / f'{name}.db'}",
        on_event=log.on_event if log else None,
    )
    if log:
        log.attach(rt)
    with rt:
        rt.instruct(
            parse_instruction(
                "tidy the living room every day at 9:00", now=env.clock.now(), tz="UTC"
            ),
            actor="owner",
        )
        rt.run_until(env.clock.now().replace(hour=10))
        far = timedelta(days=365)
        now = env.clock.now()
        steps = [e.text for e in rt.memory.episodic.between(now - far, now + far, "subtask")]
        state = env.get_state()
    if log:
        log.close()
    return log, steps, state


@pytest.mark.slow
def test_a_run_is_recorded_and_logging_changes_nothing(tmp_path):
    import rerun.chunk

    log, steps, state = _tidy_morning(tmp_path, "logged", rerun=True)
    _, plain_steps, plain_state = _tidy_morning(tmp_path, "plain", rerun=False)
    assert steps == plain_steps and len(steps) >= 4  # the same subtasks, the same outcomes
    # the same home at the end, and the same sensor noise drawn: nothing extra was observed
    assert state["world"] == plain_state["world"]
    assert state["sensor_rng"] == plain_state["sensor_rng"]
    c = log.counts
    assert c["plans"] >= 1 and c["subtasks"] == len(steps) and c["beliefs"] == len(steps)
    assert c["images"] > 0 and c["actions"] > 0
    store = rerun.chunk.RrdReader(log.path).store()
    paths = set(store.schema().entity_paths())
    assert {"/camera", "/robot/pose", "/beliefs", "/map/rooms", "/log/plan"} <= paths
    assert {"/log/subtask", "/log/outcome", "/log/chore", "/robot/action/0"} <= paths


def test_bad_recording_paths_say_what_to_do(tmp_path):
    env = HomeSimEnv(seed=0)
    with pytest.raises(ValueError, match=r"\.rrd"):
        RerunLogger(env, tmp_path / "run.txt")
    with pytest.raises(ValueError, match="does not exist"):
        RerunLogger(env, tmp_path / "nope" / "run.rrd")
    (tmp_path / "i.txt").write_text("tidy the living room every day at 9:00\n")
    res = CliRunner().invoke(
        app,
        ["run", "--db", str(tmp_path / "h.db"), "--rerun", str(tmp_path / "run.mp4"), "--days", "1",
         "--instructions", str(tmp_path / "i.txt")],
    )  # fmt: skip
    assert res.exit_code == 2 and ".rrd" in res.output, res.output
