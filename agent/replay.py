"""Pictures and replays of a simulated home, for people (the dashboard, reports).

Three ways to see what happened in HomeSim:

- :func:`picture_of_world`: the labelled top-down picture of a stored snapshot (the
  robot, the people, fixtures and objects); the dashboard draws the home of a run in
  another process from the snapshot the runtime writes (``agent.status``).
- :func:`task_replay`: a GIF of one task from its checkpoints: every node of the task
  graph stores the simulator's state it left (``agent.graph``), so any task of a
  simulated run can be replayed afterwards, one frame per step of the plan.
- :class:`ReplayRecorder`: a smooth GIF of every chore while an in-process run goes, one
  frame every few control ticks (``sim.home.recording.EpisodeRecorder``); costs render
  time, so it is for demonstrations (``examples/dashboard_live.py``), not long runs.

These only make sense with a simulator: a real robot has no snapshot (``ReplayError``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

__all__ = [
    "ReplayError",
    "ReplayRecorder",
    "picture_of_world",
    "recorded_replay",
    "task_replay",
]

logger = logging.getLogger(__name__)


class ReplayError(RuntimeError):
    """No picture or replay can be made; the message says why."""


def _env_for(world: dict[str, Any]) -> Any:
    from housemind.scheduler.clock import SimClock
    from housemind.sim.home import HomeSimEnv

    start = datetime.fromisoformat(world["clock_start"])
    env = HomeSimEnv(
        SimClock(start, start.tzinfo or "UTC"),
        home=world.get("home", "apartment"),
        furniture_seed=world.get("furniture_seed"),
    )
    env.set_state(world)
    return env


def picture_of_world(world: dict[str, Any], caption: str = "") -> np.ndarray:
    """The top-down picture of a HomeSim snapshot (``HomeSimEnv.get_state``).

    Raises:
        ReplayError: the snapshot is not one HomeSim can restore.
    """
    from housemind.sim.home.recording import compose_frame

    try:
        env = _env_for(world)
    except (KeyError, ValueError, TypeError) as e:
        raise ReplayError(f"cannot draw this snapshot: {e}") from e
    return compose_frame(env, "top", caption)


def _checkpoints(db: Any, task_id: str) -> Iterator[dict[str, Any]]:
    """The task graph's saved states of ``task_id``, oldest first."""
    from housemind.agent.checkpoints import open_checkpointer
    from housemind.memory import MemoryStoreError

    try:
        saver, close = open_checkpointer(db)  # the runtime's: SQLite file or PostgreSQL
    except MemoryStoreError as e:
        raise ReplayError(f"the task graph's checkpoints cannot be read: {e}") from e
    try:
        states = [t.checkpoint.get("channel_values", {}) for t in saver.list(_config(task_id))]
    finally:
        close()
    yield from reversed(states)


def _config(task_id: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": task_id}}


def task_replay(db: Any, task_id: str, path: str | Path, *, fps: float = 1.5) -> Path:
    """Write a GIF of task ``task_id`` from its checkpoints: a frame per change of the home.

    Each frame is the home after a step of the task graph, captioned with the subtask
    just done and its outcome.

    Args:
        db: The project database (``memory.Database``, SQLite or PostgreSQL).
        task_id: The task.
        path: The ``.gif`` (or ``.mp4`` with the ``video`` extra) to write.
        fps: Frames per second.

    Returns:
        The path written.

    Raises:
        ReplayError: no checkpoints with a simulator snapshot for this task.
    """
    from housemind.agent.graph import unpack_world
    from housemind.sim.home.recording import write_video

    frames: list[np.ndarray] = []
    last = None
    env = None
    seen = 0
    for values in _checkpoints(db, task_id):
        world = values.get("world")
        if not world or world == last:
            continue
        last = world
        state = unpack_world(world)
        outcomes = values.get("outcomes") or []
        goal = values.get("goal", "")
        caption = goal
        if len(outcomes) > seen:
            o = outcomes[-1]
            caption = f"{goal} · {len(outcomes)}. {o.get('text', '')}: {o.get('status', '')}"
            seen = len(outcomes)
        if values.get("status") in ("done", "failed", "denied", "skipped"):
            caption = f"{goal} · {values['status']}"
        try:
            if env is None:
                env = _env_for(state)
            else:
                env.set_state(state)
        except (KeyError, ValueError, TypeError) as e:
            raise ReplayError(f"task {task_id}: a checkpoint cannot be restored: {e}") from e
        from housemind.sim.home.recording import compose_frame

        frames.append(compose_frame(env, "top", caption))
    if not frames:
        raise ReplayError(
            f"task {task_id} has no simulator snapshots to replay (it did not run in "
            "HomeSim, or it has not started)"
        )
    return write_video(frames, path, fps=fps)


def recorded_replay(replays_dir: str | Path | None, task_id: str) -> Path | None:
    """The GIF a :class:`ReplayRecorder` wrote for ``task_id``, if there is one."""
    if replays_dir is None or not task_id.replace("-", "").isalnum():
        return None
    p = Path(replays_dir) / f"{task_id}.gif"
    return p if p.is_file() else None


class _RecordingEnv:
    """The env, with every control step counted by the recorder (all else forwarded)."""

    def __init__(self, env: Any, recorder: ReplayRecorder) -> None:
        self.__dict__["_env"] = env
        self.__dict__["_recorder"] = recorder

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_env"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.__dict__["_env"], name, value)

    def step(self, action: Any) -> Any:
        out = self.__dict__["_env"].step(action)
        self.__dict__["_recorder"].tick()
        return out


class ReplayRecorder:
    """Records each chore of an in-process simulated run as ``<task id>.gif``.

    Give the runtime :attr:`env` instead of the simulator and pass :meth:`on_event` as
    (or from) its ``on_event``.

    Args:
        env: The simulator (``HomeSimEnv``).
        out_dir: Where the GIFs go (created if missing).
        every: Keep one frame every this many control ticks (50 Hz: 25 is one frame per
            half simulated second).
        max_frames: At most this many frames per chore.
        fps: Frames per second of the GIFs.
    """

    def __init__(
        self,
        env: Any,
        out_dir: str | Path,
        *,
        every: int = 25,
        max_frames: int = 400,
        fps: float = 8.0,
    ) -> None:
        if every < 1:
            raise ValueError(f"every must be >= 1 tick, got {every}")
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.every, self.max_frames, self.fps = int(every), int(max_frames), float(fps)
        self._sim = env
        self.env = _RecordingEnv(env, self)
        self._recorders: dict[str, Any] = {}
        self._current: Any = None

    def tick(self) -> None:
        """Count one control step of the current chore."""
        if self._current is not None:
            self._current.tick()

    def on_event(self, kind: str, payload: dict[str, Any]) -> None:
        """Start recording at ``chore_start``; write the GIF at ``chore_end``."""
        from housemind.sim.home.recording import EpisodeRecorder, RecordingError

        task_id = payload.get("task_id")
        if kind == "chore_start" and task_id:
            rec = self._recorders.get(task_id)
            if rec is None:
                rec = EpisodeRecorder(
                    self._sim,
                    every=self.every,
                    max_frames=self.max_frames,
                    caption=str(payload.get("goal", "")),
                )
                self._recorders[task_id] = rec
            rec.capture()
            self._current = rec
        elif kind == "chore_end" and task_id in self._recorders:
            rec = self._recorders[task_id]
            rec.capture()
            self._current = None
            try:
                rec.save(self.out_dir / f"{task_id}.gif", fps=self.fps)
            except RecordingError:
                logger.exception("could not write the replay of %s", task_id)
            if payload.get("status") != "waiting":
                del self._recorders[task_id]
