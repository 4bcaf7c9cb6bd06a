"""The kitchen station: Meta-World scenes a household plan reaches through HomeSim.

A :class:`KitchenStation` is a worktop at one of the home's fixtures (the kitchen counter by
default) where the robot's arm works MuJoCo scenes: each station skill
(:data:`~sim.metaworld.skills.STATION_SKILLS`) is one Meta-World task, and carrying it out
is one episode of that task, started afresh from a seed (Meta-World's tasks are separate
scenes, so the station does not carry a drawer's state from one skill to the next).

A :class:`StationHome` puts a station into a HomeSim home and is the one
:class:`~skills.types.RobotEnv` the executor drives: home skills (navigate, pick...) step
HomeSim; station skills step the active Meta-World scene. Both run at Meta-World's 80 Hz
on the home's clock, so one executor rate and one time line serve the whole plan. A plan
reaches the station like any fixture: ``navigate(counter)``, then
``station_press_coffee_button``; a station skill refuses to start (``PolicyError``) when
the robot is not within reach of the station's fixture.

While the arm works, the home stands still (its residents' routines catch up when the robot
leaves the station: :meth:`HomeSimEnv.idle_until`), and observations are the station's
camera image and arm state plus the home's detections (people in the kitchen stay in view
for the safety guard) and the station thing the skill changes.
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np

from housemind.sim.metaworld.skills import (
    STATION_SKILLS,
    StationSkill,
    register_station_skills,
    station_skill,
)
from housemind.skills.policies.base import PolicyError
from housemind.skills.spec import REGISTRY, SkillRegistry
from housemind.skills.types import REACH_M, Detection, Observation

if TYPE_CHECKING:
    from housemind.safety.action_layout import ActionLayout
    from housemind.scheduler.clock import SimClock
    from housemind.sim.home.env import HomeSimEnv
    from housemind.sim.metaworld.env import MetaWorldEnv
    from housemind.sim.metaworld.rendering import RenderSettings
    from housemind.skills.policies.base import Policy

__all__ = ["STATION_HZ", "KitchenStation", "StationHome"]

logger = logging.getLogger(__name__)

#: Meta-World's control rate (5 physics steps of 2.5 ms); a home hosting a station runs at it.
STATION_HZ = 80.0


class KitchenStation:
    """A worktop whose scenes are Meta-World tasks.

    Args:
        fixture: The home fixture the station stands at (the robot must be near it).
        room: The room of that fixture.
        position: ``(x, y)`` of the fixture in the home (m), for the detections it reports.
        clock: The clock the scenes advance (the home's).
        image_size: Camera image side (pixels).
        seed: Base seed: the n-th skill the station runs is an episode with seed
            ``seed + n``, so a household run is reproducible.
        render_settings: Visual quality of the scenes (default: the cheap settings).
    """

    def __init__(
        self,
        *,
        fixture: str = "counter",
        room: str = "kitchen",
        position: tuple[float, float] = (0.0, 0.0),
        clock: SimClock | None = None,
        image_size: int = 128,
        seed: int = 0,
        render_settings: RenderSettings | None = None,
    ) -> None:
        self.fixture = fixture
        self.room = room
        self.position = (float(position[0]), float(position[1]))
        self.clock = clock
        self.image_size = int(image_size)
        self.seed = int(seed)
        self.render_settings = render_settings
        self.episodes = 0
        self._envs: dict[str, MetaWorldEnv] = {}
        self.active: MetaWorldEnv | None = None
        self.active_skill: StationSkill | None = None

    @property
    def skills(self) -> list[str]:
        """The station's skill names."""
        return list(STATION_SKILLS)

    def scene(self, task: str) -> MetaWorldEnv:
        """The (cached) Meta-World env of ``task``, built on first use."""
        env = self._envs.get(task)
        if env is None:
            from housemind.sim.metaworld.env import MetaWorldEnv

            logger.info("kitchen station: loading the %s scene", task)
            env = MetaWorldEnv(
                task,
                image_size=self.image_size,
                clock=self.clock,
                room=self.room,
                render_settings=self.render_settings,
            )
            self._envs[task] = env
        return env

    def begin(self, skill: str) -> MetaWorldEnv:
        """Start a fresh episode of the task behind ``skill`` and make it the active scene.

        Raises:
            KeyError: if the station has no such skill.
        """
        s = station_skill(skill)
        env = self.scene(s.task)
        env.reset(seed=self.seed + self.episodes)
        self.episodes += 1
        self.active, self.active_skill = env, s
        return env

    def detection(self, robot_xy: tuple[float, float] | None = None) -> Detection | None:
        """What the station shows of the thing the active skill changes, if any is active."""
        env, s = self.active, self.active_skill
        if env is None or s is None:
            return None
        state, rel = s.state(env.solved)
        if rel is not None:
            rel = (rel[0], rel[1].format(station=self.fixture))
        x, y = self.position
        dist = 0.0 if robot_xy is None else math.hypot(x - robot_xy[0], y - robot_xy[1])
        return Detection(
            name=s.thing,
            kind=s.kind,
            category="object" if s.category == "object" else "fixture",
            position=(x, y),
            distance=dist,
            room=self.room,
            relation=rel,
            state=state,
        )

    def close(self) -> None:
        """Close every loaded scene."""
        for env in self._envs.values():
            env.close()
        self._envs.clear()
        self.active = self.active_skill = None


class StationHome:
    """A HomeSim home with a kitchen station: one :class:`RobotEnv` for a household plan.

    Attribute access falls through to the HomeSim env (``fixtures``, ``rooms``, ``clock``,
    ``presence``...), so the runtime and tests use it like a home.

    Args:
        home: The HomeSim env; it must run at :data:`STATION_HZ` (``control_hz=80``).
        fixture: The home fixture the station stands at.
        image_size: Station camera image side (pixels).
        seed: Base seed of the station's episodes.
        registry: Where to register the station's skills (default: the global registry).
        render_settings: Visual quality of the station's scenes.

    Raises:
        ValueError: if the home runs at another rate or has no such fixture.
    """

    def __init__(
        self,
        home: HomeSimEnv,
        *,
        fixture: str = "counter",
        image_size: int = 128,
        seed: int = 0,
        registry: SkillRegistry | None = None,
        render_settings: RenderSettings | None = None,
    ) -> None:
        if abs(float(home.control_hz) - STATION_HZ) > 1e-9:
            raise ValueError(
                f"the home runs at {home.control_hz:g} Hz but the kitchen station at "
                f"{STATION_HZ:g} Hz (Meta-World's rate); build HomeSimEnv(control_hz=80.0)"
            )
        fixtures = home.fixtures
        if fixture not in fixtures:
            raise ValueError(
                f"this home has no fixture {fixture!r} for the kitchen station; it has "
                f"{', '.join(sorted(fixtures))}"
            )
        fx0, fy0, fx1, fy1 = fixtures[fixture]["footprint"]
        self.home = home
        self.station = KitchenStation(
            fixture=fixture,
            room=fixtures[fixture]["room"],
            position=((fx0 + fx1) / 2.0, (fy0 + fy1) / 2.0),
            clock=home.clock,
            image_size=image_size,
            seed=seed,
            render_settings=render_settings,
        )
        self.control_hz = STATION_HZ
        self.at_station = False
        self._arm_layout: ActionLayout | None = None
        register_station_skills(registry if registry is not None else REGISTRY)

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not found here: the home answers the rest. Not its
        # rate: the station runs at Meta-World's, so an executor must follow this env's.
        if name in ("home", "station", "set_control_hz"):
            raise AttributeError(name)
        return getattr(self.home, name)

    @property
    def action_dim(self) -> int:
        """The active part's action size: 4 at the station (arm), HomeSim's otherwise."""
        return 4 if self.at_station else int(self.home.action_dim)

    @property
    def action_layout(self) -> ActionLayout:
        """What each action entry means now, for the safety guard.

        At the station the arm's (standing where the robot stopped in the home, so the
        guard measures its distance to people there), elsewhere the home's base.
        """
        if self.at_station and self._arm_layout is not None:
            return self._arm_layout
        return self.home.action_layout

    # -- switching between the home and the station ---------------------------------------

    def enter_station(self, skill: str) -> MetaWorldEnv:
        """Start ``skill``'s scene and route actions and observations to it.

        Policy backends other than ``scripted`` call this before driving a station skill
        (the scripted backend does it through :meth:`expert`).

        Raises:
            PolicyError: if the robot is not within reach of the station's fixture, or the
                skill is not the station's.
        """
        try:
            station_skill(skill)
        except KeyError as e:
            raise PolicyError(str(e)) from None
        d = self._distance_to_station()
        if d > REACH_M:
            raise PolicyError(
                f"the robot is {d:.1f} m from the {self.station.fixture}, out of the kitchen "
                f"station's reach ({REACH_M:g} m); navigate to the {self.station.fixture} first"
            )
        env = self.station.begin(skill)
        rb = self.home.world.robot
        self._arm_layout = replace(env.action_layout, at_xy=(float(rb.x), float(rb.y)))
        self.at_station = True
        return env

    def leave_station(self) -> None:
        """Route actions back to the home; its routines catch up with the clock."""
        if self.at_station:
            self.at_station = False
            self.home.idle_until(self.home.clock.now())

    def _distance_to_station(self) -> float:
        for d in self.home.observe().detections:
            if d.name == self.station.fixture:
                return d.distance
        x, y = self.station.position
        rb = self.home.world.robot
        return math.hypot(x - rb.x, y - rb.y)

    # -- RobotEnv -------------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict | None = None
    ) -> tuple[dict[str, np.ndarray], dict]:
        """Reset the home; the robot leaves the station."""
        self.at_station = False
        self.station.active = self.station.active_skill = None
        return self.home.reset(seed=seed, options=options)

    def step(self, action: np.ndarray) -> tuple[dict[str, np.ndarray], float, bool, bool, dict]:
        """One control tick of the active part (the home or the station's scene)."""
        if self.at_station:
            assert self.station.active is not None
            return self.station.active.step(action)
        return self.home.step(action)

    def observe(self) -> Observation:
        """The active part's observation.

        At the station: the station camera's image, the arm's state, the home's detections
        (people stay in view) and the thing the skill changes; elsewhere: the home's.
        """
        if not self.at_station:
            return self.home.observe()
        assert self.station.active is not None
        obs = self.station.active.observe()
        home_obs = self.home.observe()
        rb = home_obs.proprio
        thing = self.station.detection((rb.x, rb.y))
        obs.detections = [d for d in home_obs.detections if thing is None or d.name != thing.name]
        if thing is not None:
            obs.detections.append(thing)
        obs.proprio.room = rb.room or self.station.room
        return obs

    def render(self) -> np.ndarray:
        """The station's camera at the station, the home's top-down picture elsewhere."""
        if self.at_station and self.station.active is not None:
            return self.station.active.render()
        return self.home.render()

    def expert(self, skill: str, args: dict[str, Any]) -> Policy:
        """The station's expert for a station skill, the home's otherwise.

        Raises:
            PolicyError: a station skill while the robot is out of reach.
            KeyError: when neither has an expert for ``skill``.
        """
        if skill in STATION_SKILLS:
            from housemind.sim.metaworld.experts import MetaWorldExpert

            return MetaWorldExpert(self.enter_station(skill))
        self.leave_station()
        return self.home.expert(skill, args)

    def close(self) -> None:
        """Close the station's scenes and the home."""
        self.station.close()
        self.home.close()
