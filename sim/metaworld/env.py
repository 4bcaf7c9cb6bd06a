"""MetaWorldEnv: one Meta-World v3 task as a gymnasium env and a :class:`RobotEnv`.

The set-up follows LeRobot's Meta-World environment so that numbers and data compare:

- one camera, ``corner2``, moved to ``(0.75, 0.075, 0.7)`` (closer to the table, as LeRobot
  does) and rotated by 180° (it renders upside down);
- state: 4 numbers only, the hand position ``x, y, z`` (m) and the finger opening (0 closed
  .. 1 open), i.e. Meta-World's observation ``[:4]``; never the 39-D observation, whose other
  entries give away object and goal positions;
- action: ``float32[4]`` in ``[-1, 1]``: hand displacement ``dx, dy, dz`` (× 1 cm per step)
  and the gripper effort (> 0 closes);
- a task's episode is at most 500 steps (Meta-World's horizon) at 80 Hz (5 physics steps
  of 2.5 ms each); object and goal positions are drawn from the task's range by the seed
  of :meth:`MetaWorldEnv.reset`;
- success is Meta-World's own check (``info["success"]``); an episode counts as solved when
  it succeeded at any step (LeRobot's evaluation stops at the first success).

The scripted expert (``expert("metaworld_task", {"task": ...})``) is privileged: it reads
the full 39-D state, like HomeSim's experts read the world. Observations for policies carry
only the image and the 4-D state.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any, Literal

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from housemind.scheduler.clock import SimClock
from housemind.sim.metaworld.rendering import OffscreenCamera, RenderSettings, import_mujoco
from housemind.sim.metaworld.skills import METAWORLD_TASK_SKILL
from housemind.sim.metaworld.tasks import MetaWorldTask, get_task
from housemind.skills.types import Observation, Proprio, atom

if TYPE_CHECKING:
    from housemind.safety.action_layout import ActionLayout
    from housemind.skills.policies.base import Policy

__all__ = [
    "CAMERA",
    "CORNER2_POS",
    "STATE_DIM",
    "ArmProprio",
    "MetaWorldEnv",
    "MetaWorldObservation",
]

#: The one camera (LeRobot's Meta-World set-up).
CAMERA = "corner2"
#: Where LeRobot puts ``corner2`` (Meta-World's own ``corner4`` position): the table fills
#: more of the image than from Meta-World's default ``corner2`` position.
CORNER2_POS = (0.75, 0.075, 0.7)
#: Length of the state vector a policy gets: hand ``x, y, z`` and finger opening.
STATE_DIM = 4
#: Meta-World's horizon: an episode is at most this many steps.
MAX_EPISODE_STEPS = 500
#: The simulated start time when no clock is given (HomeSim's default start).
_DEFAULT_START = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)


@dataclass(slots=True)
class ArmProprio(Proprio):
    """The body state of a fixed arm: hand position and finger opening.

    ``x``, ``y`` and :attr:`z` are the hand (tool centre) position in the scene's frame (m);
    ``gripper`` is ``1 - opening`` (0 open .. 1 closed, as for every robot here).

    Attributes:
        z: Hand height (m).
        opening: Finger opening, 0 (closed) .. 1 (open): Meta-World's observation ``[3]``.
    """

    z: float = 0.0
    opening: float = 1.0

    def as_array(self) -> np.ndarray:
        """The policy state: ``[x, y, z, opening]`` as float32 (LeRobot's ``agent_pos``)."""
        return np.array([self.x, self.y, self.z, self.opening], dtype=np.float32)


@dataclass
class MetaWorldObservation(Observation):
    """An :class:`Observation` that knows whether the scene's task has been achieved.

    Attributes:
        task: The Meta-World task name.
        solved: Meta-World's success check held at some step of this episode.
    """

    task: str = ""
    solved: bool = False

    def facts(self) -> set[str]:
        """The ordinary facts, plus ``solved(<task slug>)`` once the task is achieved."""
        out = Observation.facts(self)
        if self.solved and self.task:
            out.add(atom("solved", get_task(self.task).slug))
        return out


@cache
def _benchmark_task(name: str) -> tuple[type, Any]:
    """Meta-World's env class and first MT1 task of ``name``, built once per process.

    MT1 resets a scene 50 times to draw its goals: most of an env's construction time.
    """
    import metaworld

    mt1 = metaworld.MT1(name, seed=0)
    return mt1.train_classes[name], mt1.train_tasks[0]


class MetaWorldEnv(gym.Env):
    """One Meta-World v3 task (see the module docstring for the conventions).

    Args:
        task: Meta-World task name (``"drawer-open-v3"``) or slug (``"drawer_open"``).
        image_size: Side of the camera image in pixels (observations and ``rgb`` mode).
        obs_mode: ``"state"`` (gym observations carry only the 4-D state: no rendering
            in :meth:`step`) or ``"rgb"`` (the image too). :meth:`observe` always renders.
        seed: Seed of the first reset when :meth:`reset` gets none.
        clock: The simulated clock to advance by one control tick per step (a new one if
            None); a household shares its home's clock.
        render_size: Side of the picture :meth:`render` draws for people.
        render_settings: Visual quality (default: no shadows, reflections or MSAA).
        max_episode_steps: Horizon; Meta-World's benchmark uses 500.
        room: Room name reported in the proprioception (a household's kitchen).
        render_mode: Only ``"rgb_array"`` (for gymnasium; :meth:`render` always draws).

    Raises:
        UnknownTaskError: for an unknown task.
        ValueError: for a bad size, mode or horizon.
        ImportError: without the ``metaworld`` extra.
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 80}
    action_dim = 4

    def __init__(
        self,
        task: str,
        *,
        image_size: int = 128,
        obs_mode: Literal["state", "rgb"] = "state",
        seed: int | None = None,
        clock: SimClock | None = None,
        render_size: int = 480,
        render_settings: RenderSettings | None = None,
        max_episode_steps: int = MAX_EPISODE_STEPS,
        room: str = "",
        render_mode: str | None = "rgb_array",
    ) -> None:
        self.task_info: MetaWorldTask = get_task(task)
        if render_mode not in (None, "rgb_array"):
            raise ValueError(f"render_mode must be 'rgb_array' or None, got {render_mode!r}")
        if obs_mode not in ("state", "rgb"):
            raise ValueError(f"obs_mode must be 'state' or 'rgb', got {obs_mode!r}")
        for label, size in (("image_size", image_size), ("render_size", render_size)):
            if not 16 <= int(size) <= 2048:
                raise ValueError(f"{label} must be between 16 and 2048 pixels, got {size}")
        if max_episode_steps < 1:
            raise ValueError(f"max_episode_steps must be >= 1, got {max_episode_steps}")
        mujoco = import_mujoco()
        try:
            import metaworld  # noqa: F401 - a clear error here, before any work
        except ImportError as e:
            raise ImportError(
                f"Meta-World is not installed ({e}); pip install 'housemind[metaworld]'"
            ) from e
        self.task = self.task_info.name
        self.image_size = int(image_size)
        self.render_size = int(render_size)
        self.obs_mode = obs_mode
        self.render_mode = "rgb_array"
        self.room = room
        self.max_episode_steps = int(max_episode_steps)
        self.clock = clock if clock is not None else SimClock(_DEFAULT_START)

        # The benchmark's own task object (MT1) fixes the task's variant; the object and goal
        # positions are then drawn per reset from the env's seeded generator, as LeRobot does.
        env_cls, mt_task = _benchmark_task(self.task)
        inner = env_cls()  # no render_mode: we render ourselves
        inner.set_task(mt_task)
        inner._freeze_rand_vec = False  # draw new positions on every reset...
        inner.seeded_rand_vec = True  # ...from np_random, which reset(seed=...) seeds
        inner.max_path_length = self.max_episode_steps
        cam = mujoco.mj_name2id(inner.model, mujoco.mjtObj.mjOBJ_CAMERA, CAMERA)
        inner.model.cam_pos[cam] = CORNER2_POS
        self._inner = inner
        self._mj = mujoco
        self.control_hz = 1.0 / (inner.frame_skip * float(inner.model.opt.timestep))
        self._dt = 1.0 / self.control_hz
        self._camera = OffscreenCamera(
            inner.model,
            CAMERA,
            settings=render_settings,
            max_size=max(self.image_size, self.render_size),
            flip=True,
        )
        self.render_settings = self._camera.settings

        self.action_space = spaces.Box(-1.0, 1.0, shape=(4,), dtype=np.float32)
        bounds = inner.sawyer_observation_space  # Meta-World clips its observation to it
        obs_spaces: dict[str, spaces.Space] = {
            "state": spaces.Box(
                np.asarray(bounds.low[:STATE_DIM], np.float32),
                np.asarray(bounds.high[:STATE_DIM], np.float32),
                dtype=np.float32,
            )
        }
        if obs_mode == "rgb":
            s = self.image_size
            obs_spaces["image"] = spaces.Box(0, 255, shape=(s, s, 3), dtype=np.uint8)
        self.observation_space = spaces.Dict(obs_spaces)

        self._first_seed = seed
        self.episode_seed: int | None = None
        self._raw: np.ndarray | None = None
        self._steps = 0
        self._success = False
        self._solved = False
        self._frame: np.ndarray | None = None
        self._layout: ActionLayout | None = None

    # -- gymnasium API ------------------------------------------------------------------

    @property
    def action_layout(self) -> ActionLayout:
        """What each action entry means, for the safety guard: the hand's velocity, the grip.

        The hand moves ``action * action_scale`` metres per step (Meta-World: 1 cm per
        12.5 ms, so an entry of 1 is 0.8 m/s).
        """
        if self._layout is None:
            from dataclasses import replace

            from housemind.safety.action_layout import METAWORLD_ARM_LAYOUT

            scale = float(getattr(self._inner, "action_scale", 0.01)) * self.control_hz
            self._layout = replace(METAWORLD_ARM_LAYOUT, hand_scale_mps=scale)
        return self._layout

    @property
    def instruction(self) -> str:
        """The task's language instruction."""
        return self.task_info.description

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Start a new episode; object and goal positions follow from the seed.

        Args:
            seed: Episode seed. Without one, the constructor's seed is used on the first
                reset and a seed drawn from ``np_random`` afterwards.
            options: Unused (accepted for the gymnasium API).

        Returns:
            The gym observation and an info dict.
        """
        super().reset(seed=seed)
        if seed is None:
            if self._first_seed is not None:
                seed = self._first_seed
            else:
                seed = int(self.np_random.integers(0, 2**31 - 1))
        self._first_seed = None
        self.episode_seed = int(seed)
        # Clear solver warm starts and other leftovers of the last episode, so an episode
        # depends on its seed only (not on what ran before it).
        self._mj.mj_resetData(self._inner.model, self._inner.data)
        self._inner.seed(self.episode_seed)
        raw, _ = self._inner.reset()
        self._raw = np.asarray(raw, dtype=np.float64)
        self._steps = 0
        self._success = self._solved = False
        self._frame = None
        return self._gym_obs(), self._info()

    def step(
        self, action: np.ndarray
    ) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        """Apply one action for one control tick (1/80 s).

        ``terminated`` is True on the steps where the task's success check holds (an
        evaluation stops there); stepping on is allowed until the horizon.

        Raises:
            ValueError: if the action is not 4 numbers.
            RuntimeError: before :meth:`reset`, or past the horizon (reset first).
        """
        a = np.asarray(action, dtype=np.float32).reshape(-1)
        if a.shape != (4,):
            raise ValueError(
                f"Meta-World actions have 4 entries [dx, dy, dz, grip], got shape {a.shape}"
            )
        if self._raw is None:
            raise RuntimeError("call reset() before step()")
        if self._steps >= self.max_episode_steps:
            raise RuntimeError(
                f"the episode ended after {self.max_episode_steps} steps (Meta-World's "
                "horizon); call reset() to start another"
            )
        a = np.clip(np.nan_to_num(a, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
        raw, reward, _, truncated, info = self._inner.step(a)
        self._raw = np.asarray(raw, dtype=np.float64)
        self._steps += 1
        self._success = bool(info.get("success", 0.0))
        self._solved = self._solved or self._success
        self._frame = None
        self.clock.advance(self._dt)
        truncated = bool(truncated) or self._steps >= self.max_episode_steps
        return self._gym_obs(), float(reward), self._success, truncated, self._info()

    def render(self) -> np.ndarray:
        """The camera's picture at ``render_size`` for people, ``uint8[H, W, 3]``."""
        self._need_reset()
        return self._camera.render(self._inner.data, self.render_size)

    def close(self) -> None:
        """Free the renderer and the simulation."""
        self._camera.close()
        self._inner.close()

    # -- RobotEnv -----------------------------------------------------------------------

    def observe(self) -> MetaWorldObservation:
        """Camera image and the arm's state now.

        There are no detections: where the objects and the goal are is exactly what the
        benchmark keeps from the policy. Whether the task has been achieved is reported
        as the fact ``solved(<task slug>)`` (Meta-World's success check).
        """
        return MetaWorldObservation(
            time=self.clock.now(),
            image=self._image(),
            proprio=self.proprio(),
            detections=[],
            task=self.task,
            solved=self._solved,
        )

    def proprio(self) -> ArmProprio:
        """The arm's state now (hand position and finger opening)."""
        raw = self._need_reset()
        x, y, z, opening = (float(v) for v in raw[:STATE_DIM])
        return ArmProprio(
            x=x, y=y, theta=0.0, gripper=1.0 - opening, room=self.room, z=z, opening=opening
        )

    def state(self) -> np.ndarray:
        """The policy state ``float32[4]``: hand ``x, y, z`` and finger opening."""
        return self._need_reset()[:STATE_DIM].astype(np.float32)

    def expert(self, skill: str, args: dict[str, Any]) -> Policy:
        """Meta-World's scripted policy for this env's task (privileged: full state).

        Args:
            skill: ``"metaworld_task"``.
            args: ``{"task": name}``; it must be this env's task.

        Raises:
            KeyError: for another skill (the scripted backend reports it).
            PolicyError: if ``args`` names another task.
        """
        from housemind.sim.metaworld.experts import MetaWorldExpert
        from housemind.skills.policies.base import PolicyError

        if skill != METAWORLD_TASK_SKILL:
            raise KeyError(
                f"a Meta-World env has a scripted expert for {METAWORLD_TASK_SKILL!r} only, "
                f"not {skill!r}"
            )
        want = get_task(str(args.get("task", self.task))).name
        if want != self.task:
            raise PolicyError(
                f"this Meta-World env runs {self.task!r}, not {want!r}; build "
                f"MetaWorldEnv({want!r}) for that task"
            )
        return MetaWorldExpert(self)

    # -- episode state ------------------------------------------------------------------

    @property
    def steps(self) -> int:
        """Steps taken in this episode."""
        return self._steps

    @property
    def success(self) -> bool:
        """Meta-World's success check at the last step."""
        return self._success

    @property
    def solved(self) -> bool:
        """The success check held at some step of this episode."""
        return self._solved

    def privileged_state(self) -> np.ndarray:
        """Meta-World's full 39-D observation (objects and goal): for experts only.

        A learned policy must never see this; it gets :meth:`observe` (image + 4-D state).
        """
        return self._need_reset().copy()

    # -- internals ------------------------------------------------------------------------

    def _need_reset(self) -> np.ndarray:
        if self._raw is None:
            raise RuntimeError("call reset() first: the episode has not started")
        return self._raw

    def _image(self) -> np.ndarray:
        self._need_reset()
        if self._frame is None:
            self._frame = self._camera.render(self._inner.data, self.image_size)
        return self._frame

    def _gym_obs(self) -> dict[str, np.ndarray]:
        obs = {"state": self.state()}
        if self.obs_mode == "rgb":
            obs["image"] = self._image()
        return obs

    def _info(self) -> dict[str, Any]:
        return {
            "task": self.task,
            "success": self._success,
            "is_success": self._solved,
            "step": self._steps,
            "seed": self.episode_seed,
        }

    def __repr__(self) -> str:
        return (
            f"MetaWorldEnv({self.task!r}, image_size={self.image_size}, "
            f"control_hz={self.control_hz:g}, horizon={self.max_episode_steps})"
        )
