"""The floor plan: rooms, walls with doorways, fixtures, and where movable objects belong.

The apartment is 11 m × 8 m. A hallway runs north-south through the middle; the kitchen
and the bedroom open to it on the west, the living room and the bathroom on the east::

    y=8 +-----------------+------+---------------------------------+
        | fridge counter sink stove |      |        sofa                 |
        | cabinet   table  (door)     hall |   coffee_table        shelf |
    4.5 +-------------------+  way (door)   living_room                  |
        | nightstand        |      +------------------------------ y=3 +
        | bed       (door)  | (door)  laundry_basket  washer bathroom  |
    y=0 +-------------------+------+---------------------------------+
       x=0                 x=4   x=5.5                             x=11

Each fixture has one *approach side*; its approach pose stands :data:`APPROACH_STANDOFF`
from that side, facing it, so the gripper point (:data:`GRIPPER_OFFSET` ahead of the
robot's centre) lies over the fixture and every slot on it is within ``REACH_M``.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Literal

from housemind.sim.home.geometry import Rect

__all__ = [
    "APPROACH_STANDOFF",
    "GRIPPER_OFFSET",
    "RESIDENT_RADIUS",
    "ROBOT_RADIUS",
    "SLOT_SPACING",
    "FixtureSpec",
    "HomeLayout",
    "ObjectSpec",
    "RoomSpec",
    "default_layout",
]

#: The robot is a disc of this radius (m).
ROBOT_RADIUS = 0.25
#: People are discs of this radius (m).
RESIDENT_RADIUS = 0.3
#: The gripper point lies this far ahead of the robot's centre (m).
GRIPPER_OFFSET = 0.45
#: Gap between the robot's centre and a fixture's approach side at the approach pose (m).
#: 0.35 leaves 0.1 m of clearance and puts the gripper point 0.1 m over the fixture.
APPROACH_STANDOFF = 0.35
#: Minimum distance between two objects resting on the same fixture (m).
SLOT_SPACING = 0.25
#: Slots lie within this distance of the approach pose (a margin under ``REACH_M``).
_SLOT_REACH = 0.93
WALL_THICKNESS = 0.1

Side = Literal["n", "s", "e", "w"]
# Unit vector pointing from the fixture out towards its approach side.
_OUTWARD: dict[str, tuple[float, float]] = {
    "n": (0.0, 1.0),
    "s": (0.0, -1.0),
    "e": (1.0, 0.0),
    "w": (-1.0, 0.0),
}


@dataclass(frozen=True)
class RoomSpec:
    """A room: an axis-aligned rectangle between wall centre lines."""

    name: str
    rect: Rect
    colour: tuple[int, int, int]
    #: What sort of room it is (``"bedroom"`` for ``kids_room``); the name if not given.
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            object.__setattr__(self, "kind", self.name)


@dataclass(frozen=True)
class FixtureSpec:
    """A piece of furniture or an appliance; its footprint blocks the robot.

    Attributes:
        name: Unique name.
        kind: What it is (for v1 the same as the name).
        room: Room it stands in.
        rect: Footprint.
        approach: Side from which the robot reaches it.
        openable: Has a door or lid (``open`` state).
        switchable: Can be switched on and off (``on`` state; the sink's faucet).
        container: Objects go ``in`` it.
        surface: Objects go ``on`` it.
    """

    name: str
    kind: str
    room: str
    rect: Rect
    approach: Side
    openable: bool = False
    switchable: bool = False
    container: bool = False
    surface: bool = False

    def info(self) -> dict:
        """A JSON-friendly description."""
        return {
            "kind": self.kind,
            "room": self.room,
            "openable": self.openable,
            "switchable": self.switchable,
            "container": self.container,
            "surface": self.surface,
            "footprint": self.rect.as_list(),
        }


@dataclass(frozen=True)
class ObjectSpec:
    """A movable object and where it plausibly starts.

    Attributes:
        name: Unique name (``plate_2``).
        kind: What it is (``plate``).
        places: ``(fixture, weight)`` candidates for the start position.
        home: ``(relation, fixture)`` where it belongs when the home is tidy.
        can_be_dirty: Whether dirt makes sense (dishes, clothes).
        misplaceable: May start misplaced (on the floor or a surface of the plan's
            :attr:`HomeLayout.misplace_rooms` / :attr:`HomeLayout.misplace_surfaces`).
        start: Seeded starting state, ``(field, lo, hi)`` per :class:`ObjectState` field:
            numeric fields (``quantity``, ``moisture``, ``fill``) are drawn uniformly from
            ``[lo, hi]``, boolean ones (``dirty``, ``wet``, ``folded``) are true with
            probability ``hi``. Empty: the defaults (a v1 object).
    """

    name: str
    kind: str
    places: tuple[tuple[str, float], ...]
    home: tuple[str, str]
    can_be_dirty: bool = False
    misplaceable: bool = False
    start: tuple[tuple[str, float, float], ...] = ()


@dataclass
class HomeLayout:
    """A floor plan with everything derived from it (walls, approach poses, slots).

    Attributes:
        name: Plan name (:func:`sim.home.plans.plan_names`).
        furniture_seed: Seed that placed the movable furniture (None: the plan as drawn).
        misplace_rooms: Rooms whose floor misplaced objects start on.
        misplace_surfaces: Surfaces misplaced objects may start on instead.
        misplace_count: Fewest and most objects misplaced at a reset.
        household: Kinds of the people (and pets) who live here, ``("adult", "child")``.
        description: One line for people.
    """

    width: float
    height: float
    rooms: dict[str, RoomSpec]
    fixtures: dict[str, FixtureSpec]
    objects: dict[str, ObjectSpec]
    wall_lines: list[tuple[float, float, float, float, list[tuple[float, float]]]]
    dock: tuple[float, float, float]
    name: str = "apartment"
    furniture_seed: int | None = None
    misplace_rooms: tuple[str, ...] = ("living_room",)
    misplace_surfaces: tuple[str, ...] = ("sofa",)
    misplace_count: tuple[int, int] = (2, 3)
    household: tuple[str, ...] = ("adult",)
    description: str = ""
    walls: list[Rect] = field(init=False)
    vwalls: tuple[tuple[float, float, float], ...] = field(init=False)
    hwalls: tuple[tuple[float, float, float], ...] = field(init=False)
    approach: dict[str, tuple[float, float, float]] = field(init=False)
    slots: dict[str, list[tuple[float, float]]] = field(init=False)

    def __post_init__(self) -> None:
        self._build_walls()
        self.approach = {n: self._approach_pose(f) for n, f in self.fixtures.items()}
        self.slots = {n: self._slots(f) for n, f in self.fixtures.items()}
        self._room_list = list(self.rooms.values())

    # -- derived geometry -------------------------------------------------------------

    def _build_walls(self) -> None:
        half = WALL_THICKNESS / 2
        rects: list[Rect] = []
        vw: list[tuple[float, float, float]] = []
        hw: list[tuple[float, float, float]] = []
        for x0, y0, x1, y1, gaps in self.wall_lines:
            vertical = x0 == x1
            lo, hi = (y0, y1) if vertical else (x0, x1)
            pieces: list[tuple[float, float]] = []
            cur = lo
            for g0, g1 in sorted(gaps):
                if g0 > cur:
                    pieces.append((cur, g0))
                cur = g1
            if cur < hi:
                pieces.append((cur, hi))
            for a, b in pieces:
                if vertical:
                    rects.append(Rect(x0 - half, a - half, x0 + half, b + half))
                    vw.append((x0, a, b))
                else:
                    rects.append(Rect(a - half, y0 - half, b + half, y0 + half))
                    hw.append((y0, a, b))
        self.walls, self.vwalls, self.hwalls = rects, tuple(vw), tuple(hw)

    @staticmethod
    def _approach_pose(f: FixtureSpec) -> tuple[float, float, float]:
        ox, oy = _OUTWARD[f.approach]
        r = f.rect
        ex = {"e": r.x1, "w": r.x0}.get(f.approach, r.cx)
        ey = {"n": r.y1, "s": r.y0}.get(f.approach, r.cy)
        return (ex + ox * APPROACH_STANDOFF, ey + oy * APPROACH_STANDOFF, math.atan2(-oy, -ox))

    def _slots(self, f: FixtureSpec) -> list[tuple[float, float]]:
        ax, ay, _ = self._approach_pose(f)
        ox, oy = _OUTWARD[f.approach]
        tx, ty = -oy, ox  # along the approach side
        r = f.rect
        depth = r.height if f.approach in "ns" else r.width
        span = r.width if f.approach in "ns" else r.height
        ex = {"e": r.x1, "w": r.x0}.get(f.approach, r.cx)
        ey = {"n": r.y1, "s": r.y0}.get(f.approach, r.cy)
        # One row near the approach edge: an object in a second row, behind another, could
        # never be the one nearest the gripper point, so it could never be picked.
        d = min(0.2, depth / 2)
        n = int((span - 0.16) / SLOT_SPACING + 1e-9) + 1  # slots fitting with 8 cm insets
        lats = [(k - (n - 1) / 2) * SLOT_SPACING for k in range(n)]
        out = []
        for lat in sorted(lats, key=abs):
            x = ex - ox * d + tx * lat
            y = ey - oy * d + ty * lat
            if math.hypot(x - ax, y - ay) <= _SLOT_REACH:
                out.append((round(x, 4), round(y, 4)))
        return out

    # -- queries ------------------------------------------------------------------------

    def room_at(self, x: float, y: float) -> str:
        """The room containing ``(x, y)`` (the nearest room for points inside walls)."""
        for room in self._room_list:
            r = room.rect
            if r.x0 <= x <= r.x1 and r.y0 <= y <= r.y1:
                return room.name
        return min(self._room_list, key=lambda rm: rm.rect.distance(x, y)).name

    def fixture_distance(self, name: str, x: float, y: float) -> float:
        """Distance from ``(x, y)`` to the nearest point of fixture ``name``'s footprint."""
        return self.fixtures[name].rect.distance(x, y)


@functools.cache
def default_layout() -> HomeLayout:
    """The HomeSim v1 apartment (plan ``"apartment"``; shared, treat it as read-only)."""
    from housemind.sim.home.plans import load_plan  # the plans module builds on this one

    return load_plan("apartment")
