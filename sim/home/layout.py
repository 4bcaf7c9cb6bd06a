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

from sim.home.geometry import Rect

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
        misplaceable: May start misplaced in the living room.
    """

    name: str
    kind: str
    places: tuple[tuple[str, float], ...]
    home: tuple[str, str]
    can_be_dirty: bool = False
    misplaceable: bool = False


@dataclass
class HomeLayout:
    """A floor plan with everything derived from it (walls, approach poses, slots)."""

    width: float
    height: float
    rooms: dict[str, RoomSpec]
    fixtures: dict[str, FixtureSpec]
    objects: dict[str, ObjectSpec]
    wall_lines: list[tuple[float, float, float, float, list[tuple[float, float]]]]
    dock: tuple[float, float, float]
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


def _fx(
    name: str, room: str, rect: tuple[float, float, float, float], approach: Side, **flags: bool
) -> FixtureSpec:
    return FixtureSpec(
        name=name, kind=name, room=room, rect=Rect(*rect), approach=approach, **flags
    )


def _obj(
    name: str,
    places: dict[str, float],
    home: tuple[str, str],
    *,
    kind: str = "",
    dirty: bool = False,
    misplaceable: bool = False,
) -> ObjectSpec:
    return ObjectSpec(
        name=name,
        kind=kind or name,
        places=tuple(places.items()),
        home=home,
        can_be_dirty=dirty,
        misplaceable=misplaceable,
    )


@functools.cache
def default_layout() -> HomeLayout:
    """The HomeSim v1 apartment (built once and shared; treat it as read-only)."""
    rooms = {
        "kitchen": RoomSpec("kitchen", Rect(0.0, 4.5, 4.0, 8.0), (236, 222, 190)),
        "bedroom": RoomSpec("bedroom", Rect(0.0, 0.0, 4.0, 4.5), (200, 214, 236)),
        "hallway": RoomSpec("hallway", Rect(4.0, 0.0, 5.5, 8.0), (214, 214, 206)),
        "living_room": RoomSpec("living_room", Rect(5.5, 3.0, 11.0, 8.0), (206, 232, 200)),
        "bathroom": RoomSpec("bathroom", Rect(5.5, 0.0, 11.0, 3.0), (196, 232, 236)),
    }
    fixtures = [
        _fx("fridge", "kitchen", (0.1, 7.2, 0.9, 7.95), "s", openable=True, container=True),
        _fx("counter", "kitchen", (1.0, 7.35, 2.0, 7.95), "s", surface=True),
        _fx("sink", "kitchen", (2.05, 7.35, 2.85, 7.95), "s", switchable=True, container=True),
        _fx("stove", "kitchen", (2.9, 7.35, 3.7, 7.95), "s", switchable=True, surface=True),
        _fx("cabinet", "kitchen", (0.05, 4.8, 0.65, 6.0), "e", openable=True, container=True),
        _fx("table", "kitchen", (1.8, 5.2, 3.0, 6.0), "n", surface=True),
        _fx("trash_bin", "kitchen", (3.3, 4.6, 3.75, 5.0), "n", container=True),
        _fx("bed", "bedroom", (0.05, 2.6, 2.05, 4.45), "e", surface=True),
        _fx("nightstand", "bedroom", (2.15, 4.0, 2.6, 4.45), "s", surface=True),
        _fx("sofa", "living_room", (7.0, 7.1, 9.2, 7.95), "s", surface=True),
        _fx("coffee_table", "living_room", (7.5, 5.6, 8.7, 6.2), "s", surface=True),
        _fx("shelf", "living_room", (10.5, 4.0, 10.95, 5.6), "w", surface=True),
        _fx("toy_box", "living_room", (6.0, 3.05, 6.6, 3.55), "n", container=True),
        _fx("laundry_basket", "bathroom", (8.0, 0.1, 8.7, 0.6), "n", container=True),
        _fx(
            "washer",
            "bathroom",
            (9.2, 0.05, 9.9, 0.75),
            "n",
            openable=True,
            switchable=True,
            container=True,
        ),
    ]
    objects = [
        _obj("mug", {"cabinet": 0.4, "counter": 0.4, "table": 0.2}, ("in", "cabinet"), dirty=True),
        _obj("plate", {"cabinet": 0.6, "counter": 0.4}, ("in", "cabinet"), dirty=True),
        _obj(
            "plate_2", {"cabinet": 0.6, "table": 0.4}, ("in", "cabinet"), kind="plate", dirty=True
        ),
        _obj("bowl", {"cabinet": 0.5, "counter": 0.5}, ("in", "cabinet"), dirty=True),
        _obj("pot", {"stove": 0.6, "cabinet": 0.4}, ("on", "stove"), dirty=True),
        _obj("knife", {"counter": 0.5, "cabinet": 0.5}, ("in", "cabinet"), dirty=True),
        _obj("sponge", {"sink": 0.5, "counter": 0.5}, ("in", "sink")),
        _obj("apple", {"table": 0.5, "counter": 0.5}, ("on", "table")),
        _obj("milk", {"fridge": 0.5, "counter": 0.5}, ("in", "fridge")),
        _obj(
            "shirt",
            {"laundry_basket": 0.7, "bed": 0.3},
            ("in", "laundry_basket"),
            dirty=True,
            misplaceable=True,
        ),
        _obj(
            "socks",
            {"laundry_basket": 0.7, "bed": 0.3},
            ("in", "laundry_basket"),
            dirty=True,
            misplaceable=True,
        ),
        _obj("towel", {"laundry_basket": 0.5, "washer": 0.5}, ("in", "laundry_basket"), dirty=True),
        _obj("keys", {"nightstand": 0.4, "shelf": 0.3, "table": 0.3}, ("on", "shelf")),
        _obj("book", {"shelf": 0.5, "nightstand": 0.5}, ("on", "shelf"), misplaceable=True),
        _obj("toy", {"toy_box": 1.0}, ("in", "toy_box"), misplaceable=True),
        _obj("remote", {"coffee_table": 0.6, "sofa": 0.4}, ("on", "coffee_table")),
    ]
    # Wall centre lines (x0, y0, x1, y1) with doorway gaps along them.
    wall_lines = [
        (0.0, 0.0, 11.0, 0.0, []),
        (0.0, 8.0, 11.0, 8.0, []),
        (0.0, 0.0, 0.0, 8.0, []),
        (11.0, 0.0, 11.0, 8.0, []),
        # Doorways are 1.2-1.5 m: the robot is 0.5 m wide and the planner keeps 5 cm more.
        (4.0, 0.0, 4.0, 8.0, [(1.4, 2.6), (5.9, 7.1)]),  # bedroom, kitchen doors
        (5.5, 0.0, 5.5, 8.0, [(0.9, 2.1), (5.0, 6.5)]),  # bathroom, living-room doors
        (0.0, 4.5, 4.0, 4.5, []),
        (5.5, 3.0, 11.0, 3.0, []),
    ]
    return HomeLayout(
        width=11.0,
        height=8.0,
        rooms=rooms,
        fixtures={f.name: f for f in fixtures},
        objects={o.name: o for o in objects},
        wall_lines=wall_lines,
        dock=(4.75, 4.0, math.pi / 2),
    )
