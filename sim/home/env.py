"""HomeSimEnv: the household world as a gymnasium environment and a :class:`RobotEnv`.

The env owns the advance of its clock: every :meth:`HomeSimEnv.step` moves it one control
tick, and :meth:`HomeSimEnv.idle_until` jumps it forward while the robot idles. Timed things
(residents' routines, the washer cycle, washing under the faucet) are events processed
when the clock passes them, so a jump of a week costs a few hundred event updates, not
thirty million ticks.
"""

from __future__ import annotations

import functools
import math
import random
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from housemind.scheduler.clock import SimClock
from housemind.sim.home import housework
from housemind.sim.home.following import StatedDay, follow_routine
from housemind.sim.home.geometry import segment_blocked, wrap_angle
from housemind.sim.home.interactions import held_state, interact
from housemind.sim.home.layout import (
    GRIPPER_OFFSET,
    RESIDENT_RADIUS,
    ROBOT_RADIUS,
    HomeLayout,
)
from housemind.sim.home.occupancy import PLAN_CLEARANCE, occupancy_for
from housemind.sim.home.perception import Camera, detect
from housemind.sim.home.placement import free_slots, put_in_fixture
from housemind.sim.home.plans import apply_start_state, load_plan
from housemind.sim.home.processes import Processes
from housemind.sim.home.residents import PET_KINDS, Resident, ResidentSim, residents_for
from housemind.sim.home.world import (
    FixtureState,
    ObjectState,
    ResidentState,
    RobotState,
    SpillState,
    WorldState,
)
from housemind.skills.types import REACH_M, Observation, Proprio

if TYPE_CHECKING:
    from housemind.safety.action_layout import ActionLayout
    from housemind.skills.policies.base import Policy

__all__ = ["DEFAULT_START", "HomeSimEnv"]

#: Monday 23 November 2026, 06:00 (UTC): the default simulated start.
DEFAULT_START = datetime(2026, 11, 23, 6, 0)
MAX_SPEED = 0.8  # m/s per unit of vx, vy
MAX_TURN = 2.0  # rad/s per unit of wz
WASHER_CYCLE_S = 45 * 60.0  # the v1 washer's programme (the catalogue's washer cycle_s)
_STATE_VERSION = 2  # 2: records the home plan and furniture seed (1: the v1 apartment)
_BLOCK2 = (ROBOT_RADIUS + RESIDENT_RADIUS) ** 2


def _clip(v: float) -> float:
    if v != v:  # NaN: treat a broken command as "do nothing"
        return 0.0
    return -1.0 if v < -1.0 else (1.0 if v > 1.0 else v)


def _rng_to_json(state: tuple) -> list:
    return [state[0], list(state[1]), state[2]]


def _rng_from_json(state: list) -> tuple:
    return (state[0], tuple(state[1]), state[2])


class HomeSimEnv(gym.Env):
    """A small apartment with one resident, for a mobile manipulator.

    Action ``float32[7]`` in ``[-1, 1]``: ``[vx, vy, wz, grip, articulate, switch, use]``
    (a v1 ``float32[6]`` without ``use`` is accepted too, as ``use = 0``).
    ``vx, vy`` are robot-frame base velocity (× 0.8 m/s), ``wz`` yaw rate (× 2 rad/s).
    ``grip > 0.5`` closes the gripper (grasping the graspable object nearest the gripper
    point, if within ``REACH_M``), ``grip < -0.5`` opens it (releasing the held object
    on/in the fixture in reach nearest the gripper point, else onto the floor).
    ``articulate`` opens (> 0.5) / closes (< -0.5), and ``switch`` turns on / off, the
    openable / switchable fixture in reach nearest the gripper point. ``use > 0.5``
    applies the held object to what is under the gripper point: pour it, scrub it under
    the running faucet, wipe with it, fold it (see :mod:`sim.home.interactions`; a
    container held under a running faucet fills without ``use``).

    Args:
        clock: Simulated clock to drive; a new one at :data:`DEFAULT_START` if None.
        control_hz: Control ticks per simulated second.
        image_size: Side of the egocentric image in pixels.
        obs_mode: ``"state"`` (proprio only, fast) or ``"rgb"`` (proprio and image).
        seed: Seed of the first reset (the world is reset at construction).
        render_mode: Only ``"rgb_array"`` (the top-down picture for people).
        layout: Floor plan; wins over ``home`` and ``furniture_seed`` when given.
        home: Floor plan by name (:func:`sim.home.plans.plan_names`); the v1 apartment
            by default.
        furniture_seed: Rearranges the plan's movable furniture (None: as drawn); the
            same seed gives the same home.
        household: Who lives here, e.g. ``("adult", "child", "dog")``
            (:func:`sim.home.residents.make_household`); the plan's household if None
            (the v1 apartment keeps v1's alex).
    """

    metadata = {"render_modes": ["rgb_array"], "render_fps": 10}
    action_dim = 7
    #: Names of the action entries (recorded with datasets).
    action_names = ("vx", "vy", "wz", "grip", "articulate", "switch", "use")

    def __init__(
        self,
        clock: SimClock | None = None,
        *,
        control_hz: float = 50.0,
        image_size: int = 64,
        obs_mode: Literal["state", "rgb"] = "state",
        seed: int | None = None,
        render_mode: str | None = "rgb_array",
        layout: HomeLayout | None = None,
        home: str = "apartment",
        furniture_seed: int | None = None,
        household: Sequence[str] | None = None,
    ) -> None:
        if obs_mode not in ("state", "rgb"):
            raise ValueError(f"obs_mode must be 'state' or 'rgb', got {obs_mode!r}")
        if control_hz <= 0:
            raise ValueError(f"control_hz must be > 0, got {control_hz}")
        if render_mode not in (None, "rgb_array"):
            raise ValueError(f"render_mode must be 'rgb_array' or None, got {render_mode!r}")
        self.clock = clock if clock is not None else SimClock(DEFAULT_START, "UTC")
        self.control_hz = float(control_hz)
        self.image_size = int(image_size)
        self.obs_mode = obs_mode
        self.render_mode = render_mode
        self.layout = layout or load_plan(home, furniture_seed)
        #: Plan name and furniture seed of the layout (recorded in checkpoints).
        self.home = self.layout.name
        self.furniture_seed = self.layout.furniture_seed
        self.occupancy = occupancy_for(self.layout)
        self._camera = Camera(self.layout, self.image_size)
        self._proc = Processes(self.layout)
        self._residents = ResidentSim(
            self.layout,
            residents_for(self.layout, household),
            start=self.clock.start,
            processes=self._proc,
        )
        #: Residents' routines before any :meth:`follow_routines` (by name).
        self._own_routines: dict[str, Resident] = {}
        self._dt = 1.0 / self.control_hz
        self.action_space = spaces.Box(-1.0, 1.0, shape=(7,), dtype=np.float32)
        v = MAX_SPEED * math.sqrt(2.0)
        lo = np.array([0, 0, -1, -1, -v, -v, -MAX_TURN, 0], dtype=np.float32)
        hi = np.array(
            [self.layout.width, self.layout.height, 1, 1, v, v, MAX_TURN, 1], dtype=np.float32
        )
        obs_spaces: dict[str, spaces.Space] = {"proprio": spaces.Box(lo, hi, dtype=np.float32)}
        if obs_mode == "rgb":
            s = self.image_size
            obs_spaces["image"] = spaces.Box(0, 255, shape=(s, s, 3), dtype=np.uint8)
        self.observation_space = spaces.Dict(obs_spaces)
        self._first_seed = seed
        self._sensor_rng = random.Random(0)
        self.misplaced: list[str] = []
        self._seed = 0
        self._room = ""
        self._blockers: list[tuple[float, float]] = []
        self._walking = False  # someone is walking: step moves them (see _move_residents)
        self._new_world(seed if seed is not None else 0, None)

    # -- gymnasium API ------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[dict[str, np.ndarray], dict]:
        """Randomise the home (deterministically per seed); the clock is not rewound.

        Args:
            seed: World seed. Without one, the constructor's seed is used on the first
                reset and a seed drawn from ``np_random`` afterwards.
            options: ``{"time": datetime}`` sets the clock first (it may go backwards);
                ``{"robot_pose": (x, y, theta)}`` places the robot; ``{"random_robot":
                True}`` starts it at a random free pose (else it starts at its dock).

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
        options = options or {}
        if "time" in options:
            when = options["time"]
            if when.tzinfo is None:
                when = when.replace(tzinfo=self.clock.tz)
            self.clock.set_elapsed((when - self.clock.start).total_seconds())
        self._new_world(int(seed), options)
        return self._gym_obs(), self._info()

    def step(self, action: np.ndarray) -> tuple[dict[str, np.ndarray], float, bool, bool, dict]:
        """Apply one action for one control tick; see the class docstring.

        Returns:
            ``(obs, 0.0, False, False, info)``.
        """
        a = action.tolist() if isinstance(action, np.ndarray) else list(action)
        if len(a) != 7:
            if len(a) != 6:
                raise ValueError(
                    f"HomeSim actions have 7 entries [vx, vy, wz, grip, articulate, "
                    f"switch, use] (or the 6 of v1, without use), got {len(a)}"
                )
            a.append(0.0)
        rb = self.world.robot
        dt = self._dt
        th = rb.theta
        c, s = math.cos(th), math.sin(th)
        ux, uy, uw = _clip(a[0]) * MAX_SPEED, _clip(a[1]) * MAX_SPEED, _clip(a[2]) * MAX_TURN
        x0, y0 = rb.x, rb.y
        if ux or uy:
            dx, dy = (c * ux - s * uy) * dt, (s * ux + c * uy) * dt
            ok = self._ok
            if ok(x0 + dx, y0 + dy):
                rb.x, rb.y = x0 + dx, y0 + dy
            elif dx and ok(x0 + dx, y0):  # slide along whatever blocks the other axis
                rb.x = x0 + dx
            elif dy and ok(x0, y0 + dy):
                rb.y = y0 + dy
        rb.theta = wrap_angle(th + uw * dt)
        mx, my = (rb.x - x0) / dt, (rb.y - y0) / dt
        rb.vx, rb.vy, rb.wz = c * mx + s * my, -s * mx + c * my, uw
        g, art, sw = a[3], a[4], a[5]
        if g > 0.5:
            rb.gripper = 1.0
            if rb.held is None:
                self._grasp()
        elif g < -0.5:
            rb.gripper = 0.0
            if rb.held is not None:
                self._release()
        if art > 0.5 or art < -0.5:
            self._articulate(art > 0.5)
        if sw > 0.5 or sw < -0.5:
            self._switch(sw > 0.5)
        use = a[6] > 0.5
        if rb.held is not None:
            interact(self, use, dt, (x0 + GRIPPER_OFFSET * c, y0 + GRIPPER_OFFSET * s))
        elif use:  # use with an empty gripper: the vacuum brush under the robot
            housework.vacuum(self, (x0, y0), (rb.x, rb.y))
        self.clock.advance(dt)
        if self.clock.elapsed >= self._next_event_s:
            self._process_events()
        elif self._walking:
            self._move_residents()
        return self._gym_obs(), 0.0, False, False, self._info()

    def set_control_hz(self, hz: float) -> None:
        """Run at ``hz`` control ticks per simulated second (the executor's rate).

        Raises:
            ValueError: if ``hz`` is not a positive number.
        """
        if not (hz > 0 and math.isfinite(hz)):
            raise ValueError(f"control_hz must be > 0, got {hz}")
        self.control_hz = float(hz)
        self._dt = 1.0 / self.control_hz

    def render(self) -> np.ndarray:
        """A labelled top-down picture of the whole home, ``uint8[H, W, 3]``."""
        from housemind.sim.home.render import render_home

        self._sync()
        return render_home(self.layout, self.world, self.clock.now())

    # -- RobotEnv -----------------------------------------------------------------------

    def observe(self, image: bool = True) -> Observation:
        """Egocentric image, proprioception and detections (with line of sight) now.

        Args:
            image: Render the camera. False gives an empty ``uint8[0, 0, 3]`` image, for
                controllers that read only detections and body state (the executor asks
                for this between action chunks of a privileged expert).
        """
        self._sync()
        dets = detect(self.layout, self.world, self._sensor_rng, now_s=self.clock.elapsed)
        if "_readables" in self.__dict__:  # notes, signs, screens (sim/home/readables.py)
            from housemind.sim.home.readables import readable_detections

            dets += readable_detections(self)
        picture = self._camera.image(self.world, dets) if image else np.zeros((0, 0, 3), np.uint8)
        return Observation(
            time=self.clock.now(), image=picture, proprio=self._proprio(), detections=dets
        )

    def presence(self) -> list[str]:
        """Names of the people at home now (a presence sensor, like a smart lock).

        Pets are not people: they cannot answer a question or approve a chore.
        """
        self._sync()
        return [n for n, p in self.world.residents.items() if p.home and p.kind not in PET_KINDS]

    def pets(self) -> dict[str, str]:
        """The household's pets, name -> kind (``{"rex": "dog"}``), home or out.

        What a household tells its robot at set-up, like who lives there: a planner reads
        "feed rex" as feeding the pet.
        """
        return {n: p.kind for n, p in self.world.residents.items() if p.kind in PET_KINDS}

    def follow_routines(self, stated: Mapping[str, Mapping[int, StatedDay]]) -> list[str]:
        """Have the residents live, from now on, the routines their people stated.

        See :mod:`sim.home.following`. ``"owner"`` (and ``"me"``) is the household's first
        adult; other names must be a resident's name. Calling it again with the same
        routines changes nothing, so a resumed run does it again after restoring.

        Args:
            stated: ``{person: {weekday (0 = Monday): StatedDay}}``.

        Returns:
            What was not followed, in words (unknown people, times no day can have).
        """
        self._sync()  # what was due under the old routines happened under them
        residents = self._residents.residents
        adults = [n for n, r in residents.items() if r.kind == "adult"]
        notes: list[str] = []
        followed: set[str] = set()
        for person, days in stated.items():
            name = adults[0] if person in ("owner", "me") and adults else person
            r = residents.get(name)
            if r is None or r.kind in PET_KINDS:
                notes.append(f"{person}: nobody of that name lives in this home; not followed")
                continue
            base = self._own_routines.setdefault(name, r)  # always from their own routine
            followed.add(name)
            new, said = follow_routine(base, days)
            notes += [f"{name}: {n}" for n in said]
            if new != r:
                self._residents.set_routine(new)
        for name, own in self._own_routines.items():
            if name not in followed and residents[name] != own:
                self._residents.set_routine(own)  # nothing stated any more: their own again
        self._next_boundary = self._residents.next_boundary(self.clock.now())
        self._refresh_events()
        return notes

    def speak(self, text: str) -> list[str]:
        """Say ``text`` through the robot's loudspeaker; the names of the people who heard.

        People awake at home in the robot's room, within earshot and not behind a wall,
        hear it (see :mod:`sim.home.housework`); the robot sees that they did (a person's
        detection carries ``heard_s``, the seconds since they last heard it).
        """
        if not text.strip():
            raise ValueError("say something: the text is empty")
        return housework.speak(self, text.strip())

    def idle_until(self, when: datetime) -> None:
        """Let time pass with the robot standing still, applying everything it implies.

        Args:
            when: Target time (naive values are in the clock's time zone); earlier times
                only process events that are already due.
        """
        if when.tzinfo is None:
            when = when.replace(tzinfo=self.clock.tz)
        rb = self.world.robot
        rb.vx = rb.vy = rb.wz = 0.0
        self.clock.advance_to(when)
        self._process_events()

    def expert(self, skill: str, args: dict[str, Any]) -> Policy:
        """A privileged controller for ``skill`` (see :mod:`sim.home.experts`).

        Raises:
            KeyError: naming the known experts, if there is none for ``skill``.
        """
        from housemind.sim.home.experts import make_expert

        return make_expert(self, skill, args)

    # -- checkpoints --------------------------------------------------------------------

    def get_state(self) -> dict:
        """Everything needed to resume bit-for-bit, JSON-serialisable."""
        self._sync()
        self._update_held()
        npr = self._np_random.bit_generator.state if self._np_random is not None else None
        return {
            "version": _STATE_VERSION,
            "home": self.home,
            "furniture_seed": self.furniture_seed,
            "seed": self._seed,
            "clock_start": self.clock.start.isoformat(),
            "clock_elapsed": self.clock.elapsed,
            # The rate the state was stepped at; set_state leaves the rate to whoever
            # drives the env (the executor), but a copy of it (a policy server) needs it.
            "control_hz": self.control_hz,
            "next_boundary": self._next_boundary.isoformat(),
            "misplaced": list(self.misplaced),
            "world": self.world.to_dict(),
            "sensor_rng": _rng_to_json(self._sensor_rng.getstate()),
            "np_random": npr,
        }

    def set_state(self, state: dict) -> None:
        """Restore a :meth:`get_state` checkpoint (also sets the clock).

        Version-1 checkpoints (written before plans existed) are of the v1 apartment.

        Raises:
            ValueError: if the checkpoint is of an unknown version, another home or
                furniture arrangement, or another clock start.
        """
        if state.get("version") not in (1, _STATE_VERSION):
            raise ValueError(
                f"HomeSim checkpoint version {state.get('version')!r} is not "
                f"{_STATE_VERSION} (or 1); it was written by another HomeSim"
            )
        home = state.get("home", "apartment")
        furniture = state.get("furniture_seed")
        if (home, furniture) != (self.home, self.furniture_seed):
            raise ValueError(
                f"checkpoint is of home {home!r} with furniture seed {furniture!r}, this env "
                f"is {self.home!r} with {self.furniture_seed!r}; build the env with "
                f"HomeSimEnv(home={home!r}, furniture_seed={furniture!r})"
            )
        start = datetime.fromisoformat(state["clock_start"])
        if start != self.clock.start:
            raise ValueError(
                f"checkpoint clock started at {start.isoformat()}, this env's "
                f"clock at {self.clock.start.isoformat()}; build the env with "
                "a SimClock of the same start"
            )
        self.clock.set_elapsed(state["clock_elapsed"])
        self._seed = int(state["seed"])
        self.misplaced = list(state["misplaced"])
        self.world = WorldState.from_dict(state["world"])
        if "process_s" not in state["world"]:  # a v1 checkpoint: no processes ran
            self.world.process_s = self.clock.elapsed
        self._proc.seed = self._seed
        self._proc.replan(self.world)
        self._sensor_rng.setstate(_rng_from_json(state["sensor_rng"]))
        if state.get("np_random") is not None:
            self.np_random.bit_generator.state = state["np_random"]
        self._next_boundary = datetime.fromisoformat(state["next_boundary"])
        self._refresh_events()
        self._room = ""

    @functools.cached_property
    def action_layout(self) -> ActionLayout:
        """What each action entry means, for the safety guard: a mobile base's velocity.

        The guard reads it every tick: it is looked up once per env.
        """
        from housemind.safety.action_layout import HOMESIM_ACTION_LAYOUT

        return HOMESIM_ACTION_LAYOUT

    # -- privileged read-only helpers (tests, demo summaries; never the agent) ---------

    @property
    def rooms(self) -> dict[str, list[float]]:
        """Room name -> ``[x0, y0, x1, y1]``."""
        return {n: r.rect.as_list() for n, r in self.layout.rooms.items()}

    @property
    def fixtures(self) -> dict[str, dict]:
        """Fixture name -> kind, room, openable, switchable, container, surface, footprint."""
        return {n: f.info() for n, f in self.layout.fixtures.items()}

    @property
    def objects(self) -> dict[str, dict]:
        """Object name -> kind, location, dirty, position and home ``(relation, fixture)``."""
        self._update_held()
        return {
            n: {
                "kind": o.kind,
                "location": self.object_location(n),
                "dirty": o.dirty,
                "position": (o.x, o.y),
                "home": self.layout.objects[n].home,
            }
            for n, o in self.world.objects.items()
        }

    def conventions(self) -> dict[str, tuple[str, str]]:
        """Where each thing belongs, as the household would tell a new helper.

        ``{"keys": ("on", "shoe_rack"), "milk": ("in", "fridge"), ...}``: the plan's
        ``home`` of every object. It is what people say at set-up ("the keys go on the
        shoe rack"), not where anything is now; the agent stores it in memory as the
        household's preferences (``belongs_on``), never reads it while planning.
        """
        return {n: tuple(o.home) for n, o in self.layout.objects.items()}  # type: ignore[misc]

    def object_location(self, name: str) -> tuple[str, str]:
        """Where object ``name`` is.

        Returns ``(on|in, fixture)``, ``("floor", room)``, ``("held", "robot")`` or
        ``("with", person)`` (a resident is using it).

        Raises:
            KeyError: for an unknown object.
        """
        try:
            o = self.world.objects[name]
        except KeyError:
            raise KeyError(
                f"no object {name!r} in HomeSim; objects: {', '.join(self.world.objects)}"
            ) from None
        return (o.relation, o.place)

    def fixture_state(self, name: str) -> dict[str, bool]:
        """``{"open": ...}`` for openable and ``{"on": ...}`` for switchable fixtures.

        Raises:
            KeyError: for an unknown fixture.
        """
        spec = self.layout.fixtures.get(name)
        if spec is None:
            raise KeyError(
                f"no fixture {name!r} in HomeSim; fixtures: {', '.join(self.layout.fixtures)}"
            )
        fs = self.world.fixtures[name]
        out = {}
        if spec.openable:
            out["open"] = fs.open
        if spec.switchable:
            out["on"] = fs.on
        return out

    def is_free(self, x: float, y: float, clearance: float = 0.0) -> bool:
        """True if the robot could stand at ``(x, y)`` (walls, furniture and people)."""
        if not self.occupancy.is_free(x, y) or (
            self.occupancy.clearance(x, y) < ROBOT_RADIUS + clearance
        ):
            return False
        lim = (ROBOT_RADIUS + RESIDENT_RADIUS + clearance) ** 2
        return all((x - px) ** 2 + (y - py) ** 2 >= lim for px, py in self._blockers)

    def set_robot_pose(self, x: float, y: float, theta: float) -> None:
        """Teleport the robot (tests and scenario set-up).

        Raises:
            ValueError: if the pose collides with a wall, fixture or person.
        """
        if not self.is_free(x, y):
            raise ValueError(f"robot pose ({x:.2f}, {y:.2f}) collides with the home")
        rb = self.world.robot
        rb.x, rb.y, rb.theta = float(x), float(y), wrap_angle(float(theta))
        rb.vx = rb.vy = rb.wz = 0.0
        self._room = ""

    def place_person(
        self, name: str, x: float, y: float, *, kind: str = "child", activity: str = "visiting"
    ) -> None:
        """Put a person (a visiting child, a guest) at ``(x, y)``, or move them there.

        They are not part of the residents' routines: they stay until moved or removed
        (scenario set-up: "a child walks into the kitchen").
        """
        st = self.world.residents.get(name)
        if st is not None and name in self._residents.residents:
            raise ValueError(f"{name!r} is a resident with a routine; place someone else")
        room = self.layout.room_at(x, y)
        if st is None:
            self.world.residents[name] = ResidentState(
                kind=kind, home=True, room=room, x=float(x), y=float(y), activity=activity
            )
        else:
            st.x, st.y, st.room, st.home = float(x), float(y), room, True
        self._refresh_events()

    def remove_person(self, name: str) -> None:
        """Take a person placed with :meth:`place_person` out of the home."""
        if name in self._residents.residents:
            raise ValueError(f"{name!r} is a resident with a routine")
        self.world.residents.pop(name, None)
        self._refresh_events()

    def add_spill(
        self, name: str, x: float, y: float, *, radius: float = 0.3, kind: str = "spill"
    ) -> None:
        """Spill something on the floor at ``(x, y)``; the robot sees it as a ``hazard``."""
        if radius <= 0:
            raise ValueError(f"radius must be > 0, got {radius}")
        self.world.spills[name] = SpillState(float(x), float(y), float(radius), kind)

    def make_way(self, name: str) -> bool:
        """Ask person ``name`` to let the robot past; True if they step aside.

        They walk to open floor of the same room out of the robot's way (see
        :meth:`~sim.home.residents.ResidentSim.make_way`); pets and people away, walking or
        placed with :meth:`place_person` do not.
        """
        self._sync()
        moved = self._residents.make_way(self.world, name, self.clock.elapsed)
        self._refresh_events()
        return moved

    def clean_spill(self, name: str) -> None:
        """Remove a spill (someone mopped it up)."""
        self.world.spills.pop(name, None)

    def set_fixture(self, name: str, *, on: bool | None = None, open: bool | None = None) -> None:
        """Open/close and switch fixture ``name`` as the robot would (scenario set-up).

        Goes through the same processes as the robot's actions: a programme starts its
        timer, a door-interlocked appliance does not start while open and pauses when
        opened, a faucet arms its wash and flood timers (see :mod:`sim.home.processes`).
        Opening happens before switching.

        Raises:
            KeyError: for an unknown fixture.
            ValueError: for a fixture that cannot be opened or switched.
        """
        spec = self.layout.fixtures.get(name)
        if spec is None:
            raise KeyError(
                f"no fixture {name!r} in HomeSim; fixtures: {', '.join(self.layout.fixtures)}"
            )
        if open is not None and not spec.openable:
            raise ValueError(f"the {name} ({spec.kind}) cannot be opened or closed")
        if on is not None and not spec.switchable:
            raise ValueError(f"the {name} ({spec.kind}) has no switch")
        self._sync()
        fs = self.world.fixtures[name]
        if open is not None and fs.open != open:
            self._proc.set_open(self.world, name, open, self.clock.elapsed)
        if on is not None and fs.on != on:
            self._proc.switch(self.world, name, on, self.clock.elapsed)
        self._refresh_events()

    # -- internals ----------------------------------------------------------------------

    def _new_world(self, seed: int, options: dict | None) -> None:
        options = options or {}
        lay = self.layout
        rng = random.Random(seed)
        self._seed = seed
        self._sensor_rng = random.Random(seed * 7919 + 17)
        world = WorldState(robot=RobotState(*lay.dock))
        world.fixtures = {n: FixtureState() for n in lay.fixtures}
        misplaceable = [n for n, o in lay.objects.items() if o.misplaceable]
        lo, hi = lay.misplace_count
        self.misplaced = sorted(
            rng.sample(misplaceable, rng.choice(tuple(range(lo, hi + 1)))),
            key=list(lay.objects).index,
        )
        for name, spec in lay.objects.items():
            world.objects[name] = ObjectState(
                kind=spec.kind, relation="floor", place="", x=0.0, y=0.0
            )
        for name, spec in lay.objects.items():
            if name in self.misplaced:
                self._misplace(world, name, rng)
                continue
            places = [(f, w) for f, w in spec.places if free_slots(lay, world, f, name)]
            if not places:  # everything plausible is full: any surface with room will do
                places = [
                    (f, 1.0)
                    for f, fs in lay.fixtures.items()
                    if fs.surface and free_slots(lay, world, f, name)
                ]
            fixture = rng.choices([p[0] for p in places], [p[1] for p in places])[0]
            slot = rng.choice(free_slots(lay, world, fixture, name))
            put_in_fixture(lay, world, name, fixture, near=slot)
        apply_start_state(lay, world, seed)
        frng = random.Random(f"{seed}:floors")  # its own stream: the v1 draws stay as they were
        world.floor_dirt = {r: round(frng.uniform(0.0, 0.08), 3) for r in lay.rooms}
        world.floor_s = self.clock.elapsed
        for name, f in lay.fixtures.items():
            if f.kind == "pet_bowl_mat":  # the household filled the bowl this morning
                world.fixtures[name].fill, world.fixtures[name].liquid = 1.0, "pet_food"
        self.world = world
        self._proc.settle(world, self.clock.elapsed, seed)
        self._residents.initial(world, self.clock.now(), seed)
        self._next_boundary = self._residents.next_boundary(self.clock.now())
        self._refresh_events()
        if "robot_pose" in options:
            self.set_robot_pose(*options["robot_pose"])
        elif options.get("random_robot"):
            self._random_robot(rng)
        self._room = ""

    def _misplace(self, world: WorldState, name: str, rng: random.Random) -> None:
        """Leave ``name`` where the plan says things get left: on a surface or the floor.

        With one misplace surface and room (the v1 apartment: the sofa and the living
        room) this draws exactly what v1 drew, so v1 worlds are unchanged.
        """
        lay = self.layout
        surfaces, rooms = lay.misplace_surfaces, lay.misplace_rooms
        if surfaces and rng.random() < 0.5:
            surface = surfaces[0] if len(surfaces) == 1 else rng.choice(surfaces)
            slots = free_slots(lay, world, surface, name)
            if slots:
                put_in_fixture(lay, world, name, surface, near=rng.choice(slots))
                return
        room = rooms[0] if len(rooms) == 1 else rng.choice(rooms)
        r = lay.rooms[room].rect
        for _ in range(500):
            x, y = rng.uniform(r.x0, r.x1), rng.uniform(r.y0, r.y1)
            # Far enough from furniture that the robot can stand next to it and pick it.
            if self.occupancy.clearance(x, y) < 0.45:
                continue
            if any(
                o.relation == "floor" and o.place and math.hypot(o.x - x, o.y - y) < 0.5
                for o in world.objects.values()
            ):
                continue
            o = world.objects[name]
            o.relation, o.place, o.x, o.y = "floor", room, round(x, 3), round(y, 3)
            return
        # pragma: no cover - validate_layout checks misplace rooms have open floor
        put_in_fixture(lay, world, name, surfaces[0] if surfaces else lay.objects[name].home[1])

    def _random_robot(self, rng: random.Random) -> None:
        lay = self.layout
        for _ in range(10_000):
            x, y = rng.uniform(0.3, lay.width - 0.3), rng.uniform(0.3, lay.height - 0.3)
            if self.is_free(x, y, PLAN_CLEARANCE - ROBOT_RADIUS + 0.05):
                self.set_robot_pose(x, y, rng.uniform(-math.pi, math.pi))
                return
        raise RuntimeError("no free pose for the robot")  # pragma: no cover

    def _ok(self, x: float, y: float) -> bool:
        if not self.occupancy.is_free(x, y):
            return False
        rb = self.world.robot
        for px, py in self._blockers:
            d2 = (x - px) ** 2 + (y - py) ** 2
            # Moving away from a person one overlaps (they sat down on it) is allowed.
            if d2 < _BLOCK2 and d2 <= (rb.x - px) ** 2 + (rb.y - py) ** 2:
                return False
        return True

    def _pose(self, pose: tuple[float, float, float] | None) -> tuple[float, float, float]:
        if pose is not None:
            return pose
        rb = self.world.robot
        return (rb.x, rb.y, rb.theta)

    def _gripper_point(self, pose: tuple[float, float, float] | None = None) -> tuple[float, float]:
        x, y, th = self._pose(pose)
        return (x + GRIPPER_OFFSET * math.cos(th), y + GRIPPER_OFFSET * math.sin(th))

    def _hidden(self, o: ObjectState) -> bool:
        return o.relation in ("held", "with") or (
            o.relation == "in"
            and self.layout.fixtures[o.place].openable
            and not self.world.fixtures[o.place].open
        )

    def _los(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        return not segment_blocked(x0, y0, x1, y1, self.layout.vwalls, self.layout.hwalls)

    def graspable(self, pose: tuple[float, float, float] | None = None) -> tuple[str | None, float]:
        """What closing the gripper would grasp (privileged; experts use it to align).

        Args:
            pose: Hypothetical robot pose ``(x, y, theta)``; the current one if None.

        Returns:
            The object's name (None if nothing would be grasped) and the margin (m) by
            which it is nearer the gripper point than the runner-up. Things piled on one
            spot (a full fixture) come up one at a time, the top of the pile first (see
            :meth:`pile`; the one there first, later ones go underneath), so the rest of
            its pile is no runner-up.
        """
        x, y, _ = pose = self._pose(pose)
        gx, gy = self._gripper_point(pose)
        best, bd = None, math.inf
        for name, o in self.world.objects.items():
            if self._hidden(o):
                continue
            d = math.hypot(o.x - gx, o.y - gy)
            if d < bd:
                best, bd = name, d
        if best is None:
            return None, 0.0
        o = self.world.objects[best]
        if math.hypot(o.x - x, o.y - y) > REACH_M or not self._los(x, y, o.x, o.y):
            return None, 0.0
        pile = self.pile(best)
        if len(pile) > 1:  # the highest lies on top (see ObjectState.stack)
            objs = self.world.objects
            best = max(enumerate(pile), key=lambda t: (objs[t[1]].stack, t[0]))[1]
        in_pile = set(pile)
        second = min(
            (
                math.hypot(p.x - gx, p.y - gy)
                for n, p in self.world.objects.items()
                if n not in in_pile and not self._hidden(p)
            ),
            default=math.inf,
        )
        return best, second - bd

    def pile(self, name: str) -> list[str]:
        """The things on or in the same fixture at the same spot as ``name`` (with it).

        A fixture with no free spot left piles things (``sim.home.placement``); a grasp
        there takes the top of the pile, whichever is wanted.
        """
        o = self.world.objects[name]
        if o.relation not in ("on", "in"):
            return [name]
        return [
            n
            for n, p in self.world.objects.items()
            if p.place == o.place
            and p.relation == o.relation
            and abs(p.x - o.x) < 1e-3
            and abs(p.y - o.y) < 1e-3
            and not self._hidden(p)
        ] or [name]

    def fixture_target(
        self, want: str | None = None, pose: tuple[float, float, float] | None = None
    ) -> tuple[str | None, float]:
        """The fixture in reach nearest the gripper point (privileged; experts).

        Args:
            want: ``"openable"`` or ``"switchable"`` to consider only such fixtures.
            pose: Hypothetical robot pose ``(x, y, theta)``; the current one if None.

        Returns:
            The fixture's name (None if none is in reach) and its margin (m) over the
            runner-up.
        """
        x, y, _ = pose = self._pose(pose)
        gx, gy = self._gripper_point(pose)
        best, bd, second = None, math.inf, math.inf
        for name, f in self.layout.fixtures.items():
            if want == "openable" and not f.openable or want == "switchable" and not f.switchable:
                continue
            r = f.rect
            if r.distance(x, y) > REACH_M or not self._los(x, y, *r.nearest_point(x, y)):
                continue
            d = r.distance(gx, gy)
            if d < bd:
                best, bd, second = name, d, bd
            elif d < second:
                second = d
        return best, second - bd

    def _grasp(self) -> None:
        name, _ = self.graspable()
        if name is None:
            return
        self._sync()  # it leaves the heat (or the cold) now
        o = self.world.objects[name]
        o.relation, o.place = "held", "robot"
        o.progress = 0.0
        self.world.robot.held = name

    def _release(self) -> None:
        self._sync()
        rb = self.world.robot
        name = rb.held
        rb.held = None
        gx, gy = self._gripper_point()
        target, _ = self.fixture_target()
        o = self.world.objects[name]
        if target is not None:
            spec = self.layout.fixtures[target]
            if spec.container and (not spec.openable or self.world.fixtures[target].open):
                put_in_fixture(self.layout, self.world, name, target, near=(gx, gy))
                self._proc.placed(self.world, name, target, self.clock.elapsed)
                self._refresh_events()
                return
            if spec.surface:
                put_in_fixture(self.layout, self.world, name, target, near=(gx, gy))
                self._proc.placed(self.world, name, target, self.clock.elapsed)
                self._refresh_events()
                return
        # Nothing to put it on: it drops to the floor below the gripper, or at the robot's
        # feet if the gripper is over furniture or beyond a wall.
        if self.occupancy.clearance(gx, gy) < 0.05 or not self._los(rb.x, rb.y, gx, gy):
            gx, gy = rb.x, rb.y
        o.relation, o.place, o.x, o.y = "floor", self.layout.room_at(gx, gy), gx, gy

    def _articulate(self, opening: bool) -> None:
        target, _ = self.fixture_target("openable")
        if target is not None and self.world.fixtures[target].open != opening:
            self._sync()
            self._proc.set_open(self.world, target, opening, self.clock.elapsed)
            self._refresh_events()

    def _switch(self, on: bool) -> None:
        target, _ = self.fixture_target("switchable")
        if target is None or self.world.fixtures[target].on == on:
            return
        self._sync()  # what heated until now heated with the old setting
        self._proc.switch(self.world, target, on, self.clock.elapsed)
        self._refresh_events()

    def _set_timer(self, name: str, seconds: float) -> None:
        self.world.timers[name] = self.clock.elapsed + seconds
        self._refresh_events()

    def _refresh_events(self) -> None:
        b = (self._next_boundary - self.clock.start).total_seconds()
        self._next_event_s = min([b, self._proc.next_s, *self.world.timers.values()])
        self._blockers = [(p.x, p.y) for p in self.world.residents.values() if p.home]
        self._walking = self._residents.walking(self.world)

    def _move_residents(self) -> None:
        """Bring people walking somewhere to where they are now (every tick while they walk)."""
        self._walking = self._residents.advance(self.world, self.clock.elapsed)
        self._blockers = [(p.x, p.y) for p in self.world.residents.values() if p.home]

    def _sync(self) -> None:
        """Bring events and continuous processes up to the clock (before any read)."""
        if self._walking and self.clock.elapsed < self._next_event_s:
            self._move_residents()
        if self.clock.elapsed >= self._next_event_s:
            self._process_events()
        elif self.world.process_s < self.clock.elapsed:
            self._proc.advance(self.world, self.clock.elapsed)
            self._refresh_events()

    def _process_events(self) -> None:
        """Fire every event due by now, in time order, with processes advanced to each."""
        now = self.clock.elapsed
        world = self.world
        proc = self._proc
        while True:
            b = (self._next_boundary - self.clock.start).total_seconds()
            name, due = "routine", b
            for t, at in world.timers.items():
                if at < due:
                    name, due = t, at
            if due > now:
                break
            proc.advance(world, due)
            if name == "routine":
                housework.soil_floors(world, self.layout, due)
                self._residents.update(world, self._next_boundary, self._seed)
                self._next_boundary = self._residents.next_boundary(self._next_boundary)
            else:
                del world.timers[name]
                self._fire_timer(name, due)
            proc.replan(world)
        self._residents.advance(world, now)
        proc.advance(world, now)
        self._refresh_events()

    def _fire_timer(self, name: str, due: float) -> None:
        if name.startswith("delivery:"):  # groceries ordered earlier arrive
            from housemind.sim.home.grocery import deliver

            deliver(self, name.partition(":")[2])
        elif self._residents.owns_timer(name):  # a resident's next step (the cook checks)
            self._residents.fire_timer(self.world, name, due, self._seed)
        else:
            self._proc.fire_timer(self.world, name)

    def _update_held(self) -> None:
        rb = self.world.robot
        if rb.held is not None:
            o = self.world.objects[rb.held]
            o.x, o.y = self._gripper_point()

    def _room_now(self) -> str:
        rb = self.world.robot
        if self._room:
            r = self.layout.rooms[self._room].rect
            if r.x0 <= rb.x <= r.x1 and r.y0 <= rb.y <= r.y1:
                return self._room
        self._room = self.layout.room_at(rb.x, rb.y)
        return self._room

    def _proprio(self) -> Proprio:
        rb = self.world.robot
        self._update_held()
        return Proprio(
            x=rb.x,
            y=rb.y,
            theta=rb.theta,
            vx=rb.vx,
            vy=rb.vy,
            wz=rb.wz,
            gripper=rb.gripper,
            held=rb.held,
            room=self._room_now(),
            held_state={} if rb.held is None else held_state(self.world.objects[rb.held]),
        )

    def _gym_obs(self) -> dict[str, np.ndarray]:
        rb = self.world.robot
        obs = {
            "proprio": np.array(
                [
                    rb.x,
                    rb.y,
                    math.cos(rb.theta),
                    math.sin(rb.theta),
                    rb.vx,
                    rb.vy,
                    rb.wz,
                    rb.gripper,
                ],
                dtype=np.float32,
            )
        }
        if self.obs_mode == "rgb":
            obs["image"] = self.observe().image
        return obs

    def _info(self) -> dict:
        return {"held": self.world.robot.held, "room": self._room_now()}
