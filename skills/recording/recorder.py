"""Records what the executor does, one subtask per episode, into a LeRobot dataset.

:class:`EpisodeRecorder` is an executor observer (``Executor(observers=[recorder])``): at
every control tick it takes the robot's camera image and proprioception (``env.observe()``)
and the action the executor applies (after the safety guard), and when the subtask ends it
stores the episode with the subtask's language as its task and whether it succeeded. So
any executed episode is recorded the same way: an expert's, a learned policy's, or one a
person corrected through the executor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from housemind.skills.executor import Outcome
    from housemind.skills.recording.writer import LeRobotDatasetWriter
    from housemind.skills.spec import Skill
    from housemind.skills.types import Observation, RobotEnv

__all__ = ["IMAGE_KEY", "STATE_NAMES", "EpisodeRecorder", "episode_features"]

#: The camera image's feature (LeRobot's ``observation.image`` convention).
IMAGE_KEY = "observation.image"
#: ``observation.state`` entries: :meth:`skills.types.Proprio.as_array`.
STATE_NAMES = ["x", "y", "cos_theta", "sin_theta", "vx", "vy", "wz", "gripper"]


def episode_features(env: RobotEnv) -> dict[str, dict[str, Any]]:
    """The features an :class:`EpisodeRecorder` writes for ``env``.

    The image shape comes from one observation; action names from ``env.action_names``
    when the env has them (else ``a0``, ``a1``, ...).
    """
    image = np.asarray(env.observe().image)
    dim = int(env.action_dim)
    names = list(getattr(env, "action_names", None) or [f"a{i}" for i in range(dim)])
    return {
        IMAGE_KEY: {
            "dtype": "image",
            "shape": list(image.shape),
            "names": ["height", "width", "channels"],
        },
        "observation.state": {
            "dtype": "float32",
            "shape": [len(STATE_NAMES)],
            "names": STATE_NAMES,
        },
        "action": {"dtype": "float32", "shape": [dim], "names": names},
        "next.done": {"dtype": "bool", "shape": [1], "names": None},
        "next.success": {"dtype": "bool", "shape": [1], "names": None},
    }


class EpisodeRecorder:
    """An executor observer that writes each subtask as one episode.

    Args:
        writer: The dataset to append to (its features from :func:`episode_features`).
        env: The robot the executor drives (observed every tick).
        source: Who acted, stored with each episode (``expert``, ``vla``, ``person``...).
        judge: Decides an episode's ``success`` from the outcome (default: the executor's
            verdict, ``outcome.ok``); e.g. also check a simulator's true state.
        metadata: Extra columns stored with every episode (home, seed...); set it before
            each subtask if it changes.
    """

    def __init__(
        self,
        writer: LeRobotDatasetWriter,
        env: RobotEnv,
        *,
        source: str = "executor",
        judge: Callable[[Outcome], bool] | None = None,
        metadata: Mapping[str, Any] | None = None,
    ) -> None:
        self.writer = writer
        self.env = env
        self.source = source
        self.judge = judge
        self.metadata: dict[str, Any] = dict(metadata or {})
        self.last: dict[str, Any] | None = None
        self._images: list[np.ndarray] = []
        self._states: list[np.ndarray] = []
        self._actions: list[np.ndarray] = []
        self._skill: Skill | None = None

    def on_start(self, skill: Skill, obs: Observation) -> None:
        """Start a new episode."""
        self._skill = skill
        self._images, self._states, self._actions = [], [], []

    def on_action(self, tick: int, action: np.ndarray) -> None:
        """Record the observation now and the action about to be applied."""
        o = self.env.observe()
        self._images.append(np.asarray(o.image, np.uint8))
        self._states.append(o.proprio.as_array())
        self._actions.append(np.asarray(action, np.float32))

    def on_end(self, outcome: Outcome) -> None:
        """Store the episode (an episode without a single tick is not stored)."""
        n = len(self._actions)
        self.last = None
        if n == 0 or self._skill is None:
            return
        ok = bool(self.judge(outcome) if self.judge is not None else outcome.ok)
        done = np.zeros(n, bool)
        done[-1] = True
        frames = {
            IMAGE_KEY: np.stack(self._images),
            "observation.state": np.stack(self._states),
            "action": np.stack(self._actions),
            "next.done": done,
            "next.success": done & ok,
        }
        meta = {
            "success": ok,
            "status": outcome.status,
            "skill": outcome.skill,
            "args": outcome.args,
            "source": self.source,
            **self.metadata,
        }
        index = self.writer.add_episode(frames, outcome.text, metadata=meta)
        self.last = {"episode_index": index, "length": n, **meta}
        self._images, self._states, self._actions = [], [], []
