"""Action-level safety: limits applied to every action in the executor's control loop.

:class:`ActionGuard` runs once per control tick (50-200 Hz), so it uses plain float math,
takes no locks on the hot path and allocates only the action it returns. What an action's
entries mean comes from the env's :class:`~safety.action_layout.ActionLayout` (a mobile
base's velocity, an arm's hand velocity, a gripper ...), read every tick, so one guard
serves HomeSim's base and Meta-World's arm in the same household run.
"""

from __future__ import annotations

import logging
import math
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from housemind.safety.action_layout import ActionLayout
from housemind.safety.rulebook import ActionLimits, KeepOutZone
from housemind.skills.types import Observation, Proprio

__all__ = ["HOMESIM_ANGULAR_SCALE_RPS", "HOMESIM_LINEAR_SCALE_MPS", "ActionGuard"]

logger = logging.getLogger(__name__)

#: HomeSim maps action ``vx``/``vy`` = 1 to 0.8 m/s (robot frame).
HOMESIM_LINEAR_SCALE_MPS = 0.8
#: HomeSim maps action ``wz`` = 1 to 2 rad/s.
HOMESIM_ANGULAR_SCALE_RPS = 2.0

_Zone = tuple[str, float, float, float, float]
#: A floor hazard this close, in view, is seen whatever room it is in (across a doorway).
#: Clearing a zone wrongly (a spill behind a wall) is undone the moment the spill comes in
#: sight, which it must before the robot can drive into it.
NEAR_VIEW_M = 2.5


class _Compiled:
    """One layout's limits in action units, so the hot path does no unit conversion."""

    __slots__ = (
        "at_xy",
        "base",
        "dim",
        "hand",
        "hold",
        "layout",
        "look",
        "max_hand",
        "max_hand_near",
        "max_lin",
        "max_lin_near",
        "max_wz",
    )

    def __init__(
        self,
        limits: ActionLimits,
        layout: ActionLayout | None,
        linear_scale_mps: float,
        angular_scale_rps: float,
    ) -> None:
        self.layout = layout  # kept so that its id is not reused while cached
        if layout is None:  # no layout declared: HomeSim's base in the first three entries
            self.base: tuple[int, int, int] | None = (0, 1, 2)
            self.hand: tuple[int, int, int] | None = None
            self.hold: tuple[int, ...] = ()
            self.at_xy: tuple[float, float] | None = None
            self.dim = 0  # any length from 3
            lin, ang, hand_scale = linear_scale_mps, angular_scale_rps, 1.0
        else:
            self.base, self.hand, self.hold = layout.base, layout.hand, layout.hold_on_stop
            self.at_xy = layout.at_xy
            self.dim = layout.dim
            lin, ang = layout.linear_scale_mps, layout.angular_scale_rps
            hand_scale = layout.hand_scale_mps
        self.max_lin = min(1.0, limits.max_speed_mps / lin)
        self.max_lin_near = min(self.max_lin, limits.max_speed_near_people_mps / lin)
        self.max_wz = min(1.0, limits.max_yaw_rate_rps / ang)
        self.look = limits.lookahead_s * lin  # action units -> metres ahead
        self.max_hand = min(1.0, limits.max_hand_speed_mps / hand_scale)
        self.max_hand_near = min(self.max_hand, limits.max_hand_speed_near_people_mps / hand_scale)


class ActionGuard:
    """Clamps actions to the rule book's limits and holds an emergency stop.

    What an action's entries mean is the env's :class:`~safety.action_layout.ActionLayout`:
    the ``layout`` given to :meth:`filter`, else the ``action_layout`` of the env given to
    :meth:`attach` (read every tick: a household env switches from the base to the kitchen
    station's arm and back), else HomeSim's base in the first three entries
    (``[vx, vy, wz, ...]``, ``vx``/``vy`` in units of ``linear_scale_mps``, ``wz`` in units of
    ``angular_scale_rps``; any length from three).

    What :meth:`filter` does, in order:

    1. after :meth:`estop`, return zeros until :meth:`reset_estop` (entries the layout
       holds on a stop, such as a gripper's grip, keep their command);
    2. hold still (zeros) when the action's length is not the layout's;
    3. clip every entry to ``[-1, 1]``;
    4. a base: limit its speed to ``max_speed_mps`` and its turn rate to
       ``max_yaw_rate_rps``; within ``near_people_m`` of a person, limit the speed to
       ``max_speed_near_people_mps``; within ``stop_near_people_m``, stop any motion that
       brings the robot closer to that person (moving away stays allowed); stop if the
       motion, projected ``lookahead_s`` ahead, would enter (or go deeper into) a keep-out
       zone grown by ``keep_out_margin_m``;
    5. a hand: limit its speed to ``max_hand_speed_mps``, to
       ``max_hand_speed_near_people_mps`` within ``near_people_m`` of a person (measured
       from where the arm stands, the layout's ``at_xy`` or the base; when neither is
       known, anyone in view counts as near), and stop it within ``stop_near_people_m``.

    Args:
        limits: The limits (the rule book's ``action`` section); defaults if None.
        linear_scale_mps: m/s that a base velocity action of 1 means (no layout declared).
        angular_scale_rps: rad/s that a turn action of 1 means (no layout declared).
        on_estop: Called with the reason after the stop flag is set (e.g. to audit it);
            its errors are logged and never undo the stop.
        hazard_radius_m: Size of a floor hazard whose detection gives none.
        view_range_m: How far the camera sees a floor hazard (within HomeSim's 6 m, so a
            hazard near the edge of sight is not forgotten for noise).
        view_half_angle_rad: Half the camera's field of view for the same check (HomeSim
            sees 60° either side).

    Attributes:
        last_reason: Why the last :meth:`filter` call changed the action (``"estop"``,
            ``"action-size"``, ``"speed"``, ``"near-person"``, ``"person-too-close"``,
            ``"keep-out:<zone>"``, ``"hazard:<name>"``, ``"hand-speed"``,
            ``"hand-near-person"``, ``"hand-person-too-close"``), or None if it passed
            unchanged. For logs and tests.
    """

    def __init__(
        self,
        limits: ActionLimits | None = None,
        *,
        linear_scale_mps: float = HOMESIM_LINEAR_SCALE_MPS,
        angular_scale_rps: float = HOMESIM_ANGULAR_SCALE_RPS,
        on_estop: Callable[[str], None] | None = None,
        hazard_radius_m: float = 0.3,
        view_range_m: float = 4.0,
        view_half_angle_rad: float = math.radians(50.0),
    ) -> None:
        if linear_scale_mps <= 0 or angular_scale_rps <= 0:
            raise ValueError(
                "linear_scale_mps and angular_scale_rps must be > 0, got "
                f"{linear_scale_mps}, {angular_scale_rps}"
            )
        self.limits = limits or ActionLimits()
        self.linear_scale_mps = float(linear_scale_mps)
        self.angular_scale_rps = float(angular_scale_rps)
        self.on_estop = on_estop
        self.hazard_radius_m = float(hazard_radius_m)
        self.view_range_m = float(view_range_m)
        self.view_half_angle_rad = float(view_half_angle_rad)
        self._hazard_rooms: dict[str, str] = {}
        lim = self.limits
        self._default = _Compiled(lim, None, self.linear_scale_mps, self.angular_scale_rps)
        self._layouts: dict[int, _Compiled] = {}
        self._env: Any = None
        self._warned: set[int] = set()
        self._near2 = lim.near_people_m**2
        self._stop2 = lim.stop_near_people_m**2
        self._zones: tuple[_Zone, ...] = ()
        self._static_zones: tuple[_Zone, ...] = ()
        self._hazards: dict[str, _Zone] = {}
        self.set_keep_out_zones(lim.keep_out_zones)
        self._stop = threading.Event()
        self._stop_reason: str | None = None
        self.last_reason: str | None = None

    # -- the robot's action layout -----------------------------------------------------

    def attach(self, env: Any) -> None:
        """Read the action layout from ``env.action_layout`` on every tick (None: detach).

        The executor calls this with the env it drives. An env without the attribute is
        read as HomeSim's base.
        """
        self._env = env

    def _compiled(self, layout: ActionLayout) -> _Compiled:
        c = self._layouts.get(id(layout))
        if c is None or c.layout is not layout:
            c = _Compiled(self.limits, layout, self.linear_scale_mps, self.angular_scale_rps)
            if len(self._layouts) > 64:  # layouts built per call: keep the cache small
                self._layouts.clear()
            self._layouts[id(layout)] = c
        return c

    # -- emergency stop ---------------------------------------------------------------

    @property
    def stopped(self) -> bool:
        """True after :meth:`estop` until :meth:`reset_estop`."""
        return self._stop.is_set()

    @property
    def stop_reason(self) -> str | None:
        """Why the robot is stopped, or None."""
        return self._stop_reason if self._stop.is_set() else None

    def estop(self, reason: str) -> None:
        """Stop all motion now; safe to call from any thread (a button, a watchdog).

        Args:
            reason: Why, for the person and the audit log.
        """
        self._stop_reason = reason
        self._stop.set()
        logger.warning("emergency stop: %s", reason)
        if self.on_estop is not None:
            try:
                self.on_estop(reason)
            except Exception:
                logger.exception("on_estop callback failed (the robot stays stopped)")

    def reset_estop(self) -> None:
        """Allow motion again (a person decided it is safe)."""
        self._stop.clear()
        self._stop_reason = None

    # -- zones ------------------------------------------------------------------------

    def set_keep_out_zones(self, zones: Iterable[KeepOutZone]) -> None:
        """Replace the keep-out zones (e.g. from the map); takes effect on the next tick."""
        m = self.limits.keep_out_margin_m
        self._static_zones = tuple(
            ("keep-out:" + z.name, z.rect[0] - m, z.rect[1] - m, z.rect[2] + m, z.rect[3] + m)
            for z in zones
        )
        # One tuple swapped in at once: the control thread sees the old or the new set.
        self._zones = self._static_zones + tuple(self._hazards.values())

    # -- what the robot sees -----------------------------------------------------------

    @property
    def hazards(self) -> dict[str, tuple[float, float, float, float]]:
        """Floor hazards turned into keep-out zones: name -> ``(x0, y0, x1, y1)`` (grown)."""
        return {name: z[1:] for name, z in self._hazards.items()}

    def update(self, obs: Observation) -> None:
        """Turn floor hazards in an observation (a spill, broken glass) into keep-out zones.

        Called by the executor at each observation, not each tick. A detection of
        category ``hazard`` at ``position`` with ``state["radius"]`` (default
        ``hazard_radius_m``) becomes a square zone grown by ``keep_out_margin_m``; it
        stays until :meth:`clear_hazard` (out of sight is not gone), or until the robot looks
        at the spot and it is gone: the observation shows the floor of the hazard's room (a
        ``floor`` detection; or the hazard is within :data:`NEAR_VIEW_M`), the hazard's
        centre lies within ``view_range_m`` and
        ``view_half_angle_rad`` of the robot's heading, yet no detection names it (someone
        wiped it up).
        """
        changed = False
        m = self.limits.keep_out_margin_m
        seen = {d.name for d in obs.detections if d.category == "hazard"}
        floors = {d.room for d in obs.detections if d.category == "floor"}
        if floors and self._hazards:
            p = obs.proprio
            for name, zone in list(self._hazards.items()):
                if name in seen:
                    continue
                cx, cy = (zone[1] + zone[3]) / 2, (zone[2] + zone[4]) / 2
                dx, dy = cx - p.x, cy - p.y
                dist = math.hypot(dx, dy)
                # In the room whose floor is in view, or close by (across a doorway).
                near = dist <= NEAR_VIEW_M
                if dist > self.view_range_m or (
                    self._hazard_rooms.get(name) not in floors and not near
                ):
                    continue
                off = math.atan2(dy, dx) - p.theta
                if abs(math.atan2(math.sin(off), math.cos(off))) > self.view_half_angle_rad:
                    continue
                del self._hazards[name]
                self._hazard_rooms.pop(name, None)
                changed = True
                logger.info("keep-out zone around %s cleared: in view and gone", name)
        for d in obs.detections:
            # Only floor hazards are zones; the others (a hot hob, a child by the stove,
            # ``state["floor"] is False``) are facts for the plan-step rules.
            if d.category != "hazard" or d.state.get("floor") is False:
                continue
            r = float(d.state.get("radius", self.hazard_radius_m)) + m
            x, y = d.position
            zone = ("hazard:" + d.name, x - r, y - r, x + r, y + r)
            old = self._hazards.get(d.name)
            # Perception noise moves the spill by centimetres; keep the first estimate.
            moved = old is None or abs(old[1] - zone[1]) > 0.1 or abs(old[2] - zone[2]) > 0.1
            if d.room:
                self._hazard_rooms[d.name] = d.room
            if moved or abs(old[3] - zone[3]) > 0.1:
                self._hazards[d.name] = zone
                changed = True
                logger.info("keep-out zone around %s %s at (%.2f, %.2f)", d.kind, d.name, x, y)
        if changed:
            self._zones = self._static_zones + tuple(self._hazards.values())

    def clear_hazard(self, name: str | None = None) -> None:
        """Forget one floor hazard (it was cleaned up), or all of them if ``name`` is None."""
        if name is None:
            self._hazards.clear()
            self._hazard_rooms.clear()
        else:
            self._hazards.pop(name, None)
            self._hazard_rooms.pop(name, None)
        self._zones = self._static_zones + tuple(self._hazards.values())

    # -- hot path ---------------------------------------------------------------------

    def filter(
        self,
        action: np.ndarray,
        proprio: Proprio,
        people_xy: Sequence[tuple[float, float]] = (),
        layout: ActionLayout | None = None,
    ) -> np.ndarray:
        """Return ``action`` clamped to the limits (a new float32 array).

        Args:
            action: The policy's action, ``float32[layout.dim]``.
            proprio: The robot's pose (world frame) and state now.
            people_xy: World positions (m) of the people the robot perceives.
            layout: What the entries mean; the attached env's if None (see the class).
        """
        if layout is None and self._env is not None:
            layout = getattr(self._env, "action_layout", None)
        lim = self._default if layout is None else self._compiled(layout)
        if self._stop.is_set():
            self.last_reason = "estop"
            out = np.zeros(action.shape, dtype=np.float32)
            for i in lim.hold:
                out[i] = min(1.0, max(-1.0, float(action[i])))
            return out
        if lim.dim and len(action) != lim.dim:
            self.last_reason = "action-size"
            if layout is not None and id(layout) not in self._warned:
                self._warned.add(id(layout))
                logger.error(
                    "action of %d entries for a layout of %d %s; holding still (check the "
                    "policy's action size against the env's action_layout)",
                    len(action),
                    lim.dim,
                    list(layout.names),
                )
            return np.zeros(action.shape, dtype=np.float32)
        out = np.array(action, dtype=np.float32)  # the one allocation: our own copy
        # minimum/maximum, not np.clip: same result, half the time on six numbers.
        np.minimum(out, 1.0, out=out)
        np.maximum(out, -1.0, out=out)
        reason = None if lim.base is None else self._base(out, lim, proprio, people_xy)
        if lim.hand is not None:
            reason = self._hand(out, lim, proprio, people_xy) or reason
        self.last_reason = reason
        return out

    def _base(
        self,
        out: np.ndarray,
        lim: _Compiled,
        proprio: Proprio,
        people_xy: Sequence[tuple[float, float]],
    ) -> str | None:
        """Limit a base's velocity in place; why it changed, or None."""
        reason: str | None = None
        b0, b1, b2 = lim.base  # type: ignore[misc]
        if b0 == 0 and b1 == 1 and b2 == 2:
            vx, vy, wz = out[:3].tolist()
        else:
            vx, vy, wz = float(out[b0]), float(out[b1]), float(out[b2])
        max_wz = lim.max_wz
        if wz > max_wz or wz < -max_wz:
            wz = max_wz if wz > 0 else -max_wz
            out[b2] = wz
            reason = "speed"
        if vx == 0.0 and vy == 0.0:
            return reason
        x = proprio.x
        y = proprio.y
        # Nearest person.
        best2 = math.inf
        px = py = 0.0
        for p in people_xy:
            dx = p[0] - x
            dy = p[1] - y
            d2 = dx * dx + dy * dy
            if d2 < best2:
                best2, px, py = d2, p[0], p[1]
        limit = lim.max_lin_near if best2 <= self._near2 else lim.max_lin
        speed2 = vx * vx + vy * vy
        if speed2 > limit * limit:
            k = limit / math.sqrt(speed2)
            vx *= k
            vy *= k
            reason = "near-person" if best2 <= self._near2 else "speed"
        # World-frame displacement over the lookahead (metres).
        c = math.cos(proprio.theta)
        s = math.sin(proprio.theta)
        look = lim.look
        wx = (vx * c - vy * s) * look
        wy = (vx * s + vy * c) * look
        if best2 <= self._stop2 and (px - x) * wx + (py - y) * wy > 0.0:
            vx = vy = 0.0
            reason = "person-too-close"
        else:
            nx = x + wx
            ny = y + wy
            for name, x0, y0, x1, y1 in self._zones:
                if x0 < nx < x1 and y0 < ny < y1:
                    depth_next = min(nx - x0, x1 - nx, ny - y0, y1 - ny)
                    inside_now = x0 < x < x1 and y0 < y < y1
                    depth_now = min(x - x0, x1 - x, y - y0, y1 - y) if inside_now else 0.0
                    # Inside already (pushed, or the map changed): moving out is allowed.
                    if depth_next > depth_now:
                        vx = vy = 0.0
                        reason = name
                        break
        out[b0] = vx
        out[b1] = vy
        return reason

    def _hand(
        self,
        out: np.ndarray,
        lim: _Compiled,
        proprio: Proprio,
        people_xy: Sequence[tuple[float, float]],
    ) -> str | None:
        """Limit an arm's hand velocity in place; why it changed, or None."""
        h0, h1, h2 = lim.hand  # type: ignore[misc]
        dx, dy, dz = float(out[h0]), float(out[h1]), float(out[h2])
        speed2 = dx * dx + dy * dy + dz * dz
        if speed2 == 0.0:
            return None
        at = lim.at_xy
        if at is None and lim.base is not None:
            at = (proprio.x, proprio.y)
        near = close = False
        if people_xy:
            if at is None:
                near = True  # where the arm stands is unknown: anyone in view is near
            else:
                best2 = min((p[0] - at[0]) ** 2 + (p[1] - at[1]) ** 2 for p in people_xy)
                near = best2 <= self._near2
                close = best2 <= self._stop2
        if close:
            out[h0] = out[h1] = out[h2] = 0.0
            return "hand-person-too-close"
        limit = lim.max_hand_near if near else lim.max_hand
        if speed2 <= limit * limit:
            return None
        k = limit / math.sqrt(speed2)
        out[h0] = dx * k
        out[h1] = dy * k
        out[h2] = dz * k
        return "hand-near-person" if near else "hand-speed"
