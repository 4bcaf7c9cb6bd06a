"""A tiny fake robot for testing skills, policies and the executor without a simulator.

``PointRobotEnv`` is a holonomic point in an empty square room with named spots. It
implements :class:`skills.types.RobotEnv` and offers scripted controllers for
``navigate``, ``pick`` and ``place`` through ``expert()``, like a real simulator would. Ship fakes,
not mocks: the executor's real code path runs against it.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

import numpy as np

from housemind.skills.policies.base import Policy, PolicyError
from housemind.skills.types import REACH_M, Detection, Observation, Proprio

__all__ = ["PointRobotEnv"]


class _Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> datetime:
        from datetime import UTC, timedelta

        return datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=self.t)


class PointRobotEnv:
    """A point robot at ``(x, y)`` with spots it can drive to and things it can pick.

    Action: ``float32[3]`` = ``[vx, vy, grip]``; velocity in units of ``max_speed`` m/s.

    Args:
        spots: Named ``(x, y)`` places (fixtures).
        things: Object name -> spot name it rests on.
        control_hz: Control rate.
        max_speed: Speed (m/s) of a unit action.
        broken: Skills whose controller always gives up (to test failure handling).
    """

    action_dim = 3

    def __init__(
        self,
        spots: dict[str, tuple[float, float]] | None = None,
        things: dict[str, str] | None = None,
        control_hz: float = 50.0,
        max_speed: float = 1.0,
        broken: set[str] | None = None,
    ) -> None:
        self.spots = spots or {"table": (2.0, 0.0), "sink": (0.0, 3.0)}
        self.things = dict(things or {"mug": "table"})
        self.control_hz = control_hz
        self.max_speed = max_speed
        self.clock = _Clock()
        self.x = self.y = 0.0
        self.held: str | None = None
        self.steps = 0
        self.people: list[tuple[float, float]] = []
        self.broken = set(broken or ())

    def set_control_hz(self, hz: float) -> None:
        """Step ``1 / hz`` seconds per tick (the executor's rate)."""
        if hz <= 0:
            raise ValueError(f"control_hz must be > 0, got {hz}")
        self.control_hz = float(hz)

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[dict, dict]:
        """Put the robot back at the origin."""
        self.x = self.y = 0.0
        self.held = None
        return {"proprio": self._proprio().as_array()}, {}

    def _proprio(self) -> Proprio:
        return Proprio(x=self.x, y=self.y, theta=0.0, held=self.held, room="room")

    def step(self, action: np.ndarray) -> tuple[dict, float, bool, bool, dict]:
        """Move for one tick; grip > 0.5 picks a thing within reach, < -0.5 puts it down."""
        dt = 1.0 / self.control_hz
        a = np.clip(np.asarray(action, dtype=np.float64), -1, 1)
        self.x += float(a[0]) * self.max_speed * dt
        self.y += float(a[1]) * self.max_speed * dt
        if a[2] > 0.5 and self.held is None:
            for name, spot in list(self.things.items()):
                sx, sy = self.spots[spot]
                if math.hypot(sx - self.x, sy - self.y) <= REACH_M:
                    self.held = name
                    del self.things[name]
                    break
        elif a[2] < -0.5 and self.held is not None:
            spot = min(
                self.spots,
                key=lambda n: math.hypot(self.spots[n][0] - self.x, self.spots[n][1] - self.y),
            )
            sx, sy = self.spots[spot]
            if math.hypot(sx - self.x, sy - self.y) <= REACH_M:
                self.things[self.held] = spot
                self.held = None
        self.clock.t += dt
        self.steps += 1
        return {"proprio": self._proprio().as_array()}, 0.0, False, False, {}

    def render(self) -> np.ndarray:
        """A blank picture (this fake has nothing to show)."""
        return np.zeros((8, 8, 3), np.uint8)

    def observe(self) -> Observation:
        """Sees every spot and thing (no walls), people as detections."""
        dets = []
        for name, (sx, sy) in self.spots.items():
            dets.append(
                Detection(
                    name=name,
                    kind=name,
                    category="fixture",
                    position=(sx, sy),
                    distance=math.hypot(sx - self.x, sy - self.y),
                    room="room",
                )
            )
        for name, spot in self.things.items():
            sx, sy = self.spots[spot]
            dets.append(
                Detection(
                    name=name,
                    kind=name,
                    category="object",
                    position=(sx, sy),
                    distance=math.hypot(sx - self.x, sy - self.y),
                    room="room",
                    relation=("on", spot),
                )
            )
        for i, (px, py) in enumerate(self.people):
            dets.append(
                Detection(
                    name=f"person_{i}",
                    kind="adult",
                    category="person",
                    position=(px, py),
                    distance=math.hypot(px - self.x, py - self.y),
                    room="room",
                )
            )
        return Observation(
            time=self.clock.now(),
            image=np.zeros((8, 8, 3), np.uint8),
            proprio=self._proprio(),
            detections=dets,
        )

    def expert(self, skill: str, args: dict[str, Any]) -> Policy:
        """Scripted controllers for ``navigate``, ``pick`` and ``place``."""
        if skill in self.broken:
            return _Broken(skill)
        if skill == "navigate":
            return _GoTo(self, args["target"])
        if skill == "pick":
            return _Pick(self, args["object"])
        if skill == "place":
            return _Place(args["target"])
        raise KeyError(f"PointRobotEnv has experts for navigate, pick and place, not {skill!r}")


class _GoTo:
    def __init__(self, env: PointRobotEnv, target: str) -> None:
        spot = env.things.get(target, target)  # a thing: drive to the spot it rests on
        if spot not in env.spots:
            raise PolicyError(f"unknown spot {target!r}")
        self.env, self.target = env, env.spots[spot]

    def reset(self) -> None:
        pass

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        dx, dy = self.target[0] - obs.proprio.x, self.target[1] - obs.proprio.y
        d = math.hypot(dx, dy)
        step = self.env.max_speed / self.env.control_hz
        if d < 0.05:
            return np.zeros((5, 3), np.float32)
        n = min(10, max(1, int(d / step)))
        v = min(1.0, d / (step * n))
        return np.tile(np.array([dx / d * v, dy / d * v, 0.0], np.float32), (n, 1))


class _Pick:
    def __init__(self, env: PointRobotEnv, obj: str) -> None:
        self.env, self.obj = env, obj

    def reset(self) -> None:
        pass

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        d = obs.detection(self.obj)
        if d is None or d.distance > REACH_M:
            raise PolicyError(f"the {self.obj} is not within reach")
        return np.array([[0.0, 0.0, 1.0]], np.float32)


class _Place:
    def __init__(self, target: str) -> None:
        self.target = target

    def reset(self) -> None:
        pass

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        d = obs.detection(self.target)
        if d is None or d.distance > REACH_M:
            raise PolicyError(f"the {self.target} is not within reach")
        return np.array([[0.0, 0.0, -1.0]], np.float32)


class _Broken:
    def __init__(self, skill: str) -> None:
        self.skill = skill

    def reset(self) -> None:
        pass

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        raise PolicyError(f"the {self.skill} controller is broken (test fake)")
