"""What the robot senses: detections in its field of view and an egocentric image.

Detections model an ideal object detector with a little position noise: things within
:data:`VIEW_RANGE` and :data:`HALF_FOV` of the heading, with a clear line of sight (walls
block it; furniture does not), and not hidden in a closed container. The image is a
robot-centred, heading-up top-down view of :data:`IMAGE_SPAN` metres: the floor plan from
a prerendered raster plus markers for what the robot currently detects.
"""

from __future__ import annotations

import math
import random

import numpy as np

from housemind.sim.home.catalogue import FIXTURE_KINDS, OBJECT_KINDS
from housemind.sim.home.geometry import segment_blocked
from housemind.sim.home.hazards import hazards
from housemind.sim.home.layout import GRIPPER_OFFSET, HomeLayout
from housemind.sim.home.world import BURNT_AT, DRY_BELOW, FixtureState, ObjectState, WorldState
from housemind.skills.types import Detection

__all__ = [
    "HALF_FOV",
    "IMAGE_SPAN",
    "VIEW_RANGE",
    "Camera",
    "detect",
    "fixture_state",
    "kind_colour",
    "object_state",
]

VIEW_RANGE = 6.0
HALF_FOV = math.radians(60.0)
IMAGE_SPAN = 6.0
POSITION_NOISE = 0.02
_RASTER_RES = 0.05

WALL_COLOUR = (60, 60, 66)
PERSON_COLOUR = (250, 100, 180)
HAZARD_COLOUR = (40, 120, 255)
ROBOT_COLOUR = (20, 160, 250)


def kind_colour(kind: str) -> tuple[int, int, int]:
    """Display colour of a fixture or object kind from the catalogue (grey when unknown)."""
    k = FIXTURE_KINDS.get(kind) or OBJECT_KINDS.get(kind)
    return k.colour if k is not None else (128, 128, 128)


def _visible(
    rx: float, ry: float, c: float, s: float, px: float, py: float, layout: HomeLayout
) -> bool:
    dx, dy = px - rx, py - ry
    fwd = dx * c + dy * s
    d2 = dx * dx + dy * dy
    if d2 > VIEW_RANGE * VIEW_RANGE:
        return False
    if d2 > 1e-12:
        left = -dx * s + dy * c
        if abs(math.atan2(left, fwd)) > HALF_FOV:
            return False
    return not segment_blocked(rx, ry, px, py, layout.vwalls, layout.hwalls)


def detect(
    layout: HomeLayout, world: WorldState, rng: random.Random, now_s: float | None = None
) -> list[Detection]:
    """Detections of fixtures, objects and people the robot can see now.

    Positions carry Gaussian noise (σ = 2 cm) drawn from ``rng``; distances are exact
    range readings. A fixture's distance is to the nearest point of its footprint, so
    ``near(fixture)`` means "within reach of it". The floor of the room the robot is in
    is a ``floor`` detection named after the room (state ``floor_dirt``); a person who
    heard the robot speak carries ``heard_s`` (seconds since, given ``now_s``).
    """
    rb = world.robot
    rx, ry = rb.x, rb.y
    c, s = math.cos(rb.theta), math.sin(rb.theta)
    out: list[Detection] = []
    gauss = rng.gauss
    for name, spec in layout.fixtures.items():
        r = spec.rect
        nx, ny = r.nearest_point(rx, ry)
        if not (
            _visible(rx, ry, c, s, r.cx, r.cy, layout) or _visible(rx, ry, c, s, nx, ny, layout)
        ):
            continue
        state = fixture_state(spec.kind, spec.openable, spec.switchable, world.fixtures[name])
        out.append(
            Detection(
                name=name,
                kind=spec.kind,
                category="fixture",
                position=(r.cx + gauss(0.0, POSITION_NOISE), r.cy + gauss(0.0, POSITION_NOISE)),
                distance=math.hypot(nx - rx, ny - ry),
                room=spec.room,
                state=state,
            )
        )
    for name, o in world.objects.items():
        rel = o.relation
        if rel == "held" or rel == "with":
            continue
        if rel == "in" and layout.fixtures[o.place].openable and not world.fixtures[o.place].open:
            continue
        if not _visible(rx, ry, c, s, o.x, o.y, layout):
            continue
        out.append(
            Detection(
                name=name,
                kind=o.kind,
                category="object",
                position=(o.x + gauss(0.0, POSITION_NOISE), o.y + gauss(0.0, POSITION_NOISE)),
                distance=math.hypot(o.x - rx, o.y - ry),
                room=o.place if rel == "floor" else layout.fixtures[o.place].room,
                relation=(rel, o.place) if rel in ("on", "in") else None,
                state=object_state(o),
            )
        )
    for name, p in world.residents.items():
        if not p.home or not _visible(rx, ry, c, s, p.x, p.y, layout):
            continue
        pstate: dict = {"activity": p.activity}
        heard = world.heard.get(name)
        if heard is not None and now_s is not None:
            pstate["heard_s"] = round(now_s - heard[0], 1)
        out.append(
            Detection(
                name=name,
                kind=p.kind,
                category="pet" if p.kind in ("cat", "dog") else "person",
                position=(p.x + gauss(0.0, POSITION_NOISE), p.y + gauss(0.0, POSITION_NOISE)),
                distance=math.hypot(p.x - rx, p.y - ry),
                room=p.room or "",
                state=pstate,
            )
        )
    here = layout.room_at(rx, ry)
    if here and here in world.floor_dirt:
        r = layout.rooms[here].rect
        out.append(
            Detection(
                name=here,
                kind="floor",
                category="floor",
                position=(r.cx, r.cy),
                distance=0.0,
                room=here,
                state={"floor_dirt": round(world.floor_dirt[here], 2)},
            )
        )
    found = hazards(world, layout)
    on_floor = {h.things[0]: h for h in found if h.floor}
    for name, sp in world.spills.items():
        if not _visible(rx, ry, c, s, sp.x, sp.y, layout):
            continue
        h = on_floor.get(name)
        state = {"radius": sp.radius}
        if h is not None:
            state.update(hazard=h.kind, severity=h.severity, floor=True, text=h.text)
        out.append(
            Detection(
                name=name,
                kind=sp.kind,
                category="hazard",
                position=(sp.x + gauss(0.0, POSITION_NOISE), sp.y + gauss(0.0, POSITION_NOISE)),
                distance=max(0.0, math.hypot(sp.x - rx, sp.y - ry) - sp.radius),
                room=layout.room_at(sp.x, sp.y),
                state=state,
            )
        )
    for h in found:
        if h.floor or not _visible(rx, ry, c, s, h.x, h.y, layout):
            continue
        out.append(
            Detection(
                name=h.name,
                kind=h.kind,
                category="hazard",
                position=(h.x + gauss(0.0, POSITION_NOISE), h.y + gauss(0.0, POSITION_NOISE)),
                distance=math.hypot(h.x - rx, h.y - ry),
                room=h.room,
                state={
                    "hazard": h.kind,
                    "severity": h.severity,
                    "floor": False,
                    "things": list(h.things),
                    "text": h.text,
                },
            )
        )
    return out


def fixture_state(kind: str, openable: bool, switchable: bool, fs: FixtureState) -> dict:
    """What a robot sees of a fixture.

    ``open`` and ``on`` (as in v1), and by kind ``temp`` (°C, to the degree; hobs,
    ovens, kettles, fridges), ``cycle`` (an appliance's programme) and ``fill``/``liquid``
    (a kettle's water), ``dirt`` (0-1, surfaces: wiping lowers it).
    """
    state: dict = {}
    if openable:
        state["open"] = fs.open
    if switchable:
        state["on"] = fs.on
    fk = FIXTURE_KINDS.get(kind)
    if fk is None:
        return state
    if fk.heat_c > 0 or kind in ("fridge", "freezer"):
        state["temp"] = round(fs.temp)
    if fk.cycle_s > 0:
        state["cycle"] = fs.cycle
    if fk.capacity_l > 0:
        state["fill"] = round(fs.fill, 2)
        state["liquid"] = fs.liquid
    if fk.surface:
        state["dirt"] = round(fs.dirt, 2)
    return state


def object_state(o: ObjectState) -> dict:
    """What a robot sees of an object (a look and a thermal camera).

    ``dirty`` and ``temp`` (°C, to the degree) always; by kind: ``fill``/``liquid``
    (containers), ``food``/``cooked``/``burnt`` (food and what holds food), ``wet``/
    ``folded`` (clothes, linen), ``moisture``/``dry`` (plants), ``quantity``
    (consumables), ``spoiled`` (perishables), ``broken`` (breakables).
    """
    state: dict = {"dirty": o.dirty, "temp": round(o.temp)}
    ok = OBJECT_KINDS.get(o.kind)
    if ok is None:
        return state
    if ok.capacity_l > 0:
        state["fill"] = round(o.fill, 2)
        state["liquid"] = o.liquid
    if ok.cookable or o.food:
        if o.food:
            state["food"] = o.food
        state["cooked"] = round(o.cooked, 2)
        state["burnt"] = o.cooked >= BURNT_AT
    if ok.foldable:
        state["wet"] = o.wet
        state["folded"] = o.folded
    if o.kind == "plant":
        state["moisture"] = round(o.moisture, 2)
        state["dry"] = o.moisture < DRY_BELOW
    if ok.consumable:
        state["quantity"] = round(o.quantity, 2)
    if ok.perishable:
        state["spoiled"] = o.spoiled
    if ok.breakable:
        state["broken"] = o.broken
    return state


class Camera:
    """Renders the egocentric top-down image for one layout and image size.

    Args:
        layout: The floor plan.
        size: Image side in pixels.
    """

    def __init__(self, layout: HomeLayout, size: int) -> None:
        self.layout = layout
        self.size = size
        self.m_per_px = IMAGE_SPAN / size
        self.raster = _static_raster(layout)
        idx = (np.arange(size) + 0.5 - size / 2) * self.m_per_px
        # Heading up: image rows go backwards along the heading, columns go to the right.
        self._fwd = np.repeat(-idx[:, None], size, axis=1).ravel()
        self._left = np.repeat(-idx[None, :], size, axis=0).ravel()

    def image(self, world: WorldState, detections: list[Detection]) -> np.ndarray:
        """The view from the robot's pose, ``uint8[size, size, 3]``."""
        rb = world.robot
        c, s = math.cos(rb.theta), math.sin(rb.theta)
        wx = rb.x + self._fwd * c - self._left * s
        wy = rb.y + self._fwd * s + self._left * c
        ix = (wx * (1.0 / _RASTER_RES)).astype(np.int32)
        iy = (wy * (1.0 / _RASTER_RES)).astype(np.int32)
        h, w = self.raster.shape[:2]
        inside = (ix >= 0) & (iy >= 0) & (ix < w) & (iy < h) & (wx >= 0) & (wy >= 0)
        np.clip(ix, 0, w - 1, out=ix)
        np.clip(iy, 0, h - 1, out=iy)
        img = self.raster[iy, ix]
        img[~inside] = 0
        img = img.reshape(self.size, self.size, 3)
        for d in detections:
            if d.category == "fixture":
                if d.state.get("on"):
                    self._dot(img, rb, c, s, d.position, 1, (255, 40, 0))
                if d.state.get("open"):
                    self._dot(img, rb, c, s, d.position, 1, (40, 220, 40))
            elif d.category == "object":
                self._dot(img, rb, c, s, d.position, 1, kind_colour(d.kind))
            elif d.category == "hazard":
                self._dot(img, rb, c, s, d.position, 2, HAZARD_COLOUR)
            elif d.category == "floor":
                continue  # the floor is what the image shows already
            else:
                self._dot(img, rb, c, s, d.position, 3, PERSON_COLOUR)
        self._dot(img, rb, c, s, (rb.x, rb.y), 2, ROBOT_COLOUR)
        gp = (rb.x + GRIPPER_OFFSET * c, rb.y + GRIPPER_OFFSET * s)
        self._dot(
            img,
            rb,
            c,
            s,
            gp,
            1,
            (255, 255, 255) if rb.held is None else kind_colour(world.objects[rb.held].kind),
        )
        return img

    def _dot(
        self,
        img: np.ndarray,
        rb,
        c: float,
        s: float,
        pos: tuple[float, float],
        half: int,
        colour: tuple[int, int, int],
    ) -> None:
        dx, dy = pos[0] - rb.x, pos[1] - rb.y
        fwd = dx * c + dy * s
        left = -dx * s + dy * c
        row = int(self.size / 2 - fwd / self.m_per_px)
        col = int(self.size / 2 - left / self.m_per_px)
        n = self.size
        if -half <= row < n + half and -half <= col < n + half:
            img[
                max(row - half, 0) : min(row + half + 1, n),
                max(col - half, 0) : min(col + half + 1, n),
            ] = colour


_RASTERS: dict[int, tuple[HomeLayout, np.ndarray]] = {}


def _static_raster(layout: HomeLayout) -> np.ndarray:
    """The floor plan at 5 cm per pixel, ``uint8[H, W, 3]`` with row 0 at y = 0 (cached)."""
    hit = _RASTERS.get(id(layout))
    if hit is not None and hit[0] is layout:
        return hit[1]
    w = int(round(layout.width / _RASTER_RES))
    h = int(round(layout.height / _RASTER_RES))
    img = np.zeros((h, w, 3), dtype=np.uint8)

    def fill(r, colour) -> None:
        x0, x1 = int(round(r.x0 / _RASTER_RES)), int(round(r.x1 / _RASTER_RES))
        y0, y1 = int(round(r.y0 / _RASTER_RES)), int(round(r.y1 / _RASTER_RES))
        img[max(y0, 0) : max(y1, y0 + 1), max(x0, 0) : max(x1, x0 + 1)] = colour

    for room in layout.rooms.values():
        fill(room.rect, room.colour)
    for wall in layout.walls:
        fill(wall, WALL_COLOUR)
    for f in layout.fixtures.values():
        fill(f.rect, kind_colour(f.kind))
    _RASTERS[id(layout)] = (layout, img)
    if len(_RASTERS) > 32:  # furniture seeds make many layouts of one plan
        del _RASTERS[next(iter(_RASTERS))]
    return img
