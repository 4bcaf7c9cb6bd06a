"""Privileged expert controllers for HomeSim's built-in skills.

Experts read the true world state (they are demonstrators, and their chunks are training
data for the built-in VLA) but act only through the ordinary action vector, so whatever
they achieve a learned policy could achieve too. Each call to ``predict_chunk`` looks at
the true state afresh and rolls its controller forward on a kinematic model for one chunk
(:data:`CHUNK_S` seconds of ticks); once the skill's effect holds it emits zeros (hold
still).

Skills and arguments (a contract with :mod:`skills.builtin`): ``navigate(target)``,
``pick(object)``, ``place(object, target, relation)``, ``open(target)``, ``close(target)``,
``toggle(target, state)``, ``fill(object, target="sink")``, ``pour(object, target)``,
``wash(object, target="sink")``, ``wipe(target, tool="sponge")``, ``load(object,
target)``, ``unload(object, target)``, ``fold(object, target)``. What ``use`` does is in
:mod:`sim.home.interactions`; these experts only line the gripper point up and command it.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.geometry import Rect, angle_diff
from housemind.sim.home.interactions import POUR_RADIUS_M, POUR_RATE_LPS, pour_receiver
from housemind.sim.home.layout import APPROACH_STANDOFF, RESIDENT_RADIUS, ROBOT_RADIUS, FixtureSpec
from housemind.sim.home.occupancy import PLAN_CLEARANCE
from housemind.sim.home.perception import HALF_FOV, VIEW_RANGE
from housemind.sim.home.placement import landing_spots
from housemind.sim.home.residents import PET_KINDS
from housemind.sim.home.world import ObjectState
from housemind.skills.policies.base import PolicyError
from housemind.skills.types import EMPTY_BELOW, FILLED_AT, REACH_M, Observation

if TYPE_CHECKING:
    from housemind.sim.home.env import HomeSimEnv

__all__ = [
    "CHUNK",
    "CHUNK_S",
    "EXPERTS",
    "WAIT_FOR_PEOPLE_S",
    "WAIT_TO_REACH_S",
    "HomeSimExpert",
    "make_expert",
]

#: Actions per chunk at 50 Hz, HomeSim's old control rate (the fewest a chunk has).
CHUNK = 10
#: Seconds of motion per chunk: at a higher control rate a chunk has more ticks
#: (40 at 200 Hz), so the expert (and the executor, which observes once per chunk) looks
#: at the world as often per simulated second at any rate.
CHUNK_S = 0.2
#: Entries of a HomeSim action: ``[vx, vy, wz, grip, articulate, switch, use]``.
ACTION_DIM = 7
GRIP, ARTICULATE, SWITCH, USE = 3, 4, 5, 6
_POS_TOL = 0.02
_ANG_TOL = 0.03
_LIN_GAIN = 4.0  # 1/s: proportional gain on position error near the goal
_ANG_GAIN = 4.0  # 1/s: proportional gain on heading error
_LOOKAHEAD = 0.25  # pure-pursuit carrot distance (m)
_MARGIN = 0.05  # how much nearer the gripper point the target must be than the runner-up
#: The fill expert stops here, a margin above what counts as ``filled``.
FILL_TO = min(1.0, FILLED_AT + 0.1)
_TURN_PER_TICK = 0.04  # rad a full turn command (2 rad/s) covers in one 50 Hz tick
_STROKES = (0.5, 0.4, 0.3, 0.22, 0.16, 0.12, 0.09, 0.06)  # wiping stroke half-widths (rad)
_MIN_STROKE = 0.12
_SLACK = 0.04  # m: a pose within the follower's tolerance of a scored one is ready
_VIEW_MARGIN = 0.2  # rad inside the camera's field of view a target is lined up to
#: Longest a navigation holds still, in all, for people in its way (simulated seconds).
#: Someone walking through a doorway or along a corridor clears it in a few seconds (people
#: walk at 0.8-1.1 m/s); someone who stays put (standing in a doorway for their routine)
#: is left in peace and the decision handed to the planner, who can ask them to move. 40 s
#: plus the longest drive the expert sweep measures (~25 s in the house) and a room's
#: 360° scan stay inside the navigate skill's 90 s timeout.
WAIT_FOR_PEOPLE_S = 40.0
#: Longest a manipulation (pick, place, open, ...) holds still, in all, when the only spots
#: within reach of its target are taken by people or pets (someone at the counter, a dog
#: asleep in front of the sofa). Short: these skills time out after 20-40 s, and someone
#: who stays longer is left in peace; the failure says who is in the way.
WAIT_TO_REACH_S = 8.0
#: A walking person on the robot's path this near ahead (m, along the path) makes it yield.
_YIELD_AHEAD_M = 1.5
#: How far (m) the safety guard keeps the robot off a floor hazard (the rule book's
#: ``keep_out_margin_m``): the experts plan their paths round spills by this much.
SPILL_KEEP_OFF_M = 0.3
_DOORWAY_M = 0.6  # a person this near (m) a doorway's middle is "in the doorway"

Pose = tuple[float, float, float]
#: What counts as an obstacle: everyone at home, those standing still, or nobody (``none``:
#: the floor hazards only; ``bare``: not even those, the home as built).
People = Literal["all", "standing", "none", "bare"]


class HomeSimExpert:
    """Base class: argument checks, the kinematic rollout and the "hold still" ending.

    Args:
        env: The simulator whose true state the expert reads.
        args: Skill arguments.
    """

    skill = ""
    required: tuple[str, ...] = ()
    #: Experts read the simulator's true state, never the camera (see ``Policy``).
    uses_image = False

    def __init__(self, env: HomeSimEnv, args: dict[str, Any]) -> None:
        missing = [a for a in self.required if a not in args]
        if missing:
            raise PolicyError(f"{self.skill} needs argument(s) {missing}; got {sorted(args)}")
        self.env = env
        self.args = dict(args)
        self.reset()

    def reset(self) -> None:
        """Forget progress (a new attempt starts from the current state)."""
        self._path: list[tuple[float, float]] | None = None
        self._goal: Pose | None = None
        self._tries = 0
        self._path_ref: list | None = None
        self._idx = 0
        self._reach_waited_s = 0.0
        self._reach_look_at_s = 0.0

    def predict_chunk(self, obs: Observation, instruction: str) -> np.ndarray:
        """The next :attr:`chunk_len` actions, ``float32[chunk_len, 7]``.

        Raises:
            PolicyError: if the skill cannot be carried out from here.
        """
        return self._chunk()

    def _chunk(self) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- helpers -------------------------------------------------------------------------

    @property
    def _robot(self):
        return self.env.world.robot

    def _pose(self) -> Pose:
        rb = self._robot
        return (rb.x, rb.y, rb.theta)

    def _look_at(self, pts: list[tuple[float, float]]) -> np.ndarray:
        """Hold still if one of ``pts`` is in view (or behind a wall); else turn to it.

        The effect may already hold where the robot is not looking (the fridge was open
        already): the executor succeeds on observed facts, so the expert turns to see it.
        """
        env = self.env
        x, y, th = pose = self._pose()
        if _sees(env, pose, pts, _VIEW_MARGIN / 4) or not any(
            env._los(x, y, px, py) for px, py in pts
        ):
            return self._hold()
        px, py = next(p for p in pts if env._los(x, y, *p))
        err = angle_diff(math.atan2(py - y, px - x), th)
        out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
        step = 2.0 / env.control_hz  # rad per tick at a full turn command
        for k in range(self.chunk_len):
            wz = max(-1.0, min(1.0, err / step))
            out[k, 2] = wz
            err -= wz * step
        return out

    @property
    def chunk_len(self) -> int:
        """Ticks per chunk: :data:`CHUNK_S` seconds at the env's rate, at least :data:`CHUNK`."""
        return max(CHUNK, round(CHUNK_S * float(getattr(self.env, "control_hz", 50.0))))

    def _hold(self) -> np.ndarray:
        return np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)

    def _command(self, index: int, value: float) -> np.ndarray:
        # Repeat the command over the chunk: it acts once, the repeats are no-ops, and a
        # caller that drops the chunk's head still sees it.
        out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
        out[:, index] = value
        return out

    def _follow(
        self, path: list[tuple[float, float]], heading: float, face_travel: bool = True
    ) -> tuple[np.ndarray, bool]:
        """Roll out pure-pursuit path following from the true pose.

        The robot chases a carrot :data:`_LOOKAHEAD` ahead of its projection on the path,
        so it stays on the planned segments (doorways leave it little slack) instead of
        cutting corners. Progress is kept in ``self._idx`` and only moves forward.

        Returns:
            The chunk and whether the robot is already at the goal (then the chunk is
            zeros).
        """
        env = self.env
        dt = 1.0 / env.control_hz
        x, y, th = self._pose()
        gx, gy = path[-1]
        if math.hypot(gx - x, gy - y) < _POS_TOL and abs(angle_diff(heading, th)) < _ANG_TOL:
            return self._hold(), True
        if self._path_ref is not path:
            self._path_ref, self._idx = path, 1
        self._idx, _ = _carrot(path, self._idx, x, y)
        seg = self._idx
        out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
        for k in range(self.chunk_len):
            seg, (tx, ty) = _carrot(path, seg, x, y)
            dgoal = math.hypot(gx - x, gy - y)
            ex, ey = tx - x, ty - y
            d = math.hypot(ex, ey)
            speed = min(0.8, _LIN_GAIN * dgoal)
            vxw = ex / d * speed if d > 1e-9 else 0.0
            vyw = ey / d * speed if d > 1e-9 else 0.0
            turn_late = face_travel and dgoal >= 0.5 and d >= 1e-6
            want = math.atan2(ey, ex) if turn_late else heading
            wz = max(-1.0, min(1.0, _ANG_GAIN * angle_diff(want, th) / 2.0))
            c, s = math.cos(th), math.sin(th)
            ux, uy = (c * vxw + s * vyw) / 0.8, (-s * vxw + c * vyw) / 0.8
            ux, uy = max(-1.0, min(1.0, ux)), max(-1.0, min(1.0, uy))
            out[k, 0], out[k, 1], out[k, 2] = ux, uy, wz
            x += (c * ux - s * uy) * 0.8 * dt
            y += (s * ux + c * uy) * 0.8 * dt
            th += wz * 2.0 * dt
        return out, False

    def _blockers(
        self, extra: float = PLAN_CLEARANCE, who: People = "all"
    ) -> list[tuple[float, float, float]]:
        """People as discs ``(x, y, r)`` to keep ``extra`` away from.

        Args:
            extra: Clearance added to the person's radius.
            who: ``all`` at home, only those ``standing`` (not walking anywhere), ``none`` (the
            floor hazards only) or ``bare`` (nothing: the home as built).
        """
        if who == "bare":
            return []
        spills = self._spill_discs()
        if who == "none":
            return spills
        return [
            (p.x, p.y, RESIDENT_RADIUS + extra)
            for p in self.env.world.residents.values()
            if p.home and (who == "all" or not p.path)
        ] + spills

    def _spill_discs(self) -> list[tuple[float, float, float]]:
        """Spills on the floor as discs ``(x, y, r)`` the robot's centre keeps out of.

        The safety guard stops the base before it drives into a floor hazard's square grown
        by :data:`SPILL_KEEP_OFF_M`; a disc round that square (plus the slack of a turning
        robot's look-ahead) is what a path must keep clear of, or the robot would be
        stopped half-way and never arrive. A spill whose square the robot already stands
        in is left out (driving out of it is allowed); one whose disc it stands in gets a
        disc just short of the robot.
        """
        rb = self.env.world.robot
        out = []
        for sp in self.env.world.spills.values():
            half = sp.radius + SPILL_KEEP_OFF_M  # the guard's square
            r = half * math.sqrt(2.0) + 0.1
            d = math.hypot(rb.x - sp.x, rb.y - sp.y)
            if d >= r:
                out.append((sp.x, sp.y, r))
            elif abs(rb.x - sp.x) > half or abs(rb.y - sp.y) > half:
                # Inside the disc but outside the square the guard stops at: a disc just
                # short of the robot still keeps the path off the square.
                out.append((sp.x, sp.y, max(half, d - 0.03)))
        return out

    def _standable(
        self, x: float, y: float, clearance: float = PLAN_CLEARANCE, who: People = "all"
    ) -> bool:
        occ = self.env.occupancy
        if occ.clearance(x, y) < clearance:
            return False
        return all(
            (x - bx) ** 2 + (y - by) ** 2 >= br * br
            for bx, by, br in self._blockers(clearance, who)
        )

    def _search_pose(
        self,
        score: Callable[[Pose], float | None],
        headings: Callable[[float, float], list[float]],
        radius: float = 0.8,
        step: float = 0.05,
        who: People = "all",
    ) -> Pose | None:
        """The cheapest reachable pose near the robot that ``score`` accepts.

        Candidates lie on a ``step`` grid (5 cm) within ``radius`` of the robot, reachable
        in a straight line, with clearance; ``score`` returns an extra cost or None to
        reject. ``who`` are the people kept clear of (see :meth:`_blockers`).
        """
        x0, y0, th0 = self._pose()
        occ = self.env.occupancy
        blockers = self._blockers(ROBOT_RADIUS + 0.03, who)
        best: tuple[float, Pose] | None = None
        n = int(radius / step)
        cands = []
        for i in range(-n, n + 1):
            for j in range(-n, n + 1):
                dist = step * math.hypot(i, j)
                if dist <= radius:
                    cands.append((dist, x0 + step * i, y0 + step * j))
        cands.sort()
        for dist, x, y in cands:
            if best is not None and dist >= best[0]:
                break
            if dist > 0 and not self._standable(x, y, ROBOT_RADIUS + 0.03, who):
                continue
            for th in headings(x, y):
                extra = score((x, y, th))
                if extra is None:
                    continue
                cost = dist + 0.1 * abs(angle_diff(th, th0)) + extra
                if best is not None and cost >= best[0]:
                    continue
                if dist > 0 and not occ.line_clear(x0, y0, x, y, ROBOT_RADIUS + 0.01, blockers):
                    continue
                best = (cost, (x, y, th))
        return None if best is None else best[1]

    def _search_far(
        self,
        score: Callable[[Pose], float | None],
        headings: Callable[[float, float], list[float]],
        radius: float = 1.4,
        who: People = "all",
    ) -> tuple[Pose | None, list[tuple[float, float]] | None]:
        """Like :meth:`_search_pose` but further out, reached by a planned path.

        For a start from which no good pose is in a straight line (wedged between a
        table and a wall); the nearest few accepted poses are tried with the planner.
        """
        x0, y0, _ = self._pose()
        n = int(radius / 0.05)
        cands = []
        for i in range(-n, n + 1):
            for j in range(-n, n + 1):
                dist = 0.05 * math.hypot(i, j)
                if 0 < dist <= radius:
                    cands.append((dist, x0 + 0.05 * i, y0 + 0.05 * j))
        cands.sort()
        found: list[tuple[float, Pose]] = []
        for dist, x, y in cands:
            if not self._standable(x, y, ROBOT_RADIUS + 0.03, who):
                continue
            for th in headings(x, y):
                extra = score((x, y, th))
                if extra is not None:
                    found.append((dist + extra, (x, y, th)))
                    break
            if len(found) >= 8:
                break
        found.sort(key=lambda c: c[0])
        blockers = self._blockers(ROBOT_RADIUS + 0.03, who)
        for _, goal in found:
            path = self.env.occupancy.plan((x0, y0), goal[:2], blockers)
            if path is not None:
                return goal, path
        return None, None

    def _align_then(
        self,
        ready: Callable[[], bool],
        score: Callable[[Pose], float | None],
        headings: Callable[[float, float], list[float]],
        act: np.ndarray,
        what: str,
        view: Callable[[Pose, float], bool] | None = None,
    ) -> np.ndarray:
        """Act if ``ready()`` now; else drive to a pose ``score`` accepts, then act.

        With ``view(pose, margin)``, the target must also be in the camera's view (by
        ``margin`` rad inside its edge; more when choosing a pose than when acting), so
        the skill's effect can be seen: skills succeed on observed facts.
        """
        if view is not None:
            ready0, score0 = ready, score

            def ready() -> bool:
                return ready0() and view(self._pose(), _VIEW_MARGIN / 4)

            def score(p: Pose) -> float | None:
                return score0(p) if view(p, _VIEW_MARGIN) else None

        if ready():
            self._goal = None
            return act
        if self._goal is not None:
            chunk, arrived = self._follow(self._goal_path, self._goal[2], face_travel=False)
            if not arrived:
                return chunk
            self._goal = None  # arrived but not ready: look again
        if self._reach_waited_s < self._reach_look_at_s:
            return self._wait_to_reach()  # someone is in the way: look again each second
        self._tries += 1
        if self._tries > 4:
            raise PolicyError(f"could not line up to {what} after {self._tries - 1} tries")
        goal, path = self._reach_pose(score, headings)
        if goal is None or path is None:
            who = self._who_is_in_the_way(score, headings)
            if who is None:
                raise PolicyError(
                    f"no free spot within reach from which to {what}; navigate closer first"
                )
            self._tries -= 1  # holding still for someone is not a try
            if self._reach_waited_s >= WAIT_TO_REACH_S:
                raise PolicyError(
                    f"no free spot within reach from which to {what} (waited "
                    f"{WAIT_TO_REACH_S:g} s): {who}"
                )
            self._reach_look_at_s = self._reach_waited_s + 1.0
            return self._wait_to_reach()
        self._goal, self._goal_path = goal, path
        chunk, arrived = self._follow(self._goal_path, goal[2], face_travel=False)
        if arrived:  # the best pose is this one, and it is not ready: holding still is no answer
            raise PolicyError(f"could not line up to {what}; the robot cannot get closer")
        return chunk

    def _reach_pose(
        self,
        score: Callable[[Pose], float | None],
        headings: Callable[[float, float], list[float]],
        who: People = "all",
    ) -> tuple[Pose | None, list[tuple[float, float]] | None]:
        """A pose ``score`` accepts and the path there: near, then finer, then further out."""
        goal = self._search_pose(score, headings, who=who)
        if goal is None:  # a tight spot (a thing squeezed between others): a finer grid
            goal = self._search_pose(score, headings, radius=0.5, step=0.02, who=who)
        if goal is not None:
            return goal, [self._pose()[:2], goal[:2]]
        return self._search_far(score, headings, who=who)  # hemmed in: plan a path there

    def _who_is_in_the_way(
        self,
        score: Callable[[Pose], float | None],
        headings: Callable[[float, float], list[float]],
    ) -> str | None:
        """Who takes the spot the robot would act from, when people and pets are why none is free.

        Returns None when no spot would be free without them either (a thing out of reach
        for good); else the person or pet nearest that spot, what they are doing and where.
        """
        goal, _ = self._reach_pose(score, headings, who="none")
        if goal is None:
            return None
        here = [(n, p) for n, p in self.env.world.residents.items() if p.home]
        if not here:
            return None
        name, p = min(here, key=lambda np_: math.hypot(np_[1].x - goal[0], np_[1].y - goal[1]))
        doing = f", {p.activity}" if p.activity else ""
        then = (
            f"come back when {name} has moved"
            if p.kind in PET_KINDS
            else f"ask {name} to make way, or come back later"
        )
        return (
            f"{name} ({p.kind}{doing}) is {_where(self.env, p.x, p.y)} at "
            f"({p.x:.2f}, {p.y:.2f}), where the robot would stand; {then}"
        )

    def _wait_to_reach(self) -> np.ndarray:
        """Hold still one chunk for the person or pet in the way (counts toward the limit)."""
        self._reach_waited_s += self.chunk_len / self.env.control_hz
        return self._hold()


class NavigateExpert(HomeSimExpert):
    """Drive to a room (then scan 360°), a fixture's approach pose, or next to an object.

    People are obstacles of two sorts. Those standing still (at the table, in bed, in a
    doorway) are planned around. Those walking somewhere are not: they will be elsewhere
    by the time the robot gets there, and a detour through another door to avoid where
    they are this instant is no help. Instead the robot yields: it holds still while a
    walking person is on its path within :data:`_YIELD_AHEAD_M`, and goes on once they
    have passed. When standing people block every way, it holds still and plans again
    whenever someone moves. All this waiting counts against :data:`WAIT_FOR_PEOPLE_S`;
    past it the expert gives up with a :class:`PolicyError` that says who is in the way
    and where, and the planner decides (ask them to move, do something else first).
    ``done`` stays False while waiting: holding still is not arriving.
    """

    skill = "navigate"
    required = ("target",)

    def __init__(self, env: HomeSimEnv, args: dict[str, Any]) -> None:
        super().__init__(env, args)
        t = self.args["target"]
        lay = env.layout
        objects = env.world.objects  # residents may bring new things (groceries)
        people = env.world.residents
        if t not in lay.rooms and t not in lay.fixtures and t not in objects and t not in people:
            names = [*lay.rooms, *lay.fixtures, *objects, *people]
            close = difflib.get_close_matches(t, names, n=1)
            hint = f" — did you mean {close[0]!r}?" if close else ""
            raise PolicyError(
                f"unknown navigation target {t!r}{hint} (rooms, fixtures, objects and "
                f"people of this home: {', '.join(names)})"
            )

    def reset(self) -> None:
        """Forget the plan (and how long the robot has waited for people)."""
        super().reset()
        self._phase = "plan"
        self._heading = 0.0
        self._scan = 0.0
        self._last_theta = 0.0
        self._last_pose: Pose | None = None
        self._stuck = 0
        self._replans = 0
        self._people: list = []
        self._waited_s = 0.0
        self._yielding = False

    @property
    def waiting(self) -> bool:
        """True while the robot holds still for people in its way (never ``done`` then)."""
        return self._yielding

    @property
    def waited_s(self) -> float:
        """Simulated seconds spent holding still for people so far."""
        return self._waited_s

    # -- goals ---------------------------------------------------------------------------

    def _goals(self, who: People = "standing") -> list[Pose]:
        env, t = self.env, self.args["target"]
        lay = env.layout
        x0, y0, th0 = self._pose()
        if t in lay.rooms:
            return [(x, y, th0) for x, y in self._room_points(t, who)]
        if t in lay.fixtures:
            return self._fixture_poses(t, None, who)
        if t in env.world.residents and t not in env.world.objects:
            return self._person_poses(t, who)
        o = env.world.objects[t]
        if o.relation == "held":
            return []
        if o.relation == "with":
            raise PolicyError(f"the {t} is with {o.place}, who is using it")
        if o.relation in ("on", "in"):
            return self._fixture_poses(o.place, (o.x, o.y), who)
        ring = []
        for r in (0.55, 0.7, 0.85):
            for k in range(16):
                a = k * math.pi / 8
                x, y = o.x + r * math.cos(a), o.y + r * math.sin(a)
                # Not on the far side of a wall: the gripper cannot reach through it.
                if self._standable(x, y, who=who) and env._los(x, y, o.x, o.y):
                    ring.append((x, y, math.atan2(o.y - y, o.x - x)))
        ring.sort(key=lambda p: math.hypot(p[0] - x0, p[1] - y0))
        return ring

    def _person_poses(self, name: str, who: People) -> list[Pose]:
        """Spots facing a person, within reach of them (to talk to them, hand them things)."""
        env = self.env
        p = env.world.residents[name]
        if not p.home:
            raise PolicyError(f"{name} is not at home")
        px, py = (p.path[-2], p.path[-1]) if p.path else (p.x, p.y)
        x0, y0, _ = self._pose()
        ring = []
        for r in (0.7, 0.8, 0.9):
            for k in range(24):
                a = k * math.pi / 12
                x, y = px + r * math.cos(a), py + r * math.sin(a)
                if p.room and env.layout.room_at(x, y) != p.room:
                    continue  # in their room: talking through a doorway does not carry
                if self._standable(x, y, who=who) and env._los(x, y, px, py):
                    ring.append((x, y, math.atan2(py - y, px - x)))
        ring.sort(key=lambda q: math.hypot(q[0] - x0, q[1] - y0))
        return ring

    def _held_target(self) -> bool:
        t, lay = self.args["target"], self.env.layout
        o = self.env.world.objects.get(t)
        return (
            t not in lay.rooms and t not in lay.fixtures and o is not None and o.relation == "held"
        )

    def _room_points(self, room: str, who: People = "standing") -> list[tuple[float, float]]:
        r = self.env.layout.rooms[room].rect
        pts = []
        step = 0.1
        nx, ny = int(r.width / step), int(r.height / step)
        for i in range(nx):
            for j in range(ny):
                x, y = r.x0 + (i + 0.5) * step, r.y0 + (j + 0.5) * step
                if self.env.occupancy.clearance(x, y) >= 0.5 and self._standable(x, y, who=who):
                    pts.append((math.hypot(x - r.cx, y - r.cy), x, y))
        pts.sort()
        return [(x, y) for _, x, y in pts[:20]]

    def _fixture_poses(
        self, name: str, obj: tuple[float, float] | None, who: People = "standing"
    ) -> list[Pose]:
        lay = self.env.layout
        f = lay.fixtures[name]
        r = f.rect
        ax, ay, ath = lay.approach[name]
        cands = [(ax, ay, ath)]
        sd = APPROACH_STANDOFF
        for side, (ox, oy) in {"n": (0, 1), "s": (0, -1), "e": (1, 0), "w": (-1, 0)}.items():
            span = (r.x0, r.x1) if side in "ns" else (r.y0, r.y1)
            n = max(1, int((span[1] - span[0]) / 0.15))
            for k in range(n + 1):
                t = span[0] + (span[1] - span[0]) * k / n
                if side in "ns":
                    x, y = t, (r.y1 if side == "n" else r.y0) + oy * sd
                else:
                    x, y = (r.x1 if side == "e" else r.x0) + ox * sd, t
                cands.append((x, y, math.atan2(-oy, -ox)))
        out = []
        for x, y, th in cands:
            if not self._standable(x, y, who=who):
                continue
            if obj is not None:
                if math.hypot(obj[0] - x, obj[1] - y) > REACH_M - 0.07:
                    continue
                th = math.atan2(obj[1] - y, obj[0] - x)
            out.append((x, y, th))
        # The canonical pose first, then the nearest alternatives to it.
        out.sort(key=lambda p: math.hypot(p[0] - ax, p[1] - ay))
        return out

    # -- control -------------------------------------------------------------------------

    def _plan(self) -> None:
        """Plan round the people standing still; wait if they block every way."""
        if self._held_target():
            self._phase = "done"
            return
        goals = self._goals()
        start = self._pose()[:2]
        blockers = self._blockers(who="standing")
        occ = self.env.occupancy
        for g in goals[:12]:
            path = occ.plan(start, g[:2], blockers)
            if path is not None:
                self._path, self._heading = path, g[2]
                self._phase = "follow"
                self._people = blockers
                self._last_pose = None
                return
        # No way round the people where they stand now: is it them, or the home itself?
        spills = self._spill_discs()
        if any(occ.plan(start, g[:2], spills) is not None for g in self._goals("none")[:4]):
            self._phase = "wait"
            self._people = blockers
            return
        wet = [
            n
            for n, sp in self.env.world.spills.items()
            if any(sp.x == d[0] and sp.y == d[1] for d in spills)
        ]
        # The hazards may cover the very spots to stand at (water overflowing from the sink
        # lies in front of it): look at the home as built.
        if wet and any(occ.plan(start, g[:2]) is not None for g in self._goals("bare")[:4]):
            raise PolicyError(
                f"no way to the {self.args['target']} that keeps off the floor hazards "
                f"({', '.join(sorted(wet))}); someone must clean them up first"
            )
        raise PolicyError(
            f"no path to the {self.args['target']} from ({start[0]:.2f}, "
            f"{start[1]:.2f}); something blocks the way"
        )

    def _chunk(self) -> np.ndarray:
        self._yielding = False
        t = self.args["target"]
        if (
            self._phase == "done"
            and t in self.env.world.residents
            and t not in self.env.world.objects
        ):
            p = self.env.world.residents[t]
            x, y, _ = self._pose()
            if p.home and math.hypot(p.x - x, p.y - y) > REACH_M - 0.05:
                self._replan(f"{t} moved")  # they walked off: follow them
        if self._phase == "wait" and self._blockers(who="standing") != self._people:
            self._phase = "plan"  # someone moved (or set off walking): look again
        if self._phase == "plan":
            self._plan()
        if self._phase == "wait":
            return self._wait(self._blocked_by_standing)
        if self._phase == "follow":
            people = self._blockers(who="standing")
            if people != self._people:
                if self._path_blocked(people):
                    self._replan("a person stopped in the way")
                    if self._phase == "wait":
                        return self._wait(self._blocked_by_standing)
                else:  # someone moved about elsewhere: the path still holds
                    self._people = people
            walker = self._walker_ahead()
            if walker is not None:
                self._last_pose = None  # holding still on purpose is not being stuck
                return self._wait(lambda: self._walking_message(walker))
            pose = self._pose()
            if (
                self._last_pose is not None
                and math.hypot(pose[0] - self._last_pose[0], pose[1] - self._last_pose[1]) < 0.004
                and abs(angle_diff(pose[2], self._last_pose[2])) < 0.004
            ):
                self._stuck += 1
                if self._stuck >= 2:
                    self._replan("stuck")
                    return self._back_off()
            else:
                self._stuck = 0
            self._last_pose = pose
            if self._phase == "follow":
                chunk, arrived = self._follow(self._path, self._heading)
                if not arrived:
                    return chunk
                self._phase = "scan" if self.args["target"] in self.env.layout.rooms else "done"
                self._last_theta = pose[2]
        if self._phase == "scan":
            th = self._robot.theta
            self._scan += abs(angle_diff(th, self._last_theta))
            self._last_theta = th
            left = 2.0 * math.pi - self._scan
            if left > 0.01:
                step = 2.0 / self.env.control_hz  # radians per tick at full turn rate
                out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
                for k in range(self.chunk_len):
                    out[k, 2] = max(0.0, min(1.0, left / step))
                    left -= out[k, 2] * step
                return out
            self._phase = "done"
        return self._hold()

    @property
    def done(self) -> bool:
        """True once at the approach pose (and, for a room, after the 360° scan)."""
        return self._phase == "done"

    # -- waiting for people --------------------------------------------------------------

    def _wait(self, why: Callable[[], str]) -> np.ndarray:
        """Hold still for one chunk, or give up (``why()`` says who and where) past the limit."""
        if self._waited_s >= WAIT_FOR_PEOPLE_S:
            raise PolicyError(why())
        self._waited_s += self.chunk_len / self.env.control_hz
        self._yielding = True
        return self._hold()

    def _walker_ahead(self) -> str | None:
        """The nearest person walking across the path within :data:`_YIELD_AHEAD_M` ahead."""
        x, y, _ = self._pose()
        path = self._path
        seg, _ = _carrot(path, self._idx if self._path_ref is path else 1, x, y)
        pts = [(x, y), *path[seg:]]
        # Cut the polyline at _YIELD_AHEAD_M along it.
        ahead: list[tuple[float, float]] = [pts[0]]
        left = _YIELD_AHEAD_M
        for (ax, ay), (bx, by) in zip(pts, pts[1:], strict=False):
            d = math.hypot(bx - ax, by - ay)
            if d >= left:
                t = left / d if d > 1e-9 else 0.0
                ahead.append((ax + (bx - ax) * t, ay + (by - ay) * t))
                break
            ahead.append((bx, by))
            left -= d
        occ = self.env.occupancy
        best: tuple[float, str] | None = None
        for name, p in self.env.world.residents.items():
            if not (p.home and p.path):
                continue
            disc = [(p.x, p.y, RESIDENT_RADIUS + PLAN_CLEARANCE)]
            if any(
                not occ.line_clear(*ahead[i], *ahead[i + 1], 0.0, disc)
                for i in range(len(ahead) - 1)
            ):
                d = math.hypot(p.x - x, p.y - y)
                if best is None or d < best[0]:
                    best = (d, name)
        return None if best is None else best[1]

    def _blocked_by_standing(self) -> str:
        """Why the robot gave up waiting for people standing in its way (who and where)."""
        env = self.env
        occ = env.occupancy
        start = self._pose()[:2]
        people = [(n, p) for n, p in env.world.residents.items() if p.home and not p.path]
        people.sort(key=lambda np_: math.hypot(np_[1].x - start[0], np_[1].y - start[1]))
        goals = self._goals("none")[:6]
        r = RESIDENT_RADIUS + PLAN_CLEARANCE
        culprit = people[0] if people else None
        for name, p in people:
            others = [(q.x, q.y, r) for m, q in people if m != name]
            free = [
                g for g in goals if all(math.hypot(g[0] - a, g[1] - b) >= c for a, b, c in others)
            ]
            if any(occ.plan(start, g[:2], others) is not None for g in free[:3]):
                culprit = (name, p)
                break
        target = self.args["target"]
        if culprit is None:  # pragma: no cover - waiting needs someone standing
            return f"gave up after waiting {WAIT_FOR_PEOPLE_S:g} s for the way to the {target}"
        name, p = culprit
        return (
            f"{name} ({p.kind}) is standing {_where(env, p.x, p.y)} at ({p.x:.2f}, {p.y:.2f}) "
            f"and blocks the only way to the {target}; waited {WAIT_FOR_PEOPLE_S:g} s. "
            f"Ask {name} to make way, or do something else and come back later"
        )

    def _walking_message(self, name: str) -> str:
        p = self.env.world.residents[name]
        return (
            f"{name} ({p.kind}) keeps walking across the way to the {self.args['target']} "
            f"{_where(self.env, p.x, p.y)} at ({p.x:.2f}, {p.y:.2f}); waited "
            f"{WAIT_FOR_PEOPLE_S:g} s. Try again when they have gone by"
        )

    # -- recovery ------------------------------------------------------------------------

    def _back_off(self) -> np.ndarray:
        """A chunk that moves slowly away from whatever the robot is pressed against."""
        x, y, th = self._pose()
        ex, ey = self.env.occupancy.escape_direction(x, y)
        c, s = math.cos(th), math.sin(th)
        out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
        out[:, 0] = 0.3 * (c * ex + s * ey)
        out[:, 1] = 0.3 * (-s * ex + c * ey)
        self._last_pose = None
        return out

    def _path_blocked(self, people: list[tuple[float, float, float]]) -> bool:
        """True if someone now stands on the path (residents walk about the home)."""
        occ, pts = self.env.occupancy, self._path
        return any(
            not occ.line_clear(*pts[i], *pts[i + 1], 0.0, people) for i in range(len(pts) - 1)
        )

    def _replan(self, why: str) -> None:
        self._replans += 1
        if self._replans > 8:
            raise PolicyError(f"navigation to the {self.args['target']} keeps failing ({why})")
        self._stuck = 0
        self._phase = "plan"
        self._plan()


class PickExpert(HomeSimExpert):
    """Line up so the object is the one nearest the gripper point, then close the gripper."""

    skill = "pick"
    required = ("object",)

    def _chunk(self) -> np.ndarray:
        env, name = self.env, self.args["object"]
        o = env.world.objects.get(name)
        if o is None:
            raise PolicyError(
                f"there is no object {name!r} to pick; objects: {', '.join(env.world.objects)}"
            )
        rb = self._robot
        if rb.held == name:
            return self._hold()
        if rb.held is not None:
            raise PolicyError(
                f"cannot pick the {name}: the gripper holds the {rb.held}; place it first"
            )
        if o.relation == "with":
            raise PolicyError(f"cannot pick the {name}: {o.place} is using it")
        if env._hidden(o):
            raise PolicyError(
                f"cannot pick the {name}: it is inside the closed {o.place}; open it first"
            )
        d = math.hypot(o.x - rb.x, o.y - rb.y)
        if d > REACH_M and self._goal is None:  # lining up may swing out of reach
            raise PolicyError(
                f"the {name} is {d:.2f} m away, beyond reach ({REACH_M} m); navigate to it first"
            )

        # In a pile (a full dishwasher) the grasp brings up the first of it: if that is
        # another thing, the gripper holds it and the next step says so (the plan goes on
        # from there), one thing at a time until the wanted one comes up.
        pile = set(env.pile(name))

        def score(p: Pose) -> float | None:
            got, margin = env.graspable(p)
            if got not in pile or margin < _MARGIN:
                return None
            if math.hypot(o.x - p[0], o.y - p[1]) > REACH_M - 0.05:
                return None
            gx, gy = env._gripper_point(p)
            return math.hypot(o.x - gx, o.y - gy)

        return self._align_then(
            lambda: env.graspable()[0] in pile,
            score,
            lambda x, y: [math.atan2(o.y - y, o.x - x)],
            self._command(3, 1.0),
            f"pick the {name}",
            _point_view(env, o.x, o.y),
        )


class PlaceExpert(HomeSimExpert):
    """Line up so the target is the fixture nearest the gripper point, then open the gripper."""

    skill = "place"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        env = self.env
        name, target = self.args["object"], self.args["target"]
        rel = self.args.get("relation", "on")
        spec = env.layout.fixtures.get(target)
        if spec is None:
            raise PolicyError(
                f"cannot place on/in {target!r}: not a fixture of this home "
                f"({', '.join(env.layout.fixtures)})"
            )
        o = env.world.objects.get(name)
        if o is not None and o.relation == rel and o.place == target:
            return self._look_at([(o.x, o.y)])
        rb = self._robot
        if rb.held != name:
            held = f"the {rb.held}" if rb.held else "nothing"
            raise PolicyError(f"cannot place the {name}: the gripper holds {held}")
        if rel not in ("on", "in"):
            raise PolicyError(f"relation must be 'on' or 'in', got {rel!r}")
        if rel == "in" and not spec.container:
            raise PolicyError(f"the {target} is not a container; put things on it")
        if rel == "on" and not spec.surface:
            raise PolicyError(
                f"the {target} has no surface to put things on"
                + ("; put things in it" if spec.container else "")
            )
        if rel == "in" and spec.openable and not env.world.fixtures[target].open:
            raise PolicyError(f"the {target} is closed; open it first")
        d = spec.rect.distance(rb.x, rb.y)
        if d > REACH_M and self._goal is None:  # lining up may swing out of reach
            raise PolicyError(
                f"the {target} is {d:.2f} m away, beyond reach ({REACH_M} m); navigate to it first"
            )
        return self._align_then(
            lambda: env.fixture_target()[0] == target,
            _fixture_score(env, target, None),
            _facing(spec.rect),
            self._command(3, -1.0),
            f"put the {name} {rel} the {target}",
            _landing_view(env, target, name),
        )


class _FixtureExpert(HomeSimExpert):
    """Shared by open, close and toggle: line up on the fixture, then send one command."""

    required = ("target",)
    want = ""
    flag = ""
    index = 0

    def _desired(self) -> bool:  # pragma: no cover - abstract
        raise NotImplementedError

    def _chunk(self) -> np.ndarray:
        env, target = self.env, self.args["target"]
        spec = env.layout.fixtures.get(target)
        if spec is None:
            raise PolicyError(
                f"there is no fixture {target!r}; fixtures: {', '.join(env.layout.fixtures)}"
            )
        if not getattr(spec, self.want):
            raise PolicyError(f"the {target} cannot be {self._verb()}")
        want = self._desired()
        if getattr(env.world.fixtures[target], self.flag) == want:
            return self._look_at(_fixture_points(spec.rect, self._pose()))
        rb = self._robot
        d = spec.rect.distance(rb.x, rb.y)
        if d > REACH_M and self._goal is None:  # lining up may swing out of reach
            raise PolicyError(
                f"the {target} is {d:.2f} m away, beyond reach ({REACH_M} m); navigate to it first"
            )
        return self._align_then(
            lambda: env.fixture_target(self.want)[0] == target,
            _fixture_score(env, target, self.want),
            _facing(spec.rect),
            self._command(self.index, 1.0 if want else -1.0),
            f"{self._verb()} the {target}",
            _fixture_view(env, spec.rect),
        )

    def _verb(self) -> str:
        return self.skill + ("ed" if self.skill == "open" else "d")


class OpenExpert(_FixtureExpert):
    """Open a door or lid in reach."""

    skill, want, flag, index = "open", "openable", "open", 4

    def _desired(self) -> bool:
        return True


class CloseExpert(_FixtureExpert):
    """Close a door or lid in reach."""

    skill, want, flag, index = "close", "openable", "open", 4

    def _desired(self) -> bool:
        return False


class ToggleExpert(_FixtureExpert):
    """Switch an appliance (or the sink's faucet) on or off."""

    skill, want, flag, index = "toggle", "switchable", "on", 5

    def __init__(self, env: HomeSimEnv, args: dict[str, Any]) -> None:
        super().__init__(env, args)
        if self.args.get("state", "on") not in ("on", "off"):
            raise PolicyError(f"toggle state must be 'on' or 'off', got {args['state']!r}")

    def _desired(self) -> bool:
        return self.args.get("state", "on") == "on"

    def _verb(self) -> str:
        return "switched " + self.args.get("state", "on")


class _HeldExpert(HomeSimExpert):
    """Shared by the experts that apply a held object to something under the gripper."""

    def _held(self, name: str) -> ObjectState:
        env = self.env
        o = env.world.objects.get(name)
        if o is None:
            raise PolicyError(
                f"there is no object {name!r}; objects: {', '.join(env.world.objects)}"
            )
        rb = self._robot
        if rb.held != name:
            held = f"the {rb.held}" if rb.held else "nothing"
            raise PolicyError(f"cannot {self.skill} with the {name}: the gripper holds {held}")
        return o

    def _fixture(self, target: str) -> FixtureSpec:
        spec = self.env.layout.fixtures.get(target)
        if spec is None:
            raise PolicyError(
                f"there is no fixture {target!r}; fixtures: {', '.join(self.env.layout.fixtures)}"
            )
        return spec

    def _reach(self, target: str, rect: Rect) -> None:
        rb = self._robot
        d = rect.distance(rb.x, rb.y)
        if d > REACH_M and self._goal is None:  # lining up may swing out of reach
            raise PolicyError(
                f"the {target} is {d:.2f} m away, beyond reach ({REACH_M} m); navigate to it first"
            )

    def _water_fixture(self, target: str) -> FixtureSpec:
        spec = self._fixture(target)
        kind = FIXTURE_KINDS.get(spec.kind)
        if kind is None or not kind.water:
            raise PolicyError(f"the {target} has no faucet; use a sink")
        if not self.env.world.fixtures[target].on:
            raise PolicyError(f"the {target}'s faucet is off; switch it on first")
        self._reach(target, spec.rect)
        return spec

    def _over(
        self,
        rect: Rect,
        inset: float,
        check: Callable[[Pose, bool], bool] | None = None,
    ) -> tuple[Callable[..., bool], Callable[[Pose], float | None]]:
        """``(ok, score)`` for putting the gripper point over ``rect``.

        ``ok(pose, strict=True)``: the gripper point lies ``inset`` inside ``rect`` (with
        ``strict=False``, :data:`_SLACK` less: a pose reached within the follower's
        tolerance of one that ``score`` accepted is ready), in line of sight, and
        ``check(pose, strict)`` holds.
        """
        env = self.env

        def ok(p: Pose, strict: bool = True) -> bool:
            ins = inset if strict else max(0.0, inset - _SLACK)
            gx, gy = env._gripper_point(p)
            if not (rect.x0 + ins <= gx <= rect.x1 - ins):
                return False
            if not (rect.y0 + ins <= gy <= rect.y1 - ins):
                return False
            return env._los(p[0], p[1], gx, gy) and (check is None or check(p, strict))

        def score(p: Pose) -> float | None:
            if not ok(p):
                return None
            gx, gy = env._gripper_point(p)
            return 0.2 * math.hypot(gx - rect.cx, gy - rect.cy)

        return ok, score

    def _act(self, **cols: float) -> np.ndarray:
        out = np.zeros((self.chunk_len, ACTION_DIM), dtype=np.float32)
        for col, v in cols.items():
            out[:, {"grip": GRIP, "use": USE}[col]] = v
        return out


class FillExpert(_HeldExpert):
    """Hold the container under the running faucet (filling needs no ``use``)."""

    skill = "fill"
    required = ("object",)

    @property
    def done(self) -> bool:
        """True once the container is as full as the expert fills it."""
        o = self.env.world.objects.get(self.args["object"])
        return o is not None and o.fill >= FILL_TO

    def _chunk(self) -> np.ndarray:
        name, target = self.args["object"], self.args.get("target", "sink")
        o = self._held(name)
        kind = OBJECT_KINDS.get(o.kind)
        if kind is None or kind.capacity_l <= 0:
            raise PolicyError(f"the {name} cannot hold water")
        if o.fill >= FILL_TO:
            return self._hold()
        if o.liquid not in ("", "water") and o.fill > EMPTY_BELOW:
            raise PolicyError(f"the {name} holds {o.liquid}; pour it out first")
        spec = self._water_fixture(target)
        ok, score = self._over(spec.rect, 0.08)
        # grip = 1 on a held object changes nothing: "keep holding it there".
        return self._align_then(
            lambda: ok(self._pose(), False),
            score,
            _facing(spec.rect),
            self._act(grip=1.0),
            f"hold the {name} under the tap",
        )


class WashExpert(_HeldExpert):
    """Scrub the held dish under the running faucet (``use``) until it is clean."""

    skill = "wash"
    required = ("object",)

    @property
    def done(self) -> bool:
        """True once the dish is clean and nothing is left in it (a pan's burnt eggs)."""
        o = self.env.world.objects.get(self.args["object"])
        return o is not None and not o.dirty and not o.food

    def _chunk(self) -> np.ndarray:
        name, target = self.args["object"], self.args.get("target", "sink")
        o = self._held(name)
        kind = OBJECT_KINDS.get(o.kind)
        if kind is None or "sink" not in kind.washable_in:
            raise PolicyError(
                f"the {name} is not washed at a sink"
                + (f"; it goes in the {kind.washable_in[0]}" if kind and kind.washable_in else "")
            )
        if not o.dirty and not o.food:
            return self._hold()
        spec = self._water_fixture(target)
        ok, score = self._over(spec.rect, 0.08)
        return self._align_then(
            lambda: ok(self._pose(), False),
            score,
            _facing(spec.rect),
            self._act(grip=1.0, use=1.0),
            f"scrub the {name} under the tap",
        )


class PourExpert(_HeldExpert):
    """Tip the held container (``use``) over a plant, a container or a sink until empty."""

    skill = "pour"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        env = self.env
        name, target = self.args["object"], self.args["target"]
        o = self._held(name)
        kind = OBJECT_KINDS.get(o.kind)
        if kind is None or kind.capacity_l <= 0:
            raise PolicyError(f"the {name} holds no liquid to pour")
        if o.fill <= 0.0:
            return self._hold()
        room = math.inf  # litres the receiver can still take
        if target in env.world.objects:
            t = env.world.objects[target]
            if t.relation in ("held", "with") or env._hidden(t):
                raise PolicyError(f"cannot pour into the {target}: it is out of reach")
            cap = _object_capacity(t.kind)
            if t.kind != "plant" and cap <= 0:
                raise PolicyError(f"cannot pour into the {target}: it holds no liquid")
            if t.kind != "plant":
                room = (1.0 - t.fill) * cap
            d = math.hypot(t.x - self._robot.x, t.y - self._robot.y)
            if d > REACH_M and self._goal is None:  # lining up may swing out of reach
                raise PolicyError(
                    f"the {target} is {d:.2f} m away, beyond reach ({REACH_M} m); "
                    "navigate to it first"
                )
            want = ("object", target)
            tx, ty = t.x, t.y

            def score(p: Pose) -> float | None:
                gx, gy = env._gripper_point(p)
                if math.hypot(gx - tx, gy - ty) > POUR_RADIUS_M - 0.04:
                    return None
                if pour_receiver(env, gx, gy) != want or not env._los(p[0], p[1], gx, gy):
                    return None
                return math.hypot(gx - tx, gy - ty)

            def ready() -> bool:
                return pour_receiver(env, *env._gripper_point()) == want

            headings = _towards(tx, ty)
        else:
            spec = self._fixture(target)
            fk = FIXTURE_KINDS.get(spec.kind)
            if fk is None or not (fk.water or fk.capacity_l > 0):
                raise PolicyError(
                    f"cannot pour into the {target}: it holds no liquid (pour into a plant, "
                    "a container, the kettle or a sink)"
                )
            if fk.capacity_l > 0:
                room = (1.0 - env.world.fixtures[target].fill) * fk.capacity_l
            self._reach(target, spec.rect)
            want = ("fixture", target)

            def receives(p: Pose, strict: bool) -> bool:
                gx, gy = env._gripper_point(p)
                # Strictly: also a few centimetres off, so that arriving within the
                # follower's tolerance does not pour into a pan lying in the sink.
                offs = ((0, 0), (_SLACK, 0), (-_SLACK, 0), (0, _SLACK), (0, -_SLACK))
                return all(
                    pour_receiver(env, gx + dx, gy + dy) == want
                    for dx, dy in (offs if strict else offs[:1])
                )

            ok, score = self._over(spec.rect, 0.08, receives)

            def ready() -> bool:
                return ok(self._pose(), False)

            headings = _facing(spec.rect)
        if room <= 1e-9:
            raise PolicyError(
                f"the {target} is full; {o.fill * kind.capacity_l:.2f} L left in the {name}"
            )
        act = self._act(grip=1.0, use=1.0)
        per_tick = POUR_RATE_LPS / env.control_hz
        n = self.chunk_len if math.isinf(room) else math.ceil(room / per_tick - 1e-9)
        if n < self.chunk_len:  # stop tipping before the receiver overflows
            act[n:, USE] = 0.0
        return self._align_then(ready, score, headings, act, f"pour the {name} into the {target}")


class WipeExpert(_HeldExpert):
    """Sweep the held sponge or cloth over the surface (``use`` while turning in place)."""

    skill = "wipe"
    required = ("target",)

    def reset(self) -> None:
        """Forget the stroke."""
        super().reset()
        self._centre: float | None = None
        self._dir = 1.0

    @property
    def done(self) -> bool:
        """True once the surface is spotless (seeing it ``wiped`` is not always enough)."""
        fs = self.env.world.fixtures.get(self.args["target"])
        return fs is None or fs.dirt <= 0.0

    def _chunk(self) -> np.ndarray:
        env, target = self.env, self.args["target"]
        tool = self.args.get("tool", "sponge")
        o = self._held(tool)
        kind = OBJECT_KINDS.get(o.kind)
        if kind is None or not kind.wiping_tool:
            raise PolicyError(f"the {tool} is not for wiping; hold a sponge or a cloth")
        spec = self._fixture(target)
        if not spec.surface:
            raise PolicyError(f"the {target} has no surface to wipe")
        if env.world.fixtures[target].dirt <= 0.0:
            return self._look_at(_fixture_points(spec.rect, self._pose()))
        self._reach(target, spec.rect)
        rect = spec.rect

        seen = _fixture_view(env, rect)

        def sweep(p: Pose, strict: bool) -> bool:
            if strict:
                return self._amplitude(rect, p, 0.03) >= _MIN_STROKE and seen(p, _VIEW_MARGIN)
            return self._amplitude(rect, p) >= _MIN_STROKE / 2 and seen(p, _VIEW_MARGIN / 4)

        ok, score = self._over(rect, 0.05, sweep)
        x, y, th = self._pose()
        if self._centre is None or not ok((x, y, self._centre), False):
            self._centre = None
            if not ok((x, y, th), False):
                return self._align_then(
                    lambda: ok(self._pose(), False),
                    score,
                    _facing(rect),
                    self._hold(),
                    f"wipe the {target}",
                )
            self._goal = None
            self._centre = th
        amp = self._amplitude(rect, (x, y, self._centre)) - _TURN_PER_TICK
        out = self._act(grip=1.0, use=1.0)
        for k in range(self.chunk_len):
            off = angle_diff(th, self._centre)
            if off * self._dir >= amp:
                self._dir = -self._dir
            out[k, 2] = self._dir
            th += self._dir * _TURN_PER_TICK
        return out

    def _amplitude(self, rect: Rect, p: Pose, margin: float = 0.005) -> float:
        """The widest stroke (rad each way) that keeps the gripper point over ``rect``."""
        env = self.env
        best = 0.0
        m = margin
        for amp in _STROKES:
            pts = [env._gripper_point((p[0], p[1], p[2] + amp * f)) for f in (-1, -0.5, 0, 0.5, 1)]
            if all(
                rect.x0 + m < gx < rect.x1 - m and rect.y0 + m < gy < rect.y1 - m for gx, gy in pts
            ):
                best = amp
                break
        return best


class FoldExpert(_HeldExpert):
    """Hold the garment over the surface and fold it (``use``); it is left there folded."""

    skill = "fold"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        env = self.env
        name, target = self.args["object"], self.args["target"]
        o = env.world.objects.get(name)
        if o is not None and o.folded and o.relation == "on" and o.place == target:
            return self._look_at([(o.x, o.y)])
        o = self._held(name)
        kind = OBJECT_KINDS.get(o.kind)
        if kind is None or not kind.foldable or kind.wiping_tool:
            raise PolicyError(f"the {name} cannot be folded")
        spec = self._fixture(target)
        if not spec.surface or spec.container:
            raise PolicyError(f"the {target} has no surface to fold the {name} on")
        if o.folded:
            raise PolicyError(f"the {name} is folded already; place it on the {target}")
        self._reach(target, spec.rect)
        seen = _landing_view(env, target, name)
        ok, score = self._over(
            spec.rect,
            0.07,
            lambda p, strict: (
                _surface_under(env, *env._gripper_point(p)) == target
                and seen(p, _VIEW_MARGIN if strict else _VIEW_MARGIN / 4)
            ),
        )
        # No grip command: closing the gripper after the fold would grasp the towel again.
        return self._align_then(
            lambda: ok(self._pose(), False),
            score,
            _facing(spec.rect),
            self._act(use=1.0),
            f"fold the {name}",
        )


def _appliance(env: HomeSimEnv, target: str, verb: str) -> FixtureSpec:
    spec = env.layout.fixtures.get(target)
    if spec is None:
        raise PolicyError(
            f"there is no fixture {target!r}; fixtures: {', '.join(env.layout.fixtures)}"
        )
    kind = FIXTURE_KINDS.get(spec.kind)
    # A kettle is an openable electrical container too, but for water, not things.
    if not (
        spec.openable
        and spec.container
        and kind is not None
        and kind.electrical
        and kind.capacity_l == 0
    ):
        raise PolicyError(
            f"the {target} is not an appliance to {verb}; use place/pick for furniture"
        )
    if not env.world.fixtures[target].open:
        raise PolicyError(f"the {target} is closed; open it first")
    return spec


class LoadExpert(PlaceExpert):
    """Place the held object into an open appliance (dishwasher, washer, oven...)."""

    skill = "load"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        o = self.env.world.objects.get(self.args["object"])
        if o is not None and o.relation == "in" and o.place == self.args["target"]:
            return self._look_at([(o.x, o.y)])
        _appliance(self.env, self.args["target"], "load")
        self.args["relation"] = "in"
        return super()._chunk()


class UnloadExpert(PickExpert):
    """Pick an object out of an open appliance."""

    skill = "unload"
    required = ("object", "target")

    def _chunk(self) -> np.ndarray:
        name, target = self.args["object"], self.args["target"]
        if self._robot.held == name:
            return self._hold()
        _appliance(self.env, target, "unload")
        o = self.env.world.objects.get(name)
        if o is not None and not (o.relation == "in" and o.place == target):
            raise PolicyError(f"the {name} is not in the {target}")
        return super()._chunk()


def _carrot(
    path: list[tuple[float, float]], seg: int, x: float, y: float
) -> tuple[int, tuple[float, float]]:
    """Pure pursuit: the current segment and the point :data:`_LOOKAHEAD` further on.

    Segment ``seg`` runs from ``path[seg - 1]`` to ``path[seg]``.
    """
    last = len(path) - 1
    while True:
        ax, ay = path[seg - 1]
        bx, by = path[seg]
        vx, vy = bx - ax, by - ay
        l2 = vx * vx + vy * vy
        t = ((x - ax) * vx + (y - ay) * vy) / l2 if l2 > 1e-12 else 1.0
        if t >= 1.0 and seg < last:
            seg += 1
            continue
        break
    t = min(max(t, 0.0), 1.0)
    cx, cy = ax + t * vx, ay + t * vy
    left = _LOOKAHEAD
    s = seg
    while True:
        bx, by = path[s]
        d = math.hypot(bx - cx, by - cy)
        if d >= left:
            return seg, (cx + (bx - cx) / d * left, cy + (by - cy) / d * left)
        if s == last:
            return seg, (bx, by)
        left -= d
        cx, cy = bx, by
        s += 1


def _fixture_score(
    env: HomeSimEnv, target: str, want: str | None
) -> Callable[[Pose], float | None]:
    rect = env.layout.fixtures[target].rect

    def score(p: Pose) -> float | None:
        got, margin = env.fixture_target(want, p)
        if got != target or margin < _MARGIN:
            return None
        gx, gy = env._gripper_point(p)
        return rect.distance(gx, gy)

    return score


def _towards(tx: float, ty: float) -> Callable[[float, float], list[float]]:
    def headings(x: float, y: float) -> list[float]:
        return [math.atan2(ty - y, tx - x)]

    return headings


def _object_capacity(kind: str) -> float:
    k = OBJECT_KINDS.get(kind)
    return k.capacity_l if k is not None else 0.0


def _surface_under(env: HomeSimEnv, x: float, y: float) -> str | None:
    for name, f in env.layout.fixtures.items():
        if f.surface and f.rect.contains(x, y):
            return name
    return None


def _sees(env: HomeSimEnv, p: Pose, pts: list[tuple[float, float]], margin: float) -> bool:
    """Whether the camera at ``p`` sees one of ``pts`` ``margin`` rad inside its edge."""
    x, y, th = p
    for px, py in pts:
        d = math.hypot(px - x, py - y)
        if d > VIEW_RANGE:
            continue
        if d > 1e-9 and abs(angle_diff(math.atan2(py - y, px - x), th)) > HALF_FOV - margin:
            continue
        if env._los(x, y, px, py):
            return True
    return False


def _where(env: HomeSimEnv, x: float, y: float) -> str:
    """Where ``(x, y)`` is, for people: "in the doorway between the hallway and the kitchen"."""
    lay = env.layout
    for x0, y0, x1, _y1, gaps in lay.wall_lines:
        for g0, g1 in gaps:
            vertical = x0 == x1
            cx, cy = (x0, (g0 + g1) / 2) if vertical else ((g0 + g1) / 2, y0)
            if math.hypot(x - cx, y - cy) > max(_DOORWAY_M, abs(g1 - g0) / 2):
                continue
            off = (0.4, 0.0) if vertical else (0.0, 0.4)
            sides = {lay.room_at(cx - off[0], cy - off[1]), lay.room_at(cx + off[0], cy + off[1])}
            rooms = sorted(r for r in sides if r)
            if len(rooms) == 2:
                return f"in the doorway between the {rooms[0]} and the {rooms[1]}"
            if rooms:
                return f"in the doorway of the {rooms[0]}"
    room = lay.room_at(x, y)
    return f"in the {room}" if room else "in the way"


def _fixture_points(rect: Rect, p: Pose) -> list[tuple[float, float]]:
    """Perception detects a fixture if its centre or its nearest point is in view."""
    return [(rect.cx, rect.cy), rect.nearest_point(p[0], p[1])]


def _fixture_view(env: HomeSimEnv, rect: Rect) -> Callable[[Pose, float], bool]:
    """Whether the fixture with footprint ``rect`` would be detected from a pose."""

    def view(p: Pose, margin: float) -> bool:
        return _sees(env, p, _fixture_points(rect, p), margin)

    return view


def _landing_view(env: HomeSimEnv, target: str, name: str) -> Callable[[Pose, float], bool]:
    """The slot where ``name`` would land on/in ``target`` (as the env places it) is in view."""
    lay = env.layout

    def view(p: Pose, margin: float) -> bool:
        gx, gy = env._gripper_point(p)
        slots = landing_spots(lay, env.world, target, exclude=name)
        slot = min(slots, key=lambda sl: math.hypot(sl[0] - gx, sl[1] - gy))
        return _sees(env, p, [slot], margin)

    return view


def _point_view(env: HomeSimEnv, x: float, y: float) -> Callable[[Pose, float], bool]:
    def view(p: Pose, margin: float) -> bool:
        return _sees(env, p, [(x, y)], margin)

    return view


def _facing(rect) -> Callable[[float, float], list[float]]:
    def headings(x: float, y: float) -> list[float]:
        nx, ny = rect.nearest_point(x, y)
        return [math.atan2(ny - y, nx - x), math.atan2(rect.cy - y, rect.cx - x)]

    return headings


#: Expert classes by skill name.
EXPERTS: dict[str, type[HomeSimExpert]] = {
    e.skill: e
    for e in (
        NavigateExpert,
        PickExpert,
        PlaceExpert,
        OpenExpert,
        CloseExpert,
        ToggleExpert,
        FillExpert,
        PourExpert,
        WashExpert,
        WipeExpert,
        LoadExpert,
        UnloadExpert,
        FoldExpert,
    )
}


def make_expert(env: HomeSimEnv, skill: str, args: dict[str, Any]) -> HomeSimExpert:
    """Build the expert for ``skill``.

    Raises:
        KeyError: naming the known experts, if there is none for ``skill``.
        PolicyError: if ``args`` lack a required argument or name nothing in the home.
    """
    if skill not in EXPERTS:
        from housemind.sim.home.chore_experts import CHORE_EXPERTS

        EXPERTS.update(CHORE_EXPERTS)
    try:
        cls = EXPERTS[skill]
    except KeyError:
        raise KeyError(
            f"HomeSim has no expert for skill {skill!r}; experts: {', '.join(sorted(EXPERTS))}"
        ) from None
    return cls(env, args)
