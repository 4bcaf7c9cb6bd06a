"""Log a run to a rerun.io recording: camera images, actions, plans and beliefs.

For developers who want to scrub through what the robot saw and did:

.. code-block:: bash

    housemind run --db home.db --days 1 --rerun run.rrd
    rerun run.rrd          # the viewer: pip install rerun-sdk (the 'rerun' extra)

:class:`RerunLogger` follows the same pattern as :class:`~housemind.agent.replay.ReplayRecorder`:
give the runtime :attr:`RerunLogger.env` instead of the robot (or simulator) and pass
:meth:`RerunLogger.on_event` as (or from) its ``on_event``. Nothing is read from the
robot that the runtime did not ask for: camera images are logged when the runtime or the
executor calls ``observe()``, actions when they call ``step()``, so logging never changes
what happens (the simulator's sensor noise draws stay the same).

Entities (timeline ``robot_time``, the robot's clock):

- ``camera``: the egocentric image of every observation, at most one per ``image_every_s``;
- ``robot/pose``: the robot's position on the map; ``robot/action/<i>``: each action
  dimension, every ``action_every`` control steps;
- ``map/rooms``: the rooms of the home (static, from the map the robot was installed with);
- ``beliefs``: where memory believes each object is, labelled, after each subtask;
- ``log/plan``, ``log/subtask``, ``log/outcome``, ``log/chore``: the planner's plans, each
  subtask, its outcome and each chore's start and end, as text logs.
"""

from __future__ import annotations

import inspect
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["RerunLogger", "RerunUnavailableError"]

logger = logging.getLogger(__name__)


class RerunUnavailableError(RuntimeError):
    """rerun-sdk is not installed."""


def _rerun() -> Any:
    try:
        import rerun as rr
    except ImportError as e:
        raise RerunUnavailableError(
            f"--rerun needs the rerun SDK ({e}); install it with: pip install 'housemind[rerun]'"
        ) from None
    return rr


class _LoggingEnv:
    """The robot, with every observation and action also sent to the recording."""

    def __init__(self, env: Any, log: RerunLogger) -> None:
        self.__dict__["_env"] = env
        self.__dict__["_log"] = log

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_env"], name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.__dict__["_env"], name, value)

    def observe(self, image: bool = True) -> Any:
        env = self.__dict__["_env"]
        # Between a blind controller's chunks the executor asks for no picture; pass that
        # on where the env can skip its camera, so logging changes nothing it does.
        if not image and "image" in inspect.signature(env.observe).parameters:
            obs = env.observe(image=False)
        else:
            obs = env.observe()
        self.__dict__["_log"].log_observation(obs)
        return obs

    def step(self, action: Any) -> Any:
        out = self.__dict__["_env"].step(action)
        self.__dict__["_log"].log_action(action)
        return out


class RerunLogger:
    """Writes a run's camera images, actions, plans and beliefs to a ``.rrd`` file.

    Args:
        env: The robot or simulator the runtime drives.
        path: The recording to write (``.rrd``); its folder must exist.
        image_every_s: Log at most one camera image per this many robot-clock seconds.
        action_every: Log the action every this many control steps.
        app_id: The application id the viewer shows.

    Raises:
        RerunUnavailableError: rerun-sdk is not installed.
        ValueError: a bad path or rate.
    """

    def __init__(
        self,
        env: Any,
        path: str | Path,
        *,
        image_every_s: float = 1.0,
        action_every: int = 10,
        app_id: str = "housemind",
    ) -> None:
        path = Path(path)
        if path.suffix != ".rrd":
            raise ValueError(f"--rerun wants a .rrd file, got {path}")
        if not path.parent.is_dir():
            raise ValueError(f"the folder of {path} does not exist; create it first")
        if image_every_s < 0 or action_every < 1:
            raise ValueError(
                f"image_every_s must be >= 0 and action_every >= 1, got {image_every_s} and "
                f"{action_every}"
            )
        self._rr = _rerun()
        self.path = path
        self.image_every_s, self.action_every = float(image_every_s), int(action_every)
        self.rec = self._rr.RecordingStream(app_id)
        self.rec.save(str(path))
        self._robot = env
        self.env = _LoggingEnv(env, self)
        self.memory: Any = None
        self._steps = 0
        self._last_image: datetime | None = None
        self.counts = {"images": 0, "actions": 0, "plans": 0, "subtasks": 0, "beliefs": 0}
        self._log_map()

    # -- wiring --------------------------------------------------------------------------

    def attach(self, runtime: Any) -> None:
        """Read beliefs from ``runtime``'s memory (call once the runtime exists)."""
        self.memory = runtime.memory

    def close(self) -> None:
        """Flush and close the recording."""
        self.rec.flush()
        self.rec.disconnect()

    def __enter__(self) -> RerunLogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- what is logged ----------------------------------------------------------------

    def _now(self) -> datetime | None:
        clock = getattr(self._robot, "clock", None)
        return clock.now() if clock is not None else None

    def _at(self, when: datetime | None) -> None:
        if when is not None:
            self.rec.set_time("robot_time", timestamp=when)

    def _log_map(self) -> None:
        rooms = getattr(self._robot, "rooms", None)
        if not isinstance(rooms, dict) or not rooms:
            return
        rr = self._rr
        names = sorted(rooms)
        mins = [(rooms[n][0], rooms[n][1]) for n in names]
        sizes = [(rooms[n][2] - rooms[n][0], rooms[n][3] - rooms[n][1]) for n in names]
        self.rec.log("map/rooms", rr.Boxes2D(mins=mins, sizes=sizes, labels=names), static=True)

    def log_observation(self, obs: Any) -> None:
        """Log the camera image (rate-limited) and the robot's position of ``obs``."""
        when = getattr(obs, "time", None) or self._now()
        self._at(when)
        p = getattr(obs, "proprio", None)
        if p is not None:
            self.rec.log("robot/pose", self._rr.Points2D([(p.x, p.y)], radii=0.15, labels="robot"))
        image = getattr(obs, "image", None)
        if image is None or when is None or getattr(image, "size", 1) == 0:
            return  # an observation without a picture (a blind controller's)
        if (
            self._last_image is not None
            and (when - self._last_image).total_seconds() < self.image_every_s
        ):
            return
        self._last_image = when
        self.rec.log("camera", self._rr.Image(np.asarray(image)))
        self.counts["images"] += 1

    def log_action(self, action: Any) -> None:
        """Log ``action`` every :attr:`action_every` control steps."""
        self._steps += 1
        if self._steps % self.action_every:
            return
        self._at(self._now())
        values = np.asarray(action, dtype=np.float64).reshape(-1)
        for i, v in enumerate(values):
            self.rec.log(f"robot/action/{i}", self._rr.Scalars([float(v)]))
        self.counts["actions"] += 1

    def log_beliefs(self) -> None:
        """Log where memory believes each object is (needs :meth:`attach`)."""
        if self.memory is None:
            return
        self._at(self._now())
        known = [
            o for o in self.memory.spatial.known_objects() if o.x is not None and o.y is not None
        ]
        if not known:
            return
        colors = [(200, 60, 60) if o.missing else (60, 120, 220) for o in known]
        labels = [f"{o.name}{' (missing)' if o.missing else ''}" for o in known]
        self.rec.log(
            "beliefs",
            self._rr.Points2D(
                [(o.x, o.y) for o in known], radii=0.08, colors=colors, labels=labels
            ),
        )
        self.counts["beliefs"] += 1

    def on_event(self, kind: str, payload: dict[str, Any]) -> None:
        """The runtime's events: chores, plans, subtasks and outcomes as text logs."""
        rr = self._rr
        when = payload.get("time")
        self._at(datetime.fromisoformat(when) if isinstance(when, str) else self._now())
        if kind == "plan":
            steps = "; ".join(payload.get("subtasks", []))
            self.rec.log(
                "log/plan",
                rr.TextLog(f"{payload.get('goal', '')} [{payload.get('backend', '')}]: {steps}"),
            )
            self.counts["plans"] += 1
        elif kind == "subtask":
            self.rec.log("log/subtask", rr.TextLog(str(payload.get("text", ""))))
            self.counts["subtasks"] += 1
        elif kind == "outcome":
            status = str(payload.get("status", ""))
            level = "INFO" if status == "success" else "WARN"
            text = f"{payload.get('text', '')}: {status} {payload.get('reason') or ''}".strip()
            self.rec.log("log/outcome", rr.TextLog(text, level=level))
            self.log_beliefs()
        elif kind in ("chore_start", "chore_end"):
            what = "start" if kind == "chore_start" else payload.get("status", "end")
            self.rec.log("log/chore", rr.TextLog(f"{payload.get('goal', '')}: {what}"))
